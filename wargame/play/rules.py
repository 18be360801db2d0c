"""The rules of play as data (``rules/play.toml``): the sequence of play, stacking, zones of
control, movement, combat, retreats and advances, exploitation, supply and reinforcements.

Each part names the case of the series rules that states it, so that every refusal of an
order can say which rule it breaks ("5.2: ..."). A game that writes no ``rules/play.toml``
plays by the defaults below, which are the conventions of classic hex-and-counter games.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Literal

import attrs

from wargame.errors import DataError, Problem
from wargame.fields import ID_PATTERN, fld

CASE = r"^[0-9]{1,2}\.[0-9]{1,2}$"
PhaseKind = Literal["reinforcement", "air", "movement", "combat", "exploitation", "supply",
                    "victory"]


@attrs.frozen
class Phase:
    """One phase of the game turn."""

    kind: PhaseKind = fld("What happens in it.")
    player: Literal["first", "second", "both"] = fld("Who acts in it.", "both")
    case: str = fld("The series-rules case that describes it.", "3.1", pattern=CASE)


def _standard_turn() -> tuple[Phase, ...]:
    return (Phase("reinforcement"), Phase("air"), Phase("movement", "first"),
            Phase("combat", "first"), Phase("exploitation", "first"),
            Phase("movement", "second"), Phase("combat", "second"),
            Phase("exploitation", "second"), Phase("supply"), Phase("victory"))


@attrs.frozen
class SubLimit:
    """A smaller limit for some units within the stacking limit."""

    echelons: tuple[str, ...] = fld("Echelons it applies to, e.g. division.", min_items=1,
                                    item_pattern=ID_PATTERN)
    limit: int = fld("How many of them a hex may hold.", min=0, max=99)
    name: str = fld("What they are called in messages, e.g. 'divisions'.", "units",
                    max_length=60)


@attrs.frozen
class Stacking:
    """How many units may share a hex (checked at the end of every phase)."""

    limit: int = fld("Units of one side a hex may hold (0: no limit).", 3, min=0, max=99)
    domains: tuple[str, ...] = fld("Domains that count: ground, guerrilla, air, naval.",
                                   ["ground", "guerrilla"], item_pattern=ID_PATTERN)
    sub_limits: tuple[SubLimit, ...] = fld("Smaller limits for some echelons.", [])
    case: str = fld("Case of the limit.", "4.1", pattern=CASE)
    enemy_case: str = fld("Case that keeps opposing units apart.", "4.2", pattern=CASE)


@attrs.frozen
class Zoc:
    """Zones of control: which units have one, where it reaches, what it does."""

    kind: Literal["stop", "none"] = fld("stop: a unit entering an enemy ZOC stops; none: "
                                        "the game has no zones of control.", "stop")
    min_attack: int = fld("Units with at least this attack factor have a ZOC.", 1, min=0,
                          max=99)
    domains: tuple[str, ...] = fld("Domains whose units have a ZOC.", ["ground"],
                                   item_pattern=ID_PATTERN)
    blocked_by: tuple[str, ...] = fld("Hexside features a ZOC does not cross.",
                                      ["major-river", "strait"], item_pattern=ID_PATTERN)
    into_sea: bool = fld("Whether a ZOC reaches into all-sea hexes.", False)
    leave_cost: int = fld("Extra movement points to leave an enemy ZOC.", 1, min=0, max=99)
    zoc_to_zoc: bool = fld("Whether a unit may move straight from one enemy ZOC hex to "
                           "another.", False)
    retreat_loss: int = fld("Steps lost for each enemy ZOC hex entered in a retreat.", 1,
                            min=0, max=9)
    ignored_by: tuple[str, ...] = fld("Domains whose units ignore enemy ZOCs when they move.",
                                      ["guerrilla"], item_pattern=ID_PATTERN)
    case: str = fld("Case: where a ZOC reaches.", "5.1", pattern=CASE)
    movement_case: str = fld("Case: ZOCs and movement.", "5.2", pattern=CASE)
    retreat_case: str = fld("Case: ZOCs and retreats.", "5.3", pattern=CASE)


@attrs.frozen
class Movement:
    """Movement points, roads, holding boxes and one-day turns."""

    factor: str = fld("The unit factor that is its movement allowance.", "movement",
                      pattern=r"^[a-z][a-z0-9_]{0,23}$")
    always_one_hex: bool = fld("A unit may always move one hex, whatever it costs.", True)
    route_kinds: tuple[Literal["road", "rail"], ...] = fld(
        "Routes of the map that speed movement.", ["road", "rail"])
    route_cost: float = fld("Movement points per hex moved along a route (hexsides on it "
                            "cost nothing).", 1.0, min=0.1, max=99.0)
    one_day_share: float = fld("Share of the allowance in a one-day turn (rounded up).", 0.5,
                               min=0.1, max=1.0)
    one_day_domains: tuple[str, ...] = fld("Domains whose allowance a one-day turn cuts "
                                           "(ships sail day and night).",
                                           ["ground", "guerrilla"], item_pattern=ID_PATTERN)
    box_entry: tuple[Literal["port", "airfield"], ...] = fld(
        "Where units leave a holding box for the map.", ["port", "airfield"])
    case: str = fld("Case: the allowance and costs.", "6.1", pattern=CASE)
    one_hex_case: str = fld("Case: always one hex.", "6.2", pattern=CASE)
    prohibited_case: str = fld("Case: prohibited terrain.", "6.3", pattern=CASE)
    route_case: str = fld("Case: roads and railways.", "6.4", pattern=CASE)
    box_case: str = fld("Case: holding boxes.", "6.5", pattern=CASE)
    one_day_case: str = fld("Case: one-day turns.", "3.3", pattern=CASE)

    @property
    def route_fraction(self) -> Fraction:
        return Fraction(str(self.route_cost))


@attrs.frozen
class Exploitation:
    """Who moves in the exploitation phase, and how far."""

    types: tuple[str, ...] = fld("Unit types that exploit.", ["armour", "mechanized-infantry",
                                                              "motorized-infantry"],
                                 item_pattern=ID_PATTERN)
    share: float = fld("Share of the movement allowance (rounded down).", 0.5, min=0.0,
                       max=1.0)
    not_after_attacking: bool = fld("Units that attacked this turn may not exploit.", True)
    case: str = fld("Case.", "6.6", pattern=CASE)


@attrs.frozen
class Combat:
    """Who may attack whom, and on which table."""

    table: str = fld("The table of ordinary ground attacks.", "land", pattern=ID_PATTERN)
    attack_factor: str = fld("The attacker's factor.", "attack",
                             pattern=r"^[a-z][a-z0-9_]{0,23}$")
    domains: tuple[str, ...] = fld("Domains of units that attack and defend on it.",
                                   ["ground"], item_pattern=ID_PATTERN)
    once_per_unit: bool = fld("Each unit attacks at most once per combat phase.", True)
    once_per_hex: bool = fld("Each hex is attacked at most once per combat phase.", True)
    case: str = fld("Case: who may attack.", "7.1", pattern=CASE)
    odds_case: str = fld("Case: odds.", "7.3", pattern=CASE)
    results_case: str = fld("Case: results, losses and retreats.", "7.6", pattern=CASE)
    advance_case: str = fld("Case: advance after combat.", "7.7", pattern=CASE)


@attrs.frozen
class Supply:
    """Tracing supply (13.1) and what being out of it does (13.2)."""

    trace: int = fld("Hexes a unit may trace to a route or a source.", 4, min=0, max=99)
    out_attack: float = fld("Attack of a unit out of supply, as a share.", 0.5, min=0.0,
                            max=1.0)
    out_movement: float = fld("Movement allowance out of supply, as a share (rounded up).",
                              0.5, min=0.0, max=1.0)
    loss_after: int = fld("A unit out of supply in this many supply phases in a row loses a "
                          "step (0: never).", 2, min=0, max=99)
    always: tuple[str, ...] = fld("Domains always in supply.", ["guerrilla", "air", "naval"],
                                  item_pattern=ID_PATTERN)
    case: str = fld("Case: tracing supply.", "13.1", pattern=CASE)
    out_case: str = fld("Case: out of supply.", "13.2", pattern=CASE)


@attrs.frozen
class Reinforcements:
    """Arrivals (14.1)."""

    case: str = fld("Case.", "14.1", pattern=CASE)


@attrs.frozen
class Air:
    """Air missions (8.0-8.3)."""

    km_per_range: float = fld("Kilometres an aircraft reaches per point of its range factor "
                              "(160: ten hexes of a 16-kilometre map).", 160.0, min=1.0,
                              max=10000.0)

    def reach(self, points: int, hex_km: float) -> int:
        """Hexes of a map that ``points`` of range reach."""
        import math

        return math.floor(points * self.km_per_range / hex_km + 1e-9)
    area_radius: int = fld("Hexes around a mission's hex that make its battle area.", 2,
                           min=0, max=20)
    combat_table: str = fld("The air combat table.", "air-combat", pattern=ID_PATTERN)
    strike_table: str = fld("The air strike table.", "air-strike", pattern=ID_PATTERN)
    superiority_modifier: str = fld("Modifier for attacks where a side has air superiority.",
                                    "air-superiority", pattern=ID_PATTERN)
    enemy_modifier: str = fld("Modifier for attacks where the enemy has it.", "enemy-air",
                              pattern=ID_PATTERN)
    support_modifier: str = fld("Modifier for close air support.", "air-support",
                                pattern=ID_PATTERN)
    carrier_types: tuple[str, ...] = fld("Ship types that fly missions with their own air "
                                         "factors from where they are, without an airfield.",
                                         ["carrier"], item_pattern=ID_PATTERN)
    carrier_range: int = fld("Range factor of a carrier without a range factor of its own.",
                             2, min=0, max=99)
    case: str = fld("Case: air operations.", "8.0", pattern=CASE)
    superiority_case: str = fld("Case: air superiority.", "8.1", pattern=CASE)
    strike_case: str = fld("Case: strikes.", "8.2", pattern=CASE)
    support_case: str = fld("Case: close air support.", "8.3", pattern=CASE)
    carrier_case: str = fld("Case: carrier air.", "8.4", pattern=CASE)


@attrs.frozen
class Gunfire:
    """Naval gunfire in battles on the coast (9.2)."""

    factor: str = fld("The ship factor that fires; a ship with none does not.", "gunnery",
                      pattern=r"^[a-z][a-z0-9_]{0,23}$")
    reach: int = fld("Hexes from a warship to the battle's hex it fires on (0: no gunfire).",
                     1, min=0, max=20)
    modifier: str = fld("Modifier for the attack a warship supports (a game whose "
                        "modifiers lack the default plays without it).", "naval-gunfire",
                        pattern=ID_PATTERN)
    defence_modifier: str = fld("Modifier for an attack on a hex whose defenders' warships "
                                "fire ('' for none).", "defensive-gunfire",
                                pattern=r"^([a-z0-9][a-z0-9-]{0,63})?$")
    battles_per_ship: int = fld("Battles a warship fires in per phase.", 1, min=1, max=99)
    case: str = fld("Case.", "9.2", pattern=CASE)


@attrs.frozen
class Sea:
    """Sea lift, naval interdiction and landings (10.1, 9.1, 10.2, 3.2)."""

    lift_factor: str = fld("The factor of a lift unit that counts what it carries.", "lift",
                           pattern=r"^[a-z][a-z0-9_]{0,23}$")
    sizes: dict[str, int] = fld("How much lift an echelon takes (others take 1), e.g. "
                                "{ division = 3 }.", attrs.Factory(dict), min=1, max=99)
    hexes_per_point: int = fld("Sea hexes a ship moves per point of its movement or speed "
                               "factor.", 3, min=1, max=20)
    interdiction_table: str = fld("The naval interdiction table.", "naval-interdiction",
                                  pattern=ID_PATTERN)
    landing_table: str = fld("The amphibious landing table.", "amphibious",
                             pattern=ID_PATTERN)
    escort_modifier: str = fld("Modifier for a crossing escorted by its own warships.",
                               "escort", pattern=ID_PATTERN)
    landing_features: tuple[str, ...] = fld("Hex symbols where troops may land (ports "
                                            "always).", ["beach"], item_pattern=ID_PATTERN)
    case: str = fld("Case: sea lift.", "10.1", pattern=CASE)
    landing_case: str = fld("Case: the landing.", "10.2", pattern=CASE)
    interdiction_case: str = fld("Case: firing on a crossing.", "9.1", pattern=CASE)
    phase_case: str = fld("Case: when ships move and land.", "3.2", pattern=CASE)


@attrs.frozen
class Airborne:
    """Airborne drops (11.1)."""

    table: str = fld("The airborne drop table.", "airborne-drop", pattern=ID_PATTERN)
    transport_types: tuple[str, ...] = fld("Unit types that carry airborne units.",
                                           ["air-transport"], item_pattern=ID_PATTERN)
    airborne_types: tuple[str, ...] = fld("Unit types that drop.", ["airborne-infantry"],
                                          item_pattern=ID_PATTERN)
    case: str = fld("Case.", "11.1", pattern=CASE)


@attrs.frozen
class Guerrilla:
    """Guerrilla actions (12.1)."""

    table: str = fld("The guerrilla action table.", "guerrilla-action", pattern=ID_PATTERN)
    reach: int = fld("Hexes from the guerrilla unit to its target.", 2, min=0, max=20)
    case: str = fld("Case: guerrilla actions.", "12.1", pattern=CASE)
    sweep_case: str = fld("Case: sweeps.", "12.2", pattern=CASE)


@attrs.frozen
class PlayRules:
    """Everything the toolkit enforces when it carries out orders."""

    turn: tuple[Phase, ...] = fld("The phases of a game turn, in order.",
                                  attrs.Factory(_standard_turn))
    stacking: Stacking = fld("Stacking.", attrs.Factory(Stacking))
    zoc: Zoc = fld("Zones of control.", attrs.Factory(Zoc))
    movement: Movement = fld("Movement.", attrs.Factory(Movement))
    exploitation: Exploitation = fld("Exploitation.", attrs.Factory(Exploitation))
    combat: Combat = fld("Combat.", attrs.Factory(Combat))
    supply: Supply = fld("Supply.", attrs.Factory(Supply))
    reinforcements: Reinforcements = fld("Reinforcements.", attrs.Factory(Reinforcements))
    air: Air = fld("Air operations.", attrs.Factory(Air))
    sea: Sea = fld("Sea lift and landings.", attrs.Factory(Sea))
    gunfire: Gunfire = fld("Naval gunfire.", attrs.Factory(Gunfire))
    airborne: Airborne = fld("Airborne drops.", attrs.Factory(Airborne))
    guerrilla: Guerrilla = fld("Guerrilla actions.", attrs.Factory(Guerrilla))
    control: Literal["enter", "occupy"] = fld(
        "How a hex changes hands: enter (the last side whose ground unit entered or passed "
        "through it) or occupy (the last side with a ground unit in it at the end of a "
        "phase).", "enter")

    def cases(self) -> list[tuple[str, str]]:
        """(key path, case number) of every case these rules cite."""
        out = [(f"turn[{i}].case", p.case) for i, p in enumerate(self.turn)]
        for part in ("stacking", "zoc", "movement", "exploitation", "combat", "supply",
                     "reinforcements", "air", "sea", "gunfire", "airborne", "guerrilla"):
            value = getattr(self, part)
            for field in attrs.fields(type(value)):
                if field.name.endswith("case"):
                    out.append((f"{part}.{field.name}", getattr(value, field.name)))
        return out


FILE = Path("rules") / "play.toml"


def check_play(rules: PlayRules, tables, terrain, modifiers, numbers=None
               ) -> list[tuple[str, str]]:
    """(key path, message) for rules of play that name tables, terrain or modifiers the game
    does not have, cases its series rules do not have (``numbers``), or a turn that cannot
    be played."""
    from wargame.loading.validate import did_you_mean

    out = []
    if numbers is not None:
        for where, case in rules.cases():
            if case not in numbers:
                out.append((where, f"case {case} is not in the series rules "
                            "(print/series-rules.toml)"))
    kinds = [p.kind for p in rules.turn]
    for player in ("first", "second"):
        moves = [p for p in rules.turn if p.kind == "movement" and p.player == player]
        if len(moves) != 1:
            out.append(("turn", f"expected one movement phase of the {player} player, found "
                        f"{len(moves)}"))
    for kind in ("reinforcement", "supply", "victory"):
        if kinds.count(kind) > 1:
            out.append(("turn", f"expected at most one {kind} phase, found {kinds.count(kind)}"))
    for where, table in (("combat.table", rules.combat.table),
                         ("air.combat_table", rules.air.combat_table),
                         ("air.strike_table", rules.air.strike_table)):
        if table not in tables:
            out.append((where, f'unknown table "{table}"{did_you_mean(table, tables)}'))
    played = [("combat.table", rules.combat.table), ("air.combat_table", rules.air.combat_table),
              ("air.strike_table", rules.air.strike_table)]
    played += [(f"{part}.{name}", getattr(getattr(rules, part), name)) for part, name in (
        ("sea", "interdiction_table"), ("sea", "landing_table"), ("airborne", "table"),
        ("guerrilla", "table")) if hasattr(getattr(rules, part, None), name)]
    for where, table in played:
        if getattr(tables.get(table), "dice_rules", ()):
            out.append((where, f'table "{table}" has rules on the dice (dice_rules), which the '
                        "game record's verifiers do not read yet; resolve its battles with "
                        "`wargame resolve`"))
    for where, name in (("air.superiority_modifier", rules.air.superiority_modifier),
                        ("air.enemy_modifier", rules.air.enemy_modifier),
                        ("air.support_modifier", rules.air.support_modifier)):
        if name not in modifiers:
            out.append((where, f'unknown modifier "{name}"{did_you_mean(name, modifiers)}'))
    # a game without the default gunfire modifiers plays without gunfire; a name the
    # designer wrote must exist
    defaults = Gunfire()
    for where, name, default in (
            ("gunfire.modifier", rules.gunfire.modifier, defaults.modifier),
            ("gunfire.defence_modifier", rules.gunfire.defence_modifier,
             defaults.defence_modifier)):
        if name and name != default and name not in modifiers:
            out.append((where, f'unknown modifier "{name}"{did_you_mean(name, modifiers)}'))
    for index, kind in enumerate(rules.zoc.blocked_by):
        if kind not in terrain:
            out.append((f"zoc.blocked_by[{index}]", f'unknown terrain "{kind}"'
                        f"{did_you_mean(kind, terrain)}"))
    return out


def load_play(root: Path, tables, terrain, modifiers, numbers=None,
              use_cache: bool = True) -> PlayRules:
    """The rules of play of a game folder (the defaults when it writes none); ``numbers``,
    the series rules' case numbers, when the game has series rules. Rules that checked
    before, unchanged since (and with the same tables and series rules they are checked
    against), are built from the cache without re-parsing."""
    from wargame.loading import cache
    from wargame.loading.structure import build, read_model
    from wargame.loading.toml_source import shown_name

    path = root / FILE
    if not path.exists() and not path.is_symlink():
        return PlayRules()  # checked when a game is started with them
    # the checks read the tables, terrain, modifiers and case numbers: their files key it too
    series = root / "print" / "series-rules.toml"
    key_files = sorted({path, *(p for p in (root / "rules").glob("*.toml") if p.is_file())}) \
        + ([series] if series.is_file() else [])
    cached = cache.load("play", key_files) if use_cache and path.is_file() else None
    if cached is not None:
        return build(cached, PlayRules)
    shown = shown_name(path, root)
    raws: list[dict] = []
    rules, problems = read_model(path, shown, PlayRules, raws)
    if rules is not None:
        problems += [Problem(shown, where, message) for where, message
                     in check_play(rules, tables, terrain, modifiers, numbers)]
    if problems:
        raise DataError(problems)
    if use_cache:
        cache.store("play", key_files, raws[0])
    return rules
