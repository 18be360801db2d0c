"""`wargame build`: the whole print kit, with progress and a summary."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click


@click.command()
@click.option("--output", "-o", type=click.Path(file_okay=False), default="out",
              show_default=True, help="Folder for the kit (created if missing).")
@click.option("--force", is_flag=True, help="Rebuild everything, even what is up to date.")
@click.option("--verbose", "-v", is_flag=True, help="Print how long each file took.")
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=None,
              help="Files made at once  [default: one per processor]")
@click.pass_obj
def build(session, output, force, verbose, jobs) -> None:
    """Build the full print kit of the game (every scenario) into OUTPUT."""
    from wargame.build import run
    from wargame.kit import kit_targets, warm_up
    from wargame.validation import check_everything

    started = time.perf_counter()
    check_everything(session)  # every problem in the data, before anything is written
    targets = kit_targets(session)
    out = Path(output)
    if sys.stderr.isatty():
        with click.progressbar(length=len(targets), label="Building", file=sys.stderr,
                               show_pos=True) as bar:
            def progress(target, building):
                bar.label = f"{'Building' if building else 'Checking'} {target.path}"
                bar.update(1)

            outcomes = run(targets, out, force, progress, jobs,
                           prepare=lambda: warm_up(session))
    else:
        outcomes = run(targets, out, force, jobs=jobs, prepare=lambda: warm_up(session))
    built = [o for o in outcomes if o.built]
    width = max(len(o.target.path.as_posix()) for o in outcomes)
    for outcome in outcomes:
        status = outcome.note if outcome.built else "up to date"
        took = f"  {outcome.seconds:5.1f} s" if verbose and outcome.built else ""
        click.echo(f"  {outcome.target.path.as_posix():<{width}}  {outcome.size / 1024:8.0f} KiB"
                   f"{took}  {status}")
    click.echo(f"{len(built)} of {len(outcomes)} files built in {out}/ "
               f"({time.perf_counter() - started:.1f} s).")
