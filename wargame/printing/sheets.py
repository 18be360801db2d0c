"""Counter sheets: counters laid out on pages, backs placed for duplex or fold-and-glue,
with cut lines or crop marks, bleed and the PDF page boxes print shops read.

Geometry in one place: :func:`plan` computes every counter's position on every page as
numbers (tests read them back from the PDF); :func:`render` draws them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

import attrs
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import inch, mm
from reportlab.pdfgen.canvas import Canvas

from wargame.atomic import atomic_path
from wargame.counters import Counter, CounterLayout, Face
from wargame.errors import UsageError
from wargame.printing import fonts
from wargame.printing.draw import FaceDrawer
from wargame.printing.pdf import MARKS, REGISTRATION, crop_marks, new_canvas

#: Home papers, and the sheets shops print counters on: tabloid and 12x18 in (US digital
#: presses), A3 and SRA3 (320x450 mm, the European digital press sheet).
PAPERS = {"letter": LETTER, "a4": A4, "tabloid": (11 * inch, 17 * inch),
          "12x18": (12 * inch, 18 * inch), "a3": (297 * mm, 420 * mm),
          "sra3": (320 * mm, 450 * mm)}
SIZES = {"1/2": 0.5 * inch, "9/16": 0.5625 * inch, "5/8": 0.625 * inch, "3/4": 0.75 * inch,
         "1": 1.0 * inch}
Mode = Literal["duplex-long", "duplex-short", "fold", "fronts"]


@attrs.frozen
class SheetOptions:
    """How counters go on paper."""

    paper: str = "letter"
    size: str = "5/8"
    margin: float = 12.0  # mm, to the counter block
    gutter: float = 0.0  # mm between counters
    counter_bleed: float = 0.0  # mm of face colour beyond each counter's cut line
    page_bleed: float = 0.0  # mm added around the page (TrimBox/BleedBox)
    cut: Literal["lines", "marks", "none"] = "lines"
    full_lines: bool = False
    mode: Mode = "duplex-long"
    back_offset: tuple[float, float] = (0.0, 0.0)  # mm, shifts every back page
    guides: bool = False  # proof mode: draw each counter's safe area, dashed
    title: str = ""
    # the layout's frame: at home it is the cut line; a shop's die never meets it exactly,
    # and a keyline a millimetre off shows, so print-shop faces go without it
    keyline: bool = True
    trim_marks: bool = False  # crop marks at the paper's corners, outside the page bleed
    pdfx: str | None = None  # output condition of a PDF/X-1a file (conditions.CONDITIONS)

    @property
    def counter(self) -> float:
        return SIZES[self.size]

    @property
    def pitch(self) -> float:
        return self.counter + self.gutter * mm


def options_for(preset: str, **overrides) -> SheetOptions:
    """Named presets: 'home' (cut lines, no bleed, RGB) and 'print-shop' (gutters, bleed,
    crop marks, no keyline, PDF/X-1a in CMYK)."""
    from wargame.printing.conditions import DEFAULT_CONDITION

    presets = {
        "home": {},
        "print-shop": dict(gutter=3.2, counter_bleed=1.6, page_bleed=3.0, cut="marks",
                           keyline=False, trim_marks=True, pdfx=DEFAULT_CONDITION),
    }
    if preset not in presets:
        raise UsageError(f'unknown preset "{preset}"; expected one of {", ".join(presets)}')
    values = {**presets[preset], **{k: v for k, v in overrides.items() if v is not None}}
    if values.get("paper", "letter") not in PAPERS:
        raise UsageError(f'unknown paper "{values["paper"]}"; expected one of '
                         + ", ".join(PAPERS))
    if values.get("size", "5/8") not in SIZES:
        raise UsageError(f'unknown counter size "{values["size"]}"; expected one of '
                         + ", ".join(SIZES))
    options = SheetOptions(**values)
    if options.counter_bleed * 2 > options.gutter + 1e-9 and options.counter_bleed:
        raise UsageError("counter bleed must be at most half the gutter, or neighbours overlap")
    return options


@attrs.frozen
class Slot:
    """One face on one page: lower-left corner in page coordinates (points)."""

    page: int
    x: float
    y: float
    face: Face


@attrs.frozen
class Plan:
    page_width: float
    page_height: float
    trim: tuple[float, float, float, float]  # x0, y0, x1, y1 of the paper inside the page
    columns: int
    rows: int
    per_page: int
    pages: int
    slots: tuple[Slot, ...]
    block: tuple[tuple[float, float, float, float], ...]  # per page: x0, y0, x1, y1
    back_pages: frozenset[int]


def _grid(width: float, height: float, options: SheetOptions) -> tuple[int, int]:
    pitch, size = options.pitch, options.counter
    room_x = width - 2 * options.margin * mm
    room_y = height - 2 * options.margin * mm - 8 * mm  # leave a line for the page label
    columns = math.floor((room_x + options.gutter * mm) / pitch)
    rows = math.floor((room_y + options.gutter * mm) / pitch)
    if columns < 1 or rows < 1 or size <= 0:
        raise UsageError("no counter fits between the margins; use smaller margins or counters")
    return columns, rows


def columns_per_row(options: SheetOptions) -> int:
    """How many counters a row of the sheet holds."""
    return plan([], options).columns


def rows_by_group(groups: Sequence[Sequence[Counter]], columns: int) -> list[Counter | None]:
    """Counters of several groups (factions), each group starting on a fresh row."""
    out: list[Counter | None] = []
    for group in groups:
        if not group:
            continue
        if len(out) % columns:
            out += [None] * (columns - len(out) % columns)
        out += list(group)
    return out


def plan(counters: Sequence[Counter | None], options: SheetOptions) -> Plan:
    """Every face's place on every page (None leaves a slot empty)."""
    paper_w, paper_h = PAPERS[options.paper]
    # the paper (the trim) sits inside its bleed, and with crop marks inside room for them
    bleed = options.page_bleed * mm + (MARKS if options.trim_marks else 0.0)
    page_w, page_h = paper_w + 2 * bleed, paper_h + 2 * bleed
    size, pitch, gutter = options.counter, options.pitch, options.gutter * mm
    half = options.mode == "fold"
    area_w = (paper_w / 2 - 6 * mm) if half else paper_w  # fold: each half, a gap at the fold
    columns, rows = _grid(area_w if not half else area_w + options.margin * mm, paper_h, options)
    if half:
        columns = max(1, math.floor((paper_w / 2 - options.margin * mm - 4 * mm + gutter)
                                    / pitch))
    per_page = columns * rows
    block_w = columns * pitch - gutter
    if half:
        x0 = paper_w / 2 - 4 * mm - block_w
    else:
        x0 = (paper_w - block_w) / 2
    top = paper_h - options.margin * mm
    slots: list[Slot] = []
    blocks = []
    back_pages: set[int] = set()
    sheets = max(1, math.ceil(len(counters) / per_page))
    dx, dy = options.back_offset[0] * mm, options.back_offset[1] * mm
    for sheet in range(sheets):
        chunk = counters[sheet * per_page:(sheet + 1) * per_page]
        used_rows = max(1, math.ceil(len(chunk) / columns))
        front_page = sheet * (2 if options.mode.startswith("duplex") else 1)
        back_page = front_page + 1 if options.mode.startswith("duplex") else front_page
        for index, counter in enumerate(chunk):
            if counter is None:
                continue
            row, column = divmod(index, columns)
            fx = x0 + column * pitch
            fy = top - row * pitch - size
            slots.append(Slot(front_page, bleed + fx, bleed + fy, counter.front))
            if options.mode == "fronts":
                continue
            if options.mode == "duplex-short":
                bx, by = fx, paper_h - fy - size
            else:  # long-edge duplex and fold-and-glue mirror left to right
                bx, by = paper_w - fx - size, fy
            shift = (dx, dy) if options.mode.startswith("duplex") else (0.0, 0.0)
            slots.append(Slot(back_page, bleed + bx + shift[0], bleed + by + shift[1],
                              counter.back))
        block = (bleed + x0, bleed + top - used_rows * pitch + gutter, bleed + x0 + block_w,
                 bleed + top)
        blocks.append(block)
        if options.mode.startswith("duplex"):
            back_pages.add(back_page)
            blocks.append(_mirror_block(block, options, paper_w, paper_h, bleed, dx, dy))
    pages = sheets * (2 if options.mode.startswith("duplex") else 1)
    return Plan(page_w, page_h, (bleed, bleed, bleed + paper_w, bleed + paper_h), columns,
                rows, per_page, pages, tuple(slots), tuple(blocks), frozenset(back_pages))


def _mirror_block(block, options, paper_w, paper_h, bleed, dx, dy):
    x0, y0, x1, y1 = (v - bleed for v in block)
    if options.mode == "duplex-short":
        return (bleed + x0 + dx, bleed + paper_h - y1 + dy, bleed + x1 + dx,
                bleed + paper_h - y0 + dy)
    return (bleed + paper_w - x1 + dx, bleed + y0 + dy, bleed + paper_w - x0 + dx,
            bleed + y1 + dy)


def render(counters: Sequence[Counter | None], layout: CounterLayout, options: SheetOptions,
           target: Path) -> Plan:
    """Write the counter sheets to ``target`` (atomically) and return the plan."""
    sheet_plan = plan(counters, options)
    with atomic_path(target) as temp:
        canvas = new_canvas(temp, (sheet_plan.page_width, sheet_plan.page_height),
                            options.title or "Counter sheets", pdfx=options.pdfx)
        drawer = FaceDrawer(canvas, layout, options.counter, keyline=options.keyline)
        by_page: dict[int, list[Slot]] = {}
        for slot in sheet_plan.slots:
            by_page.setdefault(slot.page, []).append(slot)
        bleed = options.counter_bleed * mm
        for page in range(sheet_plan.pages):
            _set_boxes(canvas, sheet_plan, options)
            drawer.begin_page()
            slots = by_page.get(page, [])
            for slot in slots:
                drawer.draw(slot.face, slot.x, slot.y, bleed)
            if options.guides:
                _safe_areas(canvas, slots, options.counter, layout.safe_margin * mm)
            if options.mode == "fold":
                _fold_line(canvas, sheet_plan)
            _cut_guides(canvas, slots, sheet_plan, options, drawer.keyline)
            _page_label(canvas, sheet_plan, options, page)
            canvas.showPage()
        canvas.save()
    return sheet_plan


def _set_boxes(canvas: Canvas, sheet_plan: Plan, options: SheetOptions) -> None:
    if options.page_bleed or options.pdfx:  # PDF/X wants a TrimBox on every page
        canvas.setTrimBox(sheet_plan.trim)
        bleed = options.page_bleed * mm
        x0, y0, x1, y1 = sheet_plan.trim
        canvas.setBleedBox((x0 - bleed, y0 - bleed, x1 + bleed, y1 + bleed))
    if options.trim_marks:
        crop_marks(canvas, sheet_plan.trim, options.page_bleed * mm, MARKS - 2 * mm)


def _edges(slots: Sequence[Slot], size: float):
    xs = sorted({round(v, 3) for s in slots for v in (s.x, s.x + size)})
    ys = sorted({round(v, 3) for s in slots for v in (s.y, s.y + size)})
    return xs, ys


def _cut_guides(canvas: Canvas, slots: Sequence[Slot], sheet_plan: Plan,
                options: SheetOptions, framed: bool) -> None:
    if not slots or options.cut == "none":
        return
    size = options.counter
    xs, ys = _edges(slots, size)
    x0, x1 = min(s.x for s in slots), max(s.x for s in slots) + size
    y0, y1 = min(s.y for s in slots), max(s.y for s in slots) + size
    canvas.saveState()
    canvas.setStrokeColor(HexColor("#000000"))
    if options.cut == "lines":
        # the cut runs along every counter edge; faces with a frame already draw it
        if not framed:
            canvas.setLineWidth(0.3)
            for slot in slots:
                canvas.rect(slot.x, slot.y, size, size, stroke=1, fill=0)
    else:
        canvas.setStrokeColor(REGISTRATION)
        canvas.setLineWidth(0.25)
        gap, tick = 2 * mm, 5 * mm
        for x in xs:
            canvas.line(x, y1 + gap, x, y1 + gap + tick)
            canvas.line(x, y0 - gap, x, y0 - gap - tick)
        for y in ys:
            canvas.line(x0 - gap, y, x0 - gap - tick, y)
            canvas.line(x1 + gap, y, x1 + gap + tick, y)
    if options.full_lines:
        canvas.setStrokeColor(HexColor("#9a9a9a"))
        canvas.setLineWidth(0.15)
        canvas.setDash(2, 2)
        for x in xs:
            canvas.line(x, 0, x, sheet_plan.page_height)
        for y in ys:
            canvas.line(0, y, sheet_plan.page_width, y)
    canvas.restoreState()


def _safe_areas(canvas: Canvas, slots: Sequence[Slot], size: float, margin: float) -> None:
    """Proof guides: the area inside each counter that cutting never touches."""
    canvas.saveState()
    canvas.setStrokeColor(HexColor("#00a0e0"))
    canvas.setLineWidth(0.2)
    canvas.setDash(1, 1)
    for slot in slots:
        canvas.rect(slot.x + margin, slot.y + margin, size - 2 * margin, size - 2 * margin,
                    stroke=1, fill=0)
    canvas.restoreState()


def _fold_line(canvas: Canvas, sheet_plan: Plan) -> None:
    trim_x0, trim_y0, trim_x1, trim_y1 = sheet_plan.trim
    middle = (trim_x0 + trim_x1) / 2
    canvas.saveState()
    canvas.setDash(3, 3)
    canvas.setLineWidth(0.4)
    canvas.line(middle, trim_y0 + 10 * mm, middle, trim_y1 - 10 * mm)
    canvas.setFont(fonts.LATIN, 7)
    canvas.drawRightString(middle - 3 * mm, trim_y0 + 8 * mm, "Front -> fold here")
    canvas.drawString(middle + 3 * mm, trim_y0 + 8 * mm, "<- Back")
    canvas.restoreState()


def _page_label(canvas: Canvas, sheet_plan: Plan, options: SheetOptions, page: int) -> None:
    trim_x0, trim_y0, trim_x1, _ = sheet_plan.trim
    side = ""
    if options.mode.startswith("duplex"):
        side = " - back" if page in sheet_plan.back_pages else " - front"
    sheet_no = page // 2 + 1 if options.mode.startswith("duplex") else page + 1
    text = f"{options.title}  sheet {sheet_no}{side}".strip()
    if options.mode.startswith("duplex") and page in sheet_plan.back_pages:
        text += f" ({options.mode.replace('duplex-', '')}-edge flip)"
    font, _ = fonts.font_for(text)
    canvas.saveState()
    canvas.setFont(font, 7)
    canvas.setFillColor(HexColor("#555555"))
    canvas.drawCentredString((trim_x0 + trim_x1) / 2, trim_y0 + max(4 * mm, options.margin
                                                                    * mm / 2), text)
    canvas.restoreState()


def render_calibration(options: SheetOptions, target: Path) -> None:
    """A two-page duplex test: crosses on the front, millimetre scales on the back.

    Print it duplex, hold it against the light, and read on each scale where the front's
    cross falls: that is the back offset (x, y in mm) to pass as --back-offset.
    """
    paper_w, paper_h = PAPERS[options.paper]
    points = [(paper_w * fx, paper_h * fy) for fx, fy in
              ((0.25, 0.25), (0.75, 0.25), (0.5, 0.5), (0.25, 0.75), (0.75, 0.75))]
    fonts.register()
    with atomic_path(target) as temp:
        canvas = new_canvas(temp, (paper_w, paper_h), "Duplex calibration")
        canvas.setFont(fonts.LATIN, 9)
        canvas.drawCentredString(paper_w / 2, paper_h - 15 * mm, "Duplex calibration: front")
        canvas.drawCentredString(paper_w / 2, paper_h - 20 * mm, "Print both pages duplex "
                                 f"({options.mode.replace('duplex-', '')}-edge flip), hold the "
                                 "sheet against the light,")
        canvas.drawCentredString(paper_w / 2, paper_h - 25 * mm, "and read on the back's scales "
                                 "where each cross lands: that is --back-offset X,Y in mm.")
        canvas.setLineWidth(0.3)
        for x, y in points:
            canvas.line(x - 8 * mm, y, x + 8 * mm, y)
            canvas.line(x, y - 8 * mm, x, y + 8 * mm)
            canvas.circle(x, y, 2 * mm)
        canvas.showPage()
        canvas.setFont(fonts.LATIN, 9)
        canvas.drawCentredString(paper_w / 2, paper_h - 15 * mm, "Duplex calibration: back "
                                 "(scales in mm; right and up are positive)")
        for x, y in points:
            if options.mode == "duplex-short":
                bx, by = x, paper_h - y
            else:
                bx, by = paper_w - x, y
            _scale(canvas, bx, by)
        canvas.showPage()
        canvas.save()


def _scale(canvas: Canvas, x: float, y: float) -> None:
    canvas.setLineWidth(0.25)
    canvas.line(x - 10 * mm, y, x + 10 * mm, y)
    canvas.line(x, y - 10 * mm, x, y + 10 * mm)
    canvas.setFont(fonts.LATIN, 4)
    for step in range(-10, 11):
        length = 2.5 * mm if step % 5 == 0 else 1.2 * mm
        # the tick where the front's cross shows through is the offset to apply to the backs
        canvas.line(x + step * mm, y - length / 2, x + step * mm, y + length / 2)
        canvas.line(x - length / 2, y + step * mm, x + length / 2, y + step * mm)
        if step % 5 == 0 and step:
            canvas.drawCentredString(x + step * mm, y - 4 * mm, f"{step:+d}")
            canvas.drawString(x + 2 * mm, y + step * mm - 1.2, f"{step:+d}")
