"""The air phase (8.0-8.4): both sides' missions, checked for base, range and one mission a
turn (a carrier flies its air group from its own hex, 8.4); air combat where fighters meet
(fighters over the same area first, then fighters against the strikes and supports flying
into their area); superiority over each hex; the strikes that get through; and the close
support each side will have in its attacks.

A mission's area is every hex within the air rules' radius of its hex. Two fighter
missions of opposing sides fight when their areas overlap; the side with the higher
air-to-air factor is the attacker (it sweeps into the other's air), the first player on a
tie. A fighter not yet engaged intercepts the first enemy strike or support whose hex lies
in its area, as the attacker. A side has air superiority over a hex when it has a fighter
left over it and the enemy has none; a side the scenario gives superiority by default
keeps it over a hex unless an enemy fighter is left over that hex and none of its own.
"""

from __future__ import annotations

from wargame.engine.combat import Combat, Contribution, prepare, resolve
from wargame.maps.hexgrid import Hex, distance, hex_id, within
from wargame.play.hexsets import hexes_of
from wargame.play.refusal import Refusal


def is_carrier(theatre, unit_id: str) -> bool:
    """Whether a unit is a ship that flies air missions from where it is (8.4)."""
    return theatre.domain(unit_id) == "naval" and \
        theatre.unit(unit_id).type in theatre.play.air.carrier_types


def base_distance(run, unit_id: str, target: Hex) -> int | None:
    """Hexes from an aircraft's base to a hex (a holding box counts from its map hex)."""
    piece = run.state.position[unit_id]
    if piece.on_map:
        return distance(piece.at, target)
    area = next((a for a in run.theatre.scenario.areas if a.id == piece.box), None)
    if area is None or not area.distance_from:
        return None
    from wargame.maps.hexgrid import parse_hex

    return area.distance + distance(parse_hex(area.distance_from), target)


class Mission:
    def __init__(self, side: str, unit: str, kind: str, target: Hex, line: int,
                 using: tuple[str, ...] = ()):
        self.side, self.unit, self.kind, self.target, self.line = side, unit, kind, target, line
        self.using = using
        self.engaged = False

    def area(self, radius: int) -> set[Hex]:
        return set(within(self.target, radius))


def check_mission(run, side: str, order) -> Mission:
    theatre = run.theatre
    rules = theatre.play.air
    position = run.state.position
    unit_id = order.unit
    piece = position[unit_id]
    name = theatre.name(unit_id)
    carrier = is_carrier(theatre, unit_id)
    if theatre.domain(unit_id) != "air" and not carrier:
        raise Refusal(rules.case, f"{name} is not an aircraft or an aircraft carrier")
    if not piece.alive or not piece.in_play:
        raise Refusal(rules.case, f"{name} is not in play")
    if piece.on_map and not carrier and piece.at not in theatre.airfields:
        raise Refusal(rules.case, f"{name} is not on an airfield")
    if "aborted" in piece.markers:
        raise Refusal(rules.case, f"{name} aborted and flies no more this turn")
    if order.to not in theatre.need_map():
        raise Refusal(rules.case, f"{hex_id(order.to)} is not a hex of the map")
    factors = theatre.factors(unit_id, piece.steps)
    points = factors.get("range", rules.carrier_range if carrier else 0)
    reach = rules.reach(points, theatre.need_map().info.hex_km)
    far = base_distance(run, unit_id, order.to)
    if far is None:
        raise Refusal(rules.case, f"{name} is in a box the scenario gives no distance to "
                      "the map")
    if far > reach:
        raise Refusal(rules.carrier_case if carrier else rules.case,
                      f"{hex_id(order.to)} is {far} hexes from {name}'s "
                      + ("hex" if carrier and piece.on_map else "base") + "; "
                      f"its range reaches {reach}", "pick a hex within range")
    if order.mission == "cap" and factors.get("air", 0) <= 0:
        raise Refusal(rules.superiority_case, f"{name} has no air-to-air factor: it cannot "
                      "fly for air superiority")
    if order.mission in ("strike", "support") and factors.get("strike", 0) <= 0:
        raise Refusal(rules.strike_case, f"{name} has no strike factor")
    if order.using:
        known = {i.id: i for i in theatre.scenario.victory.installations}
        wanted = known.get(order.using[0])
        if wanted is None or theatre.need_map().place_hexes.get(wanted.place) != order.to:
            here = [i.id for i in known.values()
                    if theatre.need_map().place_hexes.get(i.place) == order.to]
            raise Refusal(rules.strike_case, f'no installation "{order.using[0]}" in '
                          f"{hex_id(order.to)}", "its installations: " + (", ".join(here)
                                                                          or "none"))
    return Mission(side, unit_id, order.mission, order.to, order.line, order.using)


def _dogfight(run, attacker: Mission, defender: Mission, label: str) -> None:
    """One air combat on the Air Combat Table: losses and aborts for both."""
    from wargame.play.results import reduce

    theatre = run.theatre
    rules = theatre.play.air
    table = theatre.rules.tables[rules.combat_table]
    position = run.state.position
    spec = table.spec
    a = position[attacker.unit]
    d = position[defender.unit]
    combat = Combat((Contribution(theatre.name(attacker.unit),
                                  theatre.factors(attacker.unit, a.steps).get(spec.attack_factor, 0)),),
                    (Contribution(theatre.name(defender.unit),
                                  theatre.factors(defender.unit, d.steps).get(spec.defence_factor, 0)),))
    prepared = prepare(table, combat)
    summary = {"label": label, "kind": "air combat", "attackers": [attacker.unit],
               "defenders": [defender.unit], "target": hex_id(defender.target),
               "table": table.id, "column": prepared.column_label, "shift": prepared.shift,
               "drm": prepared.drm, "side": attacker.side}
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
    cause = {"label": label, "result": result.code, "case": rules.superiority_case}
    lines = []
    for mission, effect in ((attacker, result.attacker), (defender, result.defender)):
        piece = run.state.position[mission.unit]
        if effect.eliminated:
            lines.append(reduce(run, mission.unit, piece.steps, cause))
        elif effect.steps:
            lines.append(reduce(run, mission.unit, effect.steps, cause))
        piece = run.state.position[mission.unit]
        if piece.alive and "aborted" in effect.status:
            run.set_piece(piece.marked("aborted"), {**cause, "by": "marker",
                                                    "marker": "aborted"})
            lines.append(f"{theatre.name(mission.unit)} aborts")
    if lines:
        run.emit("note", {"label": label, "text": "; ".join(lines)})


def _flying(run, mission: Mission) -> bool:
    piece = run.state.position[mission.unit]
    return piece.alive and "aborted" not in piece.markers


def air_phase(run, sides: list[str]) -> None:
    theatre = run.theatre
    rules = theatre.play.air
    missions: list[Mission] = []
    flown: set[str] = set()
    for side in sides:
        for order in run._pending(side, "air"):
            run.done_lines.add((side, order.line))
            try:
                if order.unit in flown:
                    raise Refusal(rules.case, f"{theatre.name(order.unit)} flies one mission "
                                  "a turn")
                missions.append(check_mission(run, side, order))
                flown.add(order.unit)
            except Refusal as refusal:
                run.refuse(side, order, refusal)
    count = 0

    def label() -> str:
        nonlocal count
        count += 1
        from wargame.play.round import round_letter

        return f"T{run.turn:02d}{round_letter(run.inputs.round)}/A{count}"

    radius = rules.area_radius
    first = run.players["first"]
    caps = [m for m in missions if m.kind == "cap"]
    # fighters against fighters where their areas overlap
    for mission in [m for m in caps if m.side == first] + [m for m in caps if m.side != first]:
        if mission.engaged or not _flying(run, mission):
            continue
        rival = next((m for m in caps if m.side != mission.side and not m.engaged
                      and _flying(run, m)
                      and distance(m.target, mission.target) <= 2 * radius), None)
        if rival is None:
            continue
        mine = theatre.factors(mission.unit, run.state.position[mission.unit].steps)["air"]
        theirs = theatre.factors(rival.unit, run.state.position[rival.unit].steps)["air"]
        attacker, defender = (mission, rival) if mine >= theirs else (rival, mission)
        mission.engaged = rival.engaged = True
        _dogfight(run, attacker, defender, label())
    # fighters against the strikes and supports flying into their area
    for mission in caps:
        if mission.engaged or not _flying(run, mission):
            continue
        area = mission.area(radius)
        prey = next((m for m in missions if m.side != mission.side and not m.engaged
                     and m.kind in ("strike", "support") and m.target in area
                     and _flying(run, m)), None)
        if prey is None:
            continue
        mission.engaged = prey.engaged = True
        _dogfight(run, mission, prey, label())
    # air superiority over each hex
    superiority: dict[str, set[Hex]] = {side: set() for side in theatre.sides()}
    cover: dict[str, set[Hex]] = {side: set() for side in theatre.sides()}
    for mission in caps:
        if _flying(run, mission):
            cover[mission.side] |= mission.area(radius)
    for side in theatre.sides():
        enemy = theatre.enemy(side)
        superiority[side] = {h for h in cover[side] if h not in cover[enemy]}
    for rule in theatre.scenario.special_rules:
        for default in rule.air:
            if run.turn < default.first or (default.last and run.turn > default.last):
                continue
            enemy = theatre.enemy(default.side)
            hexes = hexes_of(theatre, default.where)
            lost = cover[enemy] - cover[default.side]
            superiority[default.side] |= {h for h in hexes if h not in lost}
            superiority[enemy] -= hexes - lost
    # strikes that get through, one roll per side and target hex
    support: dict[str, set[Hex]] = {side: set() for side in theatre.sides()}
    strikes: dict[tuple[str, Hex], list[Mission]] = {}
    for mission in missions:
        if mission.kind == "cap" or not _flying(run, mission):
            continue
        if mission.kind == "support":
            support[mission.side].add(mission.target)
        else:
            strikes.setdefault((mission.side, mission.target), []).append(mission)
    for (side, target), group in strikes.items():
        _strike(run, side, target, group, label())
    run.emit("air-result", {
        "superiority": {s: sorted(hex_id(h) for h in hexes) for s, hexes in superiority.items()},
        "support": {s: sorted(hex_id(h) for h in hexes) for s, hexes in support.items()}})


def _strike(run, side: str, target: Hex, group: list[Mission], label: str) -> None:
    """Strikes on a hex (8.2): the strike factors added, two dice on the Air Strike Table,
    each hit a step of the enemy units there (aircraft on an airfield included)."""
    from wargame.play.results import take_steps

    theatre = run.theatre
    rules = theatre.play.air
    table = theatre.rules.tables[rules.strike_table]
    position = run.state.position
    targets = [u for u in position.units_at(target) if position[u].side != side]
    parts = tuple(Contribution(theatre.name(m.unit), theatre.factors(
        m.unit, position[m.unit].steps).get(table.spec.attack_factor, 0)) for m in group)
    modifiers = []
    flak = max((theatre.factors(u, position[u].steps).get("flak", 0) for u in targets),
               default=0)
    if flak:
        from wargame.engine.combat import Modifier

        modifiers.append(Modifier(f"flak over the target ({rules.strike_case})", drm=-flak))
    prepared = prepare(table, Combat(parts, (), tuple(modifiers)))
    summary = {"label": label, "kind": "air strike", "side": side,
               "attackers": [m.unit for m in group], "defenders": targets,
               "target": hex_id(target), "table": table.id,
               "column": prepared.column_label, "shift": prepared.shift, "drm": prepared.drm}
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
    hits = result.defender.steps
    installation = _installation(run, group, target)
    if hits and installation is not None:
        total = run.state.hits.get(installation.id, 0) + hits
        run.emit("hits", {"target": installation.id, "total": total, "label": label})
        text = f"{installation.name}: {hits} hit{'s' if hits > 1 else ''}"
        this_turn = run.state.hits.get(f"{installation.id}/turn-{run.turn}", 0) + hits
        run.emit("hits", {"target": f"{installation.id}/turn-{run.turn}", "total": this_turn})
        if installation.closes_at and this_turn >= installation.closes_at > this_turn - hits:
            closed = run.state.hits.get(installation.id + "/closed", 0) + 1
            run.emit("hits", {"target": installation.id + "/closed", "total": closed})
            text += "; closed for the turn"
        run.emit("note", {"label": label, "text": text})
    elif hits and targets:
        lines = take_steps(run, targets, hits, {"label": label, "result": result.code,
                                                "case": rules.strike_case})
        run.emit("note", {"label": label, "text": "; ".join(lines)})


def _installation(run, group, target: Hex):
    """The installation a strike names, if it stands in the target hex."""
    names = {name for m in group for name in m.using}
    if not names:
        return None
    game_map = run.theatre.need_map()
    for installation in run.theatre.scenario.victory.installations:
        if installation.id in names and game_map.place_hexes.get(installation.place) == target:
            return installation
    return None
