"""Playing order rounds through the command line, as the players and the umpire of a game by
post do: each player commits and sends the orders message, the umpire locks with the
messages, each player makes the reveal from the posted sheet, the umpire resolves."""

from __future__ import annotations

import re
from pathlib import Path

from wargame.pbp.game import Game


def commit(cli, folder: Path, work: Path, side: str, orders: str) -> tuple[str, Path, Path]:
    """(the commit line, the orders message file, the secret file) of a side's orders."""
    with Game(folder) as game:
        state = game.state()
    out = work / f"{side}-{state.turn}-{state.round + 1}"
    out.mkdir(parents=True, exist_ok=True)
    run = cli("game", "commit", "--game-id", state.game_id, "--turn", str(state.turn),
              "--round", str(state.round + 1), "--side", side, "--orders", orders,
              "--out", str(out))
    assert run.code == 0, run.err
    stem = f"{side}-turn-{state.turn}-round-{state.round + 1}"
    return run.out.strip(), out / f"{stem}-orders.txt", out / f"{stem}-secret.json"


def lock(cli, folder: Path, inbox: list[Path], *extra: str) -> tuple[str, str]:
    """(sheet hash, chain head) from the lock post."""
    run = cli("game", "lock", str(folder), *map(str, inbox), *extra)
    assert run.code == 0, run.err
    sheet = re.search(r"sheet hash: ([0-9a-f]{64})", run.out)[1]
    head = re.search(r"chain head: ([0-9a-f]{64})", run.out)[1]
    return sheet, head


def reveal(cli, secret: Path, sheet: str) -> str:
    run = cli("game", "reveal", "--make", "--secret", str(secret), "--sheet", sheet)
    assert run.code == 0, run.err
    return run.out.strip()


def play_round(cli, folder: Path, work: Path, orders: dict[str, str]) -> dict:
    """One whole round; returns what the players saw posted (lines, sheet, head)."""
    work.mkdir(parents=True, exist_ok=True)
    with Game(folder) as game:
        state = game.state()
    inbox = []
    posted = {"commits": {}, "secrets": {}}
    for side in state.side_ids():
        line, message, secret = commit(cli, folder, work, side, orders.get(side, ""))
        path = message.with_name(message.stem + "-commit.txt")
        path.write_text(line + "\n", encoding="utf-8")
        inbox += [path, message]
        posted["commits"][side] = line
        posted["secrets"][side] = secret
    sheet, head = lock(cli, folder, inbox)
    reveals = []
    for side in state.side_ids():
        line = reveal(cli, posted["secrets"][side], sheet)
        path = work / f"{side}-{state.turn}-{state.round + 1}-reveal.txt"
        path.write_text(line + "\n", encoding="utf-8")
        reveals.append(path)
        posted.setdefault("reveals", {})[side] = line
    run = cli("game", "resolve", str(folder), *map(str, reveals))
    assert run.code == 0, run.err
    posted.update(sheet=sheet, head=head, resolve=run.out)
    return posted


def locked_round(cli, folder: Path, work: Path) -> tuple[dict[str, str], str]:
    """A round both sides committed to (no orders) and the umpire locked, no nonce revealed
    yet: (each side's reveal line, as the player would post it; the sheet hash)."""
    with Game(folder) as game:
        state = game.state()
    inbox, secrets = [], {}
    for side in state.side_ids():
        line, message, secret = commit(cli, folder, work / "w", side, "")
        path = work / f"{side}-commit.txt"
        path.write_text(line, encoding="utf-8")
        inbox += [path, message]
        secrets[side] = secret
    sheet, _ = lock(cli, folder, inbox)
    return {side: reveal(cli, secrets[side], sheet) for side in state.side_ids()}, sheet
