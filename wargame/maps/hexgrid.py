"""Hex arithmetic for wargame maps: flat-top hexes in columns, numbered CCRR.

The convention of printed hex-and-counter maps: hex 0101 at the top left, column first,
even-numbered columns sit half a hex lower than odd ones (Red Blob's "odd-q" once columns
count from 0). Distances are in *hex units*: neighbouring centres are 1 apart, a column is
sqrt(3)/2 wide, and y grows downwards (south) as on paper.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

SQRT3_2 = math.sqrt(3) / 2
#: Horizontal distance between the centres of neighbouring columns, in hex units.
COLUMN_STEP = SQRT3_2
#: Distance from a centre to a corner (the hex's circumradius), in hex units.
CORNER = 1 / math.sqrt(3)

Hex = tuple[int, int]  # (column, row), both from 1


def parse_hex(text: str, digits: int = 2) -> Hex | None:
    """``"2038"`` -> ``(20, 38)``; None if it is not a hex number of ``digits``-digit parts."""
    if not isinstance(text, str) or len(text) != 2 * digits or not text.isdigit():
        return None
    return int(text[:digits]), int(text[digits:])


def hex_id(hex_: Hex, digits: int = 2) -> str:
    """``(20, 38)`` -> ``"2038"``."""
    return f"{hex_[0]:0{digits}d}{hex_[1]:0{digits}d}"


def centre(hex_: Hex) -> tuple[float, float]:
    """Centre of a hex in hex units, 0101 at (0, 0), y downwards."""
    column, row = hex_
    return (column - 1) * COLUMN_STEP, (row - 1) + (0.5 if column % 2 == 0 else 0.0)


def corners(hex_: Hex) -> list[tuple[float, float]]:
    """The six corners, clockwise from the east corner (y downwards)."""
    x, y = centre(hex_)
    return [(x + CORNER * math.cos(math.radians(60 * k)),
             y + CORNER * math.sin(math.radians(60 * k))) for k in range(6)]


def nearest_hex(x: float, y: float) -> Hex:
    """The hex whose centre is nearest to (x, y) in hex units (any point, even off-map)."""
    guess = round(x / COLUMN_STEP) + 1
    best: Hex | None = None
    best_d = math.inf
    for column in (guess - 1, guess, guess + 1):
        offset = 0.5 if column % 2 == 0 else 0.0
        row = round(y - offset) + 1
        for candidate in ((column, row - 1), (column, row), (column, row + 1)):
            cx, cy = centre(candidate)
            d = (cx - x) ** 2 + (cy - y) ** 2
            if d < best_d:
                best, best_d = candidate, d
    assert best is not None
    return best


# Neighbour offsets (d_column, d_row) in the order N, NE, SE, S, SW, NW, for odd and even columns.
_ODD = ((0, -1), (1, -1), (1, 0), (0, 1), (-1, 0), (-1, -1))
_EVEN = ((0, -1), (1, 0), (1, 1), (0, 1), (-1, 1), (-1, 0))
DIRECTIONS = ("N", "NE", "SE", "S", "SW", "NW")


def neighbours(hex_: Hex) -> list[Hex]:
    """The six neighbours, N, NE, SE, S, SW, NW (they may lie off the map)."""
    column, row = hex_
    steps = _EVEN if column % 2 == 0 else _ODD
    return [(column + dc, row + dr) for dc, dr in steps]


def adjacent(a: Hex, b: Hex) -> bool:
    return b in neighbours(a)


def to_cube(hex_: Hex) -> tuple[int, int, int]:
    column, row = hex_
    q = column - 1
    r = (row - 1) - (q - (q & 1)) // 2
    return q, r, -q - r


def distance(a: Hex, b: Hex) -> int:
    """Hexes to walk from ``a`` to ``b``."""
    qa, ra, sa = to_cube(a)
    qb, rb, sb = to_cube(b)
    return max(abs(qa - qb), abs(ra - rb), abs(sa - sb))


def within(hex_: Hex, radius: int) -> Iterator[Hex]:
    """Every hex at most ``radius`` from ``hex_`` (itself included)."""
    column, row = hex_
    for dc in range(-radius, radius + 1):
        for dr in range(-radius - 1, radius + 2):
            other = (column + dc, row + dr)
            if distance(hex_, other) <= radius:
                yield other


def side_key(a: Hex, b: Hex) -> tuple[Hex, Hex]:
    """The hexside between two adjacent hexes, with the lower hex number first."""
    return (a, b) if a <= b else (b, a)


def side_corners(a: Hex, b: Hex) -> tuple[tuple[float, float], tuple[float, float]]:
    """The two end points of the hexside between adjacent ``a`` and ``b``, in hex units."""
    direction = neighbours(a).index(b)
    points = corners(a)
    # corner k lies between directions; N is between corners 4 and 5 (y downwards)
    first = {0: 4, 1: 5, 2: 0, 3: 1, 4: 2, 5: 3}[direction]
    return points[first], points[(first + 1) % 6]


def parse_side(text: str, digits: int = 2) -> tuple[Hex, Hex] | None:
    """``"2038/2039"`` -> the two hexes, or None if it is not two hex numbers."""
    if not isinstance(text, str) or text.count("/") != 1:
        return None
    left, right = text.split("/")
    a, b = parse_hex(left, digits), parse_hex(right, digits)
    return (a, b) if a and b else None


def side_id(a: Hex, b: Hex, digits: int = 2) -> str:
    first, second = side_key(a, b)
    return f"{hex_id(first, digits)}/{hex_id(second, digits)}"


def corner_point(key: tuple[int, int]) -> tuple[float, float]:
    """A hex corner from its integer key (see ``corner_key``)."""
    return key[0] * CORNER / 2, key[1] / 2


def corner_key(x: float, y: float) -> tuple[int, int]:
    """Corners lie on a lattice: x a multiple of CORNER/2, y a multiple of 1/2."""
    return round(x / (CORNER / 2)), round(y * 2)


def hexes_at_corner(key: tuple[int, int]) -> list[Hex]:
    """The three hexes that meet at a corner."""
    x, y = corner_point(key)
    found = []
    for k in range(6):
        dx, dy = CORNER * math.cos(math.pi * k / 3), CORNER * math.sin(math.pi * k / 3)
        candidate = nearest_hex(x + dx * 0.9, y + dy * 0.9)
        cx, cy = centre(candidate)
        if abs(math.hypot(cx - x, cy - y) - CORNER) < 1e-6 and candidate not in found:
            found.append(candidate)
    return found


def side_between_corners(p: tuple[int, int], q: tuple[int, int]) -> tuple[Hex, Hex] | None:
    """The hexside joining two corners, or None if they are not the ends of one edge."""
    shared = [h for h in hexes_at_corner(p) if h in hexes_at_corner(q)]
    return side_key(shared[0], shared[1]) if len(shared) == 2 else None
