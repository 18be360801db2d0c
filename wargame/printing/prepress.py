"""Print-shop files as PDF/X-1a:2001: process colours only, black text in black ink alone,
no transparency, every font embedded, and an output intent naming the printing condition.

PDF/X-1a:2001 is what the short-run printers of game components and books ask for when
they name a standard (PDF 1.3, CMYK or grey only, no RGB, no transparency, TrimBox on
every page). The output intent names a condition registered with the ICC, which is why
the standard lets a file leave the profile itself out: the shop's RIP has it.

How the colours are separated: the kit's colours are designed in RGB; here each one is
turned into CMYK with all of its grey in the black plate (full grey component
replacement). Neutral greys, and so all text in black or grey, print in black ink only,
and a dark neutral (as dark as 40% grey or darker) prints as solid black: small type and
the map's hex numbers in one ink cannot blur when the four plates register a little off.
"""

from __future__ import annotations

from reportlab.lib.colors import CMYKColor, Color, toColor
from reportlab.pdfbase.pdfdoc import (
    PDFArray, PDFCatalog, PDFDate, PDFDictionary, PDFInfo, PDFName, PDFString,
)

from wargame.printing.conditions import CONDITIONS, DEFAULT_CONDITION

#: A neutral darker than this much black ink prints as solid black.
SOLID_BLACK_FROM = 0.6
#: Channels this close together count as a neutral grey.
NEUTRAL_SPREAD = 0.02


def process_colour(value) -> CMYKColor:
    """The CMYK ink of a colour (reportlab calls this for every colour a canvas sets).

    CMYK colours are kept; RGB ones are separated with all their grey in black, and
    neutral greys use black ink alone (solid from :data:`SOLID_BLACK_FROM`). Transparency
    is flattened over white paper: PDF/X-1a has none.
    """
    colour = toColor(value)
    alpha = getattr(colour, "alpha", None)
    alpha = 1 if alpha is None else alpha
    if isinstance(colour, CMYKColor):
        c, m, y, k = colour.cyan, colour.magenta, colour.yellow, colour.black
        density = getattr(colour, "density", 1)
        if alpha < 1 or density < 1:
            scale = alpha * density
            c, m, y, k = (v * scale for v in (c, m, y, k))
        return _ink(c, m, y, k)
    if not isinstance(colour, Color):  # pragma: no cover - toColor always gives a Color
        raise ValueError(f"not a colour: {value!r}")
    r, g, b = (alpha * v + (1 - alpha) for v in (colour.red, colour.green, colour.blue))
    high = max(r, g, b)
    k = 1 - high
    if high - min(r, g, b) <= NEUTRAL_SPREAD:
        k = 1 - (r + g + b) / 3
        return _ink(0, 0, 0, 1 if k >= SOLID_BLACK_FROM else round(k, 4))
    return _ink(*(round((high - v) / high, 4) for v in (r, g, b)), round(k, 4))


def _ink(c: float, m: float, y: float, k: float) -> CMYKColor:
    # no alpha at all: reportlab's text objects write a transparency state (and a PDF 1.4
    # header) for any colour that carries one, even an opaque one
    return CMYKColor(c, m, y, k, alpha=None)


def _opaque(alpha: float) -> None:
    """Opacity on a PDF/X-1a canvas: everything is drawn opaque."""


class _PDFXInfo(PDFInfo):
    """The document information PDF/X-1a:2001 requires: its version and conformance keys,
    and whether the file is trapped (it is not: the shop traps, if it traps at all)."""

    def format(self, document):
        entries = {
            "Title": PDFString(self.title),
            "Author": PDFString(self.author),
            "Creator": PDFString(self.creator),
            "Producer": PDFString(self.producer),
            "Subject": PDFString(self.subject),
            "Keywords": PDFString(self.keywords),
            "Trapped": PDFName("False"),
            "GTS_PDFXVersion": PDFString("PDF/X-1:2001"),
            "GTS_PDFXConformance": PDFString("PDF/X-1a:2001"),
        }
        entries["CreationDate"] = entries["ModDate"] = PDFDate(
            ts=document._timeStamp, dateFormatter=self._dateFormatter)
        return PDFDictionary(entries).format(document)


def make_pdfx(canvas, condition: str = DEFAULT_CONDITION) -> None:
    """Turn a fresh canvas into a PDF/X-1a:2001 one: its colours go through
    :func:`process_colour`, and its catalogue and information carry the output intent
    and the PDF/X keys. Call before drawing anything."""
    intent = CONDITIONS[condition]
    canvas._enforceColorSpace = process_colour  # reportlab's hook for every colour set
    # svglib sets an opacity of 1 on every symbol path, which would write a transparency
    # graphics state and a PDF 1.4 header; nothing in the kit is see-through, so opacity
    # is left at PDF's opaque default (a PDF/X-1a file is PDF 1.3, without transparency)
    canvas._setFillAlpha = canvas._setStrokeAlpha = _opaque
    document = canvas._doc
    info = _PDFXInfo()
    info.__dict__.update(document.info.__dict__)
    document.info = info
    catalog: PDFCatalog = document.Catalog
    # reportlab writes only the catalogue keys it lists; the output intent is one more
    catalog.__NoDefault__ = [*PDFCatalog.__NoDefault__, "OutputIntents"]
    catalog.OutputIntents = PDFArray([PDFDictionary({
        "Type": PDFName("OutputIntent"),
        "S": PDFName("GTS_PDFX"),
        "OutputConditionIdentifier": PDFString(intent.identifier),
        "OutputCondition": PDFString(intent.description),
        "RegistryName": PDFString(intent.registry),
        "Info": PDFString(intent.description),
    })])
