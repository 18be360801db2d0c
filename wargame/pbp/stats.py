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
    for record in state.rounds.values():
        planned = {b["label"]: b for b in (record.plan or {}).get("battles", [])}
        for kind, body in record.events:
            if kind != "roll" or not body.get("faces"):
                continue  # an automatic result is no evidence about the dice
            rolls += 1
            spec = rules.tables[body["table"]].spec.dice if body.get("table") in rules.tables \
                else body.get("dice", "1d6")
            dice = parse_dice(spec)
            for term, term_faces in zip(dice.terms, body["faces"]):
                for face in term_faces:
                    if term.sides == 66:
                        continue
                    faces.setdefault(term.sides, Counter())[face] += 1
            plan = planned.get(body["label"])
            if plan and plan.get("odds") and plan.get("attackers") == body.get("attackers") \
                    and plan.get("target") == body.get("target"):
                for code, p in plan["odds"].items():
                    expected[code] += Fraction(p)
                observed[body["result"]] += 1
    lines = [f"{rolls} rolls so far."]
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
        lines.append("Results against the odds on the locked sheets (expected vs rolled):")
        for code in sorted(set(expected) | set(observed)):
            lines.append(f"  {code:>6}: expected {float(expected[code]):6.2f}, rolled "
                         f"{observed[code]}")
    return lines
