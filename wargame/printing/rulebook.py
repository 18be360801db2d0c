"""The rules booklet: the series rules with contents and bookmarks, worked examples, a
counter key ("how to read a counter", one real counter of each factor scheme and the
markers, every field named), the charts the rules use, and an index of terms."""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.units import inch, mm
from reportlab.platypus import (
    CondPageBreak, Flowable, NextPageTemplate, PageBreak, Paragraph, Spacer,
    Table, TableStyle,
)
from reportlab.platypus.tableofcontents import TableOfContents

from wargame.atomic import atomic_path
from wargame.counters import Counter, CounterLayout, Placement, one_line, unit_counter
from wargame.model import Catalog
from wargame.printing import charts, fonts
from wargame.printing.booklet import BookletTemplate, Heading, _toc_style, keep_headings
from wargame.printing.draw import FaceDrawer
from wargame.printing.flow import CounterStrip, drafting, kept, para, styles
from wargame.play.series import CHARTS, SeriesRules


class CounterKey(Flowable):
    """One counter drawn large, with a leader line from each field to its name."""

    def __init__(self, counter: Counter, layout: CounterLayout, labels: list[tuple[str, float,
                 float]], width: float, size: float = 1.1 * inch, line: float = 11):
        super().__init__()
        self.counter, self.layout, self.labels = counter, layout, labels
        self.size = size
        self.width = width
        self.line = line
        self.height = max(size, len(labels) * line) + 6

    def wrap(self, available_width, available_height):
        return self.width, self.height

    def draw(self):
        canvas = self.canv
        if drafting(canvas):
            return
        top = self.height - 3
        x0, y0 = 4, top - self.size
        drawer = FaceDrawer(canvas, self.layout, self.size)
        drawer.begin_page()
        drawer.draw(self.counter.front, x0, y0)
        label_x = x0 + self.size + 28
        anchors = [(x0 + fx * self.size, y0 + fy * self.size) for _, fx, fy in self.labels]
        rows = [top - 8 - index * self.line for index in range(len(self.labels))]
        order = uncrossed(anchors, [(label_x - 4, ly + 2.5) for ly in rows])
        for index, label in enumerate(order):
            text = self.labels[label][0]
            ly = rows[index]
            px, py = anchors[label]
            canvas.setStrokeColor(colors.HexColor("#c0002a"))
            canvas.setFillColor(colors.HexColor("#c0002a"))
            canvas.setLineWidth(0.5)
            canvas.circle(px, py, 1.3, stroke=0, fill=1)
            canvas.line(px, py, label_x - 4, ly + 2.5)
            canvas.setFillColor(colors.black)
            font, _ = fonts.font_for(text)
            text, size = fonts.fit(text, font, min(8, self.line - 2), 6,
                                   self.width - label_x - 2)
            canvas.setFont(font, size)
            canvas.drawString(label_x, ly, text)


def _crosses(a, b, c, d) -> bool:
    """Whether segments a-b and c-d cross (touching ends do not count)."""
    def side(p, q, r):
        return (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])
    return (side(a, b, c) * side(a, b, d) < 0) and (side(c, d, a) * side(c, d, b) < 0)


def _near(point, a, b, gap: float) -> bool:
    """Whether ``point`` lies within ``gap`` of segment a-b (away from its ends)."""
    (px, py), (ax, ay), (bx, by) = point, a, b
    dx, dy = bx - ax, by - ay
    length = dx * dx + dy * dy
    if not length:
        return False
    t = ((px - ax) * dx + (py - ay) * dy) / length
    if t <= 0.02 or t >= 0.98:
        return False
    cx, cy = ax + t * dx, ay + t * dy
    return (px - cx) ** 2 + (py - cy) ** 2 < gap * gap


def _crossings(anchors, slots, order) -> int:
    lines = [(anchors[a], slots[i]) for i, a in enumerate(order)]
    return sum(1 for i in range(len(lines)) for j in range(i + 1, len(lines))
               if _crosses(*lines[i], *lines[j]))


def _touches(anchors, slots, order, gap: float) -> int:
    """Leader lines that run over another line's anchor dot."""
    lines = [(anchors[a], slots[i]) for i, a in enumerate(order)]
    return sum(1 for i in range(len(lines)) for j in range(len(lines))
               if i != j and _near(lines[j][0], *lines[i], gap))


def uncrossed(anchors: list[tuple[float, float]], slots: list[tuple[float, float]],
              gap: float = 2.5) -> list[int]:
    """Which anchor each label slot (top first) takes so that no two leader lines cross:
    anchors top first, then any crossing pair swapped (each swap shortens the lines, so it
    ends); then swaps that keep the lines uncrossed and make fewer lines run over another's
    anchor dot, or shorter lines."""
    order = sorted(range(len(anchors)), key=lambda i: -anchors[i][1])
    for _ in range(200):
        pair = next(((i, j) for i in range(len(order)) for j in range(i + 1, len(order))
                     if _crosses(anchors[order[i]], slots[i], anchors[order[j]], slots[j])),
                    None)
        if pair is None:
            break
        i, j = pair
        order[i], order[j] = order[j], order[i]
    if _crossings(anchors, slots, order):
        return order

    def score(order):
        length = sum(((anchors[a][0] - slots[i][0]) ** 2 + (anchors[a][1] - slots[i][1]) ** 2)
                     ** 0.5 for i, a in enumerate(order))
        return _touches(anchors, slots, order, gap), length

    best = score(order)
    while True:
        found = None
        for i in range(len(order)):
            for j in range(i + 1, len(order)):
                trial = list(order)
                trial[i], trial[j] = trial[j], trial[i]
                if _crossings(anchors, slots, trial):
                    continue
                value = score(trial)
                if value < best and (found is None or value < found[0]):
                    found = (value, trial)
        if found is None:
            return order
        best, order = found


def _unit_labels(catalog: Catalog, unit, layout: CounterLayout, placement: Placement):
    """What each field of the unit's counter is, and where it sits on the face."""
    utype = catalog.types[unit.type]
    labels = [
        (f"Short name: {catalog.short_name(unit)} (designation and type)", layout.name.x,
         layout.name.y + layout.name.size * 0.3),
        (f"Symbol: {utype.name.lower()}, {unit.echelon} (size above the frame)",
         layout.symbol.x, layout.symbol.y),
        (f"Designation: {unit.designation}", layout.designation.x, layout.designation.y),
        (_factors_text(catalog, unit), layout.factors.x, layout.factors.y + 0.08),
    ]
    if unit.parent:
        labels.insert(3, (f"Parent formation: {unit.parent}", layout.parent.x,
                          layout.parent.y))
    if placement.location:
        labels.append((f"Set-up zone on the map: {placement.location}", layout.upper_left.x
                       + 0.05, layout.upper_left.y + 0.02))
    if placement.turn:
        labels.append((f"Turn of arrival: {placement.turn}", layout.upper_right.x - 0.03,
                       layout.upper_right.y + 0.02))
    if unit.reduced is not None:
        labels.append((f"Back: reduced side, {catalog.format_factors(unit, reduced=True)} "
                       "(see 2.3)", 0.85, 0.3))
    else:
        labels.append(("One step: no reduced side (see 2.3)", 0.85, 0.3))
    return labels


def _factors_text(catalog: Catalog, unit) -> str:
    """"Factors 2-2-5: 2 attack, 2 defence, 5 movement"."""
    scheme = catalog.scheme_of(unit)
    values = unit.factors
    names = scheme.labels or scheme.factors
    factors = scheme.separator.join(str(values[f]) for f in scheme.factors)
    spelled = ", ".join(f"{values[f]} {label.lower()}" for f, label in zip(scheme.factors, names))
    return f"Factors {factors}: {spelled}"


def counter_key(catalog: Catalog, layout: CounterLayout, markers, s, width: float,
                placements=None, compact: bool = False) -> list:
    """One annotated counter per factor scheme, then the markers, front and back. With
    ``placements`` (unit id -> its corners in a scenario) each sample shows its real set-up
    zone and turn of arrival, a reinforcement first so that both corners show. ``compact``
    (the player aid): only the first sample is annotated; each other kind is a small
    counter beside its factors and symbol."""
    placements = placements or {}
    out = [para("Every counter of the campaign follows one layout. Below is one real counter "
                "of each kind, drawn large, with each field named.", s["body"])]
    if compact:
        out = []
    seen: set[str] = set()
    others = []

    def sample_order(unit):
        placed = placements.get(unit.id)
        return (unit.reduced is None, not (placed and placed.turn), placed is None)

    for unit in sorted(catalog.units.values(), key=sample_order):
        scheme = catalog.scheme_of(unit)
        if scheme.id in seen:
            continue
        first = not seen
        seen.add(scheme.id)
        placement = placements.get(unit.id, Placement(None, None))
        counter = unit_counter(catalog, unit, placement)
        if compact and not first:
            utype = catalog.types[unit.type]
            others.append([CounterStrip([counter], layout, 0.5 * inch),
                           [para(f"{scheme.name}: {unit.name}", s["cell-bold"]),
                            para(f"{_factors_text(catalog, unit)}. Symbol: "
                                 f"{utype.name.lower()}, {unit.echelon}.", s["cell"])]])
            continue
        heading = para(f"{scheme.name}: {unit.name}", s["cell-bold" if compact else "h2"])
        labels = _unit_labels(catalog, unit, layout, placement)
        key = CounterKey(counter, layout, labels, width, size=0.9 * inch, line=9) if compact \
            else CounterKey(counter, layout, labels, width)
        out.append(kept([heading, key]))
    if others:
        # two kinds a row: a small counter beside its factors and symbol
        pairs = [others[i] + (others[i + 1] if i + 1 < len(others) else ["", ""])
                 for i in range(0, len(others), 2)]
        side = 0.5 * inch + 6
        text = width / 2 - side
        table = Table(pairs, colWidths=[side, text, side, text])
        table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), fonts.LATIN),
                                   ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                   ("LEFTPADDING", (0, 0), (-1, -1), 2),
                                   ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                                   ("TOPPADDING", (0, 0), (-1, -1), 1),
                                   ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]))
        out += [para("The other kinds of counter read the same way:", s["small"]), table]
    rows = []
    seen_marker: set[tuple[str, str]] = set()
    for marker in markers:
        front, back = one_line(marker.front), one_line(marker.back or marker.front)
        if (front, back) in seen_marker:
            continue  # one row for the same marker in two sides' colours
        seen_marker.add((front, back))
        rows.append([para(front, s["cell-bold"]), para(marker.front_means or "-", s["cell"])])
        if back != front or marker.back_means:
            rows.append([para(f"Its back: {back}", s["cell"]),
                         para(marker.back_means or marker.front_means or "-", s["cell"])])
    if rows:
        table = Table([[para("Marker", s["cell-bold"]), para("What it means", s["cell-bold"])]]
                      + rows, colWidths=[width * 0.3, width * 0.7])
        table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), fonts.LATIN),
                                   ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                   ("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
                                   ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e6e1d3"))]))
        out += [para("Markers", s["h2"]), table]
    return out


def rulebook_story(rules: SeriesRules, game_rules, catalog: Catalog, layout: CounterLayout,
                   markers, width: float, placements=None) -> list:
    """The flowables of the rules booklet."""
    s = styles()

    def heading(text: str, level: int):
        return Heading(text, s["h1"] if level == 0 else s["h2"], level)

    story: list = [Spacer(1, 50 * mm), para(rules.title, s["title"])]
    if rules.subtitle:
        story.append(para(rules.subtitle, s["subtitle"]))
    story += [Spacer(1, 8 * mm), para("Series rules, counter key, charts and index",
                                      s["centre"]), NextPageTemplate("body"), PageBreak()]
    toc = TableOfContents()
    toc.tableStyle = TableStyle([("FONTNAME", (0, 0), (-1, -1), fonts.LATIN),
                                 ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                 ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                 ("RIGHTPADDING", (0, 0), (-1, -1), 0)])
    toc.levelStyles = [_toc_style(s, 0), _toc_style(s, 1)]
    story += [para("Contents", s["h1"]), toc, PageBreak()]
    examples = {}
    for example in rules.examples:
        examples.setdefault(example.section, []).append(example)
    for section in rules.sections:
        story.append(CondPageBreak(60 * mm))
        story.append(heading(f"{section.number}.0 {section.title}", 0))
        if section.text:
            story.append(para(section.text, s["body"]))
        uses = []
        if section.uses:
            names = [_name_of(name, game_rules) for name in section.uses]
            uses = [para("Tables and charts: " + "; ".join(names) + " (see Charts and "
                         "tables).", s["small"])]
        for index, case in enumerate(section.cases):
            steps = [Paragraph(escape(step), s["step"], bulletText=f"{chr(65 + i)}.")
                     for i, step in enumerate(case.steps)]
            # the section's list of charts stays with its last case, not atop the next page
            last = uses if index == len(section.cases) - 1 else []
            story.append(kept([
                heading(f"{case.number} {case.title}", 1), para(case.text, s["body"]),
                *steps, *last]))
        if not section.cases:
            story += uses
        for example in examples.get(section.number, []):
            box = Table([[para(f"Example: {example.title}", s["cell-bold"])],
                         [para(example.text, s["body"])]], colWidths=[width])
            box.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), fonts.LATIN),
                                     ("BACKGROUND", (0, 0), (-1, -1),
                                      colors.HexColor("#f1ede2")),
                                     ("BOX", (0, 0), (-1, -1), 0.5, colors.HexColor("#8a7d5c")),
                                     ("LEFTPADDING", (0, 0), (-1, -1), 6),
                                     ("RIGHTPADDING", (0, 0), (-1, -1), 6)]))
            story += [kept([Spacer(1, 4), box]), Spacer(1, 6)]
    story += [PageBreak(), heading("How to read a counter", 0)]
    story += counter_key(catalog, layout, markers, s, width, placements)
    story += [PageBreak(), heading("Charts and tables", 0)]
    for name in rules.used():
        story += _chart(name, game_rules, s, width)
    story += [PageBreak(), heading("Index of terms", 0)]
    rows = [[para(term, s["cell"]), para(", ".join(numbers) or "-", s["cell"])]
            for term, numbers in sorted(rules.index().items(), key=lambda kv: kv[0].lower())]
    index = Table([[para("Term", s["cell-bold"]), para("Rules", s["cell-bold"])]] + rows,
                  colWidths=[width * 0.4, width * 0.6], repeatRows=1)
    index.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), fonts.LATIN),
                               ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.grey)]))
    story.append(index)
    return story


def _name_of(name: str, game_rules) -> str:
    if name == "terrain":
        return "Terrain Effects Chart"
    if name == "modifiers":
        return "Modifiers"
    if name in game_rules.tables:
        return game_rules.tables[name].name
    return f"procedure: {game_rules.procedures[name].name}"


def _chart(name: str, game_rules, s, width: float) -> list:
    if name == "terrain":
        return charts.terrain_chart(game_rules, s, width)
    if name == "modifiers":
        return charts.modifiers_chart(game_rules, s, width)
    if name in game_rules.tables:
        return charts.results_table(game_rules.tables[name], s, width)
    procedure = game_rules.procedures[name]
    steps = [f"{i}. {game_rules.tables[stage.table].name}"
             for i, stage in enumerate(procedure.stages, start=1)]
    return [para(f"Procedure: {procedure.name}", s["h2"]), para("; ".join(steps) + ".",
                                                                  s["body"])]


def render_rulebook(rules: SeriesRules, game_rules, catalog: Catalog, settings, target: Path,
                    paper: str = "letter", campaign: str = "East Asia 1950",
                    placements=None, pdfx: str | None = None) -> int:
    """Write the rules booklet atomically; returns its page count. ``placements``: the
    units' corners in the scenarios, for the counter key's samples; ``pdfx``: the output
    condition of a print shop's file."""
    assert set(rules.used()) - set(CHARTS) <= set(game_rules.tables) | set(
        game_rules.procedures)  # checked when the rules were loaded
    with atomic_path(target) as temp:
        doc = BookletTemplate(temp, f"{rules.title}: series rules", campaign, paper,
                              pdfx=pdfx)
        doc.multiBuild(keep_headings(rulebook_story(rules, game_rules, catalog, settings.layout,
                                                    settings.markers, doc.width, placements)))
        pages = doc.page
    return pages
