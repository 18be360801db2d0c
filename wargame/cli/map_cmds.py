"""``wargame map ...``: make and inspect hex maps."""

from __future__ import annotations

import time
from pathlib import Path

import click

from wargame.cli.params import FiniteFloat, finite

from wargame.errors import DataError, Problem, UsageError

#: Smallest town a new map takes from the gazetteer unless told (its smallest file).
DEFAULT_TOWNS = 15000


def _box(value: str | None):
    if value is None:
        return None
    try:
        box = tuple(finite(v, "--box") for v in value.split(","))
    except ValueError:
        box = ()
    if len(box) != 4:
        raise UsageError(f'--box: expected WEST,SOUTH,EAST,NORTH in degrees like '
                         f'"124.5,33.9,129.6,39.3", found "{value}"')
    west, south, east, north = box
    for name, degrees, limit in (("west", west, 180), ("east", east, 180),
                                 ("south", south, 85), ("north", north, 85)):
        if abs(degrees) > limit:
            raise UsageError(f"--box: {name} {degrees:g} is beyond {limit} degrees"
                             + (" (the projection cannot reach the poles)" if limit == 85
                                else ""))
    if south >= north:
        raise UsageError(f"--box: south {south:g} must be less than north {north:g} "
                         "(the order is WEST,SOUTH,EAST,NORTH)")
    if west >= east:
        raise UsageError(f"--box: west {west:g} must be less than east {east:g}; a box "
                         "across the 180th meridian is not supported (the order is "
                         "WEST,SOUTH,EAST,NORTH)")
    if east - west > 60 or north - south > 60:
        raise UsageError(f"--box: {east - west:g} x {north - south:g} degrees is more than "
                         "60 degrees across, where one conic projection no longer keeps "
                         "hexes the same size; make several maps")
    return box


@click.group("map")
def map_group() -> None:
    """Hex maps made from real 1950 geography."""


@map_group.command("extract")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--box", metavar="W,S,E,N", help="Area in degrees (needed for a new map).")
@click.option("--hex-km", type=FiniteFloat(1, 500), help="Kilometres across a hex "
              "(new map; default 16).")
@click.option("--name", help="Title of a new map.")
@click.option("--towns", "towns", type=click.IntRange(min=0), metavar="PEOPLE",
              help="Add the gazetteer's towns of this many people or more (500 at least; "
              "0 for none), with roads between neighbours. A new map takes "
              f"{DEFAULT_TOWNS} unless told; a refresh adds none unless told.")
@click.pass_obj
def extract(session, path, box, hex_km, name, towns) -> None:
    """Build or refresh the map file PATH from coastline, river and elevation data.

    An existing file keeps its places, routes, zones, lines, overrides and settings; the
    grid, terrain, land shares, river hexsides and coastline are derived anew. Needs the
    optional packages: pip install 'wargame[geo]'.
    """
    import attrs

    from wargame.atomic import write_text
    from wargame.loading.structure import build
    from wargame.loading.toml_source import read_toml
    from wargame.loading.validate import check_class
    from wargame.maps.extract import extract as run_extract
    from wargame.maps.extract import new_map_file
    from wargame.maps.model import MapFile
    from wargame.maps.write import map_to_toml

    target = Path(path)
    box = _box(box)
    if target.exists():
        raw, problems = read_toml(target, str(target))
        if raw is None:
            raise DataError(problems)
        found: list[tuple[str, str]] = []
        if not check_class(raw, MapFile, "", found):
            raise DataError([Problem(str(target), where, message) for where, message in found])
        source = build(raw, MapFile)
        if box or hex_km or name:
            info = source.map
            source = attrs.evolve(source, map=attrs.evolve(
                info, box=box or info.box, hex_km=hex_km or info.hex_km,
                name=name or info.name))
    else:
        if box is None:
            raise UsageError(f"{target} does not exist: give --box W,S,E,N to make a new map")
        if not target.parent.is_dir():
            raise UsageError(f"{target.parent}: no such folder")
        stem = target.stem
        source = new_map_file(stem, name or stem.title(), box, hex_km or 16.0)
    costs = {t.id: t.movement_cost for t in session.rules.terrain.values()}
    started = time.perf_counter()
    if towns is None:
        towns = 0 if target.exists() else DEFAULT_TOWNS
    from wargame.maps.gazetteer import MIN_POPULATION

    if 0 < towns < MIN_POPULATION:
        raise UsageError(f"--towns: the gazetteer lists places of {MIN_POPULATION} people "
                         f"or more; found {towns} (give 0 for no towns)")
    refreshed, summary = run_extract(source, costs, towns)
    write_text(target, map_to_toml(refreshed))
    info = refreshed.map
    click.echo(f"{target}: {info.cols} x {info.rows} hexes of {info.hex_km:g} km "
               f"in {time.perf_counter() - started:.1f} s")
    click.echo("  terrain: " + ", ".join(f"{k} {v}" for k, v in sorted(summary["terrain"]
                                                                        .items())))
    click.echo("  hexsides: " + (", ".join(f"{k} {v}" for k, v in summary["hexsides"].items())
                                 or "none"))
    click.echo(f"  coastline: {len(refreshed.geometry.coast)} outlines, "
               f"{summary['coast points']} points")
    if towns:
        click.echo(f"  towns: {summary['towns added']} added from the gazetteer (of "
                   f"{towns} people or more), {summary['roads added']} roads between them")
