"""A play-by-post game: its folder, its state (replayed from the record), and the players'
and the umpire's actions, each checked before it becomes an event.

A game turn is played in order rounds (the first player's, then the second's). In each
round every side commits to its orders and a nonce, reveals its orders at the deadline, the
umpire locks the round's sheet (the orders, checked, and any correction or override of his
on the record), the players reveal their nonces, and the umpire resolves: the rules of play
(wargame.play) carry the orders out, with dice derived from the round's seed, the sheet and
every nonce. The game ends after its last turn, or at sudden death, with a game-over event
naming the winner.

Folder layout: ``game.sqlite`` (the record), ``data/`` (a snapshot of the game's units and
rules taken at the start, hashed into the first event, so nothing can change under a
running game) and ``umpire-secret.json`` (the seed chain's secret end; never share it).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import shutil
import time
from pathlib import Path

from wargame import __version__
from wargame.errors import DataError, UsageError
from wargame.pbp import crypto
from wargame.pbp.record import Event, Record, create_record, open_record
from wargame.pbp.state import GameState, apply_event

SECRET_FILE = "umpire-secret.json"
DATA_FOLDER = "data"
LOCK_FILE = "game.lock"
BUSY_SECONDS = 30.0  # how long a writer waits for another before saying the game is busy


def writes(method):
    """A command that writes: it holds the game's one writer lock from its first read to its
    last write, so no other command can interleave (two `resolve`s, or `resolve` while a
    ruling is made, queue instead of forking the record)."""
    @functools.wraps(method)
    def locked(self, *args, **kwargs):
        with self.writing():
            return method(self, *args, **kwargs)

    return locked


def canonical_orders(text: str) -> str:
    """Orders as committed: lines without trailing spaces, no blank lines at the ends, LF
    line ends (so a file saved on any system commits to the same bytes)."""
    from wargame.text import control_problem

    canonical = "\n".join(line.rstrip() for line in text.splitlines()).strip("\n")
    for number, line in enumerate(canonical.split("\n"), start=1):
        problem = control_problem(line.replace("\t", " "))
        if problem:
            raise UsageError(f"orders, line {number}: {problem} (it could disguise what a "
                             "terminal, a post or a page shows)")
    return canonical


def _printable(text: str, what: str) -> None:
    """Refuse text with control characters: it would reach every post and terminal."""
    from wargame.text import control_problem

    problem = control_problem(str(text))
    if problem:
        raise UsageError(f"{what}: {problem}")


def sheet_hash(game: str, record) -> str:
    """The hash of a round's sheet: the commitments, the revealed orders, the defaults and
    the umpire's rulings, everything the round will be carried out from."""
    content = {"commitments": {s: [c["orders"], c["nonce"]]
                               for s, c in sorted(record.commitments.items())},
               "orders": {s: crypto.body_digest(o) if "orders" in o else o["redacted"]
                          for s, o in sorted(record.orders.items())},
               "defaults": dict(sorted(record.defaults.items())),
               "rulings": record.rulings}
    return crypto.hexdigest("sheet", crypto.PROTOCOL, game, record.turn, record.round,
                            crypto.canonical(content))


def hash_tree(folder: Path) -> dict[str, str]:
    """SHA-256 of every file below ``folder``, by relative path."""
    return {path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*.toml"))}


class Game:
    """A game folder, opened for reading or for the umpire's and players' actions."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.record: Record = open_record(folder)
        self._state: GameState | None = None
        self._seen = 0
        self._session = None
        self._theatre = None
        self._lock_depth = 0

    @contextlib.contextmanager
    def writing(self):
        """Hold the game's writer lock (an exclusive flock on ``game.lock``; re-entrant)."""
        import fcntl

        if self._lock_depth:
            self._lock_depth += 1
            try:
                yield
            finally:
                self._lock_depth -= 1
            return
        fd = os.open(self.folder / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            deadline = time.monotonic() + BUSY_SECONDS
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise UsageError(f"{self.folder}: the game is busy (another command "
                                         "is writing it); try again") from None
                    time.sleep(0.005)
            self._lock_depth = 1
            try:
                yield
            finally:
                self._lock_depth = 0
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)

    def close(self) -> None:
        """Close the record (its last writes checkpointed into ``game.sqlite`` itself)."""
        self.record.close()

    def __enter__(self) -> "Game":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ---- reading ----------------------------------------------------------------------------

    def events(self) -> list[Event]:
        return self.record.events()

    def state(self) -> GameState:
        """The current state: replayed once, then brought up to date with new events only."""
        for event in self.record.events(after=self._seen):
            self._state = apply_event(self._state, event)
            self._seen = event.seq
        if self._state is None:
            raise DataError(f"{self.record.path}: the game record is empty")
        return self._state

    def session(self):
        """The game's own data snapshot, loaded like any game folder (once per Game)."""
        if self._session is None:
            self._session, self._theatre = _loaded(self.folder / DATA_FOLDER, None)
        return self._session

    def theatre(self):
        """The scenario, options, units, tables, rules of play and map of this game."""
        if self._theatre is None:
            start = self.state().start
            self._session, self._theatre = _loaded(self.folder / DATA_FOLDER, start)
        return self._theatre

    # ---- starting ---------------------------------------------------------------------------

    @staticmethod
    def new(session, scenario_name: str, folder: Path, players: dict[str, str],
            options: tuple[str, ...] = ()) -> "Game":
        """Start a game of a scenario in a new folder; returns the opened game."""
        import secrets  # only when a game starts: reading commands skip it

        from wargame.play.round import rounds_of
        from wargame.play.setup import SetupError, initial_position
        from wargame.play.theatre import Theatre

        scenario = session.scenario(scenario_name)
        if (folder / "game.sqlite").exists():
            raise UsageError(f"{folder} already holds a game")
        for side, name in players.items():
            _printable(name, f"--player {side}")
            if side not in [s.id for s in scenario.sides]:
                raise UsageError(f'--player: no side "{side}" in {scenario.id} (sides: '
                                 + ", ".join(s.id for s in scenario.sides) + ")")
        theatre = Theatre.of(session, scenario.id, options)
        if theatre.map is None:
            raise UsageError(f"scenario {scenario.id} has no map: a game by post is played "
                             "on the scenario's map")
        try:
            position = initial_position(theatre)
        except SetupError as exc:
            raise UsageError(f"{scenario.id}: setup[{exc.index}]: {exc.case}: {exc.message}") \
                from None
        rounds = len(rounds_of(theatre.play))
        folder.mkdir(parents=True, exist_ok=True)
        data = folder / DATA_FOLDER
        for part in ("units", "rules"):
            shutil.copytree(session.root / part, data / part,
                            ignore=shutil.ignore_patterns("*.json"), dirs_exist_ok=False)
        series = session.root / "print" / "series-rules.toml"
        if series.is_file():
            (data / "print").mkdir()
            shutil.copyfile(series, data / "print" / "series-rules.toml")
        length = scenario.turns * rounds
        secret = secrets.token_bytes(32)
        chain = crypto.chain_from(secret, length)
        secret_path = folder / SECRET_FILE
        descriptor = os.open(secret_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            json.dump({"secret": secret.hex(), "length": length}, handle)
        record = create_record(folder)
        record.append("game-start", 0, {
            "protocol": crypto.PROTOCOL, "tool": f"wargame {__version__}",
            "game": secrets.token_hex(6), "scenario": scenario.id, "name": scenario.name,
            "turns": scenario.turns, "rounds": rounds, "chain_length": length,
            "anchor": chain[0].hex(), "files": hash_tree(data),
            "options": sorted(theatre.options),
            "sides": [{"id": s.id, "name": s.name, "factions": list(s.factions),
                       "player": players.get(s.id, "")} for s in scenario.sides],
            "first_player": scenario.first_player,
            "pieces": [p.as_record() for p in position.pieces.values()],
            "control": position.control_record(),
        })
        record.close()
        return Game(folder)

    # ---- guards -----------------------------------------------------------------------------

    def _side(self, state: GameState, side: str) -> str:
        if side not in state.side_ids():
            raise UsageError(f'no side "{side}" in this game (sides: '
                             + ", ".join(state.side_ids()) + ")")
        return side

    @staticmethod
    def _round(state: GameState, turn: int | None, round_: int | None) -> None:
        if state.over:
            raise UsageError(f"the game is over ({_verdict_text(state.over)}): the record "
                             "takes nothing more")
        if turn is not None and turn != state.turn:
            raise UsageError(f"this is turn {state.turn}, not turn {turn}")
        if round_ is not None and round_ != state.round + 1:
            raise UsageError(f"this is round {state.round + 1} of turn {state.turn}, not "
                             f"round {round_}")

    def _append_all(self, items: list[tuple[str, dict]], guard) -> list[Event]:
        """Append several events as one transaction, after ``guard(state)`` inside it."""
        if not self._lock_depth:  # every writing command is decorated with @writes
            raise RuntimeError("a write to the game record without the game's writer lock")
        turn = {}

        def check():
            state = self.state()  # up to date: nothing can be written while we hold the lock
            guard(state)
            turn["now"] = state.turn

        guard(self.state())
        return self.record.append_all(items, None, check, turn_of=lambda: turn["now"])

    def _append(self, kind: str, body: dict, guard) -> Event:
        return self._append_all([(kind, body)], guard)[0]

    # ---- players' commitments and orders -----------------------------------------------------

    @writes
    def commit(self, side: str, orders_commitment: str, nonce_commitment: str,
               turn: int | None = None, round_: int | None = None) -> Event:
        for name, value in (("orders", orders_commitment), ("nonce", nonce_commitment)):
            if len(value) != 64 or any(c not in "0123456789abcdef" for c in value):
                raise UsageError(f"--{name}-commitment: expected 64 lowercase hex digits (a "
                                 f"SHA-256), found \"{value}\"")

        def guard(state):
            self._side(state, side)
            self._round(state, turn, round_)
            if state.phase != "orders":
                raise UsageError(f"round {state.round + 1} of turn {state.turn} is locked: "
                                 "commitments are closed")
            current = state.current
            if side in current.commitments or side in current.defaults:
                raise UsageError(f'side "{side}" has already committed (or defaulted) for '
                                 f"round {state.round + 1} of turn {state.turn}")

        state = self.state()
        return self._append("commitment", {"side": side, "round": state.round,
                                           "orders": orders_commitment,
                                           "nonce": nonce_commitment}, guard)

    @writes
    def reveal_orders(self, side: str, orders: str, salt_hex: str, turn: int | None = None,
                      round_: int | None = None) -> Event:
        salt = _hex(salt_hex, "--salt")
        orders = canonical_orders(orders)

        def guard(state):
            self._side(state, side)
            self._round(state, turn, round_)
            if state.phase != "orders":
                raise UsageError("the sheet is locked: orders were due before it")
            commitment = state.current.commitments.get(side)
            if commitment is None:
                raise UsageError(f'side "{side}" posted no commitment for round '
                                 f"{state.round + 1} of turn {state.turn}")
            if side in state.current.orders:
                raise UsageError(f'side "{side}" has already revealed its orders')
            expected = crypto.order_commitment(state.game_id, state.turn, state.round, side,
                                               orders, salt)
            if expected != commitment["orders"]:
                raise UsageError("these orders and salt do not match the commitment posted "
                                 f"for {side} (the orders were changed, or the salt is wrong)")

        state = self.state()
        return self._append("orders", {"side": side, "round": state.round, "orders": orders,
                                       "salt": salt_hex}, guard)

    @writes
    def reveal_nonce(self, side: str, nonce_hex: str, sheet: str, turn: int | None = None,
                     round_: int | None = None) -> Event:
        """Record a player's reveal: the nonce, and the hash of the locked sheet the player
        saw posted. A reveal for any other sheet (a second lock, a copy of the game locked
        again) is refused, so the umpire cannot re-lock once nonces are known."""
        nonce = _hex(nonce_hex, "--nonce")

        def guard(state):
            self._side(state, side)
            self._round(state, turn, round_)
            current = state.current
            if state.phase != "locked":
                raise UsageError("nonces are revealed after the umpire locks the sheet "
                                 f"(round {state.round + 1} of turn {state.turn} is taking "
                                 "orders)")
            if sheet != current.sheet_hash:
                raise UsageError(f"this reveal is for sheet {sheet[:16]}, but the sheet "
                                 f"locked for this round is {current.sheet_hash[:16]}: a "
                                 "reveal binds to the sheet its player saw")
            commitment = current.commitments.get(side)
            if commitment is None:
                raise UsageError(f'side "{side}" committed no nonce for this round')
            if side in current.nonces:
                raise UsageError(f'side "{side}" has already revealed its nonce')
            if crypto.nonce_commitment(state.game_id, state.turn, state.round, side,
                                       nonce) != commitment["nonce"]:
                raise UsageError(f"this nonce does not match {side}'s commitment")

        state = self.state()
        return self._append("nonce", {"side": side, "round": state.round, "nonce": nonce_hex,
                                      "sheet": sheet}, guard)

    @writes
    def default(self, side: str, reason: str) -> Event:
        """Record that a side did not commit this round (the deadline passed): it plays no
        orders this round, and everyone sees that it did not."""
        _printable(reason, "the reason")
        def guard(state):
            self._side(state, side)
            self._round(state, None, None)
            if state.phase != "orders":
                raise UsageError("the sheet is locked already")
            if side in state.current.commitments:
                raise UsageError(f'side "{side}" has committed for this round')
            if side in state.current.defaults:
                raise UsageError(f'side "{side}" is already recorded as defaulted')

        state = self.state()
        return self._append("default", {"side": side, "round": state.round,
                                        "reason": reason}, guard)

    def take_messages(self, messages) -> list[str]:
        """Record what players posted or sent (commitments, orders, reveals) that belongs to
        this round and is not recorded yet; returns a line for each."""
        out = []
        for message in messages:
            state = self.state()
            if message.game != state.game_id:
                out.append(f"skipped a {message.kind} for another game ({message.game})")
                continue
            if (message.turn, message.round - 1) != (state.turn, state.round):
                continue  # an earlier round's post quoted in the thread
            current = state.current
            side = message.side
            if message.kind == "commit":
                if side in current.commitments:
                    continue
                self.commit(side, message.fields.get("orders", ""),
                            message.fields.get("nonce", ""), message.turn, message.round)
                out.append(f"{side}: commitments recorded")
            elif message.kind == "orders":
                if side in current.orders:
                    continue
                if side not in current.commitments:
                    raise UsageError(f"{side}'s orders came before its commitment was "
                                     "recorded: add the commit line it posted")
                self.reveal_orders(side, message.text, message.fields.get("salt", ""),
                                   message.turn, message.round)
                out.append(f"{side}: orders revealed and checked against the commitment")
            elif message.kind == "reveal":
                if side in current.nonces or state.phase != "locked":
                    continue
                sheet = message.fields.get("sheet", "")
                self.reveal_nonce(side, message.fields.get("nonce", ""), sheet, message.turn,
                                  message.round)
                out.append(f"{side}: nonce revealed for sheet {sheet[:16]}")
        return out

    # ---- the umpire's rulings -----------------------------------------------------------------

    @writes
    def rule(self, ruling: dict) -> Event:
        """Put a judgement call on this round's sheet: a correction of a unit, or an order
        let stand against the rules. It is on the sheet before any die, and posted."""
        theatre = self.theatre()
        kind = ruling.get("kind")
        if not ruling.get("reason"):
            raise UsageError("a ruling needs its reason (--reason), which every post shows")
        _printable(ruling["reason"], "--reason")
        if kind == "correct":
            unit = ruling.get("unit")
            if unit not in theatre.entries:
                raise UsageError(f'no unit "{unit}" in this game')
        elif kind == "override":
            if ruling.get("side") not in theatre.sides():
                raise UsageError(f'--override: no side "{ruling.get("side")}"')
        else:
            raise UsageError(f'unknown ruling "{kind}"')

        def guard(state):
            self._round(state, None, None)
            if state.phase != "orders":
                raise UsageError("the sheet is locked: a ruling goes on the next round's sheet")

        state = self.state()
        return self._append("ruling", {**ruling, "round": state.round}, guard)

    # ---- lock and resolve ---------------------------------------------------------------------

    def plan(self, state: GameState | None = None) -> dict:
        """The round as it would be carried out if nothing were left to chance: every order
        checked (refusals with their case), every attack with its odds."""
        from wargame.play.round import RoundInput, run_round

        state = state or self.state()
        current = state.current
        inputs = RoundInput(state.turn, state.round,
                            {side: current.orders_text(side) for side in state.side_ids()},
                            tuple(current.rulings))
        run = run_round(self.theatre(), state.play, inputs, None)
        return plan_of(run)

    @writes
    def lock(self, deadline_passed: bool = False) -> Event:
        """Lock the round's sheet. Sides that did not commit, or committed but did not reveal
        their orders, are waited for, or with ``deadline_passed`` recorded as defaulted."""
        state = self.state()
        self._round(state, None, None)
        if state.phase != "orders":
            raise UsageError("this round's sheet is already locked")
        current = state.current
        missing = [s for s in state.side_ids() if s not in current.commitments
                   and s not in current.defaults]
        unrevealed = [s for s in current.commitments if s not in current.orders]
        if (missing or unrevealed) and not deadline_passed:
            parts = []
            if missing:
                parts.append("the commitments of " + ", ".join(missing))
            if unrevealed:
                parts.append("the orders of " + ", ".join(unrevealed))
            raise UsageError("waiting for " + " and ".join(parts) + "; after the deadline, "
                             "lock with --deadline-passed (they play no orders this round)")
        for side in missing:
            self.default(side, "no commitment by the deadline")
        for side in unrevealed:
            self._append("default", {"side": side, "round": state.round,
                                     "reason": "orders not revealed by the deadline"},
                         lambda s: None)
        state = self.state()
        body = {"round": state.round, "sheet_hash": sheet_hash(state.game_id, state.current),
                "plan": public_plan(self.plan(state))}

        def guard(now):
            self._round(now, None, None)
            if now.phase != "orders":
                raise UsageError("this round's sheet is already locked")
            if sheet_hash(now.game_id, now.current) != body["sheet_hash"]:
                raise UsageError("the sheet changed while it was locked; lock again")

        return self._append("sheet-locked", body, guard)

    @writes
    def resolve(self, deadline_passed: bool = False) -> list[Event]:
        """Reveal the round's seed and carry the round out: every order, every roll, every
        result, the supply and victory checks that fall in it. One transaction: an
        interrupted resolution leaves nothing, and running it again gives the same events."""
        from wargame.engine.verifiable import HmacFaces
        from wargame.play.round import RoundInput, run_round

        state = self.state()
        self._round(state, None, None)
        current = state.current
        if current.sheet_hash is None:
            raise UsageError(f"round {state.round + 1} of turn {state.turn} is not locked yet: "
                             "lock it first")
        missing = [side for side in current.commitments if side not in current.nonces]
        if missing and not deadline_passed:
            raise UsageError("waiting for the nonces of " + ", ".join(missing) + "; after the "
                             "deadline, resolve with --deadline-passed (15.4: a side that "
                             "withholds its nonce forfeits the game)")
        if missing:
            return [self._forfeit(state, missing)]
        index = crypto.seed_index(state.turn, state.round, state.start["rounds"])
        seed = self._seed(index)
        key = round_key(state, current, seed)
        inputs = RoundInput(state.turn, state.round,
                            {side: current.orders_text(side) for side in state.side_ids()},
                            tuple(current.rulings))
        run = run_round(self.theatre(), state.play, inputs,
                        lambda label: HmacFaces(key, label))
        turn, round_ = state.turn, state.round

        def guard(now):
            if (now.turn, now.round) != (turn, round_) or now.current.seed is not None:
                raise UsageError("another command resolved this round meanwhile")

        items = [("seed", {"round": round_, "index": index, "seed": seed.hex()})] + run.events
        return self._append_all(items, guard)

    def _forfeit(self, state: GameState, missing: list[str]) -> Event:
        """15.4: the round is never rolled without a nonce (else a side that saw the dice
        coming, or an umpire it told, could choose between two rolls); the withholding side
        loses the game instead."""
        body = forfeit_body(state, missing)
        turn, round_ = state.turn, state.round

        def guard(now):
            if (now.turn, now.round) != (turn, round_) or now.current.seed is not None \
                    or now.over:
                raise UsageError("another command resolved this round meanwhile")

        return self._append("forfeit", body, guard)

    def _seed(self, index: int) -> bytes:
        path = self.folder / SECRET_FILE
        try:
            secret = json.loads(path.read_text(encoding="utf-8"))
            chain = crypto.chain_from(bytes.fromhex(secret["secret"]), secret["length"])
        except (OSError, ValueError, KeyError) as exc:
            raise DataError(f"{path}: the umpire's secret is missing or damaged ({exc}); only "
                            "the umpire's copy of the game can resolve rounds") from None
        if index >= len(chain):
            raise UsageError(f"the seed chain ends at round {len(chain) - 1}")
        return chain[index]


#: Data snapshots loaded in this process, by folder: (the files' hashes, session, theatre).
#: The hashes are taken again on every use, so an edited snapshot is loaded afresh.
_LOADED: dict = {}


def _loaded(data: Path, start: dict | None):
    from wargame.loading.session import Session
    from wargame.play.theatre import Theatre

    tree = hash_tree(data)
    key = str(data.resolve())
    known = _LOADED.get(key)
    if known is None or known[0] != tree:
        known = (tree, Session(str(data)), {})
        _LOADED.clear()
        _LOADED[key] = known
    _, session, theatres = known
    if start is None:
        return session, None
    wanted = (start["scenario"], tuple(start["options"]))
    if wanted not in theatres:
        theatres[wanted] = Theatre.of(session, *wanted)
    return session, theatres[wanted]


def round_key(state: GameState, record, seed: bytes) -> bytes:
    """The round's dice key from its seed, its locked sheet and the revealed nonces."""
    nonces = {side: bytes.fromhex(record.nonces.get(side, "")) for side in record.commitments}
    return crypto.round_key(seed, state.game_id, record.turn, record.round, record.sheet_hash,
                            nonces)


def plan_of(run) -> dict:
    """What a dry run of a round says: refused orders and the odds of every attack."""
    refused = [body for kind, body in run.events if kind == "refused"]
    return {"refused": refused, "battles": run.previews}


def forfeit_body(state: GameState, missing: list[str]) -> dict:
    """The forfeit of the sides that withheld their nonces (15.4): the one side left wins; if
    none or several are left, no one does."""
    left = [s for s in state.side_ids() if s not in missing]
    winner = left[0] if len(left) == 1 else ""
    return {"round": state.round, "sides": sorted(missing), "winner": winner,
            "reason": f"{' and '.join(sorted(missing))} did not reveal the nonce for the "
                      "locked sheet by the deadline (15.4)"}


def public_plan(plan: dict) -> dict:
    """The plan as the sheet records it: every attack with its odds (both sides learn of an
    attack at the lock), but of the refused orders only how many each side has; their text
    would show one side's orders to the other in its export."""
    counts: dict[str, int] = {}
    for body in plan["refused"]:
        counts[body["side"]] = counts.get(body["side"], 0) + 1
    return {"refused": dict(sorted(counts.items())), "battles": plan["battles"]}


def _verdict_text(verdict: dict) -> str:
    if verdict.get("level") == "forfeit":
        return f"{verdict['side'] or 'no one'} wins by forfeit"
    if not verdict.get("side"):
        return "a draw"
    return f"{verdict['side']} {verdict['level']} victory"


def _hex(value: str, option: str) -> bytes:
    try:
        data = bytes.fromhex(value)
    except ValueError:
        raise UsageError(f'{option}: expected hex digits, found "{value}"') from None
    if not 8 <= len(data) <= 64:
        raise UsageError(f"{option}: expected 8 to 64 bytes of hex, found {len(data)}")
    return data
