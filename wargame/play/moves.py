"""Carrying out one move, exploit or enter order in a movement or exploitation phase: who
may move (6.1, 6.6, 14.1, special rules), from where (the map, or a holding box, 6.5), and
along which path (wargame.play.movement)."""

from __future__ import annotations

from fractions import Fraction

from wargame.maps.hexgrid import Hex, hex_id
from wargame.play.hexsets import hexes_of
from wargame.play.movement import Leg, Mover, allowance, fraction_text, step_cost
from wargame.play.orders import Order
from wargame.play.position import POOL
from wargame.play.refusal import Refusal
from wargame.play.zoc import BLOCKING, enemy_held, stacking_excess


def entry_hexes(run, side: str, box: str) -> list[Hex]:
    """Where units leave a holding box for the map (6.5): the box's own entry hexes, else
    the side's ports and airfields."""
    theatre = run.theatre
    area = theatre.scenario.area(box)
    control = run.state.position.control
    if area.enter_at is not None:
        hexes = hexes_of(theatre, area.enter_at, side, control)
    else:
        kinds = set(theatre.play.movement.box_entry)
        hexes = set()
        if "port" in kinds:
            hexes |= set(theatre.ports)
        if "airfield" in kinds:
            hexes |= set(theatre.airfields)
    hexes = {h for h in hexes if control.get(h, side) == side}
    return sorted(hexes - enemy_held(theatre, run.state.position, side))


def carry_out_move(run, side: str, order: Order, exploitation: bool) -> None:
    theatre = run.theatre
    rules = theatre.play
    position = run.state.position
    unit_id = order.unit
    piece = position[unit_id]
    name = theatre.name(unit_id)
    domain = theatre.domain(unit_id)
    case = rules.exploitation.case if exploitation else rules.movement.case
    if not piece.alive:
        raise Refusal(case, f"{name} has been eliminated")
    if piece.box == POOL:
        entry = theatre.entries[unit_id]
        raise Refusal(rules.reinforcements.case, f"{name} has not arrived yet (it arrives on "
                      f"turn {entry.turn})")
    if domain == "air":
        raise Refusal(rules.air.case, f"{name} is an aircraft: it flies missions ('air "
                      f"{name} cap|strike|support HEX') and stays at its base")
    if piece.carrier:
        raise Refusal(rules.sea.case, f"{name} is aboard {theatre.name(piece.carrier)}: "
                      f"move the lift, or land {name} at a beach or port next to it")
    for rule in theatre.scenario.special_rules:
        for limit in rule.restrictions:
            if unit_id in limit.units and run.turn < limit.no_move_before:
                raise Refusal(f"special rule '{rule.title}'", f"{name} may not move before "
                              f"turn {limit.no_move_before}")
    phase = run.phase.kind + run.phase.player
    moved = run.moved.setdefault(phase, set())
    if unit_id in moved:
        raise Refusal(case, f"{name} has moved already this phase", "give each unit one "
                      "order a phase, with its whole path")
    if exploitation:
        unit_type = theatre.unit(unit_id).type
        if unit_type not in rules.exploitation.types:
            raise Refusal(case, f"{name} is not armoured, mechanised or motorised: only "
                          + ", ".join(rules.exploitation.types) + " units exploit")
        if rules.exploitation.not_after_attacking and unit_id in run.attacked:
            raise Refusal(case, f"{name} attacked in the combat phase and may not exploit")
    budget, _ = allowance(theatre, position, unit_id, run.turn, exploitation)
    override = run.overridden(side, order)
    if override:
        leg = _overridden_leg(run, unit_id, order)
    elif not piece.on_map:
        if exploitation:
            raise Refusal(case, f"{name} is in a holding box: units enter the map in a "
                          "movement phase")
        leg = _from_box(run, side, unit_id, order, budget)
    elif order.verb == "enter":
        raise Refusal(rules.movement.box_case, f"{name} is on the map already: use 'move'")
    else:
        mover = Mover(theatre, position, unit_id, budget)
        if order.path:
            path = list(order.path)
            if path[0] != piece.at:
                path = [piece.at] + path
            leg = mover.check(path)
        else:
            leg = mover.route_to(order.to)
    end = leg.path[-1]
    if domain in BLOCKING:
        problem = stacking_excess(theatre, position, end, side, (unit_id,))
        if problem:
            raise Refusal(rules.stacking.case, f"{name} cannot end its move there: {problem}",
                          "move a unit out of that hex earlier in the orders, or stop in "
                          "another hex")
    cause = {"by": "exploit" if exploitation else "move", "side": side, "line": order.line,
             "cost": fraction_text(leg.cost) if leg.cost is not None else None}
    if leg.one_hex:
        cause["case"] = rules.movement.one_hex_case
    if override:
        cause["override"] = override
    run.move_piece(unit_id, list(leg.path), cause)
    moved.add(unit_id)
    if domain == "naval":
        from wargame.play.sea import sail

        sail(run, side, unit_id, list(leg.path), order.line)


def _from_box(run, side: str, unit_id: str, order: Order, budget: Fraction) -> Leg:
    """A unit leaving a holding box: it enters at an entry hex, paying what the hex costs,
    and moves on with what is left (6.5)."""
    theatre = run.theatre
    rules = theatre.play.movement
    position = run.state.position
    name = theatre.name(unit_id)
    box = position[unit_id].box
    entries = entry_hexes(run, side, box)
    if not entries:
        raise Refusal(rules.box_case, f"{name} has no hex to enter the map at: every "
                      f"entry hex of {theatre.scenario.area(box).name} is held by the enemy")
    domain = theatre.domain(unit_id)

    def entry_cost(hex_: Hex) -> Fraction:
        cost = step_cost(theatre, hex_, hex_, domain)
        return cost if cost is not None else Fraction(1)

    if order.verb == "enter" or (order.path and len(order.path) == 1 and not order.to):
        target = order.to if order.verb == "enter" else order.path[0]
        if target not in entries:
            raise Refusal(rules.box_case, f"{name} leaves {theatre.scenario.area(box).name} "
                          f"at {_listed(entries)}, not at {hex_id(target)}")
        return Leg((target,), entry_cost(target))
    if order.path:
        first = order.path[0]
        if first not in entries:
            raise Refusal(rules.box_case, f"{name} leaves {theatre.scenario.area(box).name} "
                          f"at {_listed(entries)}: the path must start there")
        leg = _onward(run, unit_id, first, list(order.path), budget - entry_cost(first))
        return Leg(leg.path, leg.cost + entry_cost(first), leg.one_hex)
    best = None
    problem = None
    for first in entries:
        try:
            leg = _onward(run, unit_id, first, None, budget - entry_cost(first), order.to)
        except Refusal as refusal:
            problem = problem or refusal
            continue
        leg = Leg(leg.path, leg.cost + entry_cost(first), leg.one_hex)
        if best is None or leg.cost < best.cost:
            best = leg
    if best is None:
        raise problem
    return best


def _onward(run, unit_id: str, first: Hex, path, budget: Fraction, goal: Hex | None = None) -> Leg:
    """A move from an entry hex, as if the unit stood there."""
    import attrs

    position = run.state.position
    piece = position[unit_id]
    stand_in = position.copy()
    stand_in.put(attrs.evolve(piece, hex=hex_id(first), box=""))
    mover = Mover(run.theatre, stand_in, unit_id, max(budget, Fraction(0)))
    if path is not None:
        return mover.check(path) if len(path) > 1 else Leg((first,), Fraction(0))
    if goal == first:
        return Leg((first,), Fraction(0))
    return mover.route_to(goal)


def _overridden_leg(run, unit_id: str, order: Order) -> Leg:
    """A move the umpire lets stand against the rules: along the path written, or straight
    to the hex; it must still end on the map."""
    position = run.state.position
    piece = position[unit_id]
    game_map = run.theatre.need_map()
    path = list(order.path) if order.path else [order.to]
    for hex_ in path:
        if hex_ not in game_map:
            raise Refusal(run.theatre.play.movement.case, f"{hex_id(hex_)} is not on the map")
    start = [piece.at] if piece.on_map else []
    return Leg(tuple(start + path), None)


def _listed(hexes) -> str:
    hexes = [hex_id(h) for h in hexes]
    return hexes[0] if len(hexes) == 1 else ", ".join(hexes[:-1]) + " or " + hexes[-1]
