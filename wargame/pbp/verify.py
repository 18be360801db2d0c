"""Verify a game record from scratch: the hash chain, the data files, every commitment,
every sheet hash, every turn seed against the anchor, every die re-derived and every table
lookup redone with the hashed tables. Names the first event that does not hold."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import attrs

from wargame.errors import DataError, Problem
from wargame.pbp import crypto
from wargame.pbp.game import (
    DATA_FOLDER, GameState, TurnState, apply_event, check_move, preview_ruling, resolution_key,
    roll_ruling, sheet_hash,
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
    from wargame.loading.session import Session
    from wargame.pbp.game import hash_tree

    if not events:
        return Verdict(False, 0, 0, crypto.GENESIS, "the record is empty: there is nothing to "
                       "verify", None)
    state: GameState | None = None
    prev = crypto.GENESIS
    session = None
    _PREVIEWS.clear()
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


def check_published(events: list[Event], heads: list[str], sheets: list[str]) -> list[str]:
    """What is wrong with the record against what players saw posted: each head must be the
    hash of one of its events (else the record was cut or forked after the post), and each
    sheet hash must be a sheet the dice were rolled for."""
    hashes = {event.hash: event.seq for event in events}
    problems = []
    for head in heads:
        matches = [h for h in hashes if h.startswith(head.lower())] if len(head) >= 16 else []
        if len(matches) != 1:
            problems.append(f"head {head} is not in this record: it was cut short or forked "
                            "after that post")
    locked = {e.body["sheet_hash"]: e.turn for e in events if e.kind == "sheet-locked"}
    seeded = {e.turn for e in events if e.kind == "turn-seed"}
    for sheet in sheets:
        turn = locked.get(sheet.lower())
        if turn is None or turn not in seeded:
            problems.append(f"sheet {sheet} is not a sheet the dice of this record were "
                            "rolled for")
    return problems


def _summary(body: dict) -> str:
    return ", ".join(f"{s['faces']} -> {s['result']}" for s in body.get("stages", []))


_PREVIEWS: dict[bytes, dict] = {}  # filled and emptied by each verify_events


def _check(state: GameState, event: Event, session, pending: list[dict]) -> None:
    """The rules of the protocol, event by event."""
    body = event.body
    if crypto.redacted(body) is not None:
        # only a side's orders may be left out of an export: they are that side's secret
        if event.kind != "orders":
            raise Failure(f"the content of a {event.kind} event was left out; only orders "
                          "may be")
        return
    if event.kind != "unit-change" and pending:
        raise Failure("a roll's unit changes are missing before this event")
    if event.kind in ("commitment", "orders", "ruling", "sheet-locked", "nonce", "turn-seed",
                      "roll", "turn-end", "default") and event.turn != state.turn:
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
        # the odds and reasons on the sheet are what the tables give, not what was typed
        ruling = {k: v for k, v in body.items() if k != "preview"}
        # the same combat between units in the same state has the same odds: work it once
        names = [n.split(":")[0] for n in ruling.get("attackers", []) +
                 ruling.get("defenders", [])]
        key = crypto.canonical([{k: v for k, v in ruling.items() if k != "label"},
                                [(n, state.units[n].steps, state.units[n].alive,
                                  state.units[n].area) for n in names if n in state.units]])
        preview = _PREVIEWS.get(key)
        if preview is None:
            try:
                preview = preview_ruling(session, state, ruling)
            except DataError as exc:  # UsageError too: a unit that could not fight
                raise Failure(f'ruling "{body["label"]}" cannot be made: {exc}') from None
            _PREVIEWS[key] = preview
        if preview != body.get("preview"):
            raise Failure(f'ruling "{body["label"]}": the odds or reasons on the sheet are '
                          "not those the tables give")
    elif event.kind == "sheet-locked":
        if body["sheet_hash"] != sheet_hash(state.game_id, event.turn, turn.rulings):
            raise Failure("the sheet hash does not match the rulings before it")
        waiting = [side for side in state.side_ids() if side not in turn.commitments
                   and side not in turn.defaults]
        if waiting:
            raise Failure("the sheet was locked before " + ", ".join(waiting) + " committed "
                          "or was recorded as defaulted")
    elif event.kind == "default":
        if phase != "orders" or body["side"] in turn.commitments:
            raise Failure(f"{body['side']} recorded as defaulted after committing or after "
                          "the lock")
    elif event.kind == "nonce":
        commitment = turn.commitments.get(body["side"]) if turn else None
        if phase != "locked" or commitment is None:
            raise Failure("a nonce revealed before the sheet was locked, or never committed")
        if body["sheet"] != turn.sheet_hash:
            raise Failure(f"{body['side']}'s reveal names sheet {body['sheet'][:16]}, not the "
                          f"sheet locked for turn {event.turn}")
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
    elif event.kind == "move":
        # positions are re-derived: the move must be one the rules allow from where the
        # unit stood (or an override, on the record with its reason)
        try:
            expected = check_move(session, state, body)
        except DataError as exc:
            raise Failure(f"move of {body['unit']}: {exc}") from None
        if expected != body:
            raise Failure(f"move of {body['unit']} does not match the map: re-derived "
                          f"{expected['from']}->{expected['to']} cost {expected['cost']}")
    elif event.kind == "turn-end":
        missing = [r["label"] for r in turn.rulings if r["label"] not in turn.rolls]
        if missing:
            raise Failure(f"turn ended with combats never rolled: {', '.join(missing)}")


def export_game(folder: Path, events: list[Event], side: str | None = None) -> dict:
    """A self-contained copy: the events and the data files they were played with. For a
    side, the other sides' revealed orders are left out (their digest stays, so the chain
    still verifies link by link)."""
    data = folder / DATA_FOLDER
    # the exact bytes (as UTF-8 text): the hashes at game start are over bytes
    files = {path.relative_to(data).as_posix(): path.read_bytes().decode("utf-8")
             for path in sorted(data.rglob("*.toml"))}
    out = []
    for event in events:
        record = event.as_dict()
        if side is not None and event.kind == "orders" and event.body.get("side") != side:
            record["body"] = {"redacted": crypto.body_digest(event.body),
                              "side": event.body.get("side")}
        out.append(record)
    return {"format": EXPORT_FORMAT, "events": out, "files": files}


_ENVELOPE = {"seq": int, "kind": str, "turn": int, "at": str, "body": dict, "prev": str,
             "hash": str}


def export_problems(document: dict) -> list[tuple[str, str]]:
    """(key path, message) for everything an export's shape gets wrong, checked before any
    of it is used. Types are exact: a number written as a string is refused, since the
    envelope's fields are hashed as text and "5" and 5 would otherwise hash alike."""
    out = []
    events, files = document.get("events"), document.get("files")
    if not isinstance(events, list) or not events:
        out.append(("events", "expected a non-empty array of events"))
        events = []
    if not isinstance(files, dict) or not all(isinstance(k, str) and isinstance(v, str)
                                              for k, v in files.items()):
        out.append(("files", "expected a table of file names and their text"))
    for index, event in enumerate(events):
        where = f"events[{index}]"
        if not isinstance(event, dict):
            out.append((where, "expected a table"))
            continue
        if set(event) != set(_ENVELOPE):
            out.append((where, f"expected exactly the keys {', '.join(_ENVELOPE)}"))
            continue
        for key, kind in _ENVELOPE.items():
            value = event[key]
            if type(value) is not kind:  # bool is not int here, "5" is not 5
                out.append((f"{where}.{key}", f"expected {kind.__name__}, found "
                            f"{type(value).__name__}"))
        for key in ("prev", "hash"):
            value = event[key]
            if isinstance(value, str) and (len(value) != 64 or
                                           any(c not in "0123456789abcdef" for c in value)):
                out.append((f"{where}.{key}", "expected 64 hexadecimal digits"))
        if len(out) >= 20:
            out.append(("", "more problems not shown"))
            break
    return out


def verify_export(path: Path) -> Verdict:
    """Verify an exported game file without the umpire's database."""
    return events_of_export(path)[1]


def events_of_export(path: Path) -> tuple[list[Event], Verdict]:
    """The events of an exported game file, and its verdict."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DataError(f"{path}: not a readable game export ({exc})") from None
    if not isinstance(document, dict) or document.get("format") != EXPORT_FORMAT:
        raise DataError(f"{path}: expected a wargame game export ({EXPORT_FORMAT})")
    problems = export_problems(document)
    if problems:
        raise DataError([Problem(str(path), where, message) for where, message in problems])
    events = [Event(**e) for e in document["events"]]
    files = document["files"]
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        for name, text in files.items():
            target = (folder / name).resolve()
            if folder.resolve() not in target.parents:
                raise DataError(f'{path}: the file name "{name}" points outside the export')
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(text.encode("utf-8"))
        return events, verify_events(events, folder)



class ExportedGame:
    """A verified export, read like a game folder (for `game stats` on an export)."""

    def __init__(self, path: Path):
        events, verdict = events_of_export(path)
        if not verdict.ok:
            raise DataError(f"{path}: does not verify ({verdict.describe()})")
        self._events = events
        document = json.loads(path.read_text(encoding="utf-8"))
        self._folder = tempfile.TemporaryDirectory()
        for name, text in document["files"].items():
            target = Path(self._folder.name) / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(text.encode("utf-8"))
        self._state = None
        self._session = None

    def state(self) -> GameState:
        if self._state is None:
            state = None
            for event in self._events:
                state = apply_event(state, event)
            self._state = state
        return self._state

    def session(self):
        from wargame.loading.session import Session

        if self._session is None:
            self._session = Session(self._folder.name, use_cache=False)
        return self._session


def commitment_recorded(events: list[Event], posted: str) -> str | None:
    """None when an orders commitment a player posted is the one recorded for that player;
    otherwise what is wrong (the umpire recorded another in the player's name)."""
    posted = posted.strip().lower()
    if any(e.kind == "commitment" and e.body.get("orders") == posted for e in events):
        return None
    return (f"the commitment {posted[:16]} you posted is not in the record: another was "
            "recorded for your side, or none")


def reveal_used(events: list[Event], line: str) -> str | None:
    """None when a posted reveal line ("wargame-reveal game=... nonce=...") is in the record
    for its turn and sheet; otherwise what is wrong (the umpire ignored it)."""
    fields = dict(part.partition("=")[::2] for part in line.split()[1:])
    try:
        turn, side, nonce, sheet = int(fields["turn"]), fields["side"], fields["nonce"], \
            fields["sheet"]
    except (KeyError, ValueError):
        return f'"{line[:40]}" is not a reveal line from `wargame game reveal --make`'
    for event in events:
        if event.kind == "nonce" and event.turn == turn and event.body.get("side") == side:
            if event.body.get("nonce") == nonce and event.body.get("sheet") == sheet:
                return None
            return f"{side}'s recorded reveal for turn {turn} is not the one posted"
    resolved = any(e.kind == "turn-seed" and e.turn == turn for e in events)
    if resolved:
        return (f"{side}'s posted reveal for turn {turn} was not used: the turn was resolved "
                "without it")
    return None  # the turn is not resolved yet: nothing to check
