"""Naval gunfire (9.2): warships near a battle on the coast fire in it, for either side.

A warship of the attacker within the rules' reach of the defending hex gives the attack the
gunfire modifier; a warship of the defender within reach gives it the defensive one. Each
battle takes one warship a side (the strongest free one, by its factor, then by its id, so
nobody chooses), and a warship fires in as many battles a phase as the rules allow (one in
the series rules). Nothing is ordered: the ships fire from where their movement left them.
"""

from __future__ import annotations

from wargame.maps.hexgrid import Hex, distance, hex_id


def warships_near(theatre, position, side: str, target: Hex) -> list[str]:
    """The side's warships within reach of a hex, strongest first."""
    rules = theatre.play.gunfire
    if rules.reach <= 0 or theatre.map is None:
        return []
    found = []
    for piece in position.side_pieces(side):
        unit_id = piece.unit
        if not (piece.alive and piece.in_play and piece.on_map) or piece.carrier:
            continue
        if theatre.domain(unit_id) != "naval":
            continue
        fire = theatre.factors(unit_id, piece.steps).get(rules.factor, 0)
        if fire > 0 and distance(piece.at, target) <= rules.reach:
            found.append((-fire, unit_id))
    return [unit_id for _, unit_id in sorted(found)]


def gunfire(run, side: str, target: Hex, table_id: str) -> tuple[list, list[str]]:
    """(modifiers, ships that would fire) for a battle of ``side`` on ``target``: one warship
    of each side that has one in reach and free this phase. :func:`fired` books them once the
    battle is fought (an attack refused for its odds costs no ship its fire)."""
    from wargame.play.combat import _modifier

    theatre = run.theatre
    rules = theatre.play.gunfire
    known = theatre.rules.modifiers
    used = run.gunfire_used.setdefault(run.phase_key(), {})
    modifiers, ships = [], []
    for shooter, modifier_id, reason in ((side, rules.modifier, "naval gunfire"),
                                         (theatre.enemy(side), rules.defence_modifier,
                                          "the defender's naval gunfire")):
        spec = known.get(modifier_id) if modifier_id else None
        if spec is None or (spec.tables and table_id not in spec.tables):
            continue
        free = [u for u in warships_near(theatre, run.state.position, shooter, target)
                if used.get(u, 0) < rules.battles_per_ship]
        if not free:
            continue
        ship = free[0]
        ships.append(ship)
        where = run.state.position[ship].at
        modifiers.append(_modifier(theatre, modifier_id, f"{reason}: {theatre.name(ship)} in "
                                   f"{hex_id(where)} ({rules.case})"))
    return modifiers, ships


def fired(run, ships: list[str]) -> None:
    """Book the ships' fire in this phase."""
    used = run.gunfire_used.setdefault(run.phase_key(), {})
    for ship in ships:
        used[ship] = used.get(ship, 0) + 1
