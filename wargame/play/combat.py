"""Who may attack whom (7.1), and the battle the engine resolves, read from where the units
stand: the defender's terrain and its symbols, the hexside every attacker crosses, units out
of supply (13.2), air superiority and support (8.1, 8.3), the scenario's own modifiers and
night turns. Nothing is typed by the umpire."""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction

import attrs

from wargame.engine.combat import Combat, Contribution, Modifier
from wargame.maps.hexgrid import Hex, adjacent, hex_id
from wargame.play.battle import unit_kind
from wargame.play.position import Position
from wargame.play.refusal import Refusal
from wargame.play.theatre import Theatre


@attrs.frozen
class Attack:
    """An attack as ordered and checked: the attackers, the hex, who defends it."""

    label: str
    side: str
    attackers: tuple[str, ...]
    target: Hex
    defenders: tuple[str, ...]
    table: str
    advance: tuple[str, ...] = ()
    advance_to: Hex | None = None
    using: tuple[str, ...] = ()
    order_line: int | None = None


def defenders_in(theatre: Theatre, position: Position, hex_: Hex, side: str) -> list[str]:
    """The units of the other side that defend a hex on the combat table."""
    domains = set(theatre.play.combat.domains) | {"guerrilla"}
    return [u for u in position.units_at(hex_) if position[u].side != side
            and theatre.domain(u) in domains]


def check_attack(theatre: Theatre, position: Position, side: str, attackers: Iterable[str],
                 target: Hex, attacked_units: set[str], attacked_hexes: set[Hex],
                 turn: int) -> list[str]:
    """The defending units, or the Refusal of an attack the rules do not allow."""
    rules = theatre.play.combat
    game_map = theatre.need_map()
    if target not in game_map:
        raise Refusal(rules.case, f"{hex_id(target)} is not a hex of the map")
    defenders = defenders_in(theatre, position, target, side)
    if not defenders:
        raise Refusal(rules.case, f"no enemy unit stands in {hex_id(target)}",
                      "attack a hex that enemy units hold")
    if rules.once_per_hex and target in attacked_hexes:
        raise Refusal(rules.case, f"{hex_id(target)} has been attacked already this combat "
                      "phase", "each hex is attacked at most once a phase: add the units to "
                      "the first attack on it")
    restricted = _held_back(theatre, turn)
    for unit_id in attackers:
        piece = position[unit_id]
        name = theatre.name(unit_id)
        if piece.side != side:
            raise Refusal(rules.case, f"{name} is not a unit of this side")
        if not piece.on_map or not piece.in_play:
            raise Refusal(rules.case, f"{name} is not on the map")
        if theatre.domain(unit_id) not in rules.domains:
            raise Refusal(rules.case, f"{name} is not a ground unit: it attacks by its own "
                          "missions, not on the combat table")
        if theatre.factors(unit_id, piece.steps).get(rules.attack_factor, 0) <= 0:
            raise Refusal(rules.case, f"{name} has no attack factor")
        if not adjacent(piece.at, target):
            raise Refusal(rules.case, f"{name} in {piece.hex} is not next to "
                          f"{hex_id(target)}", "only units in hexes next to the defender "
                          "attack it")
        if rules.once_per_unit and unit_id in attacked_units:
            raise Refusal(rules.case, f"{name} has attacked already this combat phase",
                          "each unit attacks at most once a phase")
        if "pinned" in piece.markers:
            raise Refusal(rules.case, f"{name} is pinned on its beach and cannot attack "
                          "inland this turn")
        for marker in ("scattered", "disrupted"):
            if marker in piece.markers:
                raise Refusal(theatre.play.airborne.case, f"{name} is {marker} and cannot "
                              "attack this turn")
        if piece.carrier:
            raise Refusal(rules.case, f"{name} is aboard {theatre.name(piece.carrier)}: it "
                          "lands first")
        if unit_id in restricted:
            raise Refusal(rules.case, f"{name} may not move or attack before turn "
                          f"{restricted[unit_id]} (special rule)")
    return defenders


def _held_back(theatre: Theatre, turn: int) -> dict[str, int]:
    out = {}
    for rule in theatre.scenario.special_rules:
        for limit in rule.restrictions:
            if limit.no_move_before and turn < limit.no_move_before:
                for unit_id in limit.units:
                    out[unit_id] = limit.no_move_before
    return out


def _modifier(theatre: Theatre, modifier_id: str, reason: str | None = None) -> Modifier:
    from wargame.loading.rules import modifier_from

    return modifier_from(theatre.rules.modifiers[modifier_id], reason)


def scenario_modifiers(theatre: Theatre, position: Position, attack: Attack, turn: int,
                       used: dict[str, int]) -> list[Modifier]:
    """The scenario's own modifiers that apply to an attack (each modifier once)."""
    from wargame.play.hexsets import hexes_of

    out: dict[str, Modifier] = {}
    for rule in theatre.scenario.special_rules:
        for mod in rule.modifiers:
            if mod.attacker != attack.side or mod.modifier in out:
                continue
            spec = theatre.rules.modifiers[mod.modifier]
            if spec.tables and attack.table not in spec.tables:
                continue
            if turn < mod.first or (mod.last and turn > mod.last):
                continue
            if mod.while_in_play and not any(position[u].in_play and position[u].alive
                                             for u in mod.while_in_play
                                             if u in position.pieces):
                continue
            if mod.chosen:
                if mod.modifier not in attack.using:
                    continue
                if mod.per_turn and used.get(mod.modifier, 0) >= mod.per_turn:
                    continue
                used[mod.modifier] = used.get(mod.modifier, 0) + 1
            else:
                if mod.attackers_include is not None and not any(
                        theatre.in_class(u, mod.attackers_include) for u in attack.attackers):
                    continue
                if mod.defenders_all is not None and not all(
                        theatre.in_class(u, mod.defenders_all) for u in attack.defenders):
                    continue
                if mod.where is not None and attack.target not in hexes_of(
                        theatre, mod.where):
                    continue
            out[mod.modifier] = _modifier(theatre, mod.modifier,
                                          f"{theatre.rules.modifiers[mod.modifier].text} "
                                          f"({rule.title})")
    return list(out.values())


def battle_combat(theatre: Theatre, position: Position, attack: Attack, turn: int,
                  extra: Iterable[Modifier] = (), from_sea: bool = False) -> Combat:
    """The engine's Combat for an attack, every modifier read from the position."""
    from wargame.maps.combat_terrain import battle_terrain

    table = theatre.rules.tables[attack.table]
    spec = table.spec
    rules = theatre.play
    parts = []
    for unit_id in attack.attackers:
        piece = position[unit_id]
        value = Fraction(theatre.factors(unit_id, piece.steps).get(spec.attack_factor, 0))
        label = theatre.name(unit_id) + (" reduced" if piece.steps < theatre.unit(unit_id).steps
                                         else "")
        if "out of supply" in piece.markers and rules.supply.out_attack != 1:
            share = Fraction(str(rules.supply.out_attack))
            label += f", out of supply x{share} ({rules.supply.out_case})"
            value *= share
        parts.append(Contribution(label, value, kind=unit_kind(theatre.catalog,
                                                              theatre.unit(unit_id))))
    defence = []
    for unit_id in attack.defenders:
        piece = position[unit_id]
        factors = theatre.factors(unit_id, piece.steps)
        value = factors.get(spec.defence_factor, 0)
        label = theatre.name(unit_id) + (" reduced" if piece.steps < theatre.unit(unit_id).steps
                                         else "")
        defence.append(Contribution(label, value, kind=unit_kind(theatre.catalog,
                                                                theatre.unit(unit_id))))
    modifiers = []
    froms = [] if from_sea else sorted({position[u].hex for u in attack.attackers})
    for terrain_id, where in battle_terrain(theatre.need_map(), hex_id(attack.target), froms):
        terrain = theatre.rules.terrain.get(terrain_id)
        if terrain is None or (terrain.tables and attack.table not in terrain.tables):
            continue
        from wargame.loading.rules import modifier_from

        modifiers.append(modifier_from(terrain, f"terrain: {terrain.name} ({where})"))
    for modifier in extra:
        modifiers.append(modifier)
    if theatre.night(turn) and "night" in theatre.rules.modifiers:
        night = theatre.rules.modifiers["night"]
        if not night.tables or attack.table in night.tables:
            modifiers.append(_modifier(theatre, "night", "night turn"))
    return Combat(tuple(parts), tuple(defence), tuple(modifiers))
