"""Problems found in a designer's data, reported all at once and one line each."""

from __future__ import annotations

import json

import attrs


@attrs.frozen(order=True)
class Problem:
    """One thing wrong with one place in one file.

    ``where`` is a key path such as ``units[3].factors.attack``; for syntax errors it is
    empty and ``line``/``column`` say where the parser stopped.
    """

    file: str
    where: str
    message: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        place = self.file
        if self.line is not None:
            place = f"{self.file}:{self.line}:{self.column or 1}"
        parts = [part for part in (place, self.where, self.message) if part]
        return ": ".join(parts)


class DataError(Exception):
    """Bad input: one or more problems a user must fix. The CLI turns it into exit code 2."""

    def __init__(self, problems: list[Problem] | Problem | str):
        if isinstance(problems, str):
            problems = [Problem("", "", problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class UsageError(DataError):
    """Bad command-line input (an unknown unit, an ambiguous name, a malformed option)."""


def describe(value: object) -> str:
    """Say briefly what a TOML value is, for 'found ...' in messages."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return "the string " + json.dumps(shown, ensure_ascii=False)
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, dict):
        return "a table" if value else "an empty table"
    if isinstance(value, list):
        return f"an array of {len(value)}" if value else "an empty array"
    return f"a {type(value).__name__}"
