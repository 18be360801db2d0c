"""Guerrilla actions (12.1): in its side's combat phase a guerrilla unit may act, instead of
attacking, against a road, railway or garrison within reach (``raid HEX with UNIT``). It
rolls on the Guerrilla Action Table in the column of its action rating: the raid may cost
it a step, cut the road (the hex breaks the enemy's supply line in this turn's supply phase
and marks the units in it out of supply), or hit the garrison."""

from __future__ import annotations

from wargame.engine.combat import Combat, Contribution, prepare, resolve
from wargame.maps.hexgrid import distance, hex_id
from wargame.play.refusal import Refusal


def raid(run, side: str, order, acted: set[str]) -> None:
    from wargame.play.results import take_steps

    theatre = run.theatre
    rules = theatre.play.guerrilla
    position = run.state.position
    target = order.to
    raiders = list(order.units)
    game_map = theatre.need_map()
    if target not in game_map:
        raise Refusal(rules.case, f"{hex_id(target)} is not a hex of the map")
    for unit_id in raiders:
        piece = position[unit_id]
        name = theatre.name(unit_id)
        if theatre.domain(unit_id) != "guerrilla" or piece.side != side:
            raise Refusal(rules.case, f"{name} is not a guerrilla unit of this side")
        if not piece.alive or not piece.on_map:
            raise Refusal(rules.case, f"{name} is not on the map")
        if distance(piece.at, target) > rules.reach:
            raise Refusal(rules.case, f"{name} in {piece.hex} is more than {rules.reach} "
                          f"hexes from {hex_id(target)}")
        if unit_id in acted:
            raise Refusal(rules.case, f"{name} has acted already this phase")
    garrison = [u for u in position.units_at(target) if position[u].side != side]
    if not garrison and target not in theatre.route_hexes:
        raise Refusal(rules.case, f"{hex_id(target)} holds no enemy unit and no road or "
                      "railway", "raid a garrison or a road hex")
    acted.update(raiders)
    run.attacked.update(raiders)
    table = theatre.rules.tables[rules.table]
    parts = tuple(Contribution(theatre.name(u), theatre.factors(u, position[u].steps)
                               .get(table.spec.attack_factor, 0)) for u in raiders)
    prepared = prepare(table, Combat(parts, ()))
    label = run.next_label("G")
    summary = {"label": label, "kind": "raid", "side": side, "attackers": raiders,
               "defenders": garrison, "target": hex_id(target), "table": table.id,
               "column": prepared.column_label, "shift": prepared.shift, "drm": prepared.drm,
               "explanation": list(prepared.explanation), "line": order.line}
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
    cause = {"label": label, "result": result.code, "case": rules.case}
    lines = []
    if result.attacker.steps:
        lines += take_steps(run, raiders, result.attacker.steps, cause)
    if "out of supply" in result.defender.status:
        run.emit("cut", {"hex": hex_id(target), "turn": run.turn, "side": side})
        lines.append(f"{hex_id(target)} cut: no supply passes it this turn")
        for unit_id in garrison:
            piece = position[unit_id]
            run.set_piece(piece.marked("out of supply"), {**cause, "by": "marker",
                                                          "marker": "out of supply"})
    hits = result.defender.steps or {"D1": 1, "D2": 2}.get(result.code, 0)
    if hits and garrison:
        lines += take_steps(run, garrison, hits, cause)
    if lines:
        run.emit("note", {"label": label, "text": "; ".join(lines)})
