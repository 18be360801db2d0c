"""The bridge between VASSAL and the game record: a side's situation as a VASSAL saved game
(fog of war as in its posts), read back with our own reader; and a PBEM log of moves made
in VASSAL, written as VASSAL writes one, read as the side's orders and played like typed
orders."""

from __future__ import annotations

import shutil
import zipfile

import pytest
from test_pbp import played, played_template  # noqa: F401,F811 (pytest fixtures)

from pbp_play import play_round
from wargame.maps.hexgrid import adjacent, parse_hex
from wargame.pbp.game import Game
from wargame.pbp.views import visible_units
from wargame.play.position import ELIMINATED
from wargame.vassal import layout, savedgame
from wargame.vassal.situation import GAME_TURN, read_vsav


def test_obfuscation_round_trips_as_vassal_writes_it():
    text = "begin_save\x1b+/a/piece;;;x.png;Ünit/null;0;0;1;0\x1bend_save"
    data = savedgame.obfuscate(text, key=0x5a)
    assert data.startswith(b"!VCSK5a") and set(data[7:]) <= set(b"0123456789abcdef")
    assert data[7:9] == f"{ord('b') ^ 0x5a:02x}".encode()  # each byte XOR the key, in hex
    assert savedgame.deobfuscate(data) == text
    assert savedgame.deobfuscate(text.encode()) == text  # plain text is read too


def test_the_board_geometry_is_the_modules():
    """Every hex centre the saved game uses is the centre the module's grid reads back as
    that hex (the module's pixel arithmetic, from the printed map's window)."""
    from wargame.loading.session import Session
    from wargame.maps.hexgrid import centre, hex_id
    from wargame.printing.mapdraw import map_extent

    game_map = Session(None).maps["korea"]
    window = map_extent(game_map)
    for hex_ in game_map.hexes():
        x, y = centre(hex_)
        assert layout.hex_pixel(hex_) == (round((x - window.x0) * layout.HEX_PX),
                                          round((y - window.y0) * layout.HEX_PX))
        px, py = layout.hex_pixel(hex_)
        assert layout.pixel_hex(px + 20, py - 20) == hex_, hex_id(hex_)


def test_each_sides_vsav_holds_exactly_what_it_may_see(played, cli, tmp_path):
    """After three whole turns, each side's saved game holds its own units and the enemy it
    may see, on their hexes or in their boxes, reduced ones flipped, and the Game Turn
    marker on the turn track; nothing else."""
    for name, orders in (("2b", {"un": "move Cap Inf to 1412"}), ("3a", {}), ("3b", {})):
        play_round(cli, played, tmp_path / name, orders)
    game = Game(played)
    state, theatre = game.state(), game.theatre()
    assert state.turn == 4
    for side in state.side_ids():
        target = tmp_path / f"{side}.vsav"
        run = cli("game", "export", str(played), "--side", side, "--vsav", "-o", str(target))
        assert run.code == 0, run.err
        with zipfile.ZipFile(target) as archive:
            assert set(archive.namelist()) == {"savedGame", "savedata", "moduledata"}
            assert archive.read("savedGame").startswith(b"!VCSK")
        seen = read_vsav(theatre, target)
        assert seen.pop(GAME_TURN) == ("track-4", False)
        assert savedgame.turn_of(savedgame.read_commands(target)) == 4
        markers = {k: seen.pop(k) for k in list(seen) if "." in k}
        for key, (where, _) in markers.items():  # each marker on its unit
            unit_id, marker = key.split(".", 1)
            assert seen[unit_id][0] == where, key
        from wargame.loading.printdata import load_print
        from wargame.vassal.situation import marker_pieces

        kinds = marker_pieces(load_print(game.session().root, theatre.catalog).markers)
        carried = {f"{u}.{kinds[m.casefold()][0]}" for u, p in visible_units(state, side).items()
                   if p.alive and u in seen for m in p.markers if m.casefold() in kinds}
        assert set(markers) == carried

        expected = {}
        arriving = {e.unit: e.turn for e in theatre.scenario.setup}
        for unit_id, piece in visible_units(state, side).items():
            reduced = piece.alive and piece.steps < theatre.unit(unit_id).steps
            if piece.on_map:
                expected[unit_id] = (piece.hex, reduced)
            elif piece.box == ELIMINATED:
                expected[unit_id] = ("eliminated", False)
            elif piece.box == "pool" and arriving.get(unit_id):
                expected[unit_id] = (f"turn-{arriving[unit_id]}", False)
            elif piece.in_play:
                expected[unit_id] = (piece.box, reduced)
        assert seen == expected
        enemy = {u for u, p in state.play.position.pieces.items() if p.side != side}
        hidden = enemy - set(visible_units(state, side))
        assert hidden and not hidden & set(seen)  # fog of war: what it may not see is not there
    assert any(back for back in (v[1] for v in read_vsav(theatre, tmp_path / "un.vsav")
                                 .values()))  # a reduced unit shows its back


def _vlog(vsav, target, moves):
    """A PBEM log as VASSAL writes one: the saved game's commands, then one LOG command per
    move, each a move, the moved mark's change and a chat line."""
    begin = savedgame.read_commands(vsav)
    logged = []
    for piece, map_name, (x, y) in moves:
        action = savedgame.encode([
            savedgame.encode([piece, map_name, str(x), str(y), "null", layout.MAIN_MAP, "0",
                              "0", "null", "Kim"], "/").join(["M/", ""]),
            f"D/{piece}/-1\tnull\ttrue",
            "CHAT<Kim> - moves",
        ], savedgame.ESC)
        logged.append("LOG\t" + action)
    text = savedgame.encode(["begin_save", *begin, "end_save", *logged], savedgame.ESC)
    with zipfile.ZipFile(target, "w") as archive:
        archive.writestr("savedGame", savedgame.obfuscate(text))
        archive.writestr("savedata", b"<data version='1'/>")
        archive.writestr("moduledata", b"<data version='1'/>")
    return target


@pytest.fixture
def fresh(tmp_path, cli):
    folder = tmp_path / "korea"
    assert cli("game", "new", "korea", str(folder), "--player", "kpa=Kim", "--player",
               "un=Walker").code == 0
    return folder


def test_moves_made_in_vassal_are_the_orders_typed(fresh, cli, tmp_path):
    game = Game(fresh)
    state = game.state()
    start = {u: p.hex for u, p in state.play.position.pieces.items() if p.on_map}
    vsav = tmp_path / "kpa.vsav"
    assert cli("game", "export", str(fresh), "--side", "kpa", "--vsav", "-o",
               str(vsav)).code == 0
    boxes = layout.holding_boxes(game.theatre().scenario, True)
    elim = layout.box_places(boxes)["eliminated"]
    moves = [("kpa-107-tank", layout.MAIN_MAP, layout.hex_pixel(parse_hex("1611"))),
             ("kpa-3-div", layout.MAIN_MAP, layout.hex_pixel(parse_hex("1511"))),
             ("rok-1-div", layout.MAIN_MAP, layout.hex_pixel(parse_hex("1310"))),
             (GAME_TURN, layout.BOXES_MAP, layout.box_places(boxes)["track-2"]),
             ("kpa-4-div", layout.BOXES_MAP, elim)]
    vlog = _vlog(vsav, tmp_path / "kpa.vlog", moves)
    orders = tmp_path / "from-vlog.txt"
    run = cli("game", "from-vlog", str(fresh), str(vlog), "--side", "kpa", "-o", str(orders))
    assert run.code == 0, run.err

    def typed(unit, to):
        return (f"move {unit} {to}" if adjacent(parse_hex(start[unit]), parse_hex(to))
                else f"move {unit} to {to}")

    text = orders.read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    assert lines == [typed("kpa-107-tank", "1611"), typed("kpa-3-div", "1511")]
    assert "rok-1-div" not in text or "not kpa's" in text
    assert any("Eliminated" in line or "eliminated" in line for line in text.splitlines()
               if line.startswith("#"))
    # the round played from the log's orders gives the record the typed orders give
    twin = tmp_path / "twin"
    shutil.copytree(fresh, twin)
    play_round(cli, fresh, tmp_path / "a", {"kpa": text})
    play_round(cli, twin, tmp_path / "b", {"kpa": "\n".join(lines)})
    mine, theirs = Game(fresh).state(), Game(twin).state()
    assert mine.play.position.pieces == theirs.play.position.pieces
    assert mine.play.position["kpa-107-tank"].hex == "1611"
    kinds = [(e.kind, e.body.get("unit")) for e in Game(fresh).events()]
    assert kinds == [(e.kind, e.body.get("unit")) for e in Game(twin).events()]


def test_a_log_that_is_not_one_is_refused_in_one_line(fresh, cli, tmp_path):
    bad = tmp_path / "x.vlog"
    bad.write_bytes(b"not a zip")
    run = cli("game", "from-vlog", str(fresh), str(bad), "--side", "kpa")
    assert run.code == 2 and "not a ZIP" in run.err and len(run.err.strip().splitlines()) == 1
    empty = tmp_path / "y.vlog"
    with zipfile.ZipFile(empty, "w") as archive:
        archive.writestr("moduledata", b"")
    run = cli("game", "from-vlog", str(fresh), str(empty), "--side", "kpa")
    assert run.code == 2 and "no savedGame entry" in run.err


def test_a_units_markers_stand_on_it_in_the_saved_game(fresh, tmp_path):
    import attrs

    from wargame.loading.printdata import load_print
    from wargame.vassal.situation import write_vsav

    game = Game(fresh)
    state, theatre = game.state(), game.theatre()
    position = state.play.position.copy()
    position.put(attrs.evolve(position["kpa-3-div"], markers=("out of supply", "scattered")))
    state = attrs.evolve(state, play=attrs.evolve(state.play, position=position))
    markers = load_print(game.session().root, theatre.catalog).markers
    write_vsav(theatre, state, "kpa", tmp_path / "kpa.vsav", markers)
    seen = read_vsav(theatre, tmp_path / "kpa.vsav")
    at = seen["kpa-3-div"][0]
    assert seen["kpa-3-div.out-of-supply"] == (at, False)
    assert seen["kpa-3-div.pinned"] == (at, True)  # scattered is the Pinned marker's back
