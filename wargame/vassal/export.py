"""A scenario as a VASSAL module: images drawn by the same code as the printed counters."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

from wargame.counters import marker_counters, one_line, unit_counter
from wargame.vassal import layout, module
from wargame.vassal.layout import COUNTER_PX
from wargame.vassal.module import piece_for


def _png_pages(pdf_bytes: bytes, scale: float) -> list[bytes]:
    import pypdfium2 as pdfium

    out = []
    for page in pdfium.PdfDocument(pdf_bytes):
        buffer = io.BytesIO()
        page.render(scale=scale).to_pil().convert("RGB").save(buffer, format="PNG")
        out.append(buffer.getvalue())
    return out


HEX_PX = layout.HEX_PX


def board_dpi(game_map) -> float:
    """The resolution at which the printed map becomes the VASSAL board (HEX_PX a hex)."""
    return HEX_PX * 25.4 / game_map.info.hex_mm


def _hex_board(game_map, files: dict, picture: Path | None = None) -> tuple:
    """The printed map as the board (the same drawing, rasterised at :func:`board_dpi`, or
    ``picture`` when it was rasterised so already), its grid and zones, and where each
    zone's at-start stack goes (the zone hex nearest its middle)."""
    from wargame.maps.hexgrid import centre, corners, parse_hex
    from wargame.printing.mapsheet import render_map_png

    if picture is not None and picture.exists():
        files["images/map.png"] = picture.read_bytes()
    else:
        with tempfile.TemporaryDirectory() as folder:
            target = Path(folder) / "map.png"
            render_map_png(game_map, target, board_dpi(game_map))
            files["images/map.png"] = target.read_bytes()
    pixel = layout.point_pixel  # the board is the printed map's whole-hex window
    x0, y0 = pixel(centre((1, 1)))
    # one zone per hex: VASSAL names a point by the first zone that holds it, so a hex of
    # two set-up zones is one zone named by both codes, the smaller zone's first
    codes: dict = {}
    at = {}
    for zone_id, zone in sorted(game_map.zones.items(), key=lambda z: len(z[1].hexes)):
        for hex_ in (parse_hex(h) for h in zone.hexes):
            codes.setdefault(hex_, []).append(zone.code)
        at[zone_id] = layout.hex_pixel(game_map.anchor_hex(zone_id))
    zones = [("/".join(dict.fromkeys(names)),
              [tuple(round(v) for v in pixel(c)) for c in corners(hex_)])
             for hex_, names in codes.items()]
    board = module.HexBoard(game_map.info.name, "map.png", x0, y0, float(HEX_PX), zones)
    return board, at


def scenario_module(session, scenario_id: str, target: Path, booklet: Path | None = None,
                    aid: Path | None = None, map_picture: Path | None = None) -> dict:
    """Write ``target``; returns a summary (counters, pieces, images).

    ``booklet`` and ``aid`` may name PDFs already made (by `wargame build`) to reuse, and
    ``map_picture`` the map rasterised at :func:`board_dpi`.
    """
    from wargame.engine.dice import parse_dice
    from wargame.loading.printdata import load_print
    from wargame.printing.booklet import render_aids, render_booklet
    from wargame.printing.png import faces_pdf
    from wargame.printing.sheets import SIZES
    from wargame.scenarios.model import placements_of

    scenario = session.scenarios[scenario_id]
    catalog, rules = session.catalog, session.rules
    settings = load_print(session.root, catalog)
    placements = placements_of(scenario)
    files: dict[str, bytes] = {}

    units = [catalog.units[e.unit] for e in scenario.setup]
    counters = [unit_counter(catalog, unit, placements[unit.id]) for unit in units]
    # the markers of this scenario's factions (and those of no faction), not the series'
    factions = {f for side in scenario.sides for f in side.factions}
    marker_faction: dict[str, str | None] = {}
    markers = []
    for spec in settings.markers:
        if spec.faction is None or spec.faction in factions:
            for counter in marker_counters(catalog, [spec]):
                markers.append(counter)
                marker_faction[counter.key] = spec.faction
    size = SIZES["5/8"]
    pages = _png_pages(faces_pdf(counters + markers, settings.layout, size), COUNTER_PX / size)
    for index, counter in enumerate(counters + markers):
        files[f"images/{counter.key}-front.png"] = pages[2 * index]
        files[f"images/{counter.key}-back.png"] = pages[2 * index + 1]

    gpid = 100
    by_side = []
    for side in scenario.sides:
        entries = []
        for unit in units:
            if unit.faction in side.factions:
                definition = piece_for(unit.name, unit.id, gpid, faction=unit.faction)
                entries.append((unit.name, definition, gpid, True))
                gpid += 1
        by_side.append((side.name, entries))
    marker_entries = []
    turn_marker = None
    for counter in markers:
        name, back = one_line(counter.front.title), one_line(counter.back.title)
        if back == name:  # a flip must say something in the chat
            back = f"{name} (back)"
        marker_entries.append((name, piece_for(name, counter.key, gpid, back_name=back,
                                               faction=marker_faction[counter.key]),
                               gpid, True))
        if turn_marker is None and name.casefold() == "game turn":
            turn_marker = (name, counter.key, back)
        gpid += 1
    palettes = by_side + [("Markers", marker_entries)]

    game_map = session.maps[scenario.map] if scenario.map else None
    board, at = _hex_board(game_map, files, map_picture) if game_map else (None, {})
    files["images/" + module.MOVED_IMAGE] = module.moved_image()
    # as the print has them: eliminated units, then the reinforcements of each turn waiting
    # in that turn's box, then the turn record track
    boxes = layout.holding_boxes(scenario, game_map is not None)
    arrivals = layout.arrivals(scenario)
    box_png, centres, rooms = module.area_board(boxes)
    files["images/boxes.png"] = box_png
    setup = []
    if turn_marker is not None:  # the Game Turn marker starts on turn 1 of the track
        name, key, back = turn_marker
        setup.append(("Holding boxes" if game_map else "Main Map", "Game turn marker",
                      *centres["track-1"], [(name, piece_for(name, key, gpid, back_name=back),
                                             gpid)]))
        gpid += 1
    for turn in arrivals:
        waiting = [e for e in scenario.setup if e.turn == turn]
        setup.append(("Holding boxes" if game_map else "Main Map",
                      f"Reinforcements, turn {turn}", *centres[f"turn-{turn}"],
                      [(catalog.units[e.unit].name,
                        piece_for(catalog.units[e.unit].name, e.unit, gpid + i,
                                  faction=catalog.units[e.unit].faction), gpid + i)
                       for i, e in enumerate(waiting)]))
        gpid += len(waiting)
    for area in scenario.areas:
        at_start = [e for e in scenario.setup if e.area == area.id and e.turn == 0]
        if not at_start:
            continue
        if area.id in at:
            map_name, (x, y) = "Main Map", at[area.id]
        else:  # a holding box (or, for a scenario without a map, its area board)
            map_name, (x, y) = ("Holding boxes" if game_map else "Main Map"), centres[area.id]
        setup.append((map_name, area.name, x, y,
                      [(catalog.units[e.unit].name,
                        piece_for(catalog.units[e.unit].name, e.unit, gpid + i,
                                  faction=catalog.units[e.unit].faction), gpid + i)
                       for i, e in enumerate(at_start)]))
        gpid += len(at_start)

    dice = {(1, 6, 0), (2, 6, 0)}
    for table_id in scenario.tables:
        for term in parse_dice(rules.tables[table_id].spec.dice).terms:
            if term.sides != 66 and term.keep is None:
                dice.add((term.count, term.sides, parse_dice(
                    rules.tables[table_id].spec.dice).constant))
    with tempfile.TemporaryDirectory() as folder:
        if aid is None or not aid.exists():
            aid = Path(folder) / "aid.pdf"
            render_aids(rules, aid)
        charts = _png_pages(aid.read_bytes(), 110 / 72)
        if booklet is None or not booklet.exists():
            booklet = Path(folder) / "booklet.pdf"
            render_booklet(scenario, catalog, rules, settings, booklet)
        files["booklet.pdf"] = booklet.read_bytes()
    chart_entries = []
    for index, png in enumerate(charts, start=1):
        files[f"images/charts-{index}.png"] = png
        chart_entries.append((f"Charts {index}", f"charts-{index}.png"))

    description = f"{scenario.name}: {scenario.subtitle}".strip(": ")
    if board is None:  # a scenario without a map: its areas are the board
        board = module.HexBoard("Holding boxes", "boxes.png", 0, 0, 60, [])
    files["buildFile.xml"] = module.build_file(
        scenario.name, description, [side.name for side in scenario.sides], palettes, setup,
        sorted(dice), chart_entries, board,
        module.BoxBoard("boxes.png", [(b.name, rooms[b.id]) for b in boxes]) if game_map
        else None,
        scenario.turns, "booklet.pdf", gpid)
    files["moduledata"] = module.module_data(scenario.name, description)
    module.write_module(target, {name: files[name] for name in
                                 ["moduledata", "buildFile.xml"] +
                                 sorted(n for n in files if n not in ("moduledata",
                                                                      "buildFile.xml"))})
    return {"pieces": gpid - 100, "images": sum(1 for n in files if n.startswith("images/")),
            "units": len(units), "markers": len(markers)}
