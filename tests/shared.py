"""Expensive outputs made once per test run and shared by every test process: one full
build of the bundled kit, and the text of its booklets. The first process to ask makes it
under a lock; the others wait and read it. Tests read them, never change them (a test that
edits copies them first)."""

from __future__ import annotations

import fcntl
import json
import shutil
from contextlib import contextmanager
from pathlib import Path

from wargame.paths import bundled_data_dir


def _root(tmp_path_factory) -> Path:
    # with pytest-xdist every worker has its own base temp; their parent is the run's
    base = tmp_path_factory.getbasetemp()
    root = (base.parent if base.name.startswith("popen-gw") else base) / "shared"
    root.mkdir(exist_ok=True)
    return root


@contextmanager
def _locked(path: Path):
    with open(path.with_suffix(".lock"), "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def shared(tmp_path_factory, name: str, make) -> Path:
    """The output ``name``, made by ``make(path)`` once for the whole run."""
    target = _root(tmp_path_factory) / name
    done = target.with_name(target.name + ".done")
    with _locked(target):
        if not done.exists():
            if target.exists():
                shutil.rmtree(target) if target.is_dir() else target.unlink()
            make(target)
            done.write_text("ok", encoding="utf-8")
    return target


def booklet(tmp_path_factory, scenario_id: str, paper: str = "letter") -> Path:
    """A scenario's booklet as `wargame build` prints it (from the bundled data)."""
    _, out = built_kit(tmp_path_factory)
    return out / scenario_id / ("booklet.pdf" if paper == "letter" else f"booklet-{paper}.pdf")


def booklet_pages(tmp_path_factory, scenario_id: str, paper: str = "letter") -> list[str]:
    """The text of each page of that booklet: see :func:`kit_pages`."""
    name = "booklet.pdf" if paper == "letter" else f"booklet-{paper}.pdf"
    return kit_pages(tmp_path_factory, f"{scenario_id}/{name}")


def kit_pages(tmp_path_factory, relative: str) -> list[str]:
    """The text of each page of a PDF of the built kit, as PDFium reads it: a table cell's
    lines together, cells of one row on one line (a hundred times quicker than
    pdfplumber). Read once for the whole run."""
    def make(path: Path) -> None:
        import pypdfium2

        document = pypdfium2.PdfDocument(built_kit(tmp_path_factory)[1] / relative)
        pages = [page.get_textpage().get_text_bounded().replace("\r\n", "\n")
                 for page in document]
        path.write_text(json.dumps(pages), encoding="utf-8")

    path = shared(tmp_path_factory, "text-" + relative.replace("/", "-") + ".json", make)
    return json.loads(path.read_text(encoding="utf-8"))


def built_kit(tmp_path_factory) -> tuple[Path, Path]:
    """(the game folder, the out folder) of one `wargame build` of the bundled campaign."""
    def make(path: Path) -> None:
        from conftest import run_cli

        game = path / "game"
        for part in ("units", "rules", "print"):
            shutil.copytree(bundled_data_dir() / part, game / part)
        run = run_cli("--data", str(game), "build", "-o", str(path / "out"))
        assert run.code == 0, run.err

    path = shared(tmp_path_factory, "kit", make)
    return path / "game", path / "out"


def page_chars(path: Path) -> list[dict]:
    """Each page's ``height`` and its ``chars`` as PDFium reads them: ``text``, ``font`` (the
    PostScript
    name), ``size`` (the font size times the text matrix's scale: text drawn inside a scaled
    form, such as a counter, reads smaller) and ``top`` (from the page top to the top of
    the character's em box: its baseline less its size)."""
    import ctypes
    import math

    import pypdfium2
    import pypdfium2.raw as raw

    pages = []
    name = ctypes.create_string_buffer(256)
    flags = ctypes.c_int()
    x, y = ctypes.c_double(), ctypes.c_double()
    matrix = raw.FS_MATRIX()
    for page in pypdfium2.PdfDocument(path):
        text = page.get_textpage()
        height = page.get_height()
        chars = []
        for index in range(text.count_chars()):
            raw.FPDFText_GetFontInfo(text, index, name, len(name), ctypes.byref(flags))
            raw.FPDFText_GetCharOrigin(text, index, ctypes.byref(x), ctypes.byref(y))
            raw.FPDFText_GetMatrix(text, index, ctypes.byref(matrix))
            scale = math.sqrt(abs(matrix.a * matrix.d - matrix.b * matrix.c)) or 1.0
            size = raw.FPDFText_GetFontSize(text, index) * scale
            chars.append({"text": chr(raw.FPDFText_GetUnicode(text, index)),
                          "font": name.value.decode("latin-1"), "size": size,
                          "top": height - y.value - size})
        pages.append({"height": height, "chars": chars})
    return pages


def booklet_chars(tmp_path_factory, scenario_id: str, paper: str = "letter"):
    """:func:`page_chars` of a scenario's booklet, read once for the whole run."""
    def make(target: Path) -> None:
        pages = page_chars(booklet(tmp_path_factory, scenario_id, paper))
        target.write_text(json.dumps(pages), encoding="utf-8")

    target = shared(tmp_path_factory, f"chars-{scenario_id}-{paper}.json", make)
    return json.loads(target.read_text(encoding="utf-8"))
