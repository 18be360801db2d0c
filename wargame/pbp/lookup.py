"""A roll's result read again from its table, from plain facts about the table that the
command line and the browser page both check with (the page gets the same facts as JSON):
the total from the faces, the modified total, the row, and the cell (or the natural, off-table
or automatic result the table's policies give). One rule, two verifiers."""

from __future__ import annotations

import math


def dice_facts(dice) -> dict:
    """Dice as data: terms with their sides, count, sign and keep; and the constant."""
    return {"terms": [{"sides": t.sides, "count": t.count, "sign": t.sign, "keep": t.keep,
                       "high": t.keep_high} for t in dice.terms],
            "constant": dice.constant}


def table_facts(table) -> dict:
    """What a results table decides, as data (JSON: open row bands have null ends)."""
    spec = table.spec
    policies = (spec.below, spec.above, spec.roll_below, spec.roll_above)
    return {
        "dice": dice_facts(table.dice),
        "columns": list(spec.columns),
        "rows": [[None if math.isinf(b.low) else b.low, None if math.isinf(b.high) else b.high,
                  b.label] for b in table.row_bands],
        "cells": [list(row) for row in spec.cells],
        "roll_below": spec.roll_below, "roll_above": spec.roll_above,
        "natural": dict(spec.natural),
        "automatic": sorted({p for p in policies if p not in ("clamp", "none")}),
        "blocked": {code: r.blocked for code, r in table.legend.items() if r.blocked},
    }


def total_of(dice: dict, faces: list[list[int]]) -> int:
    """The total the dice give for these faces (a d66 reads its two dice as 11..66)."""
    total = dice["constant"]
    if len(faces) != len(dice["terms"]):
        raise ValueError("the faces do not match the dice")
    for term, drawn in zip(dice["terms"], faces):
        if term["sides"] == 66:
            value = sum(10 * a + b for a, b in zip(drawn[0::2], drawn[1::2]))
        else:
            kept = sorted(drawn, reverse=term["high"])
            value = sum(kept[:term["keep"]] if term["keep"] is not None else kept)
        total += term["sign"] * value
    return total


def lookup_problem(facts: dict, body: dict) -> str | None:
    """What is wrong with a combat roll's total, row or result by its table, or None."""
    faces, result = body.get("faces"), body.get("result")
    if not faces:
        if result in facts["automatic"]:
            return None
        return (f'a roll without dice whose result "{result}" is none of the table\'s '
                "automatic results")
    total = total_of(facts["dice"], faces)
    if total != body.get("total"):
        return f"the dice {faces} total {total}, not {body.get('total')}"
    natural = facts["natural"].get(str(total))
    if natural is not None:
        code, row = natural, f"natural {total}"
    else:
        modified = total + body.get("drm", 0)
        if modified != body.get("modified"):
            return f"{total} with {body.get('drm', 0):+d} is {modified}, not {body.get('modified')}"
        code, row = _cell(facts, body.get("column"), modified)
        if code is None:
            return f'the table has no column "{body.get("column")}"'
    allowed = {code, f"{code}!", facts["blocked"].get(code)} - {None}
    if result not in allowed or body.get("row") != row:
        return (f"row {body.get('row')} and result {result} where the table gives row {row} "
                f"and {code}")
    return None


def _cell(facts: dict, column: str, modified: int) -> tuple[str | None, str]:
    if column not in facts["columns"]:
        return None, ""
    index = facts["columns"].index(column)
    rows = facts["rows"]
    for number, (low, high, label) in enumerate(rows):
        if (low is None or low <= modified) and (high is None or modified <= high):
            return facts["cells"][number][index], label
    below = rows[0][0] is not None and modified < rows[0][0]
    policy = facts["roll_below"] if below else facts["roll_above"]
    if policy == "clamp":
        number = 0 if below else len(rows) - 1
        return facts["cells"][number][index], rows[number][2]
    return policy, "off the table"
