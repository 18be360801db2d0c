"""A cache of parsed, validated data files, so repeated commands skip TOML parsing.

The key covers every file's path, size and modification time plus the toolkit version, as
Python's own .pyc files do; any edit makes a new key. Only data that passed validation is
stored, as JSON (never pickle). Set WARGAME_NO_CACHE=1 to turn it off.
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
        stat = path.stat()
        digest.update(f"\0{path.resolve()}\0{stat.st_size}\0{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:32]


def load(kind: str, files: list[Path]):
    """The cached documents for exactly these files, or None."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        path = folder / f"{kind}-{cache_key(kind, files)}.json"
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def store(kind: str, files: list[Path], documents) -> None:
    """Remember validated documents; a cache that cannot be written is simply skipped."""
    folder = cache_dir()
    if folder is None:
        return
    try:
        key = cache_key(kind, files)
        for old in folder.glob(f"{kind}-*.json"):
            if not old.name.endswith(f"{key}.json"):
                old.unlink(missing_ok=True)
        write_text(folder / f"{kind}-{key}.json", json.dumps(documents, ensure_ascii=False),
                   make_parents=True)
    except (OSError, TypeError, ValueError):
        pass
