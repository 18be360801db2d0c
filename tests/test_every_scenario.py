"""Every scenario played from the first turn to a winner by the rules, with the mechanics
that scenario turns on: the Korean air war, the junks crossing to Hainan and landing, the
airborne drop and the crossing to Taiwan, the raids on Shanghai's power stations, the
guerrillas and the posts along Route Coloniale 4. Orders are typed in the orders format;
rounds without orders are played with none. Each game ends with the verdict the victory
conditions give, and its record verifies."""

from __future__ import annotations

import pytest

from policies import generic_orders
from wargame.loading.session import Session
from wargame.pbp import crypto
from wargame.pbp.game import Game
from wargame.pbp.record import Event
from wargame.pbp.verify import verify_events
from wargame.play.victory import History, standing

#: (turn, round, side) -> orders; every other round is played with what generic_orders
#: writes for a side that is told to fight (None) or with no orders at all.
SCRIPTS = {
    "hainan": {
        (1, 1, "pla"): "move 118 Inf to 1409\nembark 118 Inf on J1 Junk, J2 Junk, J3 Junk\n"
                       "move 119 Inf to 1409\nembark 119 Inf on J4 Junk, J5 Junk, J6 Junk\n"
                       "raid 1112 with Ind Gu",
        (2, 1, "pla"): "move J1 Junk to 1111\nland 118 Inf at 1112\nmove J4 Junk to 1010\n"
                       "land J4 Junk at 1011",
    },
    "strait": {
        (1, 1, "pla"): "embark 20 Inf on F1 Junk, F2 Junk\nembark 23 Inf on F3 Junk, F4 Junk\n"
                       "drop 89/1 Abn at 2414\nair MiG/1 Jet cap 2413\nair MiG/2 Jet cap 2413",
        (2, 1, "pla"): "move F1 Junk to 1912\nmove F3 Junk to 1912",
        (3, 1, "pla"): "move F1 Junk to 2313\nland 20 Inf at 2413\nmove F3 Junk to 2313\n"
                       "land F3 Junk at 2413\nair MiG/1 Jet cap 2413\nair MiG/2 Jet cap 2413",
    },
    "shanghai": {
        (turn, 1, "raiders"): "air B-24 Bmr strike 0805 yangshupu\n"
                              "air B-25 Bmr strike 0805 zhabei\nair P-51/1 FB cap 0805"
        for turn in range(1, 21)
    },
    "rc4": {
        (1, 1, "viet-minh"): "raid 1103 with Reg1 Gu",
    },
}
FIGHTING = {"korea": ("kpa", "un"), "rc4": ("viet-minh", "french")}


def _orders(theatre, state, scenario_id: str) -> dict[str, str]:
    script = SCRIPTS.get(scenario_id, {})
    out = {}
    for side in state.side_ids():
        key = (state.turn, state.round + 1, side)
        if key in script:
            out[side] = script[key]
        elif side in FIGHTING.get(scenario_id, ()):
            out[side] = generic_orders(theatre, state, side)
    return out


def pinned_secrets(monkeypatch, seed: str) -> None:
    """The umpire's secret and the game id from ``seed``: the same game every run (its dice
    are the protocol's, from the seed chain and the players' nonces)."""
    import hashlib
    import secrets

    monkeypatch.setattr(secrets, "token_bytes",
                        lambda n: hashlib.sha256(seed.encode()).digest()[:n])
    monkeypatch.setattr(secrets, "token_hex",
                        lambda n: hashlib.sha256(seed.encode()).hexdigest()[:2 * n])


@pytest.mark.parametrize("scenario_id", ["hainan", "strait", "shanghai", "rc4"])
def test_the_scenario_is_played_to_a_winner(scenario_id, tmp_path, monkeypatch):
    pinned_secrets(monkeypatch, scenario_id)
    session = Session(None)
    game = Game.new(session, scenario_id, tmp_path / "g", {})
    theatre = game.theatre()
    while game.state().over is None:
        state = game.state()
        for side, text in _orders(theatre, state, scenario_id).items():
            
            salt = b"s" * 16
            nonce = b"n" * 16
            game.commit(side, crypto.order_commitment(state.game_id, state.turn,
                                                      state.round, side, text, salt),
                        crypto.nonce_commitment(state.game_id, state.turn, state.round,
                                                side, nonce))
            game.reveal_orders(side, text, salt.hex())
        game.lock(deadline_passed=True)
        locked = game.state()
        for side in locked.current.commitments:
            game.reveal_nonce(side, (b"n" * 16).hex(), locked.current.sheet_hash)
        game.resolve()
    state = game.state()
    verdict = state.over
    history = History(state.play.control_history, frozenset(state.play.called))
    expected = standing(theatre, state.play.position, history, verdict["turn"], True,
                        state.play.hits)
    assert (verdict["side"], verdict["level"]) == (expected.side, expected.level)
    kinds = {body.get("kind") for record in state.rounds.values()
             for kind, body in record.events if kind == "roll"}
    wanted = {"hainan": {"interdiction", "raid"}, "strait": {"drop", "interdiction"},
              "shanghai": {"air strike"}, "rc4": {"raid", "combat"}}[scenario_id]
    assert wanted <= kinds, kinds
    if scenario_id == "shanghai":
        assert sum(v for k, v in state.play.hits.items() if "/" not in k) > 0
    if scenario_id in ("hainan", "strait"):
        ashore = [b for r in state.rounds.values() for k, b in r.events
                  if k == "unit-change" and b["cause"].get("by") == "ashore"]
        landed = [b for r in state.rounds.values() for k, b in r.events
                  if k == "roll" and b.get("kind") == "landing"]
        assert ashore or landed
    verdict_check = verify_events(game.events(), tmp_path / "g" / "data")
    assert verdict_check.ok, verdict_check.describe()
    # each side's export verifies for that side, with the other side's fog of war as digests
    from wargame.pbp.verify import export_game

    for side in state.side_ids():
        document = export_game(tmp_path / "g", game.events(), side)
        events = [Event(**e) for e in document["events"]]
        seen = verify_events(events, tmp_path / "g" / "data", side)
        assert seen.ok, (side, seen.describe())
