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
