"""Series rules as data: numbered sections and cases, worked examples, and an index of terms.

The text lives in ``print/series-rules.toml`` where a designer edits it; the rules booklet
(``wargame.printing.rulebook``) renders it with escaping. Checks here keep it honest: every
table, procedure or chart a section uses exists, and every "see 7.3" points at a real case.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import attrs

from wargame.errors import DataError, Problem
from wargame.fields import ID_PATTERN, fld

#: Charts that are not results tables but that a rule may use.
CHARTS = ("terrain", "modifiers")
_SEE = re.compile(r"\bsee (\d{1,2}\.\d{1,2})\b")


@attrs.frozen
class ExampleCheck:
    """What an example claims, replayed by a test through the engine."""

    table: str = fld("Results table id.", pattern=ID_PATTERN)
    roll: tuple[int, ...] = fld("The faces rolled.", min_items=1, min=1, max=100)
    result: str = fld("The result code the text gives.", min_length=1, max_length=16)
    column: str = fld("The column the text gives.", min_length=1, max_length=16)
    attackers: tuple[str, ...] = fld("Attacking unit ids.", [], item_pattern=ID_PATTERN)
    defenders: tuple[str, ...] = fld("Defending unit ids.", [], item_pattern=ID_PATTERN)
    terrain: str | None = fld("Terrain of the defender's hex.", None, pattern=ID_PATTERN)
    modifiers: tuple[str, ...] = fld("Named modifiers.", [], item_pattern=ID_PATTERN)
    attack: int | None = fld("Attack strength the text gives.", None, min=0, max=9999)
    defence: int | None = fld("Defence strength the text gives.", None, min=0, max=9999)
    odds: str = fld("Odds as the text words them, e.g. '2 to 1'.", "", max_length=16)


@attrs.frozen
class Example:
    """A worked example of play, printed at the end of its section."""

    section: int = fld("Number of the section it illustrates.", min=1, max=99)
    title: str = fld("Heading.", min_length=1, max_length=80)
    text: str = fld("The example, in plain words.", min_length=1, max_length=3000)
    check: ExampleCheck = fld("The numbers the text claims.")


@attrs.frozen
class Case:
    """A numbered case, e.g. 7.3."""

    number: str = fld("Case number, e.g. '7.3'.", pattern=r"^[0-9]{1,2}\.[0-9]{1,2}$")
    title: str = fld("Heading.", min_length=1, max_length=80)
    text: str = fld("The rule.", min_length=1, max_length=4000)
    steps: tuple[str, ...] = fld("Steps printed after the rule as a lettered list (A., B., "
                                 "...), e.g. the phases of the sequence of play.", [],
                                 max_items=26)


@attrs.frozen
class Section:
    """A numbered section, e.g. 7.0 Combat."""

    number: int = fld("Section number.", min=1, max=99)
    title: str = fld("Heading.", min_length=1, max_length=80)
    text: str = fld("Introduction of the section.", "", max_length=4000)
    uses: tuple[str, ...] = fld("Tables, procedures and charts (terrain, modifiers) the section "
                                "uses; the booklet prints each one.", [],
                                item_pattern=ID_PATTERN)
    cases: tuple[Case, ...] = fld("Numbered cases.", [])


@attrs.frozen
class Term:
    """A term of the index: the booklet lists the cases that use it."""

    term: str = fld("The term, as it appears in the text.", min_length=1, max_length=40)


@attrs.frozen
class SeriesRules:
    """The shape of ``print/series-rules.toml``."""

    title: str = fld("Title of the rules booklet.", min_length=1, max_length=80)
    sections: tuple[Section, ...] = fld("Numbered sections.", min_items=1)
    subtitle: str = fld("Line under the title.", "", max_length=160)
    examples: tuple[Example, ...] = fld("Worked examples.", [])
    terms: tuple[Term, ...] = fld("Terms of the index.", [])

    def numbers(self) -> set[str]:
        """Every section ("7.0") and case ("7.3") number."""
        out = {f"{s.number}.0" for s in self.sections}
        return out | {c.number for s in self.sections for c in s.cases}

    def texts(self) -> Iterable[tuple[str, str]]:
        """(number, text) of every section introduction and case."""
        for section in self.sections:
            yield f"{section.number}.0", section.text
            for case in section.cases:
                yield case.number, " ".join((case.text, *case.steps))

    def index(self) -> dict[str, list[str]]:
        """Term -> the numbers of the cases that mention it (whole words, any case)."""
        out = {}
        for term in self.terms:
            pattern = re.compile(r"\b" + re.escape(term.term) + r"s?\b", re.IGNORECASE)
            out[term.term] = [number for number, text in self.texts() if pattern.search(text)]
        return out

    def used(self) -> list[str]:
        """Everything the rules use, in order of first use."""
        seen: list[str] = []
        for section in self.sections:
            seen += [u for u in section.uses if u not in seen]
        return seen


def check_series(rules: SeriesRules, known: Iterable[str]) -> list[tuple[str, str]]:
    """(key path, message): unknown tables, broken cross-references, misnumbered cases."""
    known = set(known) | set(CHARTS)
    numbers = rules.numbers()
    out = []
    for index, section in enumerate(rules.sections):
        for position, name in enumerate(section.uses):
            if name not in known:
                out.append((f"sections[{index}].uses[{position}]", f'unknown table, procedure '
                            f'or chart "{name}"'))
        for position, case in enumerate(section.cases):
            if not case.number.startswith(f"{section.number}."):
                out.append((f"sections[{index}].cases[{position}].number", f"case {case.number}"
                            f" is not in section {section.number}"))
    for number, text in rules.texts():
        for target in _SEE.findall(text):
            if target not in numbers:
                out.append((f"case {number}", f'"see {target}" points at no rule'))
    for index, example in enumerate(rules.examples):
        if example.section not in {s.number for s in rules.sections}:
            out.append((f"examples[{index}].section", f"no section {example.section}"))
        if example.check.table not in known:
            out.append((f"examples[{index}].check.table", f'unknown table "{example.check.table}"'))
    return out


def load_series(root: Path, known_tables: Iterable[str],
                use_cache: bool = True) -> SeriesRules | None:
    """The series rules of the game, or None for a game that has written none (the bundled
    rules speak of the bundled tables, so they are not lent to another game). Rules that
    checked before, unchanged since (and with the same rules tables), are built from the
    cache without re-parsing."""
    from wargame.loading import cache
    from wargame.loading.structure import build, read_model
    from wargame.loading.toml_source import shown_name

    path = root / "print" / "series-rules.toml"
    if not path.exists() and not path.is_symlink():
        return None
    # the cross-check reads the tables' names, so the tables' files are part of the key
    key_files = [path] + sorted(p for p in (root / "rules").glob("*.toml") if p.is_file())
    cached = cache.load("series", key_files) if use_cache and path.is_file() else None
    if cached is not None:
        return build(cached, SeriesRules)
    shown = shown_name(path, root)
    raws: list[dict] = []
    rules, problems = read_model(path, shown, SeriesRules, raws)
    if rules is not None:
        problems += [Problem(shown, where, message)
                     for where, message in check_series(rules, known_tables)]
    if problems:
        raise DataError(problems)
    if use_cache:
        cache.store("series", key_files, raws[0])
    return rules
