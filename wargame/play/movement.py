"""Moving units hex by hex: the allowance (6.1, 3.3, 13.2), what each hex and hexside costs,
roads and railways (6.4), zones of control (5.2), enemy units (4.2), prohibited terrain
(6.3) and the one hex a unit may always move (6.2). The same rules check a path the player
wrote and find the cheapest one when the player names only the destination."""

from __future__ import annotations

import heapq
import math
from fractions import Fraction

import attrs

from wargame.maps.hexgrid import Hex, adjacent, hex_id, side_key
from wargame.maps.model import WATER
from wargame.play.position import Position
from wargame.play.refusal import Refusal
from wargame.play.theatre import Theatre
from wargame.play.zoc import enemy_held, zoc_of

@attrs.frozen
class Leg:
    """A checked move: the hexes entered in order (the start first) and what they cost."""

    path: tuple[Hex, ...]
    cost: Fraction
    one_hex: bool = False  # allowed by 6.2 although it costs more than the allowance


def fraction_text(value: Fraction) -> str:
    if value.denominator == 1:
        return str(value.numerator)
    whole, rest = divmod(value.numerator, value.denominator)
    return f"{whole} {rest}/{value.denominator}" if whole else f"{rest}/{value.denominator}"


def base_allowance(theatre: Theatre, unit_id: str, steps: int) -> Fraction:
    """The allowance printed on the counter (or set by a scenario restriction)."""
    for rule in theatre.scenario.special_rules:
        for limit in rule.restrictions:
            if unit_id in limit.units and limit.movement is not None:
                return Fraction(limit.movement)
    factors = theatre.factors(unit_id, steps)
    rules = theatre.play.movement
    if theatre.domain(unit_id) == "naval":  # ships: sea hexes per point of their factor
        points = factors.get(rules.factor, factors.get("speed", 0))
        return Fraction(points * theatre.play.sea.hexes_per_point)
    if rules.factor in factors:
        return Fraction(factors[rules.factor])
    return Fraction(0)


def allowance(theatre: Theatre, position: Position, unit_id: str, turn: int,
              exploitation: bool = False) -> tuple[Fraction, list[str]]:
    """(movement points this phase, the reasons it differs from the counter)."""
    piece = position[unit_id]
    points = base_allowance(theatre, unit_id, piece.steps)
    notes = []
    rules = theatre.play
    if theatre.one_day(turn) and theatre.domain(unit_id) in rules.movement.one_day_domains:
        points = Fraction(math.ceil(points * Fraction(str(rules.movement.one_day_share))))
        notes.append(f"one-day turn ({rules.movement.one_day_case})")
    if "out of supply" in piece.markers:
        points = Fraction(math.ceil(points * Fraction(str(rules.supply.out_movement))))
        notes.append(f"out of supply ({rules.supply.out_case})")
    if exploitation:
        points = Fraction(math.floor(points * Fraction(str(rules.exploitation.share))))
        notes.append(f"exploitation ({rules.exploitation.case})")
    return points, notes


def step_cost(theatre: Theatre, origin: Hex, target: Hex, domain: str) -> Fraction | None:
    """Movement points to go from ``origin`` into the neighbouring ``target``; None when the
    unit may not enter it (6.3)."""
    scaled = scaled_step(theatre, origin, target, domain)
    return None if scaled is None else Fraction(scaled, cost_scale(theatre))


def cost_scale(theatre: Theatre) -> int:
    """The denominator that makes every movement cost a whole number (2 with roads at half a
    point a hex), so paths are searched in integers."""
    scale = theatre.__dict__.get("_cost_scale")
    if scale is None:
        import math

        values = list(theatre.costs.values()) + [theatre.play.movement.route_fraction]
        scale = 1
        for value in values:
            scale = scale * value.denominator // math.gcd(scale, value.denominator)
        theatre.__dict__["_cost_scale"] = scale
    return scale


def scaled_step(theatre: Theatre, origin: Hex, target: Hex, domain: str) -> int | None:
    """:func:`step_cost` times :func:`cost_scale`, remembered per hexside."""
    kind = "naval" if domain == "naval" else "land"
    memo = theatre.__dict__.setdefault("_step_memo", {})
    key = (origin, target, kind)
    if key in memo:
        return memo[key]
    memo[key] = value = _step(theatre, origin, target, kind)
    return value


def step_table(theatre: Theatre, domain: str) -> dict[Hex, list[tuple[Hex, int]]]:
    """For every hex, the neighbours a unit of the domain may enter and what each costs
    (scaled): the movement graph of the map, built once per theatre."""
    kind = "naval" if domain == "naval" else "land"
    tables = theatre.__dict__.setdefault("_step_tables", {})
    if kind not in tables:
        game_map = theatre.need_map()
        table = {}
        for hex_ in game_map.hexes():
            table[hex_] = [(other, cost) for other in game_map.neighbours_on_map(hex_)
                           if (cost := scaled_step(theatre, hex_, other, domain)) is not None]
        tables[kind] = table
    return tables[kind]


def _step(theatre: Theatre, origin: Hex, target: Hex, kind: str) -> int | None:
    game_map = theatre.need_map()
    scale = cost_scale(theatre)
    terrain = game_map.terrain.get(target)
    if terrain is None:
        return None
    if kind == "naval":
        return scale if terrain in WATER or target in theatre.ports else None
    if terrain in WATER:
        return None
    key = side_key(origin, target)
    if key in theatre.route_steps:
        return int(theatre.play.movement.route_fraction * scale)
    cost = theatre.costs.get(terrain, Fraction(0))
    if not cost:
        return None
    side = game_map.hexsides.get(key)
    total = cost + (theatre.costs.get(side, Fraction(0)) if side else 0)
    return int(total * scale)


def _closed(game_map, hex_: Hex, domain: str) -> str:
    """What keeps a unit of the domain out of a hex, in a refusal's words."""
    if domain == "naval":
        return "land"
    return "a lake" if game_map.terrain.get(hex_) == "lake" else "all sea"


class Mover:
    """One unit about to move in a phase: what it may spend and the enemy around it."""

    def __init__(self, theatre: Theatre, position: Position, unit_id: str, budget: Fraction,
                 ignore_zoc: bool = False):
        self.theatre, self.position, self.unit = theatre, position, unit_id
        piece = position[unit_id]
        self.side = piece.side
        self.start = piece.at
        self.budget = budget
        self.domain = theatre.domain(unit_id)
        zoc_rules = theatre.play.zoc
        naval = self.domain == "naval"
        self.zoc = frozenset() if (ignore_zoc or naval or self.domain in zoc_rules.ignored_by
                                   or zoc_rules.kind == "none") else \
            zoc_of(theatre, position, theatre.enemy(self.side))
        self.blocked = frozenset() if naval else enemy_held(theatre, position, self.side)
        self.scale = cost_scale(theatre)
        scaled = budget * self.scale
        self.scaled_budget = int(scaled) if scaled.denominator == 1 else int(scaled)

    def _allowed(self, origin: Hex, target: Hex, first: bool) -> int | None:
        """The scaled cost of a step the rules allow, else None (the fast path of
        :meth:`_refuse_step`)."""
        if target in self.blocked:
            return None
        cost = scaled_step(self.theatre, origin, target, self.domain)
        if cost is None:
            return None
        if origin in self.zoc:
            if not first or (target in self.zoc and not self.theatre.play.zoc.zoc_to_zoc):
                return None
            cost += self.theatre.play.zoc.leave_cost * self.scale
        return cost

    def _refuse_step(self, origin: Hex, target: Hex, first: bool) -> Refusal | None:
        rules = self.theatre.play
        name = self.theatre.name(self.unit)
        if not adjacent(origin, target):
            return Refusal(rules.movement.case, f"{hex_id(origin)} to {hex_id(target)} is not "
                           "one hex: write every hex of the path, or only the destination")
        if target in self.blocked:
            return Refusal(rules.stacking.enemy_case, f"{name} cannot enter {hex_id(target)}: "
                           "enemy units hold it", "attack it in the combat phase instead")
        if scaled_step(self.theatre, origin, target, self.domain) is None:
            closed = _closed(self.theatre.need_map(), target, self.domain)
            return Refusal(rules.movement.prohibited_case, f"{name} cannot enter "
                           f"{hex_id(target)}: it is {closed}")
        if origin in self.zoc and target in self.zoc and not rules.zoc.zoc_to_zoc:
            return Refusal(rules.zoc.movement_case, f"{hex_id(origin)} to {hex_id(target)} "
                           "leaves one enemy ZOC for another",
                           "leave the ZOC by a hex outside every enemy ZOC first")
        if origin in self.zoc and not first:
            return Refusal(rules.zoc.movement_case, f"{name} entered an enemy ZOC at "
                           f"{hex_id(origin)} and must stop there", f"end the move at "
                           f"{hex_id(origin)}")
        return None

    def cost(self, origin: Hex, target: Hex, first: bool) -> Fraction:
        cost = step_cost(self.theatre, origin, target, self.domain)
        if first and origin in self.zoc:
            cost += self.theatre.play.zoc.leave_cost
        return cost

    def check(self, path: list[Hex]) -> Leg:
        """The leg along ``path`` (the start included), or the Refusal that stops it."""
        rules = self.theatre.play
        if not path or path[0] != self.start:
            raise Refusal(rules.movement.case, f"the path must start where "
                          f"{self.theatre.name(self.unit)} stands ({hex_id(self.start)})")
        total = Fraction(0)
        for index, (origin, target) in enumerate(zip(path, path[1:])):
            refusal = self._refuse_step(origin, target, index == 0)
            if refusal is not None:
                raise refusal
            total += self.cost(origin, target, index == 0)
        if len(set(path)) != len(path):
            raise Refusal(rules.movement.case, "the path enters a hex twice")
        if total <= self.budget:
            return Leg(tuple(path), total)
        if len(path) == 2 and rules.movement.always_one_hex:
            return Leg(tuple(path), total, one_hex=True)
        raise Refusal(rules.movement.case, f"{self.theatre.name(self.unit)} from "
                      f"{hex_id(path[0])} to {hex_id(path[-1])} costs "
                      f"{fraction_text(total)} movement points; its allowance is "
                      f"{fraction_text(self.budget)}", self._reach_hint(path[-1]))

    def search(self, budget: int | None, goal: Hex | None = None) -> dict[Hex, tuple[int, Hex | None]]:
        """Cheapest scaled cost and previous hex of every hex the unit can end its move in,
        within ``budget`` (scaled; None for no limit), stopping early at ``goal``. The one
        hex a unit may always move (6.2) counts even beyond the budget."""
        best: dict[Hex, tuple[int, Hex | None]] = {self.start: (0, None)}
        queue = [(0, self.start)]
        steps = step_table(self.theatre, self.domain)
        one_hex = self.theatre.play.movement.always_one_hex
        zoc, blocked = self.zoc, self.blocked
        leave = self.theatre.play.zoc.leave_cost * self.scale
        zoc_to_zoc = self.theatre.play.zoc.zoc_to_zoc
        start = self.start
        done = set()
        while queue:
            cost, hex_ = heapq.heappop(queue)
            if hex_ in done:
                continue
            done.add(hex_)
            if hex_ == goal:
                break
            first = hex_ == start
            in_zoc = hex_ in zoc
            if in_zoc and not first:
                continue  # entered an enemy ZOC: the move stops here
            for other, step in steps.get(hex_, ()):
                if other in blocked:
                    continue
                if in_zoc:  # leaving the ZOC it started in
                    if other in zoc and not zoc_to_zoc:
                        continue
                    step += leave
                total = cost + step
                within = budget is None or total <= budget
                if not within and not (first and one_hex):
                    continue
                known = best.get(other)
                if known is None or total < known[0]:
                    best[other] = (total, hex_)
                    if within:
                        heapq.heappush(queue, (total, other))
        return best

    def reachable(self) -> dict[Hex, tuple[Fraction, Hex | None]]:
        """Every hex the unit can end its move in: cheapest cost and the hex before it."""
        scale = self.scale
        return {h: (Fraction(c, scale), prev) for h, (c, prev) in
                self.search(self.scaled_budget).items()}

    def route_to(self, goal: Hex) -> Leg:
        """The cheapest legal leg to ``goal`` (ties broken by the lowest hex numbers)."""
        best = self.search(self.scaled_budget, goal)
        if goal not in best:
            raise self._why_not(goal)
        path = [goal]
        while best[path[-1]][1] is not None:
            path.append(best[path[-1]][1])
        return self.check(path[::-1])

    def _why_not(self, goal: Hex) -> Refusal:
        rules = self.theatre.play
        name = self.theatre.name(self.unit)
        game_map = self.theatre.need_map()
        if goal in self.blocked:
            return Refusal(rules.stacking.enemy_case, f"{name} cannot enter {hex_id(goal)}: "
                           "enemy units hold it", "attack it in the combat phase instead")
        if goal in game_map and not any(scaled_step(self.theatre, n, goal, self.domain)
                                        is not None for n in game_map.neighbours_on_map(goal)):
            return Refusal(rules.movement.prohibited_case, f"{name} cannot enter "
                           f"{hex_id(goal)}: it is {_closed(game_map, goal, self.domain)}")
        free = Mover(self.theatre, self.position, self.unit, self.budget,
                     ignore_zoc=True).search(None, goal)
        if goal not in free:
            return Refusal(rules.movement.prohibited_case, f"{name} has no path to "
                           f"{hex_id(goal)} over terrain it may enter")
        with_zoc = self.search(None, goal)
        if goal not in with_zoc:
            return Refusal(rules.zoc.movement_case, f"every path of {name} to {hex_id(goal)} "
                           "enters an enemy ZOC before it or leaves one for another",
                           self._reach_hint(goal))
        cheapest = Fraction(with_zoc[goal][0], self.scale)
        if Fraction(free[goal][0], self.scale) <= self.budget < cheapest:
            return Refusal(rules.zoc.movement_case, f"{name} could reach {hex_id(goal)} only "
                           "by going on after entering an enemy ZOC or by leaving one for "
                           f"another; keeping to those rules costs {fraction_text(cheapest)} "
                           f"movement points and its allowance is "
                           f"{fraction_text(self.budget)}", self._reach_hint(goal))
        return Refusal(rules.movement.case, f"{name} from {hex_id(self.start)} to "
                       f"{hex_id(goal)} costs {fraction_text(cheapest)} movement points; "
                       f"its allowance is {fraction_text(self.budget)}", self._reach_hint(goal))

    def _reach_hint(self, goal: Hex) -> str:
        """Where the unit could go instead: the reachable hex nearest the goal."""
        from wargame.maps.hexgrid import distance

        best = self.reachable()
        options = [h for h, (cost, _) in best.items() if h != self.start
                   and cost <= self.budget]
        if not options:
            return "it can move one hex at most"
        nearest = min(options, key=lambda h: (distance(h, goal), best[h][0], h))
        return (f"it can reach {hex_id(nearest)} ({fraction_text(best[nearest][0])} movement "
                "points)")
