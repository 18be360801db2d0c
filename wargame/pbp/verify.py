"""Verify a game record from scratch: the hash chain, the data files, every commitment,
every sheet hash, every turn seed against the anchor, every die re-derived and every table
lookup redone with the hashed tables. Names the first event that does not hold."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import attrs

from wargame.errors import DataError
from wargame.pbp import crypto
from wargame.pbp.game import (
    DATA_FOLDER, GameState, TurnState, apply_event, resolution_key, roll_ruling, sheet_hash,
)
from wargame.pbp.record import Event

EXPORT_FORMAT = "wargame-game-export/1"


@attrs.frozen
class Verdict:
    ok: bool
    events: int
    rolls: int
    head: str
    problem: str = ""
    seq: int | None = None

    def describe(self) -> str:
        if self.ok:
            return (f"verified: {self.events} events, {self.rolls} rolls re-derived, "
                    f"head {self.head}")
        return f"event {self.seq}: {self.problem}"


class Failure(Exception):
    pass


def verify_events(events: list[Event], data_folder: Path) -> Verdict:
    """Verify events against the data snapshot in ``data_folder``."""
    from wargame.session import Session
    from wargame.pbp.game import hash_tree

    state: GameState | None = None
    prev = crypto.GENESIS
    session = None
    last_seed: tuple[int, bytes] | None = None
    rolls = 0
    pending_changes: list[dict] = []
    for index, event in enumerate(events):
        try:
            if event.seq != index + 1:
                raise Failure(f"sequence number {event.seq} where {index + 1} was due "
                              "(an event was removed or inserted)")
            if event.prev != prev:
                raise Failure("does not link to the event before it (the chain is broken)")
            expected = crypto.event_hash(event.prev, event.seq, event.kind, event.turn,
                                         event.at, event.body)
            if expected != event.hash:
                raise Failure("its content does not match its hash (the event was edited)")
            if index == 0:
                if event.kind != "game-start":
                    raise Failure("the record does not begin with game-start")
                files = hash_tree(data_folder)
                if files != event.body["files"]:
                    changed = sorted(set(files.items()) ^ set(event.body["files"].items()))
                    raise Failure("the rules and units files differ from those hashed at "
                                  f"game start ({changed[0][0]})")
                session = Session(str(data_folder), use_cache=False)
                last_seed = (0, bytes.fromhex(event.body["anchor"]))
            else:
                _check(state, event, session, pending_changes)
                if event.kind == "turn-seed":
                    seed = bytes.fromhex(event.body["seed"])
                    turn, known = last_seed
                    walked = seed
                    for _ in range(event.turn - turn):
                        walked = crypto.digest("chain", walked)
                    if walked != known:
                        raise Failure(f"the turn {event.turn} seed is not in the chain "
                                      "committed by the anchor")
                    last_seed = (event.turn, seed)
                if event.kind == "roll":
                    rolls += 1
                    ruling = next((r for r in state.turns[event.turn].rulings
                                   if r["label"] == event.body["label"]), None)
                    if ruling is None:
                        raise Failure(f'roll "{event.body["label"]}" has no ruling')
                    key = resolution_key(state, event.turn)
                    body, changes = roll_ruling(session, state, ruling, key)
                    if body != event.body:
                        raise Failure(f'roll "{body["label"]}" does not match its dice: '
                                      f"re-derived {_summary(body)}, recorded "
                                      f"{_summary(event.body)}")
                    pending_changes[:] = changes
            state = apply_event(state, event)
            prev = event.hash
        except Failure as failure:
            return Verdict(False, len(events), rolls, prev, str(failure), event.seq)
        except (KeyError, TypeError, ValueError) as exc:
            return Verdict(False, len(events), rolls, prev,
                           f"malformed {event.kind} event ({type(exc).__name__}: {exc})",
                           event.seq)
    if pending_changes:
        return Verdict(False, len(events), rolls, prev, "the last roll's unit changes are "
                       "missing", len(events))
    return Verdict(True, len(events), rolls, prev)


def _summary(body: dict) -> str:
    return ", ".join(f"{s['faces']} -> {s['result']}" for s in body.get("stages", []))


def _check(state: GameState, event: Event, session, pending: list[dict]) -> None:
    """The rules of the protocol, event by event."""
    body = event.body
    if event.kind != "unit-change" and pending:
        raise Failure("a roll's unit changes are missing before this event")
    if event.kind in ("commitment", "orders", "ruling", "sheet-locked", "nonce", "turn-seed",
                      "roll", "turn-end") and event.turn != state.turn:
        raise Failure(f"recorded for turn {event.turn} while turn {state.turn} was in play")
    # a turn with no event yet (an empty sheet locked) is an empty turn, never a crash
    turn = state.turns.get(event.turn) or TurnState()
    phase = state.phase if event.turn == state.turn else None
    if event.kind == "commitment":
        if phase != "orders":
            raise Failure("a commitment after the sheet was locked")
    elif event.kind == "orders":
        commitment = turn.commitments.get(body["side"]) if turn else None
        if commitment is None or crypto.order_commitment(
                state.game_id, event.turn, body["side"], body["orders"],
                bytes.fromhex(body["salt"])) != commitment["orders"]:
            raise Failure(f"{body['side']}'s orders do not match their commitment")
    elif event.kind == "ruling":
        if phase != "orders":
            raise Failure(f'ruling "{body["label"]}" added after the sheet was locked')
    elif event.kind == "sheet-locked":
        if body["sheet_hash"] != sheet_hash(state.game_id, event.turn, turn.rulings):
            raise Failure("the sheet hash does not match the rulings before it")
    elif event.kind == "nonce":
        commitment = turn.commitments.get(body["side"]) if turn else None
        if phase != "locked" or commitment is None:
            raise Failure("a nonce revealed before the sheet was locked, or never committed")
        if crypto.nonce_commitment(state.game_id, event.turn, body["side"],
                                   bytes.fromhex(body["nonce"])) != commitment["nonce"]:
            raise Failure(f"{body['side']}'s nonce does not match its commitment")
    elif event.kind == "turn-seed":
        if phase != "locked":
            raise Failure("the turn seed was revealed before the sheet was locked")
    elif event.kind == "roll":
        if turn.seed is None:
            raise Failure("a roll before the turn seed was revealed")
        if body["label"] in turn.rolls:
            raise Failure(f'"{body["label"]}" was rolled twice (a reroll)')
    elif event.kind == "unit-change" and pending and body.get("label"):
        if body != pending[0]:
            raise Failure(f"unit change for {body['unit']} does not follow from roll "
                          f"{body['label']}")
        pending.pop(0)
    elif event.kind == "turn-end":
        missing = [r["label"] for r in turn.rulings if r["label"] not in turn.rolls]
        if missing:
            raise Failure(f"turn ended with combats never rolled: {', '.join(missing)}")


def export_game(folder: Path, events: list[Event]) -> dict:
    """A self-contained copy: the events and the data files they were played with."""
    data = folder / DATA_FOLDER
    # the exact bytes (as UTF-8 text): the hashes at game start are over bytes
    files = {path.relative_to(data).as_posix(): path.read_bytes().decode("utf-8")
             for path in sorted(data.rglob("*.toml"))}
    return {"format": EXPORT_FORMAT, "events": [e.as_dict() for e in events], "files": files}


def verify_export(path: Path) -> Verdict:
    """Verify an exported game file without the umpire's database."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DataError(f"{path}: not a readable game export ({exc})") from None
    if not isinstance(document, dict) or document.get("format") != EXPORT_FORMAT:
        raise DataError(f"{path}: expected a wargame game export ({EXPORT_FORMAT})")
    try:
        events = [Event(**e) for e in document["events"]]
        files = document["files"]
    except (KeyError, TypeError) as exc:
        raise DataError(f"{path}: malformed game export ({exc})") from None
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        for name, text in files.items():
            target = (folder / name).resolve()
            if folder.resolve() not in target.parents:
                raise DataError(f'{path}: the file name "{name}" points outside the export')
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(text.encode("utf-8"))
        return verify_events(events, folder)

