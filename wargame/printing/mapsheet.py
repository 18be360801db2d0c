"""`wargame print map`: a hex map tiled onto home-printer pages, or on one print-shop sheet.

Tiled: a sheet index, a page with the key, scale, north arrow, holding boxes and turn
track, then the tiles. Neighbouring tiles overlap by one hex column or row, so every hex
number on a seam is printed on both sides; registration marks sit at the corners of each
tile's map area. One sheet: 22 x 34 in, A1 or A2, with the map as large as fits (up to the
map's own hex size), the key beside or below it, 3 mm bleed and TrimBox/BleedBox.
"""

from __future__ import annotations

import math
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import inch, mm

from wargame.atomic import atomic_path
from wargame.maps.hexgrid import COLUMN_STEP, CORNER
from wargame.maps.model import GameMap
from wargame.printing import fonts
from wargame.printing.mapdraw import (MapPainter, Window, draw_haloed, draw_hexside, map_extent,
                                      style_of)
from wargame.printing.pdf import BLEED, MARKS, new_canvas, press_page
from wargame.printing.conditions import DEFAULT_CONDITION
from wargame.scenarios.model import dates_text

TILE_PAPERS = {"letter": LETTER, "a4": A4}
SHEET_PAPERS = {"22x34": (22 * inch, 34 * inch), "a1": (594 * mm, 841 * mm),
                "a2": (420 * mm, 594 * mm)}
TILE_MARGIN = 10 * mm
SHEET_MARGIN = 12 * mm
PANEL_RIGHT = 92 * mm  # a column for the key beside the map on a sheet
PANEL_BELOW = 150 * mm  # or a band of columns below it
COLUMN = 88 * mm
ROW_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
COUNTER = 0.625 * inch  # the kit's counters: boxes are sized to hold them
#: A holding box: its code and name above room for four counters, two by two.
HOLDING_BOX = (2 * COUNTER + 3 * 2 * mm, 2 * COUNTER + 3 * 2 * mm + 16)
#: A turn box: room for the Game Turn marker between the number and the dates.
TURN_BOX = COUNTER + 5 * mm


def tile_plan(game_map: GameMap, hex_pt: float, paper: str) -> list[tuple[str, Window]]:
    """(label, window) of each tile: whole columns and rows, one of each shared with the
    next tile."""
    width, height = TILE_PAPERS[paper]
    room_w = width - 2 * TILE_MARGIN
    room_h = height - 2 * TILE_MARGIN - 14 * mm  # a strip for the tile's heading
    per_tile_cols = max(2, int((room_w / hex_pt - 2 * CORNER) / COLUMN_STEP) + 1)
    per_tile_rows = max(2, int(room_h / hex_pt - 1.5) + 1)
    info = game_map.info
    col_starts = _starts(info.cols, per_tile_cols)
    row_starts = _starts(info.rows, per_tile_rows)
    plan = []
    for row_index, r0 in enumerate(row_starts):
        r1 = row_starts[row_index + 1] if row_index + 1 < len(row_starts) else info.rows
        for col_index, c0 in enumerate(col_starts):
            c1 = col_starts[col_index + 1] if col_index + 1 < len(col_starts) else info.cols
            plan.append((f"{ROW_LETTERS[row_index % 26]}{col_index + 1}",
                         Window.columns_rows((c0, r0), (c1, r1))))
    return plan


def _starts(count: int, per_tile: int) -> list[int]:
    """The first column (or row) of each tile: as few tiles as hold ``count`` with
    ``per_tile`` on each, the last of one tile starting the next, and the columns shared
    out evenly, so that no tile is a sliver left over at the edge."""
    tiles = max(1, math.ceil((count - 1) / (per_tile - 1)))
    step = math.ceil((count - 1) / tiles)
    return [1 + index * step for index in range(tiles) if 1 + index * step < count] or [1]


def render_map(game_map: GameMap, rules, target: Path, *, paper: str = "letter",
               scenario=None, hex_mm: float | None = None, pdfx: str | None = None) -> int:
    """Write the map; returns the number of pages. A sheet (22x34, A1, A2) is a print
    shop's file, PDF/X-1a for the output condition ``pdfx`` (FOGRA39 by default)."""
    with atomic_path(target) as temp:
        if paper in SHEET_PAPERS:
            pages = _render_sheet(game_map, rules, temp, paper, scenario, hex_mm,
                                  pdfx or DEFAULT_CONDITION)
        else:
            pages = _render_tiles(game_map, rules, temp, paper, scenario, hex_mm)
    return pages


def render_map_png(game_map: GameMap, target: Path, dpi: int, hex_mm: float | None = None,
                   max_pixels: int = 100_000_000) -> tuple[int, int]:
    """The whole map as one PNG at ``dpi`` (hexes at the map's printed size); returns its
    width and height in pixels."""
    import io

    import pypdfium2 as pdfium
    from PIL import Image

    from wargame.errors import UsageError

    hex_pt = (hex_mm or game_map.info.hex_mm) * mm
    whole = map_extent(game_map)
    width, height = (whole.x1 - whole.x0) * hex_pt, (whole.y1 - whole.y0) * hex_pt
    pixels = (width * dpi / 72) * (height * dpi / 72)
    if pixels > max_pixels:
        raise UsageError(f"a {dpi} dpi image of map \"{game_map.info.id}\" would have "
                         f"{pixels / 1e6:.0f} million pixels (at most "
                         f"{max_pixels / 1e6:.0f} million); choose a lower --dpi")
    buffer = io.BytesIO()
    canvas = new_canvas(buffer, (width, height), title=game_map.info.name)
    MapPainter(game_map, hex_pt).draw(canvas, whole, 0, height)
    canvas.showPage()
    canvas.save()
    image = pdfium.PdfDocument(buffer.getvalue())[0].render(scale=dpi / 72).to_pil()
    # a map is a few flat tints and their edges: 256 colours look the same, and the file
    # is a third the size and quicker to write than full colour
    image = image.convert("RGB").quantize(256, method=Image.Quantize.FASTOCTREE,
                                          dither=Image.Dither.NONE)
    with atomic_path(target) as temp:
        image.save(temp, format="PNG", dpi=(dpi, dpi), optimize=False)
    return image.width, image.height


# ---- tiles ---------------------------------------------------------------------------------
def _render_tiles(game_map, rules, target, paper, scenario, hex_mm) -> int:
    info = game_map.info
    hex_pt = (hex_mm or info.hex_mm) * mm
    page_w, page_h = TILE_PAPERS[paper]
    canvas = new_canvas(target, (page_w, page_h), title=f"{info.name}: map")
    plan = tile_plan(game_map, hex_pt, paper)
    # page 1: the sheet index over the whole map at reduced scale
    whole = map_extent(game_map)
    _page_title(canvas, page_w, page_h, info.name, f"Sheet index: {len(plan)} sheets, "
                f"{info.hex_mm:g} mm hexes, one hex column and row repeated on each seam")
    room_w, room_h = page_w - 2 * TILE_MARGIN, page_h - 2 * TILE_MARGIN - 24 * mm
    small = min(room_w / (whole.x1 - whole.x0), room_h / (whole.y1 - whole.y0))
    left = (page_w - (whole.x1 - whole.x0) * small) / 2
    top = page_h - TILE_MARGIN - 20 * mm
    MapPainter(game_map, small).draw(canvas, whole, left, top, numbers=False, labels=False,
                                     detail=False)
    canvas.setLineWidth(1.2)
    for label, window in plan:
        x = left + (window.x0 - whole.x0) * small
        y = top - (window.y1 - whole.y0) * small
        w, h = (window.x1 - window.x0) * small, (window.y1 - window.y0) * small
        canvas.setStrokeColor(colors.HexColor("#202020"))
        canvas.rect(x, y, w, h, stroke=1, fill=0)
        draw_haloed(canvas, label, x + w / 2 - 8, y + h / 2, fonts.LATIN_BOLD, 16)
    canvas.bookmarkPage("index")
    canvas.addOutlineEntry("Sheet index", "index", 0)
    canvas.showPage()
    # page 2: the key and everything printed around the map
    _page_title(canvas, page_w, page_h, info.name, "Map key")
    canvas.bookmarkPage("key")
    canvas.addOutlineEntry("Map key", "key", 0)

    def key_continued() -> None:
        canvas.showPage()
        _page_title(canvas, page_w, page_h, info.name, "Map key, continued")

    _furniture(canvas, game_map, rules, scenario, TILE_MARGIN, page_h - TILE_MARGIN - 22 * mm,
               page_w - 2 * TILE_MARGIN, hex_pt, height=page_h - 2 * TILE_MARGIN - 22 * mm,
               new_page=key_continued)
    canvas.showPage()
    painter = MapPainter(game_map, hex_pt)
    for label, window in plan:
        w = (window.x1 - window.x0) * hex_pt
        h = (window.y1 - window.y0) * hex_pt
        left = (page_w - w) / 2
        top = page_h - TILE_MARGIN - 14 * mm
        _page_title(canvas, page_w, page_h, f"{info.name}: sheet {label}",
                    f"of {len(plan)}. Trim or overlap along the marks; the outer hex column "
                    "and row repeat on the next sheet.", size=11)
        painter.draw(canvas, window, left, top)
        _registration(canvas, left, top - h, w, h)
        canvas.bookmarkPage(label)
        canvas.addOutlineEntry(f"Sheet {label}", label, 0)
        canvas.showPage()
    pages = canvas.getPageNumber() - 1  # the index, the key (one page or more), the tiles
    canvas.save()
    return pages


def _page_title(canvas, page_w, page_h, title, subtitle, size=14) -> None:
    canvas.setFillColor(colors.black)
    font, _ = fonts.font_for(title, bold=True)
    canvas.setFont(font, size)
    canvas.drawString(TILE_MARGIN, page_h - TILE_MARGIN - size, title)
    font, _ = fonts.font_for(subtitle)
    canvas.setFont(font, 7.5)
    canvas.drawString(TILE_MARGIN, page_h - TILE_MARGIN - size - 10, subtitle)


def _registration(canvas, x, y, w, h) -> None:
    """Crosshair circles at the corners of the map area, to line up neighbouring sheets."""
    canvas.setStrokeColor(colors.black)
    canvas.setLineWidth(0.4)
    for cx, cy in ((x, y), (x + w, y), (x, y + h), (x + w, y + h)):
        canvas.circle(cx, cy, 2.2 * mm, stroke=1, fill=0)
        canvas.line(cx - 4 * mm, cy, cx + 4 * mm, cy)
        canvas.line(cx, cy - 4 * mm, cx, cy + 4 * mm)


# ---- one sheet -----------------------------------------------------------------------------
def _render_sheet(game_map, rules, target, paper, scenario, hex_mm, pdfx) -> int:
    info = game_map.info
    whole = map_extent(game_map)
    units_w, units_h = whole.x1 - whole.x0, whole.y1 - whole.y0
    best = None
    for trim in (SHEET_PAPERS[paper], SHEET_PAPERS[paper][::-1]):
        for panel in ("right", "below"):
            room_w = trim[0] - 2 * SHEET_MARGIN - (PANEL_RIGHT if panel == "right" else 0)
            room_h = trim[1] - 2 * SHEET_MARGIN - (PANEL_BELOW if panel == "below" else 0)
            size = min(room_w / units_w, room_h / units_h)
            if best is None or size > best[0]:
                best = (size, trim, panel)
    size, trim, panel = best
    hex_pt = min(size, (hex_mm or info.hex_mm) * mm)
    # the sheet: its trim, 3 mm of bleed around it, and room for crop marks beyond that
    edge = BLEED + MARKS
    page = (trim[0] + 2 * edge, trim[1] + 2 * edge)
    canvas = new_canvas(target, page, title=f"{info.name}: map", pdfx=pdfx)
    # the paper colour runs into the bleed, so a trim a little off shows no white edge
    canvas.setFillColor(colors.HexColor("#f6f3e6"))
    canvas.rect(MARKS, MARKS, page[0] - 2 * MARKS, page[1] - 2 * MARKS, stroke=0, fill=1)
    press_page(canvas, trim)
    left = edge + SHEET_MARGIN
    top = edge + trim[1] - SHEET_MARGIN
    MapPainter(game_map, hex_pt).draw(canvas, whole, left, top)
    canvas.setStrokeColor(colors.black)
    canvas.setLineWidth(1)
    canvas.rect(left, top - units_h * hex_pt, units_w * hex_pt, units_h * hex_pt, stroke=1,
                fill=0)
    if panel == "right":
        px, py = left + units_w * hex_pt + 6 * mm, top
        pw, ph = COLUMN, trim[1] - 2 * SHEET_MARGIN
    else:
        px, py = left, top - units_h * hex_pt - 6 * mm
        pw, ph = trim[0] - 2 * SHEET_MARGIN, PANEL_BELOW - 8 * mm
    _furniture(canvas, game_map, rules, scenario, px, py, pw, hex_pt, title=True, height=ph)
    canvas.showPage()
    canvas.save()
    return 1


# ---- what is printed around the map ----------------------------------------------------------
def _furniture(canvas, game_map, rules, scenario, x, top, width, hex_pt, *, height,
               title=False, new_page=None) -> None:
    """Title, terrain key, other symbols, scale and north arrow, holding boxes, turn track
    and credits, flowed into columns of the given region, top to bottom; with
    ``new_page``, on to further pages when the region is full."""
    info = game_map.info
    blocks = []
    if title:
        blocks.append(lambda c, bx, by, bw: _title_block(c, info, bx, by, bw))
    blocks += [lambda c, bx, by, bw: _terrain_key(c, rules, bx, by, bw),
               lambda c, bx, by, bw: _map_symbols(c, bx, by, bw),
               lambda c, bx, by, bw: _scale_and_north(c, game_map, bx, by, bw, hex_pt)]
    if scenario is not None:
        blocks.append(lambda c, bx, by, bw: _boxes(c, scenario, bx, by, bw))
        blocks.append(lambda c, bx, by, bw: _turn_track(c, scenario, bx, by, bw))
    if info.credits:
        blocks.append(lambda c, bx, by, bw: _credits(c, info.credits, bx, by, bw))
    column_w = min(width, COLUMN)
    columns = max(1, int((width + 6 * mm) // (column_w + 6 * mm)))
    column, y = 0, top
    for block in blocks:
        needed = _measure(block, column_w)
        if top - y > 0 and y - needed < top - height:
            if column + 1 < columns:
                column, y = column + 1, top
            elif new_page is not None:  # a home printer's key runs on to another page
                new_page()
                column, y = 0, top
        y = block(canvas, x + column * (column_w + 6 * mm), y, column_w) - 8


def _measure(block, width: float) -> float:
    """How tall a block draws, found by drawing it once on a scratch canvas."""
    import io

    scratch = new_canvas(io.BytesIO(), (width, 2000))
    return 2000 - block(scratch, 0, 2000, width)


def _title_block(canvas, info, x, y, width) -> float:
    """The map's name, wrapped to its column (a long name must not run into the next
    column's key), and its subtitle."""
    font, _ = fonts.font_for(info.name, bold=True)
    canvas.setFillColor(colors.black)
    canvas.setFont(font, 18)
    for line in _wrap(info.name, font, 18, width):
        y -= 20
        canvas.drawString(x, y + 2, line)
    y -= 12  # clear of the title's descenders
    if info.subtitle:
        font, _ = fonts.font_for(info.subtitle)
        canvas.setFont(font, 9)
        for line in _wrap(info.subtitle, font, 9, width):
            canvas.drawString(x, y, line)
            y -= 10
    return y


def _credits(canvas, text, x, y, width) -> float:
    canvas.setFont(fonts.LATIN, 6)
    canvas.setFillColor(colors.HexColor("#404040"))
    for line in _wrap(text, fonts.LATIN, 6, width):
        y -= 8
        canvas.drawString(x, y, line)
    return y


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    lines, current = [], ""
    for word in text.split():
        trial = f"{current} {word}".strip()
        if fonts.width(trial, font, size) > width and current:
            lines.append(current)
            current = word
        else:
            current = trial
    return lines + ([current] if current else [])


def key_rows(rules) -> list[list[str]]:
    """The terrain key's text: exactly the terrain chart's rows (``charts.terrain_effects``)."""
    from wargame.printing.charts import terrain_effects

    return terrain_effects(rules)


def _terrain_key(canvas, rules, x, y, width) -> float:
    canvas.setFillColor(colors.black)
    canvas.setFont(fonts.LATIN_BOLD, 10)
    canvas.drawString(x, y - 10, "Terrain key")
    y -= 16
    headers = ["", "Terrain", "Move", "Def.", "Att.", "Shift", "DRM"]
    stops = [0, 14 * mm, 38 * mm, 55 * mm, 64 * mm, 73 * mm, 81 * mm]
    stops = [s * width / (88 * mm) for s in stops]
    canvas.setFont(fonts.LATIN_BOLD, 6.5)
    for header, stop in zip(headers, stops):
        canvas.drawString(x + stop, y - 7, header)
    y -= 10
    swatch = 9 * mm
    for terrain, row in zip(rules.terrain.values(), key_rows(rules)):
        _swatch(canvas, terrain, x + swatch / 2, y - swatch * 0.45, swatch)
        canvas.setFillColor(colors.black)
        canvas.setFont(fonts.LATIN, 7)
        for text, stop in zip(row, stops[1:]):
            canvas.drawString(x + stop, y - swatch * 0.5 - 2.5, text)
        y -= swatch + 1.5
    return y


def _swatch(canvas, terrain, cx, cy, size) -> None:
    """The terrain as the map draws it: a small hex, or a hexside line across one."""
    from wargame.maps.hexgrid import corners

    style = style_of(terrain.id)
    hex_pt = size * 0.9
    painter_points = [(cx + px * hex_pt, cy - py * hex_pt) for px, py in corners((1, 1))]
    path = canvas.beginPath()
    path.moveTo(*painter_points[0])
    for point in painter_points[1:]:
        path.lineTo(*point)
    path.close()
    base = style.fill if terrain.feature == "hex" else style_of("clear").fill
    canvas.setFillColor(colors.HexColor(base))
    canvas.setStrokeColor(colors.HexColor("#6f6f6f"))
    canvas.setLineWidth(0.4)
    canvas.drawPath(path, stroke=1, fill=1)
    if terrain.feature == "hexside":
        draw_hexside(canvas, style, painter_points[4], painter_points[5], hex_pt)
    elif style.pattern != "none":
        painter = MapPainter.__new__(MapPainter)
        painter.hex_pt = hex_pt
        painter._pattern(canvas, style, cx, cy)


def _map_symbols(canvas, x, y, width) -> float:
    """Symbols that are not terrain: railways, roads, ports, airfields, zones, lines."""
    from wargame.printing.mapdraw import RAIL_COLOUR, ROAD_COLOUR, ZONE_COLOUR

    canvas.setFont(fonts.LATIN_BOLD, 10)
    canvas.setFillColor(colors.black)
    canvas.drawString(x, y - 10, "Other symbols")
    y -= 22
    entries = [("rail", "Railway (no effect on combat)"), ("road", "Main road"),
               ("zone", "Set-up zone and its code (the code on the counters' corner)"),
               ("port", "Port: ships embark and disembark"), ("air", "Airfield"),
               ("line", "Parallel or frontier of 1950")]
    for kind, text in entries:
        cx, cy = x + 5.5 * mm, y + 2
        if kind in ("rail", "road"):
            canvas.setStrokeColor(colors.HexColor(RAIL_COLOUR if kind == "rail" else
                                                  ROAD_COLOUR))
            canvas.setLineWidth(1.6)
            canvas.line(cx - 5 * mm, cy, cx + 5 * mm, cy)
            if kind == "rail":
                canvas.setStrokeColor(colors.white)
                canvas.setLineWidth(0.6)
                canvas.setDash(2, 2)
                canvas.line(cx - 5 * mm, cy, cx + 5 * mm, cy)
                canvas.setDash()
        elif kind == "zone":
            canvas.setStrokeColor(colors.HexColor(ZONE_COLOUR))
            canvas.setLineWidth(1.2)
            canvas.setDash(3, 1.5)
            canvas.line(cx - 5 * mm, cy, cx + 5 * mm, cy)
            canvas.setDash()
        elif kind == "line":
            canvas.setStrokeColor(colors.HexColor("#c0002a"))
            canvas.setLineWidth(1.2)
            canvas.setDash(4, 1.5)
            canvas.line(cx - 5 * mm, cy, cx + 5 * mm, cy)
            canvas.setDash()
        else:
            canvas.setStrokeColor(colors.HexColor("#1d3d8f" if kind == "air" else "#10406a"))
            canvas.setLineWidth(0.8)
            if kind == "air":
                canvas.line(cx - 2 * mm, cy, cx + 2 * mm, cy)
                canvas.line(cx, cy - 2 * mm, cx, cy + 1.6 * mm)
            else:
                canvas.line(cx, cy - 2 * mm, cx, cy + 1.6 * mm)
                canvas.arc(cx - 1.6 * mm, cy - 2.8 * mm, cx + 1.6 * mm, cy, 180, 180)
        canvas.setFillColor(colors.black)
        canvas.setFont(fonts.LATIN, 7)
        canvas.drawString(x + 13 * mm, y, text)
        y -= 10
    return y


def _scale_and_north(canvas, game_map, x, y, width, hex_pt) -> float:
    info = game_map.info
    km_per_pt = info.hex_km / hex_pt
    canvas.setFont(fonts.LATIN_BOLD, 10)
    canvas.setFillColor(colors.black)
    ratio = round(info.hex_km * 1e6 / (hex_pt / mm) / 1000) * 1000
    canvas.drawString(x, y - 10, f"Scale: {info.hex_km:g} km per hex (1:{ratio:,})")
    y -= 26
    # a bar of whole hexes, labelled in km
    hexes = max(1, min(6, int((width - 30 * mm) / hex_pt)))
    for index in range(hexes):
        canvas.setFillColor(colors.black if index % 2 == 0 else colors.white)
        canvas.setStrokeColor(colors.black)
        canvas.setLineWidth(0.5)
        canvas.rect(x + index * hex_pt, y, hex_pt, 3 * mm, stroke=1, fill=1)
    canvas.setFillColor(colors.black)
    canvas.setFont(fonts.LATIN, 6.5)
    for index in range(hexes + 1):
        label = f"{index * hex_pt * km_per_pt:g}" + (" km" if index == hexes else "")
        canvas.drawCentredString(x + index * hex_pt, y - 8, label)
    # north: the meridian through the map's centre, as drawn by the projection
    frame_lambert = game_map.info.projection
    west, south, east, north = info.box
    from wargame.maps.projection import MapFrame

    frame = MapFrame(info)
    lon, lat = (west + east) / 2, (south + north) / 2
    ax, ay = frame.to_km(lon, lat)
    bx, by = frame.to_km(lon, lat + 0.5)
    angle = math.atan2(bx - ax, ay - by)  # from straight up, clockwise
    del frame_lambert
    nx, ny = x + width - 12 * mm, y + 2 * mm
    length = 11 * mm
    tip = (nx + length * math.sin(angle), ny + length * math.cos(angle))
    canvas.setStrokeColor(colors.black)
    canvas.setFillColor(colors.black)
    canvas.setLineWidth(1.2)
    canvas.line(nx, ny - 3 * mm, *tip)
    path = canvas.beginPath()
    side = 2 * mm
    path.moveTo(*tip)
    path.lineTo(tip[0] - side * math.sin(angle + 2.7), tip[1] - side * math.cos(angle + 2.7))
    path.lineTo(tip[0] - side * math.sin(angle - 2.7), tip[1] - side * math.cos(angle - 2.7))
    path.close()
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.setFont(fonts.LATIN_BOLD, 9)
    canvas.drawCentredString(tip[0], tip[1] + 3, "N")
    return y - 14


def _boxes(canvas, scenario, x, y, width) -> float:
    """Holding boxes (off-map areas, reinforcements, eliminated), each with room for four
    counters, two by two, under its code and name."""
    canvas.setFont(fonts.LATIN_BOLD, 10)
    canvas.setFillColor(colors.black)
    canvas.drawString(x, y - 10, "Holding boxes")
    y -= 16
    boxes = [(area.code, area.name) for area in scenario.areas if area.offmap]
    boxes += [("ELIM", "Eliminated units"), ("REINF", "Reinforcements not yet arrived")]
    box_w, box_h = HOLDING_BOX
    per_row = max(1, int((width + 2 * mm) // (box_w + 2 * mm)))
    for index, (code, name) in enumerate(boxes):
        row, column = divmod(index, per_row)
        bx = x + column * (box_w + 2 * mm)
        by = y - (row + 1) * (box_h + 2 * mm)
        canvas.setStrokeColor(colors.black)
        canvas.setFillColor(colors.white)
        canvas.setLineWidth(0.8)
        canvas.rect(bx, by, box_w, box_h, stroke=1, fill=1)
        canvas.setFillColor(colors.black)
        canvas.setFont(fonts.LATIN_BOLD, 7)
        canvas.drawString(bx + 2, by + box_h - 8, code)
        # the name on the line under the code, above the room for the counters
        name, size = fonts.fit(name, fonts.LATIN, 5.5, 4.5, box_w - 4)
        canvas.setFont(fonts.LATIN, size)
        canvas.drawString(bx + 2, by + box_h - 15, name)
    rows = (len(boxes) + per_row - 1) // per_row
    return y - rows * (box_h + 2 * mm)


def _turn_track(canvas, scenario, x, y, width) -> float:
    """The turn record track: each box room for the Game Turn marker, between the turn's
    number and the days it stands for."""
    canvas.setFillColor(colors.black)
    canvas.setFont(fonts.LATIN_BOLD, 10)
    for line in _wrap(f"Turn record track ({scenario.turn_length} a turn)", fonts.LATIN_BOLD,
                      10, width):
        canvas.drawString(x, y - 10, line)
        y -= 12
    y -= 4
    cell = TURN_BOX
    per_row = max(1, int(width // cell))
    for turn, days in enumerate(scenario.turn_days(), start=1):
        row, column = divmod(turn - 1, per_row)
        cx = x + column * cell
        cy = y - (row + 1) * cell
        canvas.setFillColor(colors.white)
        canvas.setStrokeColor(colors.black)
        canvas.rect(cx, cy, cell, cell, stroke=1, fill=1)
        canvas.setFillColor(colors.black)
        canvas.setFont(fonts.LATIN_BOLD, 8)
        canvas.drawString(cx + 2, cy + cell - 9, str(turn))
        canvas.setFont(fonts.LATIN, 5.5)
        canvas.drawCentredString(cx + cell / 2, cy + 2.5, dates_text(*days))
    rows = (scenario.turns + per_row - 1) // per_row
    return y - rows * cell - 4
