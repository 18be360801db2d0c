"""Saddle-stitch imposition: booklet pages reordered two to a sheet side, for folding.

For n pages (padded with blanks to a multiple of four) the sheet sides carry, left and
right: (n, 1), (2, n-1), (n-2, 3), (4, n-3) ... Print duplex, flipping on the short edge,
fold the stack in half and staple along the fold.
"""

from __future__ import annotations

from pathlib import Path

from wargame.atomic import atomic_path


def saddle_order(pages: int) -> list[tuple[int, int]]:
    """(left, right) page numbers (1-based) of each sheet side; 0 marks a blank page."""
    total = pages + (-pages) % 4
    sides = []
    for k in range(total // 2):
        low, high = k + 1, total - k
        pair = (high, low) if k % 2 == 0 else (low, high)
        sides.append(tuple(p if p <= pages else 0 for p in pair))
    return sides


def saddle_stitch(source: Path, target: Path) -> int:
    """Write the imposed booklet; returns the number of sheet sides."""
    from pypdf import PageObject, PdfReader, PdfWriter, Transformation

    reader = PdfReader(source)
    pages = reader.pages
    width = float(pages[0].mediabox.width)
    height = float(pages[0].mediabox.height)
    writer = PdfWriter()
    order = saddle_order(len(pages))
    for left, right in order:
        sheet = PageObject.create_blank_page(width=2 * width, height=height)
        for number, offset in ((left, 0.0), (right, width)):
            if number:
                sheet.merge_transformed_page(pages[number - 1],
                                             Transformation().translate(offset, 0))
        writer.add_page(sheet)
    writer.add_metadata({"/Title": f"{reader.metadata.title if reader.metadata else ''} "
                                   "(saddle-stitch imposition)".strip(),
                         "/Creator": "wargame"})
    with atomic_path(target) as temp:
        with open(temp, "wb") as handle:
            writer.write(handle)
    return len(order)
