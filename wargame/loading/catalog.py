"""Load every TOML file under ``units/`` into a Catalog, checking references across files."""

from __future__ import annotations

from pathlib import Path


from wargame.errors import DataError, Problem
from wargame.loading import cache
from wargame.loading.structure import Item, index_by_id, structure_items
from wargame.loading.toml_source import read_documents, shown_name, toml_files
from wargame.loading.validate import Found, check_file_shape, did_you_mean
from wargame.model import (
    Catalog, FactorScheme, Faction, Source, Unit, UnitsFile, UnitType,
)

#: APP-6D symbol sets the printer knows how to frame.
KNOWN_SYMBOL_SETS = {1: "air", 2: "air missile", 5: "space", 10: "land unit",
                     11: "land civilian", 15: "land equipment", 20: "land installation",
                     30: "sea surface", 35: "sea subsurface", 36: "mine warfare"}

_KINDS: tuple[tuple[str, type, str], ...] = (
    ("factions", Faction, "id"),
    ("schemes", FactorScheme, "id"),
    ("types", UnitType, "id"),
    ("units", Unit, "id"),
    ("sources", Source, "key"),
)


def load_catalog(root: Path, use_cache: bool = True) -> Catalog:
    """Load ``root/units``; raise DataError listing every problem if anything is wrong.

    With ``use_cache`` a folder that validated before, unchanged since, is not re-parsed.
    """
    files = toml_files(root / "units")
    if not files:
        raise DataError(Problem(shown_name(root / "units", root), "",
                                "expected at least one .toml file, found none"))
    cached = cache.load("units", files) if use_cache else None
    if cached is not None:
        return catalog_from_documents([tuple(d) for d in cached], trusted=True)
    documents, problems = read_documents(files, root)
    catalog = catalog_from_documents(documents, problems)
    cache.store("units", files, documents)  # reached only when everything was valid
    return catalog


def catalog_from_documents(documents: list[tuple[str, dict]],
                           problems: list[Problem] | None = None,
                           trusted: bool = False) -> Catalog:
    """Build a Catalog from parsed TOML documents (name shown in messages, content).

    ``trusted`` skips the per-field checks for documents that passed them before (cache).
    """
    problems = list(problems or [])
    located: dict[str, list[tuple[str, Item]]] = {kind: [] for kind, _, _ in _KINDS}
    broken: dict[str, set[str]] = {kind: set() for kind, _, _ in _KINDS}
    for shown, raw in documents:
        found: Found = []
        if trusted or check_file_shape(raw, UnitsFile, found):
            default_faction = raw.get("faction")
            if default_faction is not None:
                for table in raw.get("units", []):
                    table.setdefault("faction", default_faction)
            for kind, cls, id_field in _KINDS:
                for item in structure_items(raw, kind, cls, found, trusted, broken[kind],
                                            id_field):
                    located[kind].append((shown, item))
        problems += [Problem(shown, where, message) for where, message in found]
    catalog, origins = _index(located, problems)
    _cross_check(catalog, origins, problems, broken)
    if problems:
        raise DataError(sorted(set(problems), key=_problem_order))
    return catalog


def _problem_order(problem: Problem):
    return (problem.file, problem.line or 0, problem.where, problem.message)


def _index(located, problems) -> tuple[Catalog, dict[str, tuple[str, str]]]:
    origins: dict[str, tuple[str, str]] = {}
    tables = {kind: index_by_id(kind, located[kind], id_field, origins, problems)
              for kind, _, id_field in _KINDS}
    return Catalog(**tables), origins


def _cross_check(catalog: Catalog, origins, problems: list[Problem],
                 broken: dict[str, set[str]]) -> None:
    """References between files; a reference to an entry that was itself invalid (already
    reported) is not reported again."""
    def report(kind: str, key: str, where: str, message: str) -> None:
        shown, path = origins[f"{kind}:{key}"]
        problems.append(Problem(shown, f"{path}.{where}" if where else path, message))

    for scheme in catalog.schemes.values():
        if len(set(scheme.factors)) != len(scheme.factors):
            report("schemes", scheme.id, "factors", "expected distinct factor names, found "
                   "a name twice")
        if scheme.labels and len(scheme.labels) != len(scheme.factors):
            report("schemes", scheme.id, "labels", f"expected {len(scheme.factors)} labels "
                   f"(one per factor), found {len(scheme.labels)}")
    for utype in catalog.types.values():
        if utype.scheme not in catalog.schemes and utype.scheme not in broken["schemes"]:
            report("types", utype.id, "scheme", f'unknown factor scheme "{utype.scheme}"'
                   f"{did_you_mean(utype.scheme, catalog.schemes)}")
        if utype.symbol.set not in KNOWN_SYMBOL_SETS:
            report("types", utype.id, "symbol.set", "expected an APP-6D symbol set ("
                   + ", ".join(f"{k} {v}" for k, v in KNOWN_SYMBOL_SETS.items())
                   + f"), found {utype.symbol.set}")
    short_names: dict[tuple[str, str], str] = {}
    for unit in catalog.units.values():
        if unit.type in catalog.types:
            key = (unit.faction, catalog.short_name(unit))
            if key in short_names:
                report("units", unit.id, "short", f'the counter name "{key[1]}" is already '
                       f'that of "{short_names[key]}" in faction "{unit.faction}"; set short = '
                       "to tell them apart")
            short_names.setdefault(key, unit.id)
    for unit in catalog.units.values():
        if unit.faction not in catalog.factions and unit.faction not in broken["factions"]:
            report("units", unit.id, "faction", f'unknown faction "{unit.faction}"'
                   f"{did_you_mean(unit.faction, catalog.factions)}")
        for key in unit.sources:
            if key not in catalog.sources and key not in broken["sources"]:
                report("units", unit.id, "sources", f'unknown source key "{key}"'
                       f"{did_you_mean(key, catalog.sources)}")
        utype = catalog.types.get(unit.type)
        if utype is None:
            if unit.type in broken["types"]:
                continue
            report("units", unit.id, "type", f'unknown unit type "{unit.type}"'
                   f"{did_you_mean(unit.type, catalog.types)}")
            continue
        scheme = catalog.schemes.get(utype.scheme)
        if scheme is None:
            continue
        _check_factors(unit, scheme, lambda where, msg: report("units", unit.id, where, msg))


def _check_factors(unit: Unit, scheme: FactorScheme, report) -> None:
    wanted = scheme.factors
    for side in ("factors", "reduced"):
        values = getattr(unit, side)
        if values is None:
            continue
        for name in wanted:
            if name not in values:
                report(side, f'missing factor "{name}" (scheme "{scheme.id}" expects '
                             f"{', '.join(wanted)})")
        for name in values:
            if name not in wanted:
                report(f"{side}.{name}", f"unknown factor for scheme \"{scheme.id}\""
                       f"{did_you_mean(name, wanted)}; expected {', '.join(wanted)}")
    if unit.reduced is not None:
        for name in wanted:
            full, reduced = unit.factors.get(name), unit.reduced.get(name)
            if full is not None and reduced is not None and reduced > full:
                report(f"reduced.{name}", f"expected at most the full-strength "
                       f"value {full}, found {reduced} (reduced side above full side)")
