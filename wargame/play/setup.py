"""Setting up: every unit that starts on the map gets a hex of its zone that keeps the
stacking limit (4.1), holds no enemy unit (4.2), is land for ground units, sea or a port for
ships, and an airfield for aircraft (8.0). The same placement is printed in the booklet and
used by `wargame game new`, so the table and the game agree."""

from __future__ import annotations

from wargame.maps.hexgrid import Hex, centre, hex_id, parse_hex
from wargame.play.hexsets import control_at_start
from wargame.play.position import POOL, Piece, Position
from wargame.play.theatre import Theatre
from wargame.play.zoc import BLOCKING, room_for


class SetupError(Exception):
    """A set-up the rules do not allow: (set-up index, case, message)."""

    def __init__(self, index: int, case: str, message: str):
        self.index, self.case, self.message = index, case, message
        super().__init__(f"setup[{index}]: {case}: {message}")


def fits(theatre: Theatre, position: Position, unit_id: str, side: str, hex_: Hex) -> str:
    """Why a unit may not stand in a hex at set-up or arrival ("" when it may): the case and
    the reason."""
    game_map = theatre.need_map()
    play = theatre.play
    domain = theatre.domain(unit_id)
    if hex_ not in game_map:
        return f"{play.movement.case}: hex {hex_id(hex_)} is not on the map"
    if domain in BLOCKING and not game_map.is_land(hex_):
        water = "a lake" if game_map.terrain.get(hex_) == "lake" else "all sea"
        return f"{play.movement.prohibited_case}: hex {hex_id(hex_)} is {water}"
    if domain == "naval" and game_map.is_land(hex_) and hex_ not in theatre.ports:
        return f"{play.movement.prohibited_case}: hex {hex_id(hex_)} is land and no port"
    if domain == "air" and hex_ not in theatre.airfields:
        return (f"{play.air.case}: aircraft stand on airfields or in holding boxes, and hex "
                f"{hex_id(hex_)} has no airfield")
    if domain in BLOCKING:
        for other in position.units_at(hex_):
            if position[other].side != side and theatre.domain(other) in BLOCKING:
                return (f"{play.stacking.enemy_case}: hex {hex_id(hex_)} holds "
                        f"{theatre.name(other)} of the other side")
    if not room_for(theatre, position, hex_, side, unit_id):
        from wargame.play.zoc import stacking_excess

        return f"{play.stacking.case}: {stacking_excess(theatre, position, hex_, side, (unit_id,))}"
    return ""


def candidates(theatre: Theatre, zone_id: str) -> list[Hex]:
    """A zone's hexes from its middle outwards (the order units are placed in)."""
    game_map = theatre.need_map()
    hexes = game_map.zone_hexes(zone_id)
    if not hexes:
        return []
    anchor = game_map.anchor_hex(zone_id)
    ax, ay = centre(anchor)
    return sorted(hexes, key=lambda h: ((centre(h)[0] - ax) ** 2 + (centre(h)[1] - ay) ** 2,
                                        h))


def place(theatre: Theatre, position: Position, unit_id: str, side: str, zone_id: str,
          exact: str = "") -> Hex:
    """The hex a unit takes in its zone (raises SetupError's message as ValueError)."""
    if exact:
        hex_ = parse_hex(exact)
        why = fits(theatre, position, unit_id, side, hex_)
        if why:
            raise ValueError(why)
        return hex_
    reasons = []
    for hex_ in candidates(theatre, zone_id):
        why = fits(theatre, position, unit_id, side, hex_)
        if not why:
            return hex_
        reasons.append(why)
    area = theatre.scenario.area(zone_id)
    worst = _most_telling(reasons)
    raise ValueError(f"{worst.split(':')[0]}: no hex of zone {area.code} ({area.name}) can "
                     f"take {theatre.name(unit_id)}: {worst.split(': ', 1)[1]} (and every "
                     "other hex of the zone likewise); add hexes to the zone or set the unit "
                     "up elsewhere")


def _most_telling(reasons: list[str]) -> str:
    # a full zone says more than "all sea": name the stacking or enemy problem first
    for prefix in ("4.", "8."):
        for reason in reasons:
            if reason.startswith(prefix):
                return reason
    return reasons[0] if reasons else "4.1: the zone has no hexes"


def initial_position(theatre: Theatre) -> Position:
    """Every unit of the game at the start: on its set-up hex, in its holding box, or in
    the pool of units still to arrive."""
    position = Position({}, control_at_start(theatre) if theatre.map is not None else {})
    for index, entry in enumerate(theatre.scenario.setup):
        if entry.unit not in theatre.entries:
            continue
        unit = theatre.unit(entry.unit)
        side = theatre.unit_side[entry.unit]
        steps = unit.steps - (1 if entry.reduced else 0)
        area = theatre.scenario.area(entry.area)
        if entry.turn > 0:
            position.put(Piece(entry.unit, side, steps, box=POOL))
            continue
        if area.offmap or theatre.map is None:
            position.put(Piece(entry.unit, side, steps, box=area.id))
            continue
        try:
            hex_ = place(theatre, position, entry.unit, side, entry.area, entry.hex)
        except ValueError as exc:
            case, _, message = str(exc).partition(": ")
            raise SetupError(index, case, message) from None
        position.put(Piece(entry.unit, side, steps, hex=hex_id(hex_)))
    for piece in position.pieces.values():
        if piece.on_map and theatre.domain(piece.unit) in BLOCKING:
            position.control[piece.at] = piece.side
    return position


def check_setup(scenario, catalog, rules, game_map, play) -> list[tuple[str, str]]:
    """(key path, message) for a set-up that breaks the series rules, with every option
    chosen: no room in a zone (4.1), enemy units in one hex (4.2), aircraft off an airfield
    (8.0), a reinforcement whose zone the other side holds at the start (14.1)."""
    theatre = Theatre(scenario, catalog, rules, play, game_map,
                      [option.id for option in scenario.options])
    return setup_problems(theatre)


def setup_problems(theatre: Theatre) -> list[tuple[str, str]]:
    """The problems of :func:`check_setup` for one theatre."""
    out = []
    try:
        position = initial_position(theatre)
    except SetupError as exc:
        return [(f"setup[{exc.index}]", f"{exc.case}: {exc.message}")]
    control = position.control
    for index, entry in enumerate(theatre.scenario.setup):
        if entry.unit not in theatre.entries or entry.turn == 0:
            continue
        area = theatre.scenario.area(entry.area)
        if area.offmap:
            continue
        side = theatre.unit_side[entry.unit]
        hexes = theatre.zone_hexes(entry.area)
        if entry.hex:
            hexes = [parse_hex(entry.hex)]
        enemy = [h for h in hexes if control.get(h) not in (None, side)]
        if hexes and len(enemy) == len(hexes):
            out.append((f"setup[{index}].area", f"{theatre.play.reinforcements.case}: "
                        f"{theatre.name(entry.unit)} arrives in zone {area.code} on turn "
                        f"{entry.turn}, but the other side controls every hex of it at the "
                        "start: name a zone its own side holds"))
        if theatre.domain(entry.unit) == "air" and not any(h in theatre.airfields
                                                            for h in hexes):
            out.append((f"setup[{index}].area", f"{theatre.play.air.case}: aircraft arrive "
                        f"at an airfield or in a holding box, and zone {area.code} has no "
                        "airfield"))
    return out
