"""Creating PDF canvases the same way everywhere: embedded fonts only, reproducible bytes."""

from __future__ import annotations

from reportlab.pdfgen.canvas import Canvas

from wargame import __version__
from wargame.printing import fonts


def new_canvas(target, pagesize, title: str = "") -> Canvas:
    """A canvas whose default font is the embedded Vera (reportlab would otherwise reference
    an unembedded Helvetica on every page) and whose output is byte-stable."""
    fonts.register()
    canvas = Canvas(target if isinstance(target, str) or hasattr(target, "write")
                    else str(target), pagesize=pagesize, invariant=1, pageCompression=1,
                    initialFontName=fonts.LATIN, initialFontSize=10)
    canvas.setCreator(f"wargame {__version__}")
    if title:
        canvas.setTitle(title)
    return canvas


def crop_marks(canvas: Canvas, trim: tuple[float, float, float, float], bleed: float,
               length: float) -> None:
    """Crop marks at the four corners of the trim box, outside the bleed: a print shop
    cuts along them. Hairlines in black, each ``length`` long, starting a point beyond the
    bleed so that no mark shows on a sheet trimmed a little off."""
    x0, y0, x1, y1 = trim
    canvas.saveState()
    canvas.setStrokeColorRGB(0, 0, 0)
    canvas.setLineWidth(0.25)
    gap = bleed + 1
    for x, y, sx, sy in ((x0, y0, -1, -1), (x1, y0, 1, -1), (x0, y1, -1, 1), (x1, y1, 1, 1)):
        canvas.line(x + sx * gap, y, x + sx * (gap + length), y)  # along the trim's edge
        canvas.line(x, y + sy * gap, x, y + sy * (gap + length))
    canvas.restoreState()
