"""A play-by-post game: its folder, its state (replayed from the record), and the umpire's
and players' actions, each checked before it becomes an event.

Folder layout: ``game.sqlite`` (the record), ``data/`` (a snapshot of the game's units and
rules taken at the start, hashed into the first event, so the tables cannot change under a
running game) and ``umpire-secret.json`` (the seed chain's secret end; never share it).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import secrets
import shutil
import time
from fractions import Fraction
from pathlib import Path

import attrs

from wargame import __version__
from wargame.errors import DataError, UsageError
from wargame.pbp import crypto
from wargame.pbp.record import Event, Record, create_record, open_record

SECRET_FILE = "umpire-secret.json"
DATA_FOLDER = "data"
SPARE_TURNS = 20  # the seed chain outlasts the scenario, for extra turns by agreement
LOCK_FILE = "game.lock"
BUSY_SECONDS = 30.0  # how long a writer waits for another before saying the game is busy


def writes(method):
    """A command that writes: it holds the game's one writer lock from its first read to its
    last write, so no other command can interleave (two `resolve`s, or `resolve` while a
    correction is made, queue instead of forking the record)."""
    @functools.wraps(method)
    def locked(self, *args, **kwargs):
        with self.writing():
            return method(self, *args, **kwargs)

    return locked


@attrs.define
class UnitState:
    side: str
    area: str
    steps: int
    status: list[str] = attrs.field(factory=list)
    hex: str = ""  # on the map, or "" in a holding box

    @property
    def alive(self) -> bool:
        return self.steps > 0


@attrs.define
class TurnState:
    commitments: dict[str, dict] = attrs.field(factory=dict)
    orders: dict[str, dict] = attrs.field(factory=dict)
    rulings: list[dict] = attrs.field(factory=list)
    sheet_hash: str | None = None
    nonces: dict[str, str] = attrs.field(factory=dict)
    seed: str | None = None
    rolls: dict[str, dict] = attrs.field(factory=dict)
    voided: dict[str, str] = attrs.field(factory=dict)
    defaults: dict[str, str] = attrs.field(factory=dict)  # side -> why it did not commit
    changes: dict[str, list[dict]] = attrs.field(factory=dict)  # roll label -> unit changes


@attrs.define
class GameState:
    """Everything the events say, applied in order by :func:`apply_event`."""

    start: dict
    turn: int = 1
    units: dict[str, UnitState] = attrs.field(factory=dict)
    turns: dict[int, TurnState] = attrs.field(factory=dict)
    head: str = crypto.GENESIS
    count: int = 0

    @property
    def game_id(self) -> str:
        return self.start["game"]

    @property
    def current(self) -> TurnState:
        return self.turns.setdefault(self.turn, TurnState())

    @property
    def phase(self) -> str:
        current = self.current
        if current.seed is not None:
            return "resolving"
        return "locked" if current.sheet_hash else "orders"

    def side_ids(self) -> list[str]:
        return [side["id"] for side in self.start["sides"]]


def apply_event(state: GameState | None, event: Event) -> GameState:
    """The state after one more event (the state is updated in place and returned)."""
    body = event.body
    if event.kind == "game-start":
        state = GameState(start=body)
        for unit in body["units"]:
            state.units[unit["id"]] = UnitState(unit["side"], unit["area"], unit["steps"],
                                                hex=unit.get("hex", ""))
    elif state is None:
        raise DataError("the game record does not begin with a game-start event")
    else:
        turn = state.turns.setdefault(event.turn, TurnState())
        if event.kind == "commitment":
            turn.commitments[body["side"]] = body
        elif event.kind == "orders":
            turn.orders[body["side"]] = body
        elif event.kind == "ruling":
            turn.rulings.append(body)
        elif event.kind == "sheet-locked":
            turn.sheet_hash = body["sheet_hash"]
        elif event.kind == "nonce":
            turn.nonces[body["side"]] = body["nonce"]
        elif event.kind == "turn-seed":
            turn.seed = body["seed"]
        elif event.kind == "roll":
            turn.rolls[body["label"]] = body
        elif event.kind == "default":
            turn.defaults[body["side"]] = body["reason"]
        elif event.kind == "void":
            # the void belongs with the roll it voids, whatever turn it was recorded in
            rolled_in = next((t for t in state.turns.values() if body["label"] in t.rolls),
                             turn)
            rolled_in.voided[body["label"]] = body["reason"]
        elif event.kind == "unit-change":
            if body.get("label"):
                turn.changes.setdefault(body["label"], []).append(body)
            unit = state.units[body["unit"]]
            unit.steps = body["steps"]
            unit.area = body.get("area", unit.area)
            unit.hex = body.get("hex", unit.hex)
            unit.status = list(body.get("status", unit.status))
        elif event.kind == "move":
            unit = state.units[body["unit"]]
            unit.hex, unit.area = body["to"], body["area"]
        elif event.kind == "turn-end":
            state.turn = event.turn + 1
    state.head = event.hash
    state.count += 1
    return state


def sheet_hash(game: str, turn: int, rulings: list[dict]) -> str:
    """The hash of a turn's rulings sheet, in resolution order."""
    return crypto.hexdigest("sheet", crypto.PROTOCOL, game, turn, crypto.canonical(rulings))


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
        from wargame.loading.session import Session

        if self._session is None:
            self._session = Session(str(self.folder / DATA_FOLDER))
        return self._session

    # ---- starting ---------------------------------------------------------------------------

    @staticmethod
    def new(session, scenario_name: str, folder: Path, players: dict[str, str]) -> "Game":
        """Start a game of a scenario in a new folder; returns the opened game."""
        scenario = session.scenario(scenario_name)
        if (folder / "game.sqlite").exists():
            raise UsageError(f"{folder} already holds a game")
        for side in players:
            if side not in [s.id for s in scenario.sides]:
                raise UsageError(f'--player: no side "{side}" in {scenario.id} (sides: '
                                 + ", ".join(s.id for s in scenario.sides) + ")")
        folder.mkdir(parents=True, exist_ok=True)
        data = folder / DATA_FOLDER
        for part in ("units", "rules"):
            shutil.copytree(session.root / part, data / part,
                            ignore=shutil.ignore_patterns("*.json"), dirs_exist_ok=False)
        length = scenario.turns + SPARE_TURNS
        secret = secrets.token_bytes(32)
        chain = crypto.chain_from(secret, length)
        secret_path = folder / SECRET_FILE
        descriptor = os.open(secret_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            json.dump({"secret": secret.hex(), "length": length}, handle)
        catalog = session.catalog
        game_map = session.maps.get(scenario.map) if scenario.map else None
        units = []
        for entry in scenario.setup:
            unit = catalog.units[entry.unit]
            side = scenario.side_of(unit.faction)
            steps = unit.steps - (1 if entry.reduced else 0)
            # units at start stand on their zone's hex (or the one the set-up names)
            hex_ = ""
            if game_map is not None and entry.turn == 0 and entry.area in game_map.zones:
                from wargame.maps.hexgrid import hex_id

                hex_ = entry.hex or hex_id(game_map.anchor_hex(entry.area))
            units.append({"id": unit.id, "side": side.id, "area": entry.area,
                          "steps": steps, "arrives": entry.turn, "hex": hex_})
        record = create_record(folder)
        record.append("game-start", 0, {
            "protocol": crypto.PROTOCOL, "tool": f"wargame {__version__}",
            "game": secrets.token_hex(6), "scenario": scenario.id, "name": scenario.name,
            "turns": scenario.turns, "chain_length": length, "anchor": chain[0].hex(),
            "files": hash_tree(data),
            "sides": [{"id": s.id, "name": s.name, "factions": list(s.factions),
                       "player": players.get(s.id, "")} for s in scenario.sides],
            "units": units,
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
    def _turn(state: GameState, turn: int | None) -> int:
        if turn is not None and turn != state.turn:
            raise UsageError(f"this is turn {state.turn}, not turn {turn}")
        return state.turn

    def _append(self, kind: str, body: dict, guard) -> Event:
        """Append after re-checking ``guard(state)`` inside the write transaction."""
        return self._append_all([(kind, body)], guard)[0]

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

    # ---- players' commitments and orders -----------------------------------------------------

    @writes
    def commit(self, side: str, orders_commitment: str, nonce_commitment: str,
               turn: int | None = None) -> Event:
        for name, value in (("orders", orders_commitment), ("nonce", nonce_commitment)):
            if len(value) != 64 or any(c not in "0123456789abcdef" for c in value):
                raise UsageError(f"--{name}-commitment: expected 64 lowercase hex digits (a "
                                 f"SHA-256), found \"{value}\"")

        def guard(state):
            self._side(state, side)
            self._turn(state, turn)
            if state.phase != "orders":
                raise UsageError(f"turn {state.turn}'s sheet is locked: commitments are closed")
            if side in state.current.commitments:
                raise UsageError(f'side "{side}" has already committed for turn {state.turn}')

        return self._append("commitment", {"side": side, "orders": orders_commitment,
                                           "nonce": nonce_commitment}, guard)

    @writes
    def reveal_orders(self, side: str, orders: str, salt_hex: str,
                      turn: int | None = None) -> Event:
        salt = _hex(salt_hex, "--salt")

        def guard(state):
            self._side(state, side)
            self._turn(state, turn)
            commitment = state.current.commitments.get(side)
            if commitment is None:
                raise UsageError(f'side "{side}" posted no commitment for turn {state.turn}')
            if side in state.current.orders:
                raise UsageError(f'side "{side}" has already revealed its orders')
            expected = crypto.order_commitment(state.game_id, state.turn, side, orders, salt)
            if expected != commitment["orders"]:
                raise UsageError("these orders and salt do not match the commitment posted "
                                 f"for {side} (the orders were changed, or the salt is wrong)")

        return self._append("orders", {"side": side, "orders": orders, "salt": salt_hex},
                            guard)

    @writes
    def reveal_nonce(self, side: str, nonce_hex: str, sheet: str,
                     turn: int | None = None) -> Event:
        """Record a player's reveal: the nonce, and the hash of the locked sheet the player
        saw posted. A reveal for any other sheet (a second lock, a copy of the game locked
        again) is refused, so the umpire cannot re-lock once nonces are known."""
        nonce = _hex(nonce_hex, "--nonce")

        def guard(state):
            self._side(state, side)
            self._turn(state, turn)
            if state.phase != "locked":
                raise UsageError("nonces are revealed after the umpire locks the rulings "
                                 f"sheet (turn {state.turn} is in phase {state.phase})")
            if sheet != state.current.sheet_hash:
                raise UsageError(f"this reveal is for sheet {sheet[:16]}, but the sheet "
                                 f"locked for turn {state.turn} is "
                                 f"{state.current.sheet_hash[:16]}: a reveal binds to the sheet "
                                 "its player saw")
            commitment = state.current.commitments.get(side)
            if commitment is None:
                raise UsageError(f'side "{side}" committed no nonce for turn {state.turn}')
            if side in state.current.nonces:
                raise UsageError(f'side "{side}" has already revealed its nonce')
            if crypto.nonce_commitment(state.game_id, state.turn, side, nonce) != \
                    commitment["nonce"]:
                raise UsageError(f"this nonce does not match {side}'s commitment")

        return self._append("nonce", {"side": side, "nonce": nonce_hex, "sheet": sheet},
                            guard)

    @writes
    def default(self, side: str, reason: str) -> Event:
        """Record that a side did not commit this turn (the deadline passed): the turn can
        then be locked without it, and everyone sees that it was."""
        def guard(state):
            self._side(state, side)
            if state.phase != "orders":
                raise UsageError(f"turn {state.turn}'s sheet is locked already")
            if side in state.current.commitments:
                raise UsageError(f'side "{side}" has committed for turn {state.turn}')
            if side in state.current.defaults:
                raise UsageError(f'side "{side}" is already recorded as defaulted')

        return self._append("default", {"side": side, "reason": reason}, guard)

    # ---- the umpire's rulings -----------------------------------------------------------------

    @writes
    def rule(self, ruling: dict) -> Event:
        """Add a combat to the turn's rulings sheet, with its odds computed now."""
        session = self.session()
        state = self.state()
        label = ruling.get("label") or f"T{state.turn:02d}/C{len(state.current.rulings) + 1:02d}"
        ruling = {**ruling, "label": label}
        preview = preview_ruling(session, state, ruling)
        body = {**ruling, "preview": preview}

        def guard(state):
            if state.phase != "orders":
                raise UsageError(f"turn {state.turn}'s sheet is locked; a late combat needs "
                                 "the next turn")
            labels = {r["label"] for t in state.turns.values() for r in t.rulings}
            if label in labels:
                raise UsageError(f'the label "{label}" is already used in this game')
            check_units(state, ruling)

        return self._append("ruling", body, guard)

    @writes
    def lock(self) -> Event:
        def guard(state):
            if state.phase != "orders":
                raise UsageError(f"turn {state.turn}'s sheet is already locked")
            waiting = [side for side in state.side_ids() if side not in
                       state.current.commitments and side not in state.current.defaults]
            if waiting:
                raise UsageError("waiting for the commitments of " + ", ".join(waiting) +
                                 "; record them, or record a default with `wargame game "
                                 "default` once the deadline has passed")

        state = self.state()
        body = {"sheet_hash": sheet_hash(state.game_id, state.turn, state.current.rulings),
                "labels": [r["label"] for r in state.current.rulings]}

        def guard_same(state_now):
            guard(state_now)
            now = sheet_hash(state_now.game_id, state_now.turn, state_now.current.rulings)
            if now != body["sheet_hash"]:
                raise UsageError("a ruling was added while locking; lock again")

        return self._append("sheet-locked", body, guard_same)

    @writes
    def resolve(self, missing_nonces_empty: bool = False) -> list[Event]:
        """Reveal the turn seed, roll every ruling, apply the results, end the turn.

        Safe to run again after an interruption: rolls already made are not made again
        (they could only come out the same).
        """
        state = self.state()
        current = state.current
        if current.sheet_hash is None:
            raise UsageError(f"turn {state.turn}'s sheet is not locked yet: lock it first")
        missing = [side for side in current.commitments if side not in current.nonces]
        if missing and not missing_nonces_empty:
            raise UsageError("waiting for the nonces of " + ", ".join(missing) + "; after the "
                             "deadline, resolve with --deadline-passed (their nonces count as "
                             "empty, as announced at game start)")
        written = []
        if current.seed is None:
            seed = self._seed(state.turn)
            written.append(self._append("turn-seed", {"seed": seed.hex()},
                                        lambda s: _same_turn(s, state.turn)))
            state = self.state()
        session = self.session()
        key = resolution_key(state, state.turn)
        for ruling in state.current.rulings:
            if ruling["label"] in state.current.rolls:
                continue
            roll, changes = roll_ruling(session, state, ruling, key)
            # a roll and what it does to the units: recorded together or not at all
            written += self._append_all(
                [("roll", roll)] + [("unit-change", change) for change in changes],
                lambda s, turn=state.turn: _same_turn(s, turn))
            state = self.state()
        written.append(self._append("turn-end", {"rolls": len(state.current.rolls)},
                                    lambda s: _same_turn(s, state.turn)))
        return written

    def _seed(self, turn: int) -> bytes:
        path = self.folder / SECRET_FILE
        try:
            secret = json.loads(path.read_text(encoding="utf-8"))
            chain = crypto.chain_from(bytes.fromhex(secret["secret"]), secret["length"])
        except (OSError, ValueError, KeyError) as exc:
            raise DataError(f"{path}: the umpire's secret is missing or damaged ({exc}); only "
                            "the umpire's copy of the game can resolve turns") from None
        if turn >= len(chain):
            raise UsageError(f"the seed chain ends at turn {len(chain) - 1}")
        return chain[turn]

    # ---- corrections -----------------------------------------------------------------------

    @writes
    def change_unit(self, unit_id: str, reason: str, area: str | None = None,
                    steps: int | None = None, status: list[str] | None = None) -> Event:
        state = self.state()
        unit = state.units.get(unit_id)
        if unit is None:
            raise UsageError(f'no unit "{unit_id}" in this game')
        body = {"unit": unit_id, "steps": unit.steps if steps is None else steps,
                "area": unit.area if area is None else area,
                "status": unit.status if status is None else status, "reason": reason}
        if area is not None and area != unit.area:
            body["hex"] = self._hex_of_area(area)
        if body["steps"] < 0:
            raise UsageError("steps cannot be negative")
        return self._append("unit-change", body, lambda s: None)

    def _hex_of_area(self, area: str) -> str:
        """Where a unit moved to an area stands: the zone's hex on the map, or nowhere (a
        holding box)."""
        from wargame.maps.hexgrid import hex_id

        session = self.session()
        scenario = session.scenarios.get(self.state().start["scenario"])
        game_map = session.maps.get(scenario.map) if scenario and scenario.map else None
        if game_map is None or area not in game_map.zones:
            return ""
        return hex_id(game_map.anchor_hex(area))

    @writes
    def move(self, unit_id: str, to: str, override: str | None = None) -> Event:
        """Move a unit to a hex: along a path its movement allowance pays for, over land for
        ground units and over water for ships, unless the umpire overrides (recorded, with
        the reason)."""
        state = self.state()
        body = check_move(self.session(), state, {"unit": unit_id, "to": to,
                                                  "override": override})
        return self._append("move", body, lambda s: check_move(self.session(), s, body))

    @writes
    def void(self, label: str, reason: str) -> Event:
        def guard(state):
            if not any(label in t.rolls for t in state.turns.values()):
                raise UsageError(f'no roll "{label}" to void')

        return self._append("void", {"label": label, "reason": reason}, guard)


def check_move(session, state: GameState, request: dict) -> dict:
    """The body of a move event, checked against the map and the unit's movement allowance
    (raises UsageError). ``verify`` runs the same check on every recorded move."""
    from wargame.maps.hexgrid import hex_id, parse_hex
    from wargame.maps.movement import cheapest

    unit_id, to, override = request["unit"], request["to"], request.get("override")
    unit = state.units.get(unit_id)
    if unit is None:
        raise UsageError(f'no unit "{unit_id}" in this game')
    if not unit.alive:
        raise UsageError(f'"{unit_id}" has been eliminated')
    scenario = session.scenarios.get(state.start["scenario"])
    if scenario is None or scenario.map is None:
        raise UsageError("this game's scenario has no map: move units by area")
    game_map = session.maps[scenario.map]
    target = parse_hex(to)
    if target is None or target not in game_map:
        raise UsageError(f'"{to}" is not a hex of map "{game_map.info.id}"')
    catalog = session.catalog
    spec = catalog.units[unit_id]
    domain = catalog.types[spec.type].domain
    ports = {h for name, h in game_map.place_hexes.items()
             if next(p for p in game_map.places if p.name == name).port}
    if domain in ("ground", "guerrilla") and not game_map.is_land(target):
        raise UsageError(f"{to} is all sea: a ground unit cannot end its move there")
    if domain == "naval" and game_map.is_land(target) and target not in ports:
        raise UsageError(f"{to} is land and no port: a ship cannot end its move there")
    cost = None
    if not override and domain in ("ground", "guerrilla") and unit.hex:
        factors = spec.factors if unit.steps >= spec.steps or spec.reduced is None \
            else spec.reduced
        allowance = factors.get("movement")
        costs = {t.id: t.movement_cost for t in session.rules.terrain.values()}
        path = cheapest(game_map, costs, parse_hex(unit.hex), target)
        if path is None:
            raise UsageError(f"no land path from {unit.hex} to {to}")
        cost = path[0]
        if allowance is not None and cost > allowance:
            raise UsageError(f"{unit_id} from {unit.hex} to {to} costs {cost} movement points; "
                             f"its allowance is {allowance} (an umpire's exception needs "
                             "--override REASON)")
    area = game_map.zone_of(target) or "map"
    return {"unit": unit_id, "from": unit.hex, "to": hex_id(target), "area": area,
            "cost": cost, "override": override}


def _same_turn(state: GameState, turn: int) -> None:
    if state.turn != turn:
        raise UsageError("another command ended this turn meanwhile")


def _hex(value: str, option: str) -> bytes:
    try:
        data = bytes.fromhex(value)
    except ValueError:
        raise UsageError(f'{option}: expected hex digits, found "{value}"') from None
    if not 8 <= len(data) <= 64:
        raise UsageError(f"{option}: expected 8 to 64 bytes of hex, found {len(data)}")
    return data


def check_units(state: GameState, ruling: dict) -> None:
    """Every unit of a ruling exists, is on the map and alive."""
    for role in ("attackers", "defenders"):
        for name in ruling.get(role, []):
            unit_id = name.split(":")[0]
            unit = state.units.get(unit_id)
            if unit is None:
                raise UsageError(f'{role[:-1]} "{unit_id}" is not in this game')
            if not unit.alive:
                raise UsageError(f'{role[:-1]} "{unit_id}" was eliminated and cannot fight')
            arrives = next(u["arrives"] for u in state.start["units"] if u["id"] == unit_id)
            if arrives > state.turn:
                raise UsageError(f'{role[:-1]} "{unit_id}" arrives on turn {arrives}, not yet')


def battle_for(session, state: GameState, ruling: dict):
    """The Battle a ruling describes, with each unit on the side it shows now."""
    from wargame.play.battle import Battle

    def shown(name):
        unit_id = name.split(":")[0]
        unit = session.catalog.units[unit_id]
        reduced = unit.reduced is not None and state.units[unit_id].steps < unit.steps
        return unit_id + (":r" if reduced else "")

    map_terrain = []
    if ruling.get("hex"):  # the sheet names hexes: the terrain comes from the game's map
        from wargame.maps.combat_terrain import battle_terrain

        scenario = session.scenarios.get(state.start["scenario"])
        if scenario is None or scenario.map is None:
            raise UsageError("--hex: this game's scenario has no map")
        map_terrain = battle_terrain(session.maps[scenario.map], ruling["hex"],
                                     ruling.get("from", []))
    return Battle(session, [shown(u) for u in ruling.get("attackers", [])],
                  [shown(u) for u in ruling.get("defenders", [])], ruling.get("attack"),
                  ruling.get("defend"), (), ruling.get("terrain"), ruling.get("mods", []),
                  ruling.get("shifts", []), ruling.get("drms", []),
                  [f"{k}={v}" if k else v for k, v in ruling.get("columns", {}).items()],
                  ruling.get("no_retreat", False), map_terrain)


def _stages(session, ruling):
    from wargame.engine.procedure import Stage, stages_of

    rules = session.rules
    if ruling.get("procedure"):
        return stages_of(rules.procedures[ruling["procedure"]], rules.tables)
    from wargame.engine.spec import StageSpec

    table = rules.tables[ruling.get("table") or "land"]
    return (Stage(StageSpec(id="combat", table=table.id), table),)


def preview_ruling(session, state: GameState, ruling: dict) -> dict:
    """The odds of a ruling: column, shifts and DRMs with reasons, and the exact results."""
    from wargame.engine.combat import distribution, prepare
    from wargame.engine.procedure import procedure_distribution, stage_marginals

    rules = session.rules
    if ruling.get("procedure") and ruling["procedure"] not in rules.procedures:
        raise UsageError(f'no procedure "{ruling["procedure"]}" in this game')
    if ruling.get("table") and ruling["table"] not in rules.tables:
        raise UsageError(f'no table "{ruling["table"]}" in this game')
    check_units(state, ruling)
    battle = battle_for(session, state, ruling)
    stages = _stages(session, ruling)
    if len(stages) == 1:
        stage = stages[0]
        prepared = prepare(stage.table, battle.combat(stage.table))
        return {"table": stage.table.id, "column": prepared.column_label,
                "explanation": list(prepared.explanation),
                "odds": {r.code: _fraction(p) for r, p in distribution(prepared).items()}}
    paths = procedure_distribution(
        stages, lambda s: battle.combat(s.table, s.spec.id, s.spec.reverse, strict=False))
    return {"procedure": ruling["procedure"],
            "odds": [{k: _fraction(v) for k, v in m.items()}
                     for m in stage_marginals(stages, paths)]}


def _fraction(p: Fraction) -> str:
    return f"{p.numerator}/{p.denominator}"


def resolution_key(state: GameState, turn: int) -> bytes:
    """K_T from the revealed seed, the locked sheet and the revealed nonces."""
    current = state.turns[turn]
    nonces = {side: bytes.fromhex(current.nonces.get(side, "")) for side in current.commitments}
    return crypto.turn_key(bytes.fromhex(current.seed), state.game_id, turn,
                           current.sheet_hash, nonces)


def roll_ruling(session, state: GameState, ruling: dict, key: bytes):
    """Roll one ruling with dice derived from the turn key; return the roll and the unit
    changes its result causes."""
    from wargame.engine.effects import result_lines
    from wargame.engine.procedure import run_procedure
    from wargame.engine.verifiable import HmacFaces

    label = ruling["label"]
    # a unit eliminated earlier in the turn does not fight later in it
    fighting = {**ruling}
    for side, adhoc in (("attackers", "attack"), ("defenders", "defend")):
        named = ruling.get(side, [])
        fighting[side] = [n for n in named if state.units[n.split(":")[0]].alive]
        if named and not fighting[side] and not ruling.get(adhoc):
            return {"label": label, "stages": [], "result": None,
                    "lapsed": f"every {side[:-1]} was eliminated earlier this turn"}, []
    battle = battle_for(session, state, fighting)
    stages = _stages(session, ruling)

    def faces_for(stage):
        return HmacFaces(key, label if len(stages) == 1 else f"{label}/{stage.spec.id}")

    done = run_procedure(
        stages, lambda s: battle.combat(s.table, s.spec.id if len(stages) > 1 else None,
                                        s.spec.reverse, strict=len(stages) == 1), faces_for)
    out_stages, changes = [], []
    # a scratch copy of just the units in this battle; the record's state stays untouched
    involved = {name.split(":")[0] for name in fighting.get("attackers", []) +
                fighting.get("defenders", [])}
    working = {uid: attrs.evolve(state.units[uid], status=list(state.units[uid].status))
               for uid in involved}
    for step in done:
        resolution = step.resolution
        roll = resolution.roll
        attackers, defenders = battle.engaged_for(step.stage.table, step.stage.spec.reverse)
        out_stages.append({
            "stage": step.stage.spec.id, "table": step.stage.table.id,
            "column": step.prepared.column_label, "shift": step.prepared.shift,
            "drm": step.prepared.drm,
            "faces": [list(f) for f in roll.faces] if roll else [],
            "total": roll.total if roll else None, "modified": resolution.modified,
            "row": resolution.row, "result": resolution.result.code,
            "text": resolution.result.text,
            "effects": result_lines(session.catalog, resolution.result, attackers, defenders)})
        changes += apply_result(working, resolution.result, attackers, defenders, label)
    roll_body = {"label": label, "stages": out_stages,
                 "result": out_stages[-1]["result"] if out_stages else None}
    return roll_body, changes


def apply_result(units: dict[str, UnitState], result, attackers, defenders, label: str):
    """Unit changes for a result: eliminations, step losses spread over the units in the
    order the ruling lists them (a step each in turn), and status markers. Retreats are
    noted as a marker; the umpire moves the units with `wargame game move`. A classic
    exchange (EX with no effects of its own) costs the attacker as many steps as the
    defender had. Any of it can be corrected later with `wargame game correct`."""
    changes = []
    sides = ((attackers, result.attacker), (defenders, result.defender))
    exchange_steps = 0
    if result.exchange and result.attacker.is_empty:
        exchange_steps = sum(units[e.unit.id].steps for e in defenders)
    for engaged, effect in sides:
        ids = [e.unit.id for e in engaged if units[e.unit.id].alive]
        losses = {uid: 0 for uid in ids}
        if effect.eliminated:
            losses = {uid: units[uid].steps for uid in ids}
        else:
            remaining = effect.steps + (exchange_steps if engaged is attackers else 0)
            while remaining and any(units[u].steps - losses[u] > 0 for u in ids):
                for uid in ids:
                    if remaining and units[uid].steps - losses[uid] > 0:
                        losses[uid] += 1
                        remaining -= 1
        for uid in ids:
            unit = units[uid]
            status = list(unit.status)
            for marker in effect.status:
                if marker not in status:
                    status.append(marker)
            if effect.retreat and f"retreat {effect.retreat}" not in status:
                status.append(f"retreat {effect.retreat}")
            if losses[uid] or status != unit.status:
                unit.steps -= losses[uid]
                unit.status = status
                changes.append({"unit": uid, "steps": unit.steps, "area": unit.area,
                                "status": status, "label": label,
                                "reason": f"{result.code}: {result.text}"})
    return changes
