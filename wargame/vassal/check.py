"""A static check of a .vmod that mirrors what VASSAL 3.7 does when it opens one.

1. The file opens as a ZIP and has ``moduledata`` naming a VassalVersion; from 3.5 on the
   build file is ``buildFile.xml`` (before, ``buildFile``); a version at or past 3.8 is
   refused as too new by 3.7.
2. The build file's root is a GameModule; every tag is a VASSAL class that exists.
3. Every Map has PieceMover, KeyBufferer, ForwardToKeyBuffer and MenuDisplayer (without
   them pieces cannot be moved).
4. Every PieceSlot decodes, is a chain of known traits ending in a BasicPiece, and every
   image it names is in the archive; so is every image a board or chart names.
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
KNOWN_TRAITS = ("emb2;", "report;", "piece;", "mark;", "prototype;", "obs;", "hide;",
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
        return problems


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
