"""Reading the scenarios of a game and holding each to its units, tables and map: unknown
units, a unit set up twice, turns out of range, units whose faction fights for no side,
tables that do not exist, set-ups that do not fit the map."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from wargame.errors import DataError, Problem
from wargame.model import Catalog
from wargame.scenarios.model import Scenario


def scenario_files(root: Path) -> list[Path]:
    from wargame.loading.toml_source import toml_files

    return [p for p in toml_files(root / "rules" / "scenarios") if p.parent.name == "scenarios"]


def load_scenarios(root: Path, catalog: Catalog, table_ids: set[str],
                   maps: Mapping | None = None) -> dict[str, Scenario]:
    """Every scenario of the game, checked against its units and tables."""
    from wargame.loading.toml_source import shown_name
    from wargame.loading.structure import read_model

    problems: list[Problem] = []
    scenarios: dict[str, Scenario] = {}
    for path in scenario_files(root):
        shown = shown_name(path, root)
        scenario, read_problems = read_model(path, shown, Scenario)
        problems += read_problems
        if scenario is None:
            continue
        if scenario.id in scenarios:
            problems.append(Problem(shown, "id", f'duplicate scenario id "{scenario.id}"'))
            continue
        problems += [Problem(shown, where, message)
                     for where, message in check_scenario(scenario, catalog, table_ids)]
        if maps is not None:
            problems += [Problem(shown, where, message)
                         for where, message in check_on_map(scenario, catalog, maps)]
        scenarios[scenario.id] = scenario
    if problems:
        raise DataError(problems)
    return scenarios


def check_scenario(scenario: Scenario, catalog: Catalog, table_ids: set[str]):
    """(key path, message) for everything inconsistent with the game's data."""
    from wargame.loading.validate import did_you_mean

    out = []
    if scenario.end < scenario.start:
        out.append(("end", f"expected a date on or after the start {scenario.start}, found "
                    f"{scenario.end}"))
    side_ids = [side.id for side in scenario.sides]
    claimed: dict[str, str] = {}
    for index, side in enumerate(scenario.sides):
        if side_ids.count(side.id) > 1:
            out.append((f"sides[{index}].id", f'duplicate side "{side.id}"'))
        for position, faction in enumerate(side.factions):
            if faction not in catalog.factions:
                out.append((f"sides[{index}].factions[{position}]", f'unknown faction '
                            f'"{faction}"{did_you_mean(faction, catalog.factions)}'))
            elif faction in claimed:
                out.append((f"sides[{index}].factions[{position}]", f'faction "{faction}" '
                            f'already fights for side "{claimed[faction]}"'))
            claimed.setdefault(faction, side.id)
    area_ids = [area.id for area in scenario.areas]
    for index, area in enumerate(scenario.areas):
        if area_ids.count(area.id) > 1:
            out.append((f"areas[{index}].id", f'duplicate area "{area.id}"'))
    first_seen: dict[str, int] = {}
    for index, entry in enumerate(scenario.setup):
        where = f"setup[{index}]"
        if entry.unit in first_seen:
            out.append((f"{where}.unit", f'unit "{entry.unit}" is already set up at '
                        f"setup[{first_seen[entry.unit]}]"))
            continue
        first_seen[entry.unit] = index
        unit = catalog.units.get(entry.unit)
        if unit is None:
            out.append((f"{where}.unit", f'unknown unit "{entry.unit}"'
                        f"{did_you_mean(entry.unit, catalog.units)}"))
            continue
        if entry.area not in area_ids:
            out.append((f"{where}.area", f'unknown area "{entry.area}"'
                        f"{did_you_mean(entry.area, area_ids)}"))
        if entry.turn > scenario.turns:
            out.append((f"{where}.turn", f"expected a turn from 0 to {scenario.turns}, found "
                        f"{entry.turn}"))
        if unit.faction not in claimed:
            out.append((f"{where}.unit", f'"{entry.unit}" belongs to faction "{unit.faction}"'
                        ", which fights for no side of this scenario"))
        if entry.reduced and unit.reduced is None:
            out.append((f"{where}.reduced", f'"{entry.unit}" has no reduced side'))
    for index, condition in enumerate(scenario.victory):
        if condition.side not in side_ids:
            out.append((f"victory[{index}].side", f'unknown side "{condition.side}"'
                        f"{did_you_mean(condition.side, side_ids)}"))
    for index, table in enumerate(scenario.tables):
        if table not in table_ids:
            out.append((f"tables[{index}]", f'unknown table "{table}"'
                        f"{did_you_mean(table, table_ids)}"))
    for index, key in enumerate(scenario.sources):
        if key not in catalog.sources:
            out.append((f"sources[{index}]", f'unknown source key "{key}"'))
    return out


def check_on_map(scenario: Scenario, catalog: Catalog, maps: Mapping):
    """(key path, message) for a set-up that does not fit the scenario's map: areas that are
    neither a zone of it nor a box off it, codes that differ from the zone's, ground units in
    a zone without land, ships in a zone without sea, a scale other than the map's."""
    from wargame.loading.validate import did_you_mean

    if scenario.map is None:
        return []
    game_map = maps.get(scenario.map)
    if game_map is None:
        return [("map", f'unknown map "{scenario.map}"{did_you_mean(scenario.map, maps)}; '
                 "expected a file rules/maps/<id>.toml")]
    out = []
    info = game_map.info
    if scenario.scale_km is not None and abs(scenario.scale_km - info.hex_km) > 1e-9:
        out.append(("scale_km", f"expected the scale of map \"{info.id}\" ({info.hex_km:g} km "
                    f"per hex), found {scenario.scale_km:g}"))
    areas = {area.id: area for area in scenario.areas}
    ports = {game_map.place_hexes[p.name] for p in game_map.places if p.port}
    for index, area in enumerate(scenario.areas):
        zone = game_map.zones.get(area.id)
        if area.offmap:
            if zone is not None:
                out.append((f"areas[{index}].offmap", f'"{area.id}" is a zone of map '
                            f'"{info.id}"; a holding box needs an id of its own'))
        elif zone is None:
            out.append((f"areas[{index}].id", f'no zone "{area.id}" on map "{info.id}"'
                        f"{did_you_mean(area.id, game_map.zones)}; add it to the map or set "
                        "offmap = true for a holding box"))
        elif zone.code != area.code:
            out.append((f"areas[{index}].code", f'expected the code of zone "{zone.id}" on '
                        f'the map, "{zone.code}", found "{area.code}"'))
    for index, entry in enumerate(scenario.setup):
        area = areas.get(entry.area)
        unit = catalog.units.get(entry.unit)
        if area is None or unit is None or area.offmap or area.id not in game_map.zones:
            continue
        domain = catalog.types[unit.type].domain
        hexes = game_map.zone_hexes(area.id)
        if entry.hex:
            from wargame.maps.hexgrid import parse_hex

            exact = parse_hex(entry.hex)
            if exact not in hexes:
                out.append((f"setup[{index}].hex", f"hex {entry.hex} is not in zone "
                            f'"{area.id}" ({area.code}) of map "{info.id}"'))
                continue
            hexes = [exact]
        if domain in ("ground", "guerrilla") and not any(game_map.is_land(h) for h in hexes):
            out.append((f"setup[{index}].area", f'ground unit "{unit.id}" cannot set up in '
                        f'zone "{area.id}" ({area.code}): it has no land hex'))
        elif domain == "naval" and not any(not game_map.is_land(h) or h in ports
                                           for h in hexes):
            out.append((f"setup[{index}].area", f'ship "{unit.id}" cannot set up in zone '
                        f'"{area.id}" ({area.code}): it has no sea hex and no port'))
    return out
