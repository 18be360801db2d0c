"""Whole-process timings of the commands users run most. Not a test: run it by hand.

    python tests/bench/bench_cli.py [--runs 15]

Each command is run as a fresh process (as a user runs it), output piped; the figure is the
median wall time. Targets from the issues: `wargame units`, `resolve` and `odds` under 150 ms.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time

COMMANDS = {
    "wargame --version": ["--version"],
    "wargame units": ["units"],
    "wargame units --faction kpa": ["units", "--faction", "kpa"],
    "wargame units show 107": ["units", "show", "107"],
    "wargame check": ["check"],
    "wargame resolve (2 units vs 1, terrain, mod)": ["resolve", "-a", "kpa-1-div", "-a",
                                                     "kpa-107-tank", "-d", "rok-7-div", "-t",
                                                     "mountain", "-m", "no-anti-tank",
                                                     "--seed", "1"],
    "wargame odds (same battle)": ["odds", "-a", "kpa-1-div", "-a", "kpa-107-tank", "-d",
                                   "rok-7-div", "-t", "mountain", "-m", "no-anti-tank"],
    "wargame odds --attack 12 --defend 4": ["odds", "--attack", "12", "--defend", "4"],
    "wargame odds -P strait-crossing": ["odds", "-P", "strait-crossing", "-a", "pla-junk-1",
                                        "-a", "pla-118-div", "-d", "roc-3fleet-1", "-d",
                                        "roc-32-army"],
    "wargame roll 2d6": ["roll", "2d6"],
}
TARGET_MS = 150


def wargame_command() -> list[str]:
    exe = shutil.which("wargame")
    return [exe] if exe else [sys.executable, "-m", "wargame"]


def time_command(argv: list[str], runs: int) -> tuple[float, float]:
    samples = []
    for _ in range(runs + 1):
        start = time.perf_counter()
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        samples.append((time.perf_counter() - start) * 1000)
    samples = samples[1:]  # the first run warms the file cache
    return statistics.median(samples), min(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--only", help="substring of the command names to run")
    args = parser.parse_args()
    base = wargame_command()
    print(f"{'command':40s} {'median ms':>10s} {'min ms':>8s}")
    for name, argv in COMMANDS.items():
        if args.only and args.only not in name:
            continue
        median, best = time_command(base + argv, args.runs)
        flag = "" if median < TARGET_MS or "check" in name else f"  (over {TARGET_MS} ms)"
        print(f"{name:40s} {median:10.1f} {best:8.1f}{flag}")


if __name__ == "__main__":
    main()
