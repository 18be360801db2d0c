"""Map timings and sizes. Not a test: run it by hand.

    python tests/bench/bench_maps.py [--runs 5]

Targets from the maps issue: loading a map file under 100 ms; printing the Korea map tiled on
letter under 3 s warm and under 2 MB; extracting the Korea box under 10 s (needs the [geo]
extra; median of 3, as the README records it, and a new Normandy map with its towns). Each figure is the median of the runs, in this process (warm) unless it says
"process" (a fresh `wargame` process, cold).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def median_time(action, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs

    from wargame.maps.load import check_maps, map_files, terrain_features
    from wargame.paths import bundled_data_dir
    from wargame.printing.mapsheet import render_map, render_map_png
    from wargame.loading.session import Session

    root = bundled_data_dir()
    session = Session(None)
    features = terrain_features(session.rules)
    print(f"map files: {', '.join(p.name for p in map_files(root))}")
    seconds = median_time(lambda: check_maps(root, features, use_cache=False), runs)
    print(f"load and check all {len(map_files(root))} maps: {seconds * 1000:7.1f} ms "
          "(target under 100 ms a map)")
    korea = session.maps["korea"]
    scenario = session.scenarios["korea"]
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        render_map(korea, session.rules, out / "warm.pdf", scenario=scenario)  # warm fonts
        seconds = median_time(lambda: render_map(korea, session.rules, out / "k.pdf",
                                                 scenario=scenario), runs)
        size = (out / "k.pdf").stat().st_size
        print(f"print Korea tiled on letter (warm): {seconds:6.2f} s, {size / 1e6:.2f} MB "
              "(target under 3 s and 2 MB)")
        seconds = median_time(lambda: render_map(korea, session.rules, out / "s.pdf",
                                                 paper="22x34", scenario=scenario), runs)
        size = (out / "s.pdf").stat().st_size
        print(f"print Korea on one 22x34 sheet (warm): {seconds:6.2f} s, {size / 1e6:.2f} MB")
        seconds = median_time(lambda: render_map_png(korea, out / "k.png", 100), runs)
        print(f"Korea as PNG at 100 dpi (warm): {seconds:6.2f} s")
        situation(session, korea, out, runs)
        exe = shutil.which("wargame") or sys.executable
        command = [exe] if exe.endswith("wargame") else [exe, "-m", "wargame"]
        seconds = median_time(lambda: subprocess.run(
            command + ["print", "map", "-s", "korea", "-o", str(out / "p.pdf")], check=True,
            stdout=subprocess.DEVNULL), runs)
        print(f"wargame print map -s korea (process): {seconds:6.2f} s")
        try:
            import shapely  # noqa: F401
        except ImportError:
            print("extraction: skipped (pip install '.[geo]')")
            return
        copy = out / "korea.toml"
        shutil.copy(root / "rules" / "maps" / "korea.toml", copy)
        seconds = median_time(lambda: subprocess.run(
            command + ["map", "extract", str(copy)], check=True, stdout=subprocess.DEVNULL), 3)
        print(f"wargame map extract korea, median of 3 (process): {seconds:6.2f} s "
              "(target under 10 s)")

        def normandy():
            target = out / "normandy.toml"
            target.unlink(missing_ok=True)
            subprocess.run(command + ["map", "extract", str(target), "--box",
                                      "-2.0,48.5,1.0,49.9", "--hex-km", "5"], check=True,
                           stdout=subprocess.DEVNULL)
        seconds = median_time(normandy, 3)
        print(f"a new map of Normandy at 5 km with towns and roads, median of 3 (process): "
              f"{seconds:6.2f} s")


def situation(session, korea, out: Path, runs: int) -> None:
    """A post's situation map: a battle area of about 20 hexes with 30 counters."""
    from wargame.counters import unit_counter
    from wargame.loading.printdata import load_print
    from wargame.printing.situation import situation_png

    catalog = session.catalog
    layout = load_print(session.root, catalog).layout
    focus = [(c, r) for c in range(14, 18) for r in range(10, 15)]  # 20 hexes near Seoul
    units = list(catalog.units.values())[:30]
    stacks: dict = {}
    for index, unit in enumerate(units):
        stacks.setdefault(focus[index % len(focus)], []).append(
            (unit_counter(catalog, unit), False))
    seconds = median_time(lambda: situation_png(korea, layout, stacks, focus,
                                                out / "situation.png"), runs)
    print(f"situation map, 20 hexes and 30 counters (warm): {seconds:6.2f} s "
          "(target under 0.5 s)")


if __name__ == "__main__":
    main()
