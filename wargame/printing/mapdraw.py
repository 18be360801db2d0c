"""Draw a hex map on a reportlab canvas, the way printed wargame maps are drawn.

Terrain is a colour fill *and* a pattern, so the map survives a greyscale printer; rivers lie
on hexsides; the real coastline is drawn over the hexes and its land is shown in sea hexes;
towns, ports, airfields, railways, roads, set-up zones, hex numbers and names follow. One
routine draws any window of the map at any hex size: tiles, the one-sheet map, the booklet
overview and the PNG all come from it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from functools import cache

import attrs
from reportlab.lib import colors
from reportlab.lib.units import mm

from wargame.maps.hexgrid import (CORNER, Hex, centre, corners, hex_id, neighbours, parse_hex,
                                  side_corners)
from wargame.maps.model import WATER, GameMap
from wargame.maps.projection import MapFrame
from wargame.printing import fonts
from wargame.printing.labels import (
    Box, Layout, Line, Placed, line_candidates, place_candidates, shows_native,
)


@attrs.frozen
class TerrainStyle:
    """How one terrain is drawn: a fill, a pattern over it, and its line for hexsides."""

    fill: str
    # hexes: none, dots, hills, peaks, trees, tufts, hatch, town, beach, fort; hexsides: none
    # (a line in ink) or band (a wide band of the fill with a dashed ink line: water to cross)
    pattern: str = "none"
    ink: str = "#5a4a32"
    width: float = 0.0  # hexside line width, in hexes


#: Styles by terrain id. Terrain a game adds that is not listed gets a grey with hatching.
STYLES: dict[str, TerrainStyle] = {
    "sea": TerrainStyle("#b9d7ea", "none", "#6d9dbd"),
    "lake": TerrainStyle("#c3dcec", "none", "#6d9dbd"),
    "clear": TerrainStyle("#f3efd6"),
    "rough": TerrainStyle("#ddd0a4", "hills", "#8a7444"),
    "forest": TerrainStyle("#b9d49b", "trees", "#3f6b2a"),
    "mountain": TerrainStyle("#c4a67a", "peaks", "#5b3f1e"),
    "paddy": TerrainStyle("#dcebc4", "tufts", "#5f8a3a"),
    "city": TerrainStyle("#e6b7a9", "hatch", "#7a2c1c"),
    "town": TerrainStyle("#f3efd6", "town", "#202020"),
    "river": TerrainStyle("#b9d7ea", "none", "#2f6fb0", 0.045),
    "major-river": TerrainStyle("#b9d7ea", "none", "#1f5a9c", 0.09),
    "strait": TerrainStyle("#8fc1e3", "band", "#1f5a9c", 0.16),
    "fortified": TerrainStyle("#f3efd6", "fort", "#202020"),
    "beach": TerrainStyle("#f3efd6", "beach", "#b0801a"),
}
FALLBACK = TerrainStyle("#d0d0d0", "hatch", "#606060", 0.05)
ZONE_COLOUR = "#b0005a"
RAIL_COLOUR = "#1a1a1a"
ROAD_COLOUR = "#a4401c"


#: A hex's corners less its centre, clockwise from the east corner (hex units, y down).
_CORNER_OFFSETS = tuple((x - centre((1, 1))[0], y - centre((1, 1))[1]) for x, y in corners((1, 1)))


@cache
def _colour(code: str):
    return colors.HexColor(code)


def style_of(terrain_id: str) -> TerrainStyle:
    return STYLES.get(terrain_id, FALLBACK)


def draw_hexside(canvas, style: TerrainStyle, p, q, hex_pt: float) -> None:
    """A hexside feature from page point ``p`` to ``q``: a line in its ink, or for water to
    cross (``band``) a wide band of its fill with a dashed ink line along it."""
    if style.pattern == "band":
        canvas.setStrokeColor(_colour(style.fill))
        canvas.setLineWidth(max(2.0, style.width * hex_pt))
        canvas.line(*p, *q)
        canvas.setDash(max(1.0, hex_pt * 0.06), max(1.0, hex_pt * 0.04))
        canvas.setStrokeColor(_colour(style.ink))
        canvas.setLineWidth(max(0.5, hex_pt * 0.02))
        canvas.line(*p, *q)
        canvas.setDash()
        return
    canvas.setStrokeColor(_colour(style.ink))
    canvas.setLineWidth(max(0.8, style.width * hex_pt))
    canvas.line(*p, *q)


@attrs.frozen
class Window:
    """The part of the map drawn, in hex units (0101's centre at 0, 0; y downwards)."""

    x0: float
    y0: float
    x1: float
    y1: float

    @classmethod
    def columns_rows(cls, first: Hex, last: Hex) -> Window:
        """Whole hexes of the columns and rows from ``first`` to ``last`` inclusive."""
        (c0, r0), (c1, r1) = first, last
        x0 = centre((c0, 1))[0] - CORNER
        x1 = centre((c1, 1))[0] + CORNER
        return cls(x0, r0 - 1 - 0.5, x1, r1 - 1 + 1.0)

    def holds(self, point: tuple[float, float]) -> bool:
        """Whether a hex centre lies inside (a centre on the edge belongs to the next one)."""
        return self.x0 < point[0] < self.x1 and self.y0 < point[1] < self.y1


#: How far a zone's outline sits inside its border hexes, as a fraction of the way to the
#: hex centre.
ZONE_INSET = 0.08


class MapPainter:
    """Draws a map (or a window of it) with its hexes ``hex_pt`` points across."""

    def __init__(self, game_map: GameMap, hex_pt: float):
        self.map = game_map
        self.hex_pt = hex_pt
        self.frame = MapFrame(game_map.info)

    # ---- geometry -------------------------------------------------------------------------
    def _page(self, x: float, y: float) -> tuple[float, float]:
        # a tenth of a point is 0.035 mm: finer than any printer, and it halves the file
        return (round(self.ox + (x - self.window.x0) * self.hex_pt, 1),
                round(self.oy - (y - self.window.y0) * self.hex_pt, 1))

    def _visible(self, hex_: Hex) -> bool:
        x, y = centre(hex_)
        w = self.window
        return w.x0 - 1 <= x <= w.x1 + 1 and w.y0 - 1 <= y <= w.y1 + 1

    def _hex_path(self, canvas, hexes: Iterable[Hex]):
        # every hex is its centre plus the same six offsets: work those out once
        s, x0, y0, ox, oy = self.hex_pt, self.window.x0, self.window.y0, self.ox, self.oy
        offsets = [(dx * s, -dy * s) for dx, dy in _CORNER_OFFSETS]
        path = canvas.beginPath()
        move, line, close = path.moveTo, path.lineTo, path.close
        for hex_ in hexes:
            cx, cy = centre(hex_)
            px, py = ox + (cx - x0) * s, oy - (cy - y0) * s
            (ax, ay), *rest = offsets
            move(round(px + ax, 1), round(py + ay, 1))
            for dx, dy in rest:
                line(round(px + dx, 1), round(py + dy, 1))
            close()
        return path

    # ---- the whole drawing ----------------------------------------------------------------
    def draw(self, canvas, window: Window, left: float, top: float, *, numbers: bool = True,
             labels: bool = True, zones: bool = True, detail: bool = True) -> None:
        """Draw ``window`` with its top-left corner at page point (left, top), clipped."""
        self.window, self.ox, self.oy = window, left, top
        width = (window.x1 - window.x0) * self.hex_pt
        height = (window.y1 - window.y0) * self.hex_pt
        hexes = [h for h in self.map.hexes() if self._visible(h)]
        canvas.saveState()
        clip = canvas.beginPath()
        clip.rect(left, top - height, width, height)
        canvas.clipPath(clip, stroke=0, fill=0)
        self._fills(canvas, hexes)
        self._coast(canvas, hexes, detail)
        if detail:
            self._patterns(canvas, hexes)
        self._grid(canvas, hexes)
        self._lines(canvas)
        self._hexsides(canvas, hexes)
        self._routes(canvas)
        self._symbols(canvas, hexes)
        self.layout = self._place_labels(hexes, width, height, numbers, zones, labels)
        if zones:
            self._zones(canvas)
        if numbers:
            self._numbers(canvas, hexes)
        self._draw_labels(canvas)
        canvas.restoreState()

    def _fills(self, canvas, hexes) -> None:
        by_terrain: dict[str, list[Hex]] = {}
        for hex_ in hexes:
            by_terrain.setdefault(self.map.terrain[hex_], []).append(hex_)
        for terrain_id, group in by_terrain.items():
            canvas.setFillColor(_colour(style_of(terrain_id).fill))
            canvas.drawPath(self._hex_path(canvas, group), stroke=0, fill=1)

    def _ring_path(self, canvas, ring):
        # kilometres straight to page points, in one step per point
        k = self.hex_pt / self.map.info.hex_km
        bx, by = self.ox - self.window.x0 * self.hex_pt, self.oy + self.window.y0 * self.hex_pt
        path = canvas.beginPath()
        path.moveTo(round(bx + ring[0][0] * k, 1), round(by - ring[0][1] * k, 1))
        line = path.lineTo
        for x, y in ring[1:]:
            line(round(bx + x * k, 1), round(by - y * k, 1))
        path.close()
        return path

    def _rings(self):
        """Coast outlines cut to the window (and a hex around it): a tile carries only its
        own stretch of a long coast. The cut edges lie outside the page clip."""
        km = self.map.info.hex_km
        w = self.window
        box = ((w.x0 - 1) * km, (w.y0 - 1) * km, (w.x1 + 1) * km, (w.y1 + 1) * km)
        for ring in self.map.coast:
            clipped = clip_ring(ring, box)
            if len(clipped) >= 3:
                yield clipped

    def _coast(self, canvas, hexes, detail: bool) -> None:
        """Land inside sea hexes in the clear colour, sea inside land hexes lightly, then the
        coastline itself: the true shape of the shore over the hex terrain."""
        paths = [self._ring_path(canvas, ring) for ring in self._rings()]
        sea = [h for h in hexes if self.map.terrain[h] == "sea"]
        if sea and paths:
            canvas.saveState()
            canvas.clipPath(self._hex_path(canvas, sea), stroke=0, fill=0)
            canvas.setFillColor(_colour("#e9e4c8"))
            for path in paths:
                canvas.drawPath(path, stroke=0, fill=1)
            canvas.restoreState()
        canvas.setStrokeColor(_colour("#3d6f93"))
        canvas.setLineWidth(max(0.35, self.hex_pt * 0.012))
        canvas.setLineJoin(1)
        for path in paths:
            canvas.drawPath(path, stroke=1, fill=0)

    def _patterns(self, canvas, hexes) -> None:
        for hex_ in hexes:
            style = style_of(self.map.terrain[hex_])
            if style.pattern != "none":
                self._pattern(canvas, style, *self._page(*centre(hex_)))

    def _pattern(self, canvas, style: TerrainStyle, x: float, y: float) -> None:
        s = self.hex_pt
        canvas.setStrokeColor(_colour(style.ink))
        canvas.setFillColor(_colour(style.ink))
        canvas.setLineWidth(max(0.3, s * 0.025))
        kind = style.pattern
        if kind == "hills":  # low arcs
            for dx, dy in ((-0.2, -0.12), (0.14, -0.16), (-0.02, 0.12)):
                canvas.arc(x + (dx - 0.09) * s, y + (dy - 0.05) * s, x + (dx + 0.09) * s,
                           y + (dy + 0.09) * s, 20, 140)
        elif kind == "peaks":  # inverted Vs
            for dx, dy, h in ((-0.2, -0.15, 0.22), (0.16, -0.17, 0.18), (0.0, 0.05, 0.26)):
                path = canvas.beginPath()
                path.moveTo(x + (dx - 0.12) * s, y + dy * s)
                path.lineTo(x + dx * s, y + (dy + h) * s)
                path.lineTo(x + (dx + 0.12) * s, y + dy * s)
                canvas.drawPath(path, stroke=1, fill=0)
        elif kind == "trees":
            for dx, dy in ((-0.2, -0.12), (0.15, -0.15), (-0.02, 0.1), (0.22, 0.12)):
                canvas.circle(x + dx * s, y + dy * s, 0.06 * s, stroke=0, fill=1)
        elif kind == "tufts":  # paddy: little marsh tufts
            for dx, dy in ((-0.22, -0.15), (0.12, -0.2), (-0.05, 0.1), (0.24, 0.05)):
                for lean in (-0.05, 0.0, 0.05):
                    canvas.line(x + dx * s, y + dy * s, x + (dx + lean) * s,
                                y + (dy + 0.09) * s)
                canvas.line(x + (dx - 0.08) * s, y + dy * s, x + (dx + 0.08) * s, y + dy * s)
        elif kind == "hatch":  # city blocks, kept inside the hex
            canvas.saveState()
            path = canvas.beginPath()
            points = [(x + px * s * 0.8, y - py * s * 0.8) for px, py in corners((1, 1))]
            path.moveTo(*points[0])
            for point in points[1:]:
                path.lineTo(*point)
            path.close()
            canvas.clipPath(path, stroke=0, fill=0)
            canvas.setLineWidth(max(0.3, s * 0.02))
            for k in range(-5, 6):
                offset = k * 0.09 * s
                canvas.line(x - 0.4 * s + offset, y - 0.4 * s, x + offset + 0.4 * s,
                            y + 0.4 * s)
            canvas.restoreState()
        elif kind == "town":
            canvas.setFillColor(colors.black)
            canvas.rect(x - 0.07 * s, y - 0.07 * s, 0.14 * s, 0.14 * s, stroke=0, fill=1)
        elif kind == "beach":
            canvas.setDash(max(0.6, s * 0.03), max(0.6, s * 0.03))
            canvas.setLineWidth(max(0.6, s * 0.04))
            canvas.circle(x, y, 0.36 * s, stroke=1, fill=0)
            canvas.setDash()
        elif kind == "fort":
            path = canvas.beginPath()
            for k in range(3):
                a = math.radians(90 + 120 * k)
                point = (x + 0.16 * s * math.cos(a), y - 0.3 * s + 0.16 * s * math.sin(a))
                path.moveTo(*point) if k == 0 else path.lineTo(*point)
            path.close()
            canvas.drawPath(path, stroke=0, fill=1)

    def _grid(self, canvas, hexes) -> None:
        canvas.setStrokeColor(_colour("#6f6f6f"))
        canvas.setLineWidth(max(0.25, self.hex_pt * 0.008))
        canvas.drawPath(self._hex_path(canvas, hexes), stroke=1, fill=0)

    def _hexsides(self, canvas, hexes) -> None:
        shown = set(hexes)
        canvas.setLineCap(1)
        for (a, b), kind in sorted(self.map.hexsides.items(), key=lambda kv: kv[1]):
            if a not in shown and b not in shown:
                continue
            style = style_of(kind)
            p, q = side_corners(a, b)
            draw_hexside(canvas, style, self._page(*p), self._page(*q), self.hex_pt)

    def _routes(self, canvas) -> None:
        for route in self.map.routes:
            points = [self._page(*centre(parse_hex(h))) for h in route.hexes]
            if len(points) < 2:
                continue
            path = canvas.beginPath()
            path.moveTo(*points[0])
            for point in points[1:]:
                path.lineTo(*point)
            if route.kind == "rail":
                canvas.setStrokeColor(_colour(RAIL_COLOUR))
                canvas.setLineWidth(max(0.6, self.hex_pt * 0.035))
                canvas.drawPath(path, stroke=1, fill=0)
                canvas.setStrokeColor(colors.white)
                canvas.setLineWidth(max(0.3, self.hex_pt * 0.015))
                canvas.setDash(self.hex_pt * 0.06, self.hex_pt * 0.06)
                canvas.drawPath(path, stroke=1, fill=0)
                canvas.setDash()
            else:
                canvas.setStrokeColor(_colour(ROAD_COLOUR))
                canvas.setLineWidth(max(0.5, self.hex_pt * 0.03))
                canvas.drawPath(path, stroke=1, fill=0)

    def _line_on_page(self, line) -> list[tuple[float, float]]:
        """A map line's points on the page: a parallel across the whole map, or the
        line's own points."""
        km = self.map.info.hex_km
        west, _, east, _ = self.map.info.box
        if line.lat is not None:
            points = [(west - 1 + (east - west + 2) * k / 40, line.lat) for k in range(41)]
        else:
            points = [tuple(p) for p in line.points]
        return [self._page(*(v / km for v in self.frame.to_km(lon, lat)))
                for lon, lat in points]

    def _lines(self, canvas) -> None:
        for line in self.map.lines:
            page = self._line_on_page(line)
            path = canvas.beginPath()
            path.moveTo(*page[0])
            for point in page[1:]:
                path.lineTo(*point)
            canvas.setStrokeColor(_colour("#c0002a" if line.kind == "border"
                                                  else "#202020"))
            canvas.setLineWidth(max(0.8, self.hex_pt * 0.05))
            canvas.setDash(self.hex_pt * 0.2, self.hex_pt * 0.08)
            canvas.drawPath(path, stroke=1, fill=0)
            canvas.setDash()

    def _symbols(self, canvas, hexes) -> None:
        shown = set(hexes)
        for hex_, kinds in self.map.features.items():
            if hex_ in shown:
                for kind in kinds:
                    if self.map.terrain.get(hex_) != "city" or kind != "town":
                        self._pattern(canvas, style_of(kind), *self._page(*centre(hex_)))
        s = self.hex_pt
        for place in self.map.places:
            hex_ = parse_hex(place.hex)
            if hex_ not in shown:
                continue
            x, y = self._page(*centre(hex_))
            if place.airfield:  # a small aircraft mark, upper right
                ax, ay = x + 0.24 * s, y + 0.2 * s
                canvas.setFillColor(_colour("#1d3d8f"))
                canvas.setStrokeColor(_colour("#1d3d8f"))
                canvas.setLineWidth(max(0.5, s * 0.03))
                canvas.line(ax - 0.1 * s, ay, ax + 0.1 * s, ay)
                canvas.line(ax, ay - 0.1 * s, ax, ay + 0.08 * s)
                canvas.line(ax - 0.04 * s, ay - 0.09 * s, ax + 0.04 * s, ay - 0.09 * s)
            if place.port:  # an anchor-like mark, upper left
                px, py = x - 0.24 * s, y + 0.2 * s
                canvas.setStrokeColor(_colour("#10406a"))
                canvas.setLineWidth(max(0.5, s * 0.03))
                canvas.line(px, py - 0.1 * s, px, py + 0.08 * s)
                canvas.arc(px - 0.08 * s, py - 0.14 * s, px + 0.08 * s, py + 0.0 * s, 180, 180)
                canvas.line(px - 0.05 * s, py + 0.05 * s, px + 0.05 * s, py + 0.05 * s)

    def zone_outline(self, zone_hexes: set[Hex], inset: float = ZONE_INSET
                     ) -> list[tuple[tuple[float, float], ...]]:
        """The edges of a zone that it does not share with itself, in hex units, each
        drawn a little inside its own hex: where two zones meet, two lines show, one
        inside each zone, instead of one line that belongs to neither."""
        edges = []
        for hex_ in zone_hexes:
            cx, cy = centre(hex_)
            for other in neighbours(hex_):
                if other not in zone_hexes:
                    edges.append(tuple((x + (cx - x) * inset, y + (cy - y) * inset)
                                       for x, y in side_corners(hex_, other)))
        return edges

    def _zones(self, canvas) -> None:
        s = self.hex_pt
        for zone_id, zone in self.map.zones.items():
            members = set(self.map.zone_hexes(zone_id))
            canvas.setStrokeColor(_colour(ZONE_COLOUR))
            canvas.setLineWidth(max(0.9, s * 0.05))
            canvas.setDash(s * 0.12, s * 0.06)
            for p, q in self.zone_outline(members):
                canvas.line(*self._page(*p), *self._page(*q))
            canvas.setDash()
            at = self._zone_code_at(zone_id, members)
            if at is None:
                continue
            x, y, size, width = at
            canvas.setFillColor(_colour(ZONE_COLOUR))
            canvas.roundRect(x - width / 2, y - size * 0.35, width, size * 1.25, size * 0.25,
                             stroke=0, fill=1)
            canvas.setFillColor(colors.white)
            canvas.setFont(fonts.LATIN_BOLD, size)
            canvas.drawCentredString(x, y, zone.code)

    def _zone_code_at(self, zone_id: str, members: set[Hex]):
        """(x, y, size, width) of a zone's code: on the baseline at (x, y), in a box
        ``width`` wide, in the zone's hex nearest its middle that no name is printed in,
        among those this window shows whole; None when it shows none (a tile that holds
        only the zone's edge: the next tile carries the code)."""
        s = self.hex_pt
        xs = [centre(h)[0] for h in members]
        ys = [centre(h)[1] for h in members]
        middle = (sum(xs) / len(xs), sum(ys) / len(ys))
        named = set(self.map.place_hexes.values())
        w = self.window
        shown = [h for h in members if w.x0 + 0.5 <= centre(h)[0] <= w.x1 - 0.5
                 and w.y0 + 0.5 <= centre(h)[1] <= w.y1 - 0.5]
        if not shown:
            return None
        label_hex = min(shown, key=lambda h: (h in named, (centre(h)[0] - middle[0]) ** 2
                                              + (centre(h)[1] - middle[1]) ** 2, hex_id(h)))
        x, y = self._page(*centre(label_hex))
        size = max(5.5, s * 0.26)
        code = self.map.zones[zone_id].code
        return x, y - size * 0.45, size, fonts.width(code, fonts.LATIN_BOLD, size) + size * 0.6

    def _number_size(self) -> float:
        return max(3.5, self.hex_pt * 0.16)

    def _numbered(self, hexes) -> Iterable[tuple[Hex, float, float]]:
        """Each hex whose number this window prints, with its number's baseline centre."""
        size = self._number_size()
        for hex_ in hexes:
            if self.window.holds(centre(hex_)):
                x, y = self._page(*centre(hex_))
                yield hex_, x, y + self.hex_pt * 0.5 - size * 1.15

    def _numbers(self, canvas, hexes) -> None:
        size = self._number_size()
        canvas.setFont(fonts.LATIN, size)
        for hex_, x, y in self._numbered(hexes):
            sea = self.map.terrain[hex_] in WATER
            canvas.setFillColor(_colour("#2d5878" if sea else "#3a3a3a"))
            canvas.drawCentredString(x, y, hex_id(hex_))

    # ---- names: placed where they cover nothing, then drawn --------------------------------
    def _place_labels(self, hexes, width, height, numbers, zones, labels) -> Layout:
        """The label layout of this window: hex numbers and zone codes fixed, then the
        lines' labels and the places' names wherever they are free (see labels.py)."""
        layout = Layout(Box(self.ox, self.oy - height, self.ox + width, self.oy))
        if numbers:
            size = self._number_size()
            for hex_, x, y in self._numbered(hexes):
                text = hex_id(hex_)
                half = fonts.width(text, fonts.LATIN, size) / 2
                layout.take(Placed("number", (Line(text, x - half, y, fonts.LATIN, size),)))
        if zones:
            for zone_id, zone in self.map.zones.items():
                at = self._zone_code_at(zone_id, set(self.map.zone_hexes(zone_id)))
                if at is None:
                    continue
                x, y, size, box_w = at
                frame = Box(x - box_w / 2, y - size * 0.35, x + box_w / 2, y + size * 0.9)
                layout.take(Placed("zone", (Line(zone.code, x - box_w / 2, y, fonts.LATIN_BOLD,
                                                 size),), frame))
        if not labels:
            return layout
        size = max(5.0, self.hex_pt * 0.24)
        for line in self.map.lines:
            room = layout.room
            page = [pt for pt in self._line_on_page(line)
                    if room.x0 <= pt[0] <= room.x1 and room.y0 <= pt[1] <= room.y1]
            font, _ = fonts.font_for(line.name, bold=True)
            layout.first_free("line", line_candidates(page, line.name, font, size))
        size = max(5.0, self.hex_pt * 0.2)
        for place in self.map.places:
            hex_ = parse_hex(place.hex)
            if not hex_ or not self.window.holds(centre(hex_)):
                continue  # named on the tile whose window holds it
            texts = []
            names = [place.name] + ([place.native] if shows_native(place.name, place.native)
                                    else [])
            for index, text in enumerate(names):
                font, fake_bold = fonts.font_for(text, bold=place.kind == "city")
                texts.append((text, font, size if index == 0 else size * 0.85, fake_bold))
            x, y = self._page(*centre(hex_))
            layout.first_free("place", place_candidates(x, y, self.hex_pt, texts,
                                                        place.label))
        return layout

    def _draw_labels(self, canvas) -> None:
        for placed in self.layout.placed:
            if placed.kind == "line":
                (line,) = placed.lines
                canvas.setFillColor(_colour("#c0002a"))
                canvas.setFont(line.font, line.size)
                canvas.drawString(line.x, line.y, line.text)
            elif placed.kind == "place":
                for line in placed.lines:
                    draw_haloed(canvas, line.text, line.x, line.y, line.font, line.size,
                                line.fake_bold)


def draw_haloed(canvas, text: str, x: float, y: float, font: str, size: float,
                fake_bold: bool = False) -> None:
    """Text with a white halo, legible over patterns, rivers and grid lines."""
    canvas.setLineJoin(1)
    for mode, colour, width in ((1, colors.white, size * 0.22), (2 if fake_bold else 0,
                                                                 colors.black, size * 0.04)):
        text_object = canvas.beginText(x, y)
        text_object.setFont(font, size)
        text_object.setTextRenderMode(mode)
        canvas.setStrokeColor(colour)
        canvas.setFillColor(colors.black)
        canvas.setLineWidth(width)
        text_object.textLine(text)
        canvas.drawText(text_object)
    text_object = canvas.beginText(x, y)
    text_object.setTextRenderMode(0)
    canvas.drawText(text_object)


def clip_ring(ring, box) -> list[tuple[float, float]]:
    """A polygon cut to a rectangle (Sutherland-Hodgman)."""
    x0, y0, x1, y1 = box
    xs = [p[0] for p in ring]
    ys = [p[1] for p in ring]
    if min(xs) >= x0 and max(xs) <= x1 and min(ys) >= y0 and max(ys) <= y1:
        return list(ring)
    if max(xs) < x0 or min(xs) > x1 or max(ys) < y0 or min(ys) > y1:
        return []
    points = list(ring)
    for inside, cross in (
            (lambda p: p[0] >= x0, lambda a, b: _at_x(a, b, x0)),
            (lambda p: p[0] <= x1, lambda a, b: _at_x(a, b, x1)),
            (lambda p: p[1] >= y0, lambda a, b: _at_y(a, b, y0)),
            (lambda p: p[1] <= y1, lambda a, b: _at_y(a, b, y1))):
        if not points:
            break
        out = []
        previous = points[-1]
        for point in points:
            if inside(point):
                if not inside(previous):
                    out.append(cross(previous, point))
                out.append(point)
            elif inside(previous):
                out.append(cross(previous, point))
            previous = point
        points = out
    return points


def _at_x(a, b, x):
    t = (x - a[0]) / (b[0] - a[0])
    return x, a[1] + t * (b[1] - a[1])


def _at_y(a, b, y):
    t = (y - a[1]) / (b[1] - a[1])
    return a[0] + t * (b[0] - a[0]), y


def map_extent(game_map: GameMap) -> Window:
    """The whole map: every hex in full."""
    return Window.columns_rows((1, 1), (game_map.info.cols, game_map.info.rows))


def hex_points(hex_mm: float) -> float:
    return hex_mm * mm
