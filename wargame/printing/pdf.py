"""Creating PDF canvases the same way everywhere: embedded fonts only, reproducible bytes."""

from __future__ import annotations

from reportlab import rl_config
from reportlab.lib.colors import CMYKColor
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from wargame import __version__
from wargame.printing import fonts

# Every PDF of the toolkit is made through this module. Its streams are Flate-compressed and
# written as binary, not also wrapped in ASCII85 (reportlab's default, made for 7-bit mail):
# a quarter smaller, and PDF/X-1a takes binary streams.
rl_config.useA85 = 0

#: Marks a print shop lines its plates up by print in every ink.
REGISTRATION = CMYKColor(1, 1, 1, 1)
#: A print-shop page: colour runs this far beyond the trim ...
BLEED = 3 * mm
#: ... and the crop marks sit in this much room beyond the bleed.
MARKS = 10 * mm


def new_canvas(target, pagesize, title: str = "", pdfx: str | None = None) -> Canvas:
    """A canvas whose default font is the embedded Vera (reportlab would otherwise reference
    an unembedded Helvetica on every page) and whose output is byte-stable. With ``pdfx``
    (an output condition of :mod:`wargame.printing.prepress`) the file is PDF/X-1a."""
    fonts.register()
    canvas = Canvas(target if isinstance(target, str) or hasattr(target, "write")
                    else str(target), pagesize=pagesize, invariant=1, pageCompression=1,
                    initialFontName=fonts.LATIN, initialFontSize=10)
    canvas.setCreator(f"wargame {__version__}")
    if title:
        canvas.setTitle(title)
    if pdfx:
        from wargame.printing.prepress import make_pdfx

        make_pdfx(canvas, pdfx)
    return canvas


def pdfx_canvas_maker(condition: str | None):
    """A canvas maker for platypus documents: PDF/X-1a canvases for ``condition``, or
    reportlab's own canvas for None."""
    if not condition:
        return Canvas

    def make(*args, **kwargs) -> Canvas:
        from wargame.printing.prepress import make_pdfx

        canvas = Canvas(*args, **kwargs)
        make_pdfx(canvas, condition)
        return canvas
    return make


def crop_marks(canvas: Canvas, trim: tuple[float, float, float, float], bleed: float,
               length: float) -> None:
    """Crop marks at the four corners of the trim box, outside the bleed: a print shop
    cuts along them. Hairlines in registration colour (every ink, so each plate shows
    them), each ``length`` long, starting a point beyond the bleed so that no mark shows on
    a sheet trimmed a little off."""
    x0, y0, x1, y1 = trim
    canvas.saveState()
    canvas.setStrokeColor(REGISTRATION)
    canvas.setLineWidth(0.25)
    gap = bleed + 1
    for x, y, sx, sy in ((x0, y0, -1, -1), (x1, y0, 1, -1), (x0, y1, -1, 1), (x1, y1, 1, 1)):
        canvas.line(x + sx * gap, y, x + sx * (gap + length), y)  # along the trim's edge
        canvas.line(x, y + sy * gap, x, y + sy * (gap + length))
    canvas.restoreState()


def press_page(canvas: Canvas, trim_size: tuple[float, float]) -> tuple[float, float]:
    """Set up one print-shop page whose trim of ``trim_size`` sits inside bleed and room
    for the marks: TrimBox, BleedBox and crop marks. Returns the trim's lower-left corner
    on the page."""
    edge = BLEED + MARKS
    width, height = trim_size
    trim = (edge, edge, edge + width, edge + height)
    canvas.setTrimBox(trim)
    canvas.setBleedBox((MARKS, MARKS, edge + width + BLEED, edge + height + BLEED))
    crop_marks(canvas, trim, BLEED, MARKS - 2 * mm)
    return edge, edge
