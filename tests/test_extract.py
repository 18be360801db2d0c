"""`wargame map extract` rebuilds the committed maps from the geography packages, keeps what
a designer wrote, and makes a valid new map from a box."""

from __future__ import annotations

import shutil
import tomllib

import pytest

from wargame.paths import bundled_data_dir

pytest.importorskip("shapely", reason="the map extractor's packages: pip install '.[geo]'")
MAPS = bundled_data_dir() / "rules" / "maps"


@pytest.mark.parametrize("name", ["korea", "strait", "hainan", "shanghai", "rc4"])
def test_re_extraction_from_the_geo_extra_alone_reproduces_the_committed_map(cli, tmp_path,
                                                                             name):
    """The [geo] extra's PyPI packages and the committed river-class table are the one source
    of the bundled maps: every table of each file comes out as committed."""
    copy = tmp_path / f"{name}.toml"
    shutil.copy(MAPS / f"{name}.toml", copy)
    run = cli("map", "extract", str(copy))
    assert run.code == 0, run.err
    fresh = tomllib.loads(copy.read_text(encoding="utf-8"))
    committed = tomllib.loads((MAPS / f"{name}.toml").read_text(encoding="utf-8"))
    assert fresh.keys() == committed.keys()
    for key in committed:
        assert fresh[key] == committed[key], key


def test_hand_written_tables_survive_and_overrides_apply(cli, tmp_path):
    copy = tmp_path / "rc4.toml"
    text = (MAPS / "rc4.toml").read_text(encoding="utf-8")
    text = text.replace("[extract]", '[[terrain_overrides]]\nhexes = ["0101"]\nterrain = "clear"\n'
                        'reason = "a test"\n\n[extract]', 1)
    copy.write_text(text, encoding="utf-8")
    assert cli("map", "extract", str(copy)).code == 0
    fresh = tomllib.loads(copy.read_text(encoding="utf-8"))
    legend = {v: k for k, v in fresh["terrain"]["legend"].items()}
    assert fresh["terrain"]["rows"][0][0] == legend["clear"]
    assert fresh["terrain_overrides"][0]["reason"] == "a test"
    assert [p["name"] for p in fresh["places"]][:2] == ["Cao Bang", "Dong Khe"]


def test_a_new_map_from_a_box_loads(cli, tmp_path):
    """Kinmen and Amoy at 4 km: a file a designer then fills in, valid as it stands."""
    game = tmp_path / "game"
    for part in ("units", "rules", "print"):
        shutil.copytree(bundled_data_dir() / part, game / part)
    target = game / "rules" / "maps" / "kinmen.toml"
    run = cli("--data", str(game), "map", "extract", str(target), "--box",
              "118.0,24.3,118.55,24.65", "--hex-km", "4", "--name", "Kinmen")
    assert run.code == 0, run.err
    assert "hexes of 4 km" in run.out
    check = cli("--data", str(game), "check")
    assert check.code == 0, check.err
    data = tomllib.loads(target.read_text(encoding="utf-8"))
    rows = data["terrain"]["rows"]
    assert any("." in row for row in rows) and any(row.strip(".") for row in rows)
    assert "LGPL" in target.read_text(encoding="utf-8").split("[map]")[0]


# ---- a map of anywhere ----------------------------------------------------------------------

@pytest.mark.parametrize("box, km", [
    ("103,-1,105,1", "16"),        # symmetric about the equator: a Mercator-like cone
    ("103.5,1.2,103.6,1.3", "2"),  # a small box: a handful of hexes
    ("23.2,34.8,26.4,35.7", "8"),  # Crete and its islets
])
def test_an_odd_box_makes_a_map_that_loads(cli, tmp_path, box, km):
    target = tmp_path / "odd.toml"
    run = cli("map", "extract", str(target), "--box", box, "--hex-km", km, "--towns", "0")
    assert run.code == 0, run.err
    data = tomllib.loads(target.read_text(encoding="utf-8"))
    rows = data["terrain"]["rows"]
    assert len(rows) == data["map"]["rows"] and all(len(r) == data["map"]["cols"] for r in rows)
    shown = cli("print", "map", "--map", str(target), "-o", str(tmp_path / "odd.png"),
                "--dpi", "36")
    assert shown.code == 0, shown.err


@pytest.mark.parametrize("box, km, says", [
    ("105,-1,103,1", "16", "west 105 must be less than east 103"),
    ("-180,-85,180,85", "100", "more than 60 degrees"),  # the whole world
    ("170,-20,-170,-10", "16", "180th meridian"),
    ("10,50,20,40", "16", "south 50 must be less than north 40"),
    ("-10,35,30,60", "16", "needs 264 x 183 hexes"),
    ("0,0,70,10", "16", "more than 60 degrees"),
    ("0,80,10,89", "16", "beyond 85 degrees"),
    ("a,b,c,d", "16", "expected WEST,SOUTH,EAST,NORTH"),
])
def test_a_box_that_cannot_be_a_map_is_refused_in_one_line(cli, tmp_path, box, km, says):
    target = tmp_path / "bad.toml"
    run = cli("map", "extract", str(target), "--box", box, "--hex-km", km, "--towns", "0")
    assert run.code == 2
    assert says in run.err and len(run.err.strip().splitlines()) == 1, run.err
    assert "internal error" not in run.err and not target.exists()


def test_the_size_refusal_names_a_hex_size_that_fits(cli, tmp_path):
    refused = cli("map", "extract", str(tmp_path / "a.toml"), "--box", "-10,35,30,60",
                  "--hex-km", "16", "--towns", "0")
    fits = int(refused.err.split("--hex-km ")[1].split()[0])
    grid = pytest.importorskip("wargame.maps.extract")._grid
    from wargame.maps.extract import new_map_file

    assert grid(new_map_file("a", "A", (-10, 35, 30, 60), fits).map).cols <= 99
    with pytest.raises(Exception, match="needs"):
        grid(new_map_file("a", "A", (-10, 35, 30, 60), fits - 1).map)


def test_normandy_from_a_box_has_towns_roads_and_prints_without_a_scenario(cli, tmp_path):
    """The designer's first map: towns from the gazetteer, roads between them, Cherbourg on
    land, then a bare map tiled for a home printer, on one sheet and as a PNG."""
    target = tmp_path / "normandy.toml"
    run = cli("map", "extract", str(target), "--box", "-2.0,48.5,1.0,49.9", "--hex-km", "5",
              "--name", "Normandy")
    assert run.code == 0, run.err
    assert "added from the gazetteer" in run.out
    data = tomllib.loads(target.read_text(encoding="utf-8"))
    places = {p["name"]: p for p in data["places"]}
    assert {"Cherbourg", "Caen", "Saint-Lô", "Le Havre"} <= places.keys()
    assert "GeoNames" in data["map"]["credits"]
    legend, rows = data["terrain"]["legend"], data["terrain"]["rows"]

    def terrain(hex_id):
        return legend[rows[int(hex_id[2:]) - 1][int(hex_id[:2]) - 1]]

    assert terrain(places["Cherbourg"]["hex"]) not in ("sea", "lake")
    roads = data["routes"]
    assert len(roads) >= len(places) - 1
    joined = {name for road in roads for name in road["via"]}
    assert joined == places.keys()  # every town is on a road
    for road in roads:
        assert all(terrain(h) not in ("sea", "lake") for h in road["hexes"])
    # a refresh keeps the towns and adds none
    again = cli("map", "extract", str(target))
    assert again.code == 0 and "gazetteer" not in again.out
    assert len(tomllib.loads(target.read_text(encoding="utf-8"))["places"]) == len(places)

    from pypdf import PdfReader

    tiled, sheet = tmp_path / "tiled.pdf", tmp_path / "sheet.pdf"
    assert cli("print", "map", "--map", str(target), "-o", str(tiled)).code == 0
    assert cli("print", "map", "--map", str(target), "--paper", "a1", "-o", str(sheet)).code == 0
    assert len(PdfReader(tiled).pages) > 1 and len(PdfReader(sheet).pages) == 1
    text = "".join(page.extract_text() for page in PdfReader(sheet).pages)
    assert "Cherbourg" in text and "Normandy" in text
    png = cli("print", "map", "--map", str(target), "-o", str(tmp_path / "n.png"), "--dpi", "40")
    assert png.code == 0 and (tmp_path / "n.png").stat().st_size > 10_000


def test_print_map_wants_a_scenario_or_a_map_file(cli, tmp_path):
    run = cli("print", "map")
    assert run.code == 2 and "-s ID" in run.err and "--map FILE" in run.err
    missing = cli("print", "map", "--map", str(tmp_path / "none.toml"))
    assert missing.code == 2 and "no such file" in missing.err
    broken = tmp_path / "broken.toml"
    broken.write_text('[map]\nid = "x"\n', encoding="utf-8")
    bad = cli("print", "map", "--map", str(broken))
    assert bad.code == 2 and "broken.toml" in bad.err and "Traceback" not in bad.err


def test_the_river_class_table_refuses_another_release_of_the_river_data(tmp_path):
    from wargame.errors import DataError
    from wargame.maps import river_levels
    from wargame.maps.geodata import _basemap_dir

    meta = _basemap_dir() / "riversmeta_h.dat"
    assert len(river_levels.levels(meta)) == len(meta.read_text().splitlines())
    changed = tmp_path / "riversmeta_h.dat"
    changed.write_bytes(meta.read_bytes() + b"\n")
    with pytest.raises(DataError, match="another release"):
        river_levels.levels(changed)
