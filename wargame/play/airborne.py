"""Airborne drops (11.1): an airborne unit on an airfield or in a holding box, with a
transport of its side beside it that has not flown this turn, drops on a land hex free of
the enemy within the transport's range. It rolls on the Airborne Drop Table in the column of
the ground it drops on: landed formed (it may attack in the combat phase), scattered (it
lands in a neighbouring hex, the defender's choice: the first free one in hex order),
disrupted with a step lost, or destroyed."""

from __future__ import annotations

from wargame.engine.combat import Combat, Contribution, prepare, resolve
from wargame.maps.hexgrid import hex_id
from wargame.play.refusal import Refusal
from wargame.play.zoc import enemy_held


def ground_column(theatre, hex_) -> str:
    """The drop table's column for a hex: clear ground, broken ground, or a town."""
    game_map = theatre.need_map()
    terrain = game_map.terrain.get(hex_)
    if terrain == "city" or "town" in game_map.features.get(hex_, ()):
        return "town"
    if terrain in ("rough", "forest", "mountain"):
        return "rough"
    return "clear"


def drop(run, side: str, order) -> None:
    from wargame.play.air import base_distance
    from wargame.play.combat import Attack, scenario_modifiers
    from wargame.play.results import eliminate, reduce

    theatre = run.theatre
    rules = theatre.play.airborne
    position = run.state.position
    unit_id = order.unit
    piece = position[unit_id]
    name = theatre.name(unit_id)
    if theatre.unit(unit_id).type not in rules.airborne_types:
        raise Refusal(rules.case, f"{name} is not an airborne unit")
    if not piece.alive or not piece.in_play or piece.carrier:
        raise Refusal(rules.case, f"{name} is not ready to drop")
    if piece.on_map and piece.at not in theatre.airfields:
        raise Refusal(rules.case, f"{name} is not on an airfield")
    transports = [p for p in position.side_pieces(side)
                  if theatre.unit(p.unit).type in rules.transport_types and p.alive
                  and p.where == piece.where and p.unit not in run.flown]
    if not transports:
        raise Refusal(rules.case, f"no transport of this side stands with {name} that has "
                      "not flown this turn")
    transport = transports[0]
    game_map = theatre.need_map()
    reach = theatre.play.air.reach(theatre.factors(transport.unit, transport.steps)
                                   .get("movement", 0), game_map.info.hex_km)
    target = order.to
    if target not in game_map or not game_map.is_land(target):
        raise Refusal(rules.case, f"{hex_id(target)} is no land hex")
    far = base_distance(run, unit_id, target)
    if far is None or far > reach:
        raise Refusal(rules.case, f"{hex_id(target)} is beyond the reach of "
                      f"{theatre.name(transport.unit)} ({reach} hexes)")
    if target in enemy_held(theatre, position, side):
        raise Refusal(rules.case, f"enemy units hold {hex_id(target)}: airborne units drop "
                      "beside the enemy, then attack")
    run.flown.add(transport.unit)
    table = theatre.rules.tables[rules.table]
    label = run.next_label("D")
    attack = Attack(label, side, (unit_id,), target, (), rules.table)
    extra = scenario_modifiers(theatre, position, attack, run.turn, run.modifier_uses)
    column = ground_column(theatre, target)
    parts = (Contribution(name, 1),)
    prepared = prepare(table, Combat(parts, (), tuple(extra), column=column))
    summary = {"label": label, "kind": "drop", "side": side, "attackers": [unit_id],
               "defenders": [], "target": hex_id(target), "table": table.id,
               "column": prepared.column_label, "shift": prepared.shift, "drm": prepared.drm,
               "explanation": list(prepared.explanation)}
    if run.dice is None:
        from wargame.engine.combat import distribution

        run.previews.append({**summary, "odds": {r.code: f"{p.numerator}/{p.denominator}"
                                                 for r, p in distribution(prepared).items()}})
        return
    resolution = resolve(prepared, run.dice(label))
    roll = resolution.roll
    result = resolution.result
    run.emit("roll", {**summary, "faces": [list(f) for f in roll.faces] if roll else [],
                      "total": roll.total if roll else None, "modified": resolution.modified,
                      "row": resolution.row, "result": result.code, "text": result.text,
                      "explanation": list(resolution.explanation)})
    cause = {"label": label, "result": result.code, "case": rules.case, "side": side}
    effect = result.attacker
    if effect.eliminated:
        run.emit("note", {"label": label, "text": eliminate(run, unit_id, cause)})
        return
    landing = target
    if "scattered" in effect.status:
        blocked = enemy_held(theatre, position, side)
        near = [h for h in sorted(game_map.neighbours_on_map(target))
                if game_map.is_land(h) and h not in blocked]
        if not near:
            run.emit("note", {"label": label, "text": eliminate(run, unit_id, cause)})
            return
        landing = near[0]
    origin = piece.at
    run.move_piece(unit_id, [origin, landing] if origin else [landing],
                   {**cause, "by": "drop"})
    lines = [f"{name} lands in {hex_id(landing)}"]
    for marker in effect.status:
        run.set_piece(run.state.position[unit_id].marked(marker),
                      {**cause, "by": "marker", "marker": marker})
    if effect.steps:
        lines.append(reduce(run, unit_id, effect.steps, cause))
    run.emit("note", {"label": label, "text": "; ".join(lines)})
