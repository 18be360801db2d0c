"""Validate a whole game folder at once: units, rules tables and scenarios."""

from __future__ import annotations

from collections import Counter

from wargame.errors import DataError


def check_everything(session) -> list[tuple[str, int]]:
    """Load every part of the game folder, gathering all problems before raising.

    Returns (label, count) lines for the summary printed by ``wargame check``.
    """
    session.root  # no game folder: one message, not one per part (raises DataError)
    problems = []
    catalog = rules = None
    try:
        catalog = session.catalog
    except DataError as exc:
        problems += exc.problems
    try:
        rules = session.rules
    except DataError as exc:
        problems += exc.problems
    scenarios, maps = {}, None
    if rules is not None:
        try:
            maps = session.maps
        except DataError as exc:
            problems += exc.problems
    if rules is not None:
        try:
            session.series
        except DataError as exc:
            problems += exc.problems
        try:
            session.play
        except DataError as exc:
            problems += exc.problems
    if catalog is not None and rules is not None:
        from wargame.loading.rules import check_against_units

        problems += check_against_units(rules, catalog)
    if catalog is not None and rules is not None and maps is not None:
        try:
            scenarios = session.scenarios
        except DataError as exc:
            problems += exc.problems
    try:
        from wargame.loading.printdata import load_print

        load_print(session.root, catalog)
    except DataError as exc:
        problems += exc.problems
    if problems:
        # a part that failed fails again for every part loaded on top of it (the scenarios
        # read the rules of play): each problem is told once
        raise DataError(list(dict.fromkeys(problems)))
    summary = [("factions", len(catalog.factions)), ("unit types", len(catalog.types)),
               ("units", len(catalog.units)), ("sources", len(catalog.sources))]
    by_basis = Counter(unit.basis for unit in catalog.units.values())
    summary += [(f"units marked {basis}", n) for basis, n in sorted(by_basis.items())]
    summary += [("rules tables", len(rules.tables)), ("terrain types", len(rules.terrain)),
                ("named modifiers", len(rules.modifiers)), ("procedures", len(rules.procedures)),
                ("attrition models", len(rules.attrition)), ("maps", len(maps)),
                ("hexes on maps", sum(m.info.cols * m.info.rows for m in maps.values())),
                ("scenarios", len(scenarios))]
    return summary


def schema_document(kind: str) -> dict:
    """The JSON Schema for one kind of data file."""
    from wargame.loading.jsonschema import schema_for
    from wargame.model import UnitsFile

    if kind == "units":
        return schema_for(UnitsFile, "wargame units file")
    if kind == "scenario":
        from wargame.scenarios.model import Scenario

        return schema_for(Scenario, "wargame scenario file")
    if kind == "print":
        from wargame.counters import PrintFile

        return schema_for(PrintFile, "wargame print settings")
    if kind == "series":
        from wargame.play.series import SeriesRules

        return schema_for(SeriesRules, "wargame series rules")
    if kind == "map":
        from wargame.maps.model import MapFile

        return schema_for(MapFile, "wargame map file")
    if kind == "rules":
        from wargame.engine.spec import RulesFile

        return schema_for(RulesFile, "wargame rules file")
    if kind == "play":
        from wargame.play.rules import PlayRules

        return schema_for(PlayRules, "wargame rules of play")
    raise DataError(f"no schema for {kind!r} yet")
