"""``wargame check``, ``wargame units``, ``wargame schema``: the catalogue on the terminal."""

from __future__ import annotations

import json
from collections import Counter

import attrs
import click

from wargame.cli.output import print_json, print_table
from wargame.model import BASIS_MARKS, Catalog, Unit
from wargame.query import find_faction, find_unit


def _catalog_for_completion(ctx: click.Context):
    """Completion runs no group callback, so build the session from the parsed options."""
    from wargame.loading.session import Session

    root = ctx.find_root()
    session = root.obj or Session(root.params.get("data_dir"))
    try:
        return session.catalog
    except Exception:  # noqa: BLE001 - completion must never crash the shell
        return None


def _completer(kind: str):
    """A click completion callback offering the ids of ``kind`` ("units", "factions")."""
    def complete(ctx: click.Context, param, incomplete: str):
        from click.shell_completion import CompletionItem

        catalog = _catalog_for_completion(ctx)
        if catalog is None:
            return []
        items = getattr(catalog, kind).values()
        return [CompletionItem(item.id, help=item.name) for item in items
                if item.id.startswith(incomplete)]

    return complete


_complete_unit = _completer("units")
_complete_faction = _completer("factions")


@click.command()
@click.pass_obj
def check(session) -> None:
    """Validate every data file of the game folder and summarise it."""
    from wargame.validation import check_everything

    session.use_cache = False  # check always reads every file afresh
    summary = check_everything(session)
    click.echo(f"{session.root}: all data files are valid.")
    for label, count in summary:
        click.echo(f"  {count:5d} {label}")


@click.group(invoke_without_command=True)
@click.option("--faction", "-f", "factions", multiple=True, shell_complete=_complete_faction,
              help="Only these factions (id or name); repeatable.")
@click.option("--type", "-t", "types", multiple=True, help="Only these unit types (id); "
              "repeatable.")
@click.option("--scenario", "-s", default=None, help="Only the units of this scenario.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_context
def units(ctx: click.Context, factions, types, scenario, as_json) -> None:
    """List units, or show one with `wargame units show ID`."""
    if ctx.invoked_subcommand is not None:
        return
    session = ctx.obj
    catalog = session.catalog
    chosen = list(catalog.units.values())
    if factions:
        wanted = {find_faction(catalog, f).id for f in factions}
        chosen = [u for u in chosen if u.faction in wanted]
    if types:
        from wargame.query import find_one

        wanted_types = {find_one(t, catalog.types, lambda x: (x.id, x.name), "unit type").id
                        for t in types}
        chosen = [u for u in chosen if u.type in wanted_types]
    if scenario:
        from wargame.scenarios.model import units_in

        in_scenario = units_in(session.scenario(scenario))
        chosen = [u for u in chosen if u.id in in_scenario]
    if as_json:
        print_json([unit_record(catalog, u) for u in chosen])
        return
    rows = [[u.id, u.name, catalog.factions[u.faction].short, u.type, u.echelon,
             catalog.format_factors(u), catalog.format_factors(u, reduced=True) or "-",
             BASIS_MARKS[u.basis]] for u in chosen]
    print_table(["id", "name", "faction", "type", "echelon", "full", "reduced", "basis"],
                rows, title=None)
    by_faction = Counter(catalog.factions[u.faction].short for u in chosen)
    click.echo(f"{len(chosen)} units ({', '.join(f'{n} {k}' for k, n in by_faction.items())}). "
               "Basis: H historical, S story, P design estimate, ? disputed.")


def unit_record(catalog: Catalog, unit: Unit) -> dict:
    """A unit as plain data for --json, with its printed factors and step count."""
    record = attrs.asdict(unit)
    record["steps"] = unit.steps
    record["printed"] = {"full": catalog.format_factors(unit),
                         "reduced": catalog.format_factors(unit, reduced=True) or None}
    return record


@units.command("show")
@click.argument("query", shell_complete=_complete_unit)
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_obj
def show(session, query: str, as_json: bool) -> None:
    """Show one unit in full (QUERY: id, name, native name or designation)."""
    catalog = session.catalog
    unit = find_unit(catalog, query)
    if as_json:
        print_json(unit_record(catalog, unit))
        return
    faction = catalog.factions[unit.faction]
    utype = catalog.types[unit.type]
    scheme = catalog.scheme_of(unit)
    labels = scheme.labels or scheme.factors
    lines = [
        ("Unit", f"{unit.name} [{unit.id}]"),
        ("Native name", unit.native_name or "-"),
        ("Faction", f"{faction.name} ({faction.short})"),
        ("Type", f"{utype.name}, {unit.echelon}"),
        ("Counter", f"{unit.designation}" + (f" / {unit.parent}" if unit.parent else "")),
        ("Full strength", f"{catalog.format_factors(unit)}  ("
         + ", ".join(f"{lab} {unit.factors[name]}" for lab, name in zip(labels, scheme.factors))
         + ")"),
        ("Reduced", catalog.format_factors(unit, reduced=True) or "none (one step)"),
        ("Steps", str(unit.steps)),
        ("Strength", ", ".join(f"{v:,} {k}" for k, v in unit.strength.items()) or "-"),
        ("Basis", f"{unit.basis} ({BASIS_MARKS[unit.basis]})"),
        ("Notes", unit.notes or "-"),
    ]
    width = max(len(k) for k, _ in lines)
    for key, value in lines:
        click.echo(f"{key:<{width}}  {value}")
    for key in unit.sources:
        source = catalog.sources[key]
        click.echo(f"{'Source':<{width}}  [{key}] {source.title}" +
                   (f" <{source.url}>" if source.url else ""))


@click.command()
@click.argument("kind", type=click.Choice(["units", "rules", "scenario", "print", "map",
                                          "series", "play"]),
                default="units")
def schema(kind: str) -> None:
    """Print the JSON Schema of a kind of data file (for editor validation)."""
    from wargame.validation import schema_document

    click.echo(json.dumps(schema_document(kind), indent=2, ensure_ascii=False))


@click.command()
@click.argument("shell", type=click.Choice(["bash", "zsh", "fish"]))
def completion(shell: str) -> None:
    """Print the shell completion script for bash, zsh or fish.

    Use it as `eval "$(wargame completion bash)"`.
    """
    from click.shell_completion import get_completion_class

    from wargame.cli import cli

    comp_cls = get_completion_class(shell)
    click.echo(comp_cls(cli, {}, "wargame", "_WARGAME_COMPLETE").source())
