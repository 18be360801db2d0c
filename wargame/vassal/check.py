"""A static check of a .vmod that mirrors what VASSAL 3.7 does when it opens one.

1. The file opens as a ZIP and has ``moduledata`` naming a VassalVersion; from 3.5 on the
   build file is ``buildFile.xml`` (before, ``buildFile``); a version at or past 3.8 is
   refused as too new by 3.7.
2. The build file's root is a GameModule; every tag is a VASSAL class that exists.
3. Every Map has PieceMover, KeyBufferer, ForwardToKeyBuffer and MenuDisplayer (without
   them pieces cannot be moved).
4. Every PieceSlot decodes, is a chain of known traits ending in a BasicPiece, and every
   image it names is in the archive; so is every image a board or chart names.
5. What loads but plays badly (each seen in a real VASSAL 3.7): a hex grid without its
   numbering (every location reads "offboard"), a turn report naming $level1$ (printed
   literally), a palette of default size (names cut), a map that marks moved pieces whose
   pieces cannot be marked (a plain Marker ``mark;`` is not Mark When Moved ``markmoved;``),
   pieces that cannot be deleted or cloned, and a marker whose back is named as a unit's
   reduced side.
6. What plays but reports wrongly (seen in a real VASSAL 3.7, played by e-mail): a board
   without a grid or zones (everything on it is "offboard"), two zones on one hex (VASSAL
   names the first only), a turn report that repeats VASSAL's "* " or the word "Turn", a
   Clone or Delete that leaves no line in the chat, a marker whose flip reports no change, a
   palette list narrower than its names, a set-up stack over a box's title, and a turn
   track without its Game Turn marker.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

from wargame.vassal.encoding import decode, split_piece
from wargame.vassal.module import MAP_MUST_HAVE

KNOWN_CLASSES = frozenset("VASSAL.build." + name for name in (
    "GameModule", "module.BasicCommandEncoder", "module.Documentation",
    "module.documentation.BrowserPDFFile", "module.documentation.BrowserHelpFile",
    "module.documentation.AboutScreen", "module.documentation.HelpFile",
    "module.GlobalOptions", "module.PlayerRoster", "module.Chatter",
    "module.PrototypesContainer", "module.PrototypeDefinition", "module.DiceButton",
    "module.SpecialDiceButton", "module.ChartWindow", "module.PieceWindow", "module.Map",
    "module.PrivateMap", "module.PlayerHand", "module.ToolbarMenu", "module.Inventory",
    "module.NotesWindow", "module.turn.TurnTracker", "module.turn.CounterTurnLevel",
    "module.turn.ListTurnLevel", "module.map.BoardPicker", "module.map.boardPicker.Board",
    "module.map.boardPicker.board.HexGrid", "module.map.boardPicker.board.SquareGrid",
    "module.map.boardPicker.board.ZonedGrid",
    "module.map.boardPicker.board.mapgrid.HexGridNumbering",
    "module.map.boardPicker.board.mapgrid.SquareGridNumbering",
    "module.map.boardPicker.board.mapgrid.Zone", "module.map.StackMetrics",
    "module.map.ForwardToKeyBuffer", "module.map.Scroller", "module.map.ForwardToChatter",
    "module.map.MenuDisplayer", "module.map.MapCenterer", "module.map.StackExpander",
    "module.map.PieceMover", "module.map.KeyBufferer", "module.map.Zoomer",
    "module.map.CounterDetailViewer", "module.map.SetupStack", "module.map.DrawPile",
    "module.map.HidePiecesButton", "module.map.GlobalMap", "module.map.SelectionHighlighters",
    "module.map.HighlightLastMoved", "module.map.LayeredPieceCollection",
    "widget.PieceSlot", "widget.ListWidget", "widget.TabWidget", "widget.PanelWidget",
    "widget.BoxWidget", "widget.Chart", "widget.HtmlChart", "widget.MapWidget",
))
KNOWN_TRAITS = ("emb2;", "report;", "piece;", "markmoved;", "mark;", "prototype;", "obs;",
                "hide;",
                "label;", "delete;", "clone;", "sendto;", "returnTo;", "PROP;", "macro;")
IMAGE_ATTRIBUTES = {"image", "fileName", "icon"}


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", text)[:3])


def check_module(path: Path) -> list[str]:
    """Every problem VASSAL 3.7 would have opening ``path`` (an empty list when none)."""
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        return [f"not a ZIP archive: {exc}"]
    with archive:
        names = set(archive.namelist())
        if "moduledata" not in names:
            return ["no moduledata: VASSAL cannot tell what the file is"]
        try:
            data = ET.fromstring(archive.read("moduledata"))
        except ET.ParseError as exc:
            return [f"moduledata is not XML: {exc}"]
        version_text = data.findtext("VassalVersion") or ""
        version = _version(version_text)
        if not version:
            return ["moduledata names no VassalVersion"]
        problems = []
        if version >= (3, 8):
            problems.append(f"VassalVersion {version_text} is too new for VASSAL 3.7")
        build_name = "buildFile.xml" if version >= (3, 5) else "buildFile"
        if build_name not in names:
            return problems + [f"VassalVersion {version_text} makes VASSAL open {build_name}, "
                               "which is missing"]
        try:
            root = ET.fromstring(archive.read(build_name))
        except ET.ParseError as exc:
            return problems + [f"{build_name} is not XML: {exc}"]
        if root.tag != "VASSAL.build.GameModule":
            problems.append(f"the root element is {root.tag}, not VASSAL.build.GameModule")
        images = {n[len("images/"):] for n in names if n.startswith("images/")}
        parents = {child: parent for parent in root.iter() for child in parent}
        for element in root.iter():
            if element.tag == "entry":
                if parents.get(element) is None or \
                        parents[element].tag != "VASSAL.build.module.PlayerRoster":
                    problems.append("an <entry> outside the player roster")
            elif element.tag not in KNOWN_CLASSES:
                problems.append(f"unknown element {element.tag}: VASSAL has no such class")
            for attribute in IMAGE_ATTRIBUTES & set(element.attrib):
                value = element.attrib[attribute]
                if value and element.tag != "VASSAL.build.module.DiceButton" and \
                        value not in images:
                    problems.append(f"{element.tag} names image {value}, not in images/")
            if element.tag == "VASSAL.build.module.documentation.BrowserPDFFile":
                pdf = element.attrib.get("pdfFile", "")
                if pdf not in names:
                    problems.append(f"the help file {pdf} is not in the module")
        for game_map in root.iter("VASSAL.build.module.Map"):
            present = {child.tag.rsplit(".", 1)[-1] for child in game_map}
            for needed in MAP_MUST_HAVE:
                if needed not in present:
                    problems.append(f"map {game_map.get('mapName')} lacks {needed}: its "
                                    "pieces could not be moved or clicked")
        for slot in root.iter("VASSAL.build.widget.PieceSlot"):
            problems += [f"piece {slot.get('entryName')}: {p}" for p in
                         check_piece(slot.text or "", images)]
        problems += _playability(root)
        return problems


def _playability(root) -> list[str]:
    """Rule 5: what a module must have to play well once it has loaded."""
    problems = []
    for grid in root.iter("VASSAL.build.module.map.boardPicker.board.HexGrid"):
        if grid.find("VASSAL.build.module.map.boardPicker.board.mapgrid.HexGridNumbering") \
                is None:
            problems.append("a hex grid without numbering: every location would read "
                            "offboard")
    for tracker in root.iter("VASSAL.build.module.turn.TurnTracker"):
        if "$level" in tracker.get("reportFormat", ""):
            problems.append("the turn report names $level...: VASSAL prints it literally; "
                            "use $newTurn$")
        for level in tracker.iter("VASSAL.build.module.turn.CounterTurnLevel"):
            if level.get("loop") != "true":
                problems.append("the turn counter runs past the last turn (set loop)")
    for widget in root.iter("VASSAL.build.widget.ListWidget"):
        if int(widget.get("width", "0") or 0) < 300 or int(widget.get("height", "0") or 0) < 300:
            problems.append(f"palette {widget.get('entryName')} opens at the default size, "
                            "its names cut")
    marks_moved = any(m.get("markMoved", "Never") != "Never"
                      for m in root.iter("VASSAL.build.module.Map"))
    for slot in root.iter("VASSAL.build.widget.PieceSlot"):
        try:
            types, _ = split_piece(slot.text or "")
        except ValueError:
            continue  # reported by check_piece
        name = slot.get("entryName")
        if marks_moved and not any(t.startswith("markmoved;") for t in types):
            plain = any(t.startswith("mark;") for t in types)
            problems.append(f"piece {name}: the map marks moved pieces, but it has no "
                            "Mark When Moved trait" + (" (mark; is the plain Marker trait; "
                                                       "markmoved; marks a move)" if plain
                                                       else ""))
        for trait in ("delete;", "clone;"):
            if not any(t.startswith(trait) for t in types):
                problems.append(f"piece {name}: it cannot be {trait[:-1]}d")
    for entry, _, levels in _marker_layers(root):
        if "+ reduced" in levels:
            problems.append(f"marker {entry}: its back is named as a reduced unit, not as the "
                            "marker's back")
    return problems + _reporting(root)


def _marker_layers(root):
    """(entry name, piece name, level names of its flip Layer) of each piece of the Markers
    palette (pieces that do not decode are reported by check_piece)."""
    for window in root.iter("VASSAL.build.module.PieceWindow"):
        if window.get("name") != "Markers":
            continue
        for slot in window.iter("VASSAL.build.widget.PieceSlot"):
            try:
                types, _ = split_piece(slot.text or "")
            except ValueError:
                continue
            basic = decode(types[-1], ";")
            name = basic[4] if len(basic) > 4 else ""
            for trait in types:
                fields = decode(trait, ";")
                if trait.startswith("emb2;") and len(fields) > 17:
                    yield slot.get("entryName"), name, decode(fields[17], ",")


_GRIDS = ("HexGrid", "SquareGrid", "ZonedGrid")
_BOARD = "VASSAL.build.module.map.boardPicker.Board"
_ZONE = "VASSAL.build.module.map.boardPicker.board.mapgrid.Zone"


def _reporting(root) -> list[str]:
    """Rule 6: what makes the chat and the log say the wrong thing."""
    problems = []
    for board in root.iter(_BOARD):
        # an empty ZonedGrid names nothing either
        if not any(child.tag.rsplit(".", 1)[-1] in _GRIDS[:2] or
                   child.tag.endswith("ZonedGrid") and len(child) for child in board):
            problems.append(f"board {board.get('name')} has no grid or zones: every location "
                            "on it reads offboard")
    for zoned in root.iter("VASSAL.build.module.map.boardPicker.board.ZonedGrid"):
        seen: dict[str, str] = {}
        for zone in zoned.iter(_ZONE):
            path, name = zone.get("path", ""), zone.get("name", "")
            if path in seen and seen[path] != name:
                problems.append(f"zones {seen[path]} and {name} are the same hex: VASSAL "
                                f"reports {seen[path]} only; give the hex one zone")
            seen.setdefault(path, name)
    for tracker in root.iter("VASSAL.build.module.turn.TurnTracker"):
        report = tracker.get("reportFormat", "")
        word = (tracker.get("turnFormat", "").split() or [""])[0]
        if report.lstrip().startswith("*"):
            problems.append("the turn report starts with '*': VASSAL adds '* ' itself")
        if word and re.search(re.escape(word) + r"\s+\$newTurn\$", report):
            problems.append(f"the turn report says {word} before $newTurn$, which already "
                            f"reads '{word} ...': the chat would say '{word} {word}'")
    for slot in root.iter("VASSAL.build.widget.PieceSlot"):
        try:
            types, _ = split_piece(slot.text or "")
        except ValueError:
            continue
        reported = {k for t in types if t.startswith("report;")
                    for k in decode(decode(t, ";")[1], ",")}
        for trait in types:
            if trait.startswith(("clone;", "delete;")):
                key = decode(trait, ";")[2]
                if key not in reported:
                    problems.append(f"piece {slot.get('entryName')}: its "
                                    f"{decode(trait, ';')[1]} leaves no line in the chat")
    for window in root.iter("VASSAL.build.module.PieceWindow"):
        for widget in window.iter("VASSAL.build.widget.ListWidget"):
            longest = max((slot.get("entryName", "") for slot in widget), key=len, default="")
            need = 7 * len(longest) + 24
            if int(widget.get("divider", "0") or 0) < need:
                problems.append(f"palette {widget.get('entryName')}: its list is "
                                f"{widget.get('divider')} px wide, the name \"{longest}\" needs "
                                f"about {need}")
    for entry, name, levels in _marker_layers(root):
        if levels[-1] in (name, ""):
            problems.append(f"marker {entry}: its back has its front's name; a flip reports "
                            "no change")
    problems += _stacks_in_boxes(root)
    problems += _foreign_markers(root)
    trackers = list(root.iter("VASSAL.build.module.turn.TurnTracker"))
    turn_markers = [slot for window in root.iter("VASSAL.build.module.PieceWindow")
                    for slot in window.iter("VASSAL.build.widget.PieceSlot")
                    if slot.get("entryName", "").casefold() == "game turn"]
    placed = [slot for stack in root.iter("VASSAL.build.module.map.SetupStack")
              for slot in stack if slot.get("entryName", "").casefold() == "game turn"]
    if trackers and turn_markers and not placed:
        problems.append("the turn track has no Game Turn marker on it at the start")
    return problems


def _faction(types: list[str], states: list[str]) -> str | None:
    """The value of a piece's ``Faction`` property (its Marker trait), if it has one."""
    for trait, state in zip(types, states):
        if trait.startswith("mark;"):
            names, values = decode(trait[5:], ","), decode(state, ",")
            if "Faction" in names and names.index("Faction") < len(values):
                return values[names.index("Faction")]
    return None


def _foreign_markers(root) -> list[str]:
    """A module carries its scenario's markers: a faction's marker (control, supply) with no
    unit of that faction in the module belongs to another game of the series."""
    unit_factions, markers = set(), []
    for window in root.iter("VASSAL.build.module.PieceWindow"):
        for slot in window.iter("VASSAL.build.widget.PieceSlot"):
            try:
                faction = _faction(*split_piece(slot.text or ""))
            except ValueError:
                continue  # reported by check_piece
            if faction is None:
                continue
            if window.get("name") == "Markers":
                markers.append((slot.get("entryName"), faction))
            else:
                unit_factions.add(faction)
    return [f"marker {entry}: it belongs to faction {faction}, which has no unit in this "
            "module (a marker of another scenario)" for entry, faction in markers
            if faction not in unit_factions]


def _stacks_in_boxes(root) -> list[str]:
    """A set-up stack on a board of boxes must lie inside one box's room for counters (its
    zone), not over the box's title."""
    problems = []
    for game_map in root.iter("VASSAL.build.module.Map"):
        rooms = {}
        for board in game_map.iter(_BOARD):
            zoned = board.find("VASSAL.build.module.map.boardPicker.board.ZonedGrid")
            if zoned is None or zoned.find("VASSAL.build.module.map.boardPicker.board."
                                           "HexGrid") is not None:
                continue
            for zone in zoned.iter(_ZONE):
                points = [tuple(int(v) for v in p.split(",")) for p in
                          zone.get("path", "").split(";") if p]
                if points:
                    xs, ys = [p[0] for p in points], [p[1] for p in points]
                    rooms[zone.get("name")] = (min(xs), min(ys), max(xs), max(ys))
        if not rooms:
            continue
        for stack in game_map.iter("VASSAL.build.module.map.SetupStack"):
            x, y = float(stack.get("x", 0)), float(stack.get("y", 0))
            half = max((int(slot.get("height", 0) or 0) for slot in stack), default=0) / 2
            if not any(x0 <= x - half and x + half <= x1 and y0 <= y - half and
                       y + half <= y1 for x0, y0, x1, y1 in rooms.values()):
                problems.append(f"set-up stack {stack.get('name')} is not inside a box's room "
                                "for counters: it covers a title, or lies outside every box")
    return problems


def grid_location(grid: ET.Element, x: float, y: float) -> str:
    """The hex number VASSAL's HexGrid (flat-top, not sideways) and HexGridNumbering give a
    point: raw column and row rounded to the nearest centre, odd raw columns half a hex
    lower, then the offsets and leading zeros of the numbering."""
    import math

    dx, dy = float(grid.get("dx")), float(grid.get("dy"))
    x0, y0 = float(grid.get("x0")), float(grid.get("y0"))
    numbering = grid.find("VASSAL.build.module.map.boardPicker.board.mapgrid.HexGridNumbering")
    column = math.floor((x - x0) / dx + 0.5)
    yy = y - y0 - (dy / 2 if column % 2 else 0)
    row = math.floor(yy / dy + 0.5)
    h_off, v_off = int(numbering.get("hOff", 0)), int(numbering.get("vOff", 0))
    h_digits, v_digits = int(numbering.get("hLeading", 0)) + 1, \
        int(numbering.get("vLeading", 0)) + 1
    return f"{column + h_off:0{h_digits}d}{row + v_off:0{v_digits}d}"


def check_piece(definition: str, images: set[str]) -> list[str]:
    try:
        types, _ = split_piece(definition)
    except ValueError as exc:
        return [f"does not decode ({exc})"]
    problems = []
    if not types[-1].startswith("piece;"):
        problems.append("does not end in a BasicPiece")
    for trait in types:
        if not trait.startswith(KNOWN_TRAITS):
            problems.append(f"unknown trait {trait.split(';')[0]}")
        for image in trait_images(trait):
            if image and image not in images:
                problems.append(f"names image {image}, not in images/")
    return problems


def trait_images(trait: str) -> list[str]:
    """The images a trait draws (BasicPiece: one; Layer: its list)."""
    fields = decode(trait, ";")
    if trait.startswith("piece;") and len(fields) >= 4:
        return [fields[3]]
    if trait.startswith("emb2;") and len(fields) > 16:
        return decode(fields[16], ",")
    return []
