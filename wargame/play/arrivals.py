"""Reinforcements (14.1): who arrives this turn (on the printed turn, when called, or on a
roll), and where: the hex the owner names in the zone, else the zone's first hex with room,
else the nearest hex the side controls."""

from __future__ import annotations

from wargame.maps.hexgrid import Hex, distance, hex_id
from wargame.play.position import POOL
from wargame.play.refusal import Refusal
from wargame.play.setup import candidates, fits
from wargame.play.theatre import Theatre
from wargame.scenarios.model import SetupEntry


def due(theatre: Theatre, state, side: str, turn: int) -> list[SetupEntry]:
    """Entries of the side that arrive without a roll this turn (printed turn, or called)."""
    out = []
    for entry in theatre.scenario.setup:
        if entry.unit not in theatre.entries or theatre.unit_side[entry.unit] != side:
            continue
        piece = state.position.pieces.get(entry.unit)
        if piece is None or piece.box != POOL or entry.roll is not None:
            continue
        if entry.called:
            if entry.unit in state.called and turn >= entry.turn:
                out.append(entry)
        elif entry.turn == turn:
            out.append(entry)
    return out


def rolled_groups(theatre: Theatre, state, side: str, turn: int) -> list[list[SetupEntry]]:
    """Groups of entries still waiting on their roll, each led by its first entry."""
    groups: dict[str, list[SetupEntry]] = {}
    for entry in theatre.scenario.setup:
        if entry.unit not in theatre.entries or theatre.unit_side[entry.unit] != side:
            continue
        piece = state.position.pieces.get(entry.unit)
        if piece is None or piece.box != POOL:
            continue
        key = entry.group or entry.unit
        leader = groups.get(key, [None])[0]
        if leader is None and entry.roll is None:
            continue
        if leader is not None or (entry.roll is not None and turn >= entry.turn):
            groups.setdefault(key, []).append(entry)
    return [g for g in groups.values() if g[0].roll is not None]


def where(theatre: Theatre, position, entry: SetupEntry, wanted: Hex | None) -> tuple[str, str]:
    """(hex id or "", box id or "") where a unit arrives; raises Refusal for a hex the owner
    named that it may not take."""
    area = theatre.scenario.area(entry.area)
    side = theatre.unit_side[entry.unit]
    case = theatre.play.reinforcements.case
    if area.offmap or theatre.map is None:
        return "", area.id
    zone = [h for h in theatre.zone_hexes(entry.area)]
    if entry.hex:
        from wargame.maps.hexgrid import parse_hex

        zone = [parse_hex(entry.hex)]
    if wanted is not None:
        if wanted not in zone:
            raise Refusal(case, f"{theatre.name(entry.unit)} arrives in zone {area.code}, and "
                          f"{hex_id(wanted)} is not in it", "name a hex of the zone")
        why = fits(theatre, position, entry.unit, side, wanted)
        if why:
            raise Refusal(case, f"{theatre.name(entry.unit)} cannot arrive in "
                          f"{hex_id(wanted)}: {why}", "name another hex of the zone")
        return hex_id(wanted), ""
    order = candidates(theatre, entry.area) if not entry.hex else zone
    for hex_ in order:
        if not fits(theatre, position, entry.unit, side, hex_):
            return hex_id(hex_), ""
    # every hex of the zone is held by the enemy or full: the nearest friendly hex instead
    game_map = theatre.need_map()
    anchor = order[0] if order else next(iter(game_map.hexes()))
    friendly = sorted((h for h in game_map.hexes() if position.control.get(h) == side),
                      key=lambda h: (distance(h, anchor), h))
    for hex_ in friendly:
        if not fits(theatre, position, entry.unit, side, hex_):
            return hex_id(hex_), ""
    return "", POOL  # nowhere to go: it waits
