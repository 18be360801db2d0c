"""`wargame map extract` rebuilds the committed maps from the geography packages, keeps what
a designer wrote, and makes a valid new map from a box."""

from __future__ import annotations

import shutil
import tomllib

import pytest

from wargame.maps.geodata import GMT_RIVERS
from wargame.paths import bundled_data_dir

pytest.importorskip("shapely", reason="the map extractor's packages: pip install '.[geo]'")
MAPS = bundled_data_dir() / "rules" / "maps"


@pytest.mark.parametrize("name", ["hainan", "rc4"])
def test_re_extraction_reproduces_the_committed_map(cli, tmp_path, name):
    copy = tmp_path / f"{name}.toml"
    shutil.copy(MAPS / f"{name}.toml", copy)
    run = cli("map", "extract", str(copy))
    assert run.code == 0, run.err
    fresh = tomllib.loads(copy.read_text(encoding="utf-8"))
    committed = tomllib.loads((MAPS / f"{name}.toml").read_text(encoding="utf-8"))
    for key in ("map", "terrain", "places", "routes", "zones", "features", "geometry"):
        assert fresh.get(key) == committed.get(key), key
    if GMT_RIVERS.exists():  # river classes come from Debian's gmt-gshhg-high
        assert fresh.get("hexsides") == committed.get("hexsides")


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
