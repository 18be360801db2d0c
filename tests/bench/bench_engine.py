"""In-process engine timings. Not a test: run it by hand.

    python tests/bench/bench_engine.py

Target (issue 3): the exact distribution of every column x DRM (-3..+3) of a 10-column
CRT in under 5 ms.
"""

from __future__ import annotations

import statistics
import time

from wargame.engine.combat import Combat, Contribution, Modifier, distribution, prepare
from wargame.engine.procedure import procedure_distribution, stages_of
from wargame.loading.rules import load_rules
from wargame.paths import bundled_data_dir


def timed(func, repeat=51) -> tuple[float, float]:
    first_start = time.perf_counter()
    func()
    first = (time.perf_counter() - first_start) * 1000
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        samples.append((time.perf_counter() - start) * 1000)
    return first, statistics.median(samples)


def main() -> None:
    rules = load_rules(bundled_data_dir(), use_cache=False)
    land = rules.tables["land"]
    assert len(land.columns) == 10
    # one (attack, defence) pair landing on each column
    pairs = [(1, 3), (1, 2), (1, 1), (3, 2), (2, 1), (3, 1), (4, 1), (5, 1), (6, 1), (7, 1)]

    def all_columns_and_drms():
        out = []
        for attack, defence in pairs:
            for drm in range(-3, 4):
                combat = Combat((Contribution("a", attack),), (Contribution("d", defence),),
                                (Modifier("drm", drm=drm),) if drm else ())
                out.append(distribution(prepare(land, combat)))
        assert len(out) == 70
        return out

    first, median = timed(all_columns_and_drms)
    print(f"{'70 exact CRT distributions (10 columns x 7 DRMs)':55s} first {first:6.2f} ms  "
          f"median {median:6.2f} ms  (target < 5 ms)")

    stages = stages_of(rules.procedures["strait-crossing"], rules.tables)

    def strait():
        combats = {"interdiction": Combat((Contribution("n", 4),)),
                   "landing": Combat((Contribution("a", 8),), (Contribution("d", 4),)),
                   "inland": Combat((Contribution("a", 8),), (Contribution("d", 5),))}
        return procedure_distribution(stages, lambda s: combats[s.spec.id])

    first, median = timed(strait)
    print(f"{'strait-crossing procedure, exact (3 stages)':55s} first {first:6.2f} ms  "
          f"median {median:6.2f} ms")


if __name__ == "__main__":
    main()
