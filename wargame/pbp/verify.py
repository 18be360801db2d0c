"""Verify a game record from scratch: the hash chain, the data files, the set-up, every
commitment, every sheet hash and plan, every round's seed against the anchor, and every
round carried out again by the rules of play with the dice re-derived: the events that
follow a seed must be exactly the events the rules give. Names the first event that does
not hold."""

from __future__ import annotations

import json
import re
import tempfile
from collections import deque
from pathlib import Path

import attrs

from wargame.errors import DataError, Problem
from wargame.pbp import crypto
from wargame.pbp.fog import REDACTABLE
from wargame.pbp.game import (
    DATA_FOLDER, forfeit_body, hash_tree, plan_of, public_plan, round_key, sheet_hash,
)
from wargame.pbp.record import Event
from wargame.pbp.state import PROTOCOL_KINDS, GameState, apply_event
from wargame.play.state import KINDS as PLAY_KINDS

EXPORT_FORMAT = "wargame-game-export/2"


@attrs.frozen
class Verdict:
    ok: bool
    events: int
    rolls: int
    head: str
    problem: str = ""
    seq: int | None = None
    rounds: int = 0
    hidden_rounds: int = 0  # rounds whose orders this export hides: dice checked, not moves

    def describe(self) -> str:
        if self.ok:
            hidden = (f"; {self.hidden_rounds} rounds hold another side's hidden orders, so "
                      "their dice were re-derived but their moves were not"
                      if self.hidden_rounds else "")
            return (f"verified: {self.events} events, {self.rounds} rounds carried out "
                    f"again, {self.rolls} rolls re-derived, head {self.head}{hidden}")
        from wargame.text import shown

        # the problem may quote the record, which a tamperer wrote: never raw to a terminal
        return f"event {self.seq}: {shown(self.problem)}"


class Failure(Exception):
    pass


#: The theatre of the last game verified in this process and its set-up, by the content of
#: its files: a player who verifies after every post does not load the same data again.
_THEATRES: dict = {}


def _start(event: Event, data_folder: Path):
    """Check the game-start event against the data; the theatre of the game."""
    from wargame.loading.session import Session
    from wargame.play.round import rounds_of
    from wargame.play.setup import SetupError, initial_position
    from wargame.play.theatre import Theatre

    body = event.body
    if event.kind != "game-start":
        raise Failure("the record does not begin with game-start")
    if body.get("protocol") != crypto.PROTOCOL:
        raise Failure(f"the record speaks protocol {body.get('protocol')}, this verifier "
                      f"{crypto.PROTOCOL}")
    files = hash_tree(data_folder)
    if files != body["files"]:
        changed = sorted(set(files.items()) ^ set(body["files"].items()))
        raise Failure("the rules and units files differ from those hashed at game start "
                      f"({changed[0][0]})")
    memo = (crypto.canonical(files), body["scenario"], tuple(body["options"]))
    known = _THEATRES.get(memo)
    try:
        if known is None:
            # the data cache is keyed by the files' content, which was just checked
            session = Session(str(data_folder))
            theatre = Theatre.of(session, body["scenario"], body["options"])
            position = initial_position(theatre)
            # the set-up as records: a pure function of the data, kept with its theatre
            known = (theatre, [p.as_record() for p in position.pieces.values()],
                     position.control_record())
    except (DataError, SetupError) as exc:
        raise Failure(f"the game cannot be set up from its data: {exc}") from None
    _THEATRES.clear()
    _THEATRES[memo] = known
    theatre, pieces, control = known
    rounds = len(rounds_of(theatre.play))
    if body["rounds"] != rounds or body["chain_length"] != theatre.scenario.turns * rounds:
        raise Failure("the seed chain does not cover every round of the scenario")
    if pieces != body["pieces"] or control != body["control"]:
        raise Failure("the units do not stand where the scenario sets them up")
    return theatre


def verify_events(events: list[Event], data_folder: Path, side: str | None = None) -> Verdict:
    """Verify events against the data snapshot in ``data_folder``; ``side`` for a side's
    export, whose rounds hold the other sides' orders and what the side may not see as
    digests: then every battle the side fought must show its roll."""
    from wargame.engine.verifiable import HmacFaces
    from wargame.play.round import RoundInput, run_round

    if not events:
        return Verdict(False, 0, 0, crypto.GENESIS, "the record is empty: there is nothing to "
                       "verify", None)
    state: GameState | None = None
    prev = crypto.GENESIS
    theatre = None
    last_seed: tuple[int, bytes] | None = None
    expected: deque = deque()
    rolls = rounds = hidden = 0
    dice_only = None  # a key, while checking a hidden round's rolls by their dice alone
    owed: set[str] = set()  # the labels of the side's battles this hidden round must show
    fog = False  # past a side export's first hidden round the position is no longer known
    for index, event in enumerate(events):
        try:
            if event.seq != index + 1:
                raise Failure(f"sequence number {event.seq} where {index + 1} was due "
                              "(an event was removed or inserted)")
            if event.prev != prev:
                raise Failure("does not link to the event before it (the chain is broken)")
            if crypto.event_hash(event.prev, event.seq, event.kind, event.turn, event.at,
                                 event.body) != event.hash:
                raise Failure("its content does not match its hash (the event was edited)")
            control = _control_text(event.body)
            if control:
                raise Failure(f"a text of the {event.kind} event holds the control character "
                              f"{control}, which no command records")
            if index and event.kind != "orders" and crypto.redacted(event.body) is not None \
                    and not (side is not None and dice_only is not None
                             and event.kind in REDACTABLE):
                raise Failure(f"the content of a {event.kind} event was left out; only orders, "
                              "and what a side may not see of a round with hidden orders, may be")
            if index == 0:
                theatre = _start(event, data_folder)
                last_seed = (0, bytes.fromhex(event.body["anchor"]))
            elif expected:
                kind, body = expected.popleft()
                if (kind, body) != (event.kind, event.body):
                    raise Failure(f"the rules carry this round out otherwise: {event.kind} "
                                  f"{_short(event.body)} where they give {kind} {_short(body)}")
                if kind == "roll":
                    rolls += 1
            elif dice_only is not None and event.kind in PLAY_KINDS:
                if crypto.redacted(event.body) is not None:
                    pass  # another side's: the digest links it, the full export shows it
                elif event.kind in _ROUND_ENDS:
                    _check_end(state, event)
                elif event.kind == "roll":
                    _check_dice(theatre, event.body, dice_only)
                    owed.discard(event.body.get("label"))
                    rolls += 1
                if event.kind in ("round-end", "turn-end", "game-over"):
                    if owed:
                        raise Failure(f"battle {min(owed)}, which {side} fought, shows no roll "
                                      f"in {side}'s export")
                    dice_only = None
            elif event.kind in PLAY_KINDS:
                raise Failure(f"a {event.kind} event that no order, roll or ruling of a "
                              "locked sheet explains")
            elif event.kind in PROTOCOL_KINDS:
                _check(state, event, theatre, known=not fog)
            else:
                raise Failure(f'unknown event "{event.kind}"')
            if event.kind == "seed":
                seed = bytes.fromhex(event.body["seed"])
                at, known = last_seed
                steps = event.body["index"] - at
                walked = seed
                for _ in range(steps):
                    walked = crypto.digest("chain", walked)
                if steps <= 0 or walked != known:
                    raise Failure(f"the seed of round {event.body['round'] + 1} of turn "
                                  f"{event.turn} is not in the chain committed by the anchor")
                last_seed = (event.body["index"], seed)
                record = state.current
                key = round_key(state, record, seed)
                if fog or any("redacted" in o for o in record.orders.values()):
                    # from the first round whose orders it cannot read, a side's export
                    # knows the dice, not the position: every later round is checked alike
                    fog = True
                    dice_only = key
                    hidden += 1
                    owed = _battles_of(state, record, side)
                else:
                    inputs = RoundInput(state.turn, state.round,
                                        {s: record.orders_text(s) for s in state.side_ids()},
                                        tuple(record.rulings))
                    run = run_round(theatre, state.play, inputs,
                                    lambda label, key=key: HmacFaces(key, label))
                    expected = deque(run.events)
                    rounds += 1
            if dice_only is None or event.kind not in PLAY_KINDS or event.kind in _ROUND_ENDS:
                # in a round checked by its dice alone only the round's end is applied:
                # the position cannot be known, and both verifiers read no more of it
                state = apply_event(state, event)
            prev = event.hash
        except Failure as failure:
            return Verdict(False, len(events), rolls, prev, str(failure), event.seq)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            return Verdict(False, len(events), rolls, prev,
                           f"malformed {event.kind} event ({type(exc).__name__}: {exc})",
                           event.seq)
    if expected:
        kind, body = expected[0]
        return Verdict(False, len(events), rolls, prev, f"the round is cut short: the rules "
                       f"give {kind} {_short(body)} next", len(events))
    return Verdict(True, len(events), rolls, prev, rounds=rounds, hidden_rounds=hidden)


_ROUND_ENDS = ("round-end", "turn-end", "game-over")


def _check_end(state: GameState, event: Event) -> None:
    """The end of a round checked by its dice: it ends the round in play."""
    body = event.body
    turn, round_ = state.turn, state.round
    if event.kind == "round-end":
        good = body == {"next_round": round_ + 1, "round": round_, "turn": turn}
    elif event.kind == "turn-end":
        good = body == {"turn": turn}
    else:
        good = isinstance(body.get("side"), str) and isinstance(body.get("level"), str) \
            and isinstance(body.get("reason"), str) and body.get("turn") == turn
    if not good or event.turn != turn:
        raise Failure(f"a {event.kind} that does not end round {round_ + 1} of turn {turn}")


def _battles_of(state: GameState, record, side: str | None) -> set[str]:
    """The labels of the battles on a locked sheet in which ``side`` has a unit."""
    if side is None:
        return set()
    pieces = state.play.position.pieces
    return {battle["label"] for battle in record.plan.get("battles", [])
            if battle.get("side") == side or any(
                u in pieces and pieces[u].side == side
                for u in battle.get("attackers", []) + battle.get("defenders", []))}


def _plan_shaped(plan) -> bool:
    """Whether a sheet's plan has the shape both verifiers read (and the page checks too)."""
    def strings(value) -> bool:
        return isinstance(value, list) and all(isinstance(v, str) for v in value)

    return (isinstance(plan, dict) and set(plan) == {"refused", "battles"}
            and isinstance(plan["refused"], dict)
            and all(isinstance(k, str) and type(v) is int for k, v in plan["refused"].items())
            and isinstance(plan["battles"], list)
            and all(isinstance(b, dict) and isinstance(b.get("label"), str)
                    and isinstance(b.get("side", ""), str) and strings(b.get("attackers", []))
                    and strings(b.get("defenders", [])) for b in plan["battles"]))


def _control_text(body) -> str | None:
    """The first control character (but tab and newline) in any text of a body, keys
    included, or None (walked without recursion: the depth was bounded when read)."""
    from wargame.text import first_control

    stack = [body]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            found = first_control(item, newlines=True)
            if found:
                return found
        elif isinstance(item, dict):
            stack += list(item.keys()) + list(item.values())
        elif isinstance(item, list):
            stack += item
    return None


def check_published(events: list[Event], heads: list[str], sheets: list[str]) -> list[str]:
    """What is wrong with the record against what players saw posted: each head must be the
    hash of one of its events (else the record was cut or forked after the post), and each
    sheet hash must be a sheet the dice were rolled for."""
    hashes = {event.hash for event in events}
    problems = []
    for head in heads:
        matches = [h for h in hashes if h.startswith(head.lower())] if len(head) >= 16 else []
        if len(matches) != 1:
            problems.append(f"head {head} is not in this record: it was cut short or forked "
                            "after that post")
    locked = {e.body["sheet_hash"]: (e.turn, e.body["round"]) for e in events
              if e.kind == "sheet-locked"}
    seeded = {(e.turn, e.body["round"]) for e in events if e.kind == "seed"}
    for sheet in sheets:
        key = locked.get(sheet.lower())
        if key is None or key not in seeded:
            problems.append(f"sheet {sheet} is not a sheet the dice of this record were "
                            "rolled for")
    return problems


def _short(body: dict) -> str:
    text = json.dumps(body, sort_keys=True, ensure_ascii=False)
    return text if len(text) <= 160 else text[:157] + "..."


def _check_dice(theatre, body: dict, key: bytes) -> None:
    """A roll of a round this export cannot carry out (another side's orders are hidden):
    its faces are the ones the key gives for its label, and its result the table's."""
    from wargame.engine.dice import parse_dice
    from wargame.engine.verifiable import HmacFaces

    from wargame.pbp.lookup import lookup_problem, table_facts

    table = theatre.rules.tables.get(body.get("table", ""))
    if "table" in body and table is None:
        raise Failure(f'roll "{body["label"]}" names no table of the game')
    dice = table.dice if table is not None else parse_dice(body.get("dice", "1d6"))
    if body.get("faces") or table is None:  # only a table's automatic result has no die
        roll = dice.roll(HmacFaces(key, body["label"]))
        if [list(f) for f in roll.faces] != body.get("faces") or roll.total != body["total"]:
            raise Failure(f'roll "{body["label"]}" does not match its dice: re-derived '
                          f"{[list(f) for f in roll.faces]}, recorded {body.get('faces')}")
    if table is not None and "column" in body:
        problem = lookup_problem(table_facts(table), body)
        if problem:
            raise Failure(f'roll "{body["label"]}" is not read from its table: {problem}')


def _check(state: GameState, event: Event, theatre, known: bool = True) -> None:
    """The rules of the protocol, event by event; ``known`` when the position is (not in a
    side's export past its first hidden round), so that a sheet's plan can be checked."""
    body = event.body
    if crypto.redacted(body) is not None:
        # only a side's orders may be left out of an export: they are that side's secret
        if event.kind != "orders":
            raise Failure(f"the content of a {event.kind} event was left out; only orders "
                          "may be")
        return
    if state.over:
        raise Failure("an event after the game was over")
    if event.turn != state.turn or body.get("round") != state.round:
        raise Failure(f"recorded for turn {event.turn}, round {body.get('round', 0) + 1} "
                      f"while round {state.round + 1} of turn {state.turn} was in play")
    record = state.current
    phase = state.phase
    side = body.get("side")
    if side is not None and side not in state.side_ids():
        raise Failure(f'no side "{side}" in this game')
    if event.kind == "commitment":
        if phase != "orders":
            raise Failure("a commitment after the sheet was locked")
        if side in record.commitments or side in record.defaults:
            raise Failure(f"{side} committed twice in one round")
    elif event.kind == "orders":
        commitment = record.commitments.get(side)
        if phase != "orders" or side in record.orders:
            raise Failure(f"{side}'s orders revealed after the lock, or twice")
        if commitment is None or crypto.order_commitment(
                state.game_id, event.turn, body["round"], side, body["orders"],
                bytes.fromhex(body["salt"])) != commitment["orders"]:
            raise Failure(f"{side}'s orders do not match their commitment")
    elif event.kind == "default":
        if phase != "orders" or side in record.defaults or side in record.orders:
            raise Failure(f"{side} recorded as defaulted after the lock, twice, or after "
                          "revealing its orders")
    elif event.kind == "ruling":
        if phase != "orders":
            raise Failure("a ruling added after the sheet was locked")
        if body.get("kind") not in ("correct", "override") or not body.get("reason"):
            raise Failure("a ruling must be a correction or an override, with its reason")
        if body["kind"] == "correct" and body.get("unit") not in theatre.entries:
            raise Failure(f'a correction of "{body.get("unit")}", which is not in this game')
    elif event.kind == "sheet-locked":
        if phase != "orders":
            raise Failure("the sheet was locked twice")
        if not _plan_shaped(body.get("plan")):
            raise Failure("the plan on the sheet is not a plan: refused orders counted by "
                          "side, and rolls with a label (and a side, attackers and defenders)")
        if body["sheet_hash"] != sheet_hash(state.game_id, record):
            raise Failure("the sheet hash does not match the round's commitments, orders and "
                          "rulings")
        waiting = [s for s in state.side_ids() if s not in record.commitments
                   and s not in record.defaults]
        unrevealed = [s for s in record.commitments if s not in record.orders
                      and s not in record.defaults]
        if waiting or unrevealed:
            raise Failure("the sheet was locked before " + ", ".join(waiting + unrevealed)
                          + " committed and revealed, or was recorded as defaulted")
        if known and not any("redacted" in o for o in record.orders.values()):
            if body["plan"] != public_plan(_plan(state, theatre)):
                raise Failure("the plan on the sheet (refused orders, odds) is not what the "
                              "rules give")
    elif event.kind == "nonce":
        commitment = record.commitments.get(side)
        if phase != "locked" or commitment is None or side in record.nonces:
            raise Failure("a nonce revealed before the lock, twice, or never committed")
        if body["sheet"] != record.sheet_hash:
            raise Failure(f"{side}'s reveal names sheet {body['sheet'][:16]}, not the sheet "
                          "locked for the round")
        if crypto.nonce_commitment(state.game_id, event.turn, body["round"], side,
                                   bytes.fromhex(body["nonce"])) != commitment["nonce"]:
            raise Failure(f"{side}'s nonce does not match its commitment")
    elif event.kind == "forfeit":
        missing = [s for s in record.commitments if s not in record.nonces]
        if phase != "locked" or record.seed is not None or not missing:
            raise Failure("a forfeit where no committed side has withheld its nonce from a "
                          "locked sheet")
        due = forfeit_body(state, missing)
        if body != due:
            raise Failure(f"the forfeit is not what 15.4 gives: {_short(due)}")
    elif event.kind == "seed":
        if phase != "locked":
            raise Failure("the seed was revealed before the sheet was locked")
        withheld = sorted(s for s in record.commitments if s not in record.nonces)
        if withheld:
            raise Failure(f"the round was rolled without the nonce of {', '.join(withheld)}; "
                          "15.4 gives a forfeit, never a roll")
        expected = crypto.seed_index(state.turn, state.round, state.start["rounds"])
        if body["index"] != expected:
            raise Failure(f"the seed is number {body['index']} of the chain; this round's is "
                          f"{expected}")


def _plan(state: GameState, theatre) -> dict:
    from wargame.play.round import RoundInput, run_round

    record = state.current
    inputs = RoundInput(state.turn, state.round,
                        {s: record.orders_text(s) for s in state.side_ids()},
                        tuple(record.rulings))
    return plan_of(run_round(theatre, state.play, inputs, None))


def export_game(folder: Path, events: list[Event], side: str | None = None) -> dict:
    """A self-contained copy: the events and the data files they were played with. For a
    side, what it may not see is left out (the other sides' orders, and the events of the
    fog of war: see :mod:`wargame.pbp.fog`); each digest stays, so the chain still verifies
    link by link."""
    from wargame.pbp.fog import side_events

    data = folder / DATA_FOLDER
    # the exact bytes (as UTF-8 text): the hashes at game start are over bytes
    files = {path.relative_to(data).as_posix(): path.read_bytes().decode("utf-8")
             for path in sorted(data.rglob("*.toml"))}
    if side is None:
        return {"format": EXPORT_FORMAT, "events": [e.as_dict() for e in events],
                "files": files}
    return {"format": EXPORT_FORMAT, "side": side, "events": side_events(events, side),
            "files": files}


_ENVELOPE = {"seq": int, "kind": str, "turn": int, "at": str, "body": dict, "prev": str,
             "hash": str}


def export_problems(document: dict) -> list[tuple[str, str]]:
    """(key path, message) for everything an export's shape gets wrong, checked before any
    of it is used. Types are exact: a number written as a string is refused, since the
    envelope's fields are hashed as text and "5" and 5 would otherwise hash alike."""
    out = []
    events, files = document.get("events"), document.get("files")
    if "side" in document and not (isinstance(document["side"], str) and
                                   re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,63}", document["side"])):
        out.append(("side", "expected the id of the side the export is for"))
    if not isinstance(events, list) or not events:
        out.append(("events", "expected a non-empty array of events"))
        events = []
    if not isinstance(files, dict) or not all(isinstance(k, str) and isinstance(v, str)
                                              for k, v in files.items()):
        out.append(("files", "expected a table of file names and their text"))
    else:
        for name in files:
            if not _safe_file_name(name):
                out.append((f"files.{json.dumps(name)}", "expected a relative name of a .toml "
                            "file of printable characters, without '..'"))
                break
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


#: The largest export read (a long game with its data is a few MiB).
MAX_EXPORT_BYTES = 64 * 1024 * 1024
#: How deep an export's JSON may nest (an event body needs about 8 levels).
MAX_EXPORT_DEPTH = 24


def read_export(path: Path) -> dict:
    """An export file's document, checked before anything in it is used: a regular file of
    bounded size, JSON of bounded depth, the envelope of every event, and data file names
    that stay inside the export. Anything else is a DataError of one line a file."""
    from wargame.loading.bounded import load_json, read_text_bounded

    text = read_text_bounded(path, MAX_EXPORT_BYTES, "game export")
    document = load_json(text, str(path), "a wargame game export", MAX_EXPORT_DEPTH)
    if not isinstance(document, dict) or document.get("format") != EXPORT_FORMAT:
        raise DataError(f"{path}: expected a wargame game export ({EXPORT_FORMAT})")
    problems = export_problems(document)
    if problems:
        raise DataError([Problem(str(path), where, message) for where, message in problems])
    return document


def _safe_file_name(name: str) -> bool:
    """A data file name of an export: relative, forward slashes, printable, no '..'."""
    parts = name.split("/")
    return (0 < len(name) <= 200 and name.endswith(".toml")
            and all(part not in ("", ".", "..") for part in parts)
            and all(c.isprintable() and c not in "\\:" for c in name))


def _unpack_files(files: dict, folder: Path) -> None:
    for name, text in files.items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(text.encode("utf-8"))


def events_of_export(path: Path) -> tuple[list[Event], Verdict]:
    """The events of an exported game file, and its verdict."""
    document = read_export(path)
    events = [Event(**e) for e in document["events"]]
    with tempfile.TemporaryDirectory() as temp:
        _unpack_files(document["files"], Path(temp))
        return events, verify_events(events, Path(temp), document.get("side"))


class ExportedGame:
    """A verified export, read like a game folder (for `game stats` on an export)."""

    def __init__(self, path: Path):
        document = read_export(path)
        self._events = [Event(**e) for e in document["events"]]
        self._folder = tempfile.TemporaryDirectory()
        _unpack_files(document["files"], Path(self._folder.name))
        verdict = verify_events(self._events, Path(self._folder.name), document.get("side"))
        if not verdict.ok:
            raise DataError(f"{path}: does not verify ({verdict.describe()})")
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

    def theatre(self):
        from wargame.play.theatre import Theatre

        start = self.state().start
        return Theatre.of(self.session(), start["scenario"], start["options"])


def commitment_recorded(events: list[Event], posted: str, side: str | None = None) -> str:
    """What the record says of an orders commitment a player posted: whose it is and for
    which round, or that it is not there (the umpire recorded another in the player's
    name). Returns (ok, text)."""
    posted = posted.strip().lower()
    for event in events:
        if event.kind == "commitment" and event.body.get("orders") == posted:
            owner = event.body["side"]
            text = (f"commitment {posted[:16]} is recorded for {owner}, turn {event.turn}, "
                    f"round {event.body['round'] + 1}")
            if side is not None and owner != side:
                return f"NOT YOURS: {text}, not for {side}"
            return text
    return (f"NOT RECORDED: the commitment {posted[:16]} you posted is not in the record: "
            "another was recorded for your side, or none")


def reveal_used(events: list[Event], line: str) -> str | None:
    """None when a posted reveal line is in the record for its round and sheet; otherwise
    what is wrong (the umpire ignored it)."""
    from wargame.pbp.messages import read_messages

    try:
        message = read_messages(line)[0]
    except (IndexError, DataError):
        return f'"{line[:40]}" is not a reveal line from `wargame game reveal --make`'
    fields = message.fields
    round_ = message.round - 1
    for event in events:
        if event.kind == "nonce" and event.turn == message.turn and \
                event.body.get("round") == round_ and event.body.get("side") == message.side:
            if event.body.get("nonce") == fields.get("nonce") and \
                    event.body.get("sheet") == fields.get("sheet"):
                return None
            return (f"{message.side}'s recorded reveal for round {message.round} of turn "
                    f"{message.turn} is not the one posted")
    for event in events:
        if event.turn == message.turn and event.body.get("round") == round_ and \
                event.kind in ("seed", "forfeit"):
            outcome = "the round was resolved" if event.kind == "seed" else \
                "the umpire recorded a forfeit"
            return (f"{message.side}'s posted reveal for round {message.round} of turn "
                    f"{message.turn} was not used: {outcome} without it")
    return None  # not resolved yet: nothing to check
