"""The answer to "the dice hate me": every die rolled so far against a fair die, and every
result against the odds the rulings sheet gave before the roll."""

from __future__ import annotations

import math
from collections import Counter
from fractions import Fraction


def chi_square_p(statistic: float, degrees: int) -> float:
    """P(X >= statistic) for a chi-square variable: the regularised upper gamma Q(k/2, x/2)."""
    if statistic <= 0:
        return 1.0
    a, x = degrees / 2, statistic / 2
    if x < a + 1:  # series for P, then Q = 1 - P
        term = total = 1 / a
        n = a
        for _ in range(500):
            n += 1
            term *= x / n
            total += term
            if term < total * 1e-15:
                break
        return max(0.0, 1 - total * math.exp(-x + a * math.log(x) - math.lgamma(a)))
    # continued fraction for Q (Lentz)
    b = x + 1 - a
    c = 1 / 1e-300
    d = 1 / b
    h = d
    for i in range(1, 500):
        an = -i * (i - a)
        b += 2
        d = an * d + b
        d = 1e-300 if abs(d) < 1e-300 else d
        c = b + an / c
        c = 1e-300 if abs(c) < 1e-300 else c
        d = 1 / d
        delta = d * c
        h *= delta
        if abs(delta - 1) < 1e-15:
            break
    return math.exp(-x + a * math.log(x) - math.lgamma(a)) * h


def dice_report(game) -> list[str]:
    """Lines of the report: faces per die size, then results against their odds."""
    from wargame.engine.dice import parse_dice

    state = game.state()
    rules = game.session().rules
    faces: dict[int, Counter] = {}
    expected: Counter = Counter()
    observed: Counter = Counter()
    rolls = 0
    for turn in state.turns.values():
        for ruling in turn.rulings:
            roll = turn.rolls.get(ruling["label"])
            if roll is None or ruling["label"] in turn.voided or not roll["stages"]:
                continue  # a voided or lapsed roll is no evidence about the dice
            rolls += 1
            for stage in roll["stages"]:
                dice = parse_dice(rules.tables[stage["table"]].spec.dice)
                sides = [t.sides for t in dice.terms]
                for term_sides, term_faces in zip(sides, stage["faces"]):
                    for face in term_faces:
                        if term_sides == 66:
                            continue
                        faces.setdefault(term_sides, Counter())[face] += 1
            odds = ruling.get("preview", {}).get("odds")
            if isinstance(odds, dict):
                for code, p in odds.items():
                    expected[code] += Fraction(p)
                observed[roll["result"]] += 1
    voided = sum(len(turn.voided) for turn in state.turns.values())
    lines = [f"{rolls} rolls so far" + (f" ({voided} voided, left out)." if voided else ".")]
    for sides, counts in sorted(faces.items()):
        total = sum(counts.values())
        mean = total / sides
        statistic = sum((counts[f] - mean) ** 2 / mean for f in range(1, sides + 1))
        p = chi_square_p(statistic, sides - 1)
        shown = "  ".join(f"{f}:{counts[f]}" for f in range(1, sides + 1))
        verdict = "consistent with a fair die" if p >= 0.01 else "unusual: worth a look"
        lines.append(f"d{sides}: {total} dice, {shown}; chi-square {statistic:.2f}, "
                     f"p = {p:.3f} ({verdict})")
    if expected:
        lines.append("Results against the odds of the rulings sheet (expected vs rolled):")
        for code in sorted(set(expected) | set(observed)):
            lines.append(f"  {code:>6}: expected {float(expected[code]):6.2f}, rolled "
                         f"{observed[code]}")
    return lines
