"""Platypus building blocks shared by booklets, OOB sheets and player aids.

Every piece of data text goes through :func:`para`, which escapes it: a unit called
``<b>`` or ``A&B`` prints literally instead of being read as reportlab markup.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Table, TableStyle

from wargame.counters import Counter, CounterLayout
from wargame.printing import fonts


def styles(scale: float = 1.0) -> dict[str, ParagraphStyle]:
    """The paragraph styles of every document (embedded fonts only); ``scale`` shrinks the
    table and note sizes for compact documents such as the player aid."""
    fonts.register()
    fonts.font_for("中")  # registers the wide font, used for names in any script
    base = ParagraphStyle("body", fontName=fonts.WIDE, fontSize=9.5, leading=13,
                          spaceAfter=5)
    small, cell = 7.5 * scale, 7.5 * scale
    latin = ParagraphStyle("latin", parent=base, fontName=fonts.LATIN)
    return {
        "body": base,
        "latin": latin,
        "small": ParagraphStyle("small", parent=base, fontSize=small, leading=small * 1.25,
                                spaceAfter=0),
        "cell": ParagraphStyle("cell", parent=base, fontSize=cell, leading=cell * 1.2,
                               spaceAfter=0),
        "cell-bold": ParagraphStyle("cell-bold", parent=base, fontName=fonts.LATIN_BOLD,
                                    fontSize=cell, leading=cell * 1.2, spaceAfter=0),
        # headings stay with what follows them: none is left alone at the foot of a page
        "h1": ParagraphStyle("h1", parent=latin, fontName=fonts.LATIN_BOLD, fontSize=16,
                             leading=20, spaceBefore=6, spaceAfter=8, keepWithNext=1),
        "h2": ParagraphStyle("h2", parent=latin, fontName=fonts.LATIN_BOLD,
                             fontSize=12 * min(1.0, scale + 0.1),
                             leading=15 * min(1.0, scale + 0.1), spaceBefore=8 * scale,
                             spaceAfter=4 * scale, keepWithNext=1),
        "title": ParagraphStyle("title", parent=latin, fontName=fonts.LATIN_BOLD, fontSize=30,
                                leading=36, alignment=TA_CENTER, spaceAfter=12),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontSize=14, leading=18,
                                   alignment=TA_CENTER, spaceAfter=6),
        "centre": ParagraphStyle("centre", parent=base, alignment=TA_CENTER),
        # a lettered step: the letter hangs in the margin, in an embedded font
        "step": ParagraphStyle("step", parent=base, leftIndent=20, bulletIndent=2,
                               bulletFontName=fonts.LATIN_BOLD, bulletFontSize=9.5,
                               spaceAfter=2),
    }


class DraftParagraph(Paragraph):
    """A paragraph that a layout-only pass lays out but does not draw (see :func:`drafting`):
    where it falls is all that pass learns."""

    def drawOn(self, canvas, x, y, _sW=0):
        if not drafting(canvas):
            super().drawOn(canvas, x, y, _sW)


class DraftTable(Table):
    """A table that a layout-only pass lays out but does not draw."""

    def drawOn(self, canvas, x, y, _sW=0):
        if not drafting(canvas):
            super().drawOn(canvas, x, y, _sW)


def para(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of data text, escaped; line breaks in the text are kept."""
    return DraftParagraph(escape(text).replace("\n", "<br/>"), style)


def paragraphs(text: str, style: ParagraphStyle) -> list[Paragraph]:
    """Blank-line separated prose as paragraphs (each escaped)."""
    blocks = [" ".join(block.split()) for block in text.strip().split("\n\n")]
    return [para(block, style) for block in blocks if block]


GRID = colors.HexColor("#7a7a7a")
HEADER = colors.HexColor("#e6e1d3")


def data_table(header: list[str], rows: list[list[str]], widths: list[float],
               style_set: dict, numeric: set[int] = frozenset(), repeat: bool = True,
               extra: list | None = None, centred: bool = False) -> Table:
    """A table of escaped, wrapping cells whose columns add up to ``sum(widths)``.

    ``centred`` centres every column but the first (results tables).
    """
    cell, bold = style_set["cell"], style_set["cell-bold"]
    right = ParagraphStyle("right", parent=cell, alignment=2)
    centre = ParagraphStyle("centre-cell", parent=cell, alignment=TA_CENTER)
    centre_bold = ParagraphStyle("centre-bold", parent=bold, alignment=TA_CENTER)

    def style_for(index: int, header: bool):
        if centred and index > 0:
            return centre_bold if header else centre
        if header:
            return bold
        return right if index in numeric else cell

    data = [[para(h, style_for(i, True)) for i, h in enumerate(header)]]
    data += [[para(v, style_for(i, False)) for i, v in enumerate(row)] for row in rows]
    table = DraftTable(data, colWidths=widths, repeatRows=1 if repeat else 0)
    commands = [
        ("FONTNAME", (0, 0), (-1, -1), fonts.LATIN),  # reportlab's default is Helvetica
        ("GRID", (0, 0), (-1, -1), 0.3, GRID),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 2.5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2.5),
    ]
    table.setStyle(TableStyle(commands + (extra or [])))
    return table


def fit_widths(weights: list[float], total: float) -> list[float]:
    """Column widths in proportion to ``weights`` that add up exactly to ``total``."""
    scale = total / sum(weights)
    return [w * scale for w in weights]


def drafting(canvas) -> bool:
    """Whether the canvas belongs to a layout-only pass of a document (a booklet's first
    pass, which only learns the contents' page numbers): pictures need not be drawn."""
    return getattr(getattr(canvas, "_doctemplate", None), "drafting", False)


class CounterStrip(Flowable):
    """A row of counters drawn with the sheets' own drawing code, wrapping onto more rows."""

    _drawers: dict = {}

    def __init__(self, counters: list[Counter], layout: CounterLayout, size: float,
                 side: str = "front", gap: float = 3.0):
        super().__init__()
        self.counters = counters
        self.layout = layout
        self.size = size
        self.side = side
        self.gap = gap
        self.per_row = 1

    def wrap(self, available_width, available_height):
        self.per_row = max(1, int((available_width + self.gap) // (self.size + self.gap)))
        rows = -(-len(self.counters) // self.per_row)
        self.width = available_width
        self.height = rows * (self.size + self.gap)
        return self.width, self.height

    def split(self, available_width, available_height):
        self.wrap(available_width, available_height)
        fit = int((available_height + 0.01) // (self.size + self.gap))
        if fit < 1 or fit * self.per_row >= len(self.counters):
            return []
        cut = fit * self.per_row
        return [CounterStrip(self.counters[:cut], self.layout, self.size, self.side, self.gap),
                CounterStrip(self.counters[cut:], self.layout, self.size, self.side, self.gap)]

    def draw(self):
        from wargame.printing.draw import FaceDrawer

        if drafting(self.canv):
            return
        key = (id(self.canv), self.size)
        drawer = CounterStrip._drawers.get(key)
        if drawer is None or drawer.canvas is not self.canv:
            drawer = FaceDrawer(self.canv, self.layout, self.size)
            CounterStrip._drawers[key] = drawer
        self.canv.saveState()
        drawer.begin_page()
        for index, counter in enumerate(self.counters):
            row, column = divmod(index, self.per_row)
            x = column * (self.size + self.gap)
            y = self.height - (row + 1) * (self.size + self.gap) + self.gap
            drawer.draw(counter.front if self.side == "front" else counter.back, x, y)
        self.canv.restoreState()


_COUNTS = {"men": ("man", "men"), "tanks": ("tank", "tanks"), "guns": ("gun", "guns"),
           "aircraft": ("aircraft", "aircraft"), "ships": ("ship", "ships")}


def strength_text(items) -> str:
    """'10,400 men, 12 tanks, 1 ship': each figure with its noun in the right number."""
    return ", ".join(f"{value:,} {_COUNTS.get(name, (name, name))[value != 1]}"
                     for name, value in items)


def sentences(*parts: str) -> str:
    """Notes from several places as one text of sentences: capitalised, each ending with a
    full stop, and a part that another part already says left out."""
    kept: list[str] = []
    for part in (p.strip() for p in parts if p and p.strip()):
        folded = part.casefold().rstrip(".")
        if any(folded in other.casefold() for other in kept):
            continue
        kept = [k for k in kept if k.casefold().rstrip(".") not in part.casefold()]
        kept.append(part)
    out = []
    for part in kept:
        part = part[0].upper() + part[1:]
        out.append(part if part[-1] in ".!?" else part + ".")
    return " ".join(out)


def kept(flowables: list) -> KeepTogether:
    """A KeepTogether of the flowables, with any KeepTogether among them opened up: reportlab
    wraps a KeepTogether as endlessly tall, so one nested in another makes the outer one
    leave the rest of the column empty even where everything would fit."""
    def opened(items) -> list:
        out: list = []
        for item in items:
            out += opened(item._content) if isinstance(item, KeepTogether) else [item]
        return out

    return KeepTogether(opened(flowables))


def running_on(heading: Paragraph, table: Table, room: float) -> list:
    """A heading and a long table that starts wherever ``room`` points are left and runs on
    into the next column or page, its header repeated, instead of leaving this one empty
    (a heading keeps with the whole of what follows it)."""
    from reportlab.platypus import CondPageBreak

    alone = ParagraphStyle(heading.style.name + "-run", parent=heading.style, keepWithNext=0)
    return [CondPageBreak(room), DraftParagraph(heading.text, alone), table]
