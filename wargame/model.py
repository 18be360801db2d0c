"""The game data model: factions, unit types, units, and the catalogue that holds them.

Every class is a frozen attrs class. Field metadata (``doc``, ``min``, ``max``, ``pattern``)
drives both the validator (``wargame.loading.validate``) and the JSON Schema
(``wargame.loading.jsonschema``), so the rules a designer sees in an editor are the rules
the loader enforces.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Literal

import attrs

from wargame.fields import COLOUR_PATTERN, ID_PATTERN, fld  # noqa: F401 (part of the model's API)

MAX_FACTOR = 99


Affiliation = Literal["friend", "hostile", "neutral", "unknown"]
Domain = Literal["ground", "air", "naval", "guerrilla"]
Basis = Literal["historical", "story", "estimate", "disputed"]
Echelon = Literal[
    "none", "team", "squad", "section", "platoon", "company", "battalion", "regiment",
    "brigade", "division", "corps", "army", "army-group", "region",
    "flight", "squadron", "group", "wing", "ship", "flotilla", "task-group", "fleet",
]

#: APP-6D echelon amplifier codes (land units); air and naval echelons carry none.
ECHELON_CODES: Mapping[str, str] = {
    "none": "00", "team": "11", "squad": "12", "section": "13", "platoon": "14",
    "company": "15", "battalion": "16", "regiment": "17", "brigade": "18",
    "division": "21", "corps": "22", "army": "23", "army-group": "24", "region": "25",
}

#: What each basis means, for tables and booklets: the campaign mixes record and story.
BASIS_MARKS: Mapping[str, str] = {
    "historical": "H", "story": "S", "estimate": "P", "disputed": "?",
}


@attrs.frozen
class Colours:
    """Counter colours of a faction, as #rrggbb."""

    fill: str = fld("Counter face colour, full-strength side.", pattern=COLOUR_PATTERN)
    text: str = fld("Colour of text and symbol outlines on the counter.", pattern=COLOUR_PATTERN)
    reduced_fill: str = fld("Counter face colour, reduced side (usually paler).",
                            pattern=COLOUR_PATTERN)
    stripe: str | None = fld("Optional band colour across the counter (e.g. a flag stripe).",
                             None, pattern=COLOUR_PATTERN)


@attrs.frozen
class Faction:
    """A side's national or political grouping, with its counter colours."""

    id: str = fld("Short identifier used by units and scenarios.", pattern=ID_PATTERN)
    name: str = fld("Full name, in any script.", min_length=1, max_length=120)
    short: str = fld("Short name for tables and counters.", min_length=1, max_length=16)
    affiliation: Affiliation = fld("APP-6 standard identity drawn in the symbol frame.")
    colours: Colours = fld("Counter colours.")
    native_name: str | None = fld("Name in the faction's own script.", None, max_length=120)
    side: str | None = fld("Coalition the faction fights for (factions with the same side "
                           "are allies).", None, pattern=ID_PATTERN)


@attrs.frozen
class FactorScheme:
    """What a unit type's printed factors mean, and how they are written on the counter."""

    id: str = fld("Identifier referenced by unit types.", pattern=ID_PATTERN)
    name: str = fld("Human name of the scheme.", min_length=1, max_length=60)
    factors: tuple[str, ...] = fld("Factor names in printing order.", min_items=1, max_items=6,
                                   item_pattern=r"^[a-z][a-z0-9_]{0,23}$")
    separator: str = fld("Text printed between factors, e.g. '-' or '/'.", "-", max_length=3)
    labels: tuple[str, ...] = fld("Long names of the factors, same order as 'factors'.", [])


@attrs.frozen
class Symbol:
    """An APP-6D / MIL-STD-2525D symbol as its numeric SIDC parts."""

    set: int = fld("Symbol set: 10 land unit, 1 air, 30 sea surface, 35 sea subsurface.",
                   min=1, max=99)
    entity: str = fld("Six-digit entity code, e.g. 121100 for infantry.",
                      pattern=r"^[0-9]{6}$")
    m1: str = fld("Sector 1 modifier, two digits.", "00", pattern=r"^[0-9]{2}$")
    m2: str = fld("Sector 2 modifier, two digits (01 airborne, 58 guerrilla...).", "00",
                  pattern=r"^[0-9]{2}$")


@attrs.frozen
class UnitType:
    """A kind of unit: its symbol and the meaning of its factors."""

    id: str = fld("Identifier referenced by units.", pattern=ID_PATTERN)
    name: str = fld("Human name, e.g. 'Armour'.", min_length=1, max_length=60)
    domain: Domain = fld("Where it fights: ground, air, naval or guerrilla.")
    scheme: str = fld("Id of the factor scheme its factors follow.", pattern=ID_PATTERN)
    symbol: Symbol = fld("APP-6D symbol.")
    abbrev: str = fld("Short type name for counters, e.g. 'Inf', 'Tk' (default: the name's "
                      "first four letters).", "", max_length=6)


@attrs.frozen
class Strength:
    """Historical (or story) strength of the formation the counter stands for."""

    men: int | None = fld("Personnel.", None, min=0, max=5_000_000)
    tanks: int | None = fld("Tanks and assault guns.", None, min=0, max=100_000)
    guns: int | None = fld("Artillery pieces.", None, min=0, max=100_000)
    aircraft: int | None = fld("Aircraft.", None, min=0, max=100_000)
    ships: int | None = fld("Ships, boats or junks.", None, min=0, max=100_000)

    def items(self) -> Iterator[tuple[str, int]]:
        """The figures that are known, in a fixed order."""
        for name in ("men", "tanks", "guns", "aircraft", "ships"):
            value = getattr(self, name)
            if value is not None:
                yield name, value


@attrs.frozen
class Unit:
    """One counter: a formation with full and (optionally) reduced factors."""

    id: str = fld("Unique slug, e.g. 'kpa-107-tank'.", pattern=ID_PATTERN)
    name: str = fld("Full name in English.", min_length=1, max_length=120)
    faction: str = fld("Id of the faction; defaults to the file-level 'faction' key",
                       pattern=ID_PATTERN, file_default=True)
    type: str = fld("Id of the unit type.", pattern=ID_PATTERN)
    echelon: Echelon = fld("Size of the formation (APP-6 echelon amplifier for land units).")
    designation: str = fld("Short number or name printed on the counter.", min_length=1,
                           max_length=12)
    factors: dict[str, int] = fld("Full-strength factors, keyed by the scheme's factor names.",
                                  min=0, max=MAX_FACTOR)
    basis: Basis = fld("Whether the unit and its figures are historical, from the story, a "
                       "design estimate, or disputed between sources.")
    reduced: dict[str, int] | None = fld("Reduced-side factors; omit for one-step units.",
                                         None, min=0, max=MAX_FACTOR)
    parent: str | None = fld("Parent formation printed on the counter's side.", None,
                             max_length=12)
    short: str | None = fld("Name printed across the top of the counter (default: designation "
                            "and type, e.g. '118 Inf'); must be unique in the faction.", None,
                            min_length=1, max_length=16)
    native_name: str | None = fld("Name in the unit's own script.", None, max_length=120)
    strength: Strength = fld("Historical strength figures.", attrs.Factory(Strength))
    notes: str = fld("Designer's notes.", "", max_length=2000)
    sources: tuple[str, ...] = fld("Keys of the sources the figures come from.", [],
                                   item_pattern=r"^[A-Za-z0-9_.-]{1,16}$")

    @property
    def steps(self) -> int:
        """Number of steps: two with a reduced side, otherwise one."""
        return 2 if self.reduced is not None else 1


@attrs.frozen
class Placement:
    """Where a unit starts (set-up location or turn of entry), for the counter's corners."""

    location: str = ""
    turn: int | None = None


@attrs.frozen
class Source:
    """A bibliographic or web source behind the figures."""

    key: str = fld("Key cited by units, e.g. 'K8'.", pattern=r"^[A-Za-z0-9_.-]{1,16}$")
    title: str = fld("What the source is, or what the figures taken from it are.",
                     min_length=1, max_length=300)
    url: str | None = fld("Where it was read.", None, max_length=600)
    site: str | None = fld("Who publishes it, and whether the page is a copy of another work "
                           "(printed before the title).", None, max_length=200)


@attrs.frozen
class UnitsFile:
    """The shape of every TOML file under ``units/``: any mix of these top-level arrays."""

    faction: str | None = fld("Default faction for the units of this file.", None,
                              pattern=ID_PATTERN)
    factions: tuple[Faction, ...] = fld("Factions.", [])
    schemes: tuple[FactorScheme, ...] = fld("Factor schemes.", [])
    types: tuple[UnitType, ...] = fld("Unit types.", [])
    units: tuple[Unit, ...] = fld("Units (counters).", [])
    sources: tuple[Source, ...] = fld("Sources cited by units.", [])


@attrs.frozen
class Catalog:
    """Everything loaded from a game folder, indexed by id, in file order."""

    factions: Mapping[str, Faction]
    schemes: Mapping[str, FactorScheme]
    types: Mapping[str, UnitType]
    units: Mapping[str, Unit]
    sources: Mapping[str, Source]

    def scheme_of(self, unit: Unit) -> FactorScheme:
        """The factor scheme that gives the unit's factors their meaning."""
        return self.schemes[self.types[unit.type].scheme]

    def short_name(self, unit: Unit) -> str:
        """The name on the counter: legible, and unique within the faction."""
        if unit.short:
            return unit.short
        utype = self.types[unit.type]
        abbrev = utype.abbrev or utype.name.split()[0][:4]
        if abbrev.casefold() in unit.designation.casefold():
            return unit.designation  # "Art", not "Art Art"
        return f"{unit.designation} {abbrev}"

    def format_factors(self, unit: Unit, reduced: bool = False) -> str:
        """Factors as printed on the counter, e.g. ``6-5-4`` or ``6/1/2``."""
        values = unit.reduced if reduced else unit.factors
        if values is None:
            return ""
        scheme = self.scheme_of(unit)
        return scheme.separator.join(str(values[name]) for name in scheme.factors)
