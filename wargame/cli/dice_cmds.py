"""``wargame roll``: dice by notation, seeded so anyone can re-derive them, or their exact
distribution. Kept apart from the combat commands so rolling never loads the engine."""

from __future__ import annotations

import click

from wargame.cli.output import fraction, percent, print_table
from wargame.cli.params import PRINTABLE


@click.command()
@click.argument("notation")
@click.option("--seed", help="Seed for reproducible dice (printed when omitted).")
@click.option("--label", default="roll", show_default=True, type=PRINTABLE,
              help="Label of this roll.")
@click.option("--times", "-n", type=click.IntRange(1, 1000), default=1, help="How many rolls.")
@click.option("--odds", "show_odds", is_flag=True, help="Print the exact distribution instead.")
def roll(notation, seed, label, times, show_odds) -> None:
    """Roll dice: 2d6+1, d10-1 (0-9), 3d6kh2, d66."""
    from wargame.engine.dice import parse_dice
    from wargame.engine.verifiable import new_seed, seeded_faces

    dice = parse_dice(notation)
    if show_odds:
        print_table(["total", "chance", "exactly"],
                    [[str(t), percent(p), fraction(p)] for t, p in dice.probabilities().items()],
                    numeric=(0, 1))
        return
    seed = seed if seed is not None else new_seed()
    for index in range(times):
        this_label = label if times == 1 else f"{label}/{index + 1}"
        click.echo(dice.roll(seeded_faces(seed, this_label)).describe())
    click.echo(f"Seed: {seed}")
