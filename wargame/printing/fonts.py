"""Embedded fonts for every script the campaign uses.

Latin text uses Bitstream Vera (shipped inside reportlab); anything Vera cannot show
(Cyrillic, Han, Hangul, Vietnamese) uses WenQuanYi Micro Hei from the paperang-p2-fonts-cjk
package. Both are TrueType, so reportlab embeds them as subsets: a PDF shows the same
glyphs on a fresh machine, and print shops get every font embedded.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import reportlab
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from wargame.errors import DataError

LATIN = "WG-Sans"
LATIN_BOLD = "WG-Sans-Bold"
WIDE = "WG-CJK"
_VERA = Path(reportlab.__file__).parent / "fonts"
#: Font files of the Latin faces, by registered name (svglib needs the files themselves).
LATIN_FILES = {LATIN: _VERA / "Vera.ttf", LATIN_BOLD: _VERA / "VeraBd.ttf"}


def subset_tag(font_name: str, subset: int) -> bytes:
    """Six capital letters naming one subset of one font: distinct for every font and
    subset of a file (reportlab names subset n of every font alike, 'AAAAAA+' for the first,
    which preflight tools flag when several fonts meet in one PDF)."""
    import hashlib

    number = int.from_bytes(hashlib.sha256(f"{font_name}/{subset}".encode()).digest()[:8],
                            "big")
    letters = []
    for _ in range(6):
        number, digit = divmod(number, 26)
        letters.append(chr(65 + digit))
    return "".join(letters).encode("ascii")


class TaggedFont(TTFont):
    """A TrueType font whose embedded subsets carry tags of their own, and whose first
    subset embeds only the ASCII characters a document uses.

    reportlab keeps ASCII at its own codes in the first subset, so the text in a page's
    content reads as itself, and embeds all 96 ASCII glyphs for it: here the codes stay,
    and the glyphs a document never shows are left out (half of a counter sheet's fonts).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._shown: dict = {}  # document -> characters it drew in this font

    def splitString(self, text, doc, encoding="utf-8"):
        shown = text if isinstance(text, str) else text.decode(encoding)
        self._shown.setdefault(doc, set()).update(shown)
        return super().splitString(text, doc, encoding)

    def addObjects(self, doc):
        from reportlab.pdfbase import ttfonts

        shown = {ord(c) for c in self._shown.pop(doc, ())} | {32}
        state = self.state.get(doc)
        if state is not None and state.subsets:
            first = state.subsets[0]
            state.subsets[0] = [code if code < 32 or code >= 128 or code in shown else 0
                                for code in first]
        original = ttfonts.SUBSETN
        ttfonts.SUBSETN = lambda n: subset_tag(self.fontName, n)
        try:
            super().addObjects(doc)
        finally:
            ttfonts.SUBSETN = original


@cache
def _register_latin() -> None:
    for name, path in LATIN_FILES.items():
        pdfmetrics.registerFont(TaggedFont(name, str(path)))


@cache
def _register_wide() -> None:
    try:
        import paperang_p2_fonts_cjk
    except ImportError as exc:  # a broken install, not user input
        raise DataError("the CJK font package paperang-p2-fonts-cjk is missing; reinstall "
                        "wargame") from exc
    path = Path(paperang_p2_fonts_cjk.__file__).parent / "fonts" / "wqy-microhei.ttc"
    pdfmetrics.registerFont(TaggedFont(WIDE, str(path), subfontIndex=0))


@cache
def _latin_cmap() -> frozenset[int]:
    _register_latin()
    face = pdfmetrics.getFont(LATIN).face
    # a character mapped to glyph 0 is the font's "missing" box, not a glyph (Vera maps Đ so)
    return frozenset(code for code, glyph in face.charToGlyph.items() if glyph)


def register() -> None:
    """Make the Latin fonts available (the wide font registers itself on first use)."""
    _register_latin()


def font_for(text: str, bold: bool = False) -> tuple[str, bool]:
    """(font name, fake bold) for ``text``: Vera when it has every glyph, else WenQuanYi.

    WenQuanYi has no bold weight; bold wide text is drawn with a thin outline instead.
    """
    _register_latin()
    cmap = _latin_cmap()
    if all(ord(c) in cmap for c in text):
        return (LATIN_BOLD if bold else LATIN), False
    _register_wide()
    return WIDE, bold


def width(text: str, font: str, size: float) -> float:
    return pdfmetrics.stringWidth(text, font, size)


def fit(text: str, font: str, size: float, min_size: float, room: float) -> tuple[str, float]:
    """Shrink ``text`` to fit ``room`` points, down to ``min_size``; then cut it with '…'."""
    if room <= 0 or not text:
        return text, size
    natural = width(text, font, size)
    if natural <= room:
        return text, size
    shrunk = max(min_size, size * room / natural * 0.999)  # 0.999: stay clear of rounding
    if width(text, font, shrunk) <= room:
        return text, shrunk
    while len(text) > 1 and width(text + "…", font, shrunk) > room:
        text = text[:-1]
    return text.rstrip() + "…", shrunk


def extent(font: str, size: float) -> tuple[float, float]:
    """(ascent, descent) of a font at ``size``, in points, as PDF readers measure glyph
    boxes (descent is negative)."""
    face = pdfmetrics.getFont(font).face
    return face.ascent * size / 1000, face.descent * size / 1000
