"""What a result means for each unit in the battle: flips, eliminations, retreats."""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from wargame.engine.results import Effect, ResultDef

if TYPE_CHECKING:  # odds on bare strengths need no unit classes
    from wargame.model import Catalog, Unit


@attrs.frozen
class Engaged:
    """A unit in a battle and the side it shows."""

    unit: Unit
    reduced: bool = False

    @property
    def steps_left(self) -> int:
        return self.unit.steps - (1 if self.reduced else 0)


def side_lines(catalog: Catalog | None, engaged: list[Engaged], effect: Effect,
               side: str) -> list[str]:
    """Plain-language consequences of ``effect`` for the units of one side."""
    lines: list[str] = []
    if effect.eliminated:
        lines += [f"{e.unit.id}: eliminated" for e in engaged] or [f"{side}: eliminated"]
        return lines
    if effect.steps:
        lines += _step_lines(catalog, engaged, effect.steps, side)
    if effect.retreat:
        hexes = f"{effect.retreat} hex{'es' if effect.retreat > 1 else ''}"
        if effect.optional_retreat:
            lines.append(f"{side}: retreat {hexes}, or lose a step for each hex not retreated")
        else:
            lines.append(f"{side}: every unit retreats {hexes}")
    for status in effect.status:
        lines.append(f"{side}: mark {status}")
    if effect.advance:
        lines.append(f"{side}: may advance {effect.advance} hex"
                     f"{'es' if effect.advance > 1 else ''} into the vacated hexes")
    return lines


def _step_lines(catalog, engaged, steps, side) -> list[str]:
    word = f"{steps} step{'s' if steps > 1 else ''}"
    if not engaged:
        return [f"{side}: loses {word}"]
    available = sum(e.steps_left for e in engaged)
    if available <= steps:
        return [f"{e.unit.id}: eliminated ({side} loses {word}, has only {available})"
                for e in engaged]
    if len(engaged) == 1:
        unit = engaged[0]
        if unit.steps_left - steps <= 0:
            return [f"{unit.unit.id}: eliminated"]
        reduced = catalog.format_factors(unit.unit, reduced=True) if catalog else "reduced"
        return [f"{unit.unit.id}: flips to its reduced side ({reduced})"]
    choices = ", ".join(f"{e.unit.id} ({e.steps_left} step{'s' if e.steps_left > 1 else ''})"
                        for e in engaged)
    return [f"{side}: owner removes {word} from {choices}"]


def result_lines(catalog: Catalog | None, result: ResultDef, attackers: list[Engaged],
                 defenders: list[Engaged], factors: tuple[str, str] = ("attack", "defence"),
                 ) -> list[str]:
    """Every consequence of a result, attacker first; an exchange's loss last, as it is
    taken after the defender's. ``factors``: what an exchange counts on each side."""
    lines = _by_effect(catalog, result, attackers, "attacker")
    lines += _by_effect(catalog, result, defenders, "defender")
    if result.exchange:
        lines.append(_exchange_line(result, defenders, factors))
    lines = lines or ["No effect on any unit."]
    return lines + [f"Also: {event}" for event in result.events]


def _by_effect(catalog, result: ResultDef, engaged: list[Engaged], side: str) -> list[str]:
    """One side's lines, its units grouped by the effect the result has on each (a result
    may treat armour apart)."""
    name = side.title()
    if not engaged or not getattr(result, f"{side}_by_type"):
        return side_lines(catalog, engaged, getattr(result, side), name)
    groups: dict[Effect, list[Engaged]] = {}
    for e in engaged:
        unit_type = e.unit.type
        domain = catalog.types[unit_type].domain if catalog else ""
        groups.setdefault(result.effect_for(side, unit_type, domain), []).append(e)
    lines = []
    for effect, units in groups.items():
        lines += side_lines(catalog, units, effect, name if len(groups) == 1 else
                            f"{name} ({', '.join(u.unit.id for u in units)})")
    return lines


def printed(engaged: Engaged, factor: str) -> int:
    """The factor printed on the side of the counter that is up."""
    values = engaged.unit.reduced if engaged.reduced and engaged.unit.reduced else \
        engaged.unit.factors
    return values.get(factor, 0)


def defender_loss(effect: Effect, defenders: list[Engaged], factor: str) -> tuple[int, int] | None:
    """(steps, printed factors) the defenders lose, or None when the owner's choice of
    units decides the factors."""
    if effect.eliminated:
        return sum(e.steps_left for e in defenders), sum(printed(e, factor) for e in defenders)
    available = sum(e.steps_left for e in defenders)
    if effect.steps >= available:
        return available, sum(printed(e, factor) for e in defenders)
    if len(defenders) == 1:
        unit = defenders[0]
        after = unit.unit.reduced.get(factor, 0) if unit.steps_left - effect.steps == 1 \
            and unit.unit.reduced and not unit.reduced else 0
        return effect.steps, printed(unit, factor) - after
    return None


def _exchange_line(result: ResultDef, defenders: list[Engaged],
                   factors: tuple[str, str]) -> str:
    attack_factor, defence_factor = factors
    loss = defender_loss(result.defender, defenders, defence_factor) if defenders else None
    if result.exchange_counts == "steps":
        if loss is None and not defenders:
            return "Attacker: loses as many steps as the defender lost (exchange)"
        steps = loss[0] if loss else result.defender.steps
        return f"Attacker: loses {steps} step{'s' if steps != 1 else ''} (exchange: as many " \
               "as the defender lost)"
    if loss is None:
        return (f"Attacker: loses units worth at least the printed {defence_factor} factors "
                f"the defender's losses remove, counted in {attack_factor} (exchange)")
    return (f"Attacker: loses units worth at least {loss[1]} printed {attack_factor} factors "
            f"(exchange: the defender lost {loss[1]} {defence_factor})")


def expected_steps(distribution, side: str) -> tuple[float, float]:
    """(expected steps lost, probability of elimination) for 'attacker' or 'defender'."""
    steps = 0.0
    eliminated = 0.0
    for result, p in distribution.items():
        effect: Effect = getattr(result, side)
        steps += float(p) * effect.steps
        if effect.eliminated:
            eliminated += float(p)
    return steps, eliminated
