"""Counters as data: the faces to print for units and markers, and the layout that places
each field. Nothing here draws; ``wargame.printing`` renders these faces.

Keeping layout apart from data (as Squib does) lets a designer restyle every counter by
editing ``print/counters.toml`` without touching code or unit files.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Literal

import attrs

from wargame.colours import readable_ink
from wargame.model import (  # noqa: F401 (Placement: the counter's corners, kept here too)
    COLOUR_PATTERN, ECHELON_CODES, ID_PATTERN, Catalog, Placement, Unit, fld,
)

IDENTITY_DIGITS = {"unknown": "1", "friend": "3", "neutral": "4", "hostile": "6"}
LAND_SETS = {10, 11, 15, 20}


def sidc(catalog: Catalog, unit: Unit) -> str:
    """The 20-digit APP-6D / 2525D SIDC of a unit (echelon only for land units)."""
    symbol = catalog.types[unit.type].symbol
    identity = IDENTITY_DIGITS[catalog.factions[unit.faction].affiliation]
    echelon = ECHELON_CODES.get(unit.echelon, "00") if symbol.set in LAND_SETS else "00"
    hq = "2" if unit.type == "headquarters" else "0"
    return (f"10{0}{identity}{symbol.set:02d}0{hq}{echelon}{symbol.entity}"
            f"{symbol.m1}{symbol.m2}")


@attrs.frozen
class Face:
    """One printed side of a counter: colours and the text of every slot."""

    key: str
    side: Literal["front", "back"]
    fill: str
    ink: str
    stripe: str | None = None
    sidc: str | None = None
    designation: str = ""
    parent: str = ""
    factors: str = ""
    name: str = ""
    upper_left: str = ""
    upper_right: str = ""
    title: str = ""  # markers: large text in place of the symbol


@attrs.frozen
class Counter:
    """A double-sided counter."""

    key: str
    front: Face
    back: Face
    kind: Literal["unit", "marker"] = "unit"


def unit_counter(catalog: Catalog, unit: Unit, placement: Placement | None = None) -> Counter:
    """The counter of a unit: full factors on the front, reduced on the paler back."""
    faction = catalog.factions[unit.faction]
    colours = faction.colours
    placement = placement or Placement()
    common = dict(
        key=unit.id, stripe=colours.stripe, sidc=sidc(catalog, unit),
        designation=unit.designation, parent=unit.parent or "",
        name=catalog.short_name(unit),
        upper_left=placement.location,
        upper_right=str(placement.turn) if placement.turn else "")
    front = Face(side="front", fill=colours.fill, factors=catalog.format_factors(unit),
                 ink=readable_ink(colours.fill, colours.text), **common)
    # the paler back often loses the faction's ink (yellow on pink): pick one that reads
    back = Face(side="back", fill=colours.reduced_fill,
                factors=catalog.format_factors(unit, reduced=True),
                ink=readable_ink(colours.reduced_fill, colours.text, [colours.fill]), **common)
    return Counter(unit.id, front, back)


def unit_counters(catalog: Catalog, units: Iterable[Unit],
                  placements: Mapping[str, Placement] | None = None) -> list[Counter]:
    placements = placements or {}
    return [unit_counter(catalog, unit, placements.get(unit.id)) for unit in units]


# ---- markers -------------------------------------------------------------------------------

@attrs.frozen
class MarkerSpec:
    """A game marker (turn, control, status), printed ``count`` times."""

    id: str = fld("Identifier.", pattern=ID_PATTERN)
    front: str = fld("Text on the front (a line break with '\\n').", min_length=1,
                     max_length=40)
    back: str = fld("Text on the back (default: as the front).", "", max_length=40)
    count: int = fld("How many to print.", 1, min=1, max=500)
    faction: str | None = fld("Take the colours of this faction.", None, pattern=ID_PATTERN)
    fill: str = fld("Face colour (when no faction is given).", "#f4f1e8",
                    pattern=COLOUR_PATTERN)
    back_fill: str | None = fld("Back colour (default: the faction's reduced fill, or the "
                                "fill).", None, pattern=COLOUR_PATTERN)
    ink: str = fld("Text colour (when no faction is given).", "#000000",
                   pattern=COLOUR_PATTERN)
    front_means: str = fld("What the front means, with its case (printed in the counter "
                           "key).", "", max_length=300)
    back_means: str = fld("What the back means (default: as the front).", "", max_length=300)


def one_line(title: str) -> str:
    """A counter's title on one line: 'Dis-\nrupted' is 'Disrupted', 'Out of\nSupply' is
    'Out of Supply'."""
    return title.replace("-\n", "").replace("\n", " ")


def marker_counters(catalog: Catalog, markers: Iterable[MarkerSpec]) -> list[Counter]:
    """Marker counters, each repeated ``count`` times (keys numbered from 1)."""
    out = []
    for marker in markers:
        fill, ink, back_fill, stripe = marker.fill, marker.ink, marker.back_fill, None
        if marker.faction is not None:
            colours = catalog.factions[marker.faction].colours
            fill, ink, stripe = colours.fill, colours.text, colours.stripe
        back_fill = back_fill or fill
        front = Face(key=marker.id, side="front", fill=fill, ink=readable_ink(fill, ink),
                     stripe=stripe, title=marker.front)
        back = Face(key=marker.id, side="back", fill=back_fill,
                    ink=readable_ink(back_fill, ink, [fill]), stripe=stripe,
                    title=marker.back or marker.front)
        for number in range(1, marker.count + 1):
            key = marker.id if marker.count == 1 else f"{marker.id}-{number}"
            out.append(Counter(key, attrs.evolve(front, key=key), attrs.evolve(back, key=key),
                               "marker"))
    return out


# ---- layout ----------------------------------------------------------------------------------

@attrs.frozen
class TextSlot:
    """A text field of the counter. Positions and sizes are fractions of the counter side,
    from its lower-left corner, so one layout serves every counter size."""

    x: float = fld("Anchor, across (0 left edge, 1 right edge).", min=0.0, max=1.0)
    y: float = fld("Baseline or centre line, up (0 bottom, 1 top).", min=0.0, max=1.0)
    size: float = fld("Font size as a fraction of the counter side.", min=0.02, max=0.6)
    min_size: float = fld("Smallest size to shrink to when the text is too long.", 0.0,
                          min=0.0, max=0.6)
    length: float = fld("Longest run of text, as a fraction of the side (0: up to the safe "
                        "area).", 0.0, min=0.0, max=1.0)
    rotate: Literal[0, 90, -90] = fld("Rotation: 90 reads upwards, -90 downwards.", 0)
    align: Literal["centre", "left", "right"] = fld("Alignment at the anchor.", "centre")
    weight: Literal["regular", "bold"] = fld("Font weight.", "regular")
    show: bool = fld("Print this field.", True)


@attrs.frozen
class SymbolSlot:
    """Where the APP-6 symbol goes: the centre and width of its frame."""

    x: float = fld("Centre of the frame, across.", min=0.0, max=1.0)
    y: float = fld("Centre of the frame, up.", min=0.0, max=1.0)
    width: float = fld("Width of a land frame as a fraction of the counter side.", min=0.05,
                       max=0.9)


@attrs.frozen
class CounterLayout:
    """Which field goes where on a counter face."""

    symbol: SymbolSlot = fld("The unit symbol.")
    factors: TextSlot = fld("The factors along the bottom.")
    designation: TextSlot = fld("The unit's designation (left side).")
    parent: TextSlot = fld("The parent formation (right side).")
    name: TextSlot = fld("The name in the unit's own script (top).")
    upper_left: TextSlot = fld("Set-up location (upper-left corner).")
    upper_right: TextSlot = fld("Turn of entry (upper-right corner).")
    title: TextSlot = fld("Markers: the large text.")
    border: float = fld("Width of the frame line around each face, in points.", 0.5,
                        min=0.0, max=5.0)
    stripe_height: float = fld("Height of the faction stripe as a fraction of the side.",
                               0.08, min=0.0, max=0.5)
    stripe_y: float = fld("Bottom of the faction stripe, as a fraction of the side.", 0.78,
                          min=0.0, max=1.0)
    safe_margin: float = fld("Margin kept clear inside every edge, in millimetres.", 1.0,
                             min=0.0, max=5.0)


@attrs.frozen
class PrintFile:
    """The shape of ``print/counters.toml``."""

    layout: CounterLayout = fld("Counter layout.")
    markers: tuple[MarkerSpec, ...] = fld("Game markers.", [])


def select_counters(session, factions, scenario, markers: bool = True):
    """Counters grouped by faction (in the order of the faction file), then the markers."""
    from wargame.loading.printdata import load_print
    from wargame.query import find_faction

    catalog = session.catalog
    settings = load_print(session.root, catalog)
    units = list(catalog.units.values())
    placements = {}
    if scenario:
        from wargame.scenarios.model import placements_of

        chosen = session.scenario(scenario)
        placements = placements_of(chosen)
        units = [u for u in units if u.id in placements]
    if factions:
        wanted = {find_faction(catalog, f).id for f in factions}
        units = [u for u in units if u.faction in wanted]
    groups = [unit_counters(catalog, [u for u in units if u.faction == faction], placements)
              for faction in catalog.factions]
    if markers:
        specs = settings.markers
        if scenario:  # a scenario's sheet carries only the markers of its own factions
            fighting = {f for side in chosen.sides for f in side.factions}
            specs = tuple(m for m in specs if m.faction is None or m.faction in fighting)
        groups.append(marker_counters(catalog, specs))
    return groups, settings
