"""Zones of control (5.0-5.1), which units block a hex to the enemy (4.2), and stacking
(4.1)."""

from __future__ import annotations

from wargame.maps.hexgrid import Hex, hex_id, side_key
from wargame.play.position import Position
from wargame.play.theatre import Theatre

#: Domains whose units keep the enemy out of their hex (4.2: ships at sea and aircraft
#: share hexes with anyone).
BLOCKING = ("ground", "guerrilla")


def exerts_zoc(theatre: Theatre, position: Position, unit_id: str) -> bool:
    rules = theatre.play.zoc
    piece = position[unit_id]
    if rules.kind == "none" or not piece.on_map or not piece.in_play or piece.carrier:
        return False
    if theatre.domain(unit_id) not in rules.domains:
        return False
    attack = theatre.factors(unit_id, piece.steps).get(theatre.play.combat.attack_factor, 0)
    return attack >= rules.min_attack


def zoc_of(theatre: Theatre, position: Position, side: str) -> frozenset[Hex]:
    """Every hex in the zone of control of a side's units."""
    key = ("zoc", side)
    if key not in position.derived:
        position.derived[key] = _zoc_of(theatre, position, side)
    return position.derived[key]


def _zoc_of(theatre: Theatre, position: Position, side: str) -> frozenset[Hex]:
    game_map = theatre.need_map()
    rules = theatre.play.zoc
    blocked = set(rules.blocked_by)
    out = set()
    for piece in position.side_pieces(side):
        if not exerts_zoc(theatre, position, piece.unit):
            continue
        origin = piece.at
        for other in game_map.neighbours_on_map(origin):
            if not rules.into_sea and not game_map.is_land(other):
                continue
            if game_map.hexsides.get(side_key(origin, other)) in blocked:
                continue
            out.add(other)
    return frozenset(out)


def enemy_held(theatre: Theatre, position: Position, side: str) -> frozenset[Hex]:
    """Hexes holding units of another side that keep this side out (4.2)."""
    key = ("held", side)
    if key in position.derived:
        return position.derived[key]
    out = set()
    for hex_ in position.occupied_hexes():
        for unit_id in position.units_at(hex_):
            piece = position[unit_id]
            if piece.side != side and theatre.domain(unit_id) in BLOCKING:
                out.add(hex_)
                break
    position.derived[key] = frozenset(out)
    return position.derived[key]


def counts_for_stacking(theatre: Theatre, unit_id: str) -> bool:
    return theatre.domain(unit_id) in theatre.play.stacking.domains


def stacking_excess(theatre: Theatre, position: Position, hex_: Hex, side: str,
                    extra: tuple[str, ...] = ()) -> str | None:
    """What a hex holding the side's units (and ``extra``) breaks of 4.1, or None."""
    rules = theatre.play.stacking
    if not rules.limit and not rules.sub_limits:
        return None
    units = [u for u in position.units_at(hex_) if position[u].side == side
             and u not in extra] + list(extra)
    counted = [u for u in units if counts_for_stacking(theatre, u)]
    if rules.limit and len(counted) > rules.limit:
        return (f"hex {hex_id(hex_)} would hold {len(counted)} ground units of one side "
                f"(the limit is {rules.limit})")
    for sub in rules.sub_limits:
        big = [u for u in counted if theatre.is_division(u, sub.echelons)]
        if len(big) > sub.limit:
            return (f"hex {hex_id(hex_)} would hold {len(big)} {sub.name} (the limit is "
                    f"{sub.limit})")
    return None


def room_for(theatre: Theatre, position: Position, hex_: Hex, side: str,
             unit_id: str) -> bool:
    """Whether one more unit of the side fits in the hex under 4.1."""
    return stacking_excess(theatre, position, hex_, side, (unit_id,)) is None
