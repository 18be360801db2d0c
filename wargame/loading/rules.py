"""Load ``rules/*.toml``: results tables, legends, terrain, modifiers, procedures, attrition."""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from pathlib import Path

import attrs

from wargame.engine.combat import Modifier
from wargame.engine.dice import parse_dice
from wargame.engine.spec import (
    AttritionSpec, LegendSpec, ModifierSpec, ProcedureSpec, RulesFile, TableSpec, TerrainSpec,
)
from wargame.engine.tables import Table, code_problem, compile_table
from wargame.errors import DataError, Problem, UsageError, describe
from wargame.loading import cache
from wargame.loading.structure import Item, index_by_id, structure_items
from wargame.loading.toml_source import read_documents
from wargame.loading.validate import Found, check_file_shape, did_you_mean

_KINDS: tuple[tuple[str, type], ...] = (
    ("tables", TableSpec), ("legends", LegendSpec), ("terrain", TerrainSpec),
    ("modifiers", ModifierSpec), ("procedures", ProcedureSpec), ("attrition", AttritionSpec),
)
#: Subfolders of rules/ with files of their own kind (not rules tables).
OWN_FOLDERS = ("scenarios", "maps")
#: Files of rules/ of their own kind: the rules of play (``wargame.play.rules``).
OWN_FILES = ("play.toml",)


@attrs.frozen
class Rules:
    """Every rules table and chart of a game, compiled and cross-checked."""

    tables: Mapping[str, Table]
    terrain: Mapping[str, TerrainSpec]
    modifiers: Mapping[str, ModifierSpec]
    procedures: Mapping[str, ProcedureSpec]
    attrition: Mapping[str, AttritionSpec]
    legends: Mapping[str, LegendSpec]
    #: "kind:id" -> (file, key path) of every item, for problems found against the units
    origins: Mapping[str, tuple[str, str]] = attrs.Factory(dict)

    def table(self, name: str) -> Table:
        """A table by id (or unique prefix), with a clear error otherwise."""
        from wargame.query import find_one

        return find_one(name, self.tables, lambda t: (t.id, t.name), "table")


def rules_files(root: Path) -> list[Path]:
    from wargame.loading.toml_source import toml_files

    folder = root / "rules"
    return [p for p in toml_files(folder, skip=OWN_FOLDERS)
            if not (p.parent == folder and p.name in OWN_FILES)]


def load_rules(root: Path, use_cache: bool = True) -> Rules:
    """Load and compile the rules of ``root``; raise DataError with every problem."""
    files = rules_files(root)
    cached = cache.load("rules", files) if use_cache and files else None
    if cached is not None:
        return rules_from_documents([tuple(d) for d in cached], trusted=True)
    documents, problems = read_documents(files, root)
    rules = rules_from_documents(documents, problems)
    if files:
        cache.store("rules", files, documents)
    return rules


def rules_from_documents(documents, problems=None, trusted: bool = False) -> Rules:
    """Build Rules from parsed documents; every problem is collected before raising."""
    problems = list(problems or [])
    located: dict[str, list[tuple[str, Item]]] = {kind: [] for kind, _ in _KINDS}
    for shown, raw in documents:
        found: Found = []
        if trusted or check_file_shape(raw, RulesFile, found):
            for kind, cls in _KINDS:
                for item in structure_items(raw, kind, cls, found, trusted):
                    located[kind].append((shown, item))
        problems += [Problem(shown, where, message) for where, message in found]
    origins: dict[str, tuple[str, str]] = {}
    specs = {kind: index_by_id(kind, located[kind], "id", origins, problems)
             for kind, _ in _KINDS}

    def report(kind: str, key: str, where: str, message: str) -> None:
        shown, path = origins[f"{kind}:{key}"]
        problems.append(Problem(shown, f"{path}.{where}" if where else path, message))

    shared = {legend.id: legend.results for legend in specs["legends"].values()}
    for legend in specs["legends"].values():
        for code, result in legend.results.items():
            problem = code_problem(code, result)
            if problem:
                report("legends", legend.id, f"results.{code}", problem)
    tables: dict[str, Table] = {}
    for spec in specs["tables"].values():
        found = []
        table = compile_table(spec, shared, found)
        for where, message in found:
            report("tables", spec.id, where, message)
        if table is not None:
            tables[spec.id] = table
    for kind in ("terrain", "modifiers"):
        for item in specs[kind].values():
            for index, table_id in enumerate(item.tables):
                if table_id not in specs["tables"]:
                    report(kind, item.id, f"tables[{index}]", f'unknown table "{table_id}"'
                           f"{did_you_mean(table_id, specs['tables'])}")
            for name in ("attack_multiplier", "defence_multiplier"):
                value = getattr(item, name)
                if not 0 < value <= 10:
                    report(kind, item.id, name, f"expected a multiplier above 0 and at most "
                           f"10, found {describe(value)}")
    for item in specs["modifiers"].values():
        for index, target in enumerate(item.cancels):
            if target not in specs["modifiers"] and target not in specs["terrain"]:
                report("modifiers", item.id, f"cancels[{index}]", f'unknown modifier or '
                       f'terrain "{target}"{did_you_mean(target, [*specs["modifiers"], *specs["terrain"]])}')
    for procedure in specs["procedures"].values():
        _check_procedure(procedure, specs["tables"], tables,
                         lambda where, msg, p=procedure: report("procedures", p.id, where, msg))
    for model in specs["attrition"].values():
        _check_attrition(model, lambda where, msg, m=model: report("attrition", m.id, where, msg))
    if problems:
        raise DataError(sorted(set(problems), key=lambda p: (p.file, p.line or 0, p.where)))
    return Rules(tables, specs["terrain"], specs["modifiers"], specs["procedures"],
                 specs["attrition"], specs["legends"], origins)


def check_against_units(rules: Rules, catalog) -> list[Problem]:
    """Rules that name kinds of units the game has not: results by unit type, modifiers
    for some factions, types or domains only."""
    import typing

    from wargame.model import Domain

    domains = set(typing.get_args(Domain))
    sides = set(catalog.factions) | {f.side for f in catalog.factions.values() if f.side}
    problems = []

    def report(kind: str, key: str, where: str, message: str) -> None:
        shown, path = rules.origins[f"{kind}:{key}"]
        problems.append(Problem(shown, f"{path}.{where}", message))

    for kind, items in (("tables", {t.id: t.spec.results for t in rules.tables.values()}),
                        ("legends", {g.id: g.results for g in rules.legends.values()})):
        for item_id, results in items.items():
            for code, result in results.items():
                for side in ("attacker_by_type", "defender_by_type"):
                    for name in getattr(result, side):
                        if name not in catalog.types and name not in domains:
                            report(kind, item_id, f"results.{code}.{side}.{name}",
                                   f'no unit type or domain "{name}" (types: '
                                   f"{', '.join(catalog.types)}; domains: "
                                   f"{', '.join(sorted(domains))})")
    for modifier in rules.modifiers.values():
        for role in ("attacker", "defender"):
            wanted = getattr(modifier, role)
            if wanted is None:
                continue
            for field, known, what in (("factions", sides, "faction or side"),
                                       ("types", set(catalog.types), "unit type"),
                                       ("domains", domains, "domain")):
                for index, name in enumerate(getattr(wanted, field)):
                    if name not in known:
                        report("modifiers", modifier.id, f"{role}.{field}[{index}]",
                               f'no {what} "{name}"{did_you_mean(name, known)}')
    return problems


def _check_procedure(procedure: ProcedureSpec, table_specs, tables, report) -> None:
    seen: list[str] = []
    for index, stage in enumerate(procedure.stages):
        where = f"stages[{index}]"
        if stage.id in seen:
            report(f"{where}.id", f'duplicate stage id "{stage.id}"')
        if stage.table not in table_specs:
            report(f"{where}.table", f'unknown table "{stage.table}"'
                   f"{did_you_mean(stage.table, table_specs)}")
            seen.append(stage.id)
            continue
        table = tables.get(stage.table)
        if table is not None:
            for code in list(stage.feeds) + list(stage.stop_on):
                if code not in table.legend:
                    report(f"{where}", f'result "{code}" is not in the legend of table '
                           f'"{stage.table}"')
        earlier = procedure.stages[:index]
        earlier_codes = {code for s in earlier if s.table in tables
                         for code in tables[s.table].legend}
        compiled = all(s.table in tables for s in earlier)  # else its own error says why
        for position, code in enumerate(stage.when):
            if compiled and code not in earlier_codes:
                report(f"{where}.when[{position}]", f'no earlier stage can give "{code}"'
                       + (" (the first stage is always rolled)" if index == 0 else ""))
            if stage.column is not None and table.spec.kind == "choice":
                try:
                    table.column_index(stage.column)
                except UsageError as exc:
                    report(f"{where}.column", exc.problems[0].message)
        later = [s.id for s in procedure.stages[index + 1:]]
        for code, feed in stage.feeds.items():
            for target in feed.to:
                if target not in later:
                    report(f"{where}.feeds.{code}.to", f'"{target}" is not a later stage of '
                           f"this procedure (later: {', '.join(later) or 'none'})")
        seen.append(stage.id)


def _check_attrition(model: AttritionSpec, report) -> None:
    try:
        dice = parse_dice(model.dice)
    except UsageError as exc:
        report("dice", exc.problems[0].message)
        return
    totals = len(dice.counts())
    if len(model.variance) != totals:
        report("variance", f"expected {totals} multipliers (one per total of {model.dice}), "
               f"found {len(model.variance)}")
    if any(v < 0 for v in model.variance):
        report("variance", "expected multipliers of 0 or more")
    for name in ("attacker_rate", "defender_rate", "tank_weight", "gun_weight", "scale"):
        if getattr(model, name) < 0 or (name == "scale" and model.scale <= 0):
            report(name, f"expected a positive number, found {getattr(model, name)}")


def modifier_from(spec: ModifierSpec | TerrainSpec, reason: str | None = None) -> Modifier:
    """The engine's Modifier for a named modifier or a terrain type."""
    text = reason or getattr(spec, "text", None) or spec.name
    return Modifier(text, shift=spec.shift, drm=spec.drm,
                    attack_multiplier=Fraction(str(spec.attack_multiplier)),
                    defence_multiplier=Fraction(str(spec.defence_multiplier)),
                    attack_add=Fraction(str(getattr(spec, "attack_add", 0))),
                    defence_add=Fraction(str(getattr(spec, "defence_add", 0))),
                    per_unit=getattr(spec, "per_unit", False), id=spec.id,
                    attacker=getattr(spec, "attacker", None),
                    defender=getattr(spec, "defender", None),
                    cancels=tuple(getattr(spec, "cancels", ())))
