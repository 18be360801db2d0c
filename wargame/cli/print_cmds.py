"""``wargame print ...`` and ``wargame export png``: the print kit from the command line."""

from __future__ import annotations

from pathlib import Path

import click

from wargame.cli.params import FiniteFloat, finite

from wargame.counters import select_counters
from wargame.errors import UsageError
from wargame.printing.conditions import CONDITIONS, DEFAULT_CONDITION


def _offset(value: str | None) -> tuple[float, float] | None:
    if value is None:
        return None
    try:
        x, y = (finite(v, "--back-offset") for v in value.split(","))
    except ValueError:
        raise UsageError(f'--back-offset: expected X,Y in millimetres like "0.5,-1", found '
                         f'"{value}"') from None
    if abs(x) > 20 or abs(y) > 20:
        raise UsageError("--back-offset: more than 20 mm off is not a printer misalignment")
    return x, y


def intent_option(func):
    """--intent: the printing condition a print-shop file names as its output intent."""
    return click.option("--intent", type=click.Choice(list(CONDITIONS)),
                        default=DEFAULT_CONDITION,
                        show_default=True, help="Print-shop files: the printing condition "
                        "named in the PDF/X output intent (fogra39 and fogra51: coated "
                        "paper, Europe; swop, gracol: North America). Ask your shop.")(func)


def press_options(func):
    """--preset home|print-shop and --intent for documents (booklets, rules, aids, OOB)."""
    func = intent_option(func)
    return click.option("--preset", type=click.Choice(["home", "print-shop"]),
                        default="home", show_default=True,
                        help="home: RGB pages for a home printer; print-shop: PDF/X-1a in "
                        "CMYK with 3 mm bleed and crop marks.")(func)


def pdfx_of(preset: str, intent: str) -> str | None:
    """The output condition of a print-shop file, or None for a home one."""
    return intent if preset == "print-shop" else None


def sheet_options(func):
    func = intent_option(func)
    options = [
        click.option("--preset", type=click.Choice(["home", "print-shop"]), default="home",
                     show_default=True, help="home: cut lines, RGB; print-shop: PDF/X-1a "
                     "in CMYK, gutters, bleed, crop marks, no keyline."),
        click.option("--paper", type=click.Choice(["letter", "a4", "tabloid", "12x18", "a3",
                                                   "sra3"]),
                     help="Paper size: letter, a4, or a shop's sheet (tabloid 11x17 in, "
                     "12x18 in, a3, sra3)."),
        click.option("--size", type=click.Choice(["1/2", "9/16", "5/8", "3/4", "1"]),
                     help="Counter size in inches (default 5/8)."),
        click.option("--mode", type=click.Choice(["duplex-long", "duplex-short", "fold",
                                                  "fronts"]),
                     help="Backs on the next page for long- or short-edge duplex, fronts and "
                          "backs side by side to fold and glue, or fronts only."),
        click.option("--back-offset", metavar="X,Y", help="Shift backs by X,Y mm (measure "
                     "with `wargame print calibration`)."),
        click.option("--margin", type=FiniteFloat(0, 60), help="Page margin in mm."),
        click.option("--gutter", type=FiniteFloat(0, 20), help="Gap between counters, mm."),
        click.option("--bleed", "page_bleed", type=FiniteFloat(0, 10),
                     help="Page bleed in mm (sets TrimBox and BleedBox)."),
        click.option("--cut", type=click.Choice(["lines", "marks", "none"]),
                     help="Cut lines along the edges, or crop marks outside the block."),
        click.option("--full-lines", is_flag=True, default=None,
                     help="Also draw light cut lines across the whole page."),
        click.option("--guides", is_flag=True, default=None,
                     help="Proof: draw each counter's safe area (dashed blue)."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _sheet_options(kw, title):
    from wargame.printing.sheets import options_for

    return options_for(kw["preset"], paper=kw["paper"], size=kw["size"], mode=kw["mode"],
                       back_offset=_offset(kw["back_offset"]), margin=kw["margin"],
                       gutter=kw["gutter"], page_bleed=kw["page_bleed"], cut=kw["cut"],
                       full_lines=kw["full_lines"], guides=kw["guides"], title=title,
                       pdfx=pdfx_of(kw["preset"], kw["intent"]))


@click.group("print")
def print_group() -> None:
    """Print game materials to PDF."""


@print_group.command("counters")
@click.option("--scenario", "-s", help="Only the units of this scenario (with set-up "
              "corners).")
@click.option("--faction", "-f", "factions", multiple=True, help="Only these factions.")
@click.option("--no-markers", is_flag=True, help="Leave out the game markers.")
@click.option("--output", "-o", type=click.Path(dir_okay=False), default="counters.pdf",
              show_default=True, help="PDF to write.")
@sheet_options
@click.pass_obj
def print_counters(session, scenario, factions, no_markers, output, **kw) -> None:
    """Counter sheets: fronts and backs, ready for a home printer or a print shop."""
    from wargame.printing.sheets import columns_per_row, render, rows_by_group

    groups, settings = select_counters(session, factions, scenario, not no_markers)
    options = _sheet_options(kw, title=f"Counters{' - ' + scenario if scenario else ''}")
    counters = rows_by_group(groups, columns_per_row(options))
    if not any(counters):
        raise UsageError("no counters match the filters")
    sheet_plan = render(counters, settings.layout, options, Path(output))
    count = sum(1 for c in counters if c)
    click.echo(f"Wrote {output}: {count} counters on {sheet_plan.pages} pages "
               f"({sheet_plan.columns} x {sheet_plan.rows} a sheet, {options.mode}).")


@print_group.command("calibration")
@click.option("--output", "-o", type=click.Path(dir_okay=False), default="calibration.pdf",
              show_default=True)
@click.option("--paper", type=click.Choice(["letter", "a4"]), default="letter")
@click.option("--mode", type=click.Choice(["duplex-long", "duplex-short"]),
              default="duplex-long")
def print_calibration(output, paper, mode) -> None:
    """A duplex test page to measure your printer's back offset."""
    from wargame.printing.sheets import options_for, render_calibration

    render_calibration(options_for("home", paper=paper, mode=mode), Path(output))
    click.echo(f"Wrote {output}: print it duplex and read the offset on the back.")


@click.group("export")
def export_group() -> None:
    """Export game materials for other tools (PNG faces, ...)."""


@export_group.command("png")
@click.option("--scenario", "-s", help="Only the units of this scenario.")
@click.option("--faction", "-f", "factions", multiple=True, help="Only these factions.")
@click.option("--dpi", type=click.IntRange(36, 1200), default=300, show_default=True)
@click.option("--size", type=click.Choice(["1/2", "9/16", "5/8", "3/4", "1"]), default="5/8",
              show_default=True)
@click.option("--output", "-o", type=click.Path(file_okay=False), default="counters-png",
              show_default=True, help="Folder to write the PNGs into (created if missing).")
@click.option("--map", "map_only", is_flag=True, help="Write the scenario's map as "
              "map-SCENARIO.png instead of the counters (needs --scenario).")
@click.pass_obj
def export_png(session, scenario, factions, dpi, size, output, map_only) -> None:
    """Each counter's front and back as PNG, named by id, plus a contact sheet; or, with
    --map, the scenario's whole map."""
    from wargame.printing.png import export_faces

    if map_only:
        from wargame.printing.mapsheet import render_map_png

        if not scenario:
            raise UsageError("--map: name the scenario with --scenario")
        game_map, chosen = map_of_scenario(session, scenario)
        folder = Path(output)
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"map-{chosen.id}.png"
        width, height = render_map_png(game_map, target, dpi)
        click.echo(f"Wrote {target}: {width} x {height} pixels at {dpi} dpi.")
        return

    groups, settings = select_counters(session, factions, scenario)
    counters = [c for group in groups for c in group]
    written = export_faces(counters, settings.layout, size, dpi, Path(output))
    click.echo(f"Wrote {written} PNG files to {output}/ at {dpi} dpi.")


@print_group.command("oob")
@click.option("--scenario", "-s", required=True, help="Scenario id or name.")
@click.option("--paper", type=click.Choice(["letter", "a4"]), default="letter", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="PDF to write "
              "(default: oob-SCENARIO.pdf).")
@press_options
@click.pass_obj
def print_oob(session, scenario, paper, output, preset, intent) -> None:
    """Order-of-battle sheets: counters by set-up and arrival, and the unit tables."""
    from wargame.loading.printdata import load_print
    from wargame.printing.booklet import render_oob

    chosen = session.scenario(scenario)
    target = Path(output or f"oob-{chosen.id}.pdf")
    pages = render_oob(chosen, session.catalog, load_print(session.root, session.catalog),
                       target, paper, pdfx=pdfx_of(preset, intent))
    click.echo(f"Wrote {target}: {pages} pages.")


@print_group.command("booklet")
@click.option("--scenario", "-s", required=True, help="Scenario id or name.")
@click.option("--paper", type=click.Choice(["letter", "a4"]), default="letter", show_default=True)
@click.option("--saddle", is_flag=True, help="Also write the saddle-stitch imposition "
              "(two pages a sheet side, to fold and staple).")
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="PDF to write "
              "(default: booklet-SCENARIO.pdf).")
@press_options
@click.pass_obj
def print_booklet(session, scenario, paper, saddle, output, preset, intent) -> None:
    """The scenario booklet: background, rules, set-up, OOB, charts, notes."""
    from wargame.loading.printdata import load_print
    from wargame.printing.booklet import render_booklet
    from wargame.printing.impose import saddle_stitch

    chosen = session.scenario(scenario)
    target = Path(output or f"booklet-{chosen.id}.pdf")
    pages = render_booklet(chosen, session.catalog, session.rules,
                           load_print(session.root, session.catalog), target, paper,
                           game_map=session.maps.get(chosen.map) if chosen.map else None,
                           play=session.play, pdfx=pdfx_of(preset, intent))
    click.echo(f"Wrote {target}: {pages} pages.")
    if saddle and preset == "print-shop":
        raise UsageError("--saddle imposes a home booklet; a print shop imposes its own "
                         "(send it the print-shop pages)")
    if saddle:
        imposed = target.with_name(target.stem + "-saddle.pdf")
        sides = saddle_stitch(target, imposed)
        click.echo(f"Wrote {imposed}: {sides} sheet sides (duplex, short-edge flip, fold).")


def map_of_scenario(session, scenario_name: str):
    """(map, scenario) for ``-s``: the scenario's map, or a clear error when it has none."""
    chosen = session.scenario(scenario_name)
    if chosen.map is None:
        raise UsageError(f'scenario "{chosen.id}" has no map (add map = "ID" to its file)')
    return session.maps[chosen.map], chosen


@print_group.command("map")
@click.option("--scenario", "-s", help="Scenario id or name (its map, with its holding boxes "
              "and turn track).")
@click.option("--map", "map_file", type=click.Path(dir_okay=False), help="A map file to "
              "print bare, without a scenario (e.g. one just made by `wargame map extract`).")
@click.option("--paper", type=click.Choice(["letter", "a4", "22x34", "a1", "a2"]),
              default="letter", show_default=True, help="letter or a4: tiled for a home "
              "printer; 22x34, a1, a2: one sheet for a print shop (PDF/X-1a, CMYK, bleed, "
              "crop marks).")
@click.option("--hex-size", type=FiniteFloat(8, 60), help="Hex size in mm, flat to "
              "flat (default: the map's; a sheet shrinks it to fit).")
@click.option("--dpi", type=click.IntRange(36, 1200), default=150, show_default=True,
              help="Resolution when the output is a .png.")
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="PDF to write, or PNG "
              "when the name ends in .png (default: map-SCENARIO.pdf or map-MAP.pdf).")
@intent_option
@click.pass_obj
def print_map(session, scenario, map_file, paper, hex_size, dpi, output, intent) -> None:
    """The hex map: tiled with overlaps and registration marks, one sheet, or one PNG."""
    from wargame.printing.mapsheet import render_map, render_map_png

    if (scenario is None) == (map_file is None):
        raise UsageError("print map: name a scenario (-s ID) or a map file (--map FILE), "
                         "one of the two")
    if map_file is not None:
        game_map, chosen = bare_map(session, Path(map_file)), None
        stem = game_map.info.id
    else:
        game_map, chosen = map_of_scenario(session, scenario)
        stem = chosen.id
    target = Path(output or f"map-{stem}.pdf")
    if target.suffix.lower() == ".png":
        width, height = render_map_png(game_map, target, dpi, hex_size)
        click.echo(f"Wrote {target}: {width} x {height} pixels at {dpi} dpi.")
        return
    pages = render_map(game_map, session.rules, target, paper=paper, scenario=chosen,
                       hex_mm=hex_size, pdfx=intent)
    click.echo(f"Wrote {target}: {pages} pages.")


def bare_map(session, path: Path):
    """A map file read and checked against the game's terrain chart."""
    from wargame.maps.load import load_map_file, terrain_features

    if not path.is_file():
        raise UsageError(f"--map: {path}: no such file")
    return load_map_file(path, terrain_features(session.rules))


@print_group.command("rules")
@click.option("--paper", type=click.Choice(["letter", "a4"]), default="letter", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False), default="rules.pdf",
              show_default=True, help="PDF to write.")
@press_options
@click.pass_obj
def print_rules(session, paper, output, preset, intent) -> None:
    """The rules booklet: series rules, worked examples, counter key, charts, index."""
    from wargame.loading.printdata import load_print
    from wargame.printing.rulebook import render_rulebook

    if session.series is None:
        raise UsageError(f"{session.root} has no series rules: write print/series-rules.toml "
                         "(see the bundled campaign's for the form)")
    from wargame.scenarios.model import campaign_placements

    pages = render_rulebook(session.series, session.rules, session.catalog,
                            load_print(session.root, session.catalog), Path(output), paper,
                            placements=campaign_placements(session),
                            pdfx=pdfx_of(preset, intent))
    click.echo(f"Wrote {output}: {pages} pages.")


@print_group.command("aids")
@click.option("--paper", type=click.Choice(["letter", "a4"]), default="letter", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False), default="player-aid.pdf",
              show_default=True)
@press_options
@click.pass_obj
def print_aids(session, paper, output, preset, intent) -> None:
    """The player aid card: every table and chart of the rules."""
    from wargame.printing.booklet import render_aids

    from wargame.loading.printdata import load_print

    from wargame.scenarios.model import campaign_placements

    pages = render_aids(session.rules, Path(output), paper, series=session.series,
                        catalog=session.catalog,
                        settings=load_print(session.root, session.catalog),
                        placements=campaign_placements(session),
                        pdfx=pdfx_of(preset, intent))
    click.echo(f"Wrote {output}: {pages} pages.")


@export_group.command("vassal")
@click.option("--scenario", "-s", required=True, help="Scenario id or name.")
@click.option("--output", "-o", type=click.Path(dir_okay=False),
              help="Module to write (default: SCENARIO.vmod).")
@click.pass_obj
def export_vassal(session, scenario, output) -> None:
    """A VASSAL 3.7 module of a scenario: counters that flip, board, dice, charts, booklet."""
    from wargame.vassal.check import check_module
    from wargame.vassal.export import scenario_module

    chosen = session.scenario(scenario)
    target = Path(output or f"{chosen.id}.vmod")
    summary = scenario_module(session, chosen.id, target)
    problems = check_module(target)
    click.echo(f"Wrote {target}: {summary['units']} units and {summary['markers']} markers, "
               f"{summary['images']} images.")
    if problems:
        for problem in problems:
            click.echo(f"warning: {problem}", err=True)
        raise SystemExit(1)
    click.echo("The static check of VASSAL 3.7's load rules passed.")
