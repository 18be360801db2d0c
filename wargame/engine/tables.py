"""A results table ready to use: columns and rows as numbers, the legend as ResultDefs.

:func:`compile_table` turns a designer's :class:`~wargame.engine.spec.TableSpec` into a
:class:`Table`, reporting every inconsistency (ragged rows, unknown codes, gaps between
bands) as (key path, message) pairs.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from fractions import Fraction

import attrs

from wargame.engine.dice import Dice, parse_dice
from wargame.engine.results import Effect, ResultDef, parse_standard
from wargame.engine.spec import DiceRuleSpec, ResultSpec, TableSpec
from wargame.errors import UsageError

INF = math.inf
SPECIAL_POLICIES = ("clamp", "none")


@attrs.frozen
class Band:
    """A column or row heading as the closed interval of values it covers."""

    label: str
    low: float  # -inf for open bands like "..-3"
    high: float  # +inf for open bands like "9.."

    def contains(self, value) -> bool:
        return self.low <= value <= self.high

    @property
    def printed(self) -> str:
        """The heading as a rulebook prints it: '2-3', '11 or more', '-4 or less', '-3 to
        -2' (never the '..' of the data notation)."""
        if self.low == self.high:
            return _number(self.low)
        if self.high == INF:
            return f"{_number(self.low)} or more"
        if self.low == -INF:
            return f"{_number(self.high)} or less"
        if self.low < 0:
            return f"{_number(self.low)} to {_number(self.high)}"
        return f"{_number(self.low)}-{_number(self.high)}"


def _number(value: float) -> str:
    return str(int(value)) if value >= 0 else f"\u2212{int(-value)}"  # a real minus sign


_RANGE = re.compile(r"^(?:(?P<lo>[+-]?\d+)?\s*(?P<dots>\.\.|–|to)\s*(?P<hi>[+-]?\d+)?"
                    r"|(?P<single>[+-]?\d+)(?P<plus>\+)?|(?P<le>≤|<=)\s*(?P<le_n>[+-]?\d+)"
                    r"|(?P<ge>≥|>=)\s*(?P<ge_n>[+-]?\d+))$")


def parse_band(label: str) -> Band | None:
    """'3', '2..3', '..-3', '9..', '13+', '≤2', '≥12' -> Band; None if not a band."""
    match = _RANGE.match(label.strip())
    if not match:
        return None
    if match["single"] is not None:
        value = int(match["single"])
        return Band(label, value, INF if match["plus"] else value)
    if match["le"]:
        return Band(label, -INF, int(match["le_n"]))
    if match["ge"]:
        return Band(label, int(match["ge_n"]), INF)
    low = int(match["lo"]) if match["lo"] is not None else -INF
    high = int(match["hi"]) if match["hi"] is not None else INF
    if low == -INF and high == INF or low > high:
        return None
    return Band(label, low, high)


_ODDS = re.compile(r"^\s*(\d+(?:\.5)?)\s*[-:]\s*(\d+(?:\.5)?)\s*$")


def parse_odds(label: str) -> Fraction | None:
    """'3-2' or '1:3' -> the ratio as a Fraction; None if not odds."""
    match = _ODDS.match(label)
    if not match:
        return None
    attack, defence = Fraction(match[1]), Fraction(match[2])
    if attack <= 0 or defence <= 0:
        return None
    return attack / defence


#: The most combinations of faces a table with a rule on doubles may enumerate.
MAX_FACE_COMBINATIONS = 100_000


@attrs.frozen
class DiceRule:
    """A compiled rule on the dice as they fall: its spec and the totals (or faces) it
    applies to."""

    spec: DiceRuleSpec
    bands: tuple[Band, ...]

    def applies(self, total: int, faces: tuple[tuple[int, ...], ...] | None) -> bool:
        if self.spec.when == "natural":
            return not self.bands or any(b.contains(total) for b in self.bands)
        flat = [f for term in faces for f in term]
        return len(flat) > 1 and len(set(flat)) == 1 and (
            not self.bands or any(b.contains(flat[0]) for b in self.bands))


@attrs.frozen
class Table:
    """A compiled results table. Cells hold result codes; ``legend`` explains every code."""

    spec: TableSpec
    dice: Dice
    column_bands: tuple[Band, ...]  # empty for 'choice' tables
    odds: tuple[Fraction, ...]  # thresholds of 'odds' tables
    row_bands: tuple[Band, ...]
    legend: Mapping[str, ResultDef]
    dice_rules: tuple[DiceRule, ...] = ()

    @property
    def reads_faces(self) -> bool:
        """Whether a result depends on the faces, not only the total (doubles)."""
        return any(r.spec.when == "doubles" for r in self.dice_rules)

    def rules_for(self, total: int, faces) -> list[DiceRule]:
        """The rules on the dice that this roll meets."""
        if faces is None and self.reads_faces:
            raise UsageError(f'table "{self.id}" has a rule on doubles: give each die with '
                             "--dice A,B, not the total")
        return [r for r in self.dice_rules if r.applies(total, faces)]

    def face_combinations(self):
        """Every way the dice can fall, as faces per term (for rules on doubles)."""
        import itertools

        per_term = [itertools.product(range(1, 7), repeat=2) if t.sides == 66 else
                    itertools.product(range(1, t.sides + 1), repeat=t.count)
                    for t in self.dice.terms]
        return itertools.product(*[list(p) for p in per_term])

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def columns(self) -> tuple[str, ...]:
        return self.spec.columns

    @property
    def exchange_factors(self) -> tuple[str, str]:
        """The printed factors an exchange counts: (attacker's, defender's)."""
        if self.spec.exchange_factor:
            return self.spec.exchange_factor, self.spec.exchange_factor
        return self.spec.attack_factor, self.spec.defence_factor

    def cell(self, row: int, column: int) -> str:
        return self.spec.cells[row][column]

    def column_text(self, index: int) -> str:
        """A column heading as printed (bands in words, odds and names as written)."""
        if self.column_bands:
            return self.column_bands[index].printed
        return self.spec.columns[index]

    def row_text(self, index: int) -> str:
        return self.row_bands[index].printed

    def rules_text(self) -> list[str]:
        """Every rule of the table beyond its grid, in plain sentences: rounding, what
        happens off the table, caps, natural rolls and blocked retreats."""
        spec = self.spec
        rules = []
        if spec.kind == "odds":
            rules.append({"defender": "Odds are rounded in the defender's favour.",
                          "attacker": "Odds are rounded in the attacker's favour.",
                          "nearest": "Odds are rounded to the nearest column (halfway: in "
                                     "the defender's favour)."}[spec.odds_rounding])
            if spec.shift_from == "edge":
                rules.append("Odds beyond the table are capped at its edge column before "
                             "shifts.")
        if spec.kind != "choice":
            each = " each unit's strength on its own" if spec.round_each else " strengths"
            if spec.rounding != "down" or spec.round_each:
                rules.append(f"Modified{each} are rounded {spec.rounding}.")
            if spec.minimum_strength != 1:
                rules.append(f"A side counts at least {spec.minimum_strength} strength."
                             if spec.minimum_strength else "A side may count 0 strength.")
        if spec.below != "clamp":
            rules.append("Below the first column: " + (
                "the attack is not allowed." if spec.below == "none"
                else f"automatic {spec.below}."))
        if spec.above != "clamp":
            rules.append(f"Beyond the last column: automatic {spec.above}.")
        elif spec.above_drm:
            rules.append(f"Beyond the last column: use it, {spec.above_drm:+d} on the die for "
                         "each column beyond.")
        for name, edge in (("roll_below", "below the first row"),
                           ("roll_above", "above the last row")):
            value = getattr(spec, name)
            if value != "clamp":
                rules.append(f"A modified roll {edge}: automatic {value}.")
        if spec.shift_cap is not None:
            rules.append(f"Net column shift at most {spec.shift_cap} either way.")
        if spec.drm_cap is not None:
            rules.append(f"Net die-roll modifier at most {spec.drm_cap} either way.")
        if spec.natural:
            rules.append("Natural (unmodified) rolls: " + ", ".join(
                f"{roll} is always {code}" for roll, code in spec.natural.items()) + ".")
        for rule in self.dice_rules:
            rules.append(dice_rule_text(rule) + ".")
        blocked = {"steps": "loses a step for each hex it cannot retreat",
                   "eliminated": "is eliminated", "ignore": "stays in place"}
        if any(r.defender.retreat or r.attacker.retreat for r in self.legend.values()):
            rules.append(f"A unit that cannot retreat {blocked[spec.blocked_retreat]}.")
        return rules

    def column_index(self, label: str) -> int:
        """The index of a column named by a person (case-insensitive)."""
        for index, name in enumerate(self.spec.columns):
            if name.casefold() == label.casefold():
                return index
        raise UsageError(f'table "{self.id}" has no column "{label}"; its columns are '
                         + ", ".join(self.spec.columns))

    def row_for(self, total: int) -> int | str:
        """Row index for a modified total, or an off-table result code from the policy."""
        for index, band in enumerate(self.row_bands):
            if band.contains(total):
                return index
        below = total < self.row_bands[0].low
        policy = self.spec.roll_below if below else self.spec.roll_above
        if policy == "clamp":
            return 0 if below else len(self.row_bands) - 1
        return policy

    def result(self, code: str) -> ResultDef:
        return self.legend[code]


def dice_rule_text(rule: DiceRule) -> str:
    """'Doubles: one column to the right and a leader casualty check'."""
    spec = rule.spec
    which = " or ".join(b.printed for b in rule.bands)
    if spec.when == "doubles":
        head = f"Doubles of {which}" if which else "Doubles"
    else:
        head = f"A natural {which}" if which else "Any natural roll"
    parts = []
    if spec.result:
        parts.append(f"the result is {spec.result}")
    if spec.shift:
        side = "right" if spec.shift > 0 else "left"
        parts.append(f"read {abs(spec.shift)} column{'s' if abs(spec.shift) > 1 else ''} to "
                     f"the {side}")
    if spec.event:
        parts.append(spec.event)
    return f"{head}: " + " and ".join(parts)


def code_problem(code: str, spec: ResultSpec) -> str | None:
    """What is wrong with a legend entry, or None: one rule for every legend, shared or a
    table's own. A code is 1-16 characters without spaces or quotes; one that is not a
    standard code must say what it does (an empty table says "no effect" on purpose)."""
    if not code or len(code) > 16 or any(c.isspace() or c == '"' for c in code):
        return "expected a result code of 1 to 16 characters without spaces or quotes"
    if parse_standard(code) is None and spec.attacker is None and spec.defender is None \
            and not spec.exchange and not spec.attacker_by_type and not spec.defender_by_type:
        return (f'"{code}" is not a standard code (AE, DR2, EX, A1, 1/2, D1r2, NE...): give its '
                "effects with attacker = { ... } and/or defender = { ... } (an empty table "
                "means no effect)")
    return None


def _result_def(code: str, spec: ResultSpec) -> ResultDef | None:
    standard = parse_standard(code)
    attacker, defender, exchange = standard or (Effect(), Effect(), False)
    return ResultDef(
        code=code, text=spec.text,
        attacker=spec.attacker if spec.attacker is not None else attacker,
        defender=spec.defender if spec.defender is not None else defender,
        # explicit effects replace what the notation implies, the exchange rule included
        exchange=spec.exchange or (exchange and spec.attacker is None and spec.defender is None),
        blocked=spec.blocked, exchange_counts=spec.exchange_counts,
        attacker_by_type=tuple(spec.attacker_by_type.items()),
        defender_by_type=tuple(spec.defender_by_type.items()))


def compile_table(spec: TableSpec, shared: Mapping[str, Mapping[str, ResultSpec]],
                  found: list[tuple[str, str]]) -> Table | None:
    """Compile a table; problems go to ``found`` as (path relative to the table, message)."""
    start = len(found)
    try:
        dice = parse_dice(spec.dice)
    except UsageError as exc:
        found.append(("dice", str(exc.problems[0].message)))
        return None
    legend_specs: dict[str, ResultSpec] = {}
    if spec.legend is not None:
        if spec.legend not in shared:
            found.append(("legend", f'unknown legend "{spec.legend}"'))
        else:
            legend_specs.update(shared[spec.legend])
    for code, result in spec.results.items():
        problem = code_problem(code, result)
        if problem:
            found.append((f"results.{code}", problem))
    legend_specs.update(spec.results)
    legend = {code: _result_def(code, r) for code, r in legend_specs.items()}
    # standard codes mean what they say: a legend lists only what it has to explain
    for row in spec.cells:
        for code in row:
            if code not in legend and parse_standard(code) is not None:
                legend[code] = _result_def(code, ResultSpec(text=""))

    column_bands: list[Band] = []
    odds: list[Fraction] = []
    if spec.kind == "odds":
        for index, label in enumerate(spec.columns):
            ratio = parse_odds(label)
            if ratio is None:
                found.append((f"columns[{index}]", f'expected odds like "3-1" or "1-2", '
                              f'found "{label}"'))
            elif odds and ratio <= odds[-1]:
                found.append((f"columns[{index}]", f'expected odds higher than the column '
                              f'before, found "{label}"'))
            else:
                odds.append(ratio)
    elif spec.kind in ("differential", "fire"):
        column_bands = _bands(spec.columns, "columns", found,
                              'a value or range like "0", "1..2", "..-3" or "9.."')
    elif len(set(c.casefold() for c in spec.columns)) != len(spec.columns):
        found.append(("columns", "expected distinct column names, found one twice"))

    row_labels = spec.rows or tuple(str(t) for t in dice.counts())
    row_bands = _bands(row_labels, "rows", found, 'a total or band like "2..3" or "12.."')
    if len(spec.cells) != len(row_labels):
        found.append(("cells", f"expected {len(row_labels)} rows (one per row heading "
                      f"{', '.join(row_labels)}), found {len(spec.cells)}"))
    unknown: dict[str, list[str]] = {}  # one problem per unknown code, not per cell
    for r, row in enumerate(spec.cells):
        if len(row) != len(spec.columns):
            found.append((f"cells[{r}]", f"expected {len(spec.columns)} results (one per "
                          f"column), found {len(row)}"))
        for c, code in enumerate(row):
            if code not in legend:
                unknown.setdefault(code, []).append(f"cells[{r}][{c}]")
    for code, places in unknown.items():
        more = len(places) - 1
        found.append((places[0], f'result "{code}" is not in the legend'
                      + (f" (nor in {more} more cell{'s' if more > 1 else ''})" if more else "")
                      + _known(legend) + "; a code that is not standard (AE, DR2, EX, A1, "
                      "1/2, D1r2, NE...) needs an entry in results"))
    for key in ("below", "above", "roll_below", "roll_above"):
        value = getattr(spec, key)
        allowed = SPECIAL_POLICIES if key == "below" else ("clamp",)
        if value not in allowed and value not in legend:
            found.append((key, f'expected {" or ".join(repr(a) for a in allowed)} or a result '
                          f'code of the legend, found "{value}"'))
    for raw, code in spec.natural.items():
        try:
            total = int(raw)
        except ValueError:
            found.append((f"natural.{raw}", "expected a die total as the key"))
            continue
        if total not in dice.counts():
            found.append((f"natural.{raw}", f"{spec.dice} cannot roll {total}"))
        if code not in legend:
            found.append((f"natural.{raw}", f'result "{code}" is not in the legend'))
    dice_rules = []
    for index, rule in enumerate(spec.dice_rules):
        where = f"dice_rules[{index}]"
        bands = tuple(parse_band(t) for t in rule.totals)
        if None in bands:
            found.append((f"{where}.totals", "expected totals or bands like \"12\" or "
                          "\"2..3\""))
            continue
        if rule.result is not None and rule.result not in legend:
            if parse_standard(rule.result) is not None:
                legend[rule.result] = _result_def(rule.result, ResultSpec(text=""))
            else:
                found.append((f"{where}.result", f'result "{rule.result}" is not in the '
                              "legend"))
        if not (rule.shift or rule.result or rule.event):
            found.append((where, "expected a shift, a result or an event: the rule does "
                          "nothing"))
        if rule.when == "doubles":
            dice_count = sum(2 if t.sides == 66 else t.count for t in dice.terms)
            combinations = math.prod(36 if t.sides == 66 else t.sides ** t.count
                                     for t in dice.terms)
            if dice_count < 2:
                found.append((f"{where}.when", f"{spec.dice} is one die: it cannot roll "
                              "doubles"))
            elif combinations > MAX_FACE_COMBINATIONS:
                found.append((f"{where}.when", f"{spec.dice} falls {combinations:,} ways; "
                              f"doubles are counted over at most {MAX_FACE_COMBINATIONS:,}"))
        dice_rules.append(DiceRule(rule, bands))
    for code, result in legend.items():
        if result.blocked is not None and result.blocked not in legend:
            found.append((f"results.{code}.blocked", f'result "{result.blocked}" is not in '
                          "the legend"))
    if len(found) > start:
        return None
    return Table(spec, dice, tuple(column_bands), tuple(odds), tuple(row_bands), legend,
                 tuple(dice_rules))


def _known(legend) -> str:
    codes = list(legend)
    return f"; known: {', '.join(codes[:20])}" if codes else "; the legend is empty"


def _bands(labels, where, found, expected) -> list[Band]:
    bands: list[Band] = []
    for index, label in enumerate(labels):
        band = parse_band(label)
        if band is None:
            found.append((f"{where}[{index}]", f'expected {expected}, found "{label}"'))
            return []
        if bands and band.low <= bands[-1].high:
            found.append((f"{where}[{index}]", f'"{label}" overlaps or comes before '
                          f'"{bands[-1].label}"; list them in rising order'))
            return []
        if bands and band.low > bands[-1].high + 1:
            found.append((f"{where}[{index}]", f'gap between "{bands[-1].label}" and '
                          f'"{label}"'))
            return []
        bands.append(band)
    return bands
