"""The hexes a scenario names (supply sources, control at start, air areas, where a modifier
applies), resolved on the map."""

from __future__ import annotations

from collections.abc import Mapping

from wargame.maps.hexgrid import Hex, parse_hex
from wargame.play.theatre import Theatre
from wargame.scenarios.model import HexSet


def hexes_of(theatre: Theatre, hexset: HexSet, side: str | None = None,
             control: Mapping[Hex, str] | None = None) -> set[Hex]:
    """The map hexes of a set (the ports part needs the side and who controls what)."""
    game_map = theatre.need_map()
    out: set[Hex] = set()
    named = False
    for text in hexset.hexes:
        out.add(parse_hex(text))
        named = True
    for name in hexset.places:
        if name in game_map.place_hexes:
            out.add(game_map.place_hexes[name])
        named = True
    for zone in hexset.zones:
        if zone in game_map.zones:
            out.update(game_map.zone_hexes(zone))
        named = True
    info = game_map.info
    edges = {"north": lambda h: h[1] == 1, "south": lambda h: h[1] == info.rows,
             "west": lambda h: h[0] == 1, "east": lambda h: h[0] == info.cols}
    for edge in hexset.edges:
        out.update(h for h in game_map.hexes() if edges[edge](h) and game_map.is_land(h))
        named = True
    if hexset.ports:
        named = True
        if side is not None and control is not None:
            out.update(h for h in theatre.ports if control.get(h) == side)
    banded = any(v is not None for v in (hexset.north_of, hexset.south_of, hexset.east_of,
                                         hexset.west_of))
    if banded:
        if not named:
            out = set(game_map.hexes())
        out = {h for h in out if _in_bands(theatre.lonlat[h], hexset)}
    return {h for h in out if h in game_map}


def _in_bands(lonlat: tuple[float, float], hexset: HexSet) -> bool:
    lon, lat = lonlat
    return ((hexset.north_of is None or lat > hexset.north_of)
            and (hexset.south_of is None or lat < hexset.south_of)
            and (hexset.east_of is None or lon > hexset.east_of)
            and (hexset.west_of is None or lon < hexset.west_of))


def control_at_start(theatre: Theatre) -> dict[Hex, str]:
    """Who controls each land hex before the first turn: the first control entry of the
    scenario that names it."""
    game_map = theatre.need_map()
    out: dict[Hex, str] = {}
    for entry in theatre.scenario.control:
        for hex_ in hexes_of(theatre, entry.hexes):
            if game_map.is_land(hex_):
                out.setdefault(hex_, entry.side)
    return out
