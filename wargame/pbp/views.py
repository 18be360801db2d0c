"""What each side may see: its own units, and enemy units it has met or stands beside."""

from __future__ import annotations

from wargame.pbp.game import GameState, UnitState


def visible_units(state: GameState, side: str | None) -> dict[str, UnitState]:
    """The umpire's full view with no side; otherwise the side's own view."""
    if side is None:
        return dict(state.units)
    if side not in state.side_ids():
        from wargame.errors import UsageError

        raise UsageError(f'no side "{side}" in this game')
    arrived = {u["id"] for u in state.start["units"] if u["arrives"] <= state.turn}
    own = {uid for uid, u in state.units.items() if u.side == side}  # with reinforcements
    own_areas = {state.units[uid].area for uid in own & arrived if state.units[uid].alive}
    # contact is current: the battles of the latest turn fought, and units in the same area
    # now; an enemy met three turns ago and gone since is not seen any more
    fought = [t for t, data in state.turns.items() if data.rolls]
    latest = state.turns[max(fought)].rulings if fought else []
    seen = set()
    for ruling in latest:
        names = {n.split(":")[0] for n in ruling.get("attackers", []) +
                 ruling.get("defenders", [])}
        if names & own:  # in battle with one of ours
            seen |= names
    # on the map, a side sees the enemy in its own hexes and next to them
    from wargame.maps.hexgrid import distance, parse_hex

    own_hexes = [parse_hex(state.units[uid].hex) for uid in own & arrived
                 if state.units[uid].alive and state.units[uid].hex]
    for uid, unit in state.units.items():
        if uid not in arrived or not unit.alive:
            continue
        if unit.hex and own_hexes:
            if any(distance(parse_hex(unit.hex), h) <= 1 for h in own_hexes):
                seen.add(uid)
        elif unit.area in own_areas:  # holding boxes, and games without a map
            seen.add(uid)
    return {uid: u for uid, u in state.units.items()
            if uid in own or (uid in seen and u.alive)}


def ruling_visible(state: GameState, ruling: dict, side: str | None) -> bool:
    if side is None:
        return True
    names = {n.split(":")[0] for n in ruling.get("attackers", []) + ruling.get("defenders", [])}
    return any(state.units[n].side == side for n in names if n in state.units)
