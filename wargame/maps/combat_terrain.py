"""The terrain a battle is fought in, read from the map: the defender's hex, the symbols in
it (town, fortifications, beach) and the hexside every attacker crosses (a river)."""

from __future__ import annotations

from wargame.errors import UsageError
from wargame.maps.hexgrid import adjacent, hex_id, parse_hex, side_id, side_key
from wargame.maps.model import GameMap

#: Hexsides from the mildest to the hardest to attack across.
_CROSSINGS = ("river", "major-river", "strait")


def battle_terrain(game_map: GameMap, defender: str, attackers: list[str]) -> list[tuple[str, str]]:
    """(terrain id, where) for each terrain that applies; raises UsageError for hexes that
    are not on the map or not next to the defender."""
    target = _on_map(game_map, defender, "--hex")
    froms = [_on_map(game_map, text, "--from") for text in attackers]
    for origin in froms:
        if not adjacent(origin, target):
            raise UsageError(f"--from {hex_id(origin)}: not next to the defender's hex "
                             f"{hex_id(target)}")
    out = [(game_map.terrain[target], f"hex {hex_id(target)}")]
    out += [(kind, f"hex {hex_id(target)}") for kind in game_map.features.get(target, ())]
    if froms:
        crossed = [game_map.hexsides.get(side_key(origin, target)) for origin in froms]
        if all(kind in _CROSSINGS for kind in crossed):
            # every attacker crosses: the mildest of the crossings applies to the attack
            mildest = min(crossed, key=_CROSSINGS.index)
            sides = ", ".join(side_id(o, target) for o in froms)
            out.append((mildest, f"hexside {sides}"))
    return out


def _on_map(game_map: GameMap, text: str, option: str):
    hex_ = parse_hex(text.strip())
    if hex_ is None or hex_ not in game_map:
        raise UsageError(f'{option}: "{text}" is not a hex of map "{game_map.info.id}" '
                         f"(CCRR from 0101 to {game_map.info.cols:02d}{game_map.info.rows:02d})")
    return hex_
