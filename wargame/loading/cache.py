"""A cache of parsed, validated data files, so repeated commands skip TOML parsing.

The key covers every file's path and the SHA-256 of its content plus the toolkit version:
any edit makes a new key, whatever the file's size or modification time, so a cached entry
is checked against the bytes it stands for and never rebuilt when they are unchanged. (A
checksum such as CRC-32 would spare loading OpenSSL, some 4 ms a start, but files made to
collide with ones checked before would then be read as those: a game folder an umpire
sends must never be taken for another.) Only
data that passed validation is stored, as JSON (never pickle). Set WARGAME_NO_CACHE=1 to
turn it off.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from wargame import __version__
from wargame.atomic import write_text


def cache_dir() -> Path | None:
    if os.environ.get("WARGAME_NO_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "wargame"


def cache_key(kind: str, files: list[Path]) -> str:
    digest = hashlib.sha256(f"{__version__}\0{kind}".encode())
    for path in files:
        # the absolute path, not the resolved one: resolving asks the disk about every
        # folder on the way, and a symlinked copy merely gets an entry of its own
        digest.update(f"\0{os.path.abspath(path)}\0".encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:32]


#: Entries kept per kind of file: one per game folder in use (the bundled campaign, the data
#: snapshot of each game an umpire runs, a designer's own folder), so that switching between
#: them never parses again what was parsed a moment ago.
KEPT_PER_KIND = 8


def load(kind: str, files: list[Path]):
    """The cached documents for exactly these files, or None."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        path = folder / f"{kind}-{cache_key(kind, files)}.json"
        documents = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return None
    try:
        os.utime(path)  # recently used: the last to be dropped
    except OSError:
        pass
    return documents


def store(kind: str, files: list[Path], documents) -> None:
    """Remember validated documents, dropping the least recently used entries of the kind
    beyond :data:`KEPT_PER_KIND`; a cache that cannot be written is simply skipped."""
    folder = cache_dir()
    if folder is None:
        return
    try:
        key = cache_key(kind, files)
        write_text(folder / f"{kind}-{key}.json", json.dumps(documents, ensure_ascii=False),
                   make_parents=True)
        entries = []
        for entry in folder.glob(f"{kind}-*.json"):
            try:
                entries.append((entry.stat().st_mtime_ns, entry.name, entry))
            except OSError:
                continue  # removed by another run meanwhile
        for *_, old in sorted(entries, reverse=True)[KEPT_PER_KIND:]:
            old.unlink(missing_ok=True)
    except (OSError, TypeError, ValueError):
        pass
