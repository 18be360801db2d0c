"""What each side may see (15.2): its own units, and enemy units next to its own or in a
battle with them in the latest round."""

from __future__ import annotations

from wargame.errors import UsageError
from wargame.maps.hexgrid import distance
from wargame.pbp.state import GameState
from wargame.play.position import Piece


def check_side(state: GameState, side: str | None) -> None:
    if side is not None and side not in state.side_ids():
        raise UsageError(f'no side "{side}" in this game (sides: '
                         + ", ".join(state.side_ids()) + ")")


def battle_units(state: GameState) -> list[set[str]]:
    """The units of each battle of the latest resolved round."""
    resolved = [r for r in state.rounds.values() if r.resolved]
    if not resolved:
        return []
    latest = max(resolved, key=lambda r: r.key)
    return [set(body.get("attackers", [])) | set(body.get("defenders", []))
            for kind, body in latest.events if kind == "roll"]


def visible_units(state: GameState, side: str | None) -> dict[str, Piece]:
    """The umpire's full view with no side; otherwise the side's own view."""
    pieces = state.play.position.pieces
    if side is None:
        return dict(pieces)
    check_side(state, side)
    own = {u for u, p in pieces.items() if p.side == side}
    own_hexes = [p.at for u, p in pieces.items() if u in own and p.on_map and p.in_play]
    seen = set()
    for units in battle_units(state):
        if units & own:
            seen |= units
    for unit_id, piece in pieces.items():
        if unit_id in own or not piece.in_play:
            continue
        if piece.on_map and any(distance(piece.at, h) <= 1 for h in own_hexes):
            seen.add(unit_id)
    return {u: p for u, p in pieces.items()
            if u in own or (u in seen and p.in_play)}


def roll_visible(state: GameState, body: dict, side: str | None) -> bool:
    """Whether a side took part in a roll (the other side's air combats and arrival rolls
    stay hidden)."""
    if side is None:
        return True
    if body.get("side") == side:
        return True
    units = set(body.get("attackers", [])) | set(body.get("defenders", []))
    pieces = state.play.position.pieces
    return any(pieces[u].side == side for u in units if u in pieces)
