"""``wargame roll``: dice by notation, seeded so anyone can re-derive them, or their exact
distribution. Kept apart from the combat commands so rolling never loads the engine."""

from __future__ import annotations

import click

from wargame.cli.output import fraction, percent, print_json, print_table
from wargame.cli.params import PRINTABLE

#: Totals rarer than this are summed into one line of --odds (all of them with --all).
RARE = 1e-6


@click.command(context_settings={"ignore_unknown_options": True})
@click.argument("notation", nargs=-1, required=True)
@click.option("--seed", help="Seed for reproducible dice (printed when omitted).")
@click.option("--label", default="roll", show_default=True, type=PRINTABLE,
              help="Label of this roll.")
@click.option("--times", "-n", type=click.IntRange(1, 1000), default=1, help="How many rolls.")
@click.option("--odds", "show_odds", is_flag=True, help="Print the exact distribution instead.")
@click.option("--all", "show_all", is_flag=True,
              help=f"With --odds, list totals rarer than {RARE:g} one by one too.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
def roll(notation, seed, label, times, show_odds, show_all, as_json) -> None:
    """Roll dice: 2d6+1, d10-1 (0-9), 3d6kh2, 4d6dl1, d66, d%, 4dF, d6! (exploding), 1d6r1
    (reroll 1s), 1d6ro1 (once), 6d6>=5 (count hits), (1d6+1)*2, 2d6/2 (rounds down).

    Spaces are allowed (2d6 + 1), and a leading minus is read as dice, not an option.
    """
    from wargame.engine.notation import parse_expression
    from wargame.engine.verifiable import new_seed, seeded_faces

    from wargame.errors import UsageError

    for part in notation:
        if part.startswith("--"):
            raise UsageError(f"no such option: {part} (see wargame roll --help)")
    expression = parse_expression(" ".join(notation))
    if show_odds:
        _print_odds(expression, show_all, as_json)
        return
    seed = seed if seed is not None else new_seed()
    rolls = []
    for index in range(times):
        this_label = label if times == 1 else f"{label}/{index + 1}"
        rolls.append((this_label, expression.roll(seeded_faces(seed, this_label))))
    if as_json:
        print_json({"notation": expression.text, "seed": seed, "rules": expression.rules(),
                    "rolls": [{"label": name, "total": r.total, "dice": r.shown}
                              for name, r in rolls]})
        return
    for rule in expression.rules():
        click.echo(f"Rule: {rule}")
    click.echo("\n".join(r.describe() for _, r in rolls))
    click.echo(f"Seed: {seed}")


def _print_odds(expression, show_all: bool, as_json: bool) -> None:
    probabilities = expression.probabilities()
    if as_json:
        print_json({"notation": expression.text, "rules": expression.rules(),
                    "totals": [{"total": t, "probability": fraction(p),
                                "percent": float(p) * 100} for t, p in probabilities.items()]})
        return
    for rule in expression.rules():
        click.echo(f"Rule: {rule}")
    shown = {t: p for t, p in probabilities.items() if show_all or p >= RARE}
    print_table(["total", "chance", "exactly"],
                [[str(t), _chance(p), fraction(p)] for t, p in shown.items()], numeric=(0, 1))
    rare = [p for t, p in probabilities.items() if t not in shown]
    if rare:
        click.echo(f"and {len(rare)} rarer totals, together {float(sum(rare)):.2g} "
                   "(--all lists them)")


def _chance(p) -> str:
    """A percentage with one decimal, or two significant digits when that would show 0.0%."""
    from fractions import Fraction

    return percent(p) if p >= Fraction(1, 2000) else f"{float(p) * 100:.2g}%"
