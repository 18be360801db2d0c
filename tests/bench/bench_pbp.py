"""Play-by-post timings. Not a test: run it by hand.

    python tests/bench/bench_pbp.py

Targets (issue 6): a turn with 200 combats adjudicated in under 1 s; verifying a
10,000-event record in under 1 s.
"""

from __future__ import annotations

import secrets
import tempfile
import time
from pathlib import Path

from wargame.loading.session import Session
from wargame.paths import bundled_data_dir
from wargame.pbp import crypto
from wargame.pbp.game import Game
from wargame.pbp.verify import verify_events


def play_turn(game: Game, combats: int, rng_units: list[tuple[str, str]]) -> tuple[float, float]:
    state = game.state()
    turn, gid = state.turn, state.game_id
    nonces = {}
    for side in state.side_ids():
        salt, nonce = secrets.token_bytes(16), secrets.token_bytes(16)
        nonces[side] = nonce
        game.commit(side, crypto.order_commitment(gid, turn, side, "orders", salt),
                    crypto.nonce_commitment(gid, turn, side, nonce))
        game.reveal_orders(side, "orders", salt.hex())
    start = time.perf_counter()
    for index in range(combats):
        attacker, defender = rng_units[index % len(rng_units)]
        game.rule({"attack": 4 + index % 9, "defend": 2 + index % 5,
                   "label": f"T{turn:02d}/C{index + 1:03d}"})
    ruled = time.perf_counter() - start
    sheet = game.lock().body["sheet_hash"]
    for side, nonce in nonces.items():
        game.reveal_nonce(side, nonce.hex(), sheet)
    start = time.perf_counter()
    game.resolve()
    return ruled, time.perf_counter() - start


def main() -> None:
    session = Session(str(bundled_data_dir()))
    with tempfile.TemporaryDirectory() as temp:
        game = Game.new(session, "korea", Path(temp) / "g", {})
        ruled, resolved = play_turn(game, 200, [("kpa-1-div", "rok-1-div")])
        print(f"200 combats: ruling sheet {ruled:.2f} s (odds for each), adjudication "
              f"(seed, 200 rolls, results, events) {resolved:.2f} s  (target < 1 s)")
        while len(game.events()) < 10_000:
            play_turn(game, 200, [("kpa-1-div", "rok-1-div")])
        events = game.events()
        start = time.perf_counter()
        verdict = verify_events(events, Path(temp) / "g" / "data")
        took = time.perf_counter() - start
        print(f"verify {len(events)} events ({verdict.rolls} rolls re-derived): {took:.2f} s "
              f"(target < 1 s), {verdict.describe()[:40]}")
        browser(game, events, Path(temp))


def browser(game, events, folder: Path) -> None:
    """The same record verified by the HTML page in headless Chromium (whole process)."""
    import shutil
    import subprocess

    from wargame.pbp.browser import verifier_page
    from wargame.pbp.verify import export_game

    chromium = shutil.which("chromium")
    if chromium is None:
        print("browser: skipped (no chromium)")
        return
    page = folder / "game.html"
    page.write_text(verifier_page(export_game(folder / "g", events), game.session().rules,
                                  "bench"), encoding="utf-8")
    start = time.perf_counter()
    done = subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu",
                           "--disable-background-networking", "--no-first-run",
                           f"--user-data-dir={folder / 'profile'}",
                           "--virtual-time-budget=60000", "--dump-dom", page.as_uri()],
                          capture_output=True, text=True, timeout=300)
    took = time.perf_counter() - start
    verdict = done.stdout.split('<pre id="result" data-done="1">')[-1][:30]
    print(f"browser: verify {len(events)} events in headless Chromium: {took:.2f} s "
          f"(target < 3 s, Chromium's start included), {verdict}")


if __name__ == "__main__":
    main()
