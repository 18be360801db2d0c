"""Scenario booklets: cover, contents with page numbers and PDF bookmarks, background,
special rules, set-up, reinforcements, victory, turn record track, order of battle, charts,
designer's notes and sources. Running heads and page numbers on every body page."""

from __future__ import annotations

import re
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate, Flowable, Frame, NextPageTemplate, PageBreak, PageTemplate, Paragraph,
    Spacer, Table, TableStyle,
)
from reportlab.platypus.tableofcontents import TableOfContents

from wargame.atomic import atomic_path
from wargame.counters import PrintFile
from wargame.loading.rules import Rules
from wargame.model import Catalog
from wargame.printing import charts, fonts
from wargame.printing.flow import (
    data_table, drafting, fit_widths, kept, para, paragraphs, styles,
)
from wargame.printing.oob import oob_flowables
from wargame.printing.pdf import BLEED, MARKS, pdfx_canvas_maker, press_page
from wargame.scenarios.model import Scenario, by_turn, dates_text

PAPERS = {"a4": A4, "letter": LETTER}
MARGIN = 18 * mm


class Heading(Paragraph):
    """A heading that becomes a contents entry and a PDF bookmark."""

    def __init__(self, text: str, style, level: int):
        from xml.sax.saxutils import escape

        super().__init__(escape(text), style)
        self.plain = text
        self.level = level


def _has_contents_and_headings(story) -> bool:
    found = set()

    def walk(flowables):
        for flowable in flowables:
            if isinstance(flowable, TableOfContents):
                found.add("contents")
            elif isinstance(flowable, Heading):
                found.add("heading")
            walk(getattr(flowable, "_content", ()) or ())

    walk(story)
    return found == {"contents", "heading"}


class BookletTemplate(BaseDocTemplate):
    """Cover page, then body pages with a running head and page numbers.

    With ``pdfx`` (an output condition) the pages are a print shop's: PDF/X-1a in CMYK,
    each trim inside 3 mm of bleed and room for crop marks, the cover's bar running into
    the bleed."""

    def __init__(self, target, title: str, campaign: str, paper: str, cover: bool = True,
                 landscape: bool = False, columns: int = 1, margin: float = MARGIN,
                 pdfx: str | None = None):
        page = PAPERS[paper]
        if landscape:
            page = (page[1], page[0])
        self.margin = margin
        self.trim_size = page
        self.pdfx = pdfx
        edge = BLEED + MARKS if pdfx else 0.0
        self.edge = edge
        super().__init__(str(target), pagesize=(page[0] + 2 * edge, page[1] + 2 * edge),
                         leftMargin=margin + edge, rightMargin=margin + edge,
                         topMargin=margin + 6 * mm + edge, bottomMargin=margin + edge,
                         title=title, author=campaign, creator="wargame", invariant=1,
                         initialFontName=fonts.LATIN)
        self.title_text = title
        self.campaign = campaign
        gap = 7 * mm
        column_width = (self.width - gap * (columns - 1)) / columns
        frames = [Frame(self.leftMargin + i * (column_width + gap), self.bottomMargin,
                        column_width, self.height, id=f"column{i}") for i in range(columns)]
        templates = [PageTemplate("body", frames, onPage=self._body_page)]
        if cover:
            single = Frame(self.leftMargin, self.bottomMargin, self.width, self.height,
                           id="cover")
            templates.insert(0, PageTemplate("cover", [single], onPage=self._cover_page))
        self.addPageTemplates(templates)
        self.column_width = column_width
        self._heading_count = 0
        self.passes = 0
        # only multiBuild's first pass drafts: a single build draws everything
        self._may_draft = False

    @property
    def drafting(self) -> bool:
        """Whether this pass only lays the pages out (to learn the contents' page numbers),
        so pictures may be left undrawn: the first of several passes."""
        return self._may_draft and self.passes == 1

    def handle_documentBegin(self):
        self._heading_count = 0  # the same keys on every pass of multiBuild
        self.passes += 1
        super().handle_documentBegin()

    def multiBuild(self, story, **options):
        """Lay out and draw the story. With contents and a heading for them, the first pass
        only learns page numbers and can never be the last, so pictures are drawn only on
        the passes after it."""
        self._may_draft = _has_contents_and_headings(story)
        options.setdefault("canvasmaker", pdfx_canvas_maker(self.pdfx))
        return super().multiBuild(story, **options)

    def build(self, flowables, **options):
        """Lay out and draw ``flowables`` in one pass."""
        options.setdefault("canvasmaker", pdfx_canvas_maker(self.pdfx))
        return super().build(flowables, **options)

    def _trim(self, canvas) -> tuple[float, float]:
        """Begin a page: on a print shop's page, its boxes and crop marks, and the origin
        moved to the trim's corner. Returns the trim's size."""
        if self.pdfx:
            press_page(canvas, self.trim_size)
            canvas.translate(self.edge, self.edge)
        return self.trim_size

    def _cover_page(self, canvas, doc):
        canvas.saveState()
        width, height = self._trim(canvas)
        canvas.setFillColor(colors.HexColor("#2b2b2b"))
        # the bar touches the trim at the top and sides: on a shop's page it runs into
        # the bleed, so a cut a little off leaves no white edge
        bleed = BLEED if self.pdfx else 0.0
        canvas.rect(-bleed, height - 14 * mm, width + 2 * bleed, 14 * mm + bleed, stroke=0,
                    fill=1)
        canvas.setFillColor(colors.white)
        font, _ = fonts.font_for(self.campaign)
        canvas.setFont(font, 11)
        canvas.drawCentredString(width / 2, height - 9 * mm, self.campaign)
        canvas.restoreState()

    def _body_page(self, canvas, doc):
        canvas.saveState()
        width, height = self._trim(canvas)
        font, _ = fonts.font_for(self.title_text + self.campaign)
        canvas.setFont(font, 8)
        canvas.setFillColor(colors.HexColor("#555555"))
        margin = self.margin
        canvas.drawString(margin, height - margin + 1 * mm, self.title_text)
        canvas.drawRightString(width - margin, height - margin + 1 * mm, self.campaign)
        canvas.setStrokeColor(colors.HexColor("#999999"))
        canvas.setLineWidth(0.4)
        canvas.line(margin, height - margin, width - margin, height - margin)
        canvas.setFont(fonts.LATIN, 8)
        canvas.drawCentredString(width / 2, max(4 * mm, margin - 8 * mm), str(doc.page))
        canvas.restoreState()

    def afterFlowable(self, flowable):
        if isinstance(flowable, Heading):
            self._heading_count += 1
            key = f"h{self._heading_count}"
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(flowable.plain, key, level=flowable.level, closed=False)
            self.notify("TOCEntry", (flowable.level, flowable.plain, self.page, key))


class MapFlowable(Flowable):
    """The whole scenario map at reduced scale, set-up zones outlined with their codes."""

    def __init__(self, game_map, width: float, max_height: float):
        from wargame.printing.mapdraw import map_extent

        super().__init__()
        self.game_map = game_map
        self.window = map_extent(game_map)
        units_w = self.window.x1 - self.window.x0
        units_h = self.window.y1 - self.window.y0
        self.hex_pt = min(width / units_w, max_height / units_h)
        self.width, self.height = units_w * self.hex_pt, units_h * self.hex_pt

    def wrap(self, available_width, available_height):
        return self.width, self.height

    def draw(self):
        from wargame.printing.mapdraw import MapPainter

        if drafting(self.canv):
            return
        MapPainter(self.game_map, self.hex_pt).draw(self.canv, self.window, 0, self.height,
                                                    numbers=self.hex_pt > 16, detail=True)
        self.canv.setStrokeColor(colors.black)
        self.canv.rect(0, 0, self.width, self.height, stroke=1, fill=0)


def booklet_story(scenario: Scenario, catalog: Catalog, rules: Rules, settings: PrintFile,
                  width: float, game_map=None, height: float = 200 * mm, play=None) -> list:
    from wargame.printing import scenario_rules

    s = styles()
    theatre = scenario_rules.theatre_for(scenario, catalog, rules, play, game_map)

    def heading(text: str, level: int):
        return Heading(text, s["h1"] if level == 0 else s["h2"], level)

    story: list = []
    # ---- cover
    story += [Spacer(1, 45 * mm), para(scenario.name, s["title"])]
    if scenario.subtitle:
        story.append(para(scenario.subtitle, s["subtitle"]))
    story += [Spacer(1, 10 * mm),
              para(f"{scenario.theatre}", s["centre"]),
              para(f"{scenario.start} to {scenario.end}: {scenario.turns} turns of "
                   f"{scenario.turn_length}", s["centre"]),
              para(" against ".join(side.name for side in scenario.sides), s["centre"])]
    if scenario.basis == "story":
        story += [Spacer(1, 8 * mm), para(
            "This scenario follows the campaign's alternate history: it did not happen. Units "
            "and figures that exist only in the story are marked S.", s["centre"])]
    story += [NextPageTemplate("body"), PageBreak()]
    # ---- contents
    toc = TableOfContents()
    toc.tableStyle = TableStyle([("FONTNAME", (0, 0), (-1, -1), fonts.LATIN),
                                 ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                 ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                                 ("LEFTPADDING", (0, 0), (-1, -1), 0)])
    toc.levelStyles = [
        _toc_style(s, 0), _toc_style(s, 1)]
    story += [para("Contents", s["h1"]), toc, PageBreak()]
    # ---- text sections
    story.append(heading("Background", 0))
    story += paragraphs(scenario.background, s["body"])
    story.append(heading("Playing the scenario", 0))
    story += scenario_rules.playing(scenario, s, catalog)
    story.append(heading("Special rules", 0))
    if not scenario.special_rules:
        story.append(para("None: play with the standard rules.", s["body"]))
    for number, rule in enumerate(scenario.special_rules, start=1):
        cases = f" (see {', '.join(rule.cases)})" if rule.cases else ""
        story += [heading(f"{number}. {rule.title}", 1),
                  *paragraphs(rule.text + cases, s["body"])]
    if game_map is not None:
        info = game_map.info
        story += [PageBreak(), heading("The map", 0), para(
            f"{info.name}: {info.cols} columns by {info.rows} rows of hexes, "
            f"{info.hex_km:g} km across. The overview shows the set-up zones with the codes "
            "printed on the counters; the full-size map is printed separately (tiled for a "
            "home printer, or on one sheet).", s["body"]),
                  MapFlowable(game_map, width, height - 40 * mm), PageBreak()]
    story.append(heading("Set-up", 0))
    if theatre is not None:
        story += scenario_rules.setup_tables(scenario, catalog, s, width, theatre, heading)
    else:
        story += _setup_section(scenario, catalog, s, width, game_map, heading)
    story.append(heading("Reinforcements", 0))
    story += scenario_rules.reinforcement_tables(scenario, catalog, s, width, game_map,
                                                 heading)
    story.append(heading("Victory conditions", 0))
    story += scenario_rules.victory_section(scenario, catalog, s, game_map)
    story.append(heading("Turn record track", 0))
    story += _turn_track(scenario, s, width)
    story.append(heading("Order of battle", 0))
    story += oob_flowables(scenario, catalog, settings, s, width, heading)
    story += [PageBreak(), heading("Charts and tables", 0)]
    for table_id in scenario.tables:
        story += charts.results_table(rules.tables[table_id], s, width)
    # only the terrain and modifiers this scenario's tables use
    used = set(scenario.tables)
    terrain = [t.id for t in rules.terrain.values() if not t.tables or set(t.tables) & used]
    if terrain and used & {t for spec in rules.terrain.values() for t in spec.tables}:
        story += charts.terrain_chart(rules, s, width, only=set(terrain))
    if any(not m.tables or set(m.tables) & used for m in rules.modifiers.values()):
        story += charts.modifiers_chart(rules, s, width, tables=used)
    if any(set(st.table for st in p.stages) <= used for p in rules.procedures.values()):
        story += charts.procedures_chart(rules, s, width)
    story.append(heading("Designer's notes", 0))
    story += paragraphs(scenario.designer_notes or "None.", s["body"])
    story.append(heading("Sources", 0))
    keys = set(scenario.sources) | {k for e in scenario.setup
                                     for k in catalog.units[e.unit].sources}
    from reportlab.lib.styles import ParagraphStyle

    # each entry hangs from its key, with a little air between entries
    hanging = ParagraphStyle("source", parent=s["small"], leftIndent=14, firstLineIndent=-14,
                             spaceAfter=1.5)
    for key in sorted(keys, key=natural_key):  # K2 before K10, as a reader looks them up
        story.append(source_entry(key, catalog.sources[key], hanging))
    return story


def natural_key(text: str) -> tuple:
    """'K10' after 'K9': digits compared as numbers."""
    return tuple(int(part) if part.isdigit() else part
                 for part in re.split(r"(\d+)", text))


def source_entry(key: str, source, style):
    """One entry of a bibliography: key, publisher, title (a *title* in italics) and where
    to read it, every part escaped."""
    from xml.sax.saxutils import escape

    title = re.sub(r"\*([^*]+)\*", r"<i>\1</i>", escape(source.title))
    from urllib.parse import unquote

    # who published it first, then what it gives, then where to read it
    site = f"{escape(source.site)}: " if source.site else ""
    # an address as a reader types it: percent-escapes of Cyrillic or Chinese shown as text
    where = f" {escape(unquote(source.url, errors='replace'))}" if source.url else ""
    return Paragraph(f"[{escape(key)}] {site}{title}.{where}".replace("..", "."), style)


def keep_headings(story: list) -> list:
    """Bind each heading (or run of headings) to the flowable after it, so no heading is
    left alone at the foot of a page (reportlab's keepWithNext does not hold before a
    KeepTogether)."""
    out: list = []
    index = 0
    while index < len(story):
        if not isinstance(story[index], Heading):
            out.append(story[index])
            index += 1
            continue
        end = index
        while end < len(story) and isinstance(story[end], Heading):
            end += 1
        if end < len(story) and not isinstance(story[end], PageBreak):
            end += 1
        out.append(kept(story[index:end]))
        index = end
    return out


def _toc_style(s, level):
    from reportlab.lib.styles import ParagraphStyle

    return ParagraphStyle(f"toc{level}", parent=s["latin"], fontName=fonts.LATIN_BOLD if
                          level == 0 else fonts.LATIN, fontSize=10 if level == 0 else 9,
                          leftIndent=12 * level, leading=14 if level == 0 else 12)


def _setup_section(scenario, catalog, s, width, game_map=None, heading=None):
    if game_map is None:
        out = [para("Each unit starts in the area whose code is printed in the upper-left "
                    "corner of its counter.", s["body"])]
    else:
        out = [para("Each unit starts in the zone whose code is printed in the upper-left "
                    "corner of its counter, in any hex of that zone (a ship in a sea hex or a "
                    "port); units of a holding box start in that box beside the map.",
                    s["body"])]
    for side in scenario.sides:
        rows = []
        for area in scenario.areas:
            entries = [e for e in scenario.setup if e.area == area.id and e.turn == 0
                       and catalog.units[e.unit].faction in side.factions]
            if not entries:
                continue
            where = area.name + (f": {area.notes}" if area.notes else "")
            if game_map is not None:
                hexes = game_map.zones[area.id].hexes if area.id in game_map.zones else ()
                where += f" (hexes {', '.join(hexes)})" if hexes else " (holding box)"
            rows.append([f"{area.code}", where, ", ".join(_unit_at(catalog, e) for e in entries)])
        title = f"{side.name} sets up"
        out.append(heading(title, 1) if heading else para(title, s["h2"]))
        if not rows:
            out.append(para("No units on the map at start.", s["body"]))
            continue
        out.append(data_table(["Code", "Zone" if game_map is not None else "Area",
                               "Units at start"], rows, fit_widths([0.7, 3.6, 6.1], width), s))
    return out


def _unit_at(catalog, entry) -> str:
    unit = catalog.units[entry.unit]
    factors = catalog.format_factors(unit, reduced=entry.reduced)
    return f"{unit.name} ({factors}{', reduced' if entry.reduced else ''})" + (
        f" in hex {entry.hex}" if entry.hex else "")


def _turn_track(scenario, s, width):
    per_row = 10
    arrivals = {turn: len(entries) for turn, entries in by_turn(scenario).items() if turn}
    cells = []
    for turn, days in enumerate(scenario.turn_days(), start=1):
        note = f"+{arrivals[turn]}" if turn in arrivals else ""
        cells.append([para(str(turn), s["cell-bold"]), para(dates_text(*days), s["cell"]),
                      para(note, s["cell-bold"])])
    rows = [cells[i:i + per_row] for i in range(0, len(cells), per_row)]
    rows[-1] += [""] * (per_row - len(rows[-1]))
    box = width / per_row
    table = Table(rows, colWidths=[box] * per_row, rowHeights=[box * 0.8] * len(rows))
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), fonts.LATIN),
                               ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
                               ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 2),
                               ("TOPPADDING", (0, 0), (-1, -1), 2)]))
    return [kept([table, para("Each box: the turn, the days it stands for, and how "
                              "many units arrive that turn (+N).", s["small"])])]


def render_booklet(scenario: Scenario, catalog: Catalog, rules: Rules, settings: PrintFile,
                   target: Path, paper: str = "letter", campaign: str = "East Asia 1950",
                   game_map=None, play=None, pdfx: str | None = None) -> int:
    """Write the booklet atomically; returns its page count. With the map and the rules of
    play, the set-up gives every unit's exact hex; with ``pdfx`` it is a print shop's."""
    with atomic_path(target) as temp:
        doc = BookletTemplate(temp, scenario.name, campaign, paper, pdfx=pdfx)
        doc.multiBuild(keep_headings(booklet_story(scenario, catalog, rules, settings,
                                                   doc.width, game_map, doc.height, play)))
        pages = doc.page
    return pages


def render_oob(scenario: Scenario, catalog: Catalog, settings: PrintFile, target: Path,
               paper: str = "letter", campaign: str = "East Asia 1950",
               pdfx: str | None = None) -> int:
    """Order-of-battle sheets of a scenario, every side; returns the page count."""
    s = styles()

    def heading(text: str, level: int):
        return Heading(text, s["h1"] if level == 0 else s["h2"], level)

    with atomic_path(target) as temp:
        doc = BookletTemplate(temp, f"{scenario.name}: order of battle", campaign, paper,
                              cover=False, pdfx=pdfx)
        story = [heading(f"{scenario.name}: order of battle", 0),
                 para(f"{scenario.start} to {scenario.end}, {scenario.turns} turns of "
                      f"{scenario.turn_length}.", s["body"])]
        story += oob_flowables(scenario, catalog, settings, s, doc.width, heading)
        doc.multiBuild(story)
        pages = doc.page
    return pages


def render_aids(rules: Rules, target: Path, paper: str = "letter",
                campaign: str = "East Asia 1950", series=None, catalog: Catalog | None = None,
                settings: PrintFile | None = None, placements=None,
                pdfx: str | None = None) -> int:
    """The player aid card: the sequence of play and the counter key (when the series rules
    and the catalogue are given; ``placements``: the samples' corners in the scenarios),
    every table, the terrain chart, modifiers and procedures, on landscape pages in two
    columns. Returns the page count."""
    s = styles(scale=0.8)  # 6-point cells, as dense as a published game's aid card
    with atomic_path(target) as temp:
        doc = BookletTemplate(temp, "Player aid card", campaign, paper, cover=False,
                              landscape=True, columns=2, margin=9 * mm, pdfx=pdfx)
        width = doc.column_width
        story = []
        if series is not None:
            story += _sequence_of_play(series, s)
        ordered = sorted(rules.tables.values(), key=lambda t: t.id != "land")  # land CRT first
        for table in ordered:
            story += charts.results_table(table, s, width)
        story += charts.terrain_chart(rules, s, width)
        story += charts.procedures_chart(rules, s, width)
        if series is not None and catalog is not None and settings is not None:
            from wargame.printing.rulebook import counter_key

            key = counter_key(catalog, settings.layout, (), s, width, placements, compact=True)
            story += [kept([para("How to read a counter", s["h2"]), key[0]])] + key[1:]
        story += charts.modifiers_chart(rules, s, width, short=True)
        if rules.attrition:
            # a continuous formula cannot be worked at the table: the command works it out
            story.append(para("Attrition in men and tanks (optional rule): the command "
                              f"wargame resolve --attrition {next(iter(rules.attrition))} "
                              "works it out, and wargame odds --attrition gives its odds.",
                              s["small"]))
        doc.build(story)
        pages = doc.page
    return pages


def _sequence_of_play(series, s) -> list:
    """The turn outline of the series rules (section 3): its lettered phases, one a line."""
    section = next((x for x in series.sections if x.title.lower().startswith("sequence")),
                   None)
    if section is None:
        return []
    out = [para("Sequence of play", s["h2"])]
    # the phases, as a published aid prints them; the other cases are the rulebook's
    for case in [c for c in section.cases if c.steps] or section.cases[:1]:
        out.append(para(f"{case.number} {case.title}", s["cell-bold"]))
        out.append(para(case.text, s["small"]))
        out += [para(f"{chr(65 + i)}. {step}", s["small"]) for i, step in enumerate(case.steps)]
    return out + [Spacer(1, 6)]
