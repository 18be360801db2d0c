"""What moving across a map costs: the terrain chart's cost to enter each hex, plus the cost
of each hexside crossed (a river +1, a major river +2, a strait +3)."""

from __future__ import annotations

import heapq
from collections.abc import Mapping

from wargame.maps.hexgrid import Hex, side_key
from wargame.maps.model import GameMap


def step_cost(game_map: GameMap, costs: Mapping[str, int], origin: Hex, target: Hex) -> int | None:
    """Movement points to move from ``origin`` into the adjacent ``target``; None when the
    move is prohibited (sea, off the map, terrain with no cost)."""
    terrain = game_map.terrain.get(target)
    cost = costs.get(terrain, 0) if terrain is not None else 0
    if not cost:
        return None
    side = game_map.hexsides.get(side_key(origin, target))
    return cost + (costs.get(side, 0) if side else 0)


def cheapest(game_map: GameMap, costs: Mapping[str, int], start: Hex, goal: Hex,
             limit: int | None = None) -> tuple[int, list[Hex]] | None:
    """(cost, path) of the cheapest land move from ``start`` to ``goal``, or None when the
    goal cannot be reached (within ``limit`` movement points, when given)."""
    best = {start: 0}
    previous: dict[Hex, Hex] = {}
    queue = [(0, start)]
    while queue:
        cost, hex_ = heapq.heappop(queue)
        if hex_ == goal:
            path = [goal]
            while path[-1] != start:
                path.append(previous[path[-1]])
            return cost, path[::-1]
        if cost > best[hex_]:
            continue
        for other in game_map.neighbours_on_map(hex_):
            step = step_cost(game_map, costs, hex_, other)
            if step is None:
                continue
            total = cost + step
            if (limit is None or total <= limit) and total < best.get(other, 1 << 30):
                best[other] = total
                previous[other] = hex_
                heapq.heappush(queue, (total, other))
    return None
