"""`wargame build`: the whole print kit of a game, rebuilt only where inputs changed.

Each target has a fingerprint: the contents of the data files it reads, its options and the
toolkit's own code. A target whose output exists and whose fingerprint matches the manifest
is skipped. Outputs are written atomically, and the manifest last, so an interrupted build
simply redoes what it did not record.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from pathlib import Path

import attrs

from wargame import __version__
from wargame.atomic import write_text

MANIFEST = ".build-manifest.json"


@attrs.frozen
class Target:
    """One output of the build and how to make it."""

    path: Path  # relative to the output folder
    inputs: tuple[Path, ...]
    options: str
    make: Callable[[Path], str]  # writes the file; returns a one-line description
    kind: str = ""


@attrs.frozen
class Outcome:
    target: Target
    built: bool
    note: str
    size: int


def _hash_files(paths: Iterable[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(set(paths)):
        digest.update(str(path).encode() + b"\0")
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file():
                    digest.update(child.relative_to(path).as_posix().encode() + b"\0")
                    digest.update(child.read_bytes())
        elif path.exists():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def code_fingerprint() -> str:
    """The toolkit's own source: a change of code rebuilds everything."""
    package = Path(__file__).resolve().parent
    return _hash_files(package.rglob("*.py"))[:16] + __version__


def fingerprint(target: Target, code: str) -> str:
    digest = hashlib.sha256(f"{code}\0{target.options}\0".encode())
    digest.update(_hash_files(target.inputs).encode())
    return digest.hexdigest()


def run(targets: list[Target], out: Path, force: bool = False,
        progress: Callable[[Target, bool], None] | None = None) -> list[Outcome]:
    """Build every target that is missing or out of date; return what happened."""
    out.mkdir(parents=True, exist_ok=True)
    manifest_path = out / MANIFEST
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        manifest = {}
    code = code_fingerprint()
    outcomes = []
    for target in targets:
        key = target.path.as_posix()
        destination = out / target.path
        stamp = fingerprint(target, code)
        current = manifest.get(key) == stamp and destination.exists()
        if progress:
            progress(target, not current or force)
        if current and not force:
            outcomes.append(Outcome(target, False, "up to date", _size(destination)))
            continue
        destination.parent.mkdir(parents=True, exist_ok=True)
        note = target.make(destination)
        manifest[key] = stamp
        # record progress as we go: a build stopped halfway keeps what it finished
        write_text(manifest_path, json.dumps(manifest, indent=1, sort_keys=True))
        outcomes.append(Outcome(target, True, note, _size(destination)))
    return outcomes


def _size(path: Path) -> int:
    if path.is_dir():
        return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    return path.stat().st_size if path.exists() else 0
