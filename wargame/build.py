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
    after: tuple[Path, ...] = ()  # other targets whose output this one reads


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
        progress: Callable[[Target, bool], None] | None = None,
        jobs: int | None = None) -> list[Outcome]:
    """Build every target that is missing or out of date; return what happened.

    Stale targets are made ``jobs`` at a time (default: one per processor) in forked worker
    processes; a target that reads another's output waits for a second wave. The manifest is
    written by this process alone, after each target, so a build stopped halfway keeps what
    it finished.
    """
    out.mkdir(parents=True, exist_ok=True)
    manifest_path = out / MANIFEST
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        manifest = {}
    code = code_fingerprint()
    results: dict[int, Outcome] = {}
    stale: list[tuple[int, str]] = []
    for index, target in enumerate(targets):
        stamp = fingerprint(target, code)
        destination = out / target.path
        if not force and manifest.get(target.path.as_posix()) == stamp and destination.exists():
            results[index] = Outcome(target, False, "up to date", _size(destination))
            if progress:
                progress(target, False)
        else:
            stale.append((index, stamp))

    def finished(index: int, stamp: str, note: str) -> None:
        target = targets[index]
        manifest[target.path.as_posix()] = stamp
        write_text(manifest_path, json.dumps(manifest, indent=1, sort_keys=True))
        results[index] = Outcome(target, True, note, _size(out / target.path))
        if progress:
            progress(target, True)

    later = {t.path for t in targets}
    first = [(i, s) for i, s in stale if not set(targets[i].after) & later]
    second = [(i, s) for i, s in stale if set(targets[i].after) & later]
    for wave in (first, second):
        for index, _ in wave:
            (out / targets[index].path).parent.mkdir(parents=True, exist_ok=True)
        _make_all(targets, out, wave, jobs, finished)
    return [results[i] for i in range(len(targets))]


_WORK: list[Target] = []  # what forked workers build, inherited from the parent


def _make_one(index: int, destination: str) -> str:
    return _WORK[index].make(Path(destination))


def _make_all(targets, out: Path, wave, jobs, finished) -> None:
    import multiprocessing
    import os
    from concurrent.futures import ProcessPoolExecutor, as_completed

    if not jobs:
        jobs = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
    if jobs <= 1 or len(wave) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        for index, stamp in wave:
            finished(index, stamp, targets[index].make(out / targets[index].path))
        return
    _WORK[:] = targets
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=min(jobs, len(wave)), mp_context=context) as pool:
        futures = {pool.submit(_make_one, index, str(out / targets[index].path)): (index, stamp)
                   for index, stamp in wave}
        for future in as_completed(futures):
            index, stamp = futures[future]
            finished(index, stamp, future.result())


def _size(path: Path) -> int:
    if path.is_dir():
        return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    return path.stat().st_size if path.exists() else 0
