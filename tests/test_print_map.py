"""Printed maps, read back: hex numbers on every tile and sheet, the key equal to the terrain
chart, zone codes, native names, bleed boxes, embedded fonts, the PNG in pixels."""

from __future__ import annotations

import functools

import re
from collections import Counter

import pdfplumber
import pypdfium2 as pdfium
import pytest
from pypdf import PdfReader
from reportlab.lib.units import mm

from wargame.maps.hexgrid import centre, hex_id, parse_hex
from wargame.printing.charts import terrain_effects
from wargame.printing.mapsheet import render_map, render_map_png, tile_plan
from wargame.loading.session import Session


@pytest.fixture(scope="module")
def session():
    return Session(None)


@pytest.fixture(scope="module")
def korea_tiles(session, tmp_path_factory):
    target = tmp_path_factory.mktemp("map") / "korea-letter.pdf"
    scenario = session.scenarios["korea"]
    render_map(session.maps["korea"], session.rules, target, paper="letter", scenario=scenario)
    return target


@pytest.fixture(scope="module")
def korea_sheet(session, tmp_path_factory):
    target = tmp_path_factory.mktemp("map") / "korea-22x34.pdf"
    scenario = session.scenarios["korea"]
    render_map(session.maps["korea"], session.rules, target, paper="22x34", scenario=scenario)
    return target


@functools.cache
def _words(path: Path, index: int) -> list[dict]:
    """Words of a page; a name drawn twice (its white halo, then its ink) counts once, and
    runs of another font or size (a label over a hex number) are separate words. Read once
    per page and test process: a map page is large."""
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[index]
        return page.dedupe_chars().extract_words(extra_attrs=["fontname", "size"])


def _page_count(path: Path) -> int:
    return len(PdfReader(path).pages)


def _hex_words(words: list[dict], game_map) -> Counter:
    """Hex numbers printed on a page (words that are a hex of this map)."""
    found = Counter()
    for word in words:
        hex_ = parse_hex(word["text"])
        if hex_ is not None and hex_ in game_map:
            found[word["text"]] += 1
    return found


def test_each_tile_prints_each_of_its_hex_numbers_once(session, korea_tiles):
    game_map = session.maps["korea"]
    plan = tile_plan(game_map, game_map.info.hex_mm * mm, "letter")
    seen = set()
    assert _page_count(korea_tiles) == len(plan) + 2  # index, key, tiles
    for index, (label, window) in enumerate(plan, start=2):
        expected = {hex_id(h) for h in game_map.hexes() if window.holds(centre(h))}
        found = _hex_words(_words(korea_tiles, index), game_map)
        assert set(found) == expected, label
        assert all(count == 1 for count in found.values()), label
        seen |= expected
    assert seen == {hex_id(h) for h in game_map.hexes()}


def test_neighbouring_tiles_repeat_the_seam_column_and_row(session):
    game_map = session.maps["korea"]
    plan = dict(tile_plan(game_map, game_map.info.hex_mm * mm, "letter"))
    a1, a2, b1 = plan["A1"], plan["A2"], plan["B1"]
    shared_column = [h for h in game_map.hexes() if a1.holds(centre(h)) and a2.holds(centre(h))]
    shared_row = [h for h in game_map.hexes() if a1.holds(centre(h)) and b1.holds(centre(h))]
    assert len({h[0] for h in shared_column}) == 1 and len(shared_column) >= 10
    assert len({h[1] for h in shared_row}) == 1 and len(shared_row) >= 10


def test_the_sheet_prints_every_hex_number_once_with_bleed(session, korea_sheet):
    game_map = session.maps["korea"]
    assert _page_count(korea_sheet) == 1
    found = _hex_words(_words(korea_sheet, 0), game_map)
    assert set(found) == {hex_id(h) for h in game_map.hexes()}
    assert set(found.values()) == {1}
    page = PdfReader(korea_sheet).pages[0]
    bleed, marks = 3 * mm, 10 * mm
    trim = [float(v) for v in page.trimbox]
    assert sorted([trim[2] - trim[0], trim[3] - trim[1]]) == pytest.approx([22 * 72, 34 * 72],
                                                                           abs=0.01)
    assert trim[:2] == pytest.approx([bleed + marks] * 2, abs=0.01)
    assert [float(v) for v in page.bleedbox] == pytest.approx(
        [trim[0] - bleed, trim[1] - bleed, trim[2] + bleed, trim[3] + bleed], abs=0.01)
    assert float(page.mediabox.width) == pytest.approx(trim[2] + bleed + marks, abs=0.01)


def test_the_sheet_has_crop_marks_outside_its_bleed(korea_sheet):
    """Read back as drawn lines: at each corner of the trim box a horizontal and a vertical
    hairline in line with the trim's edges, wholly outside the bleed box."""
    import pdfplumber

    with pdfplumber.open(korea_sheet) as pdf:
        page = pdf.pages[0]
        height = float(page.height)
        x0, y0, x1, y1 = (float(v) for v in PdfReader(korea_sheet).pages[0].trimbox)
        b0, c0, b1, c1 = (float(v) for v in PdfReader(korea_sheet).pages[0].bleedbox)
        lines = [(l["x0"], height - l["y1"], l["x1"], height - l["y0"]) for l in page.lines
                 if l["linewidth"] <= 0.3]
    outside = [l for l in lines if l[2] <= b0 + 0.01 or l[0] >= b1 - 0.01
               or l[3] <= c0 + 0.01 or l[1] >= c1 - 0.01]
    for cx, cy in ((x0, y0), (x1, y0), (x0, y1), (x1, y1)):
        horizontal = [l for l in outside if abs(l[1] - cy) < 0.01 and abs(l[3] - cy) < 0.01]
        vertical = [l for l in outside if abs(l[0] - cx) < 0.01 and abs(l[2] - cx) < 0.01]
        assert horizontal and vertical, (cx, cy)


def _lines(words: list[dict]) -> list[str]:
    rows: dict[int, list] = {}
    for word in words:
        rows.setdefault(round(word["top"]), []).append(word)
    return [" ".join(w["text"] for w in sorted(words, key=lambda w: w["x0"]))
            for _, words in sorted(rows.items())]


def test_the_terrain_key_is_the_terrain_chart(session, korea_tiles, korea_sheet):
    expected = [" ".join(row) for row in terrain_effects(session.rules)]
    key_lines = _lines(_words(korea_tiles, 1))
    sheet_lines = _lines(_words(korea_sheet, 0))
    for lines in (key_lines, sheet_lines):
        # each row of the chart is a line of the key (a block beside it may share the line)
        where = [next((i for i, line in enumerate(lines)
                       if line == row or line.startswith(row + " ")), None) for row in expected]
        assert None not in where, [row for row, i in zip(expected, where) if i is None]
        assert where == sorted(where)  # in the chart's order


def test_zone_codes_boxes_and_native_names_are_printed(session, korea_sheet):
    scenario = session.scenarios["korea"]
    words = {w["text"] for w in _words(korea_sheet, 0)}
    text = " ".join(w["text"] for w in _words(korea_sheet, 0))
    for area in scenario.areas:
        assert area.code in words, area.code
    for name in ("Seoul", "Pyongyang", "Pusan", "서울", "평양", "부산", "Parallel"):
        assert name in text, name
    assert "ELIM" in words and "Japan" in text  # holding boxes beside the map
    for turn in range(1, scenario.turns + 1):
        assert str(turn) in words


def test_map_fonts_are_all_embedded(korea_sheet, korea_tiles):
    for target in (korea_sheet, korea_tiles):
        for page in PdfReader(target).pages[:3]:
            for ref in page["/Resources"]["/Font"].values():
                font = ref.get_object()
                descendant = font.get("/DescendantFonts")
                descriptor = (descendant[0].get_object() if descendant else font)[
                    "/FontDescriptor"].get_object()
                assert "/FontFile2" in descriptor, font["/BaseFont"]


def test_every_scenario_map_prints_tiled_and_on_one_sheet(session, tmp_path):
    for scenario in session.scenarios.values():
        game_map = session.maps[scenario.map]
        for paper in ("a4", "a2"):
            target = tmp_path / f"{scenario.id}-{paper}.pdf"
            pages = render_map(game_map, session.rules, target, paper=paper,
                               scenario=scenario)
            document = pdfium.PdfDocument(target)  # pdfium: fast, enough for a set of words
            assert len(document) == pages
            found = set()
            for page in document:
                text = page.get_textpage().get_text_range()
                found |= {w for w in re.findall(r"\b\d{4}\b", text)
                          if parse_hex(w) in game_map}
            assert found == {hex_id(h) for h in game_map.hexes()}, (scenario.id, paper)


def test_map_png_shows_land_and_sea_where_the_map_has_them(session, tmp_path):
    game_map = session.maps["hainan"]
    target = tmp_path / "hainan.png"
    dpi = 50
    width, height = render_map_png(game_map, target, dpi)
    image = pdfium.PdfDocument  # keep the import used: PIL reads the file below
    from PIL import Image

    picture = Image.open(target).convert("RGB")
    assert picture.size == (width, height)
    hex_px = game_map.info.hex_mm / 25.4 * dpi
    corner = 1 / 3 ** 0.5

    def pixel(hex_):
        x, y = centre(hex_)
        return picture.getpixel((int((x + corner) * hex_px), int((y + 0.5) * hex_px + 2)))

    sea = next(h for h in game_map.hexes() if game_map.terrain[h] == "sea"
               and all(game_map.terrain.get(n, "sea") == "sea"
                       for n in game_map.neighbours_on_map(h)))
    land = next(h for h in game_map.hexes() if game_map.terrain[h] == "clear")
    r, g, b = pixel(sea)
    assert b > r + 20  # blue water
    r, g, b = pixel(land)
    assert r > b  # pale land
    del image


def test_print_map_cli_and_bad_input(cli, tmp_path):
    run = cli("print", "map", "-s", "hainan", "-o", str(tmp_path / "h.pdf"))
    assert run.code == 0 and (tmp_path / "h.pdf").exists()
    run = cli("export", "png", "-s", "rc4", "--map", "--dpi", "60", "-o", str(tmp_path))
    assert run.code == 0 and (tmp_path / "map-rc4.png").exists()
    run = cli("export", "png", "--map", "-o", str(tmp_path))
    assert run.code == 2 and "--scenario" in run.err
    run = cli("export", "png", "-s", "korea", "--map", "--dpi", "1200", "-o", str(tmp_path))
    assert run.code == 2 and "million pixels" in run.err
    run = cli("map", "extract", str(tmp_path / "new.toml"))
    assert run.code == 2 and "--box" in run.err
    run = cli("map", "extract", str(tmp_path / "new.toml"), "--box", "1,2,3")
    assert run.code == 2 and "WEST,SOUTH,EAST,NORTH" in run.err


def test_booklet_shows_the_map_and_the_zones_of_the_set_up(session, tmp_path):
    from wargame.loading.printdata import load_print
    from wargame.printing.booklet import render_booklet

    scenario = session.scenarios["hainan"]
    game_map = session.maps["hainan"]
    target = tmp_path / "booklet.pdf"
    render_booklet(scenario, session.catalog, session.rules,
                   load_print(session.root, session.catalog), target, "a4", game_map=game_map)
    with pdfplumber.open(target) as pdf:
        text = "\n".join(page.extract_text() for page in pdf.pages)
    assert "The map" in text and "16 km across" in text
    for zone in game_map.zones.values():
        assert zone.hexes[0] in text, zone.id


def test_a_long_map_title_wraps_in_its_column_clear_of_the_terrain_key(session, tmp_path):
    """Shanghai's name is wider than a column at 18 pt: it wraps and stays left of the key."""
    target = tmp_path / "shanghai.pdf"
    render_map(session.maps["shanghai"], session.rules, target, paper="22x34",
               scenario=session.scenarios["shanghai"])
    with pdfplumber.open(target) as pdf:
        words = pdf.pages[0].extract_words()
    key = next(w for w in words if w["text"] == "Terrain")
    title = [w for w in words if w["text"] in ("Shanghai", "Chusan", "Islands")
             and abs(w["bottom"] - w["top"]) > 14]  # the 18 pt title, not the map's labels
    assert len(title) == 3
    assert max(w["x1"] for w in title) < key["x0"]
    subtitle = next(w for w in words if w["text"] == "An")
    assert subtitle["top"] > max(w["bottom"] for w in title)


def _as_printed(colour: str) -> tuple[int, int, int]:
    """How PDFium shows a colour of the kit once a print-shop sheet has separated it into
    CMYK (its CMYK-to-screen conversion is not the inverse of ours)."""
    import io

    from reportlab.lib.colors import HexColor

    from wargame.printing.pdf import new_canvas

    buffer = io.BytesIO()
    canvas = new_canvas(buffer, (20, 20), pdfx="fogra39")
    canvas.setFillColor(HexColor(colour))
    canvas.rect(0, 0, 20, 20, stroke=0, fill=1)
    canvas.showPage()
    canvas.save()
    return pdfium.PdfDocument(buffer.getvalue())[0].render().to_pil().convert("RGB") \
        .getpixel((10, 10))


def test_the_strait_key_swatch_is_drawn_as_the_map_draws_straits(session, tmp_path):
    """A band of water with a dashed line, not the river's line: the key's pixels show the
    band's pale blue where a river swatch has none."""
    from wargame.printing.mapdraw import style_of

    target = tmp_path / "key.pdf"
    render_map(session.maps["shanghai"], session.rules, target, paper="22x34")
    with pdfplumber.open(target) as pdf:
        words = pdf.pages[0].extract_words()
    rows = {w["text"]: w for w in words if w["text"] in ("Strait", "River")}
    page = pdfium.PdfDocument(target)[0]
    scale = 3
    picture = page.render(scale=scale).to_pil().convert("RGB")
    band = _as_printed(style_of("strait").fill)

    def band_pixels(word):
        top = int((word["top"] - 22) * scale)
        box = (int((word["x0"] - 40) * scale), top, int((word["x0"] - 5) * scale),
               int((word["bottom"] + 5) * scale))
        raw = picture.crop(box).tobytes()
        pixels = zip(raw[0::3], raw[1::3], raw[2::3])
        return sum(1 for p in pixels if sum(abs(a - b) for a, b in zip(p, band)) < 30)

    assert band_pixels(rows["Strait"]) > 20 * band_pixels(rows["River"]) + 20


def test_holding_and_turn_boxes_hold_the_counters(session, tmp_path):
    """A holding box has room for four 5/8-inch counters, two by two, under its code and
    name; a turn box holds the Game Turn marker between its number and its dates."""
    scenario = session.scenarios["rc4"]
    target = tmp_path / "rc4.pdf"
    render_map(session.maps["rc4"], session.rules, target, paper="22x34", scenario=scenario)
    counter = 0.625 * 72
    with pdfplumber.open(target) as pdf:
        page = pdf.pages[0]
        rects = [r for r in page.rects if 30 < r["width"] < 300]
        text = page.extract_text()
    holding = [r for r in rects if r["height"] > r["width"]]
    turns = [r for r in rects if abs(r["height"] - r["width"]) < 0.5]
    assert len(holding) == sum(a.offmap for a in scenario.areas) + 2
    assert len(turns) == scenario.turns
    for box in holding:
        assert box["width"] >= 2 * counter + 4 * mm and box["height"] >= 2 * counter + 16
    for box in turns:
        assert box["width"] >= counter + 3 * mm
    first, last = scenario.turn_days()[0]
    assert (first.day, last.day) == (16, 17)
    assert "16\u201317 Sep" in text and "16\u201317 Oct" in text  # first and last turns
    assert "Reinforcements not yet arrived" in text


def test_nothing_printed_around_a_map_runs_off_its_sheet(tmp_path_factory):
    """Every character of every map sheet, and of every page of the key printed with the
    tiles, lies inside the trim (the turn track once ran off the foot of Korea's sheet, and
    the Strait's off its key page). A tile's map is clipped to its frame; what lies there
    is the placement test's business."""
    from shared import built_kit

    out = built_kit(tmp_path_factory)[1]
    checked = 0
    for path in sorted(out.glob("*/map-*.pdf")):
        reader = PdfReader(path)
        for index, page in enumerate(pdfium.PdfDocument(path)):
            text = page.get_textpage()
            if "22x34" not in path.name and "Map key" not in text.get_text_range():
                continue
            x0, y0, x1, y1 = (float(v) for v in reader.pages[index].trimbox)
            for char in range(text.count_chars()):
                left, bottom, right, top = text.get_charbox(char)
                if right - left <= 0:
                    continue  # spaces and line ends
                assert x0 - 0.5 <= left and right <= x1 + 0.5 and y0 - 0.5 <= bottom \
                    and top <= y1 + 0.5, (path.parent.name, path.name, index,
                                          text.get_text_range(char, 1))
                checked += 1
    assert checked > 20_000


def _layouts(session):
    """(map id, window label, painter) for every map as one sheet and as letter tiles,
    drawn on a scratch canvas: the painter keeps the label layout it drew."""
    import io

    from wargame.printing.mapdraw import MapPainter, map_extent
    from wargame.printing.pdf import new_canvas

    for map_id, game_map in session.maps.items():
        hex_pt = game_map.info.hex_mm * mm
        windows = [("sheet", map_extent(game_map))] + tile_plan(game_map, hex_pt, "letter")
        for label, window in windows:
            painter = MapPainter(game_map, hex_pt)
            painter.draw(new_canvas(io.BytesIO(), (4000, 4000)), window, 20, 3980)
            yield map_id, label, painter


def test_names_cover_no_hex_number_no_zone_code_and_no_other_name(session):
    """The placement pass: on every sheet and tile, no name's box meets a hex number's, a
    zone code's or another name's, and every box lies inside the frame (no name is cut
    at a tile's edge). On the whole sheet every place and line is named."""
    from wargame.maps.hexgrid import centre as hex_centre

    for map_id, label, painter in _layouts(session):
        placed = painter.layout.placed
        room = painter.layout.room
        names = [(p, box) for p in placed if p.kind in ("place", "line") for box in p.boxes]
        fixed = [(p, box) for p in placed if p.kind in ("number", "zone") for box in p.boxes]
        for index, (owner, box) in enumerate(names):
            assert box.inside(room), (map_id, label, owner.lines[0].text)
            for other, other_box in fixed + names[index + 1:]:
                if other is not owner:
                    assert not box.overlaps(other_box), (map_id, label, owner.lines[0].text,
                                                         other.lines[0].text)
        for zone in (p for p in placed if p.kind == "zone"):
            assert zone.frame.inside(room), (map_id, label, zone.lines[0].text)
        game_map = session.maps[map_id]
        held = [pl for pl in game_map.places
                if painter.window.holds(hex_centre(parse_hex(pl.hex)))]
        named = [p for p in placed if p.kind == "place"]
        if label == "sheet":
            assert len(named) == len(game_map.places), map_id
            assert sum(p.kind == "line" for p in placed) == len(game_map.lines), map_id
        assert len(named) >= 0.9 * len(held), (map_id, label)


def test_a_printed_sheet_keeps_its_names_off_the_hex_numbers(session, tmp_path):
    """Read back from the PDF: on RC4's sheet no word of a place name meets a hex
    number, and the Vietnamese spelling of a name is not printed under its Latin one."""
    target = tmp_path / "rc4.pdf"
    game_map = session.maps["rc4"]
    render_map(game_map, session.rules, target, paper="22x34")
    with pdfplumber.open(target) as pdf:
        # a haloed name is drawn twice, its halo and its letters: one word each
        words = pdf.pages[0].dedupe_chars().extract_words(extra_attrs=["size"])
    numbers = [w for w in words if re.fullmatch(r"\d{4}", w["text"])]
    name_words = {part for place in game_map.places for part in place.name.split()}
    names = [w for w in words if w["text"] in name_words and w["size"] > 6]
    assert len(numbers) > 300 and len(names) >= len(game_map.places)

    def meet(a, b):
        return a["x0"] < b["x1"] and b["x0"] < a["x1"] and a["top"] < b["bottom"] \
            and b["top"] < a["bottom"]

    for name in names:
        assert not any(meet(name, number) for number in numbers), name["text"]
    text = " ".join(w["text"] for w in words)
    assert "Cao" in text and "B\u1eb1ng" not in text


def test_only_a_name_in_another_script_prints_under_the_name():
    from wargame.printing.labels import shows_native

    assert shows_native("Seoul", "서울") and shows_native("Vladivostok", "Владивосток")
    assert shows_native("Haikou", "海口")
    assert not shows_native("Cao Bang", "Cao Bằng") and not shows_native("Hue", "Huế")
    assert not shows_native("Hanoi", "") and not shows_native("Hanoi", "Hanoi")


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_tiles_share_the_map_out_evenly(session, paper):
    """No tile is a sliver left over at the map's edge: where a map needs several tiles
    across (or down), each is at least half the page's room, and neighbours share one hex
    column (or row)."""
    from wargame.printing.mapsheet import TILE_MARGIN, TILE_PAPERS

    width, height = TILE_PAPERS[paper]
    room_w, room_h = width - 2 * TILE_MARGIN, height - 2 * TILE_MARGIN - 14 * mm
    for map_id, game_map in session.maps.items():
        hex_pt = game_map.info.hex_mm * mm
        plan = tile_plan(game_map, hex_pt, paper)
        across = {window.x0 for _, window in plan}
        down = {window.y0 for _, window in plan}
        for label, window in plan:
            if len(across) > 1:
                assert (window.x1 - window.x0) * hex_pt >= room_w / 2, (map_id, label)
            if len(down) > 1:
                assert (window.y1 - window.y0) * hex_pt >= room_h / 2, (map_id, label)
            assert (window.x1 - window.x0) * hex_pt <= room_w + 0.5, (map_id, label)
            assert (window.y1 - window.y0) * hex_pt <= room_h + 0.5, (map_id, label)
