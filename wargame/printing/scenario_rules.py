"""The parts of a scenario booklet the rules engine reads too, printed from the same data:
who moves first, turns that differ, options, control at the start, supply sources, the exact
set-up hex of every unit, where each reinforcement enters, and the victory conditions in the
order they are checked. Print and engine cannot disagree: both read these fields."""

from __future__ import annotations

from wargame.printing.flow import data_table, fit_widths, para
from wargame.scenarios.model import Scenario
from wargame.scenarios.wording import (
    describe_hexset, describe_level, describe_otherwise, join, objective_name, short_side,
)


def theatre_for(scenario: Scenario, catalog, rules, play, game_map, options=()):
    """The scenario's theatre, when the rules of play and the map are at hand."""
    if play is None or game_map is None:
        return None
    from wargame.play.theatre import Theatre

    return Theatre(scenario, catalog, rules, play, game_map, options)


def playing(scenario: Scenario, s, catalog) -> list:
    """How this scenario is played: first player, turns, options, control, supply."""
    out = [para(f"First player: {scenario.side(scenario.first_player).name} "
                f"({short_side(scenario, scenario.first_player)}). In every turn the first "
                "player moves and fights first, then the second (3.1).", s["body"])]
    for kind in scenario.turn_kinds:
        turns = f"Turn {kind.first}" if kind.first == kind.last else \
            f"Turns {kind.first} to {kind.last}"
        parts = []
        if kind.days == 1:
            parts.append("one-day turns: every unit has half its movement allowance, rounded "
                         "up (3.3)")
        elif kind.days != 2:
            parts.append(f"{kind.days}-day turns")
        if kind.night:
            parts.append("night turns: the night modifier applies to every table it names")
        if parts:
            out.append(para(f"{turns} are " + " and ".join(parts) + ".", s["body"]))
    for control in scenario.control:
        out.append(para(f"At the start the {short_side(scenario, control.side)} controls "
                        f"{describe_hexset(scenario, control.hexes)}.", s["body"]))
    for side in scenario.sides:
        if side.supply is not None:
            out.append(para(f"{short_side(scenario, side.id)} supply sources (13.1): "
                            f"{describe_hexset(scenario, side.supply)}.", s["body"]))
    for option in scenario.options:
        units = [e.unit for e in scenario.setup if e.option == option.id]
        names = join([catalog.short_name(catalog.units[u]) for u in units])
        out.append(para(f"Option \u201c{option.name}\u201d ({option.id}): {option.text} "
                        f"Units: {names}. Off unless the players choose it when the game "
                        f"starts (option {option.id}).", s["body"]))
    return out


def setup_tables(scenario: Scenario, catalog, s, width, theatre, heading) -> list:
    """Per side: every unit that starts on the map with its exact hex, and those in
    holding boxes (the placement `wargame game new` uses)."""
    from wargame.play.setup import initial_position

    position = initial_position(theatre)
    out = [para("Set every unit up on the hex given for it. Each hex keeps the stacking limit "
                "(4.1), and no two sides share one (4.2); the zone code is the one printed "
                "in the upper-left corner of the counter.", s["body"])]
    areas = {a.id: a for a in scenario.areas}
    for side in scenario.sides:
        rows = []
        for entry in scenario.setup:
            if entry.turn or entry.unit not in theatre.entries:
                continue
            unit = catalog.units[entry.unit]
            if unit.faction not in side.factions:
                continue
            piece = position[entry.unit]
            where = theatre.describe(piece.at) if piece.on_map else areas[piece.box].name
            rows.append([areas[entry.area].code, _unit(catalog, entry), where])
        out.append(heading(f"{side.name} sets up", 1))
        if rows:
            out.append(data_table(["Zone", "Unit", "Hex"], rows,
                                  fit_widths([0.8, 5.6, 3.0], width), s))
        else:
            out.append(para("No units at the start.", s["body"]))
    return out


def _unit(catalog, entry) -> str:
    unit = catalog.units[entry.unit]
    factors = catalog.format_factors(unit, reduced=entry.reduced)
    story = " S" if unit.basis == "story" else ""
    return (f"{catalog.short_name(unit)}{story}: {unit.name} ({factors}"
            f"{', reduced' if entry.reduced else ''})")


def entry_text(scenario: Scenario, entry, game_map) -> str:
    """Where a reinforcement enters, with the hexes."""
    area = scenario.area(entry.area)
    if area.offmap:
        return f"{area.name} (holding box, {area.code})"
    if entry.hex:
        return f"hex {entry.hex} ({area.code})"
    hexes = game_map.zones[area.id].hexes if game_map is not None and \
        area.id in game_map.zones else ()
    return f"zone {area.code}: " + ", ".join(hexes)


def condition_text(scenario: Scenario, entry, catalog) -> str:
    parts = []
    if entry.option:
        option = next(o for o in scenario.options if o.id == entry.option)
        parts.append(f"with the option \u201c{option.name}\u201d")
    if entry.called:
        parts.append(f"when called (order: call {catalog.short_name(catalog.units[entry.unit])}), "
                     f"from turn {entry.turn}")
    if entry.roll is not None:
        roll = entry.roll
        text = f"from turn {entry.turn}, on {roll.dice} of {roll.at_least} or more"
        if roll.drm_per_unit and roll.drm_box:
            text += (f", {roll.drm_per_unit:+d} for each unit of the group in "
                     f"{scenario.area(roll.drm_box).name}")
        parts.append(text + ", rolled in each reinforcement phase until it arrives")
    if entry.group:
        parts.append(f"with group {entry.group}")
    if entry.notes:
        parts.append(entry.notes)
    return "; ".join(parts)


def reinforcement_tables(scenario: Scenario, catalog, s, width, game_map, heading) -> list:
    from wargame.scenarios.model import by_turn

    out = [para("Reinforcements arrive in the reinforcement phase of their turn (14.1), in a "
                "hex of their zone with room (the owner names it with an order: enter UNIT "
                "at HEX), or in their holding box. If the enemy holds every hex of the zone, "
                "they arrive in the nearest hex their side controls.", s["body"])]
    for side in scenario.sides:
        rows = []
        for turn, entries in by_turn(scenario).items():
            for entry in entries:
                unit = catalog.units[entry.unit]
                if turn == 0 or unit.faction not in side.factions:
                    continue
                rows.append([str(turn), _unit(catalog, entry), entry_text(scenario, entry,
                                                                          game_map),
                             condition_text(scenario, entry, catalog)])
        if not rows:
            continue
        out.append(heading(f"{side.name} reinforcements", 1))
        out.append(data_table(["Turn", "Unit", "Enters at", "Condition"], rows,
                              fit_widths([0.6, 4.0, 3.0, 2.8], width), s, numeric={0}))
    return out


def victory_section(scenario: Scenario, catalog, s, game_map) -> list:
    victory = scenario.victory
    names = {u: catalog.units[u].name for u in catalog.units}
    out = []
    if victory.objectives:
        items = []
        for objective in victory.objectives:
            name = objective_name(scenario, objective.id)
            hex_ = objective.hex or _hex_of(game_map, objective.place)
            items.append(f"{name} ({hex_})" + (f", {objective.points} points"
                                               if objective.points else ""))
        out.append(para("Objectives: " + join(items) + ". A side controls a hex when its "
                        "ground unit was the last to enter it or pass through it.", s["body"]))
    for points in victory.points:
        from wargame.scenarios.wording import group_name

        out.append(para(f"The {short_side(scenario, points.side)} scores {points.per_step} "
                        f"victory point{'s' if points.per_step > 1 else ''} for each step of "
                        f"{group_name(points.of)} eliminated.", s["body"]))
    out.append(para("The levels are checked in this order, and the first that holds decides "
                    "the game (a level checked at the end of any turn ends the game at once "
                    "when it holds):", s["body"]))
    for number, level in enumerate(victory.levels, start=1):
        text = f"{number}. {describe_level(scenario, level, names)}."
        if level.note:
            text += f" {level.note}"
        out.append(para(text, s["body"]))
    out.append(para(describe_otherwise(scenario), s["body"]))
    return out


def _hex_of(game_map, place: str) -> str:
    from wargame.maps.hexgrid import hex_id

    return hex_id(game_map.place_hexes[place]) if game_map is not None else ""
