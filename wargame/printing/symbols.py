"""APP-6 unit symbols: milsymbol draws SVG, svglib turns it into reportlab shapes, and each
distinct symbol is drawn once per document as a Form XObject and reused.

The SVG of each SIDC is cached on disk (keyed by the milsymbol version), and so are the
canvas calls that draw it in each ink (keyed by the milsymbol and svglib versions): a symbol
drawn before needs neither milsymbol and its 0.4 s data load, nor svglib and reportlab's
graphics package, only a replay of its calls.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
from functools import cache
from pathlib import Path

from wargame.atomic import write_text
from wargame.loading.cache import cache_dir
from wargame.printing import fonts
from wargame.printing.recorded import replay, well_formed

# Every symbol is placed by the centre of its frame, which milsymbol puts at (100, 100).
FRAME_CENTRE = 100.0
LAND_FRAME_WIDTH = 150.0  # a land unit's frame spans x = 25..175
_FRAME_FILL = re.compile(r'fill="rgb\((?!0,0,0\))[0-9]+,[0-9]+,[0-9]+\)"')
_VIEWBOX = re.compile(r'viewBox="([-0-9.]+) ([-0-9.]+) ([-0-9.]+) ([-0-9.]+)"')


@cache
def installed_version(name: str) -> str:
    """An installed distribution's version, read off its dist-info folder's name (asking
    importlib.metadata parses its e-mail-style headers, some 70 ms a start)."""
    import os
    import sys

    prefix = name.replace("-", "_").lower() + "-"
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for found in names:
            if found.lower().startswith(prefix) and found.endswith(".dist-info"):
                return found[len(prefix):-len(".dist-info")]
    from importlib import metadata

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "unknown"


def milsymbol_version() -> str:
    return installed_version("milsymbol")


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
def symbol_drawing(sidc: str, ink: str):
    """The symbol as reportlab shapes (a Drawing), centred on its frame at (0, 0), and its
    SVG view box."""
    from reportlab.graphics.shapes import Drawing

    svg = recoloured(raw_svg(sidc), ink)
    box = tuple(float(v) for v in _VIEWBOX.search(svg).groups())
    drawing = _svglib()(io.StringIO(svg))
    group = drawing.contents[0]
    # SVG (x, y) -> form (x - 100, 100 - y): frame centre at the origin, y up
    group.transform = (1, 0, 0, -1, -FRAME_CENTRE, FRAME_CENTRE)
    holder = Drawing(box[2], box[3])
    holder.add(group)
    return holder, box


CALLS_FORMAT = 3  # bump when what a recording holds changes


def _calls_cache_path(sidc: str, ink: str) -> Path | None:
    folder = cache_dir()
    if folder is None:
        return None
    import reportlab

    # the calls are what svglib's shapes and reportlab's renderer make of the SVG
    made_by = f"calls-{CALLS_FORMAT}-svglib-{installed_version('svglib')}-reportlab-" \
        f"{reportlab.Version}"
    tag = hashlib.sha256(ink.encode()).hexdigest()[:12]
    return folder / "symbols" / f"milsymbol-{milsymbol_version()}" / made_by / \
        f"{sidc}-{tag}.json"


@cache
def symbol_calls(sidc: str, ink: str) -> tuple[list | None,
                                               tuple[float, float, float, float], bool]:
    """The canvas calls that draw a symbol centred on its frame at (0, 0), its SVG view box,
    and whether the calls take their ink from the page (then they set no colour: the caller
    sets fill and stroke to ``ink``). The calls are made lean (:mod:`wargame.printing.lean`)
    and kept on disk when first recorded from svglib's shapes, text starting in the
    embedded Vera; they are None for a symbol whose shapes need canvas calls a recording
    does not hold."""
    path = _calls_cache_path(sidc, ink)
    if path is not None and path.exists():
        try:
            kept = json.loads(path.read_text(encoding="utf-8"))
            if kept.get("sidc") == sidc and kept.get("ink") == ink and \
                    well_formed(kept.get("calls")) and len(kept.get("box", ())) == 4 and \
                    isinstance(kept.get("takes_ink"), bool):
                return kept["calls"], tuple(float(v) for v in kept["box"]), kept["takes_ink"]
        except (OSError, ValueError, KeyError, TypeError):
            pass  # a damaged entry is recorded again
    from wargame.printing.lean import inkless, simplified
    from wargame.printing.recorded import Unrecordable, record

    fonts.register()
    holder, box = symbol_drawing(sidc, ink)
    try:
        calls = record(holder, fonts.LATIN)
    except Unrecordable:
        return None, box, False  # drawn by the graphics renderer itself, every time
    plain = inkless(calls, ink)
    takes_ink = plain is not None
    calls = simplified(plain if takes_ink else calls)
    if path is not None:
        try:
            write_text(path, json.dumps({"sidc": sidc, "ink": ink, "box": list(box),
                                         "calls": calls, "takes_ink": takes_ink},
                                        separators=(",", ":")), make_parents=True)
        except OSError:
            pass  # an unwritable cache only costs time
    return calls, box, takes_ink


class SymbolForms:
    """Form XObjects of one document, named S1, S2, ...: one per symbol drawing, shared by
    every ink the drawing takes (see :mod:`wargame.printing.lean`)."""

    def __init__(self, canvas):
        self.canvas = canvas
        self.forms: dict[tuple[str, str], tuple[str, bool]] = {}
        self._by_drawing: dict[str, tuple[str, bool]] = {}
        self._resources = None

    @classmethod
    def of(cls, canvas) -> SymbolForms:
        """The forms of this canvas: one set per document, however many drawers use it
        (a form name may be defined only once in a PDF)."""
        forms = getattr(canvas, "_wargame_symbol_forms", None)
        if forms is None:
            forms = cls(canvas)
            canvas._wargame_symbol_forms = forms
        return forms

    def form(self, sidc: str, ink: str) -> tuple[str, bool]:
        """The name of the form drawing this symbol centred on its frame at (0, 0), in SVG
        units, and whether it takes its ink from the page: then the caller sets fill and
        stroke colour to ``ink`` before showing it."""
        key = (sidc, ink.lower())
        if key not in self.forms:
            self.forms[key] = self._made(*key)
        return self.forms[key]

    def _made(self, sidc: str, ink: str) -> tuple[str, bool]:
        calls, box, takes_ink = symbol_calls(sidc, ink)
        # the same drawing (in any ink, when it takes the page's) is one form
        drawing = json.dumps([sidc, "" if takes_ink else ink, box, calls],
                             separators=(",", ":"))
        if drawing in self._by_drawing:
            return self._by_drawing[drawing]
        name = f"S{len(self._by_drawing) + 1}"
        (vx, vy, vw, vh) = box
        canvas = self.canvas
        fonts.register()
        canvas.beginForm(name, lowerx=vx - FRAME_CENTRE, lowery=FRAME_CENTRE - (vy + vh),
                         upperx=vx + vw - FRAME_CENTRE, uppery=FRAME_CENTRE - vy)
        if calls is None:
            _render_directly(canvas, sidc, ink)
        else:
            replay(canvas, calls)
        # reportlab's endForm sets the attributes it is given on the form it makes: the form
        # is written as a LeanForm, sharing one resource dictionary with the other symbols
        canvas.endForm(__class__=_lean_form_class(), Resources=self._shared_resources())
        self._by_drawing[drawing] = (name, takes_ink)
        return name, takes_ink

    def _shared_resources(self):
        if self._resources is None:
            from reportlab.pdfbase.pdfdoc import PDFResourceDictionary

            resources = PDFResourceDictionary()
            resources.basicFonts()
            resources.basicProcs()
            self._resources = self.canvas._doc.Reference(resources, "WGSymbolResources")
        return self._resources


@cache
def _lean_form_class():
    """A Form XObject written with only what PDF requires of one: reportlab's also writes
    the defaults (/Type, /FormType, an identity /Matrix) and its own resource dictionary,
    some 110 bytes a symbol form, with its identity-matrix preamble in the stream."""
    from reportlab.pdfbase.pdfdoc import PDFArray, PDFFormXObject, PDFName, PDFStream, PDFZCompress

    class LeanForm(PDFFormXObject):
        def format(self, document):
            if self.XObjects or self.Annots:
                return super().format(document)
            content = self.stream
            preamble = b"1 0 0 1 0 0 cm"
            if content.startswith(preamble):
                content = content[len(preamble):].lstrip()
            stream = PDFStream(content=content, filters=[PDFZCompress] if self.compression
                               else None)
            stream.dictionary["Subtype"] = PDFName("Form")
            stream.dictionary["BBox"] = PDFArray([self.lowerx, self.lowery, self.upperx,
                                                  self.uppery])
            stream.dictionary["Resources"] = self.Resources
            return stream.format(document)

    return LeanForm


def _render_directly(canvas, sidc: str, ink: str) -> None:
    from wargame.printing.recorded import render

    render(symbol_drawing(sidc, ink)[0], canvas, fonts.LATIN)
