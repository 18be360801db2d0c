"""Counter sheets read back from the PDF: geometry, text, duplex registration, page boxes,
fonts, glyphs in every script, PNG export, atomic output."""

from __future__ import annotations

import re

import io

import pdfplumber
import pypdfium2 as pdfium
import pytest
from pypdf import PdfReader
from reportlab.lib.units import mm

from wargame.counters import unit_counters
from wargame.loading.catalog import load_catalog
from wargame.loading.printdata import load_print
from wargame.paths import bundled_data_dir
from wargame.printing.sheets import SIZES, options_for, plan, render

BUNDLED = bundled_data_dir()


@pytest.fixture(scope="module")
def campaign():
    catalog = load_catalog(BUNDLED, use_cache=False)
    return catalog, load_print(BUNDLED, catalog)


@pytest.fixture(scope="module")
def sheet(campaign, tmp_path_factory):
    """The whole campaign (units only), long-edge duplex, letter, 5/8"."""
    catalog, settings = campaign
    counters = unit_counters(catalog, catalog.units.values())
    target = tmp_path_factory.mktemp("sheet") / "counters.pdf"
    options = options_for("home", back_offset=(0.8, -0.5))
    return counters, render(counters, settings.layout, options, target), target, options


def _squares(page, size):
    """Filled squares of exactly the counter size on a page, as (x0, bottom) pairs."""
    height = page.height
    return {(round(r["x0"], 2), round(height - r["bottom"], 2)) for r in page.rects
            if r["fill"] and abs(r["width"] - size) < 0.01 and abs(r["height"] - size) < 0.01}


def test_every_counter_is_exactly_its_size_and_on_the_grid(sheet):
    counters, sheet_plan, target, options = sheet
    size = SIZES["5/8"]
    assert size == 45
    with pdfplumber.open(target) as pdf:
        squares = _squares(pdf.pages[0], size)
    fronts = {(round(s.x, 2), round(s.y, 2)) for s in sheet_plan.slots
              if s.page == 0 and s.face.side == "front"}
    assert fronts and fronts <= squares
    xs = sorted({x for x, _ in fronts})
    ys = sorted({y for _, y in fronts})
    assert all(abs((b - a) - options.pitch) < 0.02 for a, b in zip(xs, xs[1:]))
    assert all(abs((b - a) - options.pitch) < 0.02 for a, b in zip(ys, ys[1:]))


def test_every_unit_designation_and_factors_appear(sheet, campaign):
    catalog, _ = campaign
    counters, sheet_plan, target, _ = sheet
    reader = PdfReader(target)
    fronts = "".join(reader.pages[p].extract_text() for p in range(0, len(reader.pages), 2))
    backs = "".join(reader.pages[p].extract_text() for p in range(1, len(reader.pages), 2))
    squeezed_front = fronts.replace(" ", "").replace("\n", "")
    for unit in catalog.units.values():
        assert catalog.format_factors(unit) in fronts, unit.id
        assert unit.designation.replace(" ", "") in squeezed_front, unit.id
        if unit.reduced:
            assert catalog.format_factors(unit, reduced=True) in backs, unit.id


def test_each_back_lies_behind_its_front(sheet):
    """Long-edge flip: the back of a counter at x is at paper width - x - size, same y, plus
    the printer's back offset; checked on the squares actually drawn in the PDF."""
    counters, sheet_plan, target, options = sheet
    size = options.counter
    dx, dy = options.back_offset[0] * mm, options.back_offset[1] * mm
    width = sheet_plan.page_width
    with pdfplumber.open(target) as pdf:
        for sheet_no in range(sheet_plan.pages // 2):
            front = _squares(pdf.pages[2 * sheet_no], size)
            back = _squares(pdf.pages[2 * sheet_no + 1], size)
            expected = {(round(width - x - size + dx, 2), round(y + dy, 2)) for x, y in front}
            assert len(front) == len(back)
            assert all(any(abs(ex - bx) < 0.02 and abs(ey - by) < 0.02 for bx, by in back)
                       for ex, ey in expected)
    # and the counter behind each front is the same counter
    for front in (s for s in sheet_plan.slots if s.face.side == "front"):
        back = next(s for s in sheet_plan.slots if s.face.side == "back"
                    and s.face.key == front.face.key)
        assert back.page == front.page + 1
        assert abs(back.x - (width - front.x - size + dx)) < 1e-6
        assert abs(back.y - (front.y + dy)) < 1e-6


def test_short_edge_flip_mirrors_top_to_bottom(campaign):
    catalog, _ = campaign
    counters = unit_counters(catalog, list(catalog.units.values())[:30])
    options = options_for("home", mode="duplex-short")
    sheet_plan = plan(counters, options)
    height = sheet_plan.page_height
    for front in (s for s in sheet_plan.slots if s.face.side == "front"):
        back = next(s for s in sheet_plan.slots if s.face.side == "back"
                    and s.face.key == front.face.key)
        assert back.x == pytest.approx(front.x)
        assert back.y == pytest.approx(height - front.y - options.counter)


def test_fold_layout_puts_backs_beside_fronts(campaign, tmp_path):
    catalog, settings = campaign
    counters = unit_counters(catalog, list(catalog.units.values())[:40])
    options = options_for("home", mode="fold")
    sheet_plan = render(counters, settings.layout, options, tmp_path / "fold.pdf")
    middle = sheet_plan.page_width / 2
    for slot in sheet_plan.slots:
        assert slot.page < sheet_plan.pages
        if slot.face.side == "front":
            assert slot.x + options.counter <= middle
        else:
            assert slot.x >= middle
    assert "fold here" in PdfReader(tmp_path / "fold.pdf").pages[0].extract_text()


def test_print_shop_pdf_has_trim_and_bleed_boxes(campaign, tmp_path):
    catalog, settings = campaign
    counters = unit_counters(catalog, list(catalog.units.values())[:20])
    options = options_for("print-shop", paper="a4")
    render(counters, settings.layout, options, tmp_path / "shop.pdf")
    page = PdfReader(tmp_path / "shop.pdf").pages[0]
    bleed, edge = 3 * mm, 13 * mm  # 3 mm of bleed, then 10 mm of room for crop marks
    assert float(page.mediabox.width) == pytest.approx(595.2756 + 2 * edge, abs=0.01)
    trim = [float(v) for v in page.trimbox]
    assert trim == pytest.approx([edge, edge, edge + 595.2756, edge + 841.8898], abs=0.01)
    assert [float(v) for v in page.bleedbox] == pytest.approx(
        [edge - bleed, edge - bleed, edge + 595.2756 + bleed, edge + 841.8898 + bleed],
        abs=0.01)


def test_every_stream_is_binary_flate(sheet):
    """Streams are Flate only, with no ASCII85 on top (a quarter larger): each one's bytes
    inflate as they stand."""
    import zlib

    _, _, target, _ = sheet
    data = target.read_bytes()
    flate = data.count(b"/FlateDecode")
    assert b"ASCII85Decode" not in data and flate > 20  # pages, symbol forms, fonts
    checked = 0
    for match in re.finditer(rb"/Length (\d+)[^>]*>>\s*stream\r?\n", data):
        raw = data[match.end():match.end() + int(match.group(1))]
        try:
            zlib.decompress(raw)
        except zlib.error:
            continue  # not a Flate stream
        checked += 1
    assert checked == flate


def test_every_font_is_embedded(sheet):
    _, _, target, _ = sheet
    reader = PdfReader(target)
    names = set()
    for page in reader.pages[:2]:
        fonts = page["/Resources"]["/Font"]
        for ref in fonts.values():
            font = ref.get_object()
            descendant = font.get("/DescendantFonts")
            descriptor = (descendant[0].get_object() if descendant else font).get(
                "/FontDescriptor")
            assert descriptor is not None, font.get("/BaseFont")
            descriptor = descriptor.get_object()
            assert "/FontFile2" in descriptor, font["/BaseFont"]
            names.add(str(font["/BaseFont"]))
    assert any("Vera" in n for n in names)
    # only the toolkit's own fonts: nothing picked up from this machine (fc-match)
    assert all("BitstreamVera" in n or "WenQuanYi" in n or "WG-CJK" in n for n in names), names


def _render_text(text: str, font_size=40):
    from reportlab.pdfgen.canvas import Canvas

    from wargame.printing import fonts

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(400, 80))
    font, _ = fonts.font_for(text)
    canvas.setFont(font, font_size)
    canvas.drawString(10, 20, text)
    canvas.save()
    return pdfium.PdfDocument(buffer.getvalue())[0].render(scale=1).to_pil().convert("L")


@pytest.mark.parametrize("text", ["第118师", "제107땅크련대", "Тихоокеанский", "Việt Minh",
                                  "Đông Khê", "Đồng Đăng"])
def test_every_script_renders_as_real_glyphs(text):
    """Each character must draw ink, and differ from the font's missing-glyph box."""
    missing = _render_text("\ue000" * len(text))
    image = _render_text(text)
    ink = sum(1 for p in image.tobytes() if p < 128)
    assert ink > 50
    assert image.tobytes() != missing.tobytes()
    from wargame.printing import fonts

    font, _ = fonts.font_for(text)
    from reportlab.pdfbase import pdfmetrics

    cmap = pdfmetrics.getFont(font).face.charToGlyph
    # glyph 0 is the font's missing-glyph box: every character needs a real glyph
    assert all(cmap.get(ord(c)) for c in text if not c.isspace()), font


def test_face_colour_is_the_faction_colour_in_pixels(sheet, campaign):
    catalog, _ = campaign
    _, sheet_plan, target, _ = sheet
    slot = next(s for s in sheet_plan.slots if s.page == 0 and s.face.side == "front")
    image = pdfium.PdfDocument(str(target))[0].render(scale=2).to_pil().convert("RGB")
    # a point near the lower-left corner of the face, clear of text and symbol
    x, y = (slot.x + 2) * 2, (sheet_plan.page_height - slot.y - 2) * 2
    pixel = image.getpixel((int(x), int(y)))
    expected = tuple(int(slot.face.fill[i:i + 2], 16) for i in (1, 3, 5))
    assert all(abs(a - b) <= 3 for a, b in zip(pixel, expected))


def test_interrupted_render_leaves_no_file(campaign, tmp_path, monkeypatch):
    catalog, settings = campaign
    counters = unit_counters(catalog, list(catalog.units.values())[:50])
    target = tmp_path / "out.pdf"
    target.write_bytes(b"previous good file")
    from wargame.printing import draw

    calls = {"n": 0}
    original = draw.FaceDrawer.draw

    def dying(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] > 30:
            raise KeyboardInterrupt
        return original(self, *args, **kwargs)

    monkeypatch.setattr(draw.FaceDrawer, "draw", dying)
    with pytest.raises(KeyboardInterrupt):
        render(counters, settings.layout, options_for("home"), target)
    assert target.read_bytes() == b"previous good file"
    assert [p.name for p in tmp_path.iterdir()] == ["out.pdf"]


def test_cli_prints_counters_and_calibration(cli, tmp_path):
    out = tmp_path / "kpa.pdf"
    run = cli("print", "counters", "-f", "kpa", "--no-markers", "-o", str(out))
    assert run.code == 0, run.err
    text = "".join(p.extract_text() for p in PdfReader(out).pages)
    assert "5-3-9" in text and "6-5-4" in text and "2/1/2" in text
    assert "PLA" not in text
    run = cli("print", "calibration", "-o", str(tmp_path / "cal.pdf"))
    assert run.code == 0 and len(PdfReader(tmp_path / "cal.pdf").pages) == 2
    run = cli("print", "counters", "--back-offset", "banana", "-o", str(tmp_path / "x.pdf"))
    assert run.code == 2 and "--back-offset" in run.err


def test_png_export_names_faces_by_id(cli, tmp_path, campaign):
    catalog, _ = campaign
    out = tmp_path / "png"
    run = cli("export", "png", "-f", "qiongya", "--dpi", "300", "-o", str(out))
    assert run.code == 0, run.err
    from PIL import Image

    for unit in (u for u in catalog.units.values() if u.faction == "qiongya"):
        for side in ("front", "back"):
            image = Image.open(out / f"{unit.id}-{side}.png")
            assert image.size == (188, 188)  # 5/8" at 300 dpi
            assert round(image.info["dpi"][0]) == 300
        fill = catalog.factions["qiongya"].colours.fill
        corner = Image.open(out / f"{unit.id}-front.png").convert("RGB").getpixel((6, 180))
        assert all(abs(a - int(fill[i:i + 2], 16)) <= 3 for a, i in zip(corner, (1, 3, 5)))
    assert (out / "contact-sheet.png").exists()


def test_markup_in_data_prints_literally(cli, mini_game, tmp_path):
    (mini_game / "units" / "odd.toml").write_text(
        'faction = "red"\n[[units]]\nid = "odd"\nname = "<b>odd</b>"\nshort = "<i>&amp;"'
        '\ntype = "armour"\nechelon = "brigade"\ndesignation = "<b>"\nbasis = "story"\n'
        'factors = { attack = 2, defence = 2, movement = 6 }\n', encoding="utf-8")
    out = tmp_path / "odd.pdf"
    run = cli("--data", str(mini_game), "print", "counters", "--no-markers", "-o", str(out))
    assert run.code == 0, run.err
    text = PdfReader(out).pages[0].extract_text()
    assert "<i>&amp;" in text and "<b>" in text


@pytest.mark.parametrize("args", [
    ("print", "counters", "-f", "qiongya", "-o", "{bad}/x.pdf"),
    ("export", "png", "-f", "qiongya", "-o", "{bad}/png"),
    ("print", "aids", "-o", "{bad}/aid.pdf"),
])
def test_unwritable_output_is_a_one_line_error(cli, tmp_path, args):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    run = cli(*(a.format(bad=blocker) for a in args))
    assert run.code == 2, run.err
    assert run.err.startswith("error: ") and len(run.err.strip().splitlines()) == 1
    assert "Traceback" not in run.err and "internal error" not in run.err


def test_proof_guides_mark_the_safe_area(cli, tmp_path):
    out = tmp_path / "proof.pdf"
    assert cli("print", "counters", "-f", "qiongya", "--no-markers", "--guides", "-o",
               str(out)).code == 0
    safe = 0.8 * mm  # the bundled layout's safe margin
    with pdfplumber.open(out) as pdf:
        inner = [r for r in pdf.pages[0].rects if not r["fill"]
                 and abs(r["width"] - (45 - 2 * safe)) < 0.01]
    assert len(inner) == 4  # one per Qiongya counter


def test_scenario_sheets_carry_only_their_factions_markers():
    from wargame.counters import select_counters
    from wargame.loading.session import Session

    session = Session(None)
    for scenario in session.scenarios.values():
        fighting = {f for side in scenario.sides for f in side.factions}
        groups, settings = select_counters(session, (), scenario.id)
        marker_keys = {c.key for c in groups[-1]}
        by_id = {m.id: m for m in settings.markers}
        for key in marker_keys:
            spec = next(m for m in settings.markers
                        if key == m.id or re.fullmatch(re.escape(m.id) + r"-\d+", key))
            assert spec.faction is None or spec.faction in fighting, (scenario.id, key)
        assert any(m.faction in fighting for m in by_id.values() if m.faction) is True


@pytest.mark.parametrize("command", [["print", "booklet", "-s", "korea"],
                                     ["print", "oob", "-s", "korea"], ["print", "aids"],
                                     ["print", "map", "-s", "hainan"]])
def test_documents_embed_every_font_they_name(cli, tmp_path, command):
    target = tmp_path / "doc.pdf"
    assert cli(*command, "-o", str(target)).code == 0
    for page in PdfReader(target).pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            descendant = font.get("/DescendantFonts")
            descriptor = (descendant[0].get_object() if descendant else font).get(
                "/FontDescriptor")
            assert descriptor is not None and "/FontFile2" in descriptor.get_object(), \
                font["/BaseFont"]


@pytest.mark.parametrize("size_name", ["1/2", "5/8", "3/4", "1"])
def test_nothing_but_fill_crosses_the_safe_area_at_any_size(campaign, tmp_path, size_name):
    """Every glyph box and every path box (symbols included: pdfplumber reads inside their
    form XObjects) lies inside its face's safe area; only the fill, the stripe and the frame
    span the face. Whole campaign, markers included, fronts only."""
    from wargame.counters import marker_counters

    catalog, settings = campaign
    counters = unit_counters(catalog, catalog.units.values())
    counters += marker_counters(catalog, settings.markers)
    options = options_for("print-shop", size=size_name, mode="fronts")
    target = tmp_path / "safe.pdf"
    sheet_plan = render(counters, settings.layout, options, target)
    size = SIZES[size_name]
    safe = settings.layout.safe_margin * mm
    by_page: dict[int, list] = {}
    for slot in sheet_plan.slots:
        by_page.setdefault(slot.page, []).append(slot)
    crossing, checked = [], 0
    with pdfplumber.open(target) as pdf:
        for number, page in enumerate(pdf.pages):
            faces = by_page.get(number, [])
            shapes = [o for o in page.curves + page.lines + page.rects
                      if o["x1"] - o["x0"] < size - 1]  # the fill, stripe and frame span it
            for item in page.chars + shapes:
                x0, x1 = item["x0"], item["x1"]
                y0, y1 = page.height - item["bottom"], page.height - item["top"]
                cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
                face = next((f for f in faces if f.x <= cx <= f.x + size
                             and f.y <= cy <= f.y + size), None)
                if face is None:
                    continue  # page furniture (title, crop marks), not on a counter
                checked += 1
                if x0 < face.x + safe - 0.05 or x1 > face.x + size - safe + 0.05 or \
                        y0 < face.y + safe - 0.05 or y1 > face.y + size - safe + 0.05:
                    crossing.append((face.face.key, item.get("text", item["object_type"]),
                                     round(x0 - face.x, 2), round(x1 - face.x, 2),
                                     round(y0 - face.y, 2), round(y1 - face.y, 2)))
    assert checked > 1000
    assert not crossing, crossing[:10]


def test_counter_names_are_short_unique_and_legible(campaign, tmp_path):
    """Designation and type (e.g. "118 Inf"), unique in each faction, at least 5 pt on a 5/8"
    counter and never cut with an ellipsis, on every scenario's sheet (set-up corners
    printed) as on the campaign sheet."""
    from collections import Counter as Tally

    from wargame.counters import select_counters
    from wargame.loading.session import Session

    catalog, settings = campaign
    names = Tally((u.faction, catalog.short_name(u)) for u in catalog.units.values())
    assert max(names.values()) == 1, [k for k, n in names.items() if n > 1]
    session = Session(None)
    sheets = [[c for group in select_counters(session, (), s, markers=False)[0] for c in group]
              for s in session.scenarios] + [unit_counters(catalog, catalog.units.values())]
    name_y = settings.layout.name.y * SIZES["5/8"]
    for number, counters in enumerate(sheets):
        target = tmp_path / f"names-{number}.pdf"
        options = options_for("home", size="5/8", mode="fronts")
        sheet_plan = render(counters, settings.layout, options, target)
        with pdfplumber.open(target) as pdf:
            for page_number, page in enumerate(pdf.pages):
                for slot in (s for s in sheet_plan.slots if s.page == page_number):
                    baseline = slot.y + name_y
                    # pdfplumber's y0 is the bottom of the glyph box: baseline plus descent
                    chars = [c for c in page.chars if slot.x <= c["x0"] <= slot.x + 45
                             and -3.0 < c["y0"] - baseline < 0.5 and c["upright"]]
                    text = "".join(c["text"] for c in chars)
                    assert text == slot.face.name, (slot.face.key, text)
                    assert "…" not in text and min(c["size"] for c in chars) >= 5.0, \
                        (slot.face.key, min(c["size"] for c in chars))


def test_a_duplicate_counter_name_is_refused(mini_game, cli):
    base = mini_game / "units" / "base.toml"
    text = base.read_text(encoding="utf-8")
    base.write_text(text.replace('designation = "1"', 'designation = "1"\nshort = "Twin"', 1)
                    .replace('designation = "2"', 'designation = "2"\nshort = "Twin"', 1),
                    encoding="utf-8")
    run = cli("--data", str(mini_game), "check")
    assert run.code == 2 and 'the counter name "Twin" is already' in run.err
