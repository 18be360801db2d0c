"""Whole-process counter-sheet benchmark, against the LaTeX `wargame` package in the same run.
Not a test: run it by hand.

    python tests/bench/bench_counters.py [--counts 800 10000] [--runs 3] [--no-latex]

Builds a game folder of N double-sided units (the bundled factions and unit types, every
designation different) and times `wargame --data DIR print counters`. The anchor is the same
design in LaTeX (a front with symbol, echelon, designation, parent, set-up hex and three
factors; a paler reduced back with halved factors; 140 double-sided counters a page with
`\doublechits`), compiled once by pdflatex where Debian's `texlive-games` is installed and
skipped with a message where it is not. Targets (issue 23): at least 100x faster than
pdflatex and at most a sixth of its size on 800 counters; 10,000 must work.
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


LATEX_KINDS = [("infantry", "", "land"), ("armoured", "", "land"), ("infantry", "airborne", "land"),
               ("fixed wing", "", "air"), ("reconnaissance", "", "land")]


def latex_source(count: int) -> str:
    """The anchor design for the LaTeX `wargame` package: one style per face, as its tutorial
    does, and one `\doublechits` picture a page."""
    echelons = ["division", "brigade", "regiment"]
    styles = []
    for i in range(count):
        main, lower, command = LATEX_KINDS[i % 5]
        faction = "friendly" if i < count // 2 else "hostile"
        echelon = "" if command == "air" else f"echelon={echelons[i % 3]},"
        lower = f"lower={{{lower}}}," if lower else ""
        symbol = (f"symbol={{faction={faction},command={command},main={{{main}}},{lower}"
                  f"{echelon}scale line widths,line width=1pt}}")
        a, d, m = i % 9 + 1, (i + 1) % 9 + 1, (i + 2) % 9 + 1
        ids = (f"unique={{chit/small identifier={i}}},"
               f"parent={{chit/small identifier={i // 10}}}")
        hex_id = f"{i % 20 + 1:02d}{i % 15 + 1:02d}"
        styles.append(f"\\tikzset{{u{i}/.style={{chit={{{symbol},{ids},factors={{chit/3 factors="
                      f"{{{a},{d},{m}}}}},upper left={{chit/small identifier={hex_id}}}}},"
                      f"fill={faction}}}}}")
        styles.append(f"\\tikzset{{u{i} flipped/.style={{chit={{{symbol},{ids},factors={{chit/3 "
                      f"factors={{{a // 2},{d // 2},{m}}}}}}},fill={faction}!50!white}}}}")
    pages = []
    for start in range(0, count, 140):
        names = ",".join(f"u{j}" for j in range(start, min(count, start + 140)))
        pages.append(f"\\begin{{tikzpicture}}[scale=.95,transform shape]\\doublechits{{{{{names}}}}}"
                     "{7}{1.24}\\end{tikzpicture}\\clearpage")
    return "\n".join([r"\documentclass[a4paper]{article}", r"\usepackage[margin=10mm]{geometry}",
                      r"\usepackage{wargame}", r"\pagestyle{empty}", *styles,
                      r"\begin{document}", *pages, r"\end{document}", ""])


def run_latex(folder: Path, count: int) -> tuple[float, int] | None:
    """Seconds and bytes of one pdflatex run of the anchor, or None where it cannot run."""
    pdflatex = shutil.which("pdflatex")
    if pdflatex is None:
        return None
    probe = subprocess.run(["kpsewhich", "wargame.sty"], capture_output=True, text=True)
    if probe.returncode != 0 or not probe.stdout.strip():
        return None
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "counters.tex").write_text(latex_source(count), encoding="utf-8")
    start = time.perf_counter()
    subprocess.run([pdflatex, "-interaction=nonstopmode", "-halt-on-error", "counters.tex"],
                   cwd=folder, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start, (folder / "counters.pdf").stat().st_size


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
    parser.add_argument("--counts", type=int, nargs="+", default=[800, 10000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-latex", action="store_true", help="skip the LaTeX anchor")
    args = parser.parse_args()
    print(f"{'counters':>9s} {'cold s':>8s} {'warm s (median)':>16s} {'bytes':>10s} "
          f"{'B/counter':>10s}")
    anchors = []
    for count in args.counts:
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            make_game(tmp / "game", count)
            out = tmp / "counters.pdf"
            cold = run(tmp / "game", out, tmp / "cold-cache")
            warm = statistics.median(run(tmp / "game", out, tmp / "cold-cache")
                                     for _ in range(args.runs))
            size = out.stat().st_size
            print(f"{count:9d} {cold:8.2f} {warm:16.2f} {size:10d} {size / count:10.1f}")
            if count <= 2000 and not args.no_latex:  # pdflatex runs out of memory past ~2,000
                anchors.append((count, warm, size, run_latex(tmp / "latex", count)))
    for count, warm, size, latex in anchors:
        if latex is None:
            print(f"LaTeX anchor skipped for {count}: pdflatex with the wargame package "
                  "(Debian's texlive-games) is not installed")
            continue
        seconds, latex_size = latex
        print(f"{count} counters, LaTeX wargame package: {seconds:.2f} s, {latex_size} bytes; "
              f"wargame is {seconds / warm:.0f}x faster (target 100x) and "
              f"{latex_size / size:.1f}x smaller (target 6x)")


if __name__ == "__main__":
    main()
