"""The print kit of a game: every file `wargame build` makes, and how."""

from __future__ import annotations

import shutil
from pathlib import Path

from wargame.build import Target


def kit_targets(session) -> list[Target]:
    """Targets for the whole campaign and for each scenario."""
    root = session.root
    units, rules, prints = root / "units", root / "rules", root / "print"
    targets = [
        Target(Path("campaign/counters.pdf"), (units, prints), "home letter",
               lambda p: _counters(session, p, None, "home", "letter", "duplex-long"),
               "counter sheets"),
        Target(Path("campaign/counters-print-shop-a4.pdf"), (units, prints), "shop a4",
               lambda p: _counters(session, p, None, "print-shop", "a4", "duplex-long"),
               "counter sheets"),
        Target(Path("campaign/counters-print-shop-letter.pdf"), (units, prints), "shop letter",
               lambda p: _counters(session, p, None, "print-shop", "letter", "duplex-long"),
               "counter sheets"),
        Target(Path("campaign/counters-fold.pdf"), (units, prints), "fold letter",
               lambda p: _counters(session, p, None, "home", "letter", "fold"),
               "counter sheets"),
        Target(Path("campaign/calibration.pdf"), (), "calibration letter",
               lambda p: _calibration(p), "duplex calibration"),
        Target(Path("campaign/player-aid.pdf"), (rules, units, prints), "aid letter",
               lambda p: _aids(session, p), "player aid card"),
    ]
    if session.series is not None:
        targets += [
            Target(Path("campaign/rules.pdf"), (rules, units, prints), "rules letter",
                   lambda p: _rulebook(session, p, "letter"), "rules booklet"),
            Target(Path("campaign/rules-a4.pdf"), (rules, units, prints), "rules a4",
                   lambda p: _rulebook(session, p, "a4"), "rules booklet"),
        ]
    for scenario in session.scenarios.values():
        scenario_file = root / "rules" / "scenarios" / f"{scenario.id}.toml"
        sid = scenario.id
        # the tables, maps and rules of play, and this scenario (not the other scenarios)
        own_rules = _rules_without_scenarios(rules) + (scenario_file,)
        targets += [
            Target(Path(sid) / "counters.pdf", (units, prints, scenario_file), "home letter",
                   lambda p, s=sid: _counters(session, p, s, "home", "letter", "duplex-long"),
                   "counter sheets"),
            Target(Path(sid) / "png", (units, prints, scenario_file), "png 150",
                   lambda p, s=sid: _pngs(session, p, s), "counter images", weight=4),
            Target(Path(sid) / "oob.pdf", (units, prints, scenario_file), "oob letter",
                   lambda p, s=sid: _oob(session, p, s), "order of battle"),
            Target(Path(sid) / "booklet.pdf", (units, prints) + own_rules, "booklet letter",
                   lambda p, s=sid: _booklet(session, p, s, "letter"), "scenario booklet",
                   weight=8),
            Target(Path(sid) / "booklet-a4.pdf", (units, prints) + own_rules, "booklet a4",
                   lambda p, s=sid: _booklet(session, p, s, "a4"), "scenario booklet",
                   weight=8),
            Target(Path(sid) / "booklet-saddle.pdf", (units, prints) + own_rules, "saddle letter",
                   lambda p, s=sid: _saddle(session, p, s), "imposed booklet",
                   after=(Path(sid) / "booklet.pdf",)),
        ]
        if scenario.map is not None:
            targets += [
                Target(Path(sid) / "map-letter.pdf", own_rules, "tiles letter",
                       lambda p, s=sid: _map(session, p, s, "letter"), "map, tiled",
                       weight=5),
                Target(Path(sid) / "map-a4.pdf", own_rules, "tiles a4",
                       lambda p, s=sid: _map(session, p, s, "a4"), "map, tiled", weight=5),
                Target(Path(sid) / "map-22x34.pdf", own_rules, "sheet 22x34",
                       lambda p, s=sid: _map(session, p, s, "22x34"), "map, one sheet"),
                Target(Path(sid) / "map.png", own_rules, "png board",
                       lambda p, s=sid: _map_png(session, p, s), "map image", weight=5),
            ]
        # the module reuses the booklet, the player aid and the map image made above
        reused = (Path(sid) / "booklet.pdf", Path("campaign/player-aid.pdf")) + \
            ((Path(sid) / "map.png",) if scenario.map is not None else ())
        targets += [
            Target(Path(sid) / f"{sid}.vmod", (units, prints) + own_rules, "vassal 3.7",
                   lambda p, s=sid: _vassal(session, p, s), "VASSAL module", weight=12,
                   after=reused),
        ]
    return targets


def warm_up(session) -> None:
    """Load once what nearly every target needs, before the build forks its workers: the
    drawing modules, both fonts and every unit's symbol (drawn into the symbol cache on a
    fresh machine). Workers inherit all of it instead of each loading it again."""
    from wargame.counters import sidc
    from wargame.printing import booklet, mapsheet, sheets  # noqa: F401 - loaded to share
    from wargame.printing.fonts import font_for
    from wargame.printing.symbols import raw_svg

    font_for("平")  # the wide font, which names in Chinese and Korean need
    catalog = session.catalog
    for code in sorted({sidc(catalog, unit) for unit in catalog.units.values()}):
        try:
            raw_svg(code)
        except ValueError:
            pass  # reported by the target that draws it


def _rules_without_scenarios(rules: Path) -> tuple[Path, ...]:
    if not rules.is_dir():
        return (rules,)
    return tuple(sorted(p for p in rules.iterdir() if p.name != "scenarios"))


def _counters(session, path: Path, scenario, preset, paper, mode) -> str:
    from wargame.counters import select_counters
    from wargame.printing.sheets import columns_per_row, options_for, render, rows_by_group

    groups, settings = select_counters(session, (), scenario)
    title = session.scenarios[scenario].name if scenario else "East Asia 1950" \
        if session.root == _bundled() else "Counters"
    options = options_for(preset, paper=paper, mode=mode, title=title)
    counters = rows_by_group(groups, columns_per_row(options))
    sheet_plan = render(counters, settings.layout, options, path)
    return f"{sum(1 for c in counters if c)} counters, {sheet_plan.pages} pages"


def _bundled() -> Path:
    from wargame.paths import bundled_data_dir

    return bundled_data_dir()


def _calibration(path: Path) -> str:
    from wargame.printing.sheets import options_for, render_calibration

    render_calibration(options_for("home"), path)
    return "2 pages"


def _pngs(session, path: Path, scenario: str) -> str:
    from wargame.counters import select_counters
    from wargame.printing.png import export_faces

    groups, settings = select_counters(session, (), scenario, markers=False)
    counters = [c for group in groups for c in group]
    # write into a fresh folder, then swap it in: no half-filled folder is ever left
    staging = path.with_name(path.name + ".part")
    shutil.rmtree(staging, ignore_errors=True)
    written = export_faces(counters, settings.layout, "5/8", 150, staging)
    shutil.rmtree(path, ignore_errors=True)
    staging.rename(path)
    return f"{written} images"


def _oob(session, path: Path, scenario: str) -> str:
    from wargame.loading.printdata import load_print
    from wargame.printing.booklet import render_oob

    pages = render_oob(session.scenarios[scenario], session.catalog,
                       load_print(session.root, session.catalog), path)
    return f"{pages} pages"


def _booklet(session, path: Path, scenario: str, paper: str) -> str:
    from wargame.loading.printdata import load_print
    from wargame.printing.booklet import render_booklet

    chosen = session.scenarios[scenario]
    pages = render_booklet(chosen, session.catalog, session.rules,
                           load_print(session.root, session.catalog), path, paper,
                           game_map=session.maps.get(chosen.map) if chosen.map else None,
                           play=session.play)
    return f"{pages} pages"


def _map(session, path: Path, scenario: str, paper: str) -> str:
    from wargame.printing.mapsheet import render_map

    chosen = session.scenarios[scenario]
    pages = render_map(session.maps[chosen.map], session.rules, path, paper=paper,
                       scenario=chosen)
    return f"{pages} pages"


def _map_png(session, path: Path, scenario: str) -> str:
    from wargame.printing.mapsheet import render_map_png

    from wargame.vassal.export import board_dpi

    # one raster a map: the picture players look at is the VASSAL module's board
    game_map = session.maps[session.scenarios[scenario].map]
    width, height = render_map_png(game_map, path, board_dpi(game_map))
    return f"{width} x {height} px"


def _saddle(session, path: Path, scenario: str) -> str:
    from wargame.printing.impose import saddle_stitch

    # the reading booklet is the target just before this one, built from the same inputs
    reading = path.with_name("booklet.pdf")
    if not reading.exists():
        _booklet(session, reading, scenario, "letter")
    return f"{saddle_stitch(reading, path)} sheet sides"


def _aids(session, path: Path) -> str:
    from wargame.printing.booklet import render_aids

    from wargame.loading.printdata import load_print

    from wargame.scenarios.model import campaign_placements

    pages = render_aids(session.rules, path, series=session.series, catalog=session.catalog,
                        settings=load_print(session.root, session.catalog),
                        placements=campaign_placements(session))
    return f"{pages} pages"


def _rulebook(session, path: Path, paper: str) -> str:
    from wargame.loading.printdata import load_print
    from wargame.printing.rulebook import render_rulebook
    from wargame.scenarios.model import campaign_placements

    pages = render_rulebook(session.series, session.rules, session.catalog,
                            load_print(session.root, session.catalog), path, paper,
                            placements=campaign_placements(session))
    return f"{pages} pages"


def _vassal(session, path: Path, scenario: str) -> str:
    from wargame.vassal.check import check_module
    from wargame.vassal.export import scenario_module

    # the booklet and the player aid were built earlier in this run: reuse them
    summary = scenario_module(session, scenario, path, booklet=path.with_name("booklet.pdf"),
                              aid=path.parent.parent / "campaign" / "player-aid.pdf",
                              map_picture=path.with_name("map.png"))
    problems = check_module(path)
    if problems:
        raise RuntimeError(f"{path}: the module fails VASSAL's load rules: {problems[0]}")
    return f"{summary['images']} images, load check passed"
