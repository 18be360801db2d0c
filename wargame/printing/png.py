"""PNG faces: the same vector drawing as the sheets, rasterised with pypdfium2.

Each face is drawn on its own page of an in-memory PDF (one page the size of a counter), so
there is one drawing routine for paper and screen; PDFium renders it.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from pathlib import Path

from wargame.atomic import atomic_path
from wargame.counters import Counter, CounterLayout
from wargame.errors import UsageError
from wargame.printing.draw import FaceDrawer
from wargame.printing.pdf import new_canvas
from wargame.printing.sheets import SIZES

_SAFE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,80}$")


def safe_filename(key: str) -> str:
    """A counter key as a file name; anything that could escape the folder is refused."""
    if not _SAFE.match(key):
        raise UsageError(f'"{key}" cannot be used as a file name (ids are lowercase letters, '
                         "digits, '-' and '_')")
    return key


def faces_pdf(counters: Sequence[Counter], layout: CounterLayout, size: float) -> bytes:
    """A PDF with a page per face: front of the first counter, its back, the next front..."""
    buffer = io.BytesIO()
    canvas = new_canvas(buffer, (size, size))
    drawer = FaceDrawer(canvas, layout, size)
    for counter in counters:
        for face in (counter.front, counter.back):
            drawer.begin_page()
            drawer.draw(face, 0, 0)
            canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def export_faces(counters: Sequence[Counter], layout: CounterLayout, size_name: str, dpi: int,
                 folder: Path) -> int:
    """Write ``<id>-front.png`` and ``<id>-back.png`` for each counter and a contact sheet."""
    import pypdfium2 as pdfium

    names = [safe_filename(c.key) for c in counters]
    size = SIZES[size_name]
    document = pdfium.PdfDocument(faces_pdf(counters, layout, size))
    folder.mkdir(parents=True, exist_ok=True)
    scale = dpi / 72
    images = []
    written = 0
    for index, name in enumerate(names):
        pair = []
        for side, page_no in (("front", 2 * index), ("back", 2 * index + 1)):
            image = document[page_no].render(scale=scale).to_pil().convert("RGB")
            with atomic_path(folder / f"{name}-{side}.png") as temp:
                image.save(temp, format="PNG", dpi=(dpi, dpi))
            written += 1
            pair.append(image)
        images.append(pair)
    if images:
        _contact_sheet(images, folder / "contact-sheet.png", dpi)
        written += 1
    return written


def _contact_sheet(images, target: Path, dpi: int) -> None:
    """Fronts and backs side by side, ten counters a row."""
    from PIL import Image

    cell = images[0][0].width
    gap = max(2, cell // 12)
    per_row = 10
    rows = (len(images) + per_row - 1) // per_row
    sheet = Image.new("RGB", (per_row * (2 * cell + 3 * gap), rows * (cell + gap) + gap),
                      "white")
    for index, (front, back) in enumerate(images):
        row, column = divmod(index, per_row)
        x = column * (2 * cell + 3 * gap) + gap
        y = row * (cell + gap) + gap
        sheet.paste(front, (x, y))
        sheet.paste(back, (x + cell + gap // 2, y))
    with atomic_path(target) as temp:
        sheet.save(temp, format="PNG", dpi=(dpi, dpi))
