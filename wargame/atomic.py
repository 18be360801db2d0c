"""Atomic file output: write to a temporary file beside the target, then rename.

An interrupted run never leaves half a PDF, a truncated JSON file or a broken record.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from wargame.errors import UsageError


def _file_mode() -> int:
    """The mode a new document gets under the user's umask (mkstemp would give 0600)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike, make_parents: bool = False) -> Iterator[Path]:
    """Yield a temporary path to write; on success it replaces ``target`` in one step.

    The folder must exist unless ``make_parents`` (a path typed by mistake is refused rather
    than silently created). The file gets the usual mode for the user's umask.
    """
    target = Path(target)
    folder = target.parent
    if make_parents:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UsageError(f"cannot write {target}: {exc.strerror or exc}") from None
    elif not folder.is_dir():
        raise UsageError(f"cannot write {target}: there is no folder {folder or '.'} (create "
                         "it first)")
    import tempfile  # only when writing: reading commands stay light

    try:
        fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=folder)
        os.close(fd)
    except OSError as exc:
        raise UsageError(f"cannot write {target}: {exc.strerror or exc}") from None
    temp = Path(temp_name)
    try:
        yield temp
        os.chmod(temp, _file_mode())
        os.replace(temp, target)
    finally:
        temp.unlink(missing_ok=True)


def write_bytes(target: str | os.PathLike, data: bytes, make_parents: bool = False) -> None:
    """Write ``data`` to ``target`` atomically."""
    with atomic_path(target, make_parents) as temp:
        temp.write_bytes(data)


def write_text(target: str | os.PathLike, text: str, make_parents: bool = False) -> None:
    """Write UTF-8 ``text`` to ``target`` atomically."""
    write_bytes(target, text.encode("utf-8"), make_parents)
