"""Read one TOML file safely: binary, encoding and syntax problems become Problems."""

from __future__ import annotations

import os
import re
from pathlib import Path

from wargame.errors import Problem
from wargame.loading.bounded import MAX_DEPTH, not_a_file, too_deep

MAX_FILE_BYTES = 8 * 1024 * 1024
_AT_LINE = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")


def toml_files(folder: Path, skip: tuple[str, ...] = ()) -> list[Path]:
    """Every entry named ``*.toml`` below ``folder`` (not in subfolders named in ``skip``),
    in a stable order. Entries that are not regular files are listed too, so that a folder,
    a pipe or a broken link named like a data file is reported, never silently skipped."""
    if not folder.is_dir():
        return []
    found = []
    for current, folders, files in os.walk(folder):
        folders[:] = [name for name in folders if name not in skip]
        found += [Path(current, name) for name in files + folders if name.endswith(".toml")]
    return sorted(found)


def read_toml(path: Path, shown: str) -> tuple[dict | None, list[Problem]]:
    """Parse ``path``; on failure return ``None`` and the problems, named as ``shown``."""
    refused = not_a_file(path, "TOML")
    if refused:
        return None, [Problem(shown, "", refused)]
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, [Problem(shown, "", f"cannot read file: {exc.strerror or exc}")]
    if len(data) > MAX_FILE_BYTES:
        return None, [Problem(shown, "", f"expected a TOML file of at most "
                              f"{MAX_FILE_BYTES // 1024 // 1024} MiB, found {len(data)} bytes")]
    if b"\x00" in data:
        return None, [Problem(shown, "", "expected a UTF-8 TOML text file, found binary data "
                              "(NUL bytes)")]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [Problem(shown, "", f"expected UTF-8 text, found byte 0x{data[exc.start]:02x} "
                              "(save the file as UTF-8)", line, column)]
    text = text.removeprefix("\ufeff")
    import tomllib  # only on a cache miss: a cached folder is never parsed

    try:
        parsed = tomllib.loads(text)
    except RecursionError:
        return None, [Problem(shown, "", f"arrays or tables nested too deep (at most "
                              f"{MAX_DEPTH} levels)")]
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = _AT_LINE.search(message)
        line = column = None
        if match:
            line, column = int(match[1]), int(match[2])
            message = message[: match.start()]
        elif message.endswith("(at end of document)"):
            lines = text.split("\n")
            line, column = len(lines), len(lines[-1]) + 1
            message = message.removesuffix("(at end of document)").rstrip() + " at end of file"
        return None, [Problem(shown, "", f"invalid TOML: {message}", line, column)]
    if not parsed:
        return None, [Problem(shown, "", "empty file: expected at least one table or array "
                              "of tables")]
    if too_deep(parsed):
        return None, [Problem(shown, "", f"arrays or tables nested too deep (at most "
                              f"{MAX_DEPTH} levels)")]
    return parsed, []


def shown_name(path: Path, root: Path) -> str:
    """The file name used in messages: relative to the game folder."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def read_documents(files: list[Path], root: Path) -> tuple[list[tuple[str, dict]], list[Problem]]:
    """Parse several files; each document is named relative to the game folder ``root``."""
    documents: list[tuple[str, dict]] = []
    problems: list[Problem] = []
    for path in files:
        shown = shown_name(path, root)
        raw, read_problems = read_toml(path, shown)
        problems += read_problems
        if raw is not None:
            documents.append((shown, raw))
    return documents, problems
