"""Where a map's words go: a placement pass that puts every name where it covers no hex
number, no zone code and no other name, and inside the sheet or tile, so no name is cut.

Hex numbers and zone codes are fixed; line labels (a parallel, a frontier) then try
points along their line; place names try the side their data prefers, then the others,
then a little farther out. A name with no free place is left off this sheet rather than
printed over something (a tile's neighbour shows it, since tiles share a row and a
column). Everything is in page points; nothing here draws.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence

import attrs

from wargame.printing import fonts


@attrs.frozen
class Box:
    """An axis-aligned rectangle in page points."""

    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, other: Box) -> bool:
        return self.x0 < other.x1 and other.x0 < self.x1 and self.y0 < other.y1 \
            and other.y0 < self.y1

    def inside(self, other: Box) -> bool:
        return other.x0 <= self.x0 and self.x1 <= other.x1 and other.y0 <= self.y0 \
            and self.y1 <= other.y1


@attrs.frozen
class Line:
    """One line of text: its start on the baseline, font, size and the box it inks."""

    text: str
    x: float
    y: float
    font: str
    size: float
    fake_bold: bool = False

    @property
    def box(self) -> Box:
        # the em box from descender to cap height, with the halo drawn round the letters
        halo = self.size * 0.12
        return Box(self.x - halo, self.y - self.size * 0.24 - halo,
                   self.x + fonts.width(self.text, self.font, self.size) + halo,
                   self.y + self.size * 0.76 + halo)


@attrs.frozen
class Placed:
    """A label as placed: what kind of thing it names, and its lines."""

    kind: str  # "number", "zone", "line" or "place"
    lines: tuple[Line, ...]
    frame: Box | None = None  # a label drawn in a box (a zone's code) takes the box

    @property
    def boxes(self) -> tuple[Box, ...]:
        return (self.frame,) if self.frame else tuple(line.box for line in self.lines)


class Layout:
    """The boxes taken on one sheet or tile, kept in a grid for quick look-ups."""

    CELL = 24.0

    def __init__(self, room: Box):
        self.room = room
        self.placed: list[Placed] = []
        self._grid: dict[tuple[int, int], list[Box]] = {}

    def _cells(self, box: Box) -> Iterable[tuple[int, int]]:
        c = self.CELL
        for i in range(int(box.x0 // c), int(box.x1 // c) + 1):
            for j in range(int(box.y0 // c), int(box.y1 // c) + 1):
                yield i, j

    def free(self, boxes: Sequence[Box]) -> bool:
        """Whether these boxes lie inside the room and meet nothing taken."""
        for box in boxes:
            if not box.inside(self.room):
                return False
            for cell in self._cells(box):
                if any(box.overlaps(other) for other in self._grid.get(cell, ())):
                    return False
        return True

    def take(self, placed: Placed) -> Placed:
        """Record a label as placed (fixed ones, such as hex numbers, without a check)."""
        self.placed.append(placed)
        for box in placed.boxes:
            for cell in self._cells(box):
                self._grid.setdefault(cell, []).append(box)
        return placed

    def first_free(self, kind: str, candidates: Iterable[Sequence[Line]]) -> Placed | None:
        """Take and return the first candidate that is free, or None."""
        for lines in candidates:
            placed = Placed(kind, tuple(lines))
            if self.free(placed.boxes):
                return self.take(placed)
        return None


def shows_native(name: str, native: str) -> bool:
    """Whether a place's native name is printed under its name: only when it is in another
    script (Chinese, Korean, Russian), not a second Latin spelling ("Cao Bằng" under
    "Cao Bang")."""
    if not native or native == name:
        return False
    return any(ch.isalpha() and "LATIN" not in unicodedata.name(ch, "") for ch in native)


SIDES = ("below", "above", "right", "left")
# where a name block may sit, in hexes from the centre: (dx, dy, alignment, stacks up)
_ANCHORS = {"below": (0, -0.32, "centre", False), "above": (0, 0.5, "centre", True),
            "right": (0.42, 0.05, "left", False), "left": (-0.42, 0.05, "right", False)}
_CORNERS = ((0.3, -0.3, "left", False), (-0.3, -0.3, "right", False),
            (0.3, 0.42, "left", True), (-0.3, 0.42, "right", True))


def place_candidates(x: float, y: float, hex_pt: float, texts: Sequence[tuple[str, str, float,
                     bool]], prefer: str) -> Iterable[list[Line]]:
    """Where a place's name block may go around its hex centre (x, y): the side its data
    prefers, then the other sides, then the four corners, a little farther out; and all of
    that again a size smaller, and smaller still."""
    sides = (prefer,) + tuple(side for side in SIDES if side != prefer)
    for scale in (1.0, 0.85, 0.72):
        sized = [(text, font, size * scale, bold) for text, font, size, bold in texts]
        for push in (0.0, 0.18):
            for dx, dy, align, up in [_ANCHORS[side] for side in sides] + list(_CORNERS):
                dx += push * (dx > 0) - push * (dx < 0)
                dy += push * (dy > 0) - push * (dy < 0)
                yield _block(x + dx * hex_pt, y + dy * hex_pt, sized, align, up)


def _block(x, y, texts, align, up) -> list[Line]:
    """Lines of a name block from the anchor (x, y): the first line's baseline there and
    the rest under it, or (``up``) the last line's baseline there and the rest above."""
    lines = []
    for index, (text, font, size, fake_bold) in enumerate(texts):
        if up:
            ty = y + sum(t[2] * 1.05 for t in texts[index + 1:])
        else:
            ty = y - sum(t[2] * 1.05 for t in texts[:index])
        width = fonts.width(text, font, size)
        tx = x - width if align == "right" else x - width / 2 if align == "centre" else x
        lines.append(Line(text, tx, ty, font, size, fake_bold))
    return lines


def line_candidates(points: Sequence[tuple[float, float]], text: str, font: str,
                    size: float) -> Iterable[list[Line]]:
    """Where a line's label may go: just above the line at a third of its way first (as
    the maps have always printed it), then at every point along it, above or below and
    then a little farther off the line, at full size and a size smaller."""
    if not points:
        return
    order = sorted(range(len(points)), key=lambda i: abs(i - len(points) // 3))
    for scale in (1.0, 0.85):
        height = size * scale
        for offset in (0.4, -1.2, 0.9, -1.7, 1.4, -2.2):
            for index in order:
                px, py = points[index]
                yield [Line(text, px, py + offset * height, font, height)]
