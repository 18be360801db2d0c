"""Whole-process counter-sheet benchmark. Not a test: run it by hand.

    python tests/bench/bench_counters.py [--counts 1000 10000] [--runs 3]

Builds a game folder of N double-sided units (the bundled factions and unit types, every
designation different) and times `wargame --data DIR print counters`. Targets (issue 4):
1,000 counters in under 1.5 s and under 200 bytes a counter; 10,000 must work.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

from wargame.paths import bundled_data_dir


def make_game(folder: Path, count: int) -> None:
    bundled = bundled_data_dir()
    (folder / "units").mkdir(parents=True)
    for name in ("factions.toml", "types.toml"):
        shutil.copy(bundled / "units" / name, folder / "units" / name)
    types = tomllib.loads((bundled / "units" / "types.toml").read_text(encoding="utf-8"))
    schemes = {s["id"]: s["factors"] for s in types["schemes"]}
    unit_types = [(t["id"], schemes[t["scheme"]]) for t in types["types"]]
    factions = [f["id"] for f in tomllib.loads(
        (bundled / "units" / "factions.toml").read_text(encoding="utf-8"))["factions"]]
    echelons = ["battalion", "regiment", "brigade", "division"]
    lines = []
    for i in range(count):
        type_id, factors = unit_types[i % len(unit_types)]
        full = ", ".join(f"{f} = {(i + k) % 9 + 1}" for k, f in enumerate(factors))
        reduced = ", ".join(f"{f} = {max(0, ((i + k) % 9 + 1) // 2)}" for k, f in enumerate(factors))
        lines += ["[[units]]", f'id = "u{i}"', f'name = "Unit {i}"',
                  f'faction = "{factions[i % len(factions)]}"', f'type = "{type_id}"',
                  f'echelon = "{echelons[i % 4]}"', f'designation = "{i}"',
                  f'parent = "{i // 10}"', f"factors = {{ {full} }}",
                  f"reduced = {{ {reduced} }}", 'basis = "estimate"', ""]
    (folder / "units" / "bench.toml").write_text("\n".join(lines), encoding="utf-8")


def run(game: Path, out: Path, cache: Path) -> float:
    exe = shutil.which("wargame") or sys.executable
    argv = [exe] if exe.endswith("wargame") else [exe, "-m", "wargame"]
    env = dict(os.environ, XDG_CACHE_HOME=str(cache))
    start = time.perf_counter()
    subprocess.run(argv + ["--data", str(game), "print", "counters", "--no-markers", "-o",
                           str(out)], check=True, env=env, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--counts", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"{'counters':>9s} {'cold s':>8s} {'warm s (median)':>16s} {'bytes':>10s} "
          f"{'B/counter':>10s}")
    for count in args.counts:
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            make_game(tmp / "game", count)
            out = tmp / "counters.pdf"
            cold = run(tmp / "game", out, tmp / "cold-cache")
            warm = [run(tmp / "game", out, tmp / "cold-cache") for _ in range(args.runs)]
            size = out.stat().st_size
            print(f"{count:9d} {cold:8.2f} {statistics.median(warm):16.2f} {size:10d} "
                  f"{size / count:10.1f}")


if __name__ == "__main__":
    main()
