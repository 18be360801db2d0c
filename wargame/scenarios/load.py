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


def check_scenarios(root: Path, catalog: Catalog, rules, maps: Mapping | None = None,
                    series=None, play=None, use_cache: bool = True) -> dict[str, Scenario]:
    """Every scenario of the game, read and checked against its units, tables, map, the
    series rules (every case a rule cites exists) and the rules of play (a set-up that keeps
    them); what checked against a map too is kept in the cache, for
    :func:`cached_scenarios`."""
    from wargame.loading import cache
    from wargame.loading.structure import read_model
    from wargame.loading.toml_source import shown_name

    files = scenario_files(root)
    raws: list[dict] = []
    problems: list[Problem] = []
    scenarios: dict[str, Scenario] = {}
    for path in files:
        shown = shown_name(path, root)
        scenario, read_problems = read_model(path, shown, Scenario, raws)
        problems += read_problems
        if scenario is None:
            continue
        if scenario.id in scenarios:
            problems.append(Problem(shown, "id", f'duplicate scenario id "{scenario.id}"'))
            continue
        found = check_scenario(scenario, catalog, rules)
        if series is not None:
            found += check_cases(scenario, series.numbers())
        if maps is not None:
            on_map = check_on_map(scenario, catalog, maps)
            found += on_map
            game_map = maps.get(scenario.map) if scenario.map else None
            if not on_map and not found and play is not None and game_map is not None:
                from wargame.play.setup import check_setup

                found += check_setup(scenario, catalog, rules, game_map, play)
        problems += [Problem(shown, where, message) for where, message in found]
        scenarios[scenario.id] = scenario
    if problems:
        raise DataError(problems)
    if use_cache and maps is not None and files:
        cache.store("scenarios", _key_files(root), raws)
    return scenarios


def _key_files(root: Path) -> list[Path]:
    """What a scenario is checked against: every data file of the game."""
    from wargame.loading.toml_source import toml_files

    return [p for p in toml_files(root / "units") + toml_files(root / "rules")
            + toml_files(root / "print") if p.is_file()]


def cached_scenarios(root: Path) -> Mapping[str, Scenario] | None:
    """The scenarios as they checked before against exactly these files (units, tables,
    maps, series rules, rules of play), or None. A hit needs none of those loaded: the
    same files checked together once, and the key covers every one of them. Each scenario
    is built when first looked up."""
    from wargame.loading import cache
    from wargame.loading.on_use import BuiltOnUse
    from wargame.loading.structure import build

    if not scenario_files(root):
        return None
    cached = cache.load("scenarios", _key_files(root))
    if cached is None:
        return None
    return BuiltOnUse({raw["id"]: raw for raw in cached}, lambda raw: build(raw, Scenario))


def check_scenario(scenario: Scenario, catalog: Catalog, rules):
    """(key path, message) for everything inconsistent with the game's data."""
    from wargame.loading.validate import did_you_mean

    table_ids = set(rules.tables)
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

    def side_ref(where: str, side: str, empty_ok: bool = False) -> None:
        if side not in side_ids and not (empty_ok and not side):
            out.append((where, f'unknown side "{side}"{did_you_mean(side, side_ids)} (sides: '
                        + ", ".join(side_ids) + ")"))

    side_ref("first_player", scenario.first_player)
    if len(scenario.sides) != 2:
        out.append(("sides", f"expected two sides (the sequence of play has a first and a "
                    f"second player), found {len(scenario.sides)}"))
    area_ids = [area.id for area in scenario.areas]
    boxes = {area.id for area in scenario.areas if area.offmap}
    for index, area in enumerate(scenario.areas):
        if area_ids.count(area.id) > 1:
            out.append((f"areas[{index}].id", f'duplicate area "{area.id}"'))
        if not area.offmap and (area.distance_from or area.distance or area.enter_at):
            out.append((f"areas[{index}]", f'"{area.id}" is a zone of the map: distance_from, '
                        "distance and enter_at are for holding boxes (offmap = true)"))
    option_ids = [option.id for option in scenario.options]
    for index, option in enumerate(scenario.options):
        if option_ids.count(option.id) > 1:
            out.append((f"options[{index}].id", f'duplicate option "{option.id}"'))
    first_seen: dict[str, int] = {}
    in_scenario = {entry.unit for entry in scenario.setup}
    groups: dict[str, int] = {}
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
        if entry.option and entry.option not in option_ids:
            out.append((f"{where}.option", f'unknown option "{entry.option}"'
                        f"{did_you_mean(entry.option, option_ids)}"))
        if (entry.called or entry.roll) and entry.turn == 0:
            out.append((f"{where}.turn", "a called unit or one that arrives on a roll is a "
                        "reinforcement: give the first turn it may arrive"))
        if entry.called and entry.roll:
            out.append((f"{where}.roll", "an entry arrives when called or on a roll, not both"))
        if entry.roll is not None:
            out += _check_dice(f"{where}.roll.dice", entry.roll.dice)
            out += _check_class(f"{where}.roll.drm_units", entry.roll.drm_units, catalog,
                                in_scenario)
            if entry.roll.drm_box and entry.roll.drm_box not in boxes:
                out.append((f"{where}.roll.drm_box", f'unknown holding box '
                            f'"{entry.roll.drm_box}"{did_you_mean(entry.roll.drm_box, boxes)}'))
        if entry.group:
            groups.setdefault(entry.group, index)
            leader = scenario.setup[groups[entry.group]]
            if leader.turn != entry.turn:
                out.append((f"{where}.turn", f'group "{entry.group}" arrives on turn '
                            f"{leader.turn} (setup[{groups[entry.group]}]); every entry of a "
                            "group arrives on the same turn"))
    for index, option in enumerate(scenario.options):
        if not any(e.option == option.id for e in scenario.setup):
            out.append((f"options[{index}]", f'option "{option.id}" brings no unit: name it '
                        "in the option key of set-up entries"))
    for index, control in enumerate(scenario.control):
        side_ref(f"control[{index}].side", control.side)
        out += _check_hexset(f"control[{index}].hexes", control.hexes, area_ids, boxes)
    for index, side in enumerate(scenario.sides):
        if side.supply is not None:
            out += _check_hexset(f"sides[{index}].supply", side.supply, area_ids, boxes)
    for index, kind in enumerate(scenario.turn_kinds):
        if not 1 <= kind.first <= kind.last <= scenario.turns:
            out.append((f"turn_kinds[{index}]", f"expected turns from 1 to {scenario.turns}, "
                        f"first before last, found {kind.first} to {kind.last}"))
    if scenario.start <= scenario.end and not any(
            not 1 <= k.first <= k.last <= scenario.turns for k in scenario.turn_kinds):
        last = scenario.turn_days()[-1][1].isoformat()
        if last != scenario.end:
            standard = sum(1 for t in range(1, scenario.turns + 1)
                           if not any(k.first <= t <= k.last for k in scenario.turn_kinds))
            out.append(("end", f"expected {last}, the last day of turn {scenario.turns} "
                        f"counted from {scenario.start} ({standard} standard turns of two "
                        "days and the days turn_kinds gives the others), found "
                        f"{scenario.end}: change end, turns or turn_kinds so the turns "
                        "cover the dates the booklet prints"))
    for index, rule in enumerate(scenario.special_rules):
        where = f"special_rules[{index}]"
        for position, mod in enumerate(rule.modifiers):
            at = f"{where}.modifiers[{position}]"
            if mod.modifier not in rules.modifiers:
                out.append((f"{at}.modifier", f'unknown modifier "{mod.modifier}"'
                            f"{did_you_mean(mod.modifier, rules.modifiers)}"))
            side_ref(f"{at}.attacker", mod.attacker)
            for name in ("attackers_include", "defenders_all"):
                group = getattr(mod, name)
                if group is not None:
                    out += _check_class(f"{at}.{name}", group, catalog, in_scenario)
            if mod.where is not None:
                out += _check_hexset(f"{at}.where", mod.where, area_ids, boxes)
            for place, unit_id in enumerate(mod.while_in_play):
                if unit_id not in in_scenario:
                    out.append((f"{at}.while_in_play[{place}]", f'"{unit_id}" is not in this '
                                "scenario"))
            if mod.per_turn and not mod.chosen:
                out.append((f"{at}.per_turn", "per_turn goes with chosen = true (the player "
                            "names the attacks that use it)"))
        for position, air in enumerate(rule.air):
            side_ref(f"{where}.air[{position}].side", air.side)
            out += _check_hexset(f"{where}.air[{position}].where", air.where, area_ids, boxes)
        for position, limit in enumerate(rule.restrictions):
            for place, unit_id in enumerate(limit.units):
                if unit_id not in in_scenario:
                    out.append((f"{where}.restrictions[{position}].units[{place}]",
                                f'"{unit_id}" is not in this scenario'))
    out += _check_victory(scenario, catalog, in_scenario, side_ref)
    for index, table in enumerate(scenario.tables):
        if table not in table_ids:
            out.append((f"tables[{index}]", f'unknown table "{table}"'
                        f"{did_you_mean(table, table_ids)}"))
    for index, key in enumerate(scenario.sources):
        if key not in catalog.sources:
            out.append((f"sources[{index}]", f'unknown source key "{key}"'))
    return out


def _check_victory(scenario: Scenario, catalog: Catalog, in_scenario, side_ref):
    from wargame.loading.validate import did_you_mean

    out = []
    victory = scenario.victory
    objective_ids = [o.id for o in victory.objectives]
    area_ids = [a.id for a in scenario.areas]
    called = {e.unit for e in scenario.setup if e.called}
    for index, objective in enumerate(victory.objectives):
        where = f"victory.objectives[{index}]"
        if objective_ids.count(objective.id) > 1:
            out.append((f"{where}.id", f'duplicate objective "{objective.id}"'))
        if bool(objective.place) == bool(objective.hex):
            out.append((where, "expected a place or a hex (one of them)"))
    for index, target in enumerate(victory.installations):
        side_ref(f"victory.installations[{index}].side", target.side)
    for index, points in enumerate(victory.points):
        side_ref(f"victory.points[{index}].side", points.side)
        out += _check_class(f"victory.points[{index}].of", points.of, catalog, in_scenario)
    side_ref("victory.otherwise.side", victory.otherwise.side, empty_ok=True)
    if (victory.otherwise.level == "draw") != (not victory.otherwise.side):
        out.append(("victory.otherwise", "expected a side with a level, or a draw with no "
                    "side"))

    def objectives(where: str, names) -> None:
        for position, name in enumerate(names):
            if name not in objective_ids:
                out.append((f"{where}[{position}]", f'unknown objective "{name}"'
                            f"{did_you_mean(name, objective_ids)}; define it in "
                            "victory.objectives"))

    for index, level in enumerate(victory.levels):
        where = f"victory.levels[{index}]"
        side_ref(f"{where}.side", level.side)
        for position, test in enumerate(level.tests):
            at = f"{where}.tests[{position}]"
            objectives(f"{at}.holds", test.holds)
            objectives(f"{at}.holds_any", test.holds_any)
            if test.holds_any and test.count > len(test.holds_any):
                out.append((f"{at}.count", f"expected at most {len(test.holds_any)} (the "
                            f"objectives listed), found {test.count}"))
            if test.at_turn is not None and test.at_turn > scenario.turns:
                out.append((f"{at}.at_turn", f"expected a turn from 1 to {scenario.turns}, "
                            f"found {test.at_turn}"))
            if test.throughout and not test.holds:
                out.append((f"{at}.throughout", "throughout goes with holds"))
            if (test.share is not None or test.steps is not None) and test.eliminated is None                     and test.force is None:
                out.append((at, "share and steps go with eliminated (or share with force)"))
            if test.eliminated is not None:
                out += _check_class(f"{at}.eliminated", test.eliminated, catalog, in_scenario)
                if test.share is None and test.steps is None:
                    out.append((f"{at}.eliminated", "say how much: share or steps"))
            if test.force is not None:
                out += _check_class(f"{at}.force", test.force, catalog, in_scenario)
                if not test.zones:
                    out.append((f"{at}.zones", "a force test needs the zones it must be in"))
            for place, zone in enumerate(test.zones):
                if zone not in area_ids:
                    out.append((f"{at}.zones[{place}]", f'unknown area "{zone}"'
                                f"{did_you_mean(zone, area_ids)}"))
            for place, unit_id in enumerate(test.not_called):
                if unit_id not in called:
                    out.append((f"{at}.not_called[{place}]", f'"{unit_id}" is not a called '
                                "unit of this scenario (set called = true on its set-up)"))
            for place, alternative in enumerate(test.any):
                objectives(f"{at}.any[{place}].holds", alternative.holds)
                if alternative.eliminated is not None:
                    out += _check_class(f"{at}.any[{place}].eliminated",
                                        alternative.eliminated, catalog, in_scenario)
            if test == type(test)():
                out.append((at, "an empty test holds always: say what must hold"))
    ends = [level for level in victory.levels if level.when == "end"]
    if not ends and victory.otherwise.level == "draw" and not victory.levels:
        out.append(("victory.levels", "no level can decide the game"))
    return out


def _check_class(where: str, group, catalog: Catalog, in_scenario) -> list[tuple[str, str]]:
    from wargame.loading.validate import did_you_mean

    out = []
    for index, unit_id in enumerate(group.units):
        if unit_id not in in_scenario:
            out.append((f"{where}.units[{index}]", f'"{unit_id}" is not in this scenario'
                        f"{did_you_mean(unit_id, in_scenario)}"))
    for index, type_id in enumerate(group.types):
        if type_id not in catalog.types:
            out.append((f"{where}.types[{index}]", f'unknown unit type "{type_id}"'
                        f"{did_you_mean(type_id, catalog.types)}"))
    for index, faction in enumerate(group.factions):
        if faction not in catalog.factions:
            out.append((f"{where}.factions[{index}]", f'unknown faction "{faction}"'
                        f"{did_you_mean(faction, catalog.factions)}"))
    for index, domain in enumerate(group.domains):
        if domain not in ("ground", "air", "naval", "guerrilla"):
            out.append((f"{where}.domains[{index}]", f'expected ground, air, naval or '
                        f'guerrilla, found "{domain}"'))
    return out


def _check_hexset(where: str, hexes, area_ids, boxes) -> list[tuple[str, str]]:
    from wargame.loading.validate import did_you_mean

    out = []
    for index, zone in enumerate(hexes.zones):
        if zone not in area_ids or zone in boxes:
            out.append((f"{where}.zones[{index}]", f'unknown zone "{zone}"'
                        f"{did_you_mean(zone, [a for a in area_ids if a not in boxes])}"))
    for index, box in enumerate(hexes.boxes):
        if box not in boxes:
            out.append((f"{where}.boxes[{index}]", f'unknown holding box "{box}"'
                        f"{did_you_mean(box, boxes)}"))
    return out


def _check_dice(where: str, notation: str) -> list[tuple[str, str]]:
    from wargame.engine.dice import parse_dice
    from wargame.errors import UsageError

    try:
        parse_dice(notation)
    except UsageError as exc:
        return [(where, exc.problems[0].message)]
    return []


def check_cases(scenario: Scenario, numbers) -> list[tuple[str, str]]:
    """Every case a special rule cites is a case of the series rules."""
    out = []
    for index, rule in enumerate(scenario.special_rules):
        for position, case in enumerate(rule.cases):
            if case not in numbers:
                out.append((f"special_rules[{index}].cases[{position}]", f"case {case} is not "
                            "in the series rules (print/series-rules.toml)"))
    return out


def check_on_map(scenario: Scenario, catalog: Catalog, maps: Mapping):
    """(key path, message) for a set-up that does not fit the scenario's map: areas that are
    neither a zone of it nor a box off it, codes that differ from the zone's, ground units in
    a zone without land, ships in a zone without sea, a scale other than the map's."""
    from wargame.loading.validate import did_you_mean
    from wargame.maps.hexgrid import parse_hex

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
    for index, area in enumerate(scenario.areas):
        if area.id in game_map.zones and not game_map.zone_hexes(area.id):
            out.append((f"areas[{index}]", f'zone "{area.id}" ({area.code}) of map '
                        f'"{info.id}" has no hexes: list them in the map\'s zones'))
        if area.distance_from and parse_hex(area.distance_from) not in game_map:
            out.append((f"areas[{index}].distance_from", f"hex {area.distance_from} is not on "
                        f'map "{info.id}"'))
        if area.enter_at is not None:
            out += _hexset_on_map(f"areas[{index}].enter_at", area.enter_at, game_map)
    for where, hexset in _hexsets(scenario):
        out += _hexset_on_map(where, hexset, game_map)
    for index, target in enumerate(scenario.victory.installations):
        if target.place not in game_map.place_hexes:
            out.append((f"victory.installations[{index}].place", f'map "{info.id}" has no '
                        f'place "{target.place}"{did_you_mean(target.place, game_map.place_hexes)}'))
    for index, objective in enumerate(scenario.victory.objectives):
        where = f"victory.objectives[{index}]"
        if objective.place and objective.place not in game_map.place_hexes:
            out.append((f"{where}.place", f'map "{info.id}" has no place "{objective.place}"'
                        f"{did_you_mean(objective.place, game_map.place_hexes)}"))
        if objective.hex and parse_hex(objective.hex) not in game_map:
            out.append((f"{where}.hex", f'hex {objective.hex} is not on map "{info.id}"'))
    for index, entry in enumerate(scenario.setup):
        area = areas.get(entry.area)
        unit = catalog.units.get(entry.unit)
        if area is None or unit is None or area.offmap or area.id not in game_map.zones:
            continue
        domain = catalog.types[unit.type].domain
        hexes = game_map.zone_hexes(area.id)
        if entry.hex:
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


def _hexsets(scenario: Scenario):
    """(key path, HexSet) of every set of hexes the scenario names."""
    for index, control in enumerate(scenario.control):
        yield f"control[{index}].hexes", control.hexes
    for index, side in enumerate(scenario.sides):
        if side.supply is not None:
            yield f"sides[{index}].supply", side.supply
    for index, rule in enumerate(scenario.special_rules):
        for position, mod in enumerate(rule.modifiers):
            if mod.where is not None:
                yield f"special_rules[{index}].modifiers[{position}].where", mod.where
        for position, air in enumerate(rule.air):
            yield f"special_rules[{index}].air[{position}].where", air.where


def _hexset_on_map(where: str, hexset, game_map) -> list[tuple[str, str]]:
    from wargame.loading.validate import did_you_mean
    from wargame.maps.hexgrid import parse_hex

    out = []
    for index, name in enumerate(hexset.places):
        if name not in game_map.place_hexes:
            out.append((f"{where}.places[{index}]", f'map "{game_map.info.id}" has no place '
                        f'"{name}"{did_you_mean(name, game_map.place_hexes)}'))
    for index, text in enumerate(hexset.hexes):
        if parse_hex(text) not in game_map:
            out.append((f"{where}.hexes[{index}]", f'hex {text} is not on map '
                        f'"{game_map.info.id}"'))
    return out
