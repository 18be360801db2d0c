"""A game's situation as a VASSAL saved game of the scenario's module, for one side (fog of
war as in the side's posts), and a side's moves made in VASSAL (a PBEM log) read back as
that side's orders in the orders format, to be checked like typed orders."""

from __future__ import annotations

from pathlib import Path

import attrs

from wargame.maps.hexgrid import adjacent, hex_id, parse_hex
from wargame.play.position import ELIMINATED, POOL
from wargame.vassal import layout, savedgame
from wargame.vassal.encoding import decode, split_chain
from wargame.vassal.module import module_data, piece_for

GAME_TURN = "game-turn"  # the marker's key in print/counters.toml


@attrs.frozen
class Placed:
    """A unit (or the Game Turn marker) as a saved game places it."""

    piece: str  # the piece id: the unit id
    name: str
    map: str
    x: int
    y: int
    back_up: bool  # reduced: the counter shows its back
    where: str  # a hex number or a box id


def marker_pieces(markers) -> dict[str, tuple[str, str, str, bool]]:
    """A unit's marker as the game records it ('out of supply', 'scattered') -> (marker
    id, image key in the module, front name, back name, back up), from the markers'
    printed names."""
    from wargame.counters import one_line

    out = {}
    for marker in markers:
        front, back = one_line(marker.front), one_line(marker.back or marker.front)
        back_name = back if back != front else f"{front} (back)"
        image = marker.id if marker.count == 1 else f"{marker.id}-1"  # as the module's keys
        out.setdefault(front.casefold(), (marker.id, image, front, back_name, False))
        out.setdefault(back.casefold(), (marker.id, image, front, back_name, True))
    return out


def placements(theatre, state, side: str, markers=()) -> list[Placed]:
    """What ``side`` sees: its own units and the enemy it may see, each on its hex or in its
    box (eliminated, a turn's reinforcements, an off-map area), reduced ones flipped, each
    with its markers on it (``markers``: the game's marker counters); and the Game Turn
    marker on the turn track."""
    from wargame.pbp.views import visible_units

    scenario = theatre.scenario
    has_map = theatre.map is not None
    boxes = layout.holding_boxes(scenario, has_map)
    places = layout.box_places(boxes)
    arriving = {e.unit: e.turn for e in scenario.setup}
    kinds = marker_pieces(markers)
    out = []
    for unit_id, piece in sorted(visible_units(state, side).items()):
        unit = theatre.unit(unit_id)
        box = None
        if piece.on_map and has_map:
            x, y = layout.hex_pixel(piece.at)
            map_name, where = layout.MAIN_MAP, piece.hex
        elif piece.box == ELIMINATED:
            box = "eliminated"
        elif piece.box == POOL and arriving.get(unit_id):
            box = f"turn-{arriving[unit_id]}"
        elif piece.box in places:
            box = piece.box
        else:
            continue  # withdrawn, or waiting to be called: on no board
        if box is not None:
            (x, y), map_name, where = places[box], layout.BOXES_MAP, box
        out.append(Placed(unit_id, theatre.catalog.units[unit_id].name, map_name, x, y,
                          piece.steps < unit.steps and piece.alive, where))
        for name in piece.markers if piece.alive else ():
            known = kinds.get(name.casefold())
            if known is not None:
                key, _, front, _, back_up = known
                out.append(Placed(f"{unit_id}.{key}", front, map_name, x, y, back_up, where))
    track = f"track-{min(state.turn, scenario.turns)}"
    if track in places:
        out.append(Placed(GAME_TURN, "Game Turn", layout.BOXES_MAP, *places[track], False,
                          track))
    return out


def write_vsav(theatre, state, side: str, target: Path, markers=()) -> list[Placed]:
    """The side's saved game: one piece per placement, stacked by where it stands (a unit's
    markers above it)."""
    placed = placements(theatre, state, side, markers)
    looks = {key: (image, back) for key, image, _, back, _ in marker_pieces(markers).values()}
    commands, stacks = [], {}
    for gpid, p in enumerate(placed, start=100):
        key = p.piece.split(".", 1)[1] if "." in p.piece else None
        image, back = looks.get(key, (p.piece, None))
        if p.piece == GAME_TURN:
            back = "Game Turn (back)"
        unit = theatre.catalog.units.get(p.piece)
        definition = piece_for(p.name, image, gpid, back_name=back, back_up=p.back_up,
                               at=(p.map, p.x, p.y),
                               faction=unit.faction if unit is not None else None)
        _, type_, state_text = decode(definition[2:], "/")
        commands.append(savedgame.add_piece(savedgame.SavedPiece(p.piece, type_, state_text)))
        stacks.setdefault((p.map, p.x, p.y), []).append(p.piece)
    for index, ((map_name, x, y), ids) in enumerate(stacks.items()):
        commands.append(savedgame.stack(f"stack-{index + 1}", map_name, x, y, ids))
    scenario = theatre.scenario
    # the Turn button's counter shows the game's turn, as the marker on the track does
    commands.append(savedgame.set_turn(min(state.turn, scenario.turns), scenario.turns))
    description = f"{scenario.name}: {scenario.subtitle}".strip(": ")
    savedgame.write_saved_game(target, commands, module_data(scenario.name, description),
                               module_data(scenario.name, f"{side}, turn {state.turn}"))
    return placed


def read_vsav(theatre, path: Path) -> dict[str, tuple[str, bool]]:
    """What a saved game shows: piece id -> (hex number or box id, back up)."""
    boxes = layout.holding_boxes(theatre.scenario, theatre.map is not None)
    out = {}
    for piece_id, piece in savedgame.added_pieces(savedgame.read_commands(path)).items():
        types, states = split_chain(piece.type, piece.state)
        basic = decode(states[-1], ";")
        layer = next((s for t, s in zip(types, states) if t.startswith("emb2;")), "1")
        out[piece_id] = (_where(theatre, boxes, basic[0], float(basic[1]), float(basic[2])),
                         layer == "2")
    return out


def _where(theatre, boxes, map_name: str, x: float, y: float) -> str:
    if map_name == layout.MAIN_MAP and theatre.map is not None:
        return hex_id(layout.pixel_hex(x, y))
    box = layout.box_at(boxes, x, y)
    return box.id if box is not None else "offboard"


def orders_from_log(theatre, state, side: str, path: Path) -> tuple[list[str], list[str]]:
    """A side's moves in a VASSAL log as order lines, and notes on what was not an order
    (other sides' pieces moved, pieces moved into boxes)."""
    from wargame.pbp.views import visible_units

    boxes = layout.holding_boxes(theatre.scenario, theatre.map is not None)
    pieces = state.play.position.pieces
    visible = visible_units(state, side)
    paths: dict[str, list[str]] = {}
    notes = []
    for move in savedgame.moves_of(savedgame.read_commands(path)):
        unit_id = move.piece
        if unit_id == GAME_TURN or "." in unit_id:
            continue  # markers: the rules place and remove them
        if unit_id not in pieces:
            notes.append(f"piece {move.piece} is no unit of this game: not an order")
            continue
        if pieces[unit_id].side != side:
            if unit_id in visible:
                notes.append(f"{theatre.name(unit_id)} is not {side}'s: its move is not an "
                             "order")
            continue
        where = _where(theatre, boxes, move.map, move.x, move.y)
        if parse_hex(where) is None:
            box = {b.id: b.name for b in boxes}.get(where, where)
            notes.append(f"{theatre.name(unit_id)} was put in {box}: not an order (the "
                         "rules move units to boxes)")
            continue
        trail = paths.setdefault(unit_id, [])
        if not trail or trail[-1] != where:
            trail.append(where)
    lines = []
    for unit_id, trail in paths.items():
        piece = pieces[unit_id]
        if not piece.on_map:
            lines.append(f"enter {unit_id} at {trail[0]}")
            start, trail = trail[0], trail[1:]
        else:
            start = piece.hex
        if trail and trail[-1] == start and len(trail) == 1:
            continue  # put back where it stood
        hexes = [start] + trail
        if trail and all(adjacent(parse_hex(a), parse_hex(b)) for a, b in zip(hexes, hexes[1:])):
            lines.append(f"move {unit_id} " + " ".join(trail))
        elif trail:
            lines.append(f"move {unit_id} to {trail[-1]}")
    return lines, notes
