"""What a game is played with and that never changes during it: the scenario and the options
chosen, the units, the tables and charts, the rules of play and the map, indexed once for
the questions the rules ask (what a hex costs to enter, which hexes are ports, where roads
run, which zone a hex is in)."""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction
from functools import cached_property
from typing import TYPE_CHECKING

from wargame.errors import UsageError
from wargame.maps.hexgrid import Hex, hex_id, parse_hex, side_key
from wargame.maps.model import GameMap
from wargame.model import Catalog, Unit
from wargame.scenarios.model import Scenario, SetupEntry
from wargame.scenarios.victory import UnitClass

if TYPE_CHECKING:  # the rules of play load when a rule asks for them
    from wargame.play.rules import PlayRules


class Theatre:
    """The fixed part of a game (built once per game and shared by every rule)."""

    def __init__(self, scenario: Scenario, catalog: Catalog, rules, play: PlayRules | None,
                 game_map: GameMap | None, options: Iterable[str] = (), session=None):
        self.scenario = scenario
        self.catalog = catalog
        self._rules = rules
        self._play = play
        self._session = session  # where the tables and rules of play come from, when asked
        self.map = game_map
        self.options = frozenset(options)
        unknown = self.options - {o.id for o in scenario.options}
        if unknown:
            raise UsageError(f'--option: no option "{sorted(unknown)[0]}" in {scenario.id} '
                             "(options: " + (", ".join(o.id for o in scenario.options)
                                             or "none") + ")")

    @classmethod
    def of(cls, session, scenario_id: str, options: Iterable[str] = ()) -> "Theatre":
        """The theatre of a scenario of a loaded game folder."""
        scenario = session.scenarios[scenario_id]
        game_map = session.maps.get(scenario.map) if scenario.map else None
        return cls(scenario, session.catalog, None, None, game_map, options, session=session)

    @property
    def rules(self):
        """The tables, terrain chart and modifiers (loaded on first use: showing a game's
        units needs none of them)."""
        if self._rules is None and self._session is not None:
            self._rules = self._session.rules
        return self._rules

    @property
    def play(self) -> PlayRules:
        """The rules of play (loaded on first use)."""
        if self._play is None and self._session is not None:
            self._play = self._session.play
        return self._play

    # ---- units ---------------------------------------------------------------------------

    @cached_property
    def entries(self) -> dict[str, SetupEntry]:
        """The set-up entry of every unit in this game (options not chosen left out)."""
        return {e.unit: e for e in self.scenario.setup
                if not e.option or e.option in self.options}

    @cached_property
    def unit_side(self) -> dict[str, str]:
        out = {}
        for unit_id in self.entries:
            side = self.scenario.side_of(self.catalog.units[unit_id].faction)
            out[unit_id] = side.id
        return out

    def unit(self, unit_id: str) -> Unit:
        return self.catalog.units[unit_id]

    def domain(self, unit_id: str) -> str:
        return self.catalog.types[self.catalog.units[unit_id].type].domain

    def factors(self, unit_id: str, steps: int) -> dict[str, int]:
        """The factors a unit shows with ``steps`` left (its reduced side below full)."""
        unit = self.catalog.units[unit_id]
        if unit.reduced is not None and steps < unit.steps:
            return unit.reduced
        return unit.factors

    def name(self, unit_id: str) -> str:
        """The name on the counter, with the faction when another unit of the game shares
        it (what a player reads and types)."""
        unit = self.catalog.units[unit_id]
        short = self.catalog.short_name(unit)
        if self.short_names.get(short.casefold(), [unit_id]) != [unit_id]:
            return f"{self.catalog.factions[unit.faction].short} {short}"
        return short

    @cached_property
    def short_names(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for unit_id in self.entries:
            short = self.catalog.short_name(self.catalog.units[unit_id]).casefold()
            out.setdefault(short, []).append(unit_id)
        return out

    def in_class(self, unit_id: str, group: UnitClass) -> bool:
        """Whether a unit belongs to a group named by what it is."""
        unit = self.catalog.units[unit_id]
        return ((not group.units or unit_id in group.units)
                and (not group.types or unit.type in group.types)
                and (not group.domains or self.domain(unit_id) in group.domains)
                and (not group.factions or unit.faction in group.factions))

    def is_division(self, unit_id: str, echelons: Iterable[str]) -> bool:
        return self.catalog.units[unit_id].echelon in echelons

    def sides(self) -> list[str]:
        return [side.id for side in self.scenario.sides]

    def enemy(self, side: str) -> str:
        return next(s for s in self.sides() if s != side)

    # ---- the map -------------------------------------------------------------------------

    def need_map(self) -> GameMap:
        if self.map is None:
            raise UsageError(f"scenario {self.scenario.id} has no map: its units cannot be "
                             "moved by the rules of play")
        return self.map

    @cached_property
    def costs(self) -> dict[str, Fraction]:
        """Movement points to enter each terrain (hex terrain) or to cross it (hexsides)."""
        return {t.id: Fraction(t.movement_cost) for t in self.rules.terrain.values()}

    @cached_property
    def ports(self) -> frozenset[Hex]:
        game_map = self.need_map()
        return frozenset(game_map.place_hexes[p.name] for p in game_map.places
                         if p.port and p.name in game_map.place_hexes)

    @cached_property
    def airfields(self) -> frozenset[Hex]:
        game_map = self.need_map()
        return frozenset(game_map.place_hexes[p.name] for p in game_map.places
                         if p.airfield and p.name in game_map.place_hexes)

    @cached_property
    def route_steps(self) -> frozenset[tuple[Hex, Hex]]:
        """Pairs of neighbouring hexes joined by a road or railway of the kinds that speed
        movement (6.4), as hexside keys; a strait on a route is crossed by ferry, at full
        cost, so it is not among them."""
        kinds = set(self.play.movement.route_kinds)
        game_map = self.need_map()
        out = set()
        for route in game_map.routes:
            if route.kind not in kinds:
                continue
            path = [parse_hex(h) for h in route.hexes]
            for a, b in zip(path, path[1:]):
                if a and b and game_map.hexsides.get(side_key(a, b)) != "strait":
                    out.add(side_key(a, b))
        return frozenset(out)

    @cached_property
    def route_hexes(self) -> frozenset[Hex]:
        return frozenset(h for pair in self.route_steps for h in pair)

    @cached_property
    def zone_of_hex(self) -> dict[Hex, str]:
        """One zone per hex (the first area of the scenario that holds it): the zone a
        location is reported in."""
        game_map = self.need_map()
        out: dict[Hex, str] = {}
        for area in self.scenario.areas:
            if area.offmap or area.id not in game_map.zones:
                continue
            for hex_ in game_map.zone_hexes(area.id):
                out.setdefault(hex_, area.id)
        return out

    def zone_hexes(self, zone_id: str) -> list[Hex]:
        return self.need_map().zone_hexes(zone_id)

    def boxes(self) -> list[str]:
        return [area.id for area in self.scenario.areas if area.offmap]

    @cached_property
    def lonlat(self) -> dict[Hex, tuple[float, float]]:
        """Longitude and latitude of every hex centre."""
        from wargame.maps.hexgrid import centre
        from wargame.maps.projection import MapFrame

        game_map = self.need_map()
        frame = MapFrame(game_map.info)
        km = game_map.info.hex_km
        out = {}
        for hex_ in game_map.hexes():
            x, y = centre(hex_)
            out[hex_] = frame.lonlat(x * km, y * km)
        return out

    def is_land(self, hex_: Hex) -> bool:
        return self.need_map().is_land(hex_)

    def describe(self, hex_: Hex) -> str:
        """A hex as players read it: its number, and the place in it if any."""
        place = self.place_in.get(hex_)
        return f"{hex_id(hex_)} ({place})" if place else hex_id(hex_)

    @cached_property
    def place_in(self) -> dict[Hex, str]:
        out: dict[Hex, str] = {}
        if self.map is None:
            return out
        for place in self.map.places:
            hex_ = self.map.place_hexes.get(place.name)
            if hex_ is not None and place.kind in ("city", "town"):
                out.setdefault(hex_, place.name)
        return out

    # ---- time ----------------------------------------------------------------------------

    def one_day(self, turn: int) -> bool:
        return self.scenario.turn_kind(turn).days == 1

    def night(self, turn: int) -> bool:
        return self.scenario.turn_kind(turn).night
