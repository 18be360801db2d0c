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
    """Write the imposed booklet; returns the number of sheet sides.

    Each reading page becomes a form XObject, drawn on its half of the sheet side: its
    content is copied as it is, never parsed, and fonts and images are shared, not copied
    per page."""
    from pypdf import PageObject, PdfReader, PdfWriter
    from pypdf.generic import (ArrayObject, DecodedStreamObject, DictionaryObject,
                               FloatObject, NameObject, StreamObject)

    reader = PdfReader(source)
    pages = reader.pages
    width = float(pages[0].mediabox.width)
    height = float(pages[0].mediabox.height)
    writer = PdfWriter()

    def form_of(page) -> object:
        contents = page.get("/Contents")
        contents = contents.get_object() if contents is not None else None
        streams = list(contents) if isinstance(contents, ArrayObject) else [contents]
        data = b"\n".join(s.get_object().get_data() for s in streams if s is not None)
        form = StreamObject()
        form.set_data(data)
        form = form.flate_encode()
        box = page.mediabox
        form.update({
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): ArrayObject(FloatObject(v) for v in
                                             (box.left, box.bottom, box.right, box.top)),
            NameObject("/Resources"): (page.get("/Resources") or DictionaryObject())
            .get_object().clone(writer),
        })
        return writer._add_object(form)

    forms: dict[int, object] = {}
    order = saddle_order(len(pages))
    for left, right in order:
        sheet = PageObject.create_blank_page(writer, width=2 * width, height=height)
        drawn, xobjects = [], DictionaryObject()
        for number, offset in ((left, 0.0), (right, width)):
            if number:
                if number not in forms:
                    forms[number] = form_of(pages[number - 1])
                name = f"/P{number}"
                xobjects[NameObject(name)] = forms[number]
                drawn.append(f"q 1 0 0 1 {offset:g} 0 cm {name} Do Q")
        sheet[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/XObject"): xobjects})
        content = DecodedStreamObject()
        content.set_data("\n".join(drawn).encode("ascii"))
        sheet[NameObject("/Contents")] = writer._add_object(content)
        writer.add_page(sheet)
    writer.add_metadata({"/Title": f"{reader.metadata.title if reader.metadata else ''} "
                                   "(saddle-stitch imposition)".strip(),
                         "/Creator": "wargame"})
    with atomic_path(target) as temp:
        with open(temp, "wb") as handle:
            writer.write(handle)
    return len(order)
