"""What each side may see (15.2): its own units, and enemy units next to its own or in a
battle with them in the latest round."""

from __future__ import annotations

import attrs

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
    return [set(in_battle(body)) for kind, body in latest.events if kind == "roll"]


def in_battle(body: dict) -> list[str]:
    """The units a roll's battle involves: attackers, defenders and the warships that
    fired in it (9.2)."""
    return body.get("attackers", []) + body.get("defenders", []) + body.get("gunfire", [])


def visible_units(state: GameState, side: str | None) -> dict[str, Piece]:
    """The umpire's full view with no side; otherwise the side's own view: its own units
    where they are, enemy units next to its own where they are, and enemy units it fought
    in the latest round where it saw them, in the battle (not where they went after it)."""
    pieces = state.play.position.pieces
    if side is None:
        return dict(pieces)
    check_side(state, side)
    own = {u for u, p in pieces.items() if p.side == side}
    own_hexes = [p.at for u, p in pieces.items() if u in own and p.on_map and p.in_play]
    near = {u for u, p in pieces.items() if u not in own and p.in_play and p.on_map
            and any(distance(p.at, h) <= 1 for h in own_hexes)}
    fought = set()
    for units in battle_units(state):
        if units & own:
            fought |= units - own
    at_battle = _battle_hexes(state) if fought - near else {}
    out = {u: p for u, p in pieces.items() if u in own or u in near}
    for unit in fought - near:
        piece = pieces.get(unit)
        if piece is not None and piece.in_play and unit in at_battle:
            out[unit] = attrs.evolve(piece, hex=at_battle[unit], box="")
    return out


def _battle_hexes(state: GameState) -> dict[str, str]:
    """Where each unit of the latest round's battles stood when its battle was fought: its
    last change before the roll, or where its first change after the roll started from."""
    resolved = [r for r in state.rounds.values() if r.resolved]
    if not resolved:
        return {}
    events = max(resolved, key=lambda r: r.key).events
    where: dict[str, str] = {}
    out: dict[str, str] = {}
    pending: set[str] = set()
    for kind, body in events:
        if kind == "unit-change":
            unit, cause = body["piece"]["unit"], body.get("cause", {})
            if unit in pending:
                start = cause.get("from") or (cause.get("path") or [None])[0]
                if start:
                    out[unit] = start
                pending.discard(unit)
            where[unit] = body["piece"].get("hex", "")
        elif kind == "roll":
            for unit in in_battle(body):
                if where.get(unit):
                    out[unit] = where[unit]
                elif unit not in out:
                    pending.add(unit)
    pieces = state.play.position.pieces
    for unit in pending:  # no change since the battle: it stands where it fought
        if unit in pieces and pieces[unit].hex:
            out[unit] = pieces[unit].hex
    return out


def roll_visible(state: GameState, body: dict, side: str | None) -> bool:
    """Whether a side took part in a roll (the other side's air combats and arrival rolls
    stay hidden)."""
    if side is None:
        return True
    if body.get("side") == side:
        return True
    units = set(in_battle(body))
    pieces = state.play.position.pieces
    return any(pieces[u].side == side for u in units if u in pieces)
