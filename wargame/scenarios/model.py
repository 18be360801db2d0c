"""Scenarios as data: sides, map areas, set-up, reinforcements, special rules, victory.

A scenario file lives in ``rules/scenarios/<id>.toml``; ``wargame.scenarios.load`` reads and
checks it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Literal

import attrs

from wargame.model import Placement
from wargame.fields import ID_PATTERN, fld
from wargame.scenarios.victory import UnitClass, Victory

DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


HEX_OR_EMPTY = r"^([0-9]{4})?$"


@attrs.frozen
class HexSet:
    """Hexes named the ways a scenario needs: hexes, places, zones, map edges, the ports a
    side controls, a band of latitude or longitude, holding boxes. The parts add up; the
    bands narrow what the other parts (or, alone, the whole map) give."""

    hexes: tuple[str, ...] = fld("Hexes (CCRR).", [], item_pattern=r"^[0-9]{4}$")
    places: tuple[str, ...] = fld("Places of the map, by the name printed on it.", [],
                                  max_length=40)
    zones: tuple[str, ...] = fld("Zones (areas of the scenario on the map).", [],
                                 item_pattern=ID_PATTERN)
    edges: tuple[Literal["north", "south", "east", "west"], ...] = fld(
        "Land hexes along these map edges.", [])
    ports: bool = fld("Every port the side controls.", False)
    boxes: tuple[str, ...] = fld("Holding boxes (off-map areas of the scenario).", [],
                                 item_pattern=ID_PATTERN)
    north_of: float | None = fld("Only hexes whose centre lies north of this latitude.", None,
                                 min=-90.0, max=90.0)
    south_of: float | None = fld("Only hexes whose centre lies south of this latitude.", None,
                                 min=-90.0, max=90.0)
    east_of: float | None = fld("Only hexes whose centre lies east of this longitude.", None,
                                min=-180.0, max=180.0)
    west_of: float | None = fld("Only hexes whose centre lies west of this longitude.", None,
                                min=-180.0, max=180.0)
    name: str = fld("How the booklet names the set, e.g. 'the north edge'.", "",
                    max_length=80)


@attrs.frozen
class Side:
    """A side of the scenario: one or more factions under one player."""

    id: str = fld("Identifier used in victory conditions.", pattern=ID_PATTERN)
    name: str = fld("Name shown to players.", min_length=1, max_length=80)
    factions: tuple[str, ...] = fld("Factions this side commands.", min_items=1,
                                    item_pattern=ID_PATTERN)
    short: str = fld("What the rules call the side, e.g. 'KPA' (default: the id in capitals "
                     "when it is short, else the name).", "", max_length=20)
    supply: HexSet | None = fld("The side's supply sources (13.1): map edges, hexes, holding "
                                "boxes, the ports it controls.", None)


@attrs.frozen
class Control:
    """Which side controls a set of hexes at the start. The first entry naming a hex wins;
    a hex no entry names is controlled by nobody until a ground unit enters it."""

    side: str = fld("Side id.", pattern=ID_PATTERN)
    hexes: HexSet = fld("The hexes it controls at the start.")


@attrs.frozen
class Area:
    """A named place of the map where units set up or enter."""

    id: str = fld("Identifier used in the set-up.", pattern=ID_PATTERN)
    name: str = fld("Name printed in the booklet.", min_length=1, max_length=80)
    code: str = fld("Short code printed in the counter's corner.", min_length=1, max_length=6)
    notes: str = fld("What the area is.", "", max_length=400)
    offmap: bool = fld("A holding box off the map (Japan, Okinawa); otherwise the map's zone "
                       "of the same id.", False)
    distance_from: str = fld("A holding box: the map hex its distances (air range, entry) "
                             "are counted from.", "", pattern=HEX_OR_EMPTY)
    distance: int = fld("A holding box: hexes from that hex to the box.", 0, min=0, max=999)
    enter_at: HexSet | None = fld("A holding box: where units leave it for the map (6.5; "
                                  "default: the side's ports and airfields).", None)


@attrs.frozen
class ArrivalRoll:
    """An arrival that waits on a die roll, made in every reinforcement phase from the
    entry's turn until it succeeds."""

    at_least: int = fld("The modified roll needed.", min=1, max=100)
    dice: str = fld("Dice rolled, e.g. '1d6'.", "1d6", min_length=2, max_length=12)
    drm_per_unit: int = fld("Added to the roll for each unit of 'drm_units' in 'drm_box'.",
                            0, min=-9, max=9)
    drm_units: UnitClass = fld("The units that change the roll.", attrs.Factory(UnitClass))
    drm_box: str = fld("The holding box they must be in.", "", pattern=r"^([a-z0-9][a-z0-9_-]{0,63})?$")


@attrs.frozen
class SetupEntry:
    """Where a unit starts, or the turn it arrives."""

    unit: str = fld("Unit id.", pattern=ID_PATTERN)
    area: str = fld("Area id where it sets up or enters.", pattern=ID_PATTERN)
    turn: int = fld("0 for set-up; a later turn for a reinforcement.", 0, min=0, max=999)
    reduced: bool = fld("Starts on its reduced side.", False)
    notes: str = fld("A note printed with the entry.", "", max_length=200)
    hex: str = fld("An exact hex (CCRR) of the area's zone to set up in, when it matters.", "",
                   pattern=HEX_OR_EMPTY)
    option: str = fld("The option (see options) that brings the unit; without it the unit "
                      "is not in the game.", "", pattern=r"^([a-z0-9][a-z0-9_-]{0,63})?$")
    called: bool = fld("Arrives only when its side calls it (order 'call') on or after the "
                       "turn; victory tests may ask that it was not called.", False)
    group: str = fld("Entries of one group arrive together (the first entry's roll decides).",
                     "", pattern=r"^([a-z0-9][a-z0-9_-]{0,63})?$")
    roll: ArrivalRoll | None = fld("Arrives only on this roll, tried every turn from 'turn'.",
                                   None)


@attrs.frozen
class Option:
    """An optional set of units or rules, off unless the players choose it at game start."""

    id: str = fld("Identifier the set-up entries use.", pattern=ID_PATTERN)
    name: str = fld("Name printed in the booklet.", min_length=1, max_length=80)
    text: str = fld("What choosing it means.", min_length=1, max_length=1000)


@attrs.frozen
class TurnKind:
    """Turns that differ from the standard two-day turn."""

    first: int = fld("First turn it applies to.", min=1, max=999)
    last: int = fld("Last turn it applies to.", min=1, max=999)
    days: int = fld("Days a turn stands for: 1 is a one-day turn (3.3).", 2, min=1, max=30)
    night: bool = fld("Night turns: the night modifier applies to every table it names.",
                      False)


@attrs.frozen
class SideModifier:
    """A named modifier the toolkit applies by itself when its conditions hold."""

    modifier: str = fld("Id of the modifier (rules/modifiers.toml).", pattern=ID_PATTERN)
    attacker: str = fld("Side id of the attacker it applies to.", pattern=ID_PATTERN)
    first: int = fld("First turn it applies.", 1, min=1, max=999)
    last: int = fld("Last turn it applies (0: to the end).", 0, min=0, max=999)
    attackers_include: UnitClass | None = fld("Only when an attacker is of this group.", None)
    defenders_all: UnitClass | None = fld("Only when every defender is of this group.", None)
    where: HexSet | None = fld("Only when the defending hex is in this set.", None)
    chosen: bool = fld("Only when the attack order names it ('using ID'), and then without "
                       "the other conditions.", False)
    per_turn: int = fld("With chosen: how many attacks a turn may use it (0: any).", 0, min=0,
                        max=99)
    while_in_play: tuple[str, ...] = fld("Only while one of these units is in play.", [],
                                         item_pattern=ID_PATTERN)


@attrs.frozen
class AirDefault:
    """A side that has air superiority over some hexes unless it loses an air combat there
    (8.1)."""

    side: str = fld("Side id.", pattern=ID_PATTERN)
    where: HexSet = fld("The hexes.")
    first: int = fld("First turn.", 1, min=1, max=999)
    last: int = fld("Last turn (0: to the end).", 0, min=0, max=999)


@attrs.frozen
class Restriction:
    """Units that move under a limit of the scenario's."""

    units: tuple[str, ...] = fld("Unit ids.", min_items=1, item_pattern=ID_PATTERN)
    no_move_before: int = fld("They may not move before this turn.", 0, min=0, max=999)
    movement: int | None = fld("Their movement allowance, whatever their counter says.",
                               None, min=0, max=99)


@attrs.frozen
class Rule:
    """A special rule of the scenario: its text, the series cases it leans on, and what of
    it the toolkit applies by itself."""

    title: str = fld("Heading.", min_length=1, max_length=80)
    text: str = fld("The rule, in plain words.", min_length=1, max_length=4000)
    cases: tuple[str, ...] = fld("Series-rules cases the rule uses or changes, e.g. '8.1'.",
                                 [], item_pattern=r"^[0-9]{1,2}\.[0-9]{1,2}$")
    modifiers: tuple[SideModifier, ...] = fld("Modifiers the toolkit applies.", [])
    air: tuple[AirDefault, ...] = fld("Air superiority a side has by default.", [])
    restrictions: tuple[Restriction, ...] = fld("Movement limits.", [])


@attrs.frozen
class Scenario:
    """A playable situation: who fights where, when, and for what."""

    id: str = fld("Identifier, also the file name.", pattern=ID_PATTERN)
    name: str = fld("Title.", min_length=1, max_length=80)
    start: str = fld("First day, YYYY-MM-DD.", pattern=DATE_PATTERN, date=True)
    end: str = fld("Last day, YYYY-MM-DD.", pattern=DATE_PATTERN, date=True)
    turns: int = fld("Number of game turns.", min=1, max=999)
    turn_length: str = fld("What a turn stands for, e.g. 'one day'.", min_length=1,
                           max_length=80)
    theatre: str = fld("Where it is fought.", min_length=1, max_length=120)
    basis: Literal["historical", "story"] = fld("historical, or story (the campaign's "
                                                "alternate history).")
    sides: tuple[Side, ...] = fld("The sides.", min_items=2, max_items=4)
    areas: tuple[Area, ...] = fld("Named map areas.", min_items=1)
    setup: tuple[SetupEntry, ...] = fld("Set-up and reinforcements.", min_items=1)
    background: str = fld("Historical background, in the designer's words.", min_length=1,
                          max_length=20000)
    victory: Victory = fld("How the scenario is won.")
    first_player: str = fld("Side id of the first player in every turn (3.0).",
                            pattern=ID_PATTERN)
    subtitle: str = fld("One line under the title.", "", max_length=120)
    tables: tuple[str, ...] = fld("Rules tables the scenario uses (printed in the booklet).",
                                  [], item_pattern=ID_PATTERN)
    map: str | None = fld("Id of the map (rules/maps/<id>.toml) the scenario is played on.",
                          None, pattern=ID_PATTERN)
    scale_km: float | None = fld("Kilometres per hex the scenario's rules are written for; "
                                 "its map must have this scale.", None, min=0.1, max=1000.0)
    control: tuple[Control, ...] = fld("Who controls which hexes at the start.", [])
    options: tuple[Option, ...] = fld("Optional units and rules, chosen at game start.", [])
    turn_kinds: tuple[TurnKind, ...] = fld("One-day and night turns.", [])
    special_rules: tuple[Rule, ...] = fld("Special rules.", [])
    designer_notes: str = fld("Designer's notes.", "", max_length=20000)
    sources: tuple[str, ...] = fld("Source keys.", [], item_pattern=r"^[A-Za-z0-9_.-]{1,16}$")

    def side_of(self, faction: str) -> Side | None:
        return next((side for side in self.sides if faction in side.factions), None)

    def side(self, side_id: str) -> Side:
        return next(side for side in self.sides if side.id == side_id)

    def sides_in_order(self) -> tuple[Side, Side]:
        """(first player, second player): the sequence of play's two players."""
        first = self.side(self.first_player)
        second = next(side for side in self.sides if side.id != first.id)
        return first, second

    def turn_kind(self, turn: int) -> TurnKind:
        """The kind of a turn: the first entry that covers it, else a standard turn."""
        return next((k for k in self.turn_kinds if k.first <= turn <= k.last),
                    TurnKind(first=turn, last=turn))

    def area(self, area_id: str) -> Area:
        return next(area for area in self.areas if area.id == area_id)

    def turn_days(self) -> tuple[tuple[date, date], ...]:
        """The first and last day of every turn, from the start date and each turn's days
        (a standard turn is two days; :attr:`turn_kinds` names the others)."""
        day = date.fromisoformat(self.start)
        out = []
        for turn in range(1, self.turns + 1):
            last = day + timedelta(days=self.turn_kind(turn).days - 1)
            out.append((day, last))
            day = last + timedelta(days=1)
        return tuple(out)


def dates_text(first: date, last: date) -> str:
    """The days a turn stands for, as a turn track prints them: "25 Jun", "25-26 Jun",
    "30 Jun-1 Jul" (en dash)."""
    def day(d, month=True):
        return f"{d.day} {MONTHS[d.month - 1]}" if month else str(d.day)

    if first == last:
        return day(first)
    if (first.year, first.month) == (last.year, last.month):
        return f"{day(first, month=False)}\u2013{day(last)}"
    return f"{day(first)}\u2013{day(last)}"


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def units_in(scenario: Scenario) -> set[str]:
    """Ids of every unit that sets up or arrives in the scenario."""
    return {entry.unit for entry in scenario.setup}


def placements_of(scenario: Scenario) -> dict[str, Placement]:
    """Counter corners for each unit: its area's code and, for reinforcements, the turn."""
    areas = {area.id: area for area in scenario.areas}
    return {entry.unit: Placement(areas[entry.area].code, entry.turn or None)
            for entry in scenario.setup}


def campaign_placements(session) -> dict[str, Placement]:
    """Each unit's corners in the first scenario (in file order) that sets it up."""
    out: dict[str, Placement] = {}
    for scenario in session.scenarios.values():
        for unit, placement in placements_of(scenario).items():
            out.setdefault(unit, placement)
    return out


def by_turn(scenario: Scenario) -> Mapping[int, list[SetupEntry]]:
    """Set-up entries grouped by turn (0 = set-up), in turn order."""
    grouped: dict[int, list[SetupEntry]] = {}
    for entry in sorted(scenario.setup, key=lambda e: e.turn):
        grouped.setdefault(entry.turn, []).append(entry)
    return grouped
