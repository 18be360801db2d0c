"""Scenarios as data: sides, map areas, set-up, reinforcements, special rules, victory.

A scenario file lives in ``rules/scenarios/<id>.toml``; ``wargame.scenarios.load`` reads and
checks it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

import attrs

from wargame.counters import Placement
from wargame.model import ID_PATTERN, fld

DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


@attrs.frozen
class Side:
    """A side of the scenario: one or more factions under one player."""

    id: str = fld("Identifier used in victory conditions.", pattern=ID_PATTERN)
    name: str = fld("Name shown to players.", min_length=1, max_length=80)
    factions: tuple[str, ...] = fld("Factions this side commands.", min_items=1,
                                    item_pattern=ID_PATTERN)


@attrs.frozen
class Area:
    """A named place of the map where units set up or enter."""

    id: str = fld("Identifier used in the set-up.", pattern=ID_PATTERN)
    name: str = fld("Name printed in the booklet.", min_length=1, max_length=80)
    code: str = fld("Short code printed in the counter's corner.", min_length=1, max_length=6)
    notes: str = fld("What the area is.", "", max_length=400)
    offmap: bool = fld("A holding box off the map (Japan, Okinawa); otherwise the map's zone "
                       "of the same id.", False)


@attrs.frozen
class SetupEntry:
    """Where a unit starts, or the turn it arrives."""

    unit: str = fld("Unit id.", pattern=ID_PATTERN)
    area: str = fld("Area id where it sets up or enters.", pattern=ID_PATTERN)
    turn: int = fld("0 for set-up; a later turn for a reinforcement.", 0, min=0, max=999)
    reduced: bool = fld("Starts on its reduced side.", False)
    notes: str = fld("Condition of its arrival, e.g. 'on a die roll of 4-6'.", "",
                     max_length=200)
    hex: str = fld("An exact hex (CCRR) of the area's zone to set up in, when it matters.", "",
                   pattern=r"^([0-9]{4})?$")


@attrs.frozen
class Rule:
    """A special rule of the scenario."""

    title: str = fld("Heading.", min_length=1, max_length=80)
    text: str = fld("The rule, in plain words.", min_length=1, max_length=4000)


@attrs.frozen
class VictoryCondition:
    side: str = fld("Side id that wins by it.", pattern=ID_PATTERN)
    text: str = fld("What the side must do.", min_length=1, max_length=2000)


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
    sides: tuple[Side, ...] = fld("The sides, first player first.", min_items=2, max_items=4)
    areas: tuple[Area, ...] = fld("Named map areas.", min_items=1)
    setup: tuple[SetupEntry, ...] = fld("Set-up and reinforcements.", min_items=1)
    background: str = fld("Historical background, in the designer's words.", min_length=1,
                          max_length=20000)
    victory: tuple[VictoryCondition, ...] = fld("Victory conditions.", min_items=1)
    subtitle: str = fld("One line under the title.", "", max_length=120)
    tables: tuple[str, ...] = fld("Rules tables the scenario uses (printed in the booklet).",
                                  [], item_pattern=ID_PATTERN)
    map: str | None = fld("Id of the map (rules/maps/<id>.toml) the scenario is played on.",
                          None, pattern=ID_PATTERN)
    scale_km: float | None = fld("Kilometres per hex the scenario's rules are written for; "
                                 "its map must have this scale.", None, min=0.1, max=1000.0)
    special_rules: tuple[Rule, ...] = fld("Special rules.", [])
    designer_notes: str = fld("Designer's notes.", "", max_length=20000)
    sources: tuple[str, ...] = fld("Source keys.", [], item_pattern=r"^[A-Za-z0-9_.-]{1,16}$")

    def side_of(self, faction: str) -> Side | None:
        return next((side for side in self.sides if faction in side.factions), None)


def units_in(scenario: Scenario) -> set[str]:
    """Ids of every unit that sets up or arrives in the scenario."""
    return {entry.unit for entry in scenario.setup}


def placements_of(scenario: Scenario) -> dict[str, Placement]:
    """Counter corners for each unit: its area's code and, for reinforcements, the turn."""
    areas = {area.id: area for area in scenario.areas}
    return {entry.unit: Placement(areas[entry.area].code, entry.turn or None)
            for entry in scenario.setup}


def by_turn(scenario: Scenario) -> Mapping[int, list[SetupEntry]]:
    """Set-up entries grouped by turn (0 = set-up), in turn order."""
    grouped: dict[int, list[SetupEntry]] = {}
    for entry in sorted(scenario.setup, key=lambda e: e.turn):
        grouped.setdefault(entry.turn, []).append(entry)
    return grouped
