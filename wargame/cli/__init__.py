"""The ``wargame`` command line. Subcommands are imported only when run, so fast commands
stay fast (``wargame units`` never imports reportlab or the symbol library)."""

from __future__ import annotations

import gc
import importlib
import os
import sys

import click

from wargame import __version__
from wargame.errors import DataError

# name -> "module:attribute"; the module is imported when the command runs or shows help.
COMMANDS = {
    "check": "wargame.cli.catalog_cmds:check",
    "units": "wargame.cli.catalog_cmds:units",
    "schema": "wargame.cli.catalog_cmds:schema",
    "completion": "wargame.cli.catalog_cmds:completion",
    "resolve": "wargame.cli.combat_cmds:resolve",
    "odds": "wargame.cli.combat_cmds:odds",
    "roll": "wargame.cli.dice_cmds:roll",
    "tables": "wargame.cli.combat_cmds:tables",
    "print": "wargame.cli.print_cmds:print_group",
    "export": "wargame.cli.print_cmds:export_group",
    "build": "wargame.cli.build_cmds:build",
    "game": "wargame.cli.game_cmds:game_group",
    "map": "wargame.cli.map_cmds:map_group",
}


class LazyGroup(click.Group):
    """A click group whose subcommands live in modules loaded on first use."""

    def list_commands(self, ctx):
        return sorted(set(super().list_commands(ctx)) | set(COMMANDS))

    def get_command(self, ctx, name):
        if name in COMMANDS:
            from wargame.cli.params import accept_late_data

            module, attribute = COMMANDS[name].split(":")
            return accept_late_data(getattr(importlib.import_module(module), attribute))
        return super().get_command(ctx, name)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--data", "data_dir", metavar="DIR", envvar="WARGAME_DATA",
              type=click.Path(file_okay=False), default=None,
              help="Game folder with units/, rules/ and print/ (default: the bundled 1950 "
                   "campaign; also $WARGAME_DATA).")
@click.option("--debug", is_flag=True, help="Show Python tracebacks for errors.")
@click.version_option(__version__, prog_name="wargame")
@click.pass_context
def cli(ctx: click.Context, data_dir: str | None, debug: bool) -> None:
    """Print counters, resolve combat and adjudicate play-by-post wargames."""
    from wargame.loading.session import Session

    ctx.obj = Session(data_dir)


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI; bad input exits 2 with one line per problem."""
    debug = "--debug" in (argv if argv is not None else sys.argv[1:]) or bool(
        os.environ.get("WARGAME_DEBUG"))
    try:
        cli.main(args=argv, prog_name="wargame", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        from wargame.text import shown

        exc.message = shown(exc.message)  # it may quote what a user or a record wrote
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except DataError as exc:
        if debug:
            raise
        report_problems(exc)
        sys.exit(2)
    except KeyboardInterrupt:
        click.echo("Interrupted; nothing half-written was kept.", err=True)
        sys.exit(130)
    except BrokenPipeError:
        sys.stderr.close()  # output piped into `head`: not an error
        sys.exit(0)
    except OSError as exc:  # a folder or file the user named cannot be read or written
        if debug:
            raise
        where = f"{exc.filename}: " if exc.filename else ""
        click.echo(f"error: {where}{exc.strerror or exc}", err=True)
        sys.exit(2)
    except Exception as exc:  # noqa: BLE001 - the last line of defence against tracebacks
        if debug:
            raise
        click.echo(f"wargame: internal error: {type(exc).__name__}: {exc}\n"
                   "Run again with --debug to see where, and please report it.", err=True)
        sys.exit(1)


def run() -> None:
    """The ``wargame`` console script: ``main`` in a process of its own, which ends with it."""
    try:
        main()
    finally:
        # The process is about to hand all its memory back at once: the collector's last
        # passes over everything the command made would free nothing that matters, at 15-35
        # ms a command. Frozen objects are not finalised at exit, so whatever must be closed
        # is closed by its owner first (each writer its file, each game command its record).
        gc.freeze()


def report_problems(exc: DataError) -> None:
    """Print each problem on its own line, and a count when there are several."""
    from wargame.text import shown

    for problem in exc.problems:
        click.echo(f"error: {shown(str(problem))}", err=True)
    if len(exc.problems) > 1:
        click.echo(f"{len(exc.problems)} problems found.", err=True)
