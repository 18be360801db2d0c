"""Hex maps: the arithmetic, the bundled maps against real geography, the loader's checks."""

from __future__ import annotations

import math
import re
from collections import deque

import pytest

from wargame.maps import hexgrid
from wargame.maps.hexgrid import centre, hex_id, parse_hex
from wargame.maps.projection import MapFrame
from wargame.paths import bundled_data_dir
from wargame.loading.session import Session


@pytest.fixture(scope="module")
def maps():
    return Session(None).maps


def haversine_km(lon1, lat1, lon2, lat2) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(a))


# ---- hex arithmetic --------------------------------------------------------------------------
def test_hex_numbers_and_centres_round_trip():
    for column in range(1, 40):
        for row in range(1, 40):
            hex_ = (column, row)
            assert parse_hex(hex_id(hex_)) == hex_
            assert hexgrid.nearest_hex(*centre(hex_)) == hex_


def test_even_columns_sit_half_a_hex_lower():
    assert centre((1, 1)) == (0.0, 0.0)
    assert centre((2, 1))[1] == 0.5
    assert centre((3, 1))[1] == 0.0
    assert centre((2, 1))[0] == pytest.approx(math.sqrt(3) / 2)


def test_neighbours_are_symmetric_one_apart_and_share_an_edge():
    for hex_ in [(c, r) for c in range(2, 9) for r in range(2, 9)]:
        for other in hexgrid.neighbours(hex_):
            assert hex_ in hexgrid.neighbours(other)
            assert hexgrid.distance(hex_, other) == 1
            cx, cy = centre(hex_)
            ox, oy = centre(other)
            assert math.hypot(cx - ox, cy - oy) == pytest.approx(1.0)
            p, q = hexgrid.side_corners(hex_, other)
            # both corners of the shared edge are corners of the other hex too
            for point in (p, q):
                assert any(math.hypot(point[0] - k[0], point[1] - k[1]) < 1e-9
                           for k in hexgrid.corners(other))
            keys = hexgrid.corner_key(*p), hexgrid.corner_key(*q)
            assert hexgrid.side_between_corners(*keys) == hexgrid.side_key(hex_, other)


def test_distance_matches_a_breadth_first_walk():
    start = (5, 5)
    seen = {start: 0}
    queue = deque([start])
    while queue:
        hex_ = queue.popleft()
        if seen[hex_] == 6:
            continue
        for other in hexgrid.neighbours(hex_):
            if other not in seen:
                seen[other] = seen[hex_] + 1
                queue.append(other)
    for hex_, steps in seen.items():
        assert hexgrid.distance(start, hex_) == steps


def test_projection_round_trips(maps):
    frame = MapFrame(maps["korea"].info)
    for lon, lat in ((126.978, 37.566), (125.2, 34.1), (129.5, 39.2)):
        x, y = frame.to_km(lon, lat)
        back = frame.lonlat(x, y)
        assert back == pytest.approx((lon, lat), abs=1e-9)


# ---- the bundled maps against the real world ------------------------------------------------
def test_every_scenario_has_a_map_at_the_scale_its_rules_state(maps):
    session = Session(None)
    for scenario in session.scenarios.values():
        assert scenario.map in maps, scenario.id
        assert scenario.scale_km == maps[scenario.map].info.hex_km, scenario.id
        if "land" in scenario.tables and scenario.id != "rc4":
            # the campaign scale; Route Coloniale 4 is a battalion game on a map of its own
            assert maps[scenario.map].info.hex_km == 16.0, scenario.id
    assert maps["rc4"].info.hex_km <= 5.0
    terrain_text = (bundled_data_dir() / "rules" / "terrain.toml").read_text(encoding="utf-8")
    assert "16 km" in terrain_text


@pytest.mark.parametrize("name", ["Seoul", "Pyongyang", "Kaesong", "Taejon", "Taegu", "Pusan"])
def test_korean_cities_lie_in_the_hex_over_their_real_position(maps, name):
    """The centre of the city's hex, projected back to the earth, lies within one hex of the
    city's real position, and the hex is land (a city)."""
    korea = maps["korea"]
    place = next(p for p in korea.places if p.name == name)
    hex_ = parse_hex(place.hex)
    frame = MapFrame(korea.info)
    cx, cy = centre(hex_)
    lon, lat = frame.lonlat(cx * korea.info.hex_km, cy * korea.info.hex_km)
    assert haversine_km(lon, lat, place.lon, place.lat) < korea.info.hex_km * 0.6
    assert korea.is_land(hex_)


def test_korean_places_are_where_an_atlas_puts_them(maps):
    korea = maps["korea"]
    hexes = korea.place_hexes
    col = {name: hexes[name][0] for name in hexes}
    row = {name: centre(hexes[name])[1] for name in hexes}
    # north to south along the Kyongbu line, west to east across the peninsula
    assert row["Pyongyang"] < row["Kaesong"] < row["Seoul"] < row["Taejon"] < row["Taegu"] \
        < row["Pusan"]
    assert col["Inchon"] < col["Seoul"] < col["Chunchon"] < col["Kangnung"]
    assert col["Mokpo"] < col["Kwangju"] < col["Chinju"] < col["Masan"] < col["Pusan"]


def test_korean_rivers_lie_on_hexsides_near_their_course(maps):
    korea = maps["korea"]
    frame = MapFrame(korea.info)
    groups = {g.name: g for g in korea.source.hexsides if g.name}
    for name in ("Han", "Imjin", "Naktong", "Taedong"):
        group = groups[name]
        assert group.kind == "major-river"
        assert len(group.sides) >= 4, name
        river = next(r for r in korea.source.rivers if r.name == name)
        corners = [c for side in group.sides for c in hexgrid.side_corners(
            *hexgrid.parse_side(side))]
        for lon, lat in river.through:
            x, y = frame.to_hex_units(lon, lat)
            nearest = min(math.hypot(x - cx, y - cy) for cx, cy in corners)
            assert nearest < 1.6, (name, lon, lat, nearest)


def test_the_38th_parallel_runs_between_kaesong_and_pyongyang(maps):
    korea = maps["korea"]
    line = next(line for line in korea.lines if "38th" in line.name)
    assert line.lat == 38.0
    frame = MapFrame(korea.info)
    for name, north in (("Pyongyang", True), ("Sariwon", True), ("Seoul", False),
                        ("Kaesong", False)):
        place = next(p for p in korea.places if p.name == name)
        _, y = frame.to_km(place.lon, place.lat)
        _, y_line = frame.to_km(place.lon, line.lat)
        assert (y < y_line) == north, name


def _land_reaches(game_map, start, goal) -> bool:
    seen, queue = {start}, deque([start])
    while queue:
        hex_ = queue.popleft()
        if hex_ == goal:
            return True
        for other in game_map.neighbours_on_map(hex_):
            if other not in seen and game_map.is_land(other) and \
                    game_map.hexsides.get(hexgrid.side_key(hex_, other)) != "strait":
                seen.add(other)
                queue.append(other)
    return False


def test_hainan_is_an_island_across_the_qiongzhou_strait(maps):
    hainan = maps["hainan"]
    hexes = hainan.place_hexes
    assert _land_reaches(hainan, hexes["Hoihow"], hexes["Yulin"])
    assert _land_reaches(hainan, hexes["Hoi On"], hexes["Tsamkong"])  # the Leizhou peninsula
    assert not _land_reaches(hainan, hexes["Hoihow"], hexes["Hoi On"])
    strait = hainan.zone_hexes("strait")
    assert strait and not any(hainan.is_land(h) for h in strait)


def test_the_strait_map_has_the_offshore_islands_and_taiwan(maps):
    strait = maps["strait"]
    hexes = strait.place_hexes
    for island in ("Quemoy", "Matsu", "Makung"):
        assert strait.is_land(hexes[island]), island
    assert strait.terrain[hexes["Quemoy"]] != "sea"
    assert "fortified" in strait.features[hexes["Quemoy"]]
    assert _land_reaches(strait, hexes["Taipei"], hexes["Kaohsiung"])
    assert not _land_reaches(strait, hexes["Amoy"], hexes["Taipei"])
    west = [hexes[n] for n in ("Hsinchu", "Taichung", "Chiayi", "Tainan")]
    assert all(strait.is_land(h) for h in west)
    assert any(h[0] < hexes["Taipei"][0] for h in west)  # the west coast lies west of Taipei


def test_every_ground_unit_sets_up_on_land_and_every_ship_at_sea_or_in_port():
    session = Session(None)
    for scenario in session.scenarios.values():
        game_map = session.maps[scenario.map]
        areas = {a.id: a for a in scenario.areas}
        ports = {game_map.place_hexes[p.name] for p in game_map.places if p.port}
        for entry in scenario.setup:
            if areas[entry.area].offmap:
                continue
            unit = session.catalog.units[entry.unit]
            domain = session.catalog.types[unit.type].domain
            hexes = game_map.zone_hexes(entry.area)
            if domain in ("ground", "guerrilla"):
                assert any(game_map.is_land(h) for h in hexes), (scenario.id, unit.id)
            if domain == "naval":
                assert any(not game_map.is_land(h) or h in ports for h in hexes), unit.id


# ---- the loader refuses broken maps ----------------------------------------------------------
def _edit(path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def _sub(path, pattern: str, replacement: str) -> None:
    text = path.read_text(encoding="utf-8")
    changed, count = re.subn(pattern, replacement, text, count=1, flags=re.M)
    assert count == 1, pattern
    path.write_text(changed, encoding="utf-8")


def _move_place(path, index: int, hex_text: str) -> None:
    """Set places[index].hex (places come first in a map file, each with one hex line)."""
    text = path.read_text(encoding="utf-8")
    at = [m.start() for m in re.finditer(r'^hex = "\d{4}"$', text, re.M)][index]
    path.write_text(text[:at] + f'hex = "{hex_text}"' + text[at + 12:], encoding="utf-8")


def _rows(path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    block = text[text.index("rows = [\n"):]
    return re.findall(r'^  "([^"]*)",$', block[:block.index("]")], re.M)


BROKEN = {
    "ragged row": (lambda maps: _edit(maps / "rc4.toml", f'  "{_rows(maps / "rc4.toml")[2]}",',
                                      f'  "{_rows(maps / "rc4.toml")[2][:-2]}",'),
                   "rules/maps/rc4.toml: terrain.rows[2]: expected 27 characters (one per "
                   "column), found 25"),
    "unknown code": (lambda maps: _edit(maps / "rc4.toml", f'  "{_rows(maps / "rc4.toml")[3]}",',
                                        f'  "Q{_rows(maps / "rc4.toml")[3][1:]}",'),
                     'rules/maps/rc4.toml: terrain.rows[3]: unknown code "Q" at hex 0104'),
    "unknown terrain": (lambda maps: _edit(maps / "rc4.toml", '"." = "sea"', '"." = "ocean"'),
                        'rules/maps/rc4.toml: terrain.legend..: unknown hex terrain "ocean"'),
    "far hexside": (lambda maps: _edit(maps / "rc4.toml", 'kind = "river"\nsides = [\n  "',
                                       'kind = "river"\nsides = [\n  "0101/0105", "'),
                    "rules/maps/rc4.toml: hexsides[0].sides[0]: 0101 and 0105 are not "
                    "adjacent"),
    "place outside": (lambda maps: _move_place(maps / "rc4.toml", 1, "4040"),
                      'rules/maps/rc4.toml: places[1].hex: "Dong Khe": hex 4040 is not on the '
                      "map"),
    "empty zone": (lambda maps: _sub(maps / "rc4.toml", r'(id = "that-khe"\n(?:.*\n)*?hexes = )'
                                     r'\[[^\]]*\]', r"\1[]"),
                   'rules/maps/rc4.toml: zones[1].hexes: zone "that-khe" names no hex'),
    "route gap": (lambda maps: _sub(maps / "rc4.toml", r'(\[\[routes\]\]\n(?:.*\n)*?hexes = \[\s*)'
                                    r'"\d{4}"', r'\1"0101"'),
                  "rules/maps/rc4.toml: routes[0].hexes[1]: "),
    "ship on land": (lambda maps: _edit(maps.parent / "scenarios" / "korea.toml",
                                        'area = "yellow-sea"', 'area = "taejon"'),
                     'rules/scenarios/korea.toml: setup[', 'cannot set up in zone "taejon" '
                     "(TJ): it has no sea hex and no port"),
    "hex outside zone": (lambda maps: _edit(maps.parent / "scenarios" / "korea.toml",
                                            'unit = "rok-1-div"\narea = "kaesong"',
                                            'unit = "rok-1-div"\narea = "kaesong"\nhex = "0101"'),
                         "rules/scenarios/korea.toml: setup[", '.hex: hex 0101 is not in zone '
                         '"kaesong" (KS) of map "korea"'),
    "unknown zone": (lambda maps: _edit(maps.parent / "scenarios" / "rc4.toml",
                                        'id = "coc-xa"', 'id = "coc-xb"'),
                     'rules/scenarios/rc4.toml: areas[4].id: no zone "coc-xb" on map "rc4"'),
    "wrong scale": (lambda maps: _edit(maps.parent / "scenarios" / "rc4.toml",
                                       "scale_km = 5.0", "scale_km = 16.0"),
                    'rules/scenarios/rc4.toml: scale_km: expected the scale of map "rc4" '
                    "(5 km per hex), found 16"),
    "file name": (lambda maps: _edit(maps / "rc4.toml", 'id = "rc4"', 'id = "rc5"'),
                  'rules/maps/rc4.toml: map.id: expected "rc4" (the file name)'),
    "not finite": (lambda maps: _edit(maps / "rc4.toml", "hex_km = 5.0", "hex_km = nan"),
                   "rules/maps/rc4.toml: map.hex_km: expected a finite number, found nan"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_broken_map_gives_one_line_naming_file_and_key(game, cli, case):
    breaker, *expected = BROKEN[case]
    breaker(game / "rules" / "maps")
    run = cli("--data", str(game), "check")
    assert run.code == 2, run.err
    assert "Traceback" not in run.err
    lines = [line for line in run.err.splitlines() if line.startswith("error: ")]
    assert any(all(fragment in line for fragment in expected) for line in lines), run.err


def test_several_map_problems_are_reported_at_once(game, cli):
    maps = game / "rules" / "maps"
    BROKEN["far hexside"][0](maps)
    BROKEN["place outside"][0](maps)
    run = cli("--data", str(game), "check")
    assert run.code == 2
    assert "2 problems found." in run.err


def test_the_committed_map_schema_matches_the_model():
    import json

    from wargame.validation import schema_document

    committed = json.loads((bundled_data_dir() / "rules" / "maps" / "schema.json")
                           .read_text(encoding="utf-8"))
    assert committed == schema_document("map"), "run: wargame schema map > rules/maps/schema.json"


def test_every_bundled_map_validates_against_its_schema():
    import tomllib

    import jsonschema

    from wargame.validation import schema_document

    validator = jsonschema.Draft202012Validator(schema_document("map"))
    for path in sorted((bundled_data_dir() / "rules" / "maps").glob("*.toml")):
        errors = list(validator.iter_errors(tomllib.loads(path.read_text(encoding="utf-8"))))
        assert not errors, (path.name, errors[0].message)
