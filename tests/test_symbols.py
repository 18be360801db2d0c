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


def _pixels(draw) -> bytes:
    """One symbol drawn by ``draw(canvas)`` on a small page, rendered to grey pixels."""
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
    return page.render(scale=2).to_pil().convert("L").tobytes()


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

    recorded, _ = symbols.symbol_calls(sidc, "#000000")
    symbols.symbol_calls.cache_clear()
    kept, _ = symbols.symbol_calls(sidc, "#000000")  # from the disk this time
    assert kept == recorded and list(tmp_path.rglob("*.json"))
    assert {"drawPath", "setFillColor"} <= {call[0] for call in kept}
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
    good, _ = symbols.symbol_calls(sidc, "#000000")
    (entry,) = tmp_path.rglob("*.json")
    foreign = {"sidc": "other", "ink": "#000000", "box": [0] * 4, "calls": []}
    tampered = {"sidc": sidc, "ink": "#000000", "box": [0] * 4,
                "calls": [["showPage", [], {}]]}
    for damage in ("{not json", json.dumps(foreign), json.dumps(tampered)):
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
        canvas.doForm(forms.name(sidc, "#000000"))

    recorded_pixels = _pixels(form)
    symbols.symbol_calls.cache_clear()
    for entry in tmp_path.rglob("*.json"):
        entry.unlink()
    monkeypatch.setattr(recorded, "CANVAS_CALLS", recorded.CANVAS_CALLS - {"drawPath"})
    assert symbols.symbol_calls(sidc, "#000000")[0] is None
    assert not list(tmp_path.rglob("*.json"))
    assert _pixels(form) == recorded_pixels
    symbols.symbol_calls.cache_clear()
