"""Play-by-post timings. Not a test: run it by hand.

    python tests/bench/bench_pbp.py

Targets (issue 18): a whole 20-turn game of Korea (each side's orders written by the scripted
players, checked, committed, revealed, carried out by the rules, resolved and verified at
the end) in under 30 s; one player turn's orders checked in under 0.3 s.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from policies import POLICIES  # noqa: E402
from wargame.loading.session import Session  # noqa: E402
from wargame.paths import bundled_data_dir  # noqa: E402
from wargame.pbp import crypto  # noqa: E402
from wargame.pbp.game import Game  # noqa: E402
from wargame.pbp.verify import verify_events  # noqa: E402
from wargame.play.round import RoundInput, run_round  # noqa: E402


def status_of(game: Game, side: str) -> dict:
    from wargame.pbp.views import visible_units

    state = game.state()
    return {"turn": state.turn, "round": state.round + 1,
            "units": {u: p.as_record() for u, p in visible_units(state, side).items()}}


def play(game: Game, checks: list[float]) -> None:
    theatre = game.theatre()
    while game.state().over is None:
        state = game.state()
        nonces = {}
        for side in state.side_ids():
            orders = POLICIES[side](theatre, status_of(game, side))
            start = time.perf_counter()
            run_round(theatre, state.play, RoundInput(state.turn, state.round,
                                                     {side: orders}), None)
            checks.append(time.perf_counter() - start)
            salt, nonce = b"s" * 16, bytes([len(checks) % 256]) * 16
            nonces[side] = nonce
            game.commit(side, crypto.order_commitment(state.game_id, state.turn, state.round,
                                                      side, orders, salt),
                        crypto.nonce_commitment(state.game_id, state.turn, state.round, side,
                                                nonce))
            game.reveal_orders(side, orders, salt.hex())
        sheet = game.lock().body["sheet_hash"]
        for side, nonce in nonces.items():
            game.reveal_nonce(side, nonce.hex(), sheet)
        game.resolve()


def main() -> None:
    session = Session(str(bundled_data_dir()))
    with tempfile.TemporaryDirectory() as temp:
        game = Game.new(session, "korea", Path(temp) / "g", {})
        game.theatre()  # the data loaded once, as a long game would have it
        checks: list[float] = []
        start = time.perf_counter()
        play(game, checks)
        played = time.perf_counter() - start
        events = game.events()
        start = time.perf_counter()
        verdict = verify_events(events, Path(temp) / "g" / "data")
        verified = time.perf_counter() - start
        over = game.state().over
        print(f"Korea, {over['turn']} turns to {over['side'] or 'a draw'} {over['level']}: "
              f"{len(events)} events")
        print(f"  played (orders written, checked, committed, locked, revealed, resolved): "
              f"{played:.2f} s")
        print(f"  verified from scratch ({verdict.rounds} rounds carried out again, "
              f"{verdict.rolls} rolls): {verified:.2f} s")
        print(f"  whole game {played + verified:.2f} s (target < 30 s)")
        print(f"  one player turn's orders checked: median {statistics.median(checks):.3f} s, "
              f"max {max(checks):.3f} s (target < 0.3 s)")


if __name__ == "__main__":
    main()
