"""Sea lift, naval interdiction and landings (10.1, 9.1, 10.2, 3.2).

Ground units embark on lift units (junk flotillas, landing ships) in a port at the end of
their movement (``embark UNIT on LIFT, LIFT``): the first lift named leads, the others sail
with it, and together they carry as much as their lift factors add up to (a division counts
as the rules of play say). A lift moves over sea hexes (``move LIFT to HEX``) with all it
carries; enemy warships within their own movement of its path fire on it (one roll for the
group on the Naval Interdiction Table, their gunnery added). In a later movement phase the
troops land (``land UNIT at HEX``) on a beach or a port next to the lift: against defenders
on the Amphibious Landing Table, unopposed at once; they come ashore when the hex is free
of the enemy after the roll, and otherwise stay aboard."""

from __future__ import annotations

import attrs

from wargame.engine.combat import Combat, Contribution, prepare, resolve
from wargame.maps.hexgrid import Hex, distance, hex_id
from wargame.play.refusal import Refusal
from wargame.play.zoc import BLOCKING


def size(theatre, unit_id: str) -> int:
    """The lift a unit takes."""
    return theatre.play.sea.sizes.get(theatre.unit(unit_id).echelon, 1)


def is_lift(theatre, unit_id: str) -> bool:
    return theatre.domain(unit_id) == "naval" and \
        theatre.play.sea.lift_factor in theatre.unit(unit_id).factors


def is_warship(theatre, unit_id: str, steps: int) -> bool:
    return theatre.domain(unit_id) == "naval" and \
        theatre.factors(unit_id, steps).get("gunnery", 0) > 0


def capacity(theatre, position, lead: str) -> tuple[int, int]:
    """(lift of the group, lift its troops take)."""
    factor = theatre.play.sea.lift_factor
    lifts = [lead] + [u for u in position.cargo(lead) if is_lift(theatre, u)]
    total = sum(theatre.factors(u, position[u].steps).get(factor, 0) for u in lifts)
    used = sum(size(theatre, u) for u in position.cargo(lead) if not is_lift(theatre, u))
    return total, used


def troops(theatre, position, lead: str) -> list[str]:
    return [u for u in position.cargo(lead) if not is_lift(theatre, u)]


def embark(run, side: str, order) -> None:
    theatre = run.theatre
    rules = theatre.play.sea
    position = run.state.position
    unit_id = order.unit
    piece = position[unit_id]
    name = theatre.name(unit_id)
    lifts = list(order.units)
    if theatre.domain(unit_id) not in BLOCKING or not piece.on_map or piece.carrier:
        raise Refusal(rules.case, f"{name} is not a ground unit on the map ashore")
    if piece.at not in theatre.ports:
        raise Refusal(rules.case, f"{name} is in {piece.hex}, which is no port: units embark "
                      "in a port hex")
    lead = lifts[0]
    for lift in lifts:
        other = position[lift]
        if not is_lift(theatre, lift) or other.side != side:
            raise Refusal(rules.case, f"{theatre.name(lift)} is not a lift unit of this side")
        if other.hex != piece.hex or not other.alive:
            raise Refusal(rules.case, f"{theatre.name(lift)} is not in {piece.hex} with {name}")
        if lift != lead and (other.carrier not in ("", lead) or troops(theatre, position, lift)):
            raise Refusal(rules.case, f"{theatre.name(lift)} carries a load of its own")
    if position[lead].carrier:
        raise Refusal(rules.case, f"{theatre.name(lead)} sails with another lift: name that "
                      "one first")
    total, used = capacity(theatre, position, lead)
    factor = rules.lift_factor
    total += sum(theatre.factors(u, position[u].steps).get(factor, 0) for u in lifts[1:]
                 if position[u].carrier != lead)
    if used + size(theatre, unit_id) > total:
        raise Refusal(rules.case, f"{name} takes {size(theatre, unit_id)} lift and "
                      f"{theatre.name(lead)}'s group has {total - used} left",
                      "name more lift units in the order")
    for lift in lifts[1:]:
        if position[lift].carrier != lead:
            run.set_piece(attrs.evolve(position[lift], carrier=lead,
                                       markers=position[lift].markers + (f"sailing with {lead}",)),
                          {"by": "embark", "case": rules.case, "line": order.line, "side": side})
    run.set_piece(attrs.evolve(piece, carrier=lead), {"by": "embark", "case": rules.case,
                                                      "line": order.line, "side": side})


def sail(run, side: str, lead: str, path: list[Hex], line: int) -> None:
    """After a lift group moved: its load follows, and the enemy's warships fire on it."""
    position = run.state.position
    here = position[lead].hex
    for unit_id in position.cargo(lead):
        piece = position[unit_id]
        if piece.hex != here:
            run.set_piece(attrs.evolve(piece, hex=here), {"by": "aboard", "side": side,
                                                          "line": line})
    if troops(run.theatre, position, lead):
        interdict(run, side, lead, path)


def interdict(run, side: str, lead: str, path: list[Hex]) -> None:
    from wargame.play.results import reduce, take_steps

    theatre = run.theatre
    rules = theatre.play.sea
    table_id = rules.interdiction_table
    if table_id not in theatre.rules.tables:
        return
    position = run.state.position
    enemy = theatre.enemy(side)
    ships = []
    for piece in position.side_pieces(enemy):
        if not piece.on_map or piece.carrier or "aborted" in piece.markers:
            continue
        if not is_warship(theatre, piece.unit, piece.steps):
            continue
        from wargame.play.movement import base_allowance

        reach = int(base_allowance(theatre, piece.unit, piece.steps))
        if any(distance(piece.at, h) <= reach for h in path):
            ships.append(piece.unit)
    if not ships:
        return
    table = theatre.rules.tables[table_id]
    parts = tuple(Contribution(theatre.name(u), theatre.factors(u, position[u].steps)
                               .get(table.spec.attack_factor, 0)) for u in ships)
    modifiers = []
    end = position[lead].at
    escorts = [u for u in position.units_at(end) if position[u].side == side and
               is_warship(theatre, u, position[u].steps)]
    from wargame.loading.rules import modifier_from

    if escorts and rules.escort_modifier in theatre.rules.modifiers:
        modifiers.append(modifier_from(theatre.rules.modifiers[rules.escort_modifier],
                                       "escorted by " + ", ".join(theatre.name(u)
                                                                  for u in escorts)))
    if theatre.night(run.turn) and "night" in theatre.rules.modifiers:
        night = theatre.rules.modifiers["night"]
        if not night.tables or table_id in night.tables:
            modifiers.append(modifier_from(night, "night crossing"))
    prepared = prepare(table, Combat(parts, (), tuple(modifiers)))
    label = run.next_label("N")
    cargo = troops(theatre, position, lead)
    summary = {"label": label, "kind": "interdiction", "side": enemy, "attackers": ships,
               "defenders": [lead] + cargo, "target": hex_id(end), "table": table_id,
               "column": prepared.column_label, "shift": prepared.shift, "drm": prepared.drm,
               "explanation": list(prepared.explanation)}
    if run.dice is None:
        from wargame.engine.combat import distribution

        run.previews.append({**summary, "odds": {r.code: f"{p.numerator}/{p.denominator}"
                                                 for r, p in distribution(prepared).items()}})
        return
    resolution = resolve(prepared, run.dice(label))
    roll = resolution.roll
    code = resolution.result.code
    run.emit("roll", {**summary, "faces": [list(f) for f in roll.faces] if roll else [],
                      "total": roll.total if roll else None, "modified": resolution.modified,
                      "row": resolution.row, "result": code, "text": resolution.result.text,
                      "explanation": list(resolution.explanation)})
    cause = {"label": label, "result": code, "case": rules.interdiction_case}
    lines = []
    if resolution.result.defender.eliminated or code == "DE":
        for unit_id in position.cargo(lead) + [lead]:
            lines.append(reduce(run, unit_id, position[unit_id].steps, cause))
    elif "turned back" in resolution.result.defender.status or code == "TB":
        back = path[0]
        for unit_id in [lead] + position.cargo(lead):
            piece = position[unit_id]
            run.set_piece(attrs.evolve(piece, hex=hex_id(back)) if unit_id != lead else
                          attrs.evolve(piece, hex=hex_id(back)).marked("turned back"),
                          {**cause, "by": "turned back"})
        lines.append(f"{theatre.name(lead)} turns back to {hex_id(back)}")
    elif code == "D1" or resolution.result.defender.steps:
        lines += take_steps(run, troops(theatre, position, lead),
                            max(1, resolution.result.defender.steps), cause)
    if lines:
        run.emit("note", {"label": label, "text": "; ".join(lines)})


def land(run, side: str, orders) -> None:
    """Every landing ordered, one per hex (the troops landing there together)."""
    theatre = run.theatre
    rules = theatre.play.sea
    position = run.state.position
    by_hex: dict[Hex, list] = {}
    for order in orders:
        try:
            landing = _landing(run, side, order)
        except Refusal as refusal:
            run.refuse(side, order, refusal)
            continue
        by_hex.setdefault(order.to, []).append((order, landing))
    for target, items in by_hex.items():
        units = [u for _, landing in items for u in landing]
        defenders = [u for u in position.units_at(target) if position[u].side != side
                     and theatre.domain(u) in BLOCKING]
        label = None
        if defenders:
            label = _assault(run, side, units, target, defenders, [o for o, _ in items])
        if any(u for u in position.units_at(target) if position[u].side != side
               and theatre.domain(u) in BLOCKING):
            continue  # the beach still holds: the troops stay aboard
        for unit_id in units:
            piece = position[unit_id]
            if not piece.alive:
                continue
            run.move_piece(unit_id, [piece.at, target],
                           {"by": "landing", "case": rules.landing_case, "side": side,
                            "label": label, "line": items[0][0].line})
            run.set_piece(attrs.evolve(run.state.position[unit_id], carrier=""),
                          {"by": "ashore", "case": rules.landing_case, "side": side})
        _release_empty_lifts(run, side)


def _release_empty_lifts(run, side: str) -> None:
    """Lifts that sailed with a lead whose load is ashore go their own way again."""
    position = run.state.position
    theatre = run.theatre
    for piece in list(position.side_pieces(side)):
        if piece.carrier and is_lift(theatre, piece.unit) and \
                not troops(theatre, position, piece.carrier):
            run.set_piece(attrs.evolve(piece, carrier="", markers=tuple(
                m for m in piece.markers if not m.startswith("sailing with"))),
                {"by": "released", "case": theatre.play.sea.case})


def _landing(run, side: str, order) -> list[str]:
    """The units an order lands (checked): a lead lift's whole load, or one unit of it."""
    theatre = run.theatre
    rules = theatre.play.sea
    position = run.state.position
    game_map = theatre.need_map()
    named = order.unit
    piece = position[named]
    lead = named if is_lift(theatre, named) else piece.carrier
    name = theatre.name(named)
    if not lead:
        raise Refusal(rules.landing_case, f"{name} is not aboard a lift unit")
    units = troops(theatre, position, lead) if named == lead else [named]
    if not units:
        raise Refusal(rules.landing_case, f"{theatre.name(lead)} carries no troops")
    if any("turned back" in position[u].markers for u in [lead]):
        raise Refusal(rules.landing_case, f"{theatre.name(lead)} was turned back this turn")
    target = order.to
    if target not in game_map or not game_map.is_land(target):
        raise Refusal(rules.landing_case, f"{hex_id(target)} is no land hex")
    features = set(game_map.features.get(target, ()))
    if target not in theatre.ports and not features & set(rules.landing_features):
        raise Refusal(rules.landing_case, f"{hex_id(target)} has no beach and no port: troops "
                      "land only there")
    where = position[lead].at
    if where != target and distance(where, target) != 1:
        raise Refusal(rules.landing_case, f"{theatre.name(lead)} in {hex_id(where)} is not "
                      f"next to {hex_id(target)}", "sail next to the beach first")
    if order.line in run.landed_lines:
        raise Refusal(rules.landing_case, "the landing is ordered twice")
    run.landed_lines.add(order.line)
    return units


def _assault(run, side: str, units, target: Hex, defenders, orders) -> str:
    """An opposed landing on the Amphibious Landing Table."""
    from wargame.play.combat import Attack, battle_combat, scenario_modifiers
    from wargame.play.gunfire import fired, gunfire
    from wargame.play.results import carry_out

    theatre = run.theatre
    rules = theatre.play.sea
    table_id = rules.landing_table
    label = run.next_label("L")
    attack = Attack(label, side, tuple(units), target, tuple(defenders), table_id,
                    using=tuple(u for o in orders for u in o.using))
    extra = scenario_modifiers(theatre, run.state.position, attack, run.turn,
                               run.modifier_uses)
    fire, ships = gunfire(run, side, target, table_id)
    fired(run, ships)
    # the hexside between the boats and the beach is the sea: no river halves the landing
    combat = battle_combat(theatre, run.state.position, attack, run.turn, extra + fire,
                           from_sea=True)
    table = theatre.rules.tables[table_id]
    prepared = prepare(table, combat)
    summary = {"label": label, "kind": "landing", "side": side, "attackers": list(units),
               "defenders": list(defenders), "target": hex_id(target), "table": table_id,
               "column": prepared.column_label, "shift": prepared.shift, "drm": prepared.drm,
               "explanation": list(prepared.explanation)}
    if ships:
        summary["gunfire"] = ships
    if run.dice is None:
        from wargame.engine.combat import distribution

        run.previews.append({**summary, "odds": {r.code: f"{p.numerator}/{p.denominator}"
                                                 for r, p in distribution(prepared).items()}})
        return label
    resolution = resolve(prepared, run.dice(label))
    roll = resolution.roll
    run.emit("roll", {**summary, "faces": [list(f) for f in roll.faces] if roll else [],
                      "total": roll.total if roll else None, "modified": resolution.modified,
                      "row": resolution.row, "result": resolution.result.code,
                      "text": resolution.result.text,
                      "explanation": list(resolution.explanation)})
    lines = carry_out(run, attack, resolution.result, label, table.spec.blocked_retreat,
                      advance_allowed=False)
    if lines:
        run.emit("note", {"label": label, "text": "; ".join(lines)})
    return label
