"""Resolving one combat on one table: strengths, column, shifts, DRMs, the roll, the result.

The work is split so that odds can be shown before any die exists: :func:`prepare` fixes
everything but the roll (and explains each step); :func:`distribution` gives the exact
probability of every result; :func:`resolve` rolls, taking faces from a FaceSource.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from fractions import Fraction

import attrs

from wargame.engine.dice import FaceSource, Roll
from wargame.engine.results import ResultDef
from wargame.engine.tables import Table
from wargame.errors import UsageError

NO_ATTACK = ResultDef("no attack", "Attack not allowed at these odds")


@attrs.frozen
class Contribution:
    """One unit's (or an ad hoc) strength on one side."""

    label: str
    value: int


@attrs.frozen
class Modifier:
    """A reason that shifts the column, modifies the roll, or multiplies a side's strength."""

    reason: str
    shift: int = 0
    drm: int = 0
    attack_multiplier: Fraction = Fraction(1)
    defence_multiplier: Fraction = Fraction(1)


@attrs.frozen
class Combat:
    """Everything known about one combat before the dice."""

    attack: tuple[Contribution, ...]
    defence: tuple[Contribution, ...] = ()
    modifiers: tuple[Modifier, ...] = ()
    column: str | None = None  # for 'choice' tables
    retreat_blocked: bool = False


@attrs.frozen
class Prepared:
    """A combat with its column and modifiers fixed: only the roll is missing."""

    table: Table
    combat: Combat
    attack: int
    defence: int
    column: int | None  # None when the result is automatic
    automatic: ResultDef | None
    shift: int
    drm: int
    explanation: tuple[str, ...]

    @property
    def column_label(self) -> str:
        return self.table.columns[self.column] if self.column is not None else "-"


@attrs.frozen
class Resolution:
    """A resolved combat: the roll, the row and the result, with the reasons."""

    prepared: Prepared
    roll: Roll | None
    modified: int | None
    row: str | None
    result: ResultDef
    explanation: tuple[str, ...]


def _round(value: Fraction, mode: str) -> int:
    if mode == "up":
        return math.ceil(value)
    if mode == "nearest":
        return math.floor(value + Fraction(1, 2))
    return math.floor(value)


def _side_total(parts: Iterable[Contribution], multipliers: list[tuple[Fraction, str]],
                rounding: str, name: str, lines: list[str]) -> int:
    parts = list(parts)
    raw = sum(p.value for p in parts)
    shown = " + ".join(f"{p.value} ({p.label})" for p in parts) or "0"
    total = Fraction(raw)
    for factor, reason in multipliers:
        total *= factor
        shown += f" x{_fraction_text(factor)} ({reason})"
    final = _round(total, rounding)
    if raw > 0 and final < 1:
        final = 1  # a side that fights always counts at least one point
    note = f" = {final}" if len(parts) > 1 or multipliers else ""
    if total != final and multipliers:
        note = f" = {_fraction_text(total)}, rounded {rounding} to {final}"
    lines.append(f"{name}: {shown}{note}")
    return final


def _fraction_text(value: Fraction) -> str:
    return str(value.numerator) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"


def _base_column(table: Table, attack: int, defence: int, combat: Combat,
                 lines: list[str]) -> int:
    """Column index before shifts; -1 below the table, > last index beyond it."""
    spec = table.spec
    last = len(spec.columns) - 1
    if spec.kind == "choice":
        if combat.column is None:
            raise UsageError(f'table "{table.id}" needs a column: one of '
                             + ", ".join(spec.columns))
        index = table.column_index(combat.column)
        lines.append(f"Column: {spec.columns[index]} (chosen)")
        return index
    if spec.kind == "odds":
        if defence <= 0:
            lines.append("Odds: no defence strength; beyond the last column")
            return last + 1
        ratio = Fraction(attack, defence)
        said = f"Odds: {attack} to {defence} = {_odds_text(ratio)}"
        below = [i for i, threshold in enumerate(table.odds) if threshold <= ratio]
        if not below:
            # count the columns past the edge as they are counted above it: 1-4, 1-5... below
            # a 1-3 column, so a shift must climb all of them before the table is reached
            missing = _columns_below(ratio, table.odds[0])
            lines.append(f"{said}: {_count(missing, 'column')} below the lowest column, "
                         f"{spec.columns[0]}")
            return -missing
        index = below[-1]
        extra = 0
        if index == last and table.odds[-1] >= 1:
            extra = math.floor(ratio) - math.floor(table.odds[-1])
        rounded = " (rounded in the defender's favour)" if ratio != table.odds[index] \
            and not extra else ""
        where = f"column {spec.columns[index]}{rounded}"
        if extra:
            where = (f"column {spec.columns[index]} (the highest), {_count(extra, 'column')} "
                     "beyond it")
        lines.append(f"{said}: {where}")
        return index + extra
    value = attack - defence if spec.kind == "differential" else attack
    what = (f"Differential: {attack} - {defence} = {value:+d}" if spec.kind == "differential"
            else f"Fire strength: {value}")
    bands = table.column_bands
    if value < bands[0].low:
        missing = int(bands[0].low - value)
        lines.append(f"{what}: {_count(missing, 'column')} below the lowest column, "
                     f"{bands[0].printed}")
        return -missing
    if value > bands[-1].high:
        extra = int(value - bands[-1].high)
        lines.append(f"{what}: column {bands[-1].printed} (the highest), "
                     f"{_count(extra, 'column')} beyond it")
        return last + extra
    index = next(i for i, band in enumerate(bands) if band.contains(value))
    lines.append(f"{what}: column {bands[index].printed}")
    return index


_NUMBERS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def _count(n: int, noun: str) -> str:
    """'one column', 'three columns', '12 columns': numbers as a rulebook writes them."""
    word = _NUMBERS[n] if 0 <= n < len(_NUMBERS) else str(n)
    return f"{word} {noun}{'' if n == 1 else 's'}"


def _odds_text(ratio: Fraction) -> str:
    """Odds as players say them, rounded in the defender's favour: '8 to 1', '1 to 3'."""
    if ratio >= 1:
        whole = math.floor(ratio)
        return f"{whole} to 1" + ("" if ratio == whole else f" (exactly {float(ratio):.2f})")
    against = math.ceil(1 / ratio)
    return f"1 to {against}" + ("" if 1 / ratio == against else
                                f" (exactly 1 to {float(1 / ratio):.2f})")


def _columns_below(ratio: Fraction, first: Fraction) -> int:
    """Columns between odds below a table and its first column, counted 1-1, 1-2, 1-3...
    (every column of the form 1-n, and one for 1-1 when the table starts above it)."""
    against = math.ceil(1 / ratio)  # rounded in the defender's favour
    if first < 1:
        return max(1, against - math.ceil(1 / first))
    return max(1, against - 1 + (1 if first > 1 else 0))


def _capped(total: int, cap: int | None, name: str, lines: list[str]) -> int:
    if cap is not None and abs(total) > cap:
        capped = cap if total > 0 else -cap
        lines.append(f"{name} {total:+d} capped at {capped:+d}")
        return capped
    return total


def prepare(table: Table, combat: Combat, extra: Iterable[Modifier] = ()) -> Prepared:
    """Fix strengths, column and modifiers; explain each step. No dice are involved."""
    spec = table.spec
    lines: list[str] = []
    modifiers = list(combat.modifiers) + list(extra)
    attack_mult = [(m.attack_multiplier, m.reason) for m in modifiers if m.attack_multiplier != 1]
    defence_mult = [(m.defence_multiplier, m.reason) for m in modifiers
                    if m.defence_multiplier != 1]
    attack = 0
    if spec.kind != "choice":
        attack = _side_total(combat.attack, attack_mult, spec.rounding, "Attack", lines)
    defence = 0
    if spec.kind in ("odds", "differential"):
        defence = _side_total(combat.defence, defence_mult, spec.rounding, "Defence", lines)
    base = _base_column(table, attack, defence, combat, lines)

    shifts = [m for m in modifiers if m.shift]
    shift = sum(m.shift for m in shifts)
    if shifts:
        lines.append("Shifts: " + ", ".join(f"{m.shift:+d} {m.reason}" for m in shifts)
                     + f" = {shift:+d}")
    shift = _capped(shift, spec.shift_cap, "Net shift", lines)
    drms = [m for m in modifiers if m.drm]
    drm = sum(m.drm for m in drms)

    index = base + shift
    last = len(spec.columns) - 1
    automatic = None
    column: int | None = index
    if index < 0:
        column = 0 if spec.below == "clamp" else None
        if spec.below == "none":
            automatic = NO_ATTACK
        elif spec.below != "clamp":
            automatic = table.result(spec.below)
        lines.append(f"Below the table: {_policy_text(spec.below, table)}"
                     + (f" ({_count(-index, 'column')} below it after shifts)"
                        if shift and spec.below != "clamp" else ""))
    elif index > last:
        column = last if spec.above == "clamp" else None
        if spec.above != "clamp":
            automatic = table.result(spec.above)
        elif spec.above_drm:
            beyond = (index - last) * spec.above_drm
            drms.append(Modifier(f"for {_count(index - last, 'column')} beyond the table",
                                 drm=beyond))
            drm += beyond
        lines.append(f"Beyond the table: {_policy_text(spec.above, table)}")
    if column is not None and shift:
        lines.append(f"Column after shifts: {table.column_text(column)}")
    if drms:
        lines.append("DRM: " + ", ".join(f"{m.drm:+d} {m.reason}" for m in drms)
                     + f" = {drm:+d}")
    drm = _capped(drm, spec.drm_cap, "Net DRM", lines)
    if automatic is not None:
        column = None
        lines.append(f"Automatic result: {automatic.code} ({automatic.text}); no roll")
    return Prepared(table, combat, attack, defence, column, automatic, shift, drm, tuple(lines))


def _policy_text(policy: str, table: Table) -> str:
    if policy == "clamp":
        return "use the nearest column"
    if policy == "none":
        return "attack not allowed"
    return f"automatic {policy} ({table.result(policy).text})"


def outcome(prepared: Prepared, raw_total: int) -> tuple[ResultDef, str | None, int | None]:
    """The result for a raw dice total: (result, row label, modified total)."""
    if prepared.automatic is not None:
        return prepared.automatic, None, None
    table = prepared.table
    natural = table.spec.natural.get(str(raw_total))
    if natural is not None:
        return _blocked(prepared, table.result(natural)), f"natural {raw_total}", raw_total
    modified = raw_total + prepared.drm
    row = table.row_for(modified)
    if isinstance(row, str):
        return _blocked(prepared, table.result(row)), "off the table", modified
    code = table.cell(row, prepared.column)
    return _blocked(prepared, table.result(code)), table.row_bands[row].label, modified


def _row_index(table: Table, label: str | None) -> int | None:
    return next((i for i, band in enumerate(table.row_bands) if band.label == label), None)


def _blocked(prepared: Prepared, result: ResultDef) -> ResultDef:
    """Apply the table's rule for a retreat the defender cannot make."""
    if not prepared.combat.retreat_blocked or not result.defender.retreat:
        return result
    table = prepared.table
    if result.blocked is not None:
        return table.result(result.blocked)
    policy = table.spec.blocked_retreat
    if policy == "ignore":
        return result
    defender = result.defender
    if policy == "eliminated":
        changed = attrs.evolve(defender, eliminated=True, retreat=0, optional_retreat=False)
        note = "retreat blocked: eliminated"
    else:
        changed = attrs.evolve(defender, steps=defender.steps + defender.retreat, retreat=0,
                               optional_retreat=False)
        note = f"retreat blocked: {defender.retreat} more step{'s' if defender.retreat > 1 else ''}"
    return attrs.evolve(result, code=f"{result.code}!", text=f"{result.text}, {note}",
                        defender=changed, blocked=None)


def distribution(prepared: Prepared) -> dict[ResultDef, Fraction]:
    """Exact probability of every result (fractions summing to 1)."""
    if prepared.automatic is not None:
        return {prepared.automatic: Fraction(1)}
    counts = prepared.table.dice.counts()
    ways = sum(counts.values())
    tally: dict[ResultDef, int] = {}
    for total, n in counts.items():
        result = outcome(prepared, total)[0]
        tally[result] = tally.get(result, 0) + n
    return {result: Fraction(n, ways) for result, n in tally.items()}


def resolve(prepared: Prepared, faces: FaceSource) -> Resolution:
    """Roll and look up the result; the explanation ends with the roll and the result."""
    lines = list(prepared.explanation)
    if prepared.automatic is not None:
        return Resolution(prepared, None, None, None, prepared.automatic, tuple(lines))
    read = getattr(faces, "total_read", None)
    roll = Roll(prepared.table.dice, (), read) if read is not None \
        else prepared.table.dice.roll(faces)
    result, row, modified = outcome(prepared, roll.total)
    roll_text = f"Roll {roll.describe()}"
    if getattr(faces, "entered", False):
        roll_text += " (rolled at the table and entered)"
    if row and row.startswith("natural"):
        roll_text += f" (natural roll: {result.code} whatever the modifiers)"
    elif prepared.drm:
        roll_text += f", modified {modified}"
    lines.append(roll_text)
    column = prepared.table.column_text(prepared.column)
    row_text = prepared.table.row_text(_row_index(prepared.table, row)) \
        if _row_index(prepared.table, row) is not None else row
    lines.append(f"Result: column {column}, row {row_text}: {result.code}: "
                 f"{result.describe()}")
    return Resolution(prepared, roll, modified, row, result, tuple(lines))
