"""The map model: one TOML file per map under ``rules/maps/``.

A map file holds what the extractor derived from real geography (terrain per hex, land
share, river hexsides, the coastline) beside what a designer wrote by hand (places with
their 1950 names, railways and roads as chains of places, set-up zones, and corrections in
their own tables so that a re-extraction keeps them). Renderers read only this file.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import cached_property
from typing import Literal

import attrs

from wargame.maps.hexgrid import Hex, hex_id, neighbours, parse_hex
from wargame.fields import ID_PATTERN, fld

HEX_PATTERN = r"^[0-9]{4}$"
SIDE_PATTERN = r"^[0-9]{4}/[0-9]{4}$"
CODE_PATTERN = r"^[A-Z0-9]{1,6}$"
#: Land share per hex in tenths: "0"-"9", and "X" for a hex that is all land.
TENTHS = "0123456789X"


@attrs.frozen
class Projection:
    """Lambert conformal conic on a sphere: how longitude and latitude became kilometres."""

    lat_1: float = fld("First standard parallel, degrees.", min=-89.0, max=89.0)
    lat_2: float = fld("Second standard parallel, degrees.", min=-89.0, max=89.0)
    lat_0: float = fld("Latitude of the origin, degrees.", min=-89.0, max=89.0)
    lon_0: float = fld("Central meridian, degrees.", min=-180.0, max=180.0)
    kind: Literal["lcc"] = fld("Projection: lcc (Lambert conformal conic).", "lcc")

    def proj_string(self) -> str:
        return (f"+proj=lcc +lat_1={self.lat_1:g} +lat_2={self.lat_2:g} +lat_0={self.lat_0:g} "
                f"+lon_0={self.lon_0:g} +R=6371 +units=km")


@attrs.frozen
class MapInfo:
    """What the map is and how its hexes lie."""

    id: str = fld("Identifier, also the file name; scenarios name it.", pattern=ID_PATTERN)
    name: str = fld("Title printed on the map.", min_length=1, max_length=80)
    hex_km: float = fld("Scale: kilometres across a hex, flat side to flat side.",
                        min=0.1, max=1000.0)
    cols: int = fld("Number of hex columns.", min=1, max=99)
    rows: int = fld("Number of hex rows.", min=1, max=99)
    box: tuple[float, ...] = fld("The area extracted: west, south, east, north in degrees.",
                                 min_items=4, max_items=4, min=-180.0, max=180.0)
    projection: Projection = fld("The projection the hexes were laid out in.")
    origin_km: tuple[float, ...] = fld("Projected x, y (km) of the centre of hex 0101.",
                                       min_items=2, max_items=2, min=-1e5, max=1e5)
    orientation: Literal["flat-top"] = fld("Hex orientation: flat-top hexes in columns.",
                                           "flat-top")
    numbering: Literal["CCRR"] = fld("Hex numbers: two digits of column, two of row, "
                                     "0101 at the top left.", "CCRR")
    stagger: Literal["even-columns-down"] = fld("Which columns sit half a hex lower.",
                                                "even-columns-down")
    hex_mm: float = fld("Printed size of a hex, flat side to flat side, in millimetres.",
                        19.0, min=8.0, max=60.0)
    subtitle: str = fld("Line under the title.", "", max_length=160)
    credits: str = fld("Where the geography comes from, printed on the map.", "",
                       max_length=600)


@attrs.frozen
class ExtractSettings:
    """How the extractor turns elevation and coastline into terrain (re-read on refresh)."""

    land_share: float = fld("A hex with at least this share of land is a land hex.", 0.5,
                            min=0.05, max=1.0)
    min_island_km2: float = fld("Islands of at least this area always keep a land hex.", 8.0,
                                min=0.0, max=100000.0)
    hills: str = fld("Terrain for hilly hexes (see hills_top_m).", "rough",
                     pattern=ID_PATTERN)
    mountains: str = fld("Terrain for mountain hexes (see mountain_median_m).", "mountain",
                         pattern=ID_PATTERN)
    flat: str = fld("Terrain for other land hexes.", "clear", pattern=ID_PATTERN)
    lowland: str = fld("Terrain for low flat hexes (see lowland_below_m).", "paddy",
                       pattern=ID_PATTERN)
    lowland_below_m: float = fld("Flat hexes whose 90th percentile lies below this height "
                                 "get the lowland terrain; 0 turns it off.", 0.0,
                                 min=0.0, max=1000.0)
    mountain_median_m: float = fld("A hex whose land's median height is this or more is "
                                   "mountain (so is one with its median over 300 m and "
                                   "300 m between its quartiles).", 450.0, min=0.0,
                                   max=9000.0)
    hills_top_m: float = fld("A hex whose highest tenth of land lies above this height, or "
                             "whose land rises and falls more than 350 m, is hills.", 300.0,
                             min=0.0, max=9000.0)
    river_levels: tuple[int, ...] = fld("Levels of GSHHG's binned river file drawn as rivers "
                                        "(as stored: 0 double-lined, 1-3 permanent, 4 minor "
                                        "...).", [0, 1, 2, 3], min=0, max=11)
    coast_tolerance_km: float = fld("Coastline simplification, km.", 0.25, min=0.0, max=50.0)


@attrs.frozen
class TerrainGrid:
    """Terrain of every hex as rows of one-character codes, and the land share of each."""

    legend: dict[str, str] = fld("One character per terrain: the terrain chart's id (or "
                                 "'sea').", pattern=ID_PATTERN)
    rows: tuple[str, ...] = fld("One string per hex row, one character per column.",
                                min_items=1)
    land: tuple[str, ...] = fld("Land share per hex in tenths (0-9, X for all land), same "
                                "shape as rows.", [])


@attrs.frozen
class HexsideGroup:
    """Hexsides of one kind: a river, a major river, a strait crossing."""

    kind: str = fld("Terrain id of the hexside feature (e.g. river, major-river).",
                    pattern=ID_PATTERN)
    sides: tuple[str, ...] = fld("Hexsides as 'CCRR/CCRR' of two adjacent hexes.",
                                 item_pattern=SIDE_PATTERN)
    name: str = fld("Name, if the group is one river.", "", max_length=80)


@attrs.frozen
class Place:
    """A named place, with the name and romanisation of 1950."""

    name: str = fld("Name printed on the map, as written in 1950 (e.g. Hoihow).",
                    min_length=1, max_length=40)
    lon: float = fld("Longitude, degrees east.", min=-180.0, max=180.0)
    lat: float = fld("Latitude, degrees north.", min=-90.0, max=90.0)
    hex: str = fld("Hex it lies in (the extractor computes it from lon and lat).", "",
                   pattern=r"^([0-9]{4})?$")
    native: str = fld("Name in the local script.", "", max_length=40)
    modern: str = fld("Today's name, for readers with a modern atlas.", "", max_length=40)
    kind: Literal["city", "town", "village", "island", "point"] = fld(
        "city: the hex is city terrain; town: a town symbol; village, island and point: a "
        "label only.", "town")
    port: bool = fld("A port: ships may embark and disembark here.", False)
    airfield: bool = fld("An airfield.", False)
    label: Literal["above", "below", "left", "right"] = fld("Where the name is printed.",
                                                             "below")


@attrs.frozen
class Route:
    """A railway or main road, written as a chain of places and expanded into hexes."""

    kind: Literal["rail", "road"] = fld("rail or road.")
    name: str = fld("Name of the line or road.", min_length=1, max_length=80)
    via: tuple[str, ...] = fld("Places it joins, in order.", min_items=2)
    hexes: tuple[str, ...] = fld("The hex path (the extractor fills it in; edit freely).", [],
                                 item_pattern=HEX_PATTERN)


@attrs.frozen
class Zone:
    """A set-up zone: a named set of hexes and the code counters print in their corner."""

    id: str = fld("Identifier; a scenario's area of the same id sets up here.",
                  pattern=ID_PATTERN)
    code: str = fld("Code printed on the map and the counters, e.g. KS.",
                    pattern=CODE_PATTERN)
    name: str = fld("Name printed in the booklet.", min_length=1, max_length=80)
    hexes: tuple[str, ...] = fld("The zone's hexes.", [], item_pattern=HEX_PATTERN)
    around: str = fld("For the extractor: a place (or hex) at the centre of the zone.", "",
                      max_length=40)
    radius: int = fld("For the extractor: hexes around the centre.", 0, min=0, max=20)
    only: Literal["land", "sea", "any"] = fld("For the extractor: keep only land or sea "
                                              "hexes.", "any")
    north_of: float | None = fld("For the extractor: keep only hexes whose centre lies north "
                                 "of this latitude (one side of a front line).", None,
                                 min=-90.0, max=90.0)
    south_of: float | None = fld("For the extractor: keep only hexes whose centre lies south "
                                 "of this latitude.", None, min=-90.0, max=90.0)


@attrs.frozen
class NamedRiver:
    """A river named by hand: the river hexsides between points along it get its kind
    (a major river is a class apart) and its name."""

    name: str = fld("Name, e.g. 'Naktong'.", min_length=1, max_length=40)
    through: tuple[tuple[float, ...], ...] = fld("[lon, lat] points along the river, from "
                                                 "one end to the other.", min_items=2,
                                                 min=-180.0, max=180.0)
    kind: str = fld("Terrain id of its hexsides.", "major-river", pattern=ID_PATTERN)


@attrs.frozen
class HexFeature:
    """A terrain feature drawn as a symbol in some hexes: landing beaches, fortifications."""

    kind: str = fld("Terrain id of the feature (e.g. beach, fortified).", pattern=ID_PATTERN)
    hexes: tuple[str, ...] = fld("Hexes that have it.", [], item_pattern=HEX_PATTERN)
    name: str = fld("What it is, e.g. 'Lingao beaches'.", "", max_length=80)
    around: str = fld("For the extractor: a place (or hex) at the centre.", "", max_length=40)
    radius: int = fld("For the extractor: hexes around the centre.", 0, min=0, max=20)
    only: Literal["land", "coast", "any"] = fld("For the extractor: land hexes, land hexes "
                                                "next to the sea, or any.", "any")


@attrs.frozen
class Line:
    """A line drawn on the map that is not a hexside: a parallel or a border of 1950."""

    name: str = fld("Label printed along it.", min_length=1, max_length=60)
    kind: Literal["border", "front"] = fld("border or front (drawn differently).", "border")
    lat: float | None = fld("Draw the parallel of this latitude.", None, min=-89.0, max=89.0)
    points: tuple[tuple[float, ...], ...] = fld("Or draw through these [lon, lat] points.",
                                                [], min=-180.0, max=180.0)


@attrs.frozen
class TerrainOverride:
    """A hand correction of terrain that a re-extraction keeps (e.g. land reclaimed later)."""

    hexes: tuple[str, ...] = fld("Hexes it applies to.", min_items=1,
                                 item_pattern=HEX_PATTERN)
    terrain: str = fld("Terrain they get (a terrain id or 'sea').", pattern=ID_PATTERN)
    reason: str = fld("Why: the 1950 state the data does not show.", min_length=1,
                      max_length=300)


@attrs.frozen
class HexsideOverride:
    """A hand correction of hexsides: add a river the data lacks, or remove one."""

    sides: tuple[str, ...] = fld("Hexsides it applies to.", min_items=1,
                                 item_pattern=SIDE_PATTERN)
    kind: str = fld("Terrain id of the feature, or 'none' to remove every feature there.",
                    pattern=ID_PATTERN)
    reason: str = fld("Why.", min_length=1, max_length=300)
    name: str = fld("Name of the river.", "", max_length=80)


@attrs.frozen
class Geometry:
    """Drawing detail in km from the centre of hex 0101 (x east, y south): the real
    coastline, kept so the map shows the coast at its true resolution."""

    coast: tuple[str, ...] = fld("Land outlines, each 'x,y x,y ...' in km.", [])


@attrs.frozen
class MapFile:
    """The shape of a file under ``rules/maps/``."""

    map: MapInfo = fld("The map's identity, scale and grid.")
    terrain: TerrainGrid = fld("Terrain per hex.")
    extract: ExtractSettings = fld("Settings for `wargame map extract`.",
                                   attrs.Factory(ExtractSettings))
    hexsides: tuple[HexsideGroup, ...] = fld("Hexside features.", [])
    places: tuple[Place, ...] = fld("Named places.", [])
    routes: tuple[Route, ...] = fld("Railways and main roads.", [])
    zones: tuple[Zone, ...] = fld("Set-up zones.", [])
    rivers: tuple[NamedRiver, ...] = fld("Rivers named by hand (major rivers).", [])
    features: tuple[HexFeature, ...] = fld("Beaches, fortifications and other hex symbols.",
                                           [])
    lines: tuple[Line, ...] = fld("Parallels and borders drawn on the map.", [])
    terrain_overrides: tuple[TerrainOverride, ...] = fld("Hand corrections of terrain.", [])
    hexside_overrides: tuple[HexsideOverride, ...] = fld("Hand corrections of hexsides.", [])
    geometry: Geometry = fld("Coastline for drawing.", attrs.Factory(Geometry))


#: Terrain ids that are water: no troops enter them, ships may (a map may use them without
#: the terrain chart listing them).
WATER = frozenset({"sea", "lake"})


@attrs.frozen
class GameMap:
    """A loaded, checked map with its overrides applied, indexed for play and drawing."""

    info: MapInfo
    terrain: Mapping[Hex, str]  # every hex -> terrain id ("sea" for water)
    land: Mapping[Hex, float]  # land share 0..1
    hexsides: Mapping[tuple[Hex, Hex], str]  # side key -> terrain id of the feature
    places: tuple[Place, ...]
    routes: tuple[Route, ...]
    zones: Mapping[str, Zone]
    features: Mapping[Hex, tuple[str, ...]]  # hex -> terrain ids of its symbols
    lines: tuple[Line, ...]
    source: MapFile

    @cached_property
    def coast(self) -> tuple[tuple[tuple[float, float], ...], ...]:
        """The coastline as outlines in km (parsed when something draws it)."""
        from wargame.maps.load import coast_rings

        return coast_rings(self.source)

    def __contains__(self, hex_: Hex) -> bool:
        return hex_ in self.terrain

    def hexes(self) -> Iterator[Hex]:
        """Every hex, column by column."""
        for column in range(1, self.info.cols + 1):
            for row in range(1, self.info.rows + 1):
                yield column, row

    def is_land(self, hex_: Hex) -> bool:
        return self.terrain.get(hex_, "sea") not in WATER

    def neighbours_on_map(self, hex_: Hex) -> list[Hex]:
        return [n for n in neighbours(hex_) if n in self.terrain]

    def zone_hexes(self, zone_id: str) -> list[Hex]:
        zone = self.zones[zone_id]
        return [h for h in (parse_hex(t) for t in zone.hexes) if h is not None]

    def anchor_hex(self, zone_id: str) -> Hex:
        """The zone's hex nearest its middle: where its at-start units stand."""
        from wargame.maps.hexgrid import centre

        hexes = self.zone_hexes(zone_id)
        xs = [centre(h)[0] for h in hexes]
        ys = [centre(h)[1] for h in hexes]
        mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
        return min(hexes, key=lambda h: (centre(h)[0] - mx) ** 2 + (centre(h)[1] - my) ** 2)

    def zone_of(self, hex_: Hex) -> str | None:
        """The id of the set-up zone holding a hex, if any."""
        text = hex_id(hex_)
        return next((z.id for z in self.zones.values() if text in z.hexes), None)

    @cached_property
    def place_hexes(self) -> dict[str, Hex]:
        return {p.name: parse_hex(p.hex) for p in self.places if parse_hex(p.hex)}

    def hex_name(self, hex_: Hex) -> str:
        return hex_id(hex_)
