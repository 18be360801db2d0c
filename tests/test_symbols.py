"""Every unit type's symbol is the one docs/unit-symbols.md records, drawn with exactly the
letters it lists (no CG on a 1950 cruiser, no AEW on a patrol aircraft)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from wargame.counters import IDENTITY_DIGITS
from wargame.paths import bundled_data_dir

DOC = Path(__file__).resolve().parent.parent / "docs" / "unit-symbols.md"


def _table() -> dict[str, dict]:
    rows = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 6 and re.fullmatch(r"[a-z-]+", cells[0]) and cells[2].isdigit():
            rows[cells[0]] = {"set": int(cells[1]), "entity": cells[2], "letters": cells[4]}
    return rows


def _types() -> list[dict]:
    return tomllib.loads((bundled_data_dir() / "units" / "types.toml")
                        .read_text(encoding="utf-8"))["types"]


def test_every_type_is_in_the_table_with_its_code():
    table = _table()
    types = _types()
    assert {t["id"] for t in types} == set(table)
    for unit_type in types:
        row = table[unit_type["id"]]
        assert (unit_type["symbol"]["set"], unit_type["symbol"]["entity"]) == \
            (row["set"], row["entity"]), unit_type["id"]


@pytest.mark.parametrize("unit_type", _types(), ids=lambda t: t["id"])
def test_the_symbol_carries_exactly_the_listed_letters(unit_type):
    from wargame.printing.symbols import raw_svg

    symbol = unit_type["symbol"]
    sidc = (f"10{0}{IDENTITY_DIGITS['friend']}{symbol['set']:02d}0000{symbol['entity']}"
            f"{symbol.get('m1', '00')}{symbol.get('m2', '00')}")
    drawn = re.findall(r"<text[^>]*>([^<]*)</text>", raw_svg(sidc))
    expected = _table()[unit_type["id"]]["letters"]
    assert " ".join(t.strip() for t in drawn if t.strip()) == expected, (unit_type["id"], drawn)


def test_chinese_armies_are_corps_sized():
    from wargame.loading.session import Session

    catalog = Session(None).catalog
    armies = [u for u in catalog.units.values()
              if u.native_name and re.search(r"第\d+[军軍]$", u.native_name)]
    assert len(armies) >= 9
    assert all(u.echelon == "corps" for u in armies), [u.id for u in armies
                                                       if u.echelon != "corps"]


# ---- symbols drawn from recorded canvas calls ----------------------------------------------

def _sample_sidcs() -> list[str]:
    """Real symbols of the campaign: a land unit, a fighter (its frame holds a letter, drawn
    as text) and a carrier."""
    from wargame.counters import sidc
    from wargame.loading.session import Session

    catalog = Session(None).catalog
    return [sidc(catalog, catalog.units[u]) for u in ("kpa-3-div", "kpaf-56-1", "usn-tf77")]


SAMPLE_SIDCS = _sample_sidcs()


def _pixels(draw, mode: str = "L") -> bytes:
    """One symbol drawn by ``draw(canvas)`` on a small page, rendered to grey pixels (or
    to ``mode``'s)."""
    import io

    import pypdfium2
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(220, 220))
    canvas.translate(110, 110)
    draw(canvas)
    canvas.showPage()
    canvas.save()
    page = pypdfium2.PdfDocument(buffer.getvalue())[0]
    return page.render(scale=2).to_pil().convert(mode).tobytes()


@pytest.mark.parametrize("sidc", SAMPLE_SIDCS)
def test_a_replayed_symbol_draws_what_the_renderer_draws(sidc, tmp_path, monkeypatch):
    """Recorded once, kept on disk, read back in a fresh process-like state: the pixels are
    those of reportlab's graphics renderer drawing svglib's shapes directly."""
    from reportlab.graphics import renderPDF
    from reportlab.graphics.renderbase import STATE_DEFAULTS

    from wargame.printing import fonts, symbols
    from wargame.printing.recorded import replay

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    symbols.symbol_calls.cache_clear()
    fonts.register()
    holder, _ = symbols.symbol_drawing(sidc, "#000000")

    def direct(canvas):
        saved = STATE_DEFAULTS["fontName"]
        STATE_DEFAULTS["fontName"] = fonts.LATIN
        try:
            renderPDF.draw(holder, canvas, 0, 0)
        finally:
            STATE_DEFAULTS["fontName"] = saved

    recorded, _, takes_ink = symbols.symbol_calls(sidc, "#000000")
    symbols.symbol_calls.cache_clear()
    kept, _, _ = symbols.symbol_calls(sidc, "#000000")  # from the disk this time
    assert kept == recorded and list(tmp_path.rglob("*.json"))
    # a one-ink symbol leaves its ink to the page (black on this one)
    assert takes_ink and "drawPath" in {call[0] for call in kept}
    assert not {"setFillColor", "setStrokeColor"} & {call[0] for call in kept}
    if sidc == SAMPLE_SIDCS[1]:
        assert "drawString" in {call[0] for call in kept}  # the fighter's letter
    assert _pixels(direct) == _pixels(lambda canvas: replay(canvas, kept))
    symbols.symbol_calls.cache_clear()


def test_a_damaged_or_foreign_recording_is_recorded_again(tmp_path, monkeypatch):
    import json

    from wargame.printing import symbols
    from wargame.printing.recorded import replay

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    sidc = SAMPLE_SIDCS[0]
    symbols.symbol_calls.cache_clear()
    good, _, _ = symbols.symbol_calls(sidc, "#000000")
    (entry,) = tmp_path.rglob("*.json")
    foreign = {"sidc": "other", "ink": "#000000", "box": [0] * 4, "calls": [],
               "takes_ink": True}
    tampered = {"sidc": sidc, "ink": "#000000", "box": [0] * 4,
                "calls": [["showPage", [], {}]], "takes_ink": True}
    unsaid = {"sidc": sidc, "ink": "#000000", "box": [0] * 4, "calls": []}
    for damage in ("{not json", json.dumps(foreign), json.dumps(tampered), json.dumps(unsaid)):
        entry.write_text(damage, encoding="utf-8")
        symbols.symbol_calls.cache_clear()
        assert symbols.symbol_calls(sidc, "#000000")[0] == good
    symbols.symbol_calls.cache_clear()
    # a recording names only canvas calls: anything else is refused, never looked up
    with pytest.raises(ValueError, match="not a canvas call"):
        replay(object(), [["showPage", [], {}]])
    with pytest.raises(ValueError, match="not a path call"):
        replay(object(), [["path.__class__", 1, [], {}]])


def test_a_symbol_the_recorder_cannot_hold_is_drawn_directly(tmp_path, monkeypatch):
    """Shapes that need a canvas call no recording holds are drawn by the graphics renderer
    itself, with the same pixels, and nothing is kept on disk for them."""
    from wargame.printing import recorded, symbols

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    sidc = SAMPLE_SIDCS[0]
    symbols.symbol_calls.cache_clear()

    def form(canvas):
        forms = symbols.SymbolForms(canvas)
        canvas.doForm(forms.form(sidc, "#000000")[0])

    recorded_pixels = _pixels(form)
    symbols.symbol_calls.cache_clear()
    for entry in tmp_path.rglob("*.json"):
        entry.unlink()
    monkeypatch.setattr(recorded, "CANVAS_CALLS", recorded.CANVAS_CALLS - {"drawPath"})
    assert symbols.symbol_calls(sidc, "#000000")[0] is None
    assert not list(tmp_path.rglob("*.json"))
    assert _pixels(form) == recorded_pixels
    symbols.symbol_calls.cache_clear()


# ---- lean forms ---------------------------------------------------------------------------

@pytest.mark.parametrize("sidc", SAMPLE_SIDCS)
def test_a_lean_form_draws_the_same_pixels_in_fewer_calls(sidc):
    """Simplified, and stripped of its colours with the ink set by the page instead, a
    recording draws exactly what it drew before, in a fraction of the calls."""
    from wargame.printing import fonts, symbols
    from wargame.printing.lean import inkless, simplified
    from wargame.printing.recorded import record, replay

    ink = "#1f4e9c"
    fonts.register()
    calls = record(symbols.symbol_drawing(sidc, ink)[0], fonts.LATIN)
    assert calls == record(symbols.symbol_drawing(sidc, ink)[0], fonts.LATIN)
    assert symbols.symbol_calls(sidc, ink)[0] == simplified(inkless(calls, ink))
    plain = inkless(calls, ink)
    assert plain is not None and not {"setFillColor", "setStrokeColor"} & {c[0] for c in plain}
    lean = simplified(plain)
    assert len(lean) < 0.6 * len(calls)

    def inked(canvas):
        canvas.setFillColor(ink)
        canvas.setStrokeColor(ink)
        replay(canvas, lean)

    assert _pixels(inked, "RGB") == _pixels(lambda canvas: replay(canvas, calls), "RGB")
    assert _pixels(lambda canvas: replay(canvas, simplified(calls)), "RGB") == \
        _pixels(lambda canvas: replay(canvas, calls), "RGB")


def test_inkless_refuses_a_drawing_painted_in_another_colour():
    from wargame.printing.lean import inkless

    red, ink = ["rgb", 1.0, 0.0, 0.0, 1], "#000000"
    black = ["rgb", 0.0, 0.0, 0.0, 1]
    path = [["beginPath", 1], ["path.moveTo", 1, [0, 0], {}], ["path.lineTo", 1, [9, 9], {}]]
    stroked = [*path, ["drawPath", [["path", 1]], {"stroke": 1, "fill": 0}]]
    assert inkless([["setStrokeColor", [black], {}], *stroked], ink) == stroked
    # a red fill that is never painted does not matter; a red one that is, does
    assert inkless([["setStrokeColor", [black], {}], ["setFillColor", [red], {}], *stroked],
                   ink) is not None
    assert inkless([["setFillColor", [red], {}], ["setStrokeColor", [black], {}], *path,
                    ["drawPath", [["path", 1]], {"stroke": 1, "fill": 1}]], ink) is None
    # a colour restored with its saved state counts; one the drawing never set is unknown
    assert inkless([["setStrokeColor", [black], {}], ["saveState", [], {}],
                    ["setStrokeColor", [red], {}], ["restoreState", [], {}], *stroked],
                   ink) is not None
    assert inkless(stroked, ink) is None
    assert inkless([["setFillColor", [["rgb", 0.0, 0.0, 0.0, 0.5]], {}],
                    ["drawString", [0, 0, "F"], {}]], ink) is None  # translucent
    assert inkless([["setFillColor", [black], {}], ["drawString", [0, 0, "F"], {"mode": 1}]],
                   ink) is None  # stroked text, stroke colour unknown


def test_simplified_keeps_what_draws_and_drops_what_cannot_show():
    from wargame.printing.lean import simplified

    paint = ["circle", [0, 0, 5], {}]
    width = ["setLineWidth", [2], {}]
    save, restore = ["saveState", [], {}], ["restoreState", [], {}]
    shift = ["transform", [1, 0, 0, 1, 5, 5], {}]
    identity = ["transform", [1, 0, 0, 1, 0, 0], {}]
    # a repeated setting, an identity transform, a saved state that paints nothing
    assert simplified([width, identity, width, paint, save, width, restore]) == [width, paint]
    # a saved state whose restore matters is kept: the second circle is not shifted
    kept = [save, shift, paint, restore, paint]
    assert simplified(kept) == kept
    # ... and one that is last, or sets nothing, is unwrapped
    assert simplified([paint, save, shift, paint, restore]) == [paint, shift, paint]
    assert simplified([save, save, paint, restore, restore, paint]) == [paint, paint]
    # a setting inside a restored state is set again after it
    assert simplified([width, save, ["setLineWidth", [3], {}], shift, paint, restore, width,
                       paint]) == [width, save, ["setLineWidth", [3], {}], shift, paint,
                                   restore, paint]
    unbalanced = [save, paint]
    assert simplified(unbalanced) == unbalanced
    # a colour may carry an alpha of its own: the alpha set after it is kept
    opaque = ["setFillAlpha", [1.0], {}]
    glass = ["setFillColor", [["rgb", 0.0, 0.0, 0.0, 0.5]], {}]
    assert simplified([opaque, glass, opaque, paint]) == [opaque, glass, opaque, paint]


def test_one_form_serves_a_symbol_in_every_ink(tmp_path):
    """Counters of one type in three factions' inks share one symbol form, and the sheet
    shows each in its own ink."""
    import pypdf

    from wargame.printing import pdf
    from wargame.printing.symbols import SymbolForms

    sidc = SAMPLE_SIDCS[0]
    out = tmp_path / "forms.pdf"
    canvas = pdf.new_canvas(out, (300, 120))
    forms = SymbolForms.of(canvas)
    made = [forms.form(sidc, ink) for ink in ("#ffffff", "#000000", "#C8102E")]
    assert len({name for name, _ in made}) == 1 and all(takes for _, takes in made)
    for x, ink in zip((60, 150, 240), ("#ffffff", "#000000", "#c8102e")):
        canvas.setFillColor("#808080")
        canvas.rect(x - 45, 15, 90, 90, stroke=0, fill=1)
        canvas.saveState()
        canvas.setFillColor(ink)
        canvas.setStrokeColor(ink)
        canvas.transform(0.5, 0, 0, 0.5, x, 60)
        canvas.doForm(made[0][0])
        canvas.restoreState()
    canvas.showPage()
    canvas.save()
    reader = pypdf.PdfReader(out)
    xobjects = reader.pages[0]["/Resources"]["/XObject"]
    assert len(xobjects) == 1
    form = next(iter(xobjects.values())).get_object()
    assert "/Matrix" not in form and "/FormType" not in form and form["/Subtype"] == "/Form"
    assert "/Font" in form["/Resources"]
    import pypdfium2

    image = pypdfium2.PdfDocument(str(out))[0].render(scale=2).to_pil().convert("RGB")
    for x, ink in zip((60, 150, 240), ((255, 255, 255), (0, 0, 0), (200, 16, 46))):
        colours = {image.getpixel((2 * px, 2 * py)) for px in range(x - 40, x + 40)
                   for py in range(25, 95)}
        assert ink in colours, (x, ink)
