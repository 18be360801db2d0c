"""The shapes of rules files as a designer types them (``rules/*.toml``).

These classes describe data, not behaviour: ``wargame.engine.tables`` compiles a
:class:`TableSpec` into a runnable table. Field metadata feeds the validator and the JSON
Schema, exactly as for units.
"""

from __future__ import annotations

from typing import Literal

import attrs

from wargame.engine.results import Effect
from wargame.fields import ID_PATTERN, fld

CODE_PATTERN = r"^[^\s\"]{1,16}$"
TableKind = Literal["odds", "differential", "fire", "choice"]


@attrs.frozen
class ResultSpec:
    """A legend entry. Effects may be left out for standard codes (AE, DR2, A1, 1/2, EX...)."""

    text: str = fld("What the result is called, e.g. 'Defender retreats'.", min_length=1,
                    max_length=120)
    attacker: Effect | None = fld("Effect on the attacker (default: read from the code).",
                                  None)
    defender: Effect | None = fld("Effect on the defender (default: read from the code).",
                                  None)
    exchange: bool = fld("Exchange: after the defender's losses, the attacker loses as much "
                         "as the defender lost (see exchange_counts).", False)
    exchange_counts: Literal["factors", "steps"] = fld(
        "What the attacker's exchange loss matches: the printed factors the defender lost "
        "(the table's exchange_factor) or the number of steps it lost.", "factors")
    blocked: str | None = fld("Result that replaces this one when the defender cannot retreat.",
                              None, pattern=CODE_PATTERN)
    attacker_by_type: dict[str, Effect] = fld(
        "Effects on attacking units of a unit type or domain instead of 'attacker', e.g. "
        "{ armour = { retreat = 1 } }.", attrs.Factory(dict))
    defender_by_type: dict[str, Effect] = fld(
        "Effects on defending units of a unit type or domain instead of 'defender'.",
        attrs.Factory(dict))


@attrs.frozen
class LegendSpec:
    """A legend shared by several tables."""

    id: str = fld("Identifier tables refer to with 'legend'.", pattern=ID_PATTERN)
    name: str = fld("Human name.", min_length=1, max_length=120)
    results: dict[str, ResultSpec] = fld("Result codes and their meaning.")


@attrs.frozen
class DiceRuleSpec:
    """A rule on the dice as they fall, before any modifier: doubles, or a natural total."""

    when: Literal["doubles", "natural"] = fld("'doubles' (every die shows the same face; a "
                                               "d66 its two dice) or 'natural' (the "
                                               "unmodified total).")
    totals: tuple[str, ...] = fld("Natural totals it applies to, as bands ('12', '2..3'); "
                                  "for doubles, the faces ('1' for snake eyes). Default: any.",
                                  [], item_pattern=r"^[0-9.]{1,8}$")
    shift: int = fld("Column shift the roll is read with (after the roll, at the table's "
                     "edges at most).", 0, min=-20, max=20)
    result: str | None = fld("Result that replaces the table's.", None, pattern=CODE_PATTERN)
    event: str = fld("Something more that happens, printed with the result (e.g. 'leader "
                     "casualty check').", "", max_length=120)


@attrs.frozen
class TableSpec:
    """A results table: how its column is found, the dice, the grid and its legend."""

    id: str = fld("Identifier used by procedures, scenarios and the command line.",
                  pattern=ID_PATTERN)
    name: str = fld("Title printed above the table.", min_length=1, max_length=120)
    kind: TableKind = fld("How the column is found: odds ratio, differential (A-D), fire "
                          "(attack strength only), or choice (named by the situation).")
    dice: str = fld("Dice rolled, e.g. '1d6', '2d6', 'd10-1' (0-9), 'd66'.", min_length=2,
                    max_length=24)
    columns: tuple[str, ...] = fld("Column headings: '1-2', '3-2' (odds); '..-3', '-2..-1', "
                                   "'0', '5..' (differential, fire); names (choice).",
                                   min_items=1, max_items=40)
    cells: tuple[tuple[str, ...], ...] = fld("Result codes, one array per row, one code per "
                                             "column.", min_items=1, max_items=200)
    rows: tuple[str, ...] = fld("Row headings as totals or bands ('2..3', '12..'); default: "
                                "every total the dice can make.", [])
    legend: str | None = fld("Id of a shared legend ([[legends]]).", None, pattern=ID_PATTERN)
    results: dict[str, ResultSpec] = fld("Results of this table (added to the shared legend).",
                                         attrs.Factory(dict))
    below: str = fld("Odds below the first column: 'clamp' (use it), 'none' (attack not "
                     "allowed) or a result code (automatic).", "clamp", pattern=CODE_PATTERN)
    above: str = fld("Odds above the last column: 'clamp' or a result code.", "clamp",
                     pattern=CODE_PATTERN)
    above_drm: int = fld("Extra die-roll modifier per column above the last ('clamp' only).",
                         0, min=-6, max=6)
    roll_below: str = fld("Modified roll below the first row: 'clamp' or a result code.",
                          "clamp", pattern=CODE_PATTERN)
    roll_above: str = fld("Modified roll above the last row: 'clamp' or a result code.",
                          "clamp", pattern=CODE_PATTERN)
    natural: dict[str, str] = fld("Results of natural (unmodified) rolls, e.g. { 12 = \"DE\" }.",
                                  attrs.Factory(dict), pattern=CODE_PATTERN)
    dice_rules: tuple[DiceRuleSpec, ...] = fld(
        "Rules on the dice as they fall: doubles or natural totals that shift the column, "
        "replace the result or add an event.", [])
    rounding: Literal["down", "up", "nearest"] = fld(
        "Rounding of modified strengths ('nearest': halves round up).", "down")
    round_each: bool = fld("Multiply and round each unit's strength on its own, then add them "
                           "(else the side's total is multiplied and rounded once).", False)
    minimum_strength: int = fld("Least strength a side with any strength counts after "
                                "rounding (0: none).", 1, min=0, max=99)
    odds_rounding: Literal["defender", "attacker", "nearest"] = fld(
        "Odds between two columns: to the defender's favour (the lower column), the "
        "attacker's, or the nearest (halfway: the defender's).", "defender")
    shift_from: Literal["virtual", "edge"] = fld(
        "Column shifts off the table count from where the odds fall ('virtual': 9-1 on a table "
        "ending at 6-1 needs four left shifts to reach 5-1) or from the edge column the odds "
        "are first capped at ('edge': one shift).", "virtual")
    shift_cap: int | None = fld("Largest net column shift either way.", None, min=0, max=20)
    drm_cap: int | None = fld("Largest net die-roll modifier either way.", None, min=0, max=50)
    blocked_retreat: Literal["steps", "eliminated", "ignore"] = fld(
        "When the defender cannot retreat: a step per hex, elimination, or nothing.", "steps")
    attack_factor: str = fld("Unit factor summed for the attacker.", "attack",
                             pattern=r"^[a-z][a-z0-9_]{0,23}$")
    defence_factor: str = fld("Unit factor summed for the defender.", "defence",
                              pattern=r"^[a-z][a-z0-9_]{0,23}$")
    exchange_factor: str | None = fld(
        "Printed factor an exchange counts on both sides (default: each side's own, the "
        "attack factor for the attacker and the defence factor for the defender).", None,
        pattern=r"^[a-z][a-z0-9_]{0,23}$")
    notes: str = fld("Designer's notes printed with the table.", "", max_length=4000)
    column_by: str = fld("What the printed chart says the columns are, e.g. 'action rating' "
                         "(default: odds, attack minus defence, firing strength or situation, "
                         "by the kind).", "", max_length=60)


@attrs.frozen
class TerrainSpec:
    """One line of the terrain effects chart."""

    id: str = fld("Identifier used on the command line and in scenarios.", pattern=ID_PATTERN)
    name: str = fld("Human name.", min_length=1, max_length=60)
    movement_cost: int = fld("Movement points to enter (0: prohibited).", 1, min=0, max=99)
    defence_multiplier: float = fld("Multiplies the defender's strength (2 doubles, 0.5 "
                                    "halves).", 1.0, min=0.01, max=10.0)
    attack_multiplier: float = fld("Multiplies the attacker's strength.", 1.0, min=0.01,
                                   max=10.0)
    shift: int = fld("Column shift (negative: towards the defender).", 0, min=-20, max=20)
    drm: int = fld("Die-roll modifier.", 0, min=-20, max=20)
    tables: tuple[str, ...] = fld("Tables it applies to (default: all).", [],
                                  item_pattern=ID_PATTERN)
    notes: str = fld("Remarks printed on the chart.", "", max_length=400)
    feature: Literal["hex", "hexside", "symbol"] = fld(
        "How maps show it: the terrain of a whole hex, a hexside (rivers), or a symbol in a "
        "hex (towns, beaches, forts).", "hex")


@attrs.frozen
class UnitFilter:
    """Units named by what they are, for a modifier that applies to some only; an empty
    field does not narrow."""

    factions: tuple[str, ...] = fld("Faction ids or coalition sides.", [],
                                    item_pattern=ID_PATTERN)
    types: tuple[str, ...] = fld("Unit type ids, e.g. armour.", [], item_pattern=ID_PATTERN)
    domains: tuple[str, ...] = fld("Domains: ground, air, naval, guerrilla.", [],
                                   item_pattern=ID_PATTERN)
    every: bool = fld("Every unit of the side must be of this kind (default: one is enough; "
                      "a per-unit modifier applies to the units that are).", False)

    def matches(self, kind) -> bool:
        """Whether one unit (a UnitKind) is of this kind."""
        return ((not self.factions or kind.faction in self.factions
                 or kind.side in self.factions)
                and (not self.types or kind.type in self.types)
                and (not self.domains or kind.domain in self.domains))

    def describe(self) -> str:
        parts = [", ".join(p) for p in (self.factions, self.types, self.domains) if p]
        return ("every unit " if self.every else "") + " ".join(parts)


@attrs.frozen
class ModifierSpec:
    """A named circumstance that shifts columns or modifies the roll or the strengths."""

    id: str = fld("Identifier used with --mod on the command line.", pattern=ID_PATTERN)
    text: str = fld("The reason, as printed in explanations.", min_length=1, max_length=120)
    shift: int = fld("Column shift.", 0, min=-20, max=20)
    drm: int = fld("Die-roll modifier.", 0, min=-20, max=20)
    attack_multiplier: float = fld("Multiplies the attacker's strength.", 1.0, min=0.01,
                                   max=10.0)
    defence_multiplier: float = fld("Multiplies the defender's strength.", 1.0, min=0.01,
                                    max=10.0)
    attack_add: float = fld("Added to the attacker's strength (after multipliers).", 0,
                            min=-99, max=99)
    defence_add: float = fld("Added to the defender's strength (after multipliers).", 0,
                             min=-99, max=99)
    per_unit: bool = fld("Applies to each unit of the side on its own: an add counts once per "
                         "unit, a multiplier before each unit is rounded.", False)
    attacker: UnitFilter | None = fld("Applies only when the attacker's units are of this "
                                      "kind (per unit: to those that are).", None)
    defender: UnitFilter | None = fld("Applies only when the defender's units are of this "
                                      "kind, e.g. a fort that helps one nation's troops.", None)
    cancels: tuple[str, ...] = fld("Modifiers or terrain it cancels when both apply (e.g. "
                                   "engineers cancel a river).", [], item_pattern=ID_PATTERN)
    tables: tuple[str, ...] = fld("Tables it applies to (default: all).", [],
                                  item_pattern=ID_PATTERN)


@attrs.frozen
class Feed:
    """What one stage's result passes to the later stages of a procedure."""

    shift: int = fld("Column shift for later stages.", 0, min=-20, max=20)
    drm: int = fld("Die-roll modifier for later stages.", 0, min=-20, max=20)
    to: tuple[str, ...] = fld("Stage ids it applies to (default: every later stage).", [],
                              item_pattern=ID_PATTERN)


@attrs.frozen
class StageSpec:
    """One roll of a multi-stage procedure."""

    id: str = fld("Label of the stage, e.g. 'air' or 'landing'.", pattern=ID_PATTERN)
    table: str = fld("Id of the table rolled on.", pattern=ID_PATTERN)
    name: str | None = fld("Human name (default: the table's).", None, max_length=120)
    column: str | None = fld("Column of a 'choice' table (default: chosen on the command "
                             "line).", None, max_length=40)
    reverse: bool = fld("The defending side fires in this stage (e.g. interdiction of a "
                        "crossing).", False)
    feeds: dict[str, Feed] = fld("Result code -> shift/DRM passed to later stages.",
                                 attrs.Factory(dict))
    stop_on: tuple[str, ...] = fld("Result codes that end the procedure here.", [],
                                   item_pattern=CODE_PATTERN)
    when: tuple[str, ...] = fld("Result codes of earlier stages that lead to this stage (any "
                                "of them; default: every roll reaches it), e.g. a morale "
                                "check only after a 'PTC' result.", [],
                                item_pattern=CODE_PATTERN)


@attrs.frozen
class ProcedureSpec:
    """Several tables rolled in order, each result feeding the next stage."""

    id: str = fld("Identifier used with --procedure.", pattern=ID_PATTERN)
    name: str = fld("Human name.", min_length=1, max_length=120)
    stages: tuple[StageSpec, ...] = fld("The stages in order.", min_items=1, max_items=12)
    notes: str = fld("Designer's notes.", "", max_length=4000)


@attrs.frozen
class AttritionSpec:
    """A Lanchester-style attrition model for forces counted in men and tanks."""

    id: str = fld("Identifier used with --attrition.", pattern=ID_PATTERN)
    name: str = fld("Human name.", min_length=1, max_length=120)
    law: Literal["square", "linear"] = fld("Square law (aimed fire) or linear law (area "
                                           "fire).")
    attacker_rate: float = fld("Attacker's losses per day per unit of weighted defender "
                               "strength (square law) or per defender x attacker / scale.",
                               min=0.0, max=1.0)
    defender_rate: float = fld("Defender's losses per day, as above.", min=0.0, max=1.0)
    variance: tuple[float, ...] = fld("Loss multiplier for each total of the dice, lowest "
                                      "first.", min_items=1, max_items=100, min=0.0, max=10.0)
    tank_weight: float = fld("Firepower of one tank, in men.", 25.0, min=0.0, max=10000.0)
    gun_weight: float = fld("Firepower of one gun, in men.", 10.0, min=0.0, max=10000.0)
    scale: float = fld("Linear law only: the strength that makes the rate per day exact.",
                       10000.0, min=1.0, max=1e9)
    dice: str = fld("Dice for the luck of the day.", "2d6", min_length=2, max_length=24)
    notes: str = fld("Designer's notes.", "", max_length=4000)


@attrs.frozen
class RulesFile:
    """The shape of every TOML file under ``rules/`` (scenarios live in rules/scenarios)."""

    tables: tuple[TableSpec, ...] = fld("Results tables.", [])
    legends: tuple[LegendSpec, ...] = fld("Shared legends.", [])
    terrain: tuple[TerrainSpec, ...] = fld("Terrain effects chart.", [])
    modifiers: tuple[ModifierSpec, ...] = fld("Named shifts and modifiers.", [])
    procedures: tuple[ProcedureSpec, ...] = fld("Multi-stage procedures.", [])
    attrition: tuple[AttritionSpec, ...] = fld("Attrition models.", [])
