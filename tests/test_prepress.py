"""Print-shop files: PDF/X-1a:2001 read back as a shop's preflight reads it (CMYK only,
black text in black ink alone, no transparency, an output intent, boxes, crop marks,
bleed under whatever touches the trim, distinct font subsets), and the home files left
as they were."""

from __future__ import annotations

import pytest
from reportlab.lib.colors import CMYKColor, Color, HexColor

from pdfx_check import crop_marks_at, inspect, rich_black_text
from shared import built_kit, shared
from wargame.printing.prepress import process_colour

DOCUMENTS = {
    "booklet.pdf": ("print", "booklet", "-s", "korea"),
    "rules.pdf": ("print", "rules"),
    "aid.pdf": ("print", "aids"),
    "oob.pdf": ("print", "oob", "-s", "rc4"),
    "counters-tabloid.pdf": ("print", "counters", "-s", "hainan", "--paper", "tabloid"),
    "counters-sra3-swop.pdf": ("print", "counters", "-s", "rc4", "--paper", "sra3",
                               "--intent", "swop"),
}


@pytest.fixture(scope="module")
def shop_files(tmp_path_factory):
    """Every print-shop file: the kit's (counters on A4 and letter, a map sheet) and one of
    each document the print commands make with --preset print-shop."""
    def make(folder):
        from conftest import run_cli

        folder.mkdir()
        for name, args in DOCUMENTS.items():
            run = run_cli(*args, "--preset", "print-shop", "-o", str(folder / name))
            assert run.code == 0, run.err

    folder = shared(tmp_path_factory, "shop-files", make)
    out = built_kit(tmp_path_factory)[1]
    kit = [out / "campaign" / "counters-print-shop-a4.pdf",
           out / "campaign" / "counters-print-shop-letter.pdf",
           out / "korea" / "map-22x34.pdf", out / "strait" / "map-22x34.pdf"]
    return kit + [folder / name for name in DOCUMENTS]


def test_colours_separate_with_their_grey_in_black():
    assert process_colour(HexColor("#000000")).cmyk() == (0, 0, 0, 1)
    # dark greys, as text and hex numbers use them, print as solid black ink
    assert process_colour(HexColor("#555555")).cmyk() == (0, 0, 0, 1)
    light = process_colour(HexColor("#bbbbbb"))
    assert light.cmyk()[:3] == (0, 0, 0) and light.black == pytest.approx(0.2667, abs=1e-3)
    assert process_colour(HexColor("#ff0000")).cmyk() == (0, 1, 1, 0)
    assert process_colour(HexColor("#ffffff")).cmyk() == (0, 0, 0, 0)
    olive = process_colour(HexColor("#5b6b2f")).cmyk()
    assert olive == pytest.approx((0.1495, 0, 0.5607, 0.5804), abs=1e-3)
    assert process_colour(CMYKColor(0.1, 0.2, 0.3, 0.4)).cmyk() == (0.1, 0.2, 0.3, 0.4)
    # transparency flattened over white paper: half-opaque black is a 50% tint
    assert process_colour(Color(0, 0, 0, alpha=0.5)).cmyk() == (0, 0, 0, 0.5)


def test_every_print_shop_file_passes_a_pdfx_preflight(shop_files):
    for path in shop_files:
        problems, pages, reader = inspect(path)
        assert problems == [], (path.name, problems[:5])
        assert not rich_black_text(pages), path.name
        # black and grey text is there, and it is one ink
        assert any(c == (0, 0, 0, 1) for page in pages for c in page.text_colours), path.name
        for walked, page in zip(pages, reader.pages):
            trim = [float(v) for v in page.trimbox]
            bleed = [float(v) for v in page.bleedbox]
            assert bleed[0] == pytest.approx(trim[0] - 8.504, abs=0.01), path.name  # 3 mm
            assert crop_marks_at(walked, trim, bleed) == 4, (path.name, walked.label)
    intents = {path.name: inspect(path)[2].trailer["/Root"]["/OutputIntents"][0]
               ["/OutputConditionIdentifier"] for path in shop_files}
    assert intents["counters-sra3-swop.pdf"] == "CGATS TR 001"
    assert intents["booklet.pdf"] == "FOGRA39"


def test_the_preflight_fails_a_home_file(tmp_path_factory):
    """The home files stay RGB for screens and home printers, and the checker says so:
    it is not a check that passes anything."""
    out = built_kit(tmp_path_factory)[1]
    problems, pages, _ = inspect(out / "korea" / "booklet.pdf")
    assert "no output intent" in problems
    assert any("colour operator rg" in p for p in problems)
    assert any("no TrimBox" in p for p in problems)
    assert all(crop_marks_at(p, (0, 0, 612, 792), (0, 0, 612, 792)) == 0 for p in pages)


def _render(path, page_index, dpi):
    import pypdfium2

    document = pypdfium2.PdfDocument(path)
    page = document[page_index]
    image = page.render(scale=dpi / 72).to_pil().convert("L")
    return image, page.get_height()


def _ink_across_the_trim(path, page_index, dpi=40):
    """(samples where ink touches the trim, those where it stops at the trim): pixels
    1.2 mm inside each trim edge and 1.5 mm outside it, every 2 mm along the edge."""
    from pypdf import PdfReader

    trim = [float(v) for v in PdfReader(path).pages[page_index].trimbox]
    image, height = _render(path, page_index, dpi)
    scale = dpi / 72
    mm = 72 / 25.4

    def ink(x, y):  # page points, y up
        return image.getpixel((int(x * scale), int((height - y) * scale))) < 250

    x0, y0, x1, y1 = trim
    touching = stopping = 0
    steps = [(x0 + i * 2 * mm, None) for i in range(int((x1 - x0) / (2 * mm)))] + \
            [(None, y0 + i * 2 * mm) for i in range(int((y1 - y0) / (2 * mm)))]
    for x, y in steps:
        pairs = ([((x, y1 - 1.2 * mm), (x, y1 + 1.5 * mm)), ((x, y0 + 1.2 * mm),
                                                             (x, y0 - 1.5 * mm))]
                 if x is not None else
                 [((x0 + 1.2 * mm, y), (x0 - 1.5 * mm, y)), ((x1 - 1.2 * mm, y),
                                                             (x1 + 1.5 * mm, y))])
        for inside, outside in pairs:
            if ink(*inside):
                touching += 1
                stopping += not ink(*outside)
    return touching, stopping


def test_colour_that_touches_the_trim_runs_into_the_bleed(shop_files):
    booklet = next(p for p in shop_files if p.name == "booklet.pdf")
    touching, stopping = _ink_across_the_trim(booklet, 0)  # the cover's dark bar
    assert touching > 100 and stopping == 0
    sheet = next(p for p in shop_files if p.name == "map-22x34.pdf")
    touching, stopping = _ink_across_the_trim(sheet, 0, dpi=20)  # the map's paper colour
    assert touching > 200 and stopping == 0


def test_print_shop_counters_have_no_keyline_on_the_cut(tmp_path):
    """At home the frame is the cut line; at a shop the die never meets it exactly, so the
    faces go without it: no stroked square of the counter's size on the shop's sheet."""
    import re

    from wargame.loading.session import Session
    from wargame.counters import select_counters
    from wargame.printing.sheets import columns_per_row, options_for, render, rows_by_group

    session = Session(None)
    groups, settings = select_counters(session, (), "rc4")
    assert settings.layout.border > 0
    strokes = {}
    for preset in ("home", "print-shop"):
        options = options_for(preset, paper="a4")
        render(rows_by_group(groups, columns_per_row(options)), settings.layout, options,
               tmp_path / f"{preset}.pdf")
        from pypdf import PdfReader

        data = PdfReader(tmp_path / f"{preset}.pdf").pages[0].get_contents().get_data()
        strokes[preset] = len(re.findall(rb"\b0 0 45 45 re S", data))
    assert strokes["home"] > 20 and strokes["print-shop"] == 0


@pytest.mark.parametrize("paper,size_mm", [("tabloid", (279.4, 431.8)),
                                           ("12x18", (304.8, 457.2)),
                                           ("a3", (297, 420)), ("sra3", (320, 450))])
def test_counter_sheets_come_on_the_shops_sizes(tmp_path, paper, size_mm):
    from pypdf import PdfReader

    from wargame.counters import select_counters
    from wargame.loading.session import Session
    from wargame.printing.sheets import columns_per_row, options_for, render, rows_by_group

    session = Session(None)
    groups, settings = select_counters(session, (), "hainan")
    options = options_for("print-shop", paper=paper)
    render(rows_by_group(groups, columns_per_row(options)), settings.layout, options,
           tmp_path / "c.pdf")
    trim = [float(v) / 72 * 25.4 for v in PdfReader(tmp_path / "c.pdf").pages[0].trimbox]
    assert (trim[2] - trim[0], trim[3] - trim[1]) == pytest.approx(size_mm, abs=0.05)
