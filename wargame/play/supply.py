"""Supply (13.1, 13.2): a ground unit is in supply when it can trace a few hexes, free of
enemy units and of enemy zones of control, to a road, railway or source that leads without
a break to one of its side's supply sources."""

from __future__ import annotations

from collections import deque

from wargame.maps.hexgrid import Hex
from wargame.play.hexsets import hexes_of
from wargame.play.position import Position
from wargame.play.theatre import Theatre
from wargame.play.zoc import BLOCKING, enemy_held, zoc_of


def sources(theatre: Theatre, position: Position, side: str) -> set[Hex]:
    """The map hexes that are the side's supply sources now."""
    spec = theatre.scenario.side(side).supply
    if spec is None:
        return set()
    found = hexes_of(theatre, spec, side, position.control)
    blocked = enemy_held(theatre, position, side)
    return {h for h in found if h not in blocked}


def supplied(theatre: Theatre, position: Position, side: str,
             cuts: frozenset[Hex] = frozenset()) -> dict[str, bool]:
    """For each of the side's units in play: whether it is in supply (``cuts``: hexes the
    enemy's guerrillas cut this turn, which no supply line passes)."""
    rules = theatre.play.supply
    game_map = theatre.need_map()
    blocked = enemy_held(theatre, position, side) | cuts
    zoc = zoc_of(theatre, position, theatre.enemy(side))
    friendly = {p.at for p in position.side_pieces(side)
                if p.on_map and theatre.domain(p.unit) in BLOCKING}

    def passable(hex_: Hex) -> bool:
        return (game_map.is_land(hex_) and hex_ not in blocked
                and (hex_ not in zoc or hex_ in friendly))

    origin = sources(theatre, position, side)
    network = set(h for h in origin if game_map.is_land(h) or h in theatre.ports)
    queue = deque(network)
    routes: dict[Hex, list[Hex]] = {}
    for a, b in theatre.route_steps:
        routes.setdefault(a, []).append(b)
        routes.setdefault(b, []).append(a)
    while queue:
        here = queue.popleft()
        for other in routes.get(here, ()):
            if other not in network and passable(other):
                network.add(other)
                queue.append(other)
    out = {}
    for piece in position.side_pieces(side):
        domain = theatre.domain(piece.unit)
        if domain in rules.always or not piece.on_map or piece.carrier:
            out[piece.unit] = True  # guerrillas, ships, aircraft, boxes, troops aboard
            continue
        out[piece.unit] = _traces(game_map, piece.at, network, passable, rules.trace)
    return out


def _traces(game_map, start: Hex, network: set[Hex], passable, length: int) -> bool:
    if start in network:
        return True
    seen = {start}
    frontier = [start]
    for _ in range(length):
        nxt = []
        for here in frontier:
            for other in game_map.neighbours_on_map(here):
                if other in seen or not passable(other):
                    continue
                if other in network:
                    return True
                seen.add(other)
                nxt.append(other)
        frontier = nxt
    return False
