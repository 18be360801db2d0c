"""Carrying out a combat result (7.6, 7.7, 5.3): step losses taken as the owner's standing
orders say (else by the documented default), retreats along the owner's path or the
default one, losses for blocked retreats and for enemy zones of control entered, advances
after combat, and markers.

The default choices, when a player gave none:
- a step loss comes from the unit with the most steps left (a unit is flipped before one is
  eliminated), among equals the one with the smallest printed attack plus defence, then the
  first in the battle;
- a retreat takes the path that enters the fewest enemy zones of control, then ends in a
  hex with room under the stacking limit, then ends next to the most friendly units, then
  the lowest hex numbers;
- nobody advances unless the attack order says so.
"""

from __future__ import annotations

import attrs

from wargame.maps.hexgrid import Hex, distance, hex_id, parse_hex
from wargame.play.movement import step_cost
from wargame.play.position import ELIMINATED
from wargame.play.zoc import BLOCKING, enemy_held, room_for, zoc_of


def take_steps(run, units: list[str], steps: int, cause: dict) -> list[str]:
    """Take ``steps`` from the units, in the owner's order; returns what happened to each."""
    lines = []
    for _ in range(steps):
        alive = [u for u in units if run.state.position[u].alive]
        if not alive:
            break
        unit_id = choose_loss(run, alive)
        lines.append(reduce(run, unit_id, 1, cause))
    return lines


def choose_loss(run, units: list[str]) -> str:
    """Which of a side's units in a battle takes the next step loss."""
    position = run.state.position
    side = position[units[0]].side
    standing = run.state.standing.get(side)
    if standing is not None:
        for unit_id in standing.losses:
            if unit_id in units:
                return unit_id
    theatre = run.theatre

    def weight(unit_id: str):
        factors = theatre.unit(unit_id).factors
        printed = sum(v for k, v in factors.items() if k in ("attack", "defence"))
        return (-position[unit_id].steps, printed, units.index(unit_id))

    return min(units, key=weight)


def reduce(run, unit_id: str, steps: int, cause: dict) -> str:
    """Take steps from one unit (to the Eliminated box at none left)."""
    piece = run.state.position[unit_id]
    left = piece.steps - steps
    name = run.theatre.name(unit_id)
    if left <= 0:
        run.set_piece(attrs.evolve(piece, steps=0, hex="", box=ELIMINATED, markers=()),
                      {**cause, "by": "eliminated", "from": piece.hex})
        return f"{name} eliminated"
    run.set_piece(attrs.evolve(piece, steps=left), {**cause, "by": "loss", "steps": steps})
    return f"{name} loses a step" if steps == 1 else f"{name} loses {steps} steps"


def eliminate(run, unit_id: str, cause: dict) -> str:
    piece = run.state.position[unit_id]
    return reduce(run, unit_id, piece.steps, cause)


def retreat_paths(run, unit_id: str, away_from: Hex, length: int, winners: str):
    """Every retreat path of exactly ``length`` hexes, each hex farther from ``away_from``,
    never into enemy units or prohibited terrain (7.6)."""
    theatre = run.theatre
    position = run.state.position
    game_map = theatre.need_map()
    blocked = enemy_held(theatre, position, position[unit_id].side)
    domain = theatre.domain(unit_id)
    start = position[unit_id].at

    def extend(path):
        if len(path) == length + 1:
            yield path
            return
        here = path[-1]
        for other in game_map.neighbours_on_map(here):
            if other in path or other in blocked:
                continue
            if distance(other, away_from) <= distance(here, away_from):
                continue
            if step_cost(theatre, here, other, domain) is None:
                continue
            yield from extend(path + [other])

    return list(extend([start]))


def _best_partial(run, unit_id: str, away_from: Hex, length: int, winners: str):
    for shorter in range(length - 1, 0, -1):
        paths = retreat_paths(run, unit_id, away_from, shorter, winners)
        if paths:
            return paths
    return []


def _score(run, unit_id: str, path: list[Hex], zoc, toward: Hex | None):
    theatre = run.theatre
    position = run.state.position
    side = position[unit_id].side
    entered_zoc = sum(1 for h in path[1:] if h in zoc)
    end = path[-1]
    full = 0 if room_for(theatre, position, end, side, unit_id) else 1
    friends = sum(1 for n in theatre.need_map().neighbours_on_map(end)
                  for u in position.units_at(n) if position[u].side == side)
    near = distance(end, toward) if toward is not None else 0
    return (near, entered_zoc, full, -friends, [hex_id(h) for h in path])


def retreat(run, unit_id: str, away_from: Hex, length: int, winners: str, cause: dict,
            blocked_policy: str = "steps") -> list[str]:
    """Retreat one unit ``length`` hexes; losses for ZOC hexes entered and for hexes it
    could not retreat. Returns what happened."""
    theatre = run.theatre
    rules = theatre.play
    position = run.state.position
    piece = position[unit_id]
    name = theatre.name(unit_id)
    zoc = zoc_of(theatre, position, winners) if rules.zoc.kind != "none" else frozenset()
    standing = run.state.standing.get(piece.side)
    wish = standing.retreats.get(unit_id) if standing else None
    toward = None
    lines = []
    paths = retreat_paths(run, unit_id, away_from, length, winners)
    chosen = None
    if wish and wish.get("via"):
        wanted = [piece.at] + [parse_hex(h) for h in wish["via"]]
        if wanted in paths:
            chosen = wanted
        else:
            lines.append(f"{name}: the retreat ordered ({' '.join(hex_id(h) for h in wanted[1:])})"
                         f" is not a legal retreat of {length} hex{'es' if length > 1 else ''} "
                         f"({rules.combat.results_case}); the default retreat is taken")
    elif wish and wish.get("toward"):
        toward = parse_hex(wish["toward"])
    short = 0
    if chosen is None and paths:
        chosen = min(paths, key=lambda p: _score(run, unit_id, p, zoc, toward))
    if chosen is None:
        partial = _best_partial(run, unit_id, away_from, length, winners)
        if partial:
            chosen = min(partial, key=lambda p: _score(run, unit_id, p, zoc, toward))
        else:
            chosen = [piece.at]
        short = length - (len(chosen) - 1)
    if len(chosen) > 1:
        run.move_piece(unit_id, chosen, {**cause, "by": "retreat",
                                         "case": rules.combat.results_case})
        lines.append(f"{name} retreats to {hex_id(chosen[-1])}")
    zoc_hexes = [h for h in chosen[1:] if h in zoc]
    if zoc_hexes and rules.zoc.retreat_loss:
        lines.append(f"{name} retreats through an enemy ZOC ({', '.join(hex_id(h) for h in zoc_hexes)},"
                     f" {rules.zoc.retreat_case})")
        lines.append(reduce(run, unit_id, rules.zoc.retreat_loss * len(zoc_hexes),
                            {**cause, "case": rules.zoc.retreat_case}))
    if short and run.state.position[unit_id].alive:
        if blocked_policy == "eliminated":
            lines.append(f"{name} cannot retreat ({rules.combat.results_case})")
            lines.append(eliminate(run, unit_id, {**cause, "case": rules.combat.results_case}))
        elif blocked_policy == "steps":
            lines.append(f"{name} cannot retreat {short} more hex{'es' if short > 1 else ''} "
                         f"({rules.combat.results_case})")
            lines.append(reduce(run, unit_id, short, {**cause,
                                                      "case": rules.combat.results_case}))
    return lines


def advance(run, attack, result_advance: int, cause: dict) -> list[str]:
    """Advance after combat into an emptied defender's hex (7.7), and one hex further when
    the result allows two and the order names the hex."""
    theatre = run.theatre
    position = run.state.position
    target = attack.target
    if result_advance < 1 or not attack.advance:
        return []
    if enemy_held(theatre, position, attack.side) & {target}:
        return []
    lines = []
    moved = []
    for unit_id in attack.advance:
        piece = position[unit_id]
        if not piece.alive or not piece.on_map or unit_id not in attack.attackers:
            continue
        if distance(piece.at, target) != 1:
            continue  # it retreated
        if not room_for(theatre, position, target, attack.side, unit_id):
            lines.append(f"{theatre.name(unit_id)} does not advance: {hex_id(target)} is "
                         f"full ({theatre.play.stacking.case})")
            continue
        run.move_piece(unit_id, [piece.at, target], {**cause, "by": "advance",
                                                     "case": theatre.play.combat.advance_case})
        lines.append(f"{theatre.name(unit_id)} advances to {hex_id(target)}")
        moved.append(unit_id)
    further = attack.advance_to
    if result_advance >= 2 and further is not None and moved:
        blocked = enemy_held(theatre, position, attack.side)
        ok = (distance(further, target) == 1 and further not in blocked
              and step_cost(theatre, target, further, "ground") is not None)
        if not ok:
            lines.append(f"no advance beyond {hex_id(target)}: {hex_id(further)} is not an "
                         f"empty land hex next to it ({theatre.play.combat.advance_case})")
            return lines
        for unit_id in moved:
            if room_for(theatre, position, further, attack.side, unit_id):
                run.move_piece(unit_id, [target, further],
                               {**cause, "by": "advance", "case": theatre.play.combat.advance_case})
                lines.append(f"{theatre.name(unit_id)} advances on to {hex_id(further)}")
    return lines


def carry_out(run, attack, result, label: str, blocked_policy: str,
              advance_allowed: bool = True) -> list[str]:
    """Everything a result does, attacker's losses first."""
    cause = {"label": label, "result": result.code, "case": run.theatre.play.combat.results_case}
    lines = []
    position = run.state.position
    defender_side = run.theatre.enemy(attack.side)
    before = {u: position[u].steps for u in attack.defenders}

    def effect(side: str, unit_id: str):
        return result.effect_for(side, run.theatre.unit(unit_id).type,
                                 run.theatre.domain(unit_id))

    for units, side in ((list(attack.attackers), "attacker"),
                        (list(attack.defenders), "defender")):
        alive = [u for u in units if position[u].alive and position[u].on_map]
        groups: dict = {}  # a result may treat some types apart (armour retreats...)
        for unit_id in alive:
            groups.setdefault(effect(side, unit_id), []).append(unit_id)
        for loss, group in groups.items():
            if loss.eliminated:
                lines += [eliminate(run, u, cause) for u in group]
            elif loss.steps:
                lines += take_steps(run, group, loss.steps, cause)
    if result.exchange:
        lines += exchange(run, attack, result, before, cause)
    for units, side, away, winners in (
            (attack.defenders, "defender", attack.target, attack.side),
            (attack.attackers, "attacker", attack.target, defender_side)):
        if units is attack.attackers and not advance_allowed:
            continue
        for unit_id in units:
            piece = position[unit_id]
            hexes = effect(side, unit_id).retreat
            if not hexes or not piece.alive or not piece.on_map:
                continue
            lines += retreat(run, unit_id, away, hexes, winners, cause, blocked_policy)
    for units, side in ((attack.attackers, "attacker"), (attack.defenders, "defender")):
        markers = dict.fromkeys(m for u in units for m in effect(side, u).status)
        for marker in markers:
            for unit_id in units:
                if marker not in effect(side, unit_id).status:
                    continue
                piece = position[unit_id]
                if piece.alive and marker not in piece.markers:
                    run.set_piece(piece.marked(marker), {**cause, "by": "marker",
                                                        "marker": marker})
                    lines.append(f"{run.theatre.name(unit_id)} is {marker}")
    if advance_allowed:
        lines += advance(run, attack, result.attacker.advance, cause)
    return lines


def printed_value(run, unit_id: str, steps: int, factor: str) -> int:
    """The factor printed on the side a unit shows with ``steps`` left (0 once gone)."""
    return run.theatre.factors(unit_id, steps).get(factor, 0) if steps > 0 else 0


def exchange(run, attack, result, before: dict[str, int], cause: dict) -> list[str]:
    """An exchange (7.6): after the defender's losses the attacker loses as many steps as
    the defender lost, or steps until it has lost at least the printed factors the defender
    lost (the table names the factor counted on each side)."""
    position = run.state.position
    table = run.theatre.rules.tables.get(attack.table)
    attack_factor, defence_factor = table.exchange_factors if table else ("attack", "defence")
    steps_lost = sum(before[u] - position[u].steps for u in before)
    factors_lost = sum(printed_value(run, u, before[u], defence_factor)
                       - printed_value(run, u, position[u].steps, defence_factor)
                       for u in before)

    def alive():
        return [u for u in attack.attackers if position[u].alive and position[u].on_map]

    if result.exchange_counts == "steps":
        return take_steps(run, alive(), steps_lost, cause) if alive() else []
    lines, taken = [], 0
    while taken < factors_lost and alive():
        unit_id = choose_loss(run, alive())
        steps = position[unit_id].steps
        lines.append(reduce(run, unit_id, 1, cause))
        taken += printed_value(run, unit_id, steps, attack_factor) \
            - printed_value(run, unit_id, position[unit_id].steps, attack_factor)
    return lines


def eliminate_overstacked(run, side: str, cause: dict) -> list[str]:
    """End of a phase: a hex over the stacking limit loses the excess units (4.1), the
    owner's weakest first."""
    theatre = run.theatre
    position = run.state.position
    lines = []
    for hex_ in sorted(set(position.occupied_hexes())):
        while True:
            units = [u for u in position.units_at(hex_) if position[u].side == side
                     and theatre.domain(u) in BLOCKING]
            from wargame.play.zoc import stacking_excess

            if not units or stacking_excess(theatre, position, hex_, side) is None:
                break
            weakest = min(units, key=lambda u: (position[u].steps, sum(
                theatre.factors(u, position[u].steps).values()), u))
            lines.append(f"{hex_id(hex_)} is over the stacking limit "
                         f"({theatre.play.stacking.case})")
            lines.append(eliminate(run, weakest, {**cause, "case": theatre.play.stacking.case}))
    return lines
