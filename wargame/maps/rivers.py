"""Rivers on hexsides: snapped from the data, carried on to the sea or to the river they
join, and named by hand.

The data's river lines end at the real coast, which on a hex map may lie a hex or two
inside a coastal land hex, and a tributary's line may stop a corner short of its river. A
line whose end is on the coast is carried along land hexsides to the nearest corner at the
sea or on another river; an end inland is joined to a river within a hexside or two.
Everything here works in hex units (a hex is 1 across its flat sides), on corner keys.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import attrs

from wargame.maps.hexgrid import (Hex, corner_key, corner_point, corners, hexes_at_corner,
                                  nearest_hex, side_between_corners)

Corner = tuple[int, int]
Side = tuple[Hex, Hex]
#: Hexsides a river mouth may be carried on to reach the sea (or the river it joins).
MOUTH_REACH = 6
#: Hexsides an inland end may be carried on to join another river.
CONFLUENCE_REACH = 2
#: A line's end this close to the coastline (in hexes) is its mouth.
MOUTH_NEAR = 0.5


@attrs.frozen
class RiverLine:
    """One river line of the data on the hex grid: its class, its corners in order, and
    whether each end is at the coast."""

    level: int
    corners: tuple[Corner, ...]
    mouths: tuple[bool, bool]


def snap(level: int, units, at_coast) -> RiverLine | None:
    """A data line (an array of points in hex units) as a continuous walk of corners;
    ``at_coast(x, y)`` tells whether a point is the river's mouth."""
    keys = _corner_walk(_densify(units, 0.1))
    if len(keys) < 2:
        return None
    walk = [keys[0]]
    for a, b in zip(keys, keys[1:]):
        for _, q in _edge_path(a, b):
            walk.append(q)
    first, last = units[0], units[-1]
    return RiverLine(level, tuple(walk), (bool(at_coast(float(first[0]), float(first[1]))),
                                          bool(at_coast(float(last[0]), float(last[1])))))


def carried_on(lines: Sequence[RiverLine], terrain: Mapping[Hex, str],
               wet: frozenset[Corner] = frozenset()) -> list[list[Corner]]:
    """Each line's corners, each end carried on to the sea (or to ``wet`` corners: an
    estuary's or a strait's) or to another line."""
    owner: dict[Corner, set[int]] = {}
    for index, line in enumerate(lines):
        for key in line.corners:
            owner.setdefault(key, set()).add(index)
    out = []
    for index, line in enumerate(lines):
        walk = list(line.corners)
        for end, mouth in ((0, line.mouths[0]), (-1, line.mouths[1])):
            start = walk[end]
            if at_sea(start, terrain, wet) or len(owner.get(start, ())) > 1:
                continue  # at the sea, or already meeting another river

            def goal(key, index=index):
                return at_sea(key, terrain, wet) or bool(owner.get(key, set()) - {index})

            extra = _land_walk(start, goal, terrain, set(walk),
                               MOUTH_REACH if mouth else CONFLUENCE_REACH)
            if extra:
                walk = extra[::-1] + walk if end == 0 else walk + extra
                for key in extra:
                    owner.setdefault(key, set()).add(index)
        out.append(walk)
    return out


def sides_of(walk: Sequence[Corner], terrain: Mapping[Hex, str]) -> list[Side]:
    """The hexsides along a walk of corners that lie on the map and are not open sea."""
    out = []
    for p, q in zip(walk, walk[1:]):
        pair = side_between_corners(p, q)
        if pair is None or pair[0] not in terrain or pair[1] not in terrain:
            continue
        if terrain[pair[0]] == "sea" and terrain[pair[1]] == "sea":
            continue
        out.append(pair)
    return out


def name_walks(walks: Sequence[Sequence[Corner]], through_units: Sequence[tuple[float, float]],
               terrain: Mapping[Hex, str], taken: set[Corner],
               wet: frozenset[Corner] = frozenset()) -> list[Corner]:
    """A named river's corners: the walk along river lines between its points (in hex
    units, source first), its last end carried on by the shorter way, along a line or over
    land, to the sea, to ``wet`` corners or to a river in ``taken`` (corners of rivers
    already named)."""
    graph: dict[Corner, set[Corner]] = {}
    for walk in walks:
        for p, q in zip(walk, walk[1:]):
            graph.setdefault(p, set()).add(q)
            graph.setdefault(q, set()).add(p)
    ends = [_end_corner(graph, x, y) for x, y in through_units]
    route: list[Corner] = [ends[0]]
    for (start, goal), (a, b) in zip(zip(ends, ends[1:]), zip(through_units, through_units[1:])):
        if start == goal:
            continue
        arrived = lambda k, goal=goal: k == goal  # noqa: E731
        # along the data's lines; where they break or there are none, over land to the next
        # point (the whole way between two points a designer wrote far apart)
        reach = MOUTH_REACH * 2 + 3 * int(math.hypot(b[0] - a[0], b[1] - a[1]))
        route += _graph_walk(start, arrived, graph, 10 ** 6) or \
            _land_walk(start, arrived, terrain, set(route), reach) or \
            [q for _, q in _edge_path(start, goal, reach)]
    last = route[-1]
    if not at_sea(last, terrain, wet) and last not in taken:
        def reached(key):
            return at_sea(key, terrain, wet) or key in taken

        tails = [t for t in (_graph_walk(last, reached, graph, MOUTH_REACH * 2),
                             _land_walk(last, reached, terrain, set(route), MOUTH_REACH)) if t]
        if tails:
            route += min(tails, key=len)
    return route


def _end_corner(graph, x: float, y: float) -> Corner:
    """Where a named river's point lies on the grid: the nearest corner of the data's lines
    when one is within a hex of it, else the nearest corner of the grid itself."""
    if graph:
        near = min(graph, key=lambda k: (corner_point(k)[0] - x) ** 2
                   + (corner_point(k)[1] - y) ** 2)
        px, py = corner_point(near)
        if math.hypot(px - x, py - y) <= 1.0:
            return near
    hex_ = nearest_hex(x, y)
    return corner_key(*min(corners(hex_), key=lambda c: (c[0] - x) ** 2 + (c[1] - y) ** 2))


def at_sea(key: Corner, terrain: Mapping[Hex, str], wet: frozenset[Corner] = frozenset()
           ) -> bool:
    """Whether a corner touches a sea hex or the edge of the map (a river may leave it), or
    is one of the ``wet`` corners."""
    return key in wet or any(terrain.get(h, "sea") == "sea" for h in hexes_at_corner(key))


def _graph_walk(start: Corner, goal, graph, limit: int) -> list[Corner]:
    """The corners after ``start`` on the shortest walk in ``graph`` to a corner ``goal``
    accepts, at most ``limit`` steps; [] if there is none."""
    previous: dict[Corner, Corner | None] = {start: None}
    frontier = [start]
    for _ in range(limit):
        following = []
        for corner in frontier:
            for other in sorted(graph.get(corner, ())):
                if other in previous:
                    continue
                previous[other] = corner
                if goal(other):
                    path = [other]
                    while previous[path[-1]] != start:
                        path.append(previous[path[-1]])
                    return path[::-1]
                following.append(other)
        if not following:
            break
        frontier = following
    return []


def _land_walk(start: Corner, goal, terrain, avoid: set[Corner], limit: int) -> list[Corner]:
    """The corners after ``start`` on the shortest walk along hexsides between two land hexes
    of the map to a corner ``goal`` accepts, not through ``avoid``; [] if none is near."""
    graph = _LandEdges(terrain, avoid)
    return _graph_walk(start, goal, graph, limit)


class _LandEdges:
    """The corner graph of land hexsides, built as it is walked."""

    def __init__(self, terrain, avoid):
        self.terrain, self.avoid = terrain, avoid

    def get(self, corner: Corner, default=()):
        out = []
        for other in corner_neighbours(corner):
            if other in self.avoid:
                continue
            pair = side_between_corners(corner, other)
            # between two land hexes of the map; a corner at the sea ends the walk
            if pair is None or any(self.terrain.get(h, "sea") == "sea" for h in pair):
                continue
            out.append(other)
        return out


def corner_neighbours(key: Corner) -> list[Corner]:
    """The three corners one hexside from ``key``."""
    x, y = corner_point(key)
    out = []
    for hex_ in hexes_at_corner(key):
        points = corners(hex_)
        index = min(range(6), key=lambda i: (points[i][0] - x) ** 2 + (points[i][1] - y) ** 2)
        for other in (points[(index + 1) % 6], points[(index - 1) % 6]):
            other_key = corner_key(*other)
            if other_key not in out:
                out.append(other_key)
    return out


def _edge_path(a: Corner, b: Corner, limit: int = 4) -> list[tuple[Corner, Corner]]:
    """Hex edges joining two corners: one edge when they are neighbours, else a short walk
    (a snapped line may skip a corner), so a river never has a gap."""
    if b in corner_neighbours(a):
        return [(a, b)]
    previous: dict[Corner, Corner | None] = {a: None}
    frontier = [a]
    for _ in range(limit):
        following = []
        for corner in frontier:
            for other in corner_neighbours(corner):
                if other not in previous:
                    previous[other] = corner
                    following.append(other)
        if b in previous:
            path = [b]
            while previous[path[-1]] is not None:
                path.append(previous[path[-1]])
            path.reverse()
            return list(zip(path, path[1:]))
        frontier = following
    return []


def _densify(points, step: float) -> list[tuple[float, float]]:
    out = [(float(points[0][0]), float(points[0][1]))]
    for a, b in zip(points, points[1:]):
        ax, ay, bx, by = float(a[0]), float(a[1]), float(b[0]), float(b[1])
        n = max(1, int(math.ceil(math.hypot(bx - ax, by - ay) / step)))
        for k in range(1, n + 1):
            out.append((ax + (bx - ax) * k / n, ay + (by - ay) * k / n))
    return out


def _corner_walk(points) -> list[Corner]:
    """Nearest corners along a line, without repeats or A-B-A back-steps."""
    keys: list[Corner] = []
    for x, y in points:
        hex_ = nearest_hex(x, y)
        best = min(corners(hex_), key=lambda c: (c[0] - x) ** 2 + (c[1] - y) ** 2)
        key = corner_key(*best)
        if keys and keys[-1] == key:
            continue
        if len(keys) >= 2 and keys[-2] == key:
            keys.pop()
            continue
        keys.append(key)
    return keys
