"""Water a land hex grid hides: straits and estuaries between land hexes, and lakes.

Two land hexes can face each other across water too narrow to make a sea hex: Amoy and
Quemoy, Kanghwa and the mainland, the two shores of the Yangtze estuary. Crossing between
them is a water crossing (the terrain chart's ``strait`` hexside) when their land lies on
different landmasses, or when water covers a good share of the way from one centre to the
other. A hex that is mostly lake is water (``lake``), as a hex mostly sea is sea.
"""

from __future__ import annotations

from collections.abc import Mapping

from wargame.maps.hexgrid import Hex, centre, corners, neighbours, side_key

#: Terrain of a hex that is mostly lake.
LAKE = "lake"
#: The share of the way between two land hexes' centres that makes the hexside a strait
#: though both lie on one landmass (a bay, an estuary).
WATER_SHARE = 0.3
#: Land points per hex tested for the landmass they lie on.
_LANDMASS_SAMPLES = 8
#: Points sampled between two centres.
_STEPS = 24


def landmass_of(land, samples, shapely, np) -> dict[Hex, int]:
    """The index of the land part (in ``land.geoms`` order) holding most of each hex's land
    samples (``samples``: hex -> (xs, ys) of its land points, in km)."""
    parts = list(getattr(land, "geoms", [land]))
    tree = shapely.STRtree(parts)
    owners, xs, ys = [], [], []
    for hex_, (hx, hy) in samples.items():
        step = max(1, len(hx) // _LANDMASS_SAMPLES)  # a few points tell the part apart
        owners += [hex_] * len(hx[::step])
        xs.append(hx[::step])
        ys.append(hy[::step])
    if not owners:
        return {}
    # one query for every point: the test against a long coast is the cost, not Python
    pairs = tree.query(shapely.points(np.concatenate(xs), np.concatenate(ys)),
                       predicate="within")
    votes: dict[Hex, dict[int, int]] = {}
    for point, part in zip(pairs[0].tolist(), pairs[1].tolist()):
        tally = votes.setdefault(owners[point], {})
        tally[part] = tally.get(part, 0) + 1
    # most points; a tie goes to the part listed first (a sliver of coast has none)
    return {hex_: min(tally, key=lambda p: (-tally[p], p)) for hex_, tally in votes.items()}


def straits(land, terrain: Mapping[Hex, str], km: float, landmass: Mapping[Hex, int],
            shapely, np, water=("sea", LAKE)) -> set[tuple[Hex, Hex]]:
    """Hexsides between two land hexes with water between them.

    A side is a strait when the two hexes' land lies on different landmasses, or when water
    crosses most of the way from one centre to the other and the land inside the two hexes
    does not join them round it (an estuary cuts them apart; a bay the coast walks round
    within the hexes at the side's ends does not)."""
    out = set()
    t = np.linspace(0.0, 1.0, _STEPS + 1)[1:-1]
    for hex_, kind in terrain.items():
        if kind in water:
            continue
        for other in neighbours(hex_):
            if other <= hex_ or other not in terrain or terrain[other] in water:
                continue
            a, b = landmass.get(hex_), landmass.get(other)
            if a is not None and b is not None and a != b:
                out.add(side_key(hex_, other))
                continue
            (x0, y0), (x1, y1) = (_centre_km(h, km) for h in (hex_, other))
            xs, ys = x0 + (x1 - x0) * t, y0 + (y1 - y0) * t
            wet = 1.0 - float(shapely.contains_xy(land, xs, ys).mean())
            if wet >= WATER_SHARE and not _joined(land, hex_, other, km, shapely):
                out.add(side_key(hex_, other))
    return out


def _centre_km(hex_: Hex, km: float) -> tuple[float, float]:
    x, y = centre(hex_)
    return x * km, y * km


def _joined(land, a: Hex, b: Hex, km: float, shapely) -> bool:
    """Whether the land of the two hexes and of the two hexes at the side's ends joins the
    largest land of each: a bay the coast walks round within them is not a strait."""
    ends = [h for h in neighbours(a) if h in neighbours(b)]
    area = [shapely.Polygon([(x * km, y * km) for x, y in corners(h)]) for h in [a, b, *ends]]
    local = land.intersection(shapely.union_all(area).buffer(km * 1e-6))
    pieces = list(getattr(local, "geoms", [local]))
    found = []
    for shape in area[:2]:
        inside = land.intersection(shape)
        parts = [p for p in getattr(inside, "geoms", [inside]) if p.area > 0]
        if not parts:
            return True  # no land to speak of: nothing to cut off
        point = max(parts, key=lambda p: p.area).representative_point()
        found.append(next((i for i, piece in enumerate(pieces)
                           if piece.buffer(km * 1e-6).contains(point)), None))
    return found[0] is not None and found[0] == found[1]
