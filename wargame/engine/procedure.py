"""Multi-stage procedures: each stage's result feeds shifts and DRMs to later stages.

Air combat then ground attack, interdiction then landing then assault, drop then attack:
the whole tree of outcomes is enumerated exactly, so a player sees the odds of the final
result before committing, and the same wiring rolls the real dice stage by stage.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from fractions import Fraction

import attrs

from wargame.engine.combat import Combat, Modifier, Prepared, Resolution, distribution, prepare, resolve
from wargame.engine.dice import FaceSource
from wargame.engine.results import ResultDef
from wargame.engine.spec import ProcedureSpec, StageSpec
from wargame.engine.tables import Table

#: A path through the procedure: the result of each stage, None for stages not reached.
Path = tuple[ResultDef | None, ...]


@attrs.frozen
class Stage:
    spec: StageSpec
    table: Table

    @property
    def name(self) -> str:
        return self.spec.name or self.table.name


def stages_of(procedure: ProcedureSpec, tables: Mapping[str, Table]) -> tuple[Stage, ...]:
    return tuple(Stage(spec, tables[spec.table]) for spec in procedure.stages)


def _fed(stage_index: int, stages: tuple[Stage, ...], path: Path) -> list[Modifier]:
    """Modifiers that earlier results pass to the stage at ``stage_index``."""
    out = []
    me = stages[stage_index].spec.id
    for earlier, result in zip(stages[:stage_index], path):
        if result is None:
            continue
        feed = earlier.spec.feeds.get(result.code)
        if feed is None or (feed.to and me not in feed.to):
            continue
        if feed.shift or feed.drm:
            out.append(Modifier(f"{earlier.spec.id}: {result.code}", shift=feed.shift,
                                drm=feed.drm))
    return out


def procedure_distribution(stages: tuple[Stage, ...],
                           combat_for: Callable[[Stage], Combat]) -> dict[Path, Fraction]:
    """Exact probability of every path through the procedure."""
    paths: dict[Path, Fraction] = {(): Fraction(1)}
    for index, stage in enumerate(stages):
        step: dict[Path, Fraction] = {}
        for path, p in paths.items():
            if not reached(stages, index, path):
                step[path + (None,)] = step.get(path + (None,), 0) + p
                continue
            prepared = prepare(stage.table, combat_for(stage), _fed(index, stages, path))
            for result, q in distribution(prepared).items():
                key = path + (result,)
                step[key] = step.get(key, 0) + p * q
        paths = step
    return paths


def _stopped(stages: tuple[Stage, ...], path: Path) -> bool:
    return any(result is not None and result.code in stage.spec.stop_on
               for stage, result in zip(stages, path))


def reached(stages: tuple[Stage, ...], index: int, path: Path) -> bool:
    """Whether the stage at ``index`` is rolled after ``path``: the procedure has not
    stopped, and an earlier result leads to it when it names the results that do."""
    if path and _stopped(stages, path):
        return False
    wanted = stages[index].spec.when
    return not wanted or any(r is not None and r.code in wanted for r in path)


def stage_marginals(stages, paths: Mapping[Path, Fraction]) -> list[dict[str, Fraction]]:
    """For each stage, the probability of each of its results (and of not being reached)."""
    marginals: list[dict[str, Fraction]] = [{} for _ in stages]
    for path, p in paths.items():
        for index, result in enumerate(path):
            key = result.code if result is not None else "not reached"
            marginals[index][key] = marginals[index].get(key, 0) + p
    return marginals


@attrs.frozen
class StageRoll:
    stage: Stage
    prepared: Prepared
    resolution: Resolution


def run_procedure(stages: tuple[Stage, ...], combat_for: Callable[[Stage], Combat],
                  faces_for: Callable[[Stage], FaceSource]) -> list[StageRoll]:
    """Roll stage by stage; each stage draws its dice from its own labelled source."""
    done: list[StageRoll] = []
    path: list[ResultDef | None] = []
    for index, stage in enumerate(stages):
        if path and _stopped(stages, tuple(path)):
            break
        if not reached(stages, index, tuple(path)):
            path.append(None)
            continue
        prepared = prepare(stage.table, combat_for(stage), _fed(index, stages, tuple(path)))
        resolution = resolve(prepared, faces_for(stage))
        done.append(StageRoll(stage, prepared, resolution))
        path.append(resolution.result)
    return done
