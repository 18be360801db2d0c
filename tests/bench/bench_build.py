"""`wargame build` of the bundled campaign: from nothing (empty output and an empty symbol
cache, as on a fresh machine) and with nothing changed. Not a test: run it by hand.

    python tests/bench/bench_build.py [--runs 3]

Targets: under 15 s from a fresh cache, under 1 s when nothing changed.
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
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    exe = shutil.which("wargame")
    command = [exe] if exe else [sys.executable, "-m", "wargame"]
    fresh, unchanged = [], []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as folder:
            env = {**os.environ, "XDG_CACHE_HOME": str(Path(folder) / "cache")}
            out = Path(folder) / "out"
            for times in (fresh, unchanged):
                started = time.perf_counter()
                subprocess.run(command + ["build", "-o", str(out)], check=True, env=env,
                               stdout=subprocess.DEVNULL)
                times.append(time.perf_counter() - started)
    print(f"wargame build, fresh cache:     {statistics.median(fresh):6.2f} s (target 15 s)")
    print(f"wargame build, nothing changed: {statistics.median(unchanged):6.2f} s (target 1 s)")


if __name__ == "__main__":
    main()
