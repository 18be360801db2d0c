"""Scenario data in words: victory levels, sets of hexes, groups of units. The booklet prints
these sentences and the posts repeat them, both from the same data the toolkit checks."""

from __future__ import annotations

from wargame.scenarios.model import HexSet, Scenario
from wargame.scenarios.victory import AnyOf, Level, Test, UnitClass

_NUMBERS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def number(n: int) -> str:
    return _NUMBERS[n] if 0 <= n < len(_NUMBERS) else str(n)


def side_name(scenario: Scenario, side_id: str) -> str:
    side = next((s for s in scenario.sides if s.id == side_id), None)
    return side.name if side else side_id


def short_side(scenario: Scenario, side_id: str) -> str:
    """The side as the rules call it: its short name, else its id in capitals when short
    (KPA, UN), else its name."""
    side = next((s for s in scenario.sides if s.id == side_id), None)
    if side is not None and side.short:
        return side.short
    return side_id.upper() if len(side_id) <= 4 else side_name(scenario, side_id)


def objective_name(scenario: Scenario, objective_id: str) -> str:
    objective = next(o for o in scenario.victory.objectives if o.id == objective_id)
    return objective.place or f"hex {objective.hex}"


def _names(scenario: Scenario, ids) -> str:
    return join([objective_name(scenario, i) for i in ids])


def join(items, word: str = "and") -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {word} " + items[-1]


def group_name(group: UnitClass) -> str:
    if group.name:
        return group.name
    parts = list(group.units) + list(group.types) + list(group.domains) + list(group.factions)
    return join(parts) or "units"


def _share(share: float) -> str:
    if abs(share - 1.0) < 1e-9:
        return "every step"
    for value, words in ((1 / 3, "a third"), (0.5, "half"), (2 / 3, "two thirds"),
                         (0.25, "a quarter")):
        if abs(share - value) < 0.005:
            return f"{words} of the steps"
    return f"{round(share * 100):d} per cent of the steps"


def describe_test(scenario: Scenario, side: str, test: Test | AnyOf,
                  names=None) -> str:
    who = short_side(scenario, side)
    parts = []
    if test.holds:
        at = getattr(test, "at_turn", None)
        throughout = getattr(test, "throughout", False)
        when = (f" at the end of turn {at}" if at else " at the end of every turn"
                if throughout else "")
        parts.append(f"the {who} holds {_names(scenario, test.holds)}{when}")
    if getattr(test, "holds_any", ()):
        at = f" at the end of turn {test.at_turn}" if test.at_turn else ""
        needed = "one" if test.count == 1 else number(test.count)
        parts.append(f"the {who} holds {needed} of "
                     f"{join([objective_name(scenario, i) for i in test.holds_any], 'or' if test.count == 1 else 'and')}"
                     f"{at}")
    if test.eliminated is not None:
        amount = (_share(test.share) if test.share is not None
                  else f"{number(test.steps)} steps" if getattr(test, "steps", None) else "")
        parts.append(f"{amount} of {group_name(test.eliminated)} eliminated")
    if isinstance(test, Test):
        if test.force is not None:
            zones = join([next(a.name for a in scenario.areas if a.id == z) for z in test.zones])
            parts.append(f"{group_name(test.force)} stand in {zones} with more than "
                         f"{round((test.share or 0) * 100)} per cent of their steps")
        for unit in test.not_called:
            parts.append(f"the {who} did not call {(names or {}).get(unit, unit)}")
        if test.points_lead is not None:
            parts.append(f"the {who} has {'more victory points than' if test.points_lead == 1 else f'{test.points_lead} victory points more than'} "
                         "the enemy")
        if test.any:
            parts.append("either " + join([describe_test(scenario, side, alt, names)
                                           for alt in test.any], "or"))
    return join(parts)


def describe_level(scenario: Scenario, level: Level, names=None) -> str:
    """One sentence: 'KPA decisive victory, at the end of any turn: the KPA holds Pusan.'
    ``names`` gives the unit names to use for unit ids."""
    when = "at the end of any turn" if level.when == "any-turn" else "at the end of the game"
    return f"{short_side(scenario, level.side)} {level.level} victory, {when}: " \
           f"{describe_tests(scenario, level, names)}"


def describe_tests(scenario: Scenario, level: Level, names=None) -> str:
    """What a level asks, in words: 'the KPA holds Pusan'."""
    return join([describe_test(scenario, level.side, t, names) for t in level.tests])


def describe_otherwise(scenario: Scenario) -> str:
    other = scenario.victory.otherwise
    if other.side:
        return f"Otherwise: {short_side(scenario, other.side)} {other.level} victory."
    return "Otherwise the game is a draw."


def describe_hexset(scenario: Scenario, hexset: HexSet) -> str:
    """A set of hexes in words for the booklet."""
    if hexset.name:
        return hexset.name
    parts = []
    if hexset.edges:
        parts.append("the " + join(hexset.edges) + " map edge" + ("s" if len(hexset.edges) > 1
                                                                  else ""))
    if hexset.places:
        parts.append(join(hexset.places))
    if hexset.hexes:
        parts.append("hex" + ("es " if len(hexset.hexes) > 1 else " ") + join(hexset.hexes))
    areas = {a.id: a for a in scenario.areas}
    if hexset.zones:
        parts.append("zone" + ("s " if len(hexset.zones) > 1 else " ")
                     + join([areas[z].code for z in hexset.zones if z in areas]))
    if hexset.boxes:
        parts.append(join([areas[b].name for b in hexset.boxes if b in areas]))
    if hexset.ports:
        parts.append("any port the side controls")
    bands = []
    for name, word, unit in (("north_of", "north of", "N"), ("south_of", "south of", "N"),
                             ("east_of", "east of", "E"), ("west_of", "west of", "E")):
        value = getattr(hexset, name)
        if value is not None:
            bands.append(f"{word} {value:g}°{unit}")
    text = join(parts) or "every hex"
    return text + (" " + " and ".join(bands) if bands else "")
