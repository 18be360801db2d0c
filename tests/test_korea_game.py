"""Korea from `game new` to `game over`, by post, through the command line: two scripted
players write their orders in the orders format from what their side may see, the umpire
types three commands a round, every player verifies the record after every turn, and the
last event names the winner the victory conditions give."""

from __future__ import annotations

import json

from pbp_play import commit, lock, reveal
from policies import POLICIES
from wargame.pbp.game import Game
from wargame.play.victory import History, standing


def test_korea_is_played_to_its_end_by_post(cli, tmp_path):
    folder = tmp_path / "korea"
    umpire_commands = []

    def umpire(*args):
        umpire_commands.append(args[1])
        run = cli(*args)
        assert run.code == 0, (args, run.err)
        return run

    umpire("game", "new", "korea", str(folder), "--player", "kpa=Kim", "--player",
           "un=Walker")
    theatre = Game(folder).theatre()
    rounds = 0
    refused = 0
    while True:
        state = Game(folder).state()
        if state.over:
            break
        inbox, secrets = [], {}
        for side in state.side_ids():
            status = json.loads(cli("game", "status", str(folder), "--side", side,
                                    "--json").out)
            orders = POLICIES[side](theatre, status)
            check = cli("game", "check", str(folder), "--side", side, "--orders", orders)
            assert "internal error" not in check.err
            line, message, secret = commit(cli, folder, tmp_path / "players", side, orders)
            posted = message.with_name(message.stem + "-commit.txt")
            posted.write_text(line, encoding="utf-8")
            inbox += [posted, message]
            secrets[side] = secret
        before = len(umpire_commands)
        sheet, head = lock(cli, folder, inbox)
        umpire_commands.append("lock")
        reveals = []
        for side, secret in secrets.items():
            path = tmp_path / f"{side}-reveal.txt"
            path.write_text(reveal(cli, secret, sheet), encoding="utf-8")
            reveals.append(str(path))
        umpire("game", "resolve", str(folder), *reveals)
        umpire("game", "post", str(folder), "--each", str(tmp_path / "posts"))
        assert len(umpire_commands) - before <= 4
        rounds += 1
        record = Game(folder).state().rounds[(state.turn, state.round)]
        refused += sum(1 for kind, _ in record.events if kind == "refused")
        if record.events[-1][0] in ("turn-end", "game-over"):
            # a player checks what was posted (both players' checks are the same one)
            run = cli("game", "verify", str(folder), "--head", head, "--sheet", sheet)
            assert run.code == 0, run.err
    state = Game(folder).state()
    events = Game(folder).events()
    assert events[-1].kind == "game-over"
    verdict = state.over
    history = History(state.play.control_history, frozenset(state.play.called))
    expected = standing(theatre, state.play.position, history, verdict["turn"], True)
    assert (verdict["side"], verdict["level"]) == (expected.side, expected.level)
    # the rules, not the umpire: no override, no correction, and combat did happen
    assert not [e for e in events if e.kind == "ruling"]
    rolls = [e for e in events if e.kind == "roll" and e.body.get("kind") == "combat"]
    retreats = [e for e in events if e.kind == "unit-change"
                and e.body["cause"].get("by") == "retreat"]
    advances = [e for e in events if e.kind == "unit-change"
                and e.body["cause"].get("by") == "advance"]
    assert len(rolls) >= 5 and retreats and advances
    assert rounds == 2 * verdict["turn"] or verdict["turn"] < 20
    final = cli("game", "status", str(folder))
    assert "over after turn" in final.out
    print(f"{rounds} rounds, {len(rolls)} combats, {refused} orders refused, verdict {verdict}")
