"""Drawing one counter face with reportlab's canvas, following a CounterLayout."""

from __future__ import annotations

from reportlab.lib.colors import HexColor
from reportlab.lib.units import mm

from wargame.counters import CounterLayout, Face, TextSlot
from wargame.printing import fonts
from wargame.printing.symbols import LAND_FRAME_WIDTH, SymbolForms


class FaceDrawer:
    """Draws faces of one size on one canvas; symbol forms are shared across the document."""

    def __init__(self, canvas, layout: CounterLayout, size: float):
        self.canvas = canvas
        self.layout = layout
        self.size = size
        self.symbols = SymbolForms(canvas)
        self.safe = layout.safe_margin * mm
        fonts.register()

    def draw(self, face: Face, x: float, y: float, bleed: float = 0.0) -> None:
        """Draw ``face`` with its lower-left corner at (x, y); colour runs ``bleed`` beyond."""
        c, s, layout = self.canvas, self.size, self.layout
        c.saveState()
        c.setFillColor(HexColor(face.fill))
        c.rect(x - bleed, y - bleed, s + 2 * bleed, s + 2 * bleed, stroke=0, fill=1)
        if face.stripe:
            c.setFillColor(HexColor(face.stripe))
            c.rect(x - bleed, y + layout.stripe_y * s, s + 2 * bleed, layout.stripe_height * s,
                   stroke=0, fill=1)
        ink = HexColor(face.ink)
        c.setFillColor(ink)
        c.setStrokeColor(ink)
        if face.title:
            self._title(face.title, x, y)
        else:
            if face.sidc:
                self._symbol(face, x, y)
            self._text(face.factors, layout.factors, x, y)
            self._text(face.designation, layout.designation, x, y)
            self._text(face.parent, layout.parent, x, y)
            self._text(face.name, layout.name, x, y)
            self._text(face.upper_left, layout.upper_left, x, y)
            self._text(face.upper_right, layout.upper_right, x, y)
        if layout.border:
            c.setStrokeColor(HexColor("#000000"))
            c.setLineWidth(layout.border)
            c.rect(x, y, s, s, stroke=1, fill=0)
        c.restoreState()

    def _symbol(self, face: Face, x: float, y: float) -> None:
        slot = self.layout.symbol
        scale = slot.width * self.size / LAND_FRAME_WIDTH
        name = self.symbols.name(face.sidc, face.ink)
        c = self.canvas
        c.saveState()
        c.translate(x + slot.x * self.size, y + slot.y * self.size)
        c.scale(scale, scale)
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

    def _text(self, text: str, slot: TextSlot, x: float, y: float) -> None:
        if not text or not slot.show:
            return
        font, fake_bold = fonts.font_for(text, bold=slot.weight == "bold")
        text, size = fonts.fit(text, font, slot.size * self.size, slot.min_size * self.size,
                               self._room(slot))
        c = self.canvas
        c.saveState()
        c.translate(x + slot.x * self.size, y + slot.y * self.size)
        if slot.rotate:
            c.rotate(slot.rotate)
        text_object = c.beginText()
        text_object.setFont(font, size)
        if fake_bold:
            text_object.setTextRenderMode(2)  # fill and stroke: a bold face WenQuanYi lacks
            c.setLineWidth(size * 0.04)
        offset = -size * 0.36 if slot.rotate else 0.0  # centre rotated text on its axis
        run = fonts.width(text, font, size)
        start = {"left": 0.0, "right": -run}.get(slot.align, -run / 2)
        text_object.setTextOrigin(start, offset)
        text_object.textOut(text)
        c.drawText(text_object)
        c.restoreState()

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
        for index, (line, _) in enumerate(fitted):
            text_object = c.beginText()
            text_object.setFont(font, size)
            if fake_bold:
                text_object.setTextRenderMode(2)
                c.setLineWidth(size * 0.04)
            text_object.setTextOrigin(x + slot.x * self.size - fonts.width(line, font, size) / 2,
                                      top - index * leading)
            text_object.textOut(line)
            c.drawText(text_object)
