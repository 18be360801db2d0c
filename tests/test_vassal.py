"""VASSAL modules: every scenario's module passes the static load check, every piece decodes
to its unit's name and both faces, and each check catches a deliberately broken module."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from shared import built_kit

from wargame.loading.session import Session
from wargame.paths import bundled_data_dir
from wargame.vassal import encoding, module
from wargame.vassal.check import check_module, check_piece, trait_images

SCENARIOS = ["hainan", "strait", "korea", "shanghai", "rc4"]


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """The modules of the built kit (made by `wargame build` from the bundled data)."""
    session = Session(str(bundled_data_dir()), use_cache=False)
    out = built_kit(tmp_path_factory)[1]
    return session, {sid: (None, out / sid / f"{sid}.vmod") for sid in SCENARIOS}


@pytest.mark.parametrize("scenario_id", SCENARIOS)
def test_every_scenario_module_passes_the_load_check(exported, scenario_id):
    _, modules = exported
    _, path = modules[scenario_id]
    assert check_module(path) == []


@pytest.mark.parametrize("scenario_id", SCENARIOS)
def test_every_piece_has_its_unit_and_both_faces(exported, scenario_id):
    session, modules = exported
    _, path = modules[scenario_id]
    scenario = session.scenarios[scenario_id]
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        root = ET.fromstring(archive.read("buildFile.xml"))
        data = ET.fromstring(archive.read("moduledata"))
    assert data.findtext("VassalVersion") == "3.7.0"
    palette_pieces = {}
    for window in root.iter("VASSAL.build.module.PieceWindow"):
        for slot in window.iter("VASSAL.build.widget.PieceSlot"):
            types, states = encoding.split_piece(slot.text)
            assert types[-1].startswith("piece;") and types[0].startswith("report;")
            layer = next(t for t in types if t.startswith("emb2;"))
            front, back = trait_images(layer)
            name = encoding.decode(types[-1], ";")[4]
            assert f"images/{front}" in names and f"images/{back}" in names
            assert front.endswith("-front.png") and back.endswith("-back.png")
            assert "Flip" in encoding.decode(layer, ";")
            palette_pieces[front[: -len("-front.png")]] = name
    for entry in scenario.setup:
        assert palette_pieces[entry.unit] == session.catalog.units[entry.unit].name
    roster = [e.text for e in root.find("VASSAL.build.module.PlayerRoster")]
    assert roster == [side.name for side in scenario.sides]
    stacks = [s for s in root.iter("VASSAL.build.module.map.SetupStack")
              if s.get("name") != "Game turn marker"]
    # every unit is placed once: at start in its zone or box, a reinforcement in its turn's box
    assert sum(len(list(s)) for s in stacks) == len(scenario.setup)
    dice = {(d.get("nDice"), d.get("nSides")) for d in root.iter("VASSAL.build.module.DiceButton")}
    assert ("2", "6") in dice and ("1", "6") in dice
    assert root.find(".//VASSAL.build.module.turn.CounterTurnLevel").get("loopLimit") == \
        str(scenario.turns)


def test_the_faces_are_the_printed_counters(exported):
    """The module's images are rasterised from the same drawing as the sheets."""
    from PIL import Image

    session, modules = exported
    _, path = modules["rc4"]
    with zipfile.ZipFile(path) as archive:
        front = Image.open(io.BytesIO(archive.read("images/vm-308-88-front.png"))).convert("RGB")
    assert front.size == (module.COUNTER_PX, module.COUNTER_PX)
    fill = session.catalog.factions["viet-minh"].colours.fill
    pixel = front.getpixel((3, module.COUNTER_PX - 4))
    assert all(abs(a - int(fill[i:i + 2], 16)) <= 3 for a, i in zip(pixel, (1, 3, 5)))


# ---- the encoding --------------------------------------------------------------------------

@given(st.lists(st.text(alphabet="ab;,/\\'\t x", max_size=8), min_size=1, max_size=6),
       st.sampled_from([";", ",", "/", "\t"]))
def test_sequence_encoding_round_trips(fields, delimiter):
    # VASSAL cannot tell a field wrapped in quotes from a quoted field: those are excluded
    fields = [f for f in fields if not (len(f) > 1 and f.startswith("'") and f.endswith("'"))
              and not (f.startswith("'") and f.endswith("\\"))] or ["x"]
    assert encoding.decode(encoding.encode(fields, delimiter), delimiter) == fields


def test_known_encodings():
    assert encoding.encode(["A", "B,C"], ",") == "A,B\\,C"
    assert encoding.encode(["ends\\"], ";") == "'ends\\'"
    assert encoding.key_stroke("F") == "70,130"
    assert encoding.basic_piece("a.png", "1/2 Inf") == "piece;;;a.png;1/2 Inf"
    definition = encoding.piece_definition([], (encoding.basic_piece("a.png", "1/2"), "s"))
    assert definition == "+/null/piece;;;a.png;1\\/2/s"


def test_markup_in_names_is_written_literally(tmp_path):
    name = 'A&B <b>"bold"</b>'
    definition = module.piece_for(name, "odd", 5)
    board = module.HexBoard("Board", "board.png", 55, 48, 96.0, [])
    xml = module.build_file(name, name, [name], [("P", [(name, definition, 5, True)])], [],
                            [(1, 6, 0)], [], board, None, 3, None, 6)
    root = ET.fromstring(xml)
    assert root.get("name") == name
    slot = next(root.iter("VASSAL.build.widget.PieceSlot"))
    assert slot.get("entryName") == name
    assert encoding.decode(encoding.split_piece(slot.text)[0][-1], ";")[4] == name


# ---- a deliberately broken module for every rule of the check --------------------------------

def _minimal(tmp_path: Path, **changes) -> Path:
    """A small valid module, with one thing changed."""
    definition = module.piece_for("Unit", "u", 10, faction="kpa")
    marker = module.piece_for("Sup", "m", 12, back_name="Contested",
                              faction=changes.get("marker_faction", "kpa"))
    turn = module.piece_for("Game Turn", "t", 13, back_name="Game Turn (back)")
    board = module.HexBoard("Board", "board.png", 55, 48, 96.0,
                            [("KS", [(0, 0), (10, 0), (10, 10)])] + changes.get("zones", []))
    boxes = module.BoxBoard("boxes.png", [("Turn 1", [(0, 100), (200, 100), (200, 200),
                                                      (0, 200)])])
    xml = module.build_file("T", "T", ["Red"], [("P", [("Unit", definition, 10, True)]),
                                                ("Markers", [("Sup", marker, 12, True),
                                                             ("Game Turn", turn, 13, True)])],
                            [("Main Map", "Area", 50, 50,
                              [("Unit", module.piece_for("Unit", "u", 11), 11)]),
                             ("Holding boxes", "Game turn marker", 100, 150,
                              [("Game Turn", turn, 14)])],
                            [(1, 6, 0)], [("CRT", "crt.png")], board, boxes, 5,
                            "help.pdf", 15).decode()
    for old, new in changes.get("xml", []):
        assert old in xml, old
        xml = xml.replace(old, new)
    files = {"moduledata": module.module_data("T", "T"), "buildFile.xml": xml.encode(),
             "images/u-front.png": b"png", "images/u-back.png": b"png",
             "images/m-front.png": b"png", "images/m-back.png": b"png",
             "images/moved.png": b"png", "images/t-front.png": b"png",
             "images/t-back.png": b"png", "images/boxes.png": b"png",
             "images/board.png": b"png", "images/crt.png": b"png", "help.pdf": b"%PDF"}
    for name in changes.get("drop", []):
        files.pop(name)
    if "moduledata" in changes:
        files["moduledata"] = changes["moduledata"]
    path = tmp_path / "m.vmod"
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return path


def test_the_minimal_module_passes(tmp_path):
    assert check_module(_minimal(tmp_path)) == []


BROKEN = {
    "no moduledata": (dict(drop=["moduledata"]), "no moduledata"),
    "old version without buildFile": (
        dict(moduledata=b'<data version="1"><VassalVersion>3.4.12</VassalVersion></data>'),
        "makes VASSAL open buildFile, which is missing"),
    "too new": (dict(moduledata=b'<data version="1"><VassalVersion>3.8.0</VassalVersion></data>'),
                "too new for VASSAL 3.7"),
    "unknown tag": (dict(xml=[("VASSAL.build.module.Chatter", "VASSAL.build.module.Chatterbox")]),
                    "unknown element VASSAL.build.module.Chatterbox"),
    "map without PieceMover": (dict(xml=[("<VASSAL.build.module.map.PieceMover />", "")]),
                               "lacks PieceMover"),
    "map without KeyBufferer": (dict(xml=[("<VASSAL.build.module.map.KeyBufferer />", "")]),
                                "lacks KeyBufferer"),
    "missing counter image": (dict(drop=["images/u-back.png"]), "names image u-back.png"),
    "missing board image": (dict(drop=["images/board.png"]), "names image board.png"),
    "missing chart image": (dict(drop=["images/crt.png"]), "names image crt.png"),
    "missing help file": (dict(drop=["help.pdf"]), "help file help.pdf"),
    "grid without numbering": (
        dict(xml=[("<VASSAL.build.module.map.boardPicker.board.mapgrid.HexGridNumbering",
                   "<VASSAL.build.module.map.boardPicker.board.mapgrid.HexGridNumberingX")]),
        "every location would read offboard"),
    "turn report naming level1": (
        dict(xml=[("reportFormat=\"$newTurn$ of 5\"", "reportFormat=\"$level1$ of 5\"")]),
        "prints it literally"),
    "turn report with VASSAL's star": (
        dict(xml=[("reportFormat=\"$newTurn$ of 5\"", "reportFormat=\"* $newTurn$ of 5\"")]),
        "VASSAL adds '* ' itself"),
    "turn report saying Turn twice": (
        dict(xml=[("reportFormat=\"$newTurn$ of 5\"",
                   "reportFormat=\"Turn $newTurn$ of 5\"")]), "'Turn Turn'"),
    "holding boxes without zones": (
        dict(xml=[('<VASSAL.build.module.map.boardPicker.board.mapgrid.Zone name="Turn 1" '
                   'path="0,100;200,100;200,200;0,200" useParentGrid="false" '
                   'locationFormat="$name$" highlightProperty="" />', "")]),
        "board Holding boxes has no grid or zones"),
    "two zones on one hex": (dict(zones=[("SE", [(0, 0), (10, 0), (10, 10)])]),
                             "zones KS and SE are the same hex"),
    "clone and delete not reported": (
        dict(xml=[("report;70\\,130,67\\,130,68\\,130;", "report;70\\,130;")]),
        "its Clone leaves no line in the chat"),
    "marker whose flip says nothing": (dict(xml=[(";,Contested;", ";,Sup;")]),
                                       "a flip reports no change"),
    "palette list narrower than its names": (dict(xml=[('divider="330"', 'divider="20"')]),
                                             "px wide, the name"),
    "stack over a box title": (dict(xml=[('name="Game turn marker" owningBoard="Holding '
                                          'boxes" useGridLocation="false" x="100" y="150"',
                                          'name="Game turn marker" owningBoard="Holding '
                                          'boxes" useGridLocation="false" x="100" y="90"')]),
                               "not inside a box's room for counters"),
    "no Game Turn marker on the track": (dict(xml=[('entryName="Game Turn" gpid="14"',
                                                    'entryName="Unit" gpid="14"')]),
                                         "no Game Turn marker on it"),
    "turn counter never loops": (dict(xml=[('loop="true"', 'loop="false"')]),
                                 "runs past the last turn"),
    "palette of default size": (dict(xml=[('width="570" height="520"', "")]),
                                "opens at the default size"),
    "moved marking without the trait": (
        dict(xml=[("markmoved;moved.png;0;0;", "prototype;moved.png;0;0;")]),
        "no Mark When Moved trait"),
    "moved marking with the plain Marker trait": (
        dict(xml=[("markmoved;moved.png;0;0;", "mark;moved.png;0;0;")]),
        "mark; is the plain Marker trait"),
    "pieces that cannot be deleted": (dict(xml=[("delete;Delete;", "hide;Delete;")]),
                                      "it cannot be deleted"),
    "pieces that cannot be cloned": (dict(xml=[("clone;Clone;", "hide;Clone;")]),
                                     "it cannot be cloned"),
    "marker flipped as a unit": (dict(xml=[(";,Contested;", ";,+ reduced;")]),
                                 "its back is named as a reduced unit"),
    "a marker of a faction not in the game": (dict(marker_faction="pla"),
                                              "it belongs to faction pla, which has no unit"),
    "root is not a module": (dict(xml=[("<VASSAL.build.GameModule", "<VASSAL.build.Module"),
                                       ("</VASSAL.build.GameModule>", "</VASSAL.build.Module>")]),
                             "not VASSAL.build.GameModule"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_each_check_catches_its_breakage(case, tmp_path):
    changes, expected = BROKEN[case]
    problems = check_module(_minimal(tmp_path, **changes))
    assert any(expected in p for p in problems), problems


def test_broken_pieces_are_caught():
    images = {"u-front.png", "u-back.png"}
    good = module.piece_for("Unit", "u", 1)
    assert check_piece(good, images) == []
    assert any("does not end in a BasicPiece" in p for p in
               check_piece(good.replace("piece;;;", "pieze;;;"), images))
    assert any("does not decode" in p for p in check_piece("-/null/x", images))
    assert any("names image u-back.png" in p for p in check_piece(good, {"u-front.png"}))


def test_not_a_zip(tmp_path):
    path = tmp_path / "x.vmod"
    path.write_bytes(b"not a zip")
    assert check_module(path)[0].startswith("not a ZIP")


def test_cli_exports_a_module(cli, tmp_path):
    out = tmp_path / "shanghai.vmod"
    run = cli("export", "vassal", "-s", "shanghai", "-o", str(out))
    assert run.code == 0, run.err
    assert "static check" in run.out and check_module(out) == []


def test_the_board_grid_numbers_every_hex_as_printed(exported):
    """Every hex centre of the printed map, placed on the board image, is read by VASSAL's
    grid as its printed number; and each number's centre lies on that hex (both ways)."""
    from wargame.maps.hexgrid import centre, hex_id
    from wargame.printing.mapdraw import map_extent
    from wargame.vassal.check import grid_location
    from wargame.vassal.export import HEX_PX

    session, modules = exported
    for scenario_id, (_, path) in modules.items():
        game_map = session.maps[session.scenarios[scenario_id].map]
        root = ET.fromstring(zipfile.ZipFile(path).read("buildFile.xml"))
        grid = next(root.iter("VASSAL.build.module.map.boardPicker.board.HexGrid"))
        window = map_extent(game_map)
        for hex_ in game_map.hexes():
            x, y = centre(hex_)
            px, py = (x - window.x0) * HEX_PX, (y - window.y0) * HEX_PX
            assert grid_location(grid, px, py) == hex_id(hex_), (scenario_id, hex_)
            # a point a third of a hex off centre is still in the same hex
            assert grid_location(grid, px + HEX_PX / 3, py) == hex_id(hex_)
        board = zipfile.ZipFile(path).read("images/map.png")
        from PIL import Image

        width, height = Image.open(io.BytesIO(board)).size
        assert abs(width - (window.x1 - window.x0) * HEX_PX) < 2
        assert abs(height - (window.y1 - window.y0) * HEX_PX) < 2


def test_every_at_start_unit_sits_in_its_zone(exported):
    from wargame.maps.hexgrid import parse_hex
    from wargame.vassal.check import grid_location

    session, modules = exported
    for scenario_id, (_, path) in modules.items():
        scenario = session.scenarios[scenario_id]
        game_map = session.maps[scenario.map]
        root = ET.fromstring(zipfile.ZipFile(path).read("buildFile.xml"))
        grid = next(root.iter("VASSAL.build.module.map.boardPicker.board.HexGrid"))
        zones = [z.get("name") for z in
                 root.iter("VASSAL.build.module.map.boardPicker.board.mapgrid.Zone")]
        codes = {code for name in zones for code in name.split("/")}
        areas = {a.name: a for a in scenario.areas}
        for game_map_element in root.iter("VASSAL.build.module.Map"):
            for stack in game_map_element.iter("VASSAL.build.module.map.SetupStack"):
                if stack.get("name") == "Game turn marker":
                    continue
                if stack.get("name").startswith("Reinforcements, turn "):
                    turn = int(stack.get("name").rsplit(" ", 1)[1])
                    waiting = {e.unit for e in scenario.setup if e.turn == turn}
                    names = {session.catalog.units[u].name for u in waiting}
                    assert {slot.get("entryName") for slot in stack} == names
                    continue
                area = areas[stack.get("name")]
                if game_map_element.get("mapName") == "Holding boxes":
                    assert area.offmap, area.id
                    continue
                where = grid_location(grid, float(stack.get("x")), float(stack.get("y")))
                assert parse_hex(where) in game_map.zone_hexes(area.id), (scenario_id, area.id)
                assert area.code in codes
        assert {a.code for a in scenario.areas if not a.offmap} <= codes


def test_the_korea_module_reports_as_it_is_played(exported):
    """What the chat and a PBEM log say: holding boxes named as printed, flips that change
    the name, only Korea's markers, the Game Turn marker on turn 1 of the track."""
    _, modules = exported
    root = ET.fromstring(zipfile.ZipFile(modules["korea"][1]).read("buildFile.xml"))
    box_map = next(m for m in root.iter("VASSAL.build.module.Map")
                   if m.get("mapName") == "Holding boxes")
    names = {z.get("name") for z in box_map.iter(
        "VASSAL.build.module.map.boardPicker.board.mapgrid.Zone")}
    assert {"Eliminated units", "Reinforcements arriving on turn 2", "Game turn 1"} <= names
    markers = next(w for w in root.iter("VASSAL.build.module.PieceWindow")
                   if w.get("name") == "Markers")
    entries = {slot.get("entryName") for slot in markers.iter("VASSAL.build.widget.PieceSlot")}
    assert "Disrupted" in entries and "Dis- rupted" not in entries
    assert "KPA Control" in entries and "PLA Control" not in entries
    tracker = next(root.iter("VASSAL.build.module.turn.TurnTracker"))
    assert tracker.get("reportFormat") == "$newTurn$ of 20"
    stack = next(s for s in box_map.iter("VASSAL.build.module.map.SetupStack")
                 if s.get("name") == "Game turn marker")
    assert [slot.get("entryName") for slot in stack] == ["Game Turn"]
