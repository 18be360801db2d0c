"""How a side wins, as data: objectives, the tests a victory level asks for, and the order in
which the levels are checked. ``wargame.play.victory`` evaluates them on a game's state;
``wargame.printing.booklet`` prints them in words; both read only these classes, so print and
engine cannot disagree.

The levels are checked in the order written; the first whose tests all hold decides, so two
sides can never both win. A level checked ``when = "any-turn"`` is sudden death: it is looked
at in the victory check of every turn and ends the game at once. The others are looked at
after the last turn, and ``otherwise`` says what happens when none holds.
"""

from __future__ import annotations

from typing import Literal

import attrs

from wargame.fields import ID_PATTERN, fld

LEVELS = ("decisive", "substantive", "marginal", "tactical")


@attrs.frozen
class UnitClass:
    """A group of units named by what they are: an empty field does not narrow the group."""

    units: tuple[str, ...] = fld("Unit ids.", [], item_pattern=ID_PATTERN)
    types: tuple[str, ...] = fld("Unit type ids, e.g. armour.", [], item_pattern=ID_PATTERN)
    domains: tuple[str, ...] = fld("Domains: ground, air, naval, guerrilla.", [],
                                   item_pattern=ID_PATTERN)
    factions: tuple[str, ...] = fld("Faction ids.", [], item_pattern=ID_PATTERN)
    name: str = fld("What the group is called in the booklet, e.g. 'KPA armour'.", "",
                    max_length=60)


@attrs.frozen
class Objective:
    """A hex that counts for victory: a map place (by its name on the map) or a hex."""

    id: str = fld("Identifier the tests use.", pattern=ID_PATTERN)
    place: str = fld("A place of the scenario's map, by the name printed on it.", "",
                     max_length=40)
    hex: str = fld("Or a hex (CCRR).", "", pattern=r"^([0-9]{4})?$")
    points: int = fld("Victory points to the side that controls it at the end.", 0, min=0,
                      max=999)


@attrs.frozen
class AnyOf:
    """One test of several (the tests of :class:`Test` without nesting)."""

    holds: tuple[str, ...] = fld("Objective ids the side controls, all of them.", [],
                                 item_pattern=ID_PATTERN)
    eliminated: UnitClass | None = fld("Enemy units whose eliminated steps count.", None)
    share: float | None = fld("With eliminated: at least this share of the group's steps "
                              "(0.6 for 60 per cent).", None, min=0.0, max=1.0)


@attrs.frozen
class Test:
    """One condition of a victory level. Each key set narrows it; all must hold."""

    holds: tuple[str, ...] = fld("Objective ids the side controls, all of them.", [],
                                 item_pattern=ID_PATTERN)
    holds_any: tuple[str, ...] = fld("Objective ids of which the side controls at least "
                                     "'count'.", [], item_pattern=ID_PATTERN)
    count: int = fld("With holds_any: how many of them.", 1, min=1, max=99)
    at_turn: int | None = fld("Look at the end of this turn instead of now (what the side "
                              "held then counts, whatever happened later).", None, min=1,
                              max=999)
    throughout: bool = fld("With holds: the side controlled them at the end of every turn "
                           "so far.", False)
    eliminated: UnitClass | None = fld("A group of enemy units whose eliminated steps "
                                       "count.", None)
    share: float | None = fld("With eliminated: at least this share of the group's steps "
                              "(0.6 for 60 per cent).", None, min=0.0, max=1.0)
    steps: int | None = fld("With eliminated: at least this many steps.", None, min=1,
                            max=999)
    force: UnitClass | None = fld("A group of the side's own units that must stand in "
                                  "'zones' with more than 'share' of their steps.", None)
    zones: tuple[str, ...] = fld("With force: the zones (scenario areas) they must be in.", [],
                                 item_pattern=ID_PATTERN)
    not_called: tuple[str, ...] = fld("The side did not call these conditional units.", [],
                                      item_pattern=ID_PATTERN)
    points_lead: int | None = fld("The side's victory points exceed the enemy's by at "
                                  "least this.", None, min=0, max=9999)
    any: tuple[AnyOf, ...] = fld("At least one of these holds.", [])


@attrs.frozen
class Level:
    """A victory level of one side."""

    side: str = fld("Side id that wins by it.", pattern=ID_PATTERN)
    level: Literal["decisive", "substantive", "marginal", "tactical"] = fld(
        "How well it wins.")
    tests: tuple[Test, ...] = fld("Every one of these must hold.", min_items=1)
    when: Literal["end", "any-turn"] = fld("end: after the last turn; any-turn: in the "
                                           "victory check of every turn (sudden death).",
                                           "end")
    note: str = fld("A sentence printed after the level, in the designer's words.", "",
                    max_length=400)


@attrs.frozen
class Otherwise:
    """What happens when no level holds after the last turn."""

    side: str = fld("Side id that wins, or empty for a draw.", "",
                    pattern=r"^([a-z0-9][a-z0-9_-]{0,63})?$")
    level: Literal["decisive", "substantive", "marginal", "tactical", "draw"] = fld(
        "Its level, or draw.", "draw")


@attrs.frozen
class Points:
    """Victory points a side scores for the enemy steps it eliminates."""

    side: str = fld("Side id that scores.", pattern=ID_PATTERN)
    per_step: int = fld("Points per eliminated step.", min=1, max=99)
    of: UnitClass = fld("The enemy units whose steps count.", attrs.Factory(UnitClass))


@attrs.frozen
class Installation:
    """A target for air strikes that counts for victory: a power station, docks, a port."""

    id: str = fld("Identifier a strike order names, e.g. yangshupu.", pattern=ID_PATTERN)
    name: str = fld("Name printed in the booklet.", min_length=1, max_length=80)
    place: str = fld("The map place it stands in.", min_length=1, max_length=40)
    side: str = fld("Side id of its owner.", pattern=ID_PATTERN)
    points: int = fld("Victory points to the enemy for each hit.", 1, min=0, max=99)
    closes_at: int = fld("Hits in one turn that close it (0: never).", 0, min=0, max=99)
    closed_points: int = fld("Victory points to the enemy each time it is closed.", 0,
                             min=0, max=99)


@attrs.frozen
class Victory:
    """How a scenario is won."""

    levels: tuple[Level, ...] = fld("Victory levels, checked in this order: the first that "
                                    "holds decides.", min_items=1)
    objectives: tuple[Objective, ...] = fld("Hexes that count.", [])
    points: tuple[Points, ...] = fld("Points for eliminated steps.", [])
    installations: tuple[Installation, ...] = fld("Targets whose hits score points.", [])
    otherwise: Otherwise = fld("When no level holds after the last turn.",
                               attrs.Factory(Otherwise))
