"""Whole-process timings of the commands users run most, each against the bare interpreter
in the same run. Not a test: run it by hand.

    python tests/bench/bench_cli.py [--runs 15] [--only NAME]

Each command runs as a fresh process (as a user runs it) with its output piped, interleaved
with the anchor `python -c pass` so that a busy machine slows both alike; the figures are
medians. Target (issue 23): `units`, `resolve`, `odds`, `roll` and `game status` within 6x
the bare interpreter. Each command is also interleaved with what every command stands on,
`import click, attrs` (the CLI library and the model's): the floor no command goes below.
The last column, "own", is what the command adds to that floor, in bare interpreters.
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

TARGET_RATIO = 6.0


def wargame_command() -> list[str]:
    exe = shutil.which("wargame")
    return [exe] if exe else [sys.executable, "-m", "wargame"]


def commands(game: Path) -> dict[str, list[str]]:
    return {
        "wargame units": ["units"],
        "wargame resolve --attack 12 --defend 4": ["resolve", "--attack", "12", "--defend", "4",
                                                   "--seed", "1"],
        "wargame resolve (2 units vs 1, terrain)": ["resolve", "-a", "kpa-1-div", "-a",
                                                    "kpa-107-tank", "-d", "rok-7-div", "-t",
                                                    "mountain", "--seed", "1"],
        "wargame odds --attack 12 --defend 4": ["odds", "--attack", "12", "--defend", "4"],
        "wargame roll 2d6": ["roll", "2d6"],
        "wargame game status (Korea, turn 1)": ["game", "status", str(game)],
    }


def once(argv: list[str], env: dict) -> float:
    start = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True,
                   env=env)
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--only", help="substring of the command names to run")
    args = parser.parse_args()
    base = wargame_command()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    anchor = [sys.executable, "-c", "pass"]
    with tempfile.TemporaryDirectory() as folder:
        game = Path(folder) / "korea"
        subprocess.run(base + ["game", "new", "korea", str(game)], check=True, env=env,
                       stdout=subprocess.DEVNULL)
        floor_argv = [sys.executable, "-c", "import click, attrs"]
        print(f"{'command':42s} {'median ms':>10s} {'bare ms':>8s} {'ratio':>6s} "
              f"{'floor ms':>9s} {'own':>6s}")
        failed = False
        for name, argv in commands(game).items():
            if args.only and args.only not in name:
                continue
            once(base + argv, env)  # warms the file cache and the data cache
            mine, bare, floor = [], [], []
            for _ in range(args.runs):
                bare.append(once(anchor, env))
                floor.append(once(floor_argv, env))
                mine.append(once(base + argv, env))
            mine_ms, bare_ms, floor_ms = (statistics.median(x) for x in (mine, bare, floor))
            ratio = mine_ms / bare_ms
            verdict = "" if ratio <= TARGET_RATIO else f"  over {TARGET_RATIO:g}x"
            failed |= ratio > TARGET_RATIO
            # own: what the command adds to the floor, in bare interpreters
            print(f"{name:42s} {mine_ms:10.1f} {bare_ms:8.1f} {ratio:5.1f}x "
                  f"{floor_ms:9.1f} {(mine_ms - floor_ms) / bare_ms:5.1f}x{verdict}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
