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
from wargame.engine.spec import UnitFilter
from wargame.engine.tables import Table, dice_rule_text
from wargame.errors import UsageError

NO_ATTACK = ResultDef("no attack", "Attack not allowed at these odds")


@attrs.frozen
class Modifier:
    """A reason that shifts the column, modifies the roll, or changes a side's strength
    (multiplied, then added to; ``per_unit``: for each unit on its own)."""

    reason: str
    shift: int = 0
    drm: int = 0
    attack_multiplier: Fraction = Fraction(1)
    defence_multiplier: Fraction = Fraction(1)
    attack_add: Fraction = Fraction(0)
    defence_add: Fraction = Fraction(0)
    per_unit: bool = False
    id: str = ""  # of the named modifier or terrain, for cancellation
    attacker: UnitFilter | None = None  # applies only when the attacker's units are these
    defender: UnitFilter | None = None
    cancels: tuple[str, ...] = ()

    def filter_for(self, side: str) -> UnitFilter | None:
        return self.attacker if side == "attack" else self.defender

    def multiplier(self, side: str) -> Fraction:
        return self.attack_multiplier if side == "attack" else self.defence_multiplier

    def add(self, side: str) -> Fraction:
        return self.attack_add if side == "attack" else self.defence_add


@attrs.frozen
class UnitKind:
    """What a unit is, for modifiers that apply to some units only."""

    faction: str
    side: str
    type: str
    domain: str


@attrs.frozen
class Contribution:
    """One unit's (or an ad hoc) strength on one side, and what changes it alone (a unit at
    point-blank range, an elite unit): multipliers, then adds."""

    label: str
    value: int | Fraction
    modifiers: tuple[Modifier, ...] = ()
    kind: UnitKind | None = None  # None: an ad hoc strength


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


def _side_total(parts: Iterable[Contribution], modifiers: list[Modifier], side: str,
                spec, name: str, lines: list[str]) -> int:
    """A side's strength: each unit's own multipliers and adds, then the side's (unit by unit
    when the table rounds each unit), rounded, and raised to the table's minimum."""
    parts = list(parts)
    rounding, each = spec.rounding, spec.round_each
    changes = [m for m in modifiers if m.multiplier(side) != 1 or m.add(side)]
    everyone = [m for m in changes if m.per_unit]
    whole = [m for m in changes if not m.per_unit]
    if each:  # the side's multipliers go into each unit's rounding, for every unit of it
        everyone += [attrs.evolve(m, attacker=None, defender=None) for m in whole
                     if m.multiplier(side) != 1]
        whole = [m for m in whole if m.multiplier(side) == 1]
    values, shown = [], []
    for part in parts:
        value, notes = Fraction(part.value), []
        mods = list(part.modifiers) + [m for m in everyone if m.filter_for(side) is None
                                       or (part.kind and m.filter_for(side).matches(part.kind))]
        for m in mods:
            if m.multiplier(side) != 1:
                value *= m.multiplier(side)
                notes.append(f"x{_ratio_text(m.multiplier(side))} {m.reason}")
        for m in mods:
            if m.add(side):
                value += m.add(side)
                notes.append(f"{_signed(m.add(side))} {m.reason}")
        if each and value.denominator != 1:
            rounded = _round(value, rounding)
            notes.append(f"{_fraction_text(value)} rounded {rounding}")
            value = Fraction(rounded)
        values.append(value)
        label = f"{part.label}: {_fraction_text(Fraction(part.value))} " + ", ".join(notes) \
            if notes else part.label
        shown.append(f"{_fraction_text(value)} ({label})")
    raw = sum(Fraction(p.value) for p in parts)
    total = sum(values, Fraction(0))
    text = " + ".join(shown) or "0"
    changed = False
    for m in whole:
        if m.multiplier(side) != 1:
            total *= m.multiplier(side)
            text += f" x{_ratio_text(m.multiplier(side))} ({m.reason})"
            changed = True
    for m in whole:
        if m.add(side):
            total += m.add(side)
            text += f" {_signed(m.add(side))} ({m.reason})"
            changed = True
    final = _round(total, rounding)
    note = f" = {final}" if len(parts) > 1 or changed or everyone else ""
    if total != final:
        note = f" = {_fraction_text(total)}, rounded {rounding} to {final}"
    least = spec.minimum_strength
    if raw > 0 and final < least:
        note += f", raised to the table's least strength of {least}"
        final = least
    elif final < 0:
        note += ", counted as 0"
        final = 0
    lines.append(f"{name}: {text}{note}")
    return final


def _ratio_text(value: Fraction) -> str:
    """A multiplier as rules print it: 2, 1/2, 3/2."""
    return str(value.numerator) if value.denominator == 1 else \
        f"{value.numerator}/{value.denominator}"


def _signed(value: Fraction) -> str:
    return ("+" if value > 0 else "-") + _fraction_text(abs(value))


def _fraction_text(value: Fraction) -> str:
    """3, 1.5, 2/3: whole numbers and halves as a rulebook prints them."""
    if value.denominator == 1:
        return str(value.numerator)
    if 100 % value.denominator == 0:
        return f"{float(value):g}"
    return f"{value.numerator}/{value.denominator}"


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
        if attack <= 0:
            lines.append(f"Odds: 0 to {defence}: no attack strength, below every column")
            return -NO_STRENGTH
        ratio = Fraction(attack, defence)
        if spec.odds_rounding != "defender":
            return _odds_column(table, ratio, attack, defence, lines)
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
        if ratio != table.odds[index] and not extra:
            said += f", rounded in the defender's favour to {_odds_text(table.odds[index])}"
        where = f"column {spec.columns[index]}"
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


#: How far below the table an attack of no strength is: beyond any shift's reach.
NO_STRENGTH = 1000


def _odds_key(ratio: Fraction) -> Fraction:
    """Odds on a line with one step per column as rulebooks count them: 1-1 is 0, 2-1 is 1,
    3-2 is 1/2, 1-2 is -1, 1-3 is -2."""
    return ratio - 1 if ratio >= 1 else 1 - 1 / ratio


def _odds_column(table: Table, ratio: Fraction, attack: int, defence: int,
                 lines: list[str]) -> int:
    """The column of odds rounded in the attacker's favour or to the nearest column
    (halfway: the defender's); off the table, the virtual columns are counted alike."""
    spec = table.spec
    mode = spec.odds_rounding
    keys = [_odds_key(t) for t in table.odds]
    key = _odds_key(ratio)
    said = f"Odds: {attack} to {defence} = {_odds_text(ratio)}"
    how = "rounded in the attacker's favour" if mode == "attacker" else "rounded to the nearest"

    def whole(value: Fraction) -> int:
        return math.ceil(value) if mode == "attacker" else math.ceil(value - Fraction(1, 2))

    last = len(keys) - 1
    if key > keys[-1]:
        extra = whole(key) - math.floor(keys[-1])
        if extra > 0:
            lines.append(f"{said}, {how}: column {spec.columns[-1]} (the highest), "
                         f"{_count(extra, 'column')} beyond it")
            return last + extra
        index = last
    elif key < keys[0]:
        missing = math.ceil(keys[0]) - whole(key)
        if missing > 0:
            lines.append(f"{said}, {how}: {_count(missing, 'column')} below the lowest "
                         f"column, {spec.columns[0]}")
            return -missing
        index = 0
    elif mode == "attacker":
        index = next(i for i, k in enumerate(keys) if k >= key)
    else:  # nearest; halfway goes to the lower column
        index = min(range(len(keys)), key=lambda i: (abs(keys[i] - key), i))
    rounded = f" ({how})" if keys[index] != key else ""
    lines.append(f"{said}: column {spec.columns[index]}{rounded}")
    return index


_NUMBERS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def _count(n: int, noun: str) -> str:
    """'one column', 'three columns', '12 columns': numbers as a rulebook writes them."""
    word = _NUMBERS[n] if 0 <= n < len(_NUMBERS) else str(n)
    return f"{word} {noun}{'' if n == 1 else 's'}"


def _odds_text(ratio: Fraction) -> str:
    """Odds as players say them: '8 to 1', '1.5 to 1', '1 to 3', '1 to 2.25'."""
    if ratio >= 1:
        return f"{_decimal(ratio)} to 1"
    return f"1 to {_decimal(1 / ratio)}"


def _decimal(value: Fraction) -> str:
    return str(value.numerator) if value.denominator == 1 else f"{float(value):.3g}"


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


def applicable(modifiers: list[Modifier], combat: Combat, lines: list[str]) -> list[Modifier]:
    """The modifiers that apply: none cancelled by another that applies, each whose units
    are of the kind it names (a per-unit one is sorted out unit by unit later)."""
    kept = []
    for modifier in modifiers:
        reasons = []
        for side, role, parts in (("attack", "attack", combat.attack),
                                  ("defence", "defend", combat.defence)):
            wanted = modifier.filter_for(side)
            if wanted is None or modifier.per_unit and not wanted.every:
                continue
            kinds = [p.kind for p in parts if p.kind is not None]
            if not kinds:
                raise UsageError(f'"{modifier.reason}" applies only when the {role}er is '
                                 f"{wanted.describe()}: name the {role}ing units")
            test = all if wanted.every else any
            if not test(wanted.matches(k) for k in kinds):
                reasons.append(f"the {role}er is not {wanted.describe()}")
        if reasons:
            lines.append(f"Not applied: {modifier.reason} ({'; '.join(reasons)})")
        else:
            kept.append(modifier)
    cancelled = {target: m for m in kept for target in m.cancels}
    out = []
    for modifier in kept:
        by = cancelled.get(modifier.id) if modifier.id else None
        if by is not None and by is not modifier:
            lines.append(f"Cancelled: {modifier.reason} (by {by.reason})")
        else:
            out.append(modifier)
    return out


def prepare(table: Table, combat: Combat, extra: Iterable[Modifier] = ()) -> Prepared:
    """Fix strengths, column and modifiers; explain each step. No dice are involved."""
    spec = table.spec
    lines: list[str] = []
    modifiers = applicable(list(combat.modifiers) + list(extra), combat, lines)
    attack = 0
    if spec.kind != "choice":
        attack = _side_total(combat.attack, modifiers, "attack", spec, "Attack", lines)
    defence = 0
    if spec.kind in ("odds", "differential"):
        defence = _side_total(combat.defence, modifiers, "defence", spec, "Defence", lines)
    base = _base_column(table, attack, defence, combat, lines)

    last = len(spec.columns) - 1
    if spec.shift_from == "edge" and base != -NO_STRENGTH:
        # the odds are capped at the edge column the table uses, then shifted
        if base > last and spec.above == "clamp":
            lines.append(f"Capped at {table.column_text(last)} before shifts")
            base = last
        elif base < 0 and spec.below == "clamp":
            lines.append(f"Capped at {table.column_text(0)} before shifts")
            base = 0
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
                        if shift and spec.below != "clamp" and base != -NO_STRENGTH else ""))
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


def outcome(prepared: Prepared, raw_total: int, faces=None
            ) -> tuple[ResultDef, str | None, int | None]:
    """The result for a raw dice total (and the faces, for rules on doubles): (result, row
    label, modified total)."""
    if prepared.automatic is not None:
        return prepared.automatic, None, None
    table = prepared.table
    rules = table.rules_for(raw_total, faces) if table.dice_rules else []
    events = tuple(r.spec.event for r in rules if r.spec.event)
    result, row, modified = _looked_up(prepared, raw_total, rules)
    result = _blocked(prepared, result)
    if events:
        result = attrs.evolve(result, events=result.events + events)
    return result, row, modified


def _looked_up(prepared: Prepared, raw_total: int, rules) -> tuple[ResultDef, str, int]:
    table = prepared.table
    natural = table.spec.natural.get(str(raw_total))
    if natural is not None:
        return table.result(natural), f"natural {raw_total}", raw_total
    replaced = next((r for r in rules if r.spec.result), None)
    if replaced is not None:
        row = "doubles" if replaced.spec.when == "doubles" else f"natural {raw_total}"
        return table.result(replaced.spec.result), row, raw_total
    modified = raw_total + prepared.drm
    row = table.row_for(modified)
    if isinstance(row, str):
        return table.result(row), "off the table", modified
    column = read_column(prepared, rules)
    return table.result(table.cell(row, column)), table.row_bands[row].label, modified


def read_column(prepared: Prepared, rules) -> int:
    """The column a roll is read in: shifted by the rules on the dice it meets, at the
    table's edges at most."""
    shift = sum(r.spec.shift for r in rules)
    last = len(prepared.table.columns) - 1
    return min(max(prepared.column + shift, 0), last)


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
    table = prepared.table
    tally: dict[ResultDef, int] = {}
    if table.reads_faces:  # every way the dice fall, each equally likely
        ways = 0
        for faces in table.face_combinations():
            result = outcome(prepared, table.dice.total_of(faces), faces)[0]
            tally[result] = tally.get(result, 0) + 1
            ways += 1
        return {result: Fraction(n, ways) for result, n in tally.items()}
    counts = table.dice.counts()
    ways = sum(counts.values())
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
    result, row, modified = outcome(prepared, roll.total, roll.faces or None)
    roll_text = f"Roll {roll.describe()}"
    if getattr(faces, "entered", False):
        roll_text += " (rolled at the table and entered)"
    if row and row.startswith("natural"):
        roll_text += f" (natural roll: {result.code} whatever the modifiers)"
    elif prepared.drm:
        roll_text += f", modified {modified}"
    lines.append(roll_text)
    rules = prepared.table.rules_for(roll.total, roll.faces or None) \
        if prepared.table.dice_rules else []
    for rule in rules:
        lines.append(f"Dice rule: {dice_rule_text(rule)}")
    column = prepared.table.column_text(read_column(prepared, rules))
    row_text = prepared.table.row_text(_row_index(prepared.table, row)) \
        if _row_index(prepared.table, row) is not None else row
    lines.append(f"Result: column {column}, row {row_text}: {result.code}: "
                 f"{result.describe()}")
    return Resolution(prepared, roll, modified, row, result, tuple(lines))
