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
    weight: float = 1.0  # about how long it takes, relative to others: the longest go first


@attrs.frozen
class Outcome:
    target: Target
    built: bool
    note: str
    size: int
    seconds: float = 0.0  # how long making it took (0 when it was up to date)


def _hash_files(paths: Iterable[Path], base: Path | None = None) -> str:
    """The digest of the files' names and contents. Names are taken relative to ``base``
    (or the last part alone), so a game folder moved or cloned elsewhere is up to date."""
    digest = hashlib.sha256()
    for path in sorted(set(paths)):
        name = path.relative_to(base).as_posix() if base else path.name
        digest.update(name.encode() + b"\0")
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
    return _hash_files(package.rglob("*.py"), package)[:16] + __version__


def fingerprint(target: Target, code: str) -> str:
    digest = hashlib.sha256(f"{code}\0{target.options}\0".encode())
    digest.update(_hash_files(target.inputs).encode())
    return digest.hexdigest()


def run(targets: list[Target], out: Path, force: bool = False,
        progress: Callable[[Target, bool], None] | None = None,
        jobs: int | None = None, prepare: Callable[[], None] | None = None) -> list[Outcome]:
    """Build every target that is missing or out of date; return what happened.

    Stale targets are made ``jobs`` at a time (default: one per processor) in forked worker
    processes, the heaviest ready one first; a target that reads another's output starts
    once that one is made. ``prepare``, when something is stale, runs once in this process
    before the workers start (what it loads, they inherit instead of each loading it). The
    manifest is written by this process alone, after each target, so a build stopped
    halfway keeps what it finished.
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

    def finished(index: int, stamp: str, made: tuple[str, float]) -> None:
        target = targets[index]
        manifest[target.path.as_posix()] = stamp
        write_text(manifest_path, json.dumps(manifest, indent=1, sort_keys=True))
        results[index] = Outcome(target, True, made[0], _size(out / target.path), made[1])
        if progress:
            progress(target, True)

    for index, _ in stale:
        (out / targets[index].path).parent.mkdir(parents=True, exist_ok=True)
    if stale and prepare is not None:
        prepare()
    _make_all(targets, out, stale, jobs, finished)
    return [results[i] for i in range(len(targets))]


_WORK: list[Target] = []  # what forked workers build, inherited from the parent


def _make_one(index: int, destination: str) -> tuple[str, float]:
    import time

    started = time.perf_counter()
    note = _WORK[index].make(Path(destination))
    return note, time.perf_counter() - started


def _make_all(targets, out: Path, stale, jobs, finished) -> None:
    import multiprocessing
    import os
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    if not jobs:
        jobs = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
    _WORK[:] = targets
    stamps = dict(stale)
    stale_paths = {targets[i].path: i for i in stamps}
    # what each stale target still waits for: the stale targets whose output it reads
    blocked = {i: {stale_paths[p] for p in targets[i].after if p in stale_paths}
               for i in stamps}
    ready = [i for i, waits in blocked.items() if not waits]

    def done(index: int) -> None:
        for other, waits in blocked.items():
            if index in waits:
                waits.discard(index)
                if not waits:
                    ready.append(other)

    def take() -> int:
        ready.sort(key=lambda i: (-targets[i].weight, i))
        return ready.pop(0)

    def destination(index: int) -> str:
        return str(out / targets[index].path)

    if jobs <= 1 or len(stamps) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        while ready:
            index = take()
            finished(index, stamps[index], _make_one(index, destination(index)))
            done(index)
        return
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=min(jobs, len(stamps)), mp_context=context) as pool:
        running = {}
        while ready or running:
            while ready and len(running) < jobs:
                index = take()
                running[pool.submit(_make_one, index, destination(index))] = index
            finished_now, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in finished_now:
                index = running.pop(future)
                finished(index, stamps[index], future.result())
                done(index)


def _size(path: Path) -> int:
    if path.is_dir():
        return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    return path.stat().st_size if path.exists() else 0
