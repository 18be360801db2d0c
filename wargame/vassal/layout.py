"""Where things stand on a scenario's VASSAL boards, shared by the module, the saved games
written for it and the logs read back: the holding boxes in their order, each box's place,
and the pixel of each hex centre on the board (and the hex of each pixel)."""

from __future__ import annotations

import math

import attrs

from wargame.maps.hexgrid import CORNER, Hex, centre

COUNTER_PX = 75
HEX_PX = 96  # a hex on the VASSAL board, flat side to flat side: room for a 75 px counter
BOX_WIDTH, BOX_HEIGHT, BOX_MARGIN = 220, 200, 20
MAIN_MAP, BOXES_MAP = "Main Map", "Holding boxes"


@attrs.frozen
class Box:
    """A holding box of the boxes board (an off-map area, Eliminated, a turn's
    reinforcements, a box of the turn track)."""

    id: str
    name: str
    code: str
    notes: str = ""


def holding_boxes(scenario, has_map: bool) -> list[Box]:
    """The boxes in the order the board shows them: the scenario's off-map areas (every area
    when there is no map), eliminated units, each turn's reinforcements, the turn track."""
    boxes = [Box(a.id, a.name, a.code, a.notes) for a in scenario.areas
             if a.offmap or not has_map]
    boxes.append(Box("eliminated", "Eliminated units", "ELIM"))
    boxes += [Box(f"turn-{t}", f"Reinforcements arriving on turn {t}", f"T{t}")
              for t in arrivals(scenario)]
    boxes += [Box(f"track-{t}", f"Game turn {t}", str(t)) for t in range(1, scenario.turns + 1)]
    return boxes


def arrivals(scenario) -> list[int]:
    return sorted({e.turn for e in scenario.setup if e.turn})


def box_rects(count: int, width: int = BOX_WIDTH, height: int = BOX_HEIGHT
              ) -> list[tuple[int, int, int, int]]:
    """(x0, y0, x1, y1) of each box, four to a row."""
    columns = min(4, max(1, count))
    out = []
    for index in range(count):
        row, column = divmod(index, columns)
        x0 = BOX_MARGIN + column * width + 6
        y0 = BOX_MARGIN + row * height + 6
        out.append((x0, y0, x0 + width - 12, y0 + height - 12))
    return out


def box_size(count: int, width: int = BOX_WIDTH, height: int = BOX_HEIGHT) -> tuple[int, int]:
    columns = min(4, max(1, count))
    rows = -(-count // columns)
    return columns * width + 2 * BOX_MARGIN, rows * height + 2 * BOX_MARGIN


def counter_place(rect: tuple[int, int, int, int]) -> tuple[int, int]:
    """Where a box's counters stand: at the bottom, clear of its title."""
    x0, _, x1, y1 = rect
    return (x0 + x1) // 2, y1 - 2 - COUNTER_PX // 2


def box_places(boxes: list[Box]) -> dict[str, tuple[int, int]]:
    return {box.id: counter_place(rect) for box, rect in zip(boxes, box_rects(len(boxes)))}


def box_at(boxes: list[Box], x: float, y: float) -> Box | None:
    """The box a point of the boxes board lies in."""
    for box, (x0, y0, x1, y1) in zip(boxes, box_rects(len(boxes))):
        if x0 <= x <= x1 and y0 <= y <= y1:
            return box
    return None


def origin() -> tuple[float, float]:
    """The board's top left corner in hex units: the printed map's whole-hex window."""
    return centre((1, 1))[0] - CORNER, -0.5


def point_pixel(point: tuple[float, float]) -> tuple[float, float]:
    """The pixel of a point in hex units (a hex centre, a corner) on the board."""
    x0, y0 = origin()
    return (point[0] - x0) * HEX_PX, (point[1] - y0) * HEX_PX


def hex_pixel(hex_: Hex) -> tuple[int, int]:
    """The pixel of a hex centre on the board."""
    x, y = point_pixel(centre(hex_))
    return round(x), round(y)


def pixel_hex(x: float, y: float) -> Hex:
    """The hex VASSAL's grid puts a pixel in (the module's HexGrid: flat-top columns, odd
    columns half a hex lower, numbered from 0101)."""
    gx, gy = hex_pixel((1, 1))
    dy = HEX_PX
    dx = dy * math.sqrt(3) / 2
    column = math.floor((x - gx) / dx + 0.5)
    shifted = y - gy - (dy / 2 if column % 2 else 0)
    row = math.floor(shifted / dy + 0.5)
    return column + 1, row + 1
