"""APP-6 unit symbols: milsymbol draws SVG, svglib turns it into reportlab shapes, and each
distinct symbol is drawn once per document as a Form XObject and reused.

The SVG of each SIDC is cached on disk (keyed by the milsymbol version), so milsymbol and
its 0.4 s data load are only needed for symbols never drawn before.
"""

from __future__ import annotations

import io
import re
from functools import cache
from importlib import metadata
from pathlib import Path

from reportlab.graphics import renderPDF
from reportlab.graphics.renderbase import STATE_DEFAULTS
from reportlab.graphics.shapes import Drawing

from wargame.atomic import write_text
from wargame.loading.cache import cache_dir
from wargame.printing import fonts

# Every symbol is placed by the centre of its frame, which milsymbol puts at (100, 100).
FRAME_CENTRE = 100.0
LAND_FRAME_WIDTH = 150.0  # a land unit's frame spans x = 25..175
_FRAME_FILL = re.compile(r'fill="rgb\((?!0,0,0\))[0-9]+,[0-9]+,[0-9]+\)"')
_VIEWBOX = re.compile(r'viewBox="([-0-9.]+) ([-0-9.]+) ([-0-9.]+) ([-0-9.]+)"')


@cache
def milsymbol_version() -> str:
    try:
        return metadata.version("milsymbol")
    except metadata.PackageNotFoundError:
        return "unknown"


def _svg_cache_path(sidc: str) -> Path | None:
    folder = cache_dir()
    if folder is None:
        return None
    return folder / "symbols" / f"milsymbol-{milsymbol_version()}" / f"{sidc}.svg"


def raw_svg(sidc: str) -> str:
    """milsymbol's SVG for a SIDC, from the disk cache when it was drawn before."""
    path = _svg_cache_path(sidc)
    if path is not None and path.exists():
        return path.read_text(encoding="utf-8")
    from milsymbol import Symbol

    symbol = Symbol(sidc)
    svg = symbol.as_svg()
    if not symbol.is_valid():
        raise ValueError(f"milsymbol does not know the SIDC {sidc}")
    if path is not None:
        try:
            write_text(path, svg, make_parents=True)
        except OSError:
            pass  # an unwritable cache only costs time
    return svg


def recoloured(svg: str, ink: str) -> str:
    """The symbol in the counter's ink, with a transparent frame so the face shows through."""
    svg = _FRAME_FILL.sub('fill="none"', svg)
    for black in ('"black"', '"rgb(0,0,0)"', '"#000000"'):
        svg = svg.replace(f"stroke={black}", f'stroke="{ink}"').replace(f"fill={black}",
                                                                           f'fill="{ink}"')
    return svg


@cache
def _svglib():
    from svglib import fonts as svg_fonts
    from svglib.svglib import svg2rlg

    fonts.register()
    # milsymbol asks for Arial; map it to the embedded Vera, or svglib asks fc-match and
    # embeds whatever font this machine happens to have
    for weight, name in (("normal", fonts.LATIN), ("bold", fonts.LATIN_BOLD)):
        svg_fonts.register_font("Arial", str(fonts.LATIN_FILES[name]), weight=weight,
                                rlgFontName=name)
    return svg2rlg


@cache
def symbol_drawing(sidc: str, ink: str) -> tuple[Drawing, tuple[float, float, float, float]]:
    """The symbol as reportlab shapes, centred on its frame at (0, 0), and its SVG view box.
    Parsed once per process: every document that draws it replays the same shapes."""
    svg = recoloured(raw_svg(sidc), ink)
    box = tuple(float(v) for v in _VIEWBOX.search(svg).groups())
    drawing = _svglib()(io.StringIO(svg))
    group = drawing.contents[0]
    # SVG (x, y) -> form (x - 100, 100 - y): frame centre at the origin, y up
    group.transform = (1, 0, 0, -1, -FRAME_CENTRE, FRAME_CENTRE)
    holder = Drawing(box[2], box[3])
    holder.add(group)
    return holder, box


class SymbolForms:
    """Form XObjects of one document, one per (SIDC, ink), named S1, S2, ..."""

    def __init__(self, canvas):
        self.canvas = canvas
        self.names: dict[tuple[str, str], str] = {}

    @classmethod
    def of(cls, canvas) -> SymbolForms:
        """The forms of this canvas: one set per document, however many drawers use it
        (a form name may be defined only once in a PDF)."""
        forms = getattr(canvas, "_wargame_symbol_forms", None)
        if forms is None:
            forms = cls(canvas)
            canvas._wargame_symbol_forms = forms
        return forms

    def name(self, sidc: str, ink: str) -> str:
        """The form drawing this symbol centred on its frame at (0, 0), in SVG units."""
        key = (sidc, ink.lower())
        if key in self.names:
            return self.names[key]
        name = f"S{len(self.names) + 1}"
        holder, (vx, vy, vw, vh) = symbol_drawing(sidc, key[1])
        canvas = self.canvas
        canvas.beginForm(name, lowerx=vx - FRAME_CENTRE, lowery=FRAME_CENTRE - (vy + vh),
                         upperx=vx + vw - FRAME_CENTRE, uppery=FRAME_CENTRE - vy)
        # the graphics renderer starts every drawing in its default font (Helvetica, which is
        # never embedded); start it in the embedded Vera instead
        saved = STATE_DEFAULTS["fontName"]
        STATE_DEFAULTS["fontName"] = fonts.LATIN
        try:
            renderPDF.draw(holder, canvas, 0, 0)
        finally:
            STATE_DEFAULTS["fontName"] = saved
        canvas.endForm()
        self.names[key] = name
        return name
