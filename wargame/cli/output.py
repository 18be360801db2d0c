"""Terminal output: rich tables on a terminal, plain aligned text when piped."""

from __future__ import annotations

import json
import sys
import unicodedata
from collections.abc import Sequence

import click


def display_width(text: str) -> int:
    """Columns a string takes in a terminal: Han and Hangul characters take two."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def percent(p) -> str:
    """A probability (a Fraction) as a percentage with one decimal."""
    return f"{float(p) * 100:.1f}%"


def fraction(p) -> str:
    """A probability as an exact fraction, 5/36."""
    return f"{p.numerator}/{p.denominator}"


def pad(text: str, width: int, right: bool = False) -> str:
    gap = " " * max(0, width - display_width(text))
    return gap + text if right else text + gap


def is_terminal() -> bool:
    return sys.stdout.isatty()


def print_table(headers: Sequence[str], rows: Sequence[Sequence[str]], title: str | None = None,
                numeric: Sequence[int] = ()) -> None:
    """A table: rich when stdout is a terminal, aligned plain text otherwise (for pipes)."""
    from wargame.text import shown

    headers = [shown(h) for h in headers]
    rows = [[shown(cell) for cell in row] for row in rows]
    title = shown(title) if title else title
    if is_terminal():
        from rich.console import Console
        from rich.table import Table

        table = Table(title=title, header_style="bold")
        for index, header in enumerate(headers):
            table.add_column(header, justify="right" if index in numeric else "left")
        for row in rows:
            table.add_row(*(escape_rich(cell) for cell in row))
        Console().print(table)
        return
    widths = [display_width(h) for h in headers]
    for row in rows:
        widths = [max(w, display_width(cell)) for w, cell in zip(widths, row)]
    lines = [title] if title else []
    lines.append("  ".join(pad(h, w, i in numeric)
                           for i, (h, w) in enumerate(zip(headers, widths))).rstrip())
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(pad(c, w, i in numeric) for i, (c, w) in enumerate(zip(row, widths)))
              .rstrip() for row in rows]
    click.echo("\n".join(lines))  # one write: a long listing is not a thousand small ones


def escape_rich(text: str) -> str:
    """Data may contain '[' which rich would read as markup."""
    from rich.markup import escape

    return escape(text)


def print_json(value: object) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=2))
