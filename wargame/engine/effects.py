"""What a result means for each unit in the battle: flips, eliminations, retreats."""

from __future__ import annotations

import attrs

from wargame.engine.results import Effect, ResultDef
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
                 defenders: list[Engaged]) -> list[str]:
    """Every consequence of a result, attacker first."""
    if result.exchange and result.defender.eliminated and result.attacker.is_empty:
        lines = side_lines(catalog, defenders, result.defender, "Defender")
        lost = sum((e.unit.reduced if e.reduced and e.unit.reduced else e.unit.factors)
                   .get("defence", 0) for e in defenders)
        lines.append(f"Attacker: loses units worth at least {lost} printed factors "
                     "(exchange)" if defenders else "Attacker: loses as much as the defender")
        return lines
    lines = side_lines(catalog, attackers, result.attacker, "Attacker")
    lines += side_lines(catalog, defenders, result.defender, "Defender")
    return lines or ["No effect on any unit."]


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
