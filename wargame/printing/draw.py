"""Drawing one counter face with reportlab's canvas, following a CounterLayout."""

from __future__ import annotations

from functools import cache

import attrs
from reportlab.lib.colors import HexColor
from reportlab.lib.units import mm

from wargame.counters import CounterLayout, Face, TextSlot
from wargame.printing import fonts
from wargame.printing.symbols import LAND_FRAME_WIDTH, SymbolForms


@cache
def _colour(value: str):
    """A '#rrggbb' colour, parsed once: faces of a sheet repeat a few dozen."""
    return HexColor(value)


class FaceDrawer:
    """Draws faces of one size on one canvas; symbol forms are shared across the document."""

    def __init__(self, canvas, layout: CounterLayout, size: float, keyline: bool = True):
        self.canvas = canvas
        self.keyline = keyline and layout.border > 0
        self.layout = layout
        self.size = size
        self.symbols = SymbolForms.of(canvas)
        self.safe = layout.safe_margin * mm
        self._placements: dict = {}
        self._runs: dict = {}  # placed text -> the text-object operators that show it
        fonts.register()

    def begin_page(self) -> None:
        """Page-wide state every face relies on: the frame's stroke colour and width."""
        self.canvas.setStrokeColor(_colour("#000000"))
        self.canvas.setLineWidth(self.layout.border)

    def draw(self, face: Face, x: float, y: float, bleed: float = 0.0) -> None:
        """Draw ``face`` with its lower-left corner at (x, y); colour runs ``bleed`` beyond.

        Call :meth:`begin_page` once on each page first. Output is kept small: one text
        object per face, coordinates to 0.01 pt (a 10,000-counter sheet stays compact).
        """
        c, s, layout = self.canvas, self.size, self.layout
        # Each face is drawn at the origin of its own translated space: the operators of
        # faces that share a layout then repeat byte for byte and compress to little.
        c.saveState()
        c.translate(round(x, 2), round(y, 2))
        x = y = 0.0
        c.setFillColor(_colour(face.fill))
        c.rect(x - bleed, y - bleed, s + 2 * bleed, s + 2 * bleed, stroke=0, fill=1)
        if face.stripe:
            c.setFillColor(_colour(face.stripe))
            c.rect(x - bleed, round(y + layout.stripe_y * s, 2), s + 2 * bleed,
                   round(layout.stripe_height * s, 2), stroke=0, fill=1)
        if face.title:
            c.setFillColor(_colour(face.ink))
            self._title(face.title, x, y)
        else:
            if face.sidc:
                self._symbol(face, x, y)
            c.setFillColor(_colour(face.ink))
            slots = [(face.factors, layout.factors), (face.designation, layout.designation),
                     (face.parent, layout.parent), (face.name, self._name_slot(face)),
                     (face.upper_left, layout.upper_left), (face.upper_right, layout.upper_right)]
            self._texts([(text, slot) for text, slot in slots if text and slot.show], x, y,
                        face.ink)
        if self.keyline:
            c.rect(x, y, s, s, stroke=1, fill=0)
        c.restoreState()

    def _name_slot(self, face: Face) -> TextSlot:
        """The name line, narrowed to leave room for corner texts on the same line."""
        slot = self.layout.name
        corners = [(face.upper_left, self.layout.upper_left),
                   (face.upper_right, self.layout.upper_right)]
        taken = 0.0
        for text, corner in corners:
            # only a corner whose text box overlaps the name's line takes room from it
            overlap = (corner.y - 0.24 * corner.size < slot.y + 0.93 * slot.size
                       and slot.y - 0.24 * slot.size < corner.y + 0.93 * corner.size)
            if text and corner.show and overlap:
                font, _ = fonts.font_for(text, corner.weight == "bold")
                edge = corner.x if corner.align == "left" else 1 - corner.x
                used = edge + fonts.width(text, font, corner.size * self.size) / self.size
                taken = max(taken, used + 0.03)
        if not taken:
            return slot
        return attrs.evolve(slot, length=min(slot.length or 1.0, 1 - 2 * taken))

    def _symbol(self, face: Face, x: float, y: float) -> None:
        slot = self.layout.symbol
        scale = slot.width * self.size / LAND_FRAME_WIDTH
        name, takes_ink = self.symbols.form(face.sidc, face.ink)
        c = self.canvas
        c.saveState()
        if takes_ink:
            c.setFillColor(_colour(face.ink))
            c.setStrokeColor(_colour(face.ink))
        c.transform(round(scale, 4), 0, 0, round(scale, 4), round(x + slot.x * self.size, 2),
                    round(y + slot.y * self.size, 2))
        c.doForm(name)
        c.restoreState()

    def _room(self, slot: TextSlot) -> float:
        """How long a run of text may be, inside the safe area."""
        s = self.size
        along = slot.y if slot.rotate else slot.x
        if slot.align == "left" and not slot.rotate:
            room = (1 - along) * s - self.safe
        elif slot.align == "right" and not slot.rotate:
            room = along * s - self.safe
        else:
            room = 2 * min(along * s - self.safe, (1 - along) * s - self.safe)
        if slot.length:
            room = min(room, slot.length * s)
        return room

    def _inward(self, low: float, high: float, origin: float) -> float:
        """How far to move a run spanning low..high (one axis) to lie in the safe area of a
        face starting at ``origin``: nothing a cutter trims may carry text."""
        first, last = origin + self.safe + 0.01, origin + self.size - self.safe - 0.01
        if low < first:
            return first - low
        if high > last:
            return last - high
        return 0.0

    def _placed(self, text: str, slot: TextSlot, x: float, y: float):
        """(font, text as fitted, size, text matrix, fake bold) of a field at a face whose
        corner is (x, y); remembered per field, as faces of one sheet repeat their factors,
        parents and corners."""
        key = (text, slot, x, y)
        placed = self._placements.get(key)
        if placed is None:
            placed = self._placements[key] = self._place(text, slot, x, y)
        return placed

    def _place(self, text: str, slot: TextSlot, x: float, y: float):
        font, fake_bold = fonts.font_for(text, bold=slot.weight == "bold")
        text, size = fonts.fit(text, font, slot.size * self.size,
                               slot.min_size * self.size, self._room(slot))
        run = fonts.width(text, font, size)
        start = {"left": 0.0, "right": -run}.get(slot.align, -run / 2)
        ax, ay = x + slot.x * self.size, y + slot.y * self.size
        ascent, descent = fonts.extent(font, size)
        pad = 0.15 if fake_bold else 0.0  # the outline stroke of a fake bold
        if slot.rotate:
            # along the rotated axis: start at -run/2, and centre the caps on the axis
            sign = 1 if slot.rotate == 90 else -1
            tx, ty = ax + sign * size * 0.36, ay + sign * start
            # glyphs lie across the axis from the baseline: -ascent..-descent (x90)
            low, high = sorted((tx - sign * ascent, tx - sign * descent))
            tx += self._inward(low - pad, high + pad, x)
            along_low, along_high = sorted((ty, ty + sign * run))
            ty += self._inward(along_low - pad, along_high + pad, y)
            matrix = (0, sign, -sign, 0, round(tx, 2), round(ty, 2))
        else:
            tx, ty = ax + start, ay
            tx += self._inward(tx - pad, tx + run + pad, x)
            ty += self._inward(ty + descent - pad, ty + ascent + pad, y)
            matrix = (1, 0, 0, 1, round(tx, 2), round(ty, 2))
        return font, text, size, matrix, fake_bold

    def _texts(self, items, x: float, y: float, ink: str) -> None:
        """All text fields of a face in one text object; rotation through the text matrix."""
        if not items:
            return
        c = self.canvas
        text_object = c.beginText()
        fake_bold_used = False  # render mode currently set in the text object
        any_fake_bold = False
        for text, slot in items:
            placed = self._placed(text, slot, x, y)
            font, text, size, matrix, fake_bold = placed
            if fake_bold != fake_bold_used:
                text_object.setTextRenderMode(2 if fake_bold else 0)
                fake_bold_used = fake_bold
            any_fake_bold |= fake_bold
            run = self._runs.get(placed)
            if run is None:
                # the operators of one placed run (its matrix, font and encoded glyphs) do
                # not depend on what came before it in the text object, since the font is
                # set anew: they are made once a sheet and repeated
                start = len(text_object._code)
                text_object.setTextTransform(*matrix)
                text_object.setFont(font, round(size, 2))
                text_object.textOut(text)
                run = self._runs[placed] = tuple(text_object._code[start:])
            else:
                text_object._code.extend(run)
        if any_fake_bold:
            # fake bold strokes the glyph outline: in the ink, thin, then back to the frame's
            c.saveState()
            c.setStrokeColor(_colour(ink))
            c.setLineWidth(0.25)
            c.drawText(text_object)
            c.restoreState()
        else:
            c.drawText(text_object)

    def _title(self, title: str, x: float, y: float) -> None:
        slot = self.layout.title
        lines = title.split("\n")
        font, fake_bold = fonts.font_for(title.replace("\n", ""), bold=slot.weight == "bold")
        room = self._room(slot)
        size = slot.size * self.size
        fitted = [fonts.fit(line, font, size, slot.min_size * self.size, room) for line in lines]
        size = min(s for _, s in fitted)
        leading = size * 1.1
        top = y + slot.y * self.size + (len(lines) - 1) * leading / 2 - size * 0.35
        c = self.canvas
        text_object = c.beginText()
        text_object.setFont(font, round(size, 2))
        if fake_bold:
            text_object.setTextRenderMode(2)
        for index, (line, _) in enumerate(fitted):
            text_object.setTextTransform(
                1, 0, 0, 1, round(x + slot.x * self.size - fonts.width(line, font, size) / 2, 2),
                round(top - index * leading, 2))
            text_object.textOut(line)
        c.saveState()
        c.setStrokeColor(c._fillColorObj)
        c.setLineWidth(size * 0.04)
        c.drawText(text_object)
        c.restoreState()
