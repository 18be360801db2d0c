"""Simple scripted players for whole games: each reads what its side may see (`game status
--side S --json`), the map and the counters, and writes orders in the orders format, as a
player posting to a forum would. They play to a plan, not well: the KPA pushes south along
the roads and attacks at good odds; the UN holds its cities and falls back from bad odds."""

from __future__ import annotations

from fractions import Fraction

from wargame.maps.hexgrid import distance, hex_id
from wargame.play.movement import Mover, allowance
from wargame.play.position import Piece, Position
from wargame.play.theatre import Theatre
from wargame.play.victory import objective_hexes
from wargame.play.zoc import room_for


def seen_position(status: dict) -> Position:
    pieces = {}
    for unit_id, unit in status["units"].items():
        pieces[unit_id] = Piece.from_record(unit)
    return Position(pieces, {})


def _ground(theatre: Theatre, position: Position, side: str):
    return [p for p in position.side_pieces(side)
            if p.on_map and theatre.domain(p.unit) == "ground"]


def _defence(theatre: Theatre, position: Position, hex_) -> Fraction:
    total = Fraction(0)
    for unit_id in position.units_at(hex_):
        factors = theatre.factors(unit_id, position[unit_id].steps)
        total += factors.get("defence", 0)
    terrain = theatre.rules.terrain.get(theatre.need_map().terrain.get(hex_))
    return total * Fraction(str(terrain.defence_multiplier)) if terrain else total


def _attack(theatre: Theatre, position: Position, units) -> int:
    return sum(theatre.factors(u, position[u].steps).get("attack", 0) for u in units)


def _move(theatre, position, side, piece, goal, turn, lines, taken) -> None:
    budget, _ = allowance(theatre, position, piece.unit, turn)
    reach = Mover(theatre, position, piece.unit, budget).reachable()
    options = [h for h, (cost, _) in reach.items() if cost <= budget or h == piece.at]
    options = [h for h in options if room_for(theatre, position, h, side, piece.unit)
               and taken.get(h, 0) < 3]
    if not options:
        return
    best = min(options, key=lambda h: (distance(h, goal), reach[h][0], h))
    if best == piece.at:
        return
    lines.append(f"move {theatre.name(piece.unit)} to {hex_id(best)}")
    position.put(Piece(piece.unit, side, piece.steps, hex=hex_id(best)))
    taken[best] = taken.get(best, 0) + 1


def _attacks(theatre, position, side, lines, at_least: Fraction, advance: bool) -> list:
    """Attack every visible enemy hex that the units next to it can take at good odds."""
    enemy = theatre.enemy(side)
    game_map = theatre.need_map()
    used: set[str] = set()
    targets = sorted({p.at for p in _ground(theatre, position, enemy)})
    made = []
    for target in targets:
        attackers = [p.unit for p in _ground(theatre, position, side)
                     if distance(p.at, target) == 1 and p.unit not in used
                     and theatre.factors(p.unit, p.steps).get("attack", 0) > 0]
        if not attackers:
            continue
        defence = _defence(theatre, position, target)
        attack = _attack(theatre, position, attackers)
        if defence and Fraction(attack) / defence >= at_least and target in game_map:
            names = ", ".join(theatre.name(u) for u in attackers)
            line = f"attack {hex_id(target)} with {names}"
            if advance:
                line += f" advance {theatre.name(max(attackers, key=lambda u: theatre.factors(u, position[u].steps).get('movement', 0)))}"
            lines.append(line)
            used.update(attackers)
            made.append(target)
    return made


def own_round(theatre: Theatre, status: dict, side: str) -> bool:
    """Whether the round in play is the side's own (it moves and attacks in it)."""
    first = theatre.scenario.first_player == side
    return (status["round"] == 1) == first


def in_range(theatre: Theatre, status: dict, unit_id: str, target) -> bool:
    from wargame.maps.hexgrid import parse_hex

    unit = status["units"][unit_id]
    reach = theatre.play.air.reach(theatre.factors(unit_id, unit["steps"]).get("range", 0),
                                   theatre.need_map().info.hex_km)
    if unit["hex"]:
        return distance(parse_hex(unit["hex"]), target) <= reach
    area = theatre.scenario.area(unit["box"])
    if not area.distance_from:
        return False
    return area.distance + distance(parse_hex(area.distance_from), target) <= reach


def kpa_orders(theatre: Theatre, status: dict) -> str:
    """Push south: every unit not in contact moves toward the nearest UN unit it sees, else
    toward the next objective; then attack at 2-1 or better."""
    position = seen_position(status)
    turn = status["turn"]
    side = "kpa"
    lines = []
    if not own_round(theatre, status, side):
        return "losses " + ", ".join(theatre.name(p.unit) for p in sorted(
            _ground(theatre, position, side),
            key=lambda p: (theatre.unit(p.unit).type != "security", p.unit))[:3])
    objectives = objective_hexes(theatre)
    pusan = objectives["pusan"]
    enemies = [p.at for p in _ground(theatre, position, "un")]
    taken: dict = {}
    movers = sorted(_ground(theatre, position, side),
                    key=lambda p: -theatre.factors(p.unit, p.steps).get("movement", 0))
    for piece in movers:
        if any(distance(piece.at, e) == 1 for e in enemies):
            continue  # in contact: stay and fight
        near = [e for e in enemies if distance(piece.at, e) <= 4]
        goal = min(near, key=lambda e: (distance(e, pusan), e)) if near else pusan
        _move(theatre, position, side, piece, goal, turn, lines, taken)
    hit = _attacks(theatre, position, side, lines, Fraction(3, 2), advance=True)
    fighters = [u for u, s in status["units"].items() if s["side"] == side
                and theatre.domain(u) == "air" and s["steps"] > 0 and s["box"] != "pool"]
    for unit_id in fighters:
        if hit and theatre.factors(unit_id, status["units"][unit_id]["steps"]).get("air", 0) >= 2 \
                and in_range(theatre, status, unit_id, hit[0]):
            lines.append(f"air {theatre.name(unit_id)} cap {hex_id(hit[0])}")
    lines.append("losses " + ", ".join(theatre.name(p.unit) for p in sorted(
        _ground(theatre, position, side), key=lambda p: theatre.unit(p.unit).type != "security")
        [:3]))
    return "\n".join(lines)


def un_orders(theatre: Theatre, status: dict) -> str:
    """Hold: units facing bad odds fall back toward Pusan, the others hold their city or
    move to the nearest city that needs them; attack at 3-1 or better; fighters cover the
    front, bombers strike the largest stack in reach."""
    position = seen_position(status)
    turn = status["turn"]
    side = "un"
    lines = []
    objectives = objective_hexes(theatre)
    if not own_round(theatre, status, side):
        enemies = [p.at for p in _ground(theatre, position, "kpa")]
        stacks = sorted(set(enemies), key=lambda h: (-len(position.units_at(h)), h))
        for unit_id, unit in sorted(status["units"].items()):
            if unit["side"] != side or theatre.domain(unit_id) != "air" or \
                    unit["steps"] <= 0 or unit["box"] == "pool":
                continue
            factors = theatre.factors(unit_id, unit["steps"])
            targets = [h for h in stacks if in_range(theatre, status, unit_id, h)]
            if not targets:
                continue
            if factors.get("strike", 0) >= 3:
                lines.append(f"air {theatre.name(unit_id)} strike {hex_id(targets[0])}")
            elif factors.get("air", 0) >= 3:
                lines.append(f"air {theatre.name(unit_id)} cap {hex_id(targets[-1])}")
        return "\n".join(lines)
    cities = [objectives[name] for name in ("pusan", "taegu", "taejon")]
    enemies = [p.at for p in _ground(theatre, position, "kpa")]
    taken: dict = {}
    for piece in sorted(_ground(theatre, position, side), key=lambda p: p.unit):
        close = [e for e in enemies if distance(piece.at, e) == 1]
        threat = sum(_attack(theatre, position, position.units_at(e)) for e in close)
        mine = _defence(theatre, position, piece.at)
        if piece.at in cities and len(position.units_at(piece.at)) <= 2:
            continue  # a city's garrison stays, whatever comes
        if close and threat > 2 * mine:
            _move(theatre, position, side, piece, cities[0], turn, lines, taken)
        elif not close:
            needy = [c for c in cities if not position.units_at(c)]
            goal = min(needy, key=lambda c: distance(piece.at, c)) if needy else cities[1]
            if distance(piece.at, goal) > 0:
                _move(theatre, position, side, piece, goal, turn, lines, taken)
    _attacks(theatre, position, side, lines, Fraction(2), advance=False)
    return "\n".join(lines)


def generic_orders(theatre: Theatre, state, side: str) -> str:
    """Any scenario: in its own round a side moves toward the nearest enemy it sees (else the
    nearest objective it does not hold) and attacks at 3-2 or better."""
    from wargame.pbp.views import visible_units

    status = {"turn": state.turn, "round": state.round + 1,
              "units": {u: p.as_record() for u, p in visible_units(state, side).items()}}
    if not own_round(theatre, status, side):
        return ""
    position = seen_position(status)
    lines: list[str] = []
    enemies = [p.at for p in _ground(theatre, position, theatre.enemy(side))]
    objectives = list(objective_hexes(theatre).values())
    taken: dict = {}
    for piece in sorted(_ground(theatre, position, side), key=lambda p: p.unit):
        if any(distance(piece.at, e) == 1 for e in enemies):
            continue
        goals = [e for e in enemies if distance(piece.at, e) <= 6] or objectives
        if not goals:
            continue
        goal = min(goals, key=lambda h: (distance(piece.at, h), h))
        _move(theatre, position, side, piece, goal, state.turn, lines, taken)
    _attacks(theatre, position, side, lines, Fraction(3, 2), advance=True)
    return "\n".join(lines)


POLICIES = {"kpa": kpa_orders, "un": un_orders}
