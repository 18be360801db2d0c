"""Dice notation, exact distributions, and rolls drawn from a verifiable face source.

Notation: ``2d6+1``, ``d10-1`` (a d10 read 0-9), ``3d6kh2`` (keep the highest two), ``d66``
(tens die and units die, 11..66), ``d%`` (d100), ``1d6+1d4-2``: sums of dice, which a table
reads and the game record's verifiers re-derive. ``wargame roll`` reads the whole notation
of dice bots (``wargame.engine.notation``). Distributions are exact integer counts;
rolls take faces from a :class:`FaceSource` (see ``wargame.engine.verifiable``).
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Mapping
from functools import cache
from typing import TYPE_CHECKING, Protocol

import attrs

from wargame.errors import UsageError

if TYPE_CHECKING:  # fractions (and decimal under it) load only for odds, not for a roll
    from fractions import Fraction

MAX_DICE = 100
MAX_SIDES = 1000
MAX_TERMS = 8
#: Bound on the exact enumeration: additions of counts, and combinations of kept dice.
MAX_WORK = 4_000_000
MAX_KEEP_COMBINATIONS = 50_000
_TERM = re.compile(r"([+-])?\s*(?:(\d*)d(\d+|66|%)(?:k([hl])(\d+))?|(\d+))", re.IGNORECASE)


class FaceSource(Protocol):
    """Anything that hands out uniformly random die faces, 1..sides."""

    def face(self, sides: int) -> int: ...


@attrs.frozen
class DiceTerm:
    """``count`` dice of ``sides`` sides, keeping the highest/lowest ``keep``; sign +1/-1.

    ``sides == 66`` is the d66: a tens die and a units die read as 11..66.
    """

    count: int
    sides: int
    sign: int = 1
    keep: int | None = None
    keep_high: bool = True

    def __str__(self) -> str:
        keep = f"k{'h' if self.keep_high else 'l'}{self.keep}" if self.keep is not None else ""
        count = "" if self.count == 1 and self.sides == 66 else str(self.count)
        return f"{count}d{self.sides}{keep}"


@attrs.frozen
class Dice:
    """A dice expression: a sum of dice terms and a constant."""

    terms: tuple[DiceTerm, ...]
    constant: int = 0
    text: str = ""

    def __str__(self) -> str:
        return self.text

    @property
    def minimum(self) -> int:
        return min(self.counts())

    @property
    def maximum(self) -> int:
        return max(self.counts())

    def counts(self) -> Mapping[int, int]:
        """Exact distribution: total -> number of equally likely ways to roll it."""
        return _counts(self.terms, self.constant)

    def probabilities(self) -> dict[int, Fraction]:
        """Exact distribution as fractions that sum to 1."""
        from fractions import Fraction

        counts = self.counts()
        ways = sum(counts.values())
        return {total: Fraction(n, ways) for total, n in sorted(counts.items())}

    @property
    def read_from_zero(self) -> bool:
        """Whether players read each die from 0 (``d10-1``: a d10 read 0-9; ``2d10-2``)."""
        return (len(self.terms) == 1 and self.terms[0].keep is None
                and self.terms[0].sides != 66 and self.terms[0].sign == 1
                and self.constant == -self.terms[0].count)

    def total_of(self, faces: tuple[tuple[int, ...], ...]) -> int:
        """The total these faces make (one tuple per term, a d66 as its two dice)."""
        total = self.constant
        for term, rolled in zip(self.terms, faces):
            if term.sides == 66:
                total += term.sign * (rolled[0] * 10 + rolled[1])
            else:
                total += term.sign * sum(_kept(tuple(rolled), term))
        return total

    def roll(self, source: FaceSource) -> Roll:
        """Roll once, taking faces from ``source`` in a fixed order (term by term)."""
        faces: list[tuple[int, ...]] = []
        total = self.constant
        for term in self.terms:
            if term.sides == 66:
                rolled = (source.face(6), source.face(6))
                faces.append(rolled)
                total += term.sign * (rolled[0] * 10 + rolled[1])
                continue
            rolled = tuple(source.face(term.sides) for _ in range(term.count))
            faces.append(rolled)
            total += term.sign * sum(_kept(rolled, term))
        return Roll(self, tuple(faces), total)


@attrs.frozen
class Roll:
    """What was rolled: the faces of each term and the total."""

    dice: Dice
    faces: tuple[tuple[int, ...], ...]
    total: int

    def describe(self) -> str:
        """E.g. ``2d6+1: (3, 5) + 1 = 9``; a total read at the table: ``2d6: 7``."""
        if not self.faces:
            return f"{self.dice}: {self.total}"
        if self.dice.read_from_zero:  # as the player reads them: a d10 shows 0-9
            return f"{self.dice}: ({', '.join(str(f - 1) for f in self.faces[0])}) = {self.total}"
        shown = " ".join(f"({', '.join(map(str, f))})" for f in self.faces)
        constant = f" {'+' if self.dice.constant > 0 else '-'} {abs(self.dice.constant)}" \
            if self.dice.constant else ""
        return f"{self.dice}: {shown}{constant} = {self.total}"


def _kept(faces: tuple[int, ...], term: DiceTerm) -> tuple[int, ...]:
    if term.keep is None:
        return faces
    ordered = sorted(faces, reverse=term.keep_high)
    return tuple(ordered[: term.keep])


@cache
def _term_counts(term: DiceTerm) -> Counter:
    if term.sides == 66:
        return Counter({t * 10 + u: 1 for t in range(1, 7) for u in range(1, 7)})
    if term.keep is None:
        # one die at a time, each step a sliding-window sum: O(totals) per die, exact
        ways = [1]  # ways[i]: ways to total i + (dice so far)
        for _ in range(term.count):
            window, step = 0, []
            for index in range(len(ways) + term.sides - 1):
                if index < len(ways):
                    window += ways[index]
                if index >= term.sides:
                    window -= ways[index - term.sides]
                step.append(window)
            ways = step
        return Counter({term.count + i: n for i, n in enumerate(ways)})
    # keep-highest/lowest: enumerate sorted multisets would be faster; counts stay small here
    counts = Counter()
    for faces in itertools.product(range(1, term.sides + 1), repeat=term.count):
        counts[sum(_kept(faces, term))] += 1
    return counts


@cache
def _counts(terms: tuple[DiceTerm, ...], constant: int) -> Mapping[int, int]:
    counts = Counter({constant: 1})
    for term in terms:
        step = Counter()
        for total, ways in counts.items():
            for value, more in _term_counts(term).items():
                step[total + term.sign * value] += ways * more
        counts = step
    return dict(sorted(counts.items()))


@cache
def parse_dice(text: str) -> Dice:
    """Parse dice notation; raises UsageError naming what is wrong."""
    compact = re.sub(r"\s+", "", str(text))
    if not compact:
        raise UsageError("expected dice notation like 2d6+1, found nothing")
    terms: list[DiceTerm] = []
    constant = 0
    position = 0
    while position < len(compact):
        match = _TERM.match(compact, position)
        if not match or (position > 0 and not match.group(1)):
            raise UsageError(f'expected dice notation like 2d6+1, d10-1, 3d6kh2 or d66, found '
                             f'"{text}" (stuck at "{compact[position:]}")')
        sign = -1 if match.group(1) == "-" else 1
        if match.group(6) is not None:
            constant += sign * int(match.group(6))
        else:
            count = int(match.group(2)) if match.group(2) else 1
            sides = 100 if match.group(3) == "%" else int(match.group(3))
            keep = int(match.group(5)) if match.group(5) else None
            if sides == 66 and (count != 1 or keep is not None):
                raise UsageError(f'd66 is one tens die and one units die; found "{text}"')
            if not 1 <= count <= MAX_DICE or not 2 <= sides <= MAX_SIDES:
                raise UsageError(f"expected 1 to {MAX_DICE} dice of 2 to {MAX_SIDES} sides, "
                                 f'found "{text}"')
            if keep is not None and not 1 <= keep <= count:
                raise UsageError(f'cannot keep {keep} of {count} dice in "{text}"')
            if keep is not None and sides ** count > MAX_KEEP_COMBINATIONS:
                raise UsageError(f'"{text}" keeps dice from {sides ** count:,} combinations; '
                                 f"at most {MAX_KEEP_COMBINATIONS:,} can be enumerated exactly")
            terms.append(DiceTerm(count, sides, sign, keep, (match.group(4) or "h").lower() == "h"))
        position = match.end()
    if not terms:
        raise UsageError(f'expected at least one die in "{text}"')
    if len(terms) > MAX_TERMS:
        raise UsageError(f'expected at most {MAX_TERMS} dice terms, found {len(terms)} in '
                         f'"{text}"')
    if _work(terms) > MAX_WORK:
        raise UsageError(f'"{text}" has too many outcomes to work out exactly (about '
                         f"{_work(terms):,} steps; the limit is {MAX_WORK:,})")
    return Dice(tuple(terms), constant, compact.lower())


def _work(terms: list[DiceTerm]) -> int:
    """Additions an exact distribution of these terms takes (the enumeration's cost)."""
    work, spread = 0, 1
    for term in terms:
        if term.sides == 66:
            values = 36
        elif term.keep is None:
            work += term.count * (term.count * term.sides)  # sliding window per die
            values = term.count * (term.sides - 1) + 1
        else:
            values = term.keep * (term.sides - 1) + 1
        work += spread * values  # adding this term to the totals so far
        spread += values - 1
    return work
