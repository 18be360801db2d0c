"""The rules of play, one at a time: an order that breaks a rule is refused with the case it
breaks and what would be legal, and a legal order beside it is carried out. A second set of
rules of play, typed in as data, changes what the same orders do."""

from __future__ import annotations

from fractions import Fraction

import pytest

from wargame.engine.verifiable import HmacFaces
from wargame.loading.session import Session
from wargame.maps.hexgrid import distance, hex_id, parse_hex, side_key
from wargame.play.position import POOL, Piece, Position
from wargame.play.round import RoundInput, Run, run_round
from wargame.play.state import PlayState, Standing
from wargame.play.theatre import Theatre
from wargame.play.zoc import zoc_of

KEY = b"rules" * 8


@pytest.fixture(scope="module")
def korea():
    session = Session(None)
    return Theatre.of(session, "korea")


def position_of(theatre: Theatre, placed: dict[str, str]) -> PlayState:
    """Only the units named stand on the map (at the hex, or in the box named); every other
    unit waits in the pool. Control is the scenario's at the start."""
    from wargame.play.hexsets import control_at_start

    pieces = {}
    for unit_id in theatre.entries:
        side = theatre.unit_side[unit_id]
        steps = theatre.unit(unit_id).steps
        where = placed.get(unit_id)
        if where is None:
            pieces[unit_id] = Piece(unit_id, side, steps, box=POOL)
        elif parse_hex(where):
            pieces[unit_id] = Piece(unit_id, side, steps, hex=where)
        else:
            pieces[unit_id] = Piece(unit_id, side, steps, box=where)
    return PlayState(Position(pieces, control_at_start(theatre)))


def play(theatre, state, orders: dict[str, str], turn=5, round_=0, dice=True) -> Run:
    faces = (lambda label: HmacFaces(KEY, label)) if dice else None
    return run_round(theatre, state, RoundInput(turn, round_, orders), faces)


def refused(run: Run, line: int | None = None) -> list[dict]:
    return [b for k, b in run.events if k == "refused" and (line is None or b["line"] == line)]


def moved(run: Run, unit: str) -> list[dict]:
    return [b for k, b in run.events if k == "unit-change" and b["piece"]["unit"] == unit
            and b["cause"].get("by") in ("move", "exploit")]


def where(run: Run, unit: str) -> str:
    return run.state.position[unit].hex


# ---- movement ---------------------------------------------------------------------------

def test_6_1_the_allowance_pays_for_every_hex(korea):
    state = position_of(korea, {"kpa-3-div": "1614"})
    run = play(korea, state, {"kpa": "move KPA 3 Inf to 1620\nmove KPA 3 Inf to 1615"})
    first = refused(run, 1)
    assert first and first[0]["case"] == "6.1" and "its allowance is 4" in first[0]["reason"]
    assert "it can reach" in first[0]["legal"]
    assert where(run, "kpa-3-div") == "1615"


def test_6_4_roads_and_railways_cost_one_a_hex(korea):
    # 1721 to 1620 crosses a major river: 3 points off the road, 1 along the Kyongbu line
    assert korea.need_map().hexsides[side_key(parse_hex("1721"), parse_hex("1620"))] == \
        "major-river"
    state = position_of(korea, {"kpa-3-div": "1721"})
    run = play(korea, state, {"kpa": "move KPA 3 Inf to 1620"})
    assert moved(run, "kpa-3-div")[0]["cause"]["cost"] == "1"


def test_5_2_zones_of_control_stop_a_move(korea):
    state = position_of(korea, {"rok-7-div": "1514", "kpa-3-div": "1614", "kpa-4-div": "1716"})
    zoc = zoc_of(korea, state.position, "un")
    assert parse_hex("1515") in zoc and parse_hex("1614") in zoc
    run = play(korea, state, {"kpa": "move KPA 3 Inf 1515\nmove KPA 3 Inf 1615 1616\n"
                                     "move 4 Inf 1615 1515 1516"})
    zoc_to_zoc = refused(run, 1)[0]
    assert zoc_to_zoc["case"] == "5.2" and "leaves one enemy ZOC for another" in \
        zoc_to_zoc["reason"]
    leave = moved(run, "kpa-3-div")[0]
    assert leave["cause"]["path"] == ["1614", "1615", "1616"]
    assert Fraction(leave["cause"]["cost"]) == 3  # 1 + 1 to leave the ZOC, and 1
    stop = refused(run, 3)[0]
    assert stop["case"] == "5.2" and "must stop there" in stop["reason"]


def test_5_1_a_zoc_does_not_cross_a_major_river_or_reach_the_sea(korea):
    state = position_of(korea, {"rok-7-div": "1513"})
    zoc = zoc_of(korea, state.position, "un")
    assert parse_hex("1512") in zoc
    assert parse_hex("1514") not in zoc and parse_hex("1613") not in zoc  # across the Han


def test_4_1_stacking_and_4_2_enemy_units(korea):
    state = position_of(korea, {"kpa-3-div": "1615", "kpa-4-div": "1615", "kpa-1-div": "1616",
                                "kpa-107-tank": "1616", "kpa-109-tank": "1614",
                                "rok-7-div": "1618"})
    run = play(korea, state, {"kpa": "move KPA 1 Inf to 1615\nmove 107 Tk to 1615\n"
                                     "move 109 Tk to 1617\nmove 109 Tk 1615 1616 1617 1618"})
    third = refused(run, 1)[0]
    assert third["case"] == "4.1" and "2 divisions" not in third["reason"]
    assert "3 divisions or Chinese armies" in third["reason"]
    assert where(run, "kpa-107-tank") == "1615"  # the third unit, not a division: legal
    assert where(run, "kpa-109-tank") == "1617"
    enemy = refused(run, 4)
    assert enemy and enemy[0]["case"] in ("4.2", "6.1")


def test_4_2_a_unit_never_enters_an_enemy_hex(korea):
    state = position_of(korea, {"kpa-107-tank": "1616", "rok-7-div": "1618"})
    run = play(korea, state, {"kpa": "move 107 Tk to 1618"})
    refusal = refused(run)[0]
    assert refusal["case"] == "4.2" and "attack it" in refusal["legal"]


def test_6_2_a_unit_may_always_move_one_hex(korea):
    import attrs

    game_map = korea.need_map()
    # out of supply, a division has 2 movement points: a mountain costs it more than that
    start, mountain = next((a, b) for a in sorted(game_map.hexes()) if game_map.is_land(a)
                           for b in game_map.neighbours_on_map(a)
                           if game_map.terrain[b] == "mountain"
                           and (min(a, b), max(a, b)) not in korea.route_steps)
    state = position_of(korea, {"kpa-3-div": hex_id(start)})
    piece = state.position["kpa-3-div"]
    state.position.put(attrs.evolve(piece, markers=("out of supply",)))
    run = play(korea, state, {"kpa": f"move KPA 3 Inf {hex_id(mountain)}"})
    move = moved(run, "kpa-3-div")[0]
    assert move["cause"]["case"] == "6.2" and Fraction(move["cause"]["cost"]) > 2


def test_6_3_ground_units_stay_ashore(korea):
    game_map = korea.need_map()
    coast, sea = next((a, b) for a in sorted(game_map.hexes()) if game_map.is_land(a)
                      for b in game_map.neighbours_on_map(a) if not game_map.is_land(b))
    state = position_of(korea, {"kpa-3-div": hex_id(coast)})
    run = play(korea, state, {"kpa": f"move KPA 3 Inf {hex_id(sea)}"})
    assert refused(run)[0]["case"] == "6.3" and "all sea" in refused(run)[0]["reason"]


def test_6_5_units_in_a_holding_box_enter_at_its_entry_hexes(korea):
    state = position_of(korea, {"us-24-id": "japan", "us-25-div": "japan"})
    run = play(korea, state, {"un": "move 24 Mot to 2728\nenter 25 Mot at 1721"}, round_=1)
    assert moved(run, "us-24-id")[0]["cause"]["path"][0] == "2829"  # Pusan
    assert where(run, "us-24-id") == "2728"
    refusal = refused(run, 2)[0]
    assert refusal["case"] == "6.5" and "2829" in refusal["reason"]


def test_6_6_exploitation_is_for_armour_that_did_not_attack(korea):
    # 1618's neighbours: 1617, 1718, 1719, 1619, 1519, 1518
    state = position_of(korea, {"kpa-107-tank": "1617", "kpa-109-tank": "1614",
                                "kpa-3-div": "1519", "rok-7-div": "1618"})
    run = play(korea, state, {"kpa": "attack 1618 with 107 Tk, KPA 3 Inf\n"
                                     "exploit 107 Tk to 1616\nexploit KPA 3 Inf to 1520\n"
                                     "exploit 109 Tk to 1514"})
    cases = {b["line"]: (b["case"], b["reason"]) for b in refused(run)}
    assert 1 not in cases
    assert cases[2][0] == "6.6" and "attacked" in cases[2][1]
    assert cases[3][0] == "6.6" and "armoured" in cases[3][1]
    exploit = moved(run, "kpa-109-tank")
    assert exploit and exploit[0]["cause"]["by"] == "exploit"
    assert Fraction(exploit[0]["cause"]["cost"]) <= 4  # half of 9, rounded down


def test_14_1_a_reinforcement_moves_from_its_turn_on(korea):
    state = position_of(korea, {"kpa-3-div": "1614"})
    run = play(korea, state, {"kpa": "move 13 Inf to 0706"}, turn=1)
    assert refused(run)[0]["case"] == "14.1" and "arrives on turn 3" in refused(run)[0]["reason"]
    run = play(korea, state, {"kpa": "enter 13 Inf at 0605\nmove 15 Inf to 0807"}, turn=3)
    assert where(run, "kpa-13-div") == "0605"
    assert where(run, "kpa-15-div") == "0807"  # arrived, then moved in the same round


def test_3_1_each_order_in_the_round_of_its_phase(korea):
    state = position_of(korea, {"rok-7-div": "1618"})
    run = play(korea, state, {"un": "move ROK 7 Inf to 1619"}, round_=0)
    refusal = refused(run)[0]
    assert refusal["case"] == "3.1" and "not in this round" in refusal["reason"]
    run = play(korea, state, {"un": "move ROK 7 Inf to 1619"}, round_=1)
    assert where(run, "rok-7-div") == "1619"


def test_special_rule_restrictions_hold_a_unit(korea):
    rc4 = Theatre.of(Session(None), "rc4")
    from wargame.play.setup import initial_position

    state = PlayState(initial_position(rc4))
    run = play(rc4, state, {"french": "move Charton Inf to 1104"}, turn=2, round_=1)
    refusal = refused(run)[0]
    assert refusal["case"] == "special rule 'Evacuation of Cao Bang'"
    run = play(rc4, state, {"french": "move Charton Inf to 1104"}, turn=3, round_=1)
    assert where(run, "fr-charton") == "1104"


# ---- combat -----------------------------------------------------------------------------

def test_7_1_who_may_attack(korea):
    # 1618's neighbours: 1617, 1718, 1719, 1619, 1519, 1518; 1617 is also next to 1718
    state = position_of(korea, {"kpa-3-div": "1617", "kpa-4-div": "1519", "kpa-1-div": "1620",
                                "rok-7-div": "1618", "rok-2-div": "1718"})
    run = play(korea, state, {"kpa": "attack 1618 with KPA 1 Inf\n"
                                     "attack 1618 with KPA 3 Inf\n"
                                     "attack 1618 with 4 Inf\n"
                                     "attack 1718 with KPA 3 Inf\n"
                                     "attack 1520 with 4 Inf"})
    cases = {b["line"]: b for b in refused(run)}
    assert cases[1]["case"] == "7.1" and "not next to 1618" in cases[1]["reason"]
    assert 2 not in cases  # the legal one
    assert cases[3]["case"] == "7.1" and "attacked already" in cases[3]["reason"]
    assert cases[4]["case"] == "7.1" and "has attacked already" in cases[4]["reason"]
    assert cases[5]["case"] == "7.1" and "no enemy unit" in cases[5]["reason"]
    rolls = [b for k, b in run.events if k == "roll"]
    assert len(rolls) == 1 and rolls[0]["attackers"] == ["kpa-3-div"]


def test_7_3_odds_below_the_table_are_refused(korea):
    state = position_of(korea, {"kpa-5-bc-bde": "1617", "us-24-id": "1618"})
    run = play(korea, state, {"kpa": "attack 1618 with 5BC Sec"})
    refusal = refused(run)[0]
    assert refusal["case"] == "7.3" and "below the lowest column" in refusal["reason"]


def test_the_battle_is_read_from_the_map_and_the_scenario(korea):
    """Terrain of the defender's hex, the river every attacker crosses, the scenario's own
    modifiers (surprise on turn 1, no anti-tank against the ROK): nothing typed."""
    state = position_of(korea, {"kpa-3-div": "1412", "kpa-107-tank": "1412",
                                "rok-7-div": "1413"})
    run = play(korea, state, {"kpa": "attack 1413 with KPA 3 Inf, 107 Tk"}, turn=1,
               dice=False)
    battle = run.previews[0]
    text = " ".join(battle["explanation"])
    assert "Major river" in text and "hexside 1412/1413" in text
    assert "Surprise" in text and "without anti-tank" in text


# ---- results ----------------------------------------------------------------------------

def _result(theatre, code: str):
    return theatre.rules.tables["land"].result(code)


def _carry(theatre, state, attack_hex, attackers, code, side="kpa", advance=()):
    from wargame.play.combat import Attack, defenders_in
    from wargame.play.results import carry_out

    run = Run(theatre, state, RoundInput(5, 0, {}), None)
    target = parse_hex(attack_hex)
    defenders = defenders_in(theatre, run.state.position, target, side)
    attack = Attack("T", side, tuple(attackers), target, tuple(defenders), "land",
                    tuple(advance))
    lines = carry_out(run, attack, _result(theatre, code), "T", "steps")
    return run, lines


def test_7_6_a_retreat_goes_the_owners_way_and_away_from_the_attackers(korea):
    state = position_of(korea, {"kpa-3-div": "1617", "rok-7-div": "1618"})
    state.standing["un"] = Standing([], {"rok-7-div": {"via": ["1619", "1620"]}})
    run, lines = _carry(korea, state, "1618", ["kpa-3-div"], "DR2")
    assert where(run, "rok-7-div") == "1620"
    assert distance(parse_hex("1620"), parse_hex("1618")) == 2


def test_7_6_the_owner_chooses_who_loses_the_step(korea):
    state = position_of(korea, {"kpa-3-div": "1617", "rok-7-div": "1618", "rok-2-div": "1618"})
    state.standing["un"] = Standing(["rok-2-div"], {})
    run, _ = _carry(korea, state, "1618", ["kpa-3-div"], "D1R")
    assert run.state.position["rok-2-div"].steps == 1
    assert run.state.position["rok-7-div"].steps == 2


def test_7_6_a_blocked_retreat_costs_a_step_a_hex(korea):
    game_map = korea.need_map()
    target = parse_hex("1618")
    ring = [hex_id(h) for h in game_map.neighbours_on_map(target) if game_map.is_land(h)]
    placed = {"rok-7-div": "1618"}
    kpa = ["kpa-1-div", "kpa-2-div", "kpa-3-div", "kpa-4-div", "kpa-5-div", "kpa-6-div"]
    for unit, hex_ in zip(kpa, ring):
        placed[unit] = hex_
    state = position_of(korea, placed)
    run, lines = _carry(korea, state, "1618", kpa[:1], "DR")
    assert not run.state.position["rok-7-div"].alive or \
        run.state.position["rok-7-div"].steps == 1
    assert any("cannot retreat" in line for line in lines)


def test_5_3_a_retreat_into_an_enemy_zoc_costs_a_step(korea):
    # the only way back leads next to another KPA unit
    state = position_of(korea, {"kpa-3-div": "1617", "kpa-4-div": "1720", "kpa-1-div": "1619",
                                "rok-7-div": "1618"})
    run, lines = _carry(korea, state, "1618", ["kpa-3-div"], "DR")
    if run.state.position["rok-7-div"].hex:
        assert any("5.3" in line for line in lines) or run.state.position["rok-7-div"].steps < 2


def test_7_7_the_attackers_advance_into_the_emptied_hex(korea):
    state = position_of(korea, {"kpa-3-div": "1617", "kpa-107-tank": "1617",
                                "rok-7-div": "1618"})
    run, lines = _carry(korea, state, "1618", ["kpa-3-div", "kpa-107-tank"], "DR",
                        advance=("kpa-107-tank",))
    assert where(run, "kpa-107-tank") == "1618" and where(run, "kpa-3-div") == "1617"
    assert run.state.position.control[parse_hex("1618")] == "kpa"


# ---- air and supply ---------------------------------------------------------------------

def test_8_0_aircraft_fly_within_range_once_a_turn(korea):
    state = position_of(korea, {"feaf-f80-1": "japan", "feaf-f82": "japan",
                                "kpa-3-div": "1617"})
    run = play(korea, state, {"un": "air F-80/1 FB cap 1412\nair F-82 Ftr strike 2525\n"
                                    "air F-82 Ftr cap 2525"})
    cases = {b["line"]: b for b in refused(run)}
    assert cases[1]["case"] == "8.0" and "its range reaches 20" in cases[1]["reason"]
    assert 2 not in cases
    assert cases[3]["case"] == "8.0" and "one mission a turn" in cases[3]["reason"]


def test_8_4_a_carrier_flies_its_air_group_from_its_own_hex(korea):
    # Task Force 77 off Inchon reaches Pyongyang's airfield (0602) but not Pusan (2829);
    # a cruiser flies nothing; the carrier needs no airfield
    state = position_of(korea, {"usn-tf77": "0913", "uk-cruisers": "0912",
                                "kpa-3-div": "0602"})
    run = play(korea, state, {"un": "air TF 77 strike 0602\nair CS 5 strike 0602"})
    cases = {b["line"]: b for b in refused(run)}
    assert 1 not in cases
    assert cases[2]["case"] == "8.0" and "not an aircraft or an aircraft carrier" in \
        cases[2]["reason"]
    strike = next(b for k, b in run.events if k == "roll")
    assert strike["attackers"] == ["usn-tf77"] and strike["target"] == "0602"
    assert strike["explanation"][0] == "Attack: 5 (TF 77 CV)"  # its air group's strike factor
    far = play(korea, state, {"un": "air TF 77 cap 2829"})
    refusal = refused(far)[0]
    reach = korea.play.air.reach(korea.play.air.carrier_range, 16.0)
    assert refusal["case"] == "8.4" and f"its range reaches {reach}" in refusal["reason"]
    assert "hexes from TF 77 CV's hex" in refusal["reason"]


def _coast(korea, ships: dict[str, str]):
    # two ROK divisions on the east coast road, each attacked by a KPA division; 3022 is
    # the sea hex next to both defenders, 3021 next to 2922 only
    placed = {"kpa-5-div": "2924", "rok-3-div": "2923", "kpa-4-div": "2921",
              "rok-8-div": "2922", **ships}
    state = position_of(korea, placed)
    run = play(korea, state, {"kpa": "attack 2923 with 5 Inf\nattack 2922 with 4 Inf"},
               dice=False)
    assert not refused(run)
    return run.previews


def test_9_2_warships_fire_for_the_defender_once_a_phase(korea):
    bare = _coast(korea, {})
    one = _coast(korea, {"uk-cruisers": "3022"})
    assert not any("gunfire" in b for b in bare)
    # the cruiser fires in the first battle in reach, -1 to the KPA's die, and in no other
    assert one[0]["drm"] == bare[0]["drm"] - 1 and one[0]["gunfire"] == ["uk-cruisers"]
    assert "the defender's naval gunfire: CS 5 CA in 3022 (9.2)" in " ".join(
        one[0]["explanation"])
    assert one[1]["drm"] == bare[1]["drm"] and "gunfire" not in one[1]
    # a second warship in reach of the second battle fires there
    two = _coast(korea, {"uk-cruisers": "3022", "uk-destroyers": "3021"})
    assert two[1]["drm"] == bare[1]["drm"] - 1 and two[1]["gunfire"] == ["uk-destroyers"]
    # the strongest ship in reach fires first (the cruiser's gunnery 4 over the DF's 2)
    swapped = _coast(korea, {"uk-cruisers": "3021", "uk-destroyers": "3022"})
    assert swapped[0]["gunfire"] == ["uk-destroyers"]
    assert swapped[1]["gunfire"] == ["uk-cruisers"]
    # two hexes out is beyond reach
    assert not any("gunfire" in b for b in _coast(korea, {"uk-cruisers": "3122"}))


def test_9_2_warships_fire_for_the_attacker(korea):
    state = position_of(korea, {"rok-3-div": "2924", "kpa-5-div": "2923",
                                "uk-cruisers": "3022"})
    run = play(korea, state, {"un": "attack 2923 with ROK 3 Inf"}, round_=1, dice=False)
    battle = run.previews[0]
    assert battle["gunfire"] == ["uk-cruisers"]
    assert "naval gunfire: CS 5 CA in 3022 (9.2)" in " ".join(battle["explanation"])
    without = play(korea, position_of(korea, {"rok-3-div": "2924", "kpa-5-div": "2923"}),
                   {"un": "attack 2923 with ROK 3 Inf"}, round_=1, dice=False)
    assert battle["drm"] == without.previews[0]["drm"] + 1


def test_9_2_the_enemy_sees_the_ship_that_fired_on_it(korea):
    """The cruiser stands two hexes from every KPA unit, out of sight (15.2), until it fires
    in their battle."""
    from types import SimpleNamespace

    from wargame.pbp.views import visible_units

    state = position_of(korea, {"kpa-5-div": "2924", "rok-3-div": "2923",
                                "uk-cruisers": "3022"})
    assert distance(parse_hex("3022"), parse_hex("2924")) == 2
    run = play(korea, state, {"kpa": "attack 2923 with 5 Inf"})

    def seen(events):
        done = SimpleNamespace(resolved=True, key=(5, 0), events=events)
        game = SimpleNamespace(rounds={(5, 0): done}, play=run.state,
                               side_ids=lambda: ["kpa", "un"])
        return visible_units(game, "kpa")

    assert "uk-cruisers" in seen(run.events)
    assert seen(run.events)["uk-cruisers"].hex == "3022"
    quiet = [(k, {**b, "gunfire": []}) for k, b in run.events]
    assert "uk-cruisers" not in seen(quiet)


def test_13_2_out_of_supply_halves_movement_and_costs_a_step(korea):
    # a hex five hexes from any road or railway: no line of supply reaches it
    state = position_of(korea, {"kpa-3-div": "0918"})
    run = play(korea, state, {}, round_=1)  # the round with the supply phase
    piece = run.state.position["kpa-3-div"]
    assert "out of supply" in piece.markers and piece.out_of_supply == 1
    from wargame.play.movement import allowance

    assert allowance(korea, run.state.position, "kpa-3-div", 6)[0] == 2
    again = play(korea, run.state, {}, turn=6, round_=1)
    assert again.state.position["kpa-3-div"].steps == 1  # two supply phases in a row


# ---- the rules are data ------------------------------------------------------------------

SECOND_RULES = """
turn = [
  { kind = "reinforcement", player = "both" },
  { kind = "movement", player = "first" },
  { kind = "combat", player = "first" },
  { kind = "movement", player = "second" },
  { kind = "combat", player = "second" },
  { kind = "supply", player = "both" },
  { kind = "victory", player = "both" },
]
[stacking]
limit = 2
[zoc]
kind = "none"
[movement]
route_cost = 0.5
"""


def test_a_second_ruleset_changes_what_the_same_orders_do(korea, game):
    (game / "rules" / "play.toml").write_text(SECOND_RULES, encoding="utf-8")
    other = Theatre.of(Session(str(game)), "korea")
    assert other.play.stacking.limit == 2 and other.play.zoc.kind == "none"
    orders = {"kpa": "move KPA 3 Inf 1515\nmove KPA 1 Inf to 1616\nmove 107 Tk to 1616\n"
                     "move 4 Inf to 1721"}
    placed = {"rok-7-div": "1514", "kpa-3-div": "1614", "kpa-1-div": "1617",
              "kpa-107-tank": "1615", "kpa-6-div": "1616", "kpa-4-div": "1417"}
    standard = play(korea, position_of(korea, placed), orders)
    changed = play(other, position_of(other, placed), orders)
    # ZOC to ZOC: refused by 5.2 in the series, carried out without zones of control
    assert refused(standard, 1)[0]["case"] == "5.2"
    assert where(changed, "kpa-3-div") == "1515"
    # a third unit in 1616 (two divisions and a tank): legal at 3, refused at 2
    assert where(standard, "kpa-107-tank") == "1616"
    assert refused(changed, 3)[0]["case"] == "4.1"
    # half-point roads: a division covers twice the railway
    assert len(moved(changed, "kpa-4-div")[0]["cause"]["path"]) > \
        len((moved(standard, "kpa-4-div") or [{"cause": {"path": []}}])[0]["cause"]["path"])


def test_check_names_the_case_of_each_refused_order(cli, tmp_path):
    from wargame.pbp.game import Game

    assert cli("game", "new", "korea", str(tmp_path / "g")).code == 0
    run = cli("game", "check", str(tmp_path / "g"), "--side", "kpa", "--orders",
              "move KPA 3 Inf to 2829\nmarch 4 Inf to 1610\nattack 1110 with KPA 1 Inf, "
              "KPA 6 Inf")
    assert run.code == 2
    assert "line 1: 6.1: KPA 3 Inf from 1608 to 2829 costs" in run.out
    assert 'line 2: 15.3: "march" is not an order' in run.out
    assert "T01a/C1 line 3: land" in run.out  # the legal attack, with its odds
    assert Game(tmp_path / "g").state().count == 1  # checking writes nothing


def test_orders_name_units_as_their_counters_do(korea):
    from wargame.play.orders import parse_orders

    orders = parse_orders(korea, "un", "- move ROK 7 Inf to 1618\n* move rok-2-div 1413 1414\n"
                                       "1. attack 1618 with 24 Mot and ROK 7 Inf\n"
                                       "move 7 to 1618\nmove KPA 3 Inf to 1618\n"
                                       "# a comment\n\nlosses Cap Inf, 8 Inf")
    parsed = {o.line: o for o in orders.orders}
    assert parsed[1].unit == "rok-7-div" and parsed[1].to == parse_hex("1618")
    assert parsed[2].unit == "rok-2-div" and parsed[2].path == (parse_hex("1413"),
                                                                parse_hex("1414"))
    assert parsed[3].units == ("us-24-id", "rok-7-div")
    assert parsed[8].units == ("rok-cap-div", "rok-8-div")
    errors = {number: refusal for number, _, refusal in orders.errors}
    assert "could be any of" in errors[4].reason  # ROK 7 Inf or US 7 Mot
    assert "is not a unit of this side" in errors[5].reason
