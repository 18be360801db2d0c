"""Situation maps for posts: the printed map clipped to the area of a turn's battles, with
the counters that stand there drawn on their hexes (the printed counter art), as a PNG a
forum or Discord accepts."""

from __future__ import annotations

import io
from pathlib import Path

from wargame.atomic import atomic_path
from wargame.counters import Counter, CounterLayout
from wargame.maps.hexgrid import Hex, centre
from wargame.maps.model import GameMap
from wargame.printing.draw import FaceDrawer
from wargame.printing.mapdraw import MapPainter, Window
from wargame.printing.pdf import new_canvas

#: The longest side of the image: Discord and forums show it whole, and it stays small.
MAX_PIXELS = 1600
HEX_PT = 60.0
MARGIN_HEXES = 1


def situation_window(game_map: GameMap, hexes: list[Hex]) -> Window:
    """The columns and rows around ``hexes``, a hex of margin each way, within the map."""
    columns = [h[0] for h in hexes]
    rows = [h[1] for h in hexes]
    first = (max(1, min(columns) - MARGIN_HEXES), max(1, min(rows) - MARGIN_HEXES))
    last = (min(game_map.info.cols, max(columns) + MARGIN_HEXES),
            min(game_map.info.rows, max(rows) + MARGIN_HEXES))
    return Window.columns_rows(first, last)


def situation_png(game_map: GameMap, layout: CounterLayout,
                  stacks: dict[Hex, list[tuple[Counter, bool]]], focus: list[Hex],
                  target: Path) -> tuple[int, int]:
    """Write the situation map of the hexes in ``focus``; ``stacks`` maps a hex to its
    counters and whether each shows its back. Returns the image's size in pixels."""
    import pypdfium2 as pdfium

    window = situation_window(game_map, focus or list(stacks))
    width = (window.x1 - window.x0) * HEX_PT
    height = (window.y1 - window.y0) * HEX_PT
    buffer = io.BytesIO()
    canvas = new_canvas(buffer, (width, height), title=game_map.info.name)
    MapPainter(game_map, HEX_PT).draw(canvas, window, 0, height)
    size = HEX_PT * 0.62
    drawer = FaceDrawer(canvas, layout, size)
    drawer.begin_page()
    for hex_, counters in sorted(stacks.items()):
        x, y = centre(hex_)
        if not window.holds((x, y)):
            continue
        px = (x - window.x0) * HEX_PT - size / 2
        py = height - (y - window.y0) * HEX_PT - size / 2
        step = size * 0.12  # a stack: each counter a little up and right of the one below
        for index, (counter, back) in enumerate(counters[:6]):
            drawer.draw(counter.back if back else counter.front, px + index * step,
                        py + index * step)
    canvas.showPage()
    canvas.save()
    scale = min(2.0, MAX_PIXELS / max(width, height))
    image = pdfium.PdfDocument(buffer.getvalue())[0].render(scale=scale).to_pil()
    with atomic_path(target) as temp:
        image.convert("RGB").save(temp, format="PNG", optimize=True)
    return image.width, image.height
