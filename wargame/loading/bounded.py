"""Reading a file a user names, within bounds: only a regular file, never more than a limit,
JSON never nested deeper than a limit. A pipe, a device, a huge or a deeply nested file gets
one clear line instead of a hang, a memory error or a recursion error."""

from __future__ import annotations

import errno
import json
import os
import stat
from pathlib import Path

from wargame.errors import DataError

MAX_DEPTH = 40


def not_a_file(path: Path, kind: str = "file") -> str | None:
    """Why ``path`` cannot be read as a ``kind`` file, or None when it is a regular file."""
    try:
        mode = os.stat(path).st_mode
    except ValueError:
        return "cannot read file: its name holds a NUL character"
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "cannot read file: symbolic link loop"
        if path.is_symlink():
            return f"cannot read file: the symbolic link points to nothing ({os.readlink(path)})"
        return f"cannot read file: {exc.strerror or exc}"
    if stat.S_ISDIR(mode):
        return f"expected a {kind} file, found a folder"
    if not stat.S_ISREG(mode):
        found = "a named pipe" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode) \
            else "a device"
        return f"expected a regular {kind} file, found {found}"
    return None


def read_bounded(path: Path, limit: int, kind: str = "file") -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; DataError naming the file
    otherwise. The file is opened without blocking and checked again once open, so a pipe
    swapped in after the check cannot hang the read."""
    refused = not_a_file(path, kind)
    if refused:
        raise DataError(f"{path}: {refused}")
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise DataError(f"{path}: cannot read file: {exc.strerror or exc}") from None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise DataError(f"{path}: expected a regular {kind} file")
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise DataError(f"{path}: expected a {kind} file of at most {_size(limit)}, found a "
                        "larger one")
    return data


def read_text_bounded(path: Path, limit: int, kind: str = "file") -> str:
    """:func:`read_bounded` as UTF-8 text without NUL characters."""
    data = read_bounded(path, limit, kind)
    if b"\x00" in data:
        raise DataError(f"{path}: expected a {kind} text file, found binary data (a NUL byte)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DataError(f"{path}: expected UTF-8 text, found byte 0x{data[exc.start]:02x} at "
                        f"offset {exc.start}") from None


def too_deep(value: object, limit: int = MAX_DEPTH) -> bool:
    """Whether arrays and tables nest beyond ``limit`` (checked without recursion)."""
    stack = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return True
        if isinstance(item, dict):
            stack += [(v, depth + 1) for v in item.values()]
        elif isinstance(item, list):
            stack += [(v, depth + 1) for v in item]
    return False


def load_json(text: str, shown: str, what: str, limit: int = MAX_DEPTH):
    """Parse JSON that nests at most ``limit`` deep; DataError naming ``shown`` otherwise."""
    try:
        document = json.loads(text)
    except RecursionError:
        raise DataError(f"{shown}: not {what}: arrays or tables nested too deep (at most "
                        f"{limit} levels)") from None
    except ValueError as exc:
        raise DataError(f"{shown}: not {what} ({exc})") from None
    if too_deep(document, limit):
        raise DataError(f"{shown}: not {what}: arrays or tables nested too deep (at most "
                        f"{limit} levels)")
    return document


def _size(limit: int) -> str:
    return f"{limit // (1024 * 1024)} MiB" if limit >= 1024 * 1024 else f"{limit // 1024} KiB"
