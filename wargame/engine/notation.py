"""Dice notation as wargamers and dice bots write it, each expression with its exact odds.

Grammar (spaces ignored, letters in any case)::

    expression := term (("+" | "-") term)*
    term       := unary (("*" | "/") unary)*           "/" divides and rounds down
    unary      := "-" unary | atom
    atom       := number | dice | "(" expression ")"
    dice       := [count] "d" (sides | "%" | "F" | "66") modifier*
    modifier   := "k" n | "kh" n | "kl" n               keep the highest / lowest n
                | "d" n | "dl" n | "dh" n               drop the lowest / highest n
                | "!" [compare] | "e" compare           explode (on the highest face)
                | "r" compare | "ro" compare            reroll until not / reroll once
                | "mi" n | "ma" n                       each die counts at least / most n
                | compare                               count the dice that succeed
    compare    := [">=" | "<=" | ">" | "<" | "="] n     a bare number means "="

Rerolls and explosions apply to each die as it is rolled, then dice are kept or dropped, then
successes counted. A die is rerolled at most :data:`MAX_REROLLS` times and explodes at most
:data:`MAX_EXPLOSIONS` times, so every expression has a finite, exactly known distribution;
the odds are those of exactly the process :meth:`Expression.roll` carries out. Faces are
drawn in the order the dice are written, so ``2d6+1`` draws as the tables' dice do
(``wargame.engine.dice``), and a seeded roll is the same whichever parser reads it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from functools import cache
from typing import TYPE_CHECKING

import attrs

from wargame.engine.dice import FaceSource
from wargame.errors import UsageError

if TYPE_CHECKING:  # fractions load only for odds, not for a roll
    from fractions import Fraction

MAX_DICE = 100
MAX_SIDES = 1000
MAX_REROLLS = 100
MAX_EXPLOSIONS = 20
MAX_WORK = 4_000_000
MAX_LENGTH = 200
MAX_DEPTH = 20
EXAMPLES = "2d6+1, d10-1, 3d6kh2, 4d6dl1, d6!, 1d6r1, 6d6>=5, d%, 4dF, (1d6+1)*2"


@attrs.frozen
class Dist:
    """An exact distribution: value -> ways, out of ``ways`` equally likely ways."""

    counts: Mapping[int, int]
    ways: int

    def probabilities(self) -> dict[int, Fraction]:
        from fractions import Fraction

        return {v: Fraction(n, self.ways) for v, n in sorted(self.counts.items())}


def _combine(a: Dist, b: Dist, op: Callable[[int, int], int]) -> Dist:
    out: dict[int, int] = {}
    for x, m in a.counts.items():
        for y, n in b.counts.items():
            value = op(x, y)
            out[value] = out.get(value, 0) + m * n
    return _reduced(out, a.ways * b.ways)


def _reduced(counts: dict[int, int], ways: int) -> Dist:
    divisor = math.gcd(ways, *counts.values())
    return Dist({v: n // divisor for v, n in sorted(counts.items()) if n}, ways // divisor)


# ---- the expression tree ------------------------------------------------------------------

@attrs.frozen
class Compare:
    """A test on one die's value: ``>=5``, ``<2``, ``=1``."""

    op: str
    value: int

    def __call__(self, x: int) -> bool:
        return {"=": x == self.value, ">": x > self.value, "<": x < self.value,
                ">=": x >= self.value, "<=": x <= self.value}[self.op]

    def words(self) -> str:
        return {"=": f"{self.value}", ">": f"more than {self.value}",
                "<": f"less than {self.value}", ">=": f"{self.value} or more",
                "<=": f"{self.value} or less"}[self.op]


@attrs.frozen
class Const:
    value: int

    def dist(self) -> Dist:
        return Dist({self.value: 1}, 1)

    def span(self) -> tuple[int, int]:
        return self.value, self.value

    def work(self) -> int:
        return 1

    def roll(self, source: FaceSource) -> tuple[int, str]:
        return self.value, str(self.value)

    def rules(self) -> list[str]:
        return []


@attrs.frozen
class Group:
    """``count`` dice of one kind and their modifiers."""

    count: int
    kind: str  # "d" (sides), "F" (fudge: -1, 0, +1), "66" (tens die and units die)
    sides: int
    keep: tuple[bool, int] | None = None  # (highest?, how many)
    explode: Compare | None = None
    reroll: Compare | None = None
    reroll_once: bool = False
    floor: int | None = None
    ceiling: int | None = None
    success: Compare | None = None
    max_rerolls: int = MAX_REROLLS
    max_explosions: int = MAX_EXPLOSIONS

    @property
    def faces(self) -> tuple[int, ...]:
        """The values one draw can show."""
        if self.kind == "F":
            return (-1, 0, 1)
        return tuple(range(1, self.sides + 1))

    def span(self) -> tuple[int, int]:
        if self.success is not None:
            return 0, self.count
        if self.kind == "66":
            return 11, 66
        low, high = min(self.faces), max(self.faces)
        if self.explode is not None:
            high = high * (self.max_explosions + 1)
            low = min(low, low * (self.max_explosions + 1))
        if self.floor is not None:
            low, high = max(low, self.floor), max(high, self.floor)
        if self.ceiling is not None:
            low, high = min(low, self.ceiling), min(high, self.ceiling)
        kept = self.count if self.keep is None else self.keep[1]
        return kept * low, kept * high

    def _die_values(self) -> int:
        low, high = self.span()
        kept = self.count if self.keep is None else self.keep[1]
        return (high - low) // max(kept, 1) + 1

    def work(self) -> int:
        values = self._die_values()
        if self.success is not None:
            return self.count * values
        if self.keep is not None:
            return values * (self.count + 1) ** 2 * (self.keep[1] * values + 1)
        if self.explode is None and self.reroll is None and self.floor is None \
                and self.ceiling is None:
            return self.count * self.count * values  # the sliding-window sum
        chain = values * (self.max_explosions + 1) if self.explode is not None else 0
        return chain + self.count * (self.count * values) * values

    @cache
    def die(self) -> Dist:
        """One die of the group: rerolls, explosions, floor and ceiling applied."""
        if self.kind == "66":
            return Dist({t * 10 + u: 1 for t in range(1, 7) for u in range(1, 7)}, 36)
        faces, sides = self.faces, len(self.faces)
        counts = {v: 1 for v in faces}
        ways = sides
        if self.reroll is not None:
            bad = sum(1 for v in faces if self.reroll(v))
            tries = 1 if self.reroll_once else self.max_rerolls
            # a face kept at draw j+1 follows j bad draws; the last draw is kept whatever it is
            counts = {v: (0 if self.reroll(v) else
                          sum(bad ** j * sides ** (tries - j) for j in range(tries + 1)))
                      + (bad ** tries if self.reroll(v) else 0) for v in faces}
            ways = sides ** (tries + 1)
        if self.explode is not None:
            # tail[k]: what the explosion draws add with k explosions still allowed
            tail = {0: 1}
            for k in range(1, self.max_explosions + 1):
                step: dict[int, int] = {}
                for v in faces:
                    if self.explode(v):
                        for rest, n in tail.items():
                            step[v + rest] = step.get(v + rest, 0) + n
                    else:
                        step[v] = step.get(v, 0) + sides ** (k - 1)
                tail = step
            tail_ways = sides ** self.max_explosions
            out: dict[int, int] = {}
            for v, n in counts.items():
                if self.explode(v):
                    for rest, m in tail.items():
                        out[v + rest] = out.get(v + rest, 0) + n * m
                else:
                    out[v] = out.get(v, 0) + n * tail_ways
            counts, ways = out, ways * tail_ways
        if self.floor is not None or self.ceiling is not None:
            clamped: dict[int, int] = {}
            for v, n in counts.items():
                c = self._clamp(v)
                clamped[c] = clamped.get(c, 0) + n
            counts = clamped
        return _reduced(counts, ways)

    def _clamp(self, value: int) -> int:
        if self.floor is not None:
            value = max(value, self.floor)
        if self.ceiling is not None:
            value = min(value, self.ceiling)
        return value

    def dist(self) -> Dist:
        die = self.die()
        n = self.count
        if self.success is not None:
            hit = sum(m for v, m in die.counts.items() if self.success(v))
            miss = die.ways - hit
            return _reduced({j: math.comb(n, j) * hit ** j * miss ** (n - j)
                             for j in range(n + 1)}, die.ways ** n)
        if self.keep is not None:
            return self._kept(die)
        if len(set(die.counts.values())) == 1 and _contiguous(die.counts):
            return _uniform_sum(min(die.counts), len(die.counts), n)
        total = Dist({0: 1}, 1)
        for _ in range(n):
            total = _combine(total, die, int.__add__)
        return total

    def _kept(self, die: Dist) -> Dist:
        """Keep the highest (lowest) k of n dice: the values are taken from the best
        (worst) down, m dice at a time, C(left, m) ways of choosing which."""
        highest, k = self.keep
        n = self.count
        states = {(0, 0): 1}  # (dice given a value so far, sum of the kept ones) -> ways
        for value in sorted(die.counts, reverse=highest):
            ways = die.counts[value]
            step: dict[tuple[int, int], int] = {}
            for (given, kept_sum), count in states.items():
                power = 1
                for m in range(n - given + 1):
                    kept = min(m, max(0, k - given)) * value
                    key = (given + m, kept_sum + kept)
                    step[key] = step.get(key, 0) + count * math.comb(n - given, m) * power
                    power *= ways
            states = step
        return _reduced({s: c for (given, s), c in states.items() if given == n},
                        die.ways ** n)

    def roll(self, source: FaceSource) -> tuple[int, str]:
        if self.kind == "66":
            tens, units = source.face(6), source.face(6)
            return tens * 10 + units, f"({tens}, {units})"
        values, shown = [], []
        for _ in range(self.count):
            value, text = self._roll_die(source)
            values.append(value)
            shown.append(text)
        kept = list(range(self.count))
        if self.keep is not None:
            highest, k = self.keep
            order = sorted(kept, key=lambda i: (values[i], -i), reverse=highest)
            kept = sorted(order[:k])
            shown = [t if i in kept else f"{t} dropped" for i, t in enumerate(shown)]
        if self.success is not None:
            hits = [i for i in kept if self.success(values[i])]
            shown = [f"{t} hit" if i in hits else t for i, t in enumerate(shown)]
            return len(hits), f"({', '.join(shown)})"
        return sum(values[i] for i in kept), f"({', '.join(shown)})"

    def _draw(self, source: FaceSource) -> int:
        face = source.face(len(self.faces))
        return face - 2 if self.kind == "F" else face

    def _roll_die(self, source: FaceSource) -> tuple[int, str]:
        face = self._draw(source)
        text = _signed(face) if self.kind == "F" else str(face)
        if self.reroll is not None:
            tries = 1 if self.reroll_once else self.max_rerolls
            while self.reroll(face) and tries:
                face = self._draw(source)
                text += f"\u2192{face}"
                tries -= 1
        value = face
        if self.explode is not None:
            for _ in range(self.max_explosions):
                if not self.explode(face):
                    break
                face = self._draw(source)
                value += face
                text += f"+{face}"
        clamped = self._clamp(value)
        if clamped != value:
            text += f" as {clamped}"
        return clamped, text

    def rules(self) -> list[str]:
        notes = []
        if self.reroll is not None:
            notes.append(f"a die showing {self.reroll.words()} is rerolled "
                         + ("once" if self.reroll_once else
                            f"until it does not (at most {self.max_rerolls} times)"))
        if self.explode is not None:
            notes.append(f"a die showing {self.explode.words()} is rolled again and added "
                         f"(at most {self.max_explosions} times)")
        if self.floor is not None:
            notes.append(f"a die counts at least {self.floor}")
        if self.ceiling is not None:
            notes.append(f"a die counts at most {self.ceiling}")
        if self.success is not None:
            notes.append(f"the total is the number of dice showing {self.success.words()}")
        return notes


def _signed(value: int) -> str:
    return f"{value:+d}" if value else "0"


def _contiguous(counts: Mapping[int, int]) -> bool:
    return max(counts) - min(counts) + 1 == len(counts)


def _uniform_sum(low: int, sides: int, n: int) -> Dist:
    """n dice of ``sides`` consecutive values from ``low``: a sliding-window sum per die."""
    ways = [1]
    for _ in range(n):
        window, step = 0, []
        for index in range(len(ways) + sides - 1):
            if index < len(ways):
                window += ways[index]
            if index >= sides:
                window -= ways[index - sides]
            step.append(window)
        ways = step
    return Dist({n * low + i: w for i, w in enumerate(ways)}, sides ** n)


_OPS: dict[str, Callable[[int, int], int]] = {
    "+": int.__add__, "-": int.__sub__, "*": int.__mul__, "/": int.__floordiv__,
}


@attrs.frozen
class BinOp:
    op: str
    left: object
    right: object

    def dist(self) -> Dist:
        return _combine(self.left.dist(), self.right.dist(), _OPS[self.op])

    def span(self) -> tuple[int, int]:
        (a, b), (c, d) = self.left.span(), self.right.span()
        if self.op == "+":
            return a + c, b + d
        if self.op == "-":
            return a - d, b - c
        if self.op == "*":
            corners = (a * c, a * d, b * c, b * d)
            return min(corners), max(corners)
        divisors = [x for x in (c, d, -1, 1) if c <= x <= d and x != 0]
        corners = [p // q for p in (a, b) for q in divisors]
        return min(corners), max(corners)

    def work(self) -> int:
        (a, b), (c, d) = self.left.span(), self.right.span()
        return self.left.work() + self.right.work() + (b - a + 1) * (d - c + 1)

    def roll(self, source: FaceSource) -> tuple[int, str]:
        left, left_text = self.left.roll(source)
        right, right_text = self.right.roll(source)
        return _OPS[self.op](left, right), f"{left_text} {self.op} {right_text}"

    def rules(self) -> list[str]:
        return self.left.rules() + self.right.rules() + (
            ["a division rounds down"] if self.op == "/" else [])


@attrs.frozen
class Neg:
    inner: object

    def dist(self) -> Dist:
        inner = self.inner.dist()
        return Dist({-v: n for v, n in sorted(inner.counts.items(), reverse=True)},
                    inner.ways)

    def span(self) -> tuple[int, int]:
        low, high = self.inner.span()
        return -high, -low

    def work(self) -> int:
        return self.inner.work()

    def roll(self, source: FaceSource) -> tuple[int, str]:
        value, text = self.inner.roll(source)
        return -value, f"-{text}"

    def rules(self) -> list[str]:
        return self.inner.rules()


@attrs.frozen
class Paren:
    inner: object

    def dist(self) -> Dist:
        return self.inner.dist()

    def span(self) -> tuple[int, int]:
        return self.inner.span()

    def work(self) -> int:
        return self.inner.work()

    def roll(self, source: FaceSource) -> tuple[int, str]:
        value, text = self.inner.roll(source)
        return value, f"[{text}]"

    def rules(self) -> list[str]:
        return self.inner.rules()


@attrs.frozen
class ExpressionRoll:
    """One roll of an expression: every die as it fell, and the total."""

    expression: Expression
    shown: str
    total: int

    def describe(self) -> str:
        """E.g. ``4d6dl1: (6, 4, 3, 1 dropped) = 13``."""
        return f"{self.expression.text}: {self.shown} = {self.total}"


@attrs.frozen
class Expression:
    """A parsed dice expression with its exact distribution."""

    root: object
    text: str

    def __str__(self) -> str:
        return self.text

    @cache
    def dist(self) -> Dist:
        return self.root.dist()

    def counts(self) -> Mapping[int, int]:
        """Exact distribution: total -> number of equally likely ways."""
        return self.dist().counts

    def probabilities(self) -> dict[int, Fraction]:
        """Exact distribution as fractions that sum to 1."""
        return self.dist().probabilities()

    def rules(self) -> list[str]:
        """How the dice are read, beyond adding them up, in plain words (no repeats)."""
        return list(dict.fromkeys(self.root.rules()))

    def roll(self, source: FaceSource) -> ExpressionRoll:
        total, shown = self.root.roll(source)
        return ExpressionRoll(self, shown, total)


# ---- the parser ---------------------------------------------------------------------------

_NUMBER = re.compile(r"\d+")
_COMPARE = re.compile(r"(>=|<=|>|<|=)?(-?\d+)")


class _Parser:
    def __init__(self, text: str, max_rerolls: int, max_explosions: int):
        self.typed = text
        self.caps = {"max_rerolls": max_rerolls, "max_explosions": max_explosions}
        self.text = re.sub(r"\s+", "", text)
        self.at = 0
        self.depth = 0
        self.dice = 0

    # -- errors name the part that cannot be read
    def fail(self, expected: str, at: int | None = None):
        at = self.at if at is None else at
        rest = self.text[at:] or "the end"
        shown = f'"{rest[:20]}"' if rest != "the end" else rest
        raise UsageError(f'cannot read dice "{self.text}" at {shown}: expected {expected} '
                         f"(notation like {EXAMPLES})")

    def peek(self, literal: str) -> bool:
        return self.text.startswith(literal, self.at) or \
            self.text[self.at:self.at + len(literal)].lower() == literal.lower()

    def take(self, literal: str) -> bool:
        if self.peek(literal):
            self.at += len(literal)
            return True
        return False

    def number(self, what: str) -> int:
        match = _NUMBER.match(self.text, self.at)
        if not match:
            self.fail(what)
        self.at = match.end()
        if len(match[0]) > 6:
            self.fail(f"a number of at most 6 digits for {what}", match.start())
        return int(match[0])

    def parse(self):
        if not self.text:
            raise UsageError(f"expected dice notation like {EXAMPLES}, found nothing")
        if len(self.text) > MAX_LENGTH:
            raise UsageError(f"dice notation of at most {MAX_LENGTH} characters, found "
                             f"{len(self.text)}")
        node = self.expression()
        if self.at != len(self.text):
            self.fail("+, -, *, / or a dice modifier (k, d, !, e, r, ro, mi, ma, >=)")
        return node

    def expression(self):
        node = self.term()
        while self.at < len(self.text) and self.text[self.at] in "+-":
            op = self.text[self.at]
            self.at += 1
            node = BinOp(op, node, self.term())
        return node

    def term(self):
        node = self.unary()
        while self.at < len(self.text) and self.text[self.at] in "*/":
            op = self.text[self.at]
            self.at += 1
            node = BinOp(op, node, self.unary())
        return node

    def unary(self):
        if self.take("-"):
            return Neg(self.unary())
        if self.take("+"):
            return self.unary()
        return self.atom()

    def atom(self):
        if self.take("("):
            self.depth += 1
            if self.depth > MAX_DEPTH:
                self.fail(f"at most {MAX_DEPTH} nested brackets")
            inner = self.expression()
            if not self.take(")"):
                self.fail('")" to close the bracket')
            self.depth -= 1
            return Paren(inner)
        start = self.at
        count = None
        if _NUMBER.match(self.text, self.at):
            count = self.number("a number")
        if not self.peek("d"):
            if count is None:
                self.fail("a number, a die like d6, or a bracket")
            return Const(count)
        self.at += 1
        return self.group(1 if count is None else count, start)

    def group(self, count: int, start: int) -> Group:
        if self.take("%"):
            kind, sides = "d", 100
        elif self.take("F"):
            kind, sides = "F", 3
        elif self.text.startswith("66", self.at) and not self.text[self.at + 2:self.at + 3].isdigit():
            self.at += 2
            kind, sides = "66", 36
        else:
            kind, sides = "d", self.number("the number of sides after d (d6, d10, d%, dF, d66)")
        if not 1 <= count <= MAX_DICE:
            self.fail(f"1 to {MAX_DICE} dice", start)
        if kind == "d" and not 2 <= sides <= MAX_SIDES:
            self.fail(f"dice of 2 to {MAX_SIDES} sides", start)
        if kind == "66" and count != 1:
            self.fail("one d66 (a tens die and a units die); write 2d66 as d66+d66", start)
        self.dice += count
        if self.dice > 2 * MAX_DICE:
            self.fail(f"at most {2 * MAX_DICE} dice in all", start)
        group = Group(count, kind, sides, **self.caps)
        seen: set[str] = set()
        while self.at < len(self.text):
            at = self.at
            name, changes = self.modifier(group)
            if name is None:
                break
            if kind == "66":
                self.fail("nothing after d66 (it is read as it falls)", at)
            if name in seen:
                self.fail(f"one {name} rule per group of dice", at)
            seen.add(name)
            group = attrs.evolve(group, **changes)
            self.check(group, at)
        return group

    def modifier(self, group: Group):
        for prefix, highest in (("kh", True), ("kl", False), ("k", True)):
            if self.take(prefix):
                return "keep", {"keep": (highest, self.number(f'how many dice "{prefix}" '
                                                              "keeps"))}
        for prefix, highest in (("dh", False), ("dl", True), ("d", True)):
            if self.peek(prefix) and self.text[self.at + len(prefix):self.at + len(prefix) + 1].isdigit():
                self.at += len(prefix)
                dropped = self.number("how many dice to drop")
                if not 1 <= dropped < group.count:
                    self.fail(f"to drop 1 to {group.count - 1} of the {group.count} dice",
                              self.at - len(str(dropped)) - len(prefix))
                return "keep", {"keep": (highest, group.count - dropped)}
        if self.take("!"):
            if self.at < len(self.text) and (self.text[self.at] in "<>=" or self.text[self.at].isdigit()):
                return "explode", {"explode": self.compare()}
            return "explode", {"explode": Compare("=", max(group.faces))}
        if self.take("e"):
            return "explode", {"explode": self.compare()}
        if self.take("ro"):
            return "reroll", {"reroll": self.compare(), "reroll_once": True}
        if self.take("r"):
            return "reroll", {"reroll": self.compare()}
        if self.take("mi"):
            return "floor", {"floor": self.number("the least a die counts")}
        if self.take("ma"):
            return "ceiling", {"ceiling": self.number("the most a die counts")}
        if self.text[self.at] in "<>=":
            return "success", {"success": self.compare()}
        return None, {}

    def compare(self) -> Compare:
        match = _COMPARE.match(self.text, self.at)
        if not match:
            self.fail("a face to test, like 6, >=5 or <2")
        self.at = match.end()
        return Compare(match[1] or "=", int(match[2]))

    def check(self, group: Group, at: int) -> None:
        faces = group.faces
        if group.keep is not None:
            highest, k = group.keep
            if not 1 <= k <= group.count:
                self.fail(f"to keep 1 to {group.count} of the {group.count} dice", at)
        for name, rule in (("explode", group.explode), ("reroll", group.reroll)):
            if rule is not None and all(rule(v) for v in faces):
                self.fail(f"a rule that some faces escape (every face of "
                          f"d{'F' if group.kind == 'F' else group.sides} would {name})", at)
        if group.success is not None and group.keep is not None:
            self.fail("either kept dice or counted successes, not both", at)


@cache
def parse_expression(text: str, max_rerolls: int = MAX_REROLLS,
                     max_explosions: int = MAX_EXPLOSIONS) -> Expression:
    """Parse dice notation; raises UsageError naming the part it cannot read.

    The caps bound rerolls and explosions per die (the odds are those of the capped process,
    which is exactly what a roll does); tests lower them to enumerate every face sequence."""
    parser = _Parser(str(text), max_rerolls, max_explosions)
    root = parser.parse()
    work = root.work()
    if work > MAX_WORK:
        raise UsageError(f'"{parser.text}" has too many outcomes to work out exactly (about '
                         f"{work:,} steps; the limit is {MAX_WORK:,})")
    _check_division(root, parser.text)
    shown = re.sub(r"df", "dF", parser.text.lower())
    return Expression(root, shown)


def _check_division(node, text: str) -> None:
    if isinstance(node, BinOp):
        _check_division(node.left, text)
        _check_division(node.right, text)
        if node.op == "/" and 0 in node.right.dist().counts:
            raise UsageError(f'"{text}" may divide by zero (the divisor can be 0)')
    elif isinstance(node, (Neg, Paren)):
        _check_division(node.inner, text)
