"""Write a VASSAL 3.7 module (.vmod) of a scenario: counters with front and back, palettes
per side and for markers, an area board with the set-up, dice, charts, the booklet as
help, the sides as the player roster, and a turn tracker."""

from __future__ import annotations

import dataclasses
import io
import re
import time
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

from wargame.atomic import atomic_path
from wargame.vassal import encoding, layout
from wargame.vassal.layout import COUNTER_PX

VASSAL_VERSION = "3.7.0"  # the lowest 3.7 release: newer 3.7 engines open it without warnings
MAP_MUST_HAVE = ("PieceMover", "KeyBufferer", "ForwardToKeyBuffer", "MenuDisplayer")
P = "VASSAL.build."


def _image_name(key: str, side: str) -> str:
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", key):
        raise ValueError(f"unsafe image name {key!r}")
    return f"{key}-{side}.png"


MOVED_IMAGE = "moved.png"
#: Width of a palette's list of names: the longest unit name of the series (about 40
#: characters) at VASSAL's default list font, about 7 px a character.
PALETTE_LIST_PX = 330


def piece_for(name: str, key: str, gpid: int, back_name: str | None = None,
              back_up: bool = False, at: tuple[str, int, int] | None = None,
              faction: str | None = None) -> str:
    """A palette slot's piece: front and back as a flip Layer (a unit's back is its reduced
    side; a marker's back has a name of its own), a report of each flip, the moved mark,
    Delete and Clone, a ``Faction`` property when the piece has one, and the BasicPiece. A
    saved game's piece shows its back (``back_up``) and stands ``at`` (map, x, y)."""
    front, back = _image_name(key, "front"), _image_name(key, "back")
    # a level name starting with "+" is added to the piece's name; any other replaces it
    levels = ["", "+ reduced"] if back_name is None else ["", back_name]
    traits = [
        # flips, clones and deletions all show in the chat (a PBEM log records them)
        (encoding.report("FCD", "$location$: $newPieceName$ ($menuCommand$) *"), "-1"),
        (encoding.layer([front, back], levels, "Flip", "F", "Step"), "2" if back_up else "1"),
        (encoding.movement_markable(MOVED_IMAGE), "false"),
        (encoding.clone(), ""),
        (encoding.delete(), ""),
    ]
    if faction is not None:
        traits.append((encoding.properties(["Faction"]), encoding.encode([faction], ",")))
    where = "null;0;0" if at is None else encoding.encode([at[0], str(at[1]), str(at[2])], ";")
    basic = (encoding.basic_piece("", name), f"{where};{gpid};0")
    return encoding.piece_definition(traits, basic)


def moved_image() -> bytes:
    """The small flag a moved piece shows."""
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (14, 14), (0, 0, 0, 0))
    ImageDraw.Draw(image).ellipse((1, 1, 12, 12), fill="#c0002a", outline="white")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _sub(parent, tag: str, **attributes) -> ET.Element:
    return ET.SubElement(parent, P + tag, {k: str(v) for k, v in attributes.items()})


@dataclasses.dataclass
class HexBoard:
    """The printed map as a VASSAL board: its image, hex geometry in pixels and zones."""

    name: str
    image: str
    x0: float  # centre of hex 0101, pixels
    y0: float
    dy: float  # hex height (flat side to flat side), pixels
    zones: list[tuple[str, list[tuple[int, int]]]]  # (code, polygon) per set-up zone hex

    @property
    def dx(self) -> float:
        return self.dy * 3 ** 0.5 / 2


@dataclasses.dataclass
class BoxBoard:
    """The holding boxes as a board: its image and one zone per box, named as printed (the
    zone is the part of the box below its title, where counters go)."""

    image: str
    zones: list[tuple[str, list[tuple[int, int]]]]


def build_file(title: str, description: str, sides: list[str],
               palettes: list[tuple[str, list[tuple[str, str, int, bool]]]],
               setup: list[tuple[str, str, int, int, list[tuple[str, str, int]]]],
               dice: list[tuple[int, int, int]], charts: list[tuple[str, str]],
               board: HexBoard, boxes: BoxBoard | None, turns: int,
               help_pdf: str | None, next_gpid: int) -> bytes:
    """The XML of buildFile.xml. ``setup`` is (map name, stack name, x, y, pieces)."""
    root = ET.Element(P + "GameModule", {"name": title, "version": "1.0",
                                          "VassalVersion": VASSAL_VERSION,
                                          "description": description,
                                          "nextPieceSlotId": str(next_gpid)})
    _sub(root, "module.BasicCommandEncoder")
    documentation = _sub(root, "module.Documentation")
    if help_pdf:
        _sub(documentation, "module.documentation.BrowserPDFFile", title="Scenario booklet",
             pdfFile=help_pdf)
    _sub(root, "module.GlobalOptions", autoReport="Always", playerIdFormat="$playerName$")
    roster = _sub(root, "module.PlayerRoster")
    for side in sides:
        ET.SubElement(roster, "entry").text = side
    _sub(root, "module.Chatter")
    _sub(root, "module.PrototypesContainer")
    for count, sides_of_die, plus in dice:
        name = f"{count}d{sides_of_die}" + (f"{plus:+d}" if plus else "")
        _sub(root, "module.DiceButton", name=name, text=name, nDice=count, nSides=sides_of_die,
             plus=plus, addToTotal=0, reportTotal="true",
             reportFormat="** $name$ = $result$ *** ($playerName$)")
    # the tracker's own properties: $newTurn$ in reports; after the last turn it starts over
    # VASSAL starts the report with "* " itself, and $newTurn$ already reads "Turn 2"
    tracker = _sub(root, "module.turn.TurnTracker", name="Turn", buttonText="Turn",
                   turnFormat="Turn $level1$", reportFormat=f"$newTurn$ of {turns}")
    _sub(tracker, "module.turn.CounterTurnLevel", property="Turn", start=1, incr=1,
         loop="true", loopLimit=turns)
    if charts:
        window = _sub(root, "module.ChartWindow", name="Charts", text="Charts")
        tabs = _sub(window, "widget.TabWidget", entryName="Charts")
        for chart_name, image in charts:
            _sub(tabs, "widget.Chart", chartName=chart_name, fileName=image)
    maps = {"Main Map": _map(root, "Main Map", "Map", board.name, board.image)}
    picker_board = maps["Main Map"].find(P + "module.map.BoardPicker")[0]
    zoned = _sub(picker_board, "module.map.boardPicker.board.ZonedGrid")
    grid = _sub(zoned, "module.map.boardPicker.board.HexGrid", sideways="false",
                dx=f"{board.dx:.4f}", dy=f"{board.dy:.4f}", x0=round(board.x0),
                y0=round(board.y0), snapTo="true", visible="false", edgesLegal="false",
                cornersLegal="false", dotsVisible="false", color="0,0,0")
    _sub(grid, "module.map.boardPicker.board.mapgrid.HexGridNumbering", first="H", sep="",
         hType="N", vType="N", hLeading=1, vLeading=1, hOff=1, vOff=1, stagger="false",
         locationFormat="$gridLocation$", visible="false", hDescend="false",
         vDescend="false", rotateText=0, fontSize=9, color="0,0,0", hDrawOff=0, vDrawOff=0)
    for code, polygon in board.zones:
        _sub(zoned, "module.map.boardPicker.board.mapgrid.Zone", name=code,
             path=";".join(f"{x},{y}" for x, y in polygon), useParentGrid="true",
             locationFormat="$gridLocation$ ($name$)", highlightProperty="")
    if boxes is not None:
        maps["Holding boxes"] = _map(root, "Holding boxes", "Boxes", "Holding boxes",
                                     boxes.image)
        box_board = maps["Holding boxes"].find(P + "module.map.BoardPicker")[0]
        box_zones = _sub(box_board, "module.map.boardPicker.board.ZonedGrid")
        for name, polygon in boxes.zones:
            _sub(box_zones, "module.map.boardPicker.board.mapgrid.Zone", name=name,
                 path=";".join(f"{x},{y}" for x, y in polygon), useParentGrid="false",
                 locationFormat="$name$", highlightProperty="")
    for map_name, stack_name, x, y, pieces in setup:
        stack = _sub(maps[map_name], "module.map.SetupStack", name=stack_name,
                     owningBoard=board.name if map_name == "Main Map" else "Holding boxes",
                     useGridLocation="false", x=x, y=y)
        for entry, definition, gpid in pieces:
            slot = _sub(stack, "widget.PieceSlot", entryName=entry, gpid=gpid,
                        width=COUNTER_PX, height=COUNTER_PX)
            slot.text = definition
    for palette_name, entries in palettes:
        window = _sub(root, "module.PieceWindow", name=palette_name, text=palette_name)
        # a palette wide and tall enough for its names (VASSAL opens small ones cut)
        widget = _sub(window, "widget.ListWidget", entryName=palette_name,
                      width=PALETTE_LIST_PX + 240, height=520, divider=PALETTE_LIST_PX,
                      scale="1.0")
        for entry, definition, gpid, _ in entries:
            slot = _sub(widget, "widget.PieceSlot", entryName=entry, gpid=gpid,
                        width=COUNTER_PX, height=COUNTER_PX)
            slot.text = definition
    ET.indent(root)
    return b'<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n' + ET.tostring(
        root, encoding="utf-8")


def _map(root, map_name: str, button: str, board_name: str, image: str) -> ET.Element:
    game_map = _sub(root, "module.Map", mapName=map_name, buttonName=button,
                    markMoved="Always",
                    moveWithinFormat="$pieceName$ moves $previousLocation$ -> $location$ *",
                    moveToFormat="$pieceName$ moves $previousLocation$ -> $location$ *",
                    createFormat="$pieceName$ created in $location$ *")
    picker = _sub(game_map, "module.map.BoardPicker")
    _sub(picker, "module.map.boardPicker.Board", name=board_name, image=image,
         reversible="false")
    for tag in ("StackMetrics", "ForwardToKeyBuffer", "Scroller", "ForwardToChatter",
                "MenuDisplayer", "MapCenterer", "StackExpander", "PieceMover", "KeyBufferer",
                "Zoomer", "CounterDetailViewer"):
        _sub(game_map, "module.map." + tag)
    return game_map


def module_data(title: str, description: str) -> bytes:
    root = ET.Element("data", {"version": "1"})
    for tag, text in (("version", "1.0"), ("VassalVersion", VASSAL_VERSION),
                      ("dateSaved", str(int(time.time() * 1000))),
                      ("description", description), ("name", title)):
        ET.SubElement(root, tag).text = text
    return b'<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n' + ET.tostring(
        root, encoding="utf-8")


def area_board(areas) -> tuple[bytes, dict, dict]:
    """A plain board: one box per set-up area, named and coded, laid out as
    :mod:`wargame.vassal.layout` says. Returns the PNG, where each area's counters stand
    (below the box's title) and the part of each box below its title (the zone VASSAL
    names it by)."""
    from PIL import Image, ImageDraw, ImageFont

    import paperang_p2_fonts_cjk

    font_path = Path(paperang_p2_fonts_cjk.__file__).parent / "fonts" / "wqy-microhei.ttc"
    title_font = ImageFont.truetype(str(font_path), 20)
    small_font = ImageFont.truetype(str(font_path), 14)
    image = Image.new("RGB", layout.box_size(len(areas)), "#e9e4d4")
    draw = ImageDraw.Draw(image)
    centres, rooms = {}, {}
    for area, rect in zip(areas, layout.box_rects(len(areas))):
        x0, y0, x1, y1 = rect
        draw.rectangle(rect, fill="#f7f3e8", outline="#4a4a4a", width=2)
        room = x1 - x0 - 16
        y = y0 + 6
        for line in _wrap(draw, f"{area.code}  {area.name}", title_font, room)[:2]:
            draw.text((x0 + 8, y), line, fill="#222222", font=title_font)
            y += 24
        for line in _wrap(draw, area.notes, small_font, room)[:2]:
            draw.text((x0 + 8, y + 2), line, fill="#555555", font=small_font)
            y += 18
        top = y + 6  # the counters' room starts below the title and notes
        if y1 - top < COUNTER_PX + 4:
            raise ValueError(f"box {area.code}: no room for a counter below its title")
        rooms[area.id] = [(x0, top), (x1, top), (x1, y1), (x0, y1)]
        centres[area.id] = layout.counter_place(rect)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue(), centres, rooms


def _wrap(draw, text: str, font, room: float) -> list[str]:
    """Words in lines no wider than ``room`` pixels."""
    lines: list[str] = []
    for word in text.split():
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and draw.textlength(candidate, font=font) <= room:
            lines[-1] = candidate
        else:
            lines.append(word)
    return lines


def write_module(target: Path, files: dict[str, bytes]) -> None:
    """The .vmod archive, written atomically."""
    with atomic_path(target) as temp:
        with zipfile.ZipFile(temp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name, data in files.items():
                archive.writestr(name, data)
