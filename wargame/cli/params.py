"""Option types shared by the commands: numbers that must be finite, printable text, the
late `--data`."""

from __future__ import annotations

import math

import click


class FiniteFloat(click.FloatRange):
    """A float in a range that refuses nan and infinity (click's FloatRange lets nan through,
    since every comparison with nan is false)."""

    name = "number"

    def convert(self, value, param, ctx):
        try:
            finite = math.isfinite(float(value))
        except (TypeError, ValueError):
            finite = True  # not a number at all: click says so below
        if not finite:
            self.fail(f"expected a finite number, found {value!r}", param, ctx)
        return super().convert(value, param, ctx)


class PrintableText(click.ParamType):
    """Text that goes into a record, a post or a terminal: no control characters."""

    name = "text"

    def convert(self, value, param, ctx):
        from wargame.text import control_problem, shown

        problem = control_problem(str(value))
        if problem:
            self.fail(f'{problem} in "{shown(str(value))}"', param, ctx)
        return value


PRINTABLE = PrintableText()


class StrengthValue(click.ParamType):
    """A strength typed on the command line: a whole number or a half factor (1.5, 1/2),
    0 to 9999, kept exact."""

    name = "strength"

    def convert(self, value, param, ctx):
        import re
        from fractions import Fraction

        text = str(value).strip()
        if not re.fullmatch(r"\d{1,4}(?:\.\d{1,2})?|\d{1,4}/\d{1,2}", text):
            self.fail(f"expected a strength like 6, 1.5 or 1/2, found {value!r}", param, ctx)
        number = Fraction(text)
        if number > 9999:
            self.fail(f"expected at most 9999, found {value!r}", param, ctx)
        return number


STRENGTH = StrengthValue()


def finite(text: str, what: str) -> float:
    """A number from text typed in an option (e.g. one part of X,Y); raises ValueError."""
    number = float(text)
    if not math.isfinite(number):
        raise ValueError(f"{what}: expected a finite number, found {text!r}")
    return number


def _late_data(ctx: click.Context, param, value):
    """`wargame check --data DIR` means the same as `wargame --data DIR check`."""
    if value is not None:
        root = ctx.find_root()
        if root.obj is not None:
            root.obj.use_data_dir(value)
    return value


def accept_late_data(command: click.Command) -> click.Command:
    """Give a command (and every subcommand of a group) its own `--data` option."""
    if getattr(command, "_late_data", False):
        return command
    command._late_data = True
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            accept_late_data(sub)
    command.params.append(click.Option(
        ["--data"], metavar="DIR", expose_value=False, is_eager=True, callback=_late_data,
        type=click.Path(file_okay=False), help="Game folder (as `wargame --data DIR ...`)."))
    return command
