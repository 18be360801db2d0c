"""Finding units and factions by what a person types: an id, a name, a designation."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, TypeVar

from wargame.errors import UsageError

if TYPE_CHECKING:  # picking a table by name needs no unit classes
    from wargame.model import Catalog, Faction, Unit

T = TypeVar("T")


def _fold(text: str | None) -> str:
    return (text or "").casefold().strip()


def find_one(query: str, items: Mapping[str, T], names: callable, kind: str) -> T:
    """Pick one item: exact id, then exact name, then a unique partial match.

    ``names(item)`` gives the strings a person might type for it. An ambiguous or unknown
    query raises UsageError listing the candidates, so the user can retype.
    """
    if query in items:
        return items[query]
    folded = _fold(query)
    exact = [key for key, item in items.items()
             if any(_fold(n) == folded for n in names(item))]
    if len(exact) == 1:
        return items[exact[0]]
    partial = exact or [key for key, item in items.items()
                        if any(folded in _fold(n) for n in names(item))]
    if len(partial) == 1:
        return items[partial[0]]
    if partial:
        shown = ", ".join(partial[:8]) + (f" and {len(partial) - 8} more" if len(partial) > 8
                                          else "")
        raise UsageError(f'"{query}" matches {len(partial)} {kind}s: {shown}; give the id')
    import difflib  # only when reporting a mistake

    close = difflib.get_close_matches(query, list(items), n=3, cutoff=0.5)
    hint = f" (did you mean {', '.join(close)}?)" if close else ""
    raise UsageError(f'no {kind} matches "{query}"{hint}')


def unit_names(unit: Unit) -> Iterable[str]:
    return (unit.id, unit.name, unit.native_name or "", unit.designation)


def faction_names(faction: Faction) -> Iterable[str]:
    return (faction.id, faction.name, faction.short, faction.native_name or "")


def find_unit(catalog: Catalog, query: str) -> Unit:
    """The unit a person means by ``query`` (id, English or native name, designation)."""
    return find_one(query, catalog.units, unit_names, "unit")


def find_faction(catalog: Catalog, query: str) -> Faction:
    """The faction a person means by ``query`` (id, name, short name)."""
    return find_one(query, catalog.factions, faction_names, "faction")
