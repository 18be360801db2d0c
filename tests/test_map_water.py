"""Water on the bundled maps behaves like water: every river runs unbroken to the sea or to
the river it joins, straits and estuaries are hexsides the movement rules charge, lakes are
water, and the terrain follows the land (a plain under a range is no mountain)."""

from __future__ import annotations

from collections import deque

import pytest

from wargame.loading.session import Session
from wargame.maps.hexgrid import (corner_key, distance, hexes_at_corner, neighbours, parse_hex,
                                  side_corners, side_key)
from wargame.maps.projection import MapFrame
from wargame.play.movement import step_cost
from wargame.play.theatre import Theatre

MAPS = ("korea", "strait", "hainan", "shanghai", "rc4")
RIVERS = {"river", "major-river"}
WATER_SIDES = RIVERS | {"strait"}


@pytest.fixture(scope="module")
def session():
    return Session(None)


def _corners(sides):
    graph: dict = {}
    for a, b in sides:
        p, q = (corner_key(*point) for point in side_corners(a, b))
        graph.setdefault(p, set()).add(q)
        graph.setdefault(q, set()).add(p)
    return graph


def _components(graph):
    seen, out = set(), []
    for start in graph:
        if start in seen:
            continue
        part, queue = set(), deque([start])
        while queue:
            corner = queue.popleft()
            if corner in part:
                continue
            part.add(corner)
            queue.extend(graph[corner] - part)
        seen |= part
        out.append(part)
    return out


def _at_edge(corners, game_map) -> bool:
    return any(h not in game_map for corner in corners for h in hexes_at_corner(corner))


def _reaches_water(corners, game_map) -> bool:
    """A corner on the sea, a lake, the map's edge (the river leaves the map) or a strait."""
    straits = _corners([s for s, kind in game_map.hexsides.items() if kind == "strait"])
    return any(corner in straits or any(not game_map.is_land(h) or h not in game_map
                                        for h in hexes_at_corner(corner))
               for corner in corners)


@pytest.mark.parametrize("name", MAPS)
def test_every_named_river_is_unbroken_and_reaches_the_sea_or_its_river(session, name):
    game_map = session.maps[name]
    named = [group for group in game_map.source.hexsides if group.name]
    assert named or name == "rc4"
    for group in named:
        sides = [tuple(parse_hex(h) for h in text.split("/")) for text in group.sides]
        graph = _corners(sides)
        parts = _components(graph)
        # one piece, or pieces that each leave the map (a river may run out and back in)
        assert len(parts) == 1 or all(_at_edge(part, game_map) for part in parts), \
            f"{group.name} is broken in {len(parts)} pieces"
        others = _corners([s for s, kind in game_map.hexsides.items() if kind in RIVERS
                           and s not in {side_key(*pair) for pair in sides}])
        joins = set(graph) & set(others)
        assert _reaches_water(graph, game_map) or joins, group.name


@pytest.mark.parametrize("name", MAPS)
def test_every_river_system_on_the_map_reaches_the_sea(session, name):
    """Rivers that join are one system; each system ends at the sea, a strait or the edge."""
    game_map = session.maps[name]
    graph = _corners([s for s, kind in game_map.hexsides.items() if kind in RIVERS])
    stranded = [sorted(part)[:2] for part in _components(graph)
                if not _reaches_water(part, game_map)]
    assert not stranded


def _hex_of(game_map, lon, lat):
    return MapFrame(game_map.info).hex_at(lon, lat)


def _place(game_map, name):
    return next(parse_hex(p.hex) for p in game_map.places if p.name == name)


def _dry_reach(game_map, start, limit=None):
    """Land hexes reachable from ``start`` without crossing a water hexside (within
    ``limit`` hexes of it, if given)."""
    seen, queue = {start}, deque([start])
    while queue:
        hex_ = queue.popleft()
        for other in neighbours(hex_):
            if other in seen or other not in game_map or not game_map.is_land(other):
                continue
            if game_map.hexsides.get(side_key(hex_, other)) in WATER_SIDES:
                continue
            if limit is not None and distance(start, other) > limit:
                continue
            seen.add(other)
            queue.append(other)
    return seen


def test_amoy_to_quemoy_is_a_strait_crossing_and_costs_it(session):
    theatre = Theatre.of(session, "strait")
    game_map = theatre.need_map()
    amoy, quemoy = _place(game_map, "Amoy"), _place(game_map, "Quemoy")
    assert game_map.hexsides[side_key(amoy, quemoy)] == "strait"
    terrain = session.rules.terrain
    into = terrain[game_map.terrain[quemoy]].movement_cost
    assert step_cost(theatre, amoy, quemoy, "ground") == into + terrain["strait"].movement_cost


def test_kaesong_to_kimpo_crosses_the_han_estuary(session):
    game_map = session.maps["korea"]
    kaesong, kimpo = _place(game_map, "Kaesong"), _place(game_map, "Kimpo")
    assert kimpo not in _dry_reach(game_map, kaesong, limit=6)


def test_the_yangtze_estuary_parts_its_shores_and_chongming_is_an_island(session):
    game_map = session.maps["shanghai"]
    nantung, shanghai = _place(game_map, "Nantung"), _place(game_map, "Shanghai")
    assert shanghai not in _dry_reach(game_map, nantung)
    chongming = _hex_of(game_map, 121.45, 31.62)
    assert game_map.is_land(chongming)
    island = _dry_reach(game_map, chongming)
    assert nantung not in island and shanghai not in island and len(island) <= 3


def test_lake_tai_is_water_no_troops_enter(session):
    theatre = Theatre.of(session, "shanghai")
    game_map = theatre.need_map()
    lake = _hex_of(game_map, 120.22, 31.2)
    assert game_map.terrain[lake] == "lake" and not game_map.is_land(lake)
    shore = next(h for h in neighbours(lake) if h in game_map and game_map.is_land(h))
    assert step_cost(theatre, shore, lake, "ground") is None


def test_roads_take_a_ferry_only_where_there_is_no_way_round(session):
    """A route crosses a strait only to reach land it cannot reach dry (Amoy is an island),
    and the crossing costs the strait in full (6.4)."""
    ferries = 0
    for name in MAPS:
        theatre = Theatre.of(session, name)
        game_map = theatre.need_map()
        for route in game_map.routes:
            path = [parse_hex(h) for h in route.hexes]
            for a, b in zip(path, path[1:]):
                if game_map.hexsides.get(side_key(a, b)) != "strait":
                    continue
                ferries += 1
                assert b not in _dry_reach(game_map, a, limit=8), (name, route.name)
                full = (session.rules.terrain[game_map.terrain[b]].movement_cost
                        + session.rules.terrain["strait"].movement_cost)
                assert step_cost(theatre, a, b, "ground") == full
    assert ferries  # the Fujian coast road reaches Amoy by ferry


def test_plains_under_a_range_are_not_mountain_and_the_range_is(session):
    game_map = session.maps["strait"]
    for text in ("2226", "2227", "2228", "2918"):  # the Pingtung plain; Hualien
        assert game_map.terrain[parse_hex(text)] != "mountain", text
    # the Central Range along 121 E, Yushan to Hehuan
    for lat in (23.1, 23.47, 23.8, 24.1):
        assert game_map.terrain[_hex_of(game_map, 121.0, lat)] == "mountain", lat


def test_an_order_into_lake_tai_is_refused_with_its_case(session):
    from wargame.play.movement import Mover
    from wargame.play.position import Piece, Position

    theatre = Theatre.of(session, "shanghai")
    game_map = theatre.need_map()
    lake = _hex_of(game_map, 120.22, 31.2)
    shore = next(h for h in neighbours(lake) if h in game_map and game_map.is_land(h))
    unit = next(u for u in theatre.entries if theatre.domain(u) == "ground")
    side = theatre.unit_side[unit]
    position = Position({unit: Piece(unit, side, 1, hex=f"{shore[0]:02d}{shore[1]:02d}")}, {})
    refusal = Mover(theatre, position, unit, 6)._refuse_step(shore, lake, True)
    assert refusal is not None and refusal.case == "6.3" and "a lake" in refusal.reason


def test_a_strait_stops_zones_of_control_and_weakens_the_attack_across_it(session):
    """Zones of control do not reach across a strait (5.1's blocked hexsides) and an attack
    from Amoy on Quemoy fights with the strait's effects."""
    from wargame.maps.combat_terrain import battle_terrain
    from wargame.maps.hexgrid import hex_id
    from wargame.play.position import Piece, Position
    from wargame.play.zoc import zoc_of

    theatre = Theatre.of(session, "strait")
    game_map = theatre.need_map()
    amoy, quemoy = _place(game_map, "Amoy"), _place(game_map, "Quemoy")
    unit = next(u for u in theatre.entries if theatre.domain(u) == "ground"
                and theatre.factors(u, theatre.unit(u).steps).get("attack", 0) > 0)
    side = theatre.unit_side[unit]
    position = Position({unit: Piece(unit, side, theatre.unit(unit).steps, hex=hex_id(amoy))},
                        {})
    zone = zoc_of(theatre, position, side)
    assert quemoy not in zone
    # Amoy is an island: its garrison's zone reaches no shore; on the mainland it would
    shore = next(n for n in neighbours(amoy) if n in game_map and game_map.is_land(n))
    assert game_map.hexsides[side_key(amoy, shore)] == "strait" and not zone
    ashore = Position({unit: Piece(unit, side, theatre.unit(unit).steps, hex=hex_id(shore))},
                      {})
    assert zoc_of(theatre, ashore, side)
    kinds = [kind for kind, _ in battle_terrain(game_map, hex_id(quemoy), [hex_id(amoy)])]
    assert "strait" in kinds
