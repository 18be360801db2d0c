"""A small preflight for the tests: what a print shop's checker finds wrong in a PDF that
claims PDF/X-1a:2001, read from the file's own objects and content streams.

Content streams are read with a tokenizer of their own (strings skipped whole, so a
unit named "rg" cannot look like an operator) and the graphics state followed through
q/Q, cm and Form XObjects: each text-showing operator is checked against the fill
colour in force, each straight stroke is placed on the page for the crop-mark check.
"""

from __future__ import annotations

import re
from pathlib import Path

from pypdf import PdfReader

REGISTERED = {"FOGRA39", "FOGRA51", "CGATS TR 001", "CGATS TR 006"}
_TOKEN = re.compile(rb"""
    \((?:\\.|[^\\)])*\)          # a literal string (reportlab escapes its parentheses)
  | <<|>>|\[|\]
  | <[0-9A-Fa-f\s]*>             # a hex string
  | /[^\s/\[\]()<>{}%]+          # a name
  | [-+]?(?:\d+\.?\d*|\.\d+)     # a number
  | [A-Za-z'"*][A-Za-z0-9*]*     # an operator
""", re.VERBOSE | re.DOTALL)
_TEXT_SHOWING = {b"Tj", b"TJ", b"'", b'"'}
_RGB_OPERATORS = {b"rg", b"RG", b"sc", b"SC", b"scn", b"SCN", b"cs", b"CS"}


def _multiply(a, b):
    return (a[0] * b[0] + a[1] * b[2], a[0] * b[1] + a[1] * b[3],
            a[2] * b[0] + a[3] * b[2], a[2] * b[1] + a[3] * b[3],
            a[4] * b[0] + a[5] * b[2] + b[4], a[4] * b[1] + a[5] * b[3] + b[5])


def _apply(m, x, y):
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


class _Page:
    """Walks one page's content and the forms it paints, collecting what it finds."""

    def __init__(self, label: str):
        self.label = label
        self.problems: list[str] = []
        self.strokes: list[tuple[float, float, float, float]] = []  # page coordinates
        self.text_colours: set[tuple[float, ...]] = set()

    def walk(self, data: bytes, resources, ctm, fill, depth=0) -> None:
        stack = []
        operands: list[bytes] = []
        path: list[tuple[float, float]] = []
        segments: list[tuple[float, float, float, float]] = []
        for match in _TOKEN.finditer(data):
            token = match.group()
            first = token[:1]
            if first in b"(<[]/" or first.isdigit() or first in b"-+.":
                operands.append(token)
                continue
            op = token
            if op == b"q":
                stack.append((ctm, fill))
            elif op == b"Q" and stack:
                ctm, fill = stack.pop()
            elif op == b"cm":
                ctm = _multiply(tuple(float(v) for v in operands[-6:]), ctm)
            elif op == b"k":
                fill = tuple(float(v) for v in operands[-4:])
            elif op == b"g":
                fill = (0.0, 0.0, 0.0, 1 - float(operands[-1]))
            elif op in _RGB_OPERATORS:
                self.problems.append(f"{self.label}: colour operator {op.decode()} "
                                     "(not CMYK or grey)")
            elif op in _TEXT_SHOWING:
                self.text_colours.add(fill)
            elif op == b"m":
                path = [_apply(ctm, float(operands[-2]), float(operands[-1]))]
            elif op == b"l" and path:
                point = _apply(ctm, float(operands[-2]), float(operands[-1]))
                segments.append((*path[-1], *point))
                path.append(point)
            elif op in (b"S", b"s"):
                self.strokes += segments
                segments, path = [], []
            elif op in (b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*", b"n", b"W", b"W*"):
                segments, path = [], []
            elif op == b"gs":
                state = resources["/ExtGState"][operands[-1].decode()].get_object()
                for key in ("/CA", "/ca"):
                    if key in state and float(state[key]) < 1:
                        self.problems.append(f"{self.label}: transparency {key}")
                if "/SMask" in state and state["/SMask"] != "/None":
                    self.problems.append(f"{self.label}: soft mask")
            elif op == b"Do":
                xobject = resources["/XObject"][operands[-1].decode()].get_object()
                if xobject["/Subtype"] == "/Image":
                    space = xobject.get("/ColorSpace")
                    if space not in ("/DeviceCMYK", "/DeviceGray"):
                        self.problems.append(f"{self.label}: image in {space}")
                    if "/SMask" in xobject:
                        self.problems.append(f"{self.label}: image with a soft mask")
                elif depth < 8:
                    matrix = tuple(float(v) for v in xobject.get("/Matrix", (1, 0, 0, 1, 0, 0)))
                    self.walk(xobject.get_data(), xobject.get("/Resources") or resources,
                              _multiply(matrix, ctm), fill, depth + 1)
            operands = []


def inspect(path: Path) -> tuple[list[str], list[_Page], PdfReader]:
    """Problems a PDF/X-1a:2001 preflight reports, the pages as walked, and the reader."""
    reader = PdfReader(path)
    problems = []
    header = Path(path).read_bytes()[:8]
    if header != b"%PDF-1.3":
        problems.append(f"header {header!r}: PDF/X-1a:2001 is PDF 1.3")
    root = reader.trailer["/Root"]
    intents = root.get("/OutputIntents")
    if not intents:
        problems.append("no output intent")
    else:
        intent = intents[0].get_object()
        if intent.get("/S") != "/GTS_PDFX":
            problems.append(f"output intent subtype {intent.get('/S')}")
        if intent.get("/OutputConditionIdentifier") not in REGISTERED \
                and "/DestOutputProfile" not in intent:
            problems.append("output condition neither registered nor profiled")
    info = reader.trailer.get("/Info")
    info = info.get_object() if info else {}
    if info.get("/GTS_PDFXVersion") != "PDF/X-1:2001" or \
            info.get("/GTS_PDFXConformance") != "PDF/X-1a:2001":
        problems.append("no PDF/X-1a:2001 version keys in the document information")
    if info.get("/Trapped") not in ("/True", "/False"):
        problems.append("Trapped is neither True nor False")
    if "/ID" not in reader.trailer:
        problems.append("no file identifier")
    walked = []
    tags: dict[str, str] = {}
    for number, page in enumerate(reader.pages, start=1):
        label = f"page {number}"
        media = [float(v) for v in page.mediabox]
        if "/TrimBox" not in page:
            problems.append(f"{label}: no TrimBox")
        trim = [float(v) for v in page.trimbox]
        bleed = [float(v) for v in page.bleedbox]
        if not (media[0] <= bleed[0] <= trim[0] and media[1] <= bleed[1] <= trim[1]
                and trim[2] <= bleed[2] <= media[2] and trim[3] <= bleed[3] <= media[3]):
            problems.append(f"{label}: boxes not nested (trim {trim}, bleed {bleed})")
        walker = _Page(label)
        walker.walk(page.get_contents().get_data(), page["/Resources"],
                    (1, 0, 0, 1, 0, 0), (0.0, 0.0, 0.0, 1.0))
        problems += walker.problems
        walked.append(walker)
        for font in _fonts(page["/Resources"]):
            name = str(font.get("/BaseFont", ""))
            descriptor = font.get("/FontDescriptor")
            for descendant in font.get("/DescendantFonts") or []:
                descriptor = descendant.get_object().get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor else {}
            if not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                problems.append(f"{label}: font {name} not embedded")
            if "+" in name:
                tag = name.lstrip("/").split("+")[0]
                if tags.setdefault(tag, name) != name:
                    problems.append(f"subset tag {tag} on {tags[tag]} and {name}")
    return problems, walked, reader


def _fonts(resources, seen=None):
    seen = set() if seen is None else seen
    resources = resources.get_object() if resources else {}
    for font in (resources.get("/Font") or {}).values():
        if font.idnum not in seen:
            seen.add(font.idnum)
            yield font.get_object()
    for item in (resources.get("/XObject") or {}).values():
        if item.idnum not in seen:
            seen.add(item.idnum)
            yield from _fonts(item.get_object().get("/Resources"), seen)


def rich_black_text(pages: list[_Page]) -> set[tuple[float, ...]]:
    """Fill colours of text that is dark (60% black or more) yet not black ink alone."""
    return {colour for page in pages for colour in page.text_colours
            if colour[3] >= 0.6 and any(colour[:3])}


def crop_marks_at(page: _Page, trim, bleed) -> int:
    """How many of the trim's four corners have both crop marks: a horizontal and a
    vertical stroke in line with the corner's edges, wholly outside the bleed."""
    x0, y0, x1, y1 = trim
    bx0, by0, bx1, by1 = bleed
    found = 0
    for cx, cy, sx, sy in ((x0, y0, -1, -1), (x1, y0, 1, -1), (x0, y1, -1, 1),
                           (x1, y1, 1, 1)):
        horizontal = vertical = False
        for ax, ay, bx, by in page.strokes:
            if abs(ay - cy) < 0.5 and abs(by - cy) < 0.5:  # along the trim's edge
                outside = min(ax, bx) >= bx1 if sx > 0 else max(ax, bx) <= bx0
                horizontal |= outside
            if abs(ax - cx) < 0.5 and abs(bx - cx) < 0.5:
                outside = min(ay, by) >= by1 if sy > 0 else max(ay, by) <= by0
                vertical |= outside
        found += horizontal and vertical
    return found
