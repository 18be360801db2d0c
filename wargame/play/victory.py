"""Who is winning: the scenario's victory levels evaluated on a game's state.

One function, :func:`standing`, serves the victory check of every turn (sudden death), the
end of the game, the posts (each side's standing) and the tests that enumerate states. The
levels are checked in the scenario's order and the first that holds decides, so no state
makes two sides win.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from wargame.maps.hexgrid import Hex, parse_hex
from wargame.play.position import Position
from wargame.play.theatre import Theatre
from wargame.scenarios.victory import AnyOf, Level, Test, UnitClass


@attrs.frozen
class Verdict:
    """How the game stands or ended: a side and its level, or a draw."""

    side: str  # "" for a draw
    level: str  # decisive, marginal... or "draw"
    reason: str

    @property
    def draw(self) -> bool:
        return not self.side

    def as_record(self) -> dict:
        return {"side": self.side, "level": self.level, "reason": self.reason}


@attrs.frozen
class History:
    """What victory looks back at: who controlled each objective at the end of each turn
    (turn -> hex -> side), and the conditional units each side called."""

    control: Mapping[int, Mapping[Hex, str]] = attrs.Factory(dict)
    called: frozenset[str] = frozenset()


def objective_hexes(theatre: Theatre) -> dict[str, Hex]:
    game_map = theatre.need_map()
    out = {}
    for objective in theatre.scenario.victory.objectives:
        out[objective.id] = (game_map.place_hexes[objective.place] if objective.place
                             else parse_hex(objective.hex))
    return out


def steps_lost(theatre: Theatre, position: Position, group: UnitClass,
               side: str | None = None) -> tuple[int, int]:
    """(steps lost, steps in all) of the units of a group in this game (of ``side``)."""
    lost = total = 0
    for unit_id in theatre.entries:
        if side is not None and theatre.unit_side[unit_id] != side:
            continue
        if not theatre.in_class(unit_id, group):
            continue
        full = theatre.unit(unit_id).steps
        total += full
        piece = position.pieces.get(unit_id)
        if piece is not None and piece.box != "pool":
            lost += full - piece.steps if piece.alive else full
    return lost, total


def points(theatre: Theatre, position: Position) -> dict[str, int]:
    """Victory points of each side now: objectives held and enemy steps eliminated."""
    out = {side: 0 for side in theatre.sides()}
    hexes = objective_hexes(theatre) if theatre.map is not None else {}
    for objective in theatre.scenario.victory.objectives:
        holder = position.control.get(hexes.get(objective.id))
        if holder and objective.points:
            out[holder] += objective.points
    for source in theatre.scenario.victory.points:
        lost, _ = steps_lost(theatre, position, source.of, theatre.enemy(source.side))
        out[source.side] += lost * source.per_step
    return out


def installation_points(theatre: Theatre, hits: dict) -> dict[str, int]:
    """Points each side scores for the hits on the other's installations so far (``hits``:
    installation id -> hits in all, and id + '/closed' -> times closed)."""
    out = {side: 0 for side in theatre.sides()}
    for target in theatre.scenario.victory.installations:
        scorer = theatre.enemy(target.side)
        out[scorer] += hits.get(target.id, 0) * target.points
        out[scorer] += hits.get(target.id + "/closed", 0) * target.closed_points
    return out


class _Judge:
    def __init__(self, theatre: Theatre, position: Position, history: History, turn: int,
                 hits: dict | None = None):
        self.theatre, self.position, self.history, self.turn = theatre, position, history, turn
        self.hits = hits or {}
        self.hexes = objective_hexes(theatre) if theatre.map is not None else {}
        self._points = None

    def controls(self, side: str, names, at_turn: int | None) -> list[bool]:
        if at_turn is None:
            control = self.position.control
        elif at_turn in self.history.control:
            control = self.history.control[at_turn]
        else:
            return [False for _ in names]  # that turn has not ended yet
        return [control.get(self.hexes[name]) == side for name in names]

    def test(self, side: str, test: Test | AnyOf) -> bool:
        enemy = self.theatre.enemy(side)
        if test.holds:
            if getattr(test, "throughout", False):
                turns = [t for t in range(1, self.turn + 1)]
                if not all(all(self.controls(side, test.holds, t)) for t in turns):
                    return False
            elif not all(self.controls(side, test.holds, getattr(test, "at_turn", None))):
                return False
        if getattr(test, "holds_any", ()):
            if sum(self.controls(side, test.holds_any, test.at_turn)) < test.count:
                return False
        if test.eliminated is not None:
            lost, total = steps_lost(self.theatre, self.position, test.eliminated, enemy)
            if test.share is not None and (not total or lost < test.share * total):
                return False
            if getattr(test, "steps", None) is not None and lost < test.steps:
                return False
        if isinstance(test, Test):
            if test.force is not None:
                zones = {h for z in test.zones for h in self.theatre.zone_hexes(z)}
                inside = total = 0
                for unit_id in self.theatre.entries:
                    if self.theatre.unit_side[unit_id] != side or \
                            not self.theatre.in_class(unit_id, test.force):
                        continue
                    total += self.theatre.unit(unit_id).steps
                    piece = self.position[unit_id]
                    if piece.alive and piece.at in zones:
                        inside += piece.steps
                if not total or inside <= (test.share or 0) * total:
                    return False
            if any(unit in self.history.called for unit in test.not_called):
                return False
            if test.points_lead is not None:
                if self._points is None:
                    self._points = points(self.theatre, self.position)
                    for side, extra in installation_points(self.theatre, self.hits).items():
                        self._points[side] += extra
                if self._points[side] - self._points[enemy] < test.points_lead:
                    return False
            if test.any and not any(self.test(side, alt) for alt in test.any):
                return False
        return True

    def level(self, level: Level) -> bool:
        return all(self.test(level.side, test) for test in level.tests)


def standing(theatre: Theatre, position: Position, history: History, turn: int,
             final: bool, hits: dict | None = None) -> Verdict | None:
    """The verdict after the victory check of ``turn``: a sudden-death level that holds, or
    after the last turn (``final``) the first level that holds, else ``otherwise``. None when
    the game goes on."""
    from wargame.scenarios.wording import describe_tests

    judge = _Judge(theatre, position, history, turn, hits)
    victory = theatre.scenario.victory
    names = {u: theatre.unit(u).name for u in theatre.entries}
    for level in victory.levels:
        if level.when == "end" and not final:
            continue
        if judge.level(level):
            return Verdict(level.side, level.level,
                           describe_tests(theatre.scenario, level, names))
    if not final:
        return None
    other = victory.otherwise
    if other.side:
        return Verdict(other.side, other.level, "no other victory condition holds")
    return Verdict("", "draw", "no victory condition holds")


def outlook(theatre: Theatre, position: Position, history: History, turn: int,
            hits: dict | None = None) -> list[str]:
    """For posts: each level and whether it would hold if the game ended now."""
    from wargame.scenarios.wording import describe_level

    judge = _Judge(theatre, position, history, turn, hits)
    out = []
    for level in theatre.scenario.victory.levels:
        mark = "holds now" if judge.level(level) else "not now"
        out.append(f"{describe_level(theatre.scenario, level)} ({mark})")
    return out
