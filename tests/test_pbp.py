"""Play-by-post: a game played from the command line, verified, tampered with, killed and
written to concurrently."""

from __future__ import annotations

import json
import re
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from wargame.errors import UsageError
from wargame.pbp.game import Game
from wargame.pbp.posts import DISCORD_LIMIT, render, turn_report
from wargame.pbp.stats import chi_square_p
from wargame.pbp.verify import verify_events, verify_export


def _secret(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def play_turn(cli, folder: Path, work: Path, turn: int, rulings: list[list[str]]) -> None:
    """One whole turn from the command line: commitments, orders, rulings, lock, nonces,
    resolution."""
    game_id = Game(folder).state().game_id
    sides = Game(folder).state().side_ids()
    for side in sides:
        secret = work / f"{side}-{turn}.json"
        run = cli("game", "commit", "--game-id", game_id, "--turn", str(turn), "--side", side,
                  "--orders", f"{side} orders for turn {turn}", "--secret-out", str(secret))
        assert run.code == 0, run.err
        commits = dict(line.split(": ") for line in run.out.splitlines()[:2])
        run = cli("game", "order", str(folder), "--side", side, "--turn", str(turn),
                  "--orders-commitment", commits["orders commitment"].strip(),
                  "--nonce-commitment", commits["nonce commitment"].strip())
        assert run.code == 0, run.err
    for side in sides:
        run = cli("game", "order", str(folder), "--side", side, "--orders",
                  f"{side} orders for turn {turn}", "--salt",
                  _secret(work / f"{side}-{turn}.json")["salt"])
        assert run.code == 0, run.err
    for args in rulings:
        run = cli("game", "rule", str(folder), *args)
        assert run.code == 0, run.err
    run = cli("game", "lock", str(folder))
    assert run.code == 0, run.err
    sheet = re.search(r"sheet hash: ([0-9a-f]{64})", run.out)[1]
    for side in sides:  # each player makes the reveal from the sheet hash posted
        made = cli("game", "reveal", "--make", "--secret", str(work / f"{side}-{turn}.json"),
                   "--sheet", sheet)
        assert made.code == 0, made.err
        run = cli("game", "reveal", str(folder), "--message", made.out.strip())
        assert run.code == 0, run.err
    run = cli("game", "resolve", str(folder))
    assert run.code == 0, run.err


@pytest.fixture
def played(cli, tmp_path):
    """Route Coloniale 4, three turns played from the command line.

    Every game draws a new secret seed chain, so results differ from run to run: each unit
    fights at most once here, so no ruling depends on an earlier roll's outcome."""
    folder, work = tmp_path / "rc4", tmp_path / "players"
    work.mkdir()
    run = cli("game", "new", "rc4", str(folder), "--player", "viet-minh=Giap",
              "--player", "french=Charton")
    assert run.code == 0, run.err
    play_turn(cli, folder, work, 1, [
        ["-a", "vm-308-88", "-a", "vm-308-102", "-a", "vm-artillery", "-d", "fr-post-dong-khe",
         "-t", "rough"],
        ["-T", "guerrilla-action", "-a", "vm-regional-1", "-d", "fr-post-that-khe"],
    ])
    assert cli("game", "move", str(folder), "fr-charton", "coc-xa").code == 0
    play_turn(cli, folder, work, 2, [
        ["-a", "vm-308-36", "-a", "vm-regular-3", "-d", "fr-1-bep", "-d", "fr-tabor-1"],
        ["-T", "guerrilla-sweep", "-a", "fr-tabor-3", "-d", "vm-regional-2", "-t", "forest"],
    ])
    play_turn(cli, folder, work, 3, [
        ["-a", "vm-regular-1", "-a", "vm-regular-2", "-d", "fr-charton", "--label", "ambush"],
    ])
    return folder


def test_a_scenario_played_from_the_cli_verifies(played, cli, tmp_path):
    state = Game(played).state()
    assert state.turn == 4
    rolls = [r for t in state.turns.values() for r in t.rolls.values()]
    assert len(rolls) == 5 and "ambush" in state.turns[3].rolls
    assert state.units["fr-charton"].area == "coc-xa"
    run = cli("game", "verify", str(played))
    assert run.code == 0 and "verified:" in run.out and "5 rolls re-derived" in run.out
    export = tmp_path / "rc4.json"
    assert cli("game", "export", str(played), "-o", str(export)).code == 0
    run = cli("game", "verify", str(export))
    assert run.code == 0, run.err


def test_results_change_the_units(played):
    """Each roll's unit changes are exactly what its result does to the units that fought."""
    state = Game(played).state()
    start = {u["id"]: u["steps"] for u in state.start["units"]}
    changed = {c["unit"] for t in state.turns.values() for cs in t.changes.values() for c in cs}
    assert changed
    for unit in changed:
        assert state.units[unit].steps < start[unit] or state.units[unit].status, unit
    for turn in state.turns.values():
        for label in turn.rolls:
            lost = {c["unit"] for c in turn.changes.get(label, [])}
            ruling = next(r for r in turn.rulings if r["label"] == label)
            fought = {n.split(":")[0] for n in ruling.get("attackers", []) +
                      ruling.get("defenders", [])}
            assert lost <= fought, (label, lost, fought)


def _tamper_db(folder: Path, seq: int, column: str = "body") -> None:
    db = sqlite3.connect(str(folder / "game.sqlite"))
    db.execute("DROP TRIGGER events_no_update")
    value = db.execute(f"SELECT {column} FROM events WHERE seq = ?", (seq,)).fetchone()[0]
    # change one character: a digit up by one, else the first letter's case
    for index, char in enumerate(value):
        if char.isdigit():
            changed = value[:index] + str((int(char) + 1) % 10) + value[index + 1:]
            break
    else:
        changed = value.swapcase()
    db.execute(f"UPDATE events SET {column} = ? WHERE seq = ?", (changed, seq))
    db.commit()
    db.close()


def test_changing_any_byte_of_any_event_is_named(played, tmp_path):
    count = len(Game(played).events())
    for seq in range(1, count + 1):
        copy = tmp_path / f"copy{seq}"
        shutil.copytree(played, copy)
        _tamper_db(copy, seq)
        verdict = verify_events(Game(copy).events(), copy / "data")
        assert not verdict.ok and verdict.seq == seq, (seq, verdict)


def test_edits_are_refused_by_the_database(played):
    db = sqlite3.connect(str(played / "game.sqlite"))
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        db.execute("UPDATE events SET body = '{}' WHERE seq = 2")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        db.execute("DELETE FROM events WHERE seq = 3")


def test_tampered_export_and_data_are_named(played, cli, tmp_path):
    export = tmp_path / "game.json"
    cli("game", "export", str(played), "-o", str(export))
    document = json.loads(export.read_text(encoding="utf-8"))
    roll = next(e for e in document["events"] if e["kind"] == "roll")
    roll["body"]["stages"][0]["result"] = "DE"
    export.write_text(json.dumps(document), encoding="utf-8")
    verdict = verify_export(export)
    assert not verdict.ok and verdict.seq == roll["seq"]
    # a rules file changed after the start: the first event names it
    document = json.loads(export.read_text(encoding="utf-8"))
    roll["body"]["stages"][0]["result"] = document["events"][roll["seq"] - 1]["body"]["stages"][0]["result"]
    name = next(n for n in document["files"] if n.endswith("land-combat.toml"))
    document["files"][name] = document["files"][name].replace('"D1R2"', '"DE"', 1)
    export.write_text(json.dumps(document), encoding="utf-8")
    verdict = verify_export(export)
    assert not verdict.ok and verdict.seq == 1 and "land-combat.toml" in verdict.problem


def _default_all(game: Game) -> None:
    """The deadline passed: every side that did not commit is recorded as defaulted."""
    state = game.state()
    for side in state.side_ids():
        if side not in state.current.commitments and side not in state.current.defaults:
            game.default(side, "no commitment (test)")


def _forge(played: Path, copy: Path, edit) -> tuple:
    """Rebuild the record in ``copy`` from scratch with ``edit(kind, body)`` applied to the
    first event it returns True for, every hash redone: what a dishonest umpire could write.
    Returns (the rebuilt record, the edited event's number)."""
    shutil.copytree(played, copy)
    db = sqlite3.connect(str(copy / "game.sqlite"))
    rows = db.execute("SELECT seq, kind, turn, at, body FROM events ORDER BY seq").fetchall()
    db.close()
    from wargame.pbp.crypto import GENESIS, event_hash
    from wargame.pbp.record import create_record

    (copy / "game.sqlite").unlink()
    for suffix in ("-wal", "-shm"):
        Path(str(copy / "game.sqlite") + suffix).unlink(missing_ok=True)
    record = create_record(copy)
    forged_seq = None
    prev = GENESIS
    for seq, kind, turn, at, body in rows:
        body = json.loads(body)
        if forged_seq is None and edit(kind, body):
            forged_seq = seq
        digest = event_hash(prev, seq, kind, turn, at, body)
        record.db.execute("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?)",
                          (seq, kind, turn, at, json.dumps(body), prev, digest))
        prev = digest
    return record, forged_seq


def test_a_forged_roll_is_caught(played, tmp_path):
    """The umpire cannot record a different result for a locked sheet: the dice are
    re-derived from the seed, the sheet and the nonces."""
    def other_face(kind, body):
        if kind != "roll":
            return False
        stage = body["stages"][0]
        stage["faces"] = [[(stage["faces"][0][0] % 6) + 1]] if stage["faces"] else []
        return True

    record, forged_seq = _forge(played, tmp_path / "forged", other_face)
    verdict = verify_events(record.events(), tmp_path / "forged" / "data")
    assert not verdict.ok and verdict.seq == forged_seq
    assert "does not match its dice" in verdict.problem


def test_no_second_result_for_a_locked_sheet(played, cli):
    """Nothing can re-roll: resolving again, ruling after the lock, rolling a label twice."""
    assert cli("game", "resolve", str(played)).code == 2  # turn 4 has no locked sheet
    assert cli("game", "rule", str(played), "-a", "vm-regular-4", "-d", "fr-tabor-11").code == 0
    run = cli("game", "lock", str(played))
    assert run.code == 2 and "waiting for the commitments of viet-minh, french" in run.err
    for side in ("viet-minh", "french"):
        assert cli("game", "default", str(played), "--side", side).code == 0
    run = cli("game", "lock", str(played))
    assert run.code == 0 and "viet-minh: defaulted" in run.out and "chain head:" in run.out
    run = cli("game", "rule", str(played), "-a", "vm-regular-4", "-d", "fr-tabor-11")
    assert run.code == 2 and "locked" in run.err
    game = Game(played)
    game.resolve(missing_nonces_empty=True)
    before = len(game.events())
    with pytest.raises(UsageError, match="not locked"):
        game.resolve()
    assert len(Game(played).events()) == before


def test_bad_input_changes_nothing(played, cli):
    before = len(Game(played).events())
    cases = [
        (("game", "rule", str(played), "-a", "vm-nonesuch", "-d", "fr-1-bep"), "not in this game"),
        (("game", "order", str(played), "--side", "french", "--turn", "9",
          "--orders-commitment", "a" * 64, "--nonce-commitment", "b" * 64), "not turn 9"),
        (("game", "order", str(played), "--side", "french", "--orders-commitment", "xyz",
          "--nonce-commitment", "b" * 64), "64 lowercase hex digits"),
        (("game", "order", str(played), "--side", "martians", "--orders-commitment", "a" * 64,
          "--nonce-commitment", "b" * 64), 'no side "martians"'),
        (("game", "reveal", str(played), "--side", "french", "--nonce", "zz", "--sheet", "0" * 64),
         "hex"),
        (("game", "move", str(played), "fr-nonesuch", "x"), 'no unit "fr-nonesuch"'),
    ]
    state = Game(played).state()
    dead = next((u for u, s in state.units.items() if not s.alive), None)
    if dead:
        cases.append((("game", "rule", str(played), "-a", dead, "-d", "fr-1-bep"),
                      "eliminated"))
    for args, fragment in cases:
        run = cli(*args)
        assert run.code == 2, (args, run.out)
        assert fragment in run.err and "Traceback" not in run.err, (args, run.err)
    assert len(Game(played).events()) == before


def test_missing_game_folder_is_a_clear_error(cli, tmp_path):
    run = cli("game", "status", str(tmp_path / "none"))
    assert run.code == 2 and "no game record here" in run.err


WRITER = """
import sys
from pathlib import Path
from wargame.errors import UsageError
from wargame.pbp.game import Game
game = Game(Path(sys.argv[1]))
for i in range(int(sys.argv[2])):
    event = game.change_unit("fr-charton", f"writer {sys.argv[3]} step {i}")
    print(event.seq, flush=True)
"""


def test_killed_writers_lose_nothing_committed(played, tmp_path):
    rng = random.Random(1950)
    committed: set[int] = set()
    for _ in range(50):
        process = subprocess.Popen([sys.executable, "-c", WRITER, str(played), "100000", "k"],
                                   stdout=subprocess.PIPE, text=True)
        time.sleep(rng.uniform(0.25, 0.45))
        process.send_signal(signal.SIGKILL)
        out, _ = process.communicate()
        committed |= {int(line) for line in out.split() if line.strip().isdigit()}
    events = Game(played).events()
    assert committed <= {e.seq for e in events}
    assert len(committed) > 50
    verdict = verify_events(events, played / "data")
    assert verdict.ok, verdict.describe()


def test_concurrent_writers_lose_nothing(played):
    before = len(Game(played).events())
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, str(played), "40", str(n)],
                                stdout=subprocess.PIPE, text=True) for n in range(4)]
    seqs = []
    for writer in writers:
        out, _ = writer.communicate(timeout=120)
        assert writer.returncode == 0
        seqs += [int(line) for line in out.split()]
    events = Game(played).events()
    assert len(events) == before + 160
    assert sorted(seqs) == list(range(before + 1, before + 161))
    assert verify_events(events, played / "data").ok


def test_posts_stay_within_their_platforms(played):
    state = Game(played).state()
    report = turn_report(state, 2, None)
    for style in ("bbcode", "bbcode-code", "markdown", "text"):
        text = render(report, style)[0]
        assert "T02/C01" in text and report.verification[2][1] in text
    # many long results: Discord splits under its limit, losing nothing
    long_report = type(report)(report.title, report.turn, report.lines * 60, report.verification)
    messages = render(long_report, "discord")
    assert len(messages) > 1 and all(len(m) <= DISCORD_LIMIT for m in messages)
    assert sum(m.count("T02/C01") for m in messages) == 60


def test_posts_escape_markup():
    from wargame.pbp.posts import escape_bbcode, escape_discord, escape_markdown

    assert "[b]" not in escape_bbcode("[b]bold[/b]")
    assert escape_bbcode("[b]").replace("\u200b", "") == "[b]"
    assert escape_markdown("a|b*c_") == "a\\|b\\*c\\_"
    assert "@everyone" not in escape_discord("@everyone")


def test_fog_of_war_shows_a_side_only_what_it_has_seen(played, cli):
    everything = json.loads(cli("game", "status", str(played), "--json").out)["units"]
    view = json.loads(cli("game", "status", str(played), "--side", "viet-minh",
                          "--json").out)["units"]
    assert {u for u, s in view.items() if s["side"] == "viet-minh"} == \
        {u for u, s in everything.items() if s["side"] == "viet-minh"}
    assert "fr-3-bccp" in everything and "fr-3-bccp" not in view  # arrives on turn 10
    state = Game(played).state()
    met = {n.split(":")[0] for t in state.turns.values() for r in t.rulings
           for n in r.get("attackers", []) + r.get("defenders", [])}
    own_areas = {s["area"] for s in view.values() if s["side"] == "viet-minh" and s["steps"]}
    for unit, seen in view.items():
        if seen["side"] != "viet-minh":
            assert unit in met or seen["area"] in own_areas, unit
    french = json.loads(cli("game", "status", str(played), "--side", "french",
                            "--json").out)["units"]
    assert "fr-3-bccp" in french


def test_stats_compare_rolls_with_their_odds(played, cli):
    run = cli("game", "stats", str(played))
    assert run.code == 0 and "rolls so far" in run.out and "chi-square" in run.out


def test_chi_square_p_values():
    assert chi_square_p(11.07, 5) == pytest.approx(0.05, abs=0.001)
    assert chi_square_p(3.841, 1) == pytest.approx(0.05, abs=0.001)
    assert chi_square_p(0.0, 3) == 1.0
    assert chi_square_p(40.0, 5) < 1e-6


def test_posts_can_carry_the_counters_of_the_battles(played, cli, tmp_path):
    images = tmp_path / "img"
    run = cli("game", "post", str(played), "--turn", "3", "--format", "bbcode", "--images",
              str(images), "--image-url", "https://example.org/turn 3")
    assert run.code == 0, run.err
    shown = re.findall(r"\[img\]([^\[]+)\[/img\]", run.out)
    assert len(shown) == 3  # vm-regular-1, vm-regular-2, fr-charton
    for address in shown:
        assert address.startswith("https://example.org/turn%203/")
        assert (images / address.rsplit("/", 1)[-1]).exists()


RESOLVER = """
import sys
from pathlib import Path
from wargame.pbp.game import Game
Game(Path(sys.argv[1])).resolve(missing_nonces_empty=True)
"""


def test_a_killed_resolution_resumes_and_verifies(played, tmp_path):
    """Kill `resolve` part-way through a turn of 200 combats, then finish it: the rolls are
    the same whatever the interruption, none is made twice, and the record verifies."""
    game = Game(played)
    for index in range(200):
        if index % 10 == 0:  # some combats change units: roll and changes must stay together
            game.rule({"attackers": ["vm-regular-4"], "defenders": ["fr-tabor-11"],
                       "label": f"K{index:03d}"})
        else:
            game.rule({"attack": 3 + index % 7, "defend": 2 + index % 3,
                       "label": f"K{index:03d}"})
    _default_all(game)
    game.lock()

    def rolls_recorded() -> int:
        db = sqlite3.connect(str(played / "game.sqlite"), timeout=5)
        try:
            return db.execute("SELECT count(*) FROM events WHERE kind = 'roll'").fetchone()[0]
        finally:
            db.close()

    interrupted = 0
    for _ in range(8):
        before = rolls_recorded()
        process = subprocess.Popen([sys.executable, "-c", RESOLVER, str(played)])
        deadline = time.monotonic() + 30
        # kill as soon as this run has recorded a roll of its own: mid-resolution
        while process.poll() is None and rolls_recorded() == before and \
                time.monotonic() < deadline:
            time.sleep(0.002)
        process.send_signal(signal.SIGKILL)
        process.wait()
        state = Game(played).state()
        if state.turn == 5:
            break
        interrupted += bool(state.turns[4].rolls)  # killed with the turn half rolled
        assert verify_events(Game(played).events(), played / "data").ok
    if Game(played).state().turn == 4:
        Game(played).resolve(missing_nonces_empty=True)
    state = Game(played).state()
    assert interrupted >= 1
    assert state.turn == 5 and len(state.turns[4].rolls) == 200
    assert state.turns[4].changes  # the unit combats did change units
    labels = [e.body["label"] for e in Game(played).events() if e.kind == "roll"]
    assert len(labels) == len(set(labels))
    assert verify_events(Game(played).events(), played / "data").ok


MIXER = """
import random, sys
from pathlib import Path
from wargame.errors import UsageError
from wargame.pbp.game import Game
game = Game(Path(sys.argv[1]))
rng = random.Random(int(sys.argv[2]))
for step in range(int(sys.argv[3])):
    action = rng.choice(["rule", "rule", "correct", "move", "void", "lock", "resolve",
                         "resolve"])
    try:
        if action == "rule":
            game.rule({"attack": rng.randint(2, 9), "defend": rng.randint(1, 4)})
        elif action == "correct":
            game.change_unit("fr-charton", f"mix {sys.argv[2]}/{step}", steps=2)
        elif action == "move":
            game.change_unit("fr-charton", "moved", area=rng.choice(["coc-xa", "that-khe"]))
        elif action == "void":
            rolls = [label for t in game.state().turns.values() for label in t.rolls]
            if rolls:
                game.void(rng.choice(rolls), "mix")
        elif action == "lock":
            if game.state().current.rulings:
                state = game.state()
                for side in state.side_ids():
                    if side not in state.current.commitments and \
                            side not in state.current.defaults:
                        game.default(side, "mix")
                game.lock()
        elif game.state().current.sheet_hash is not None:
            game.resolve(missing_nonces_empty=True)
    except UsageError:
        pass  # a refused command (a locked sheet, a busy game) changes nothing
"""


def test_concurrent_mixes_of_writing_commands_leave_a_record_that_verifies(played):
    """200 interleavings: in each of 10 rounds a sheet of 20 combats is locked, then three
    resolutions race four processes running random mixes of rule, lock, resolve,
    corrections, moves and voids. The record must verify after every round."""
    game = Game(played)
    for round_number in range(10):
        for index in range(20):
            game.rule({"attack": 3 + index % 7, "defend": 2 + index % 3})
        _default_all(game)
        game.lock()
        racers = [subprocess.Popen([sys.executable, "-c", RESOLVER, str(played)])
                  for _ in range(3)]
        racers += [subprocess.Popen([sys.executable, "-c", MIXER, str(played),
                                     str(round_number * 10 + n), "5"]) for n in range(4)]
        for racer in racers:
            racer.wait(timeout=120)
        events = Game(played).events()
        verdict = verify_events(events, played / "data")
        assert verdict.ok, (round_number, verdict.describe())
        game = Game(played)
        if game.state().current.sheet_hash is not None:  # a mixer locked a sheet late
            game.resolve(missing_nonces_empty=True)
    labels = [e.body["label"] for e in Game(played).events() if e.kind == "roll"]
    assert len(labels) == len(set(labels)) and len(labels) >= 200


def test_an_eliminated_unit_does_not_fight_later_in_the_turn(played, cli):
    """Two combats against the same one-step garrison: once it is eliminated by the first,
    the second lapses (no dice), in the record, the post and the stats; verify agrees."""
    game = Game(played)
    state = game.state()
    victim = next(u for u, s in state.units.items() if s.alive and s.steps == 1 and
                  u.startswith("fr-post"))
    game.rule({"attack": 60, "defend": 1, "defenders": [victim], "label": "first"})
    game.rule({"attackers": ["vm-regular-4"], "defenders": [victim], "label": "second"})
    _default_all(game)
    game.lock()
    game.resolve(missing_nonces_empty=True)
    state = Game(played).state()
    first, second = state.turns[4].rolls["first"], state.turns[4].rolls["second"]
    if state.units[victim].alive:
        pytest.skip("the first combat did not eliminate the garrison this time")
    assert first["stages"] and not second["stages"] and "eliminated" in second["lapsed"]
    post = render(turn_report(state, 4, None), "text")[0]
    assert "lapsed: every defender was eliminated earlier this turn" in post
    assert verify_events(Game(played).events(), played / "data").ok


def test_voids_are_posted_with_their_turn_and_left_out_of_stats(played, cli):
    state = Game(played).state()
    label = next(iter(state.turns[1].rolls))
    Game(played).void(label, "umpire typed the wrong defender")
    state = Game(played).state()
    assert state.turns[1].voided == {label: "umpire typed the wrong defender"}
    post = render(turn_report(state, 1, None), "bbcode")[0]
    assert "VOID: umpire typed the wrong defender" in post
    stats = cli("game", "stats", str(played))
    assert stats.code == 0 and "1 voided, left out" in stats.out


def test_code_blocks_cannot_be_closed_by_data_in_any_case():
    from wargame.pbp.posts import Line, Report

    report = Report("t [/CODE]", 1, (Line("L", "a [/CODE] b [/Code] c [/code]", "o", "d", "r",
                                          (), ()),), (("game", "g"),))
    text = render(report, "bbcode-code")[0]
    assert len(re.findall(r"(?i)\[/code\]", text)) == 1 and text.endswith("[/code]")


def test_a_turn_with_an_empty_sheet_verifies(played):
    """A turn in which nobody fights: its sheet is locked empty and resolved; verify must
    take it in its stride (it once failed with an internal error)."""
    game = Game(played)
    _default_all(game)
    game.lock()
    game.resolve(missing_nonces_empty=True)
    assert verify_events(Game(played).events(), played / "data").ok


def test_an_unreadable_event_is_named_not_an_internal_error(played, cli):
    db = sqlite3.connect(str(played / "game.sqlite"))
    db.execute("DROP TRIGGER events_no_update")
    db.execute("UPDATE events SET body = substr(body, 1, length(body) - 1) WHERE seq = 5")
    db.commit()
    db.close()
    run = cli("game", "verify", str(played))
    assert run.code == 2 and "event 5" in run.err and "internal error" not in run.err


def _mutations(value):
    """Other values of the same field: a type change and a value change."""
    if isinstance(value, bool):
        return [not value, int(value)]
    if isinstance(value, int):
        return [value + 1, str(value), float(value) + 0.5]
    if isinstance(value, str):
        return [value + "x", value[:-1] if value else "y", [value]]
    if isinstance(value, dict):
        return [[value], {**value, "extra": 1}]
    if isinstance(value, list):
        return [{"list": value}, value + [0]]
    return ["x"]


def _fields(value, path=()):
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _fields(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _fields(item, path + (index,))
    yield path, value


def test_every_single_field_edit_of_an_export_is_caught(played, cli, tmp_path):
    """Each field of each of the first events (the envelope and the body, at any depth),
    changed in value or in type: the export is refused with a one-line reason or verify
    names the event; never an internal error, never a pass."""
    export = tmp_path / "game.json"
    assert cli("game", "export", str(played), "-o", str(export)).code == 0
    original = json.loads(export.read_text(encoding="utf-8"))
    tried = 0
    kinds: dict[str, int] = {}
    for index, event in enumerate(original["events"]):
        kinds.setdefault(event["kind"], index)
    assert {"game-start", "commitment", "orders", "ruling", "sheet-locked", "nonce",
            "turn-seed", "roll", "unit-change", "turn-end"} <= set(kinds)
    for index in sorted(kinds.values()):  # the first event of every kind
        for path, value in _fields(original["events"][index]):
            if not path:
                continue
            for changed in _mutations(value):
                document = json.loads(json.dumps(original))
                target = document["events"][index]
                for key in path[:-1]:
                    target = target[key]
                target[path[-1]] = changed
                export.write_text(json.dumps(document), encoding="utf-8")
                tried += 1
                run = cli("game", "verify", str(export))
                assert run.code != 0, (index, path, changed)
                assert "internal error" not in run.err, (index, path, changed, run.err)
    assert tried > 300


def test_an_empty_record_or_export_does_not_verify(played, cli, tmp_path):
    assert not verify_events([], played / "data").ok
    export = tmp_path / "game.json"
    cli("game", "export", str(played), "-o", str(export))
    document = json.loads(export.read_text(encoding="utf-8"))
    document["events"] = []
    export.write_text(json.dumps(document), encoding="utf-8")
    run = cli("game", "verify", str(export))
    assert run.code == 2 and "events: expected a non-empty array" in run.err


def test_a_sheet_whose_odds_were_typed_in_is_caught(played, tmp_path):
    """A sheet is re-derived, not trusted: odds or reasons the tables do not give are named,
    even with every hash redone."""
    def better_odds(kind, body):
        if kind != "ruling":
            return False
        body["preview"]["explanation"][0] += " (and a bonus)"
        return True

    record, forged_seq = _forge(played, tmp_path / "forged", better_odds)
    verdict = verify_events(record.events(), tmp_path / "forged" / "data")
    assert not verdict.ok and verdict.seq == forged_seq
    assert "not those the tables give" in verdict.problem


def _prepare_turn(cli, folder: Path, work: Path, turn: int) -> None:
    """Commitments and orders of both sides, and one ruling: ready to lock."""
    game_id = Game(folder).state().game_id
    for side in Game(folder).state().side_ids():
        secret = work / f"{side}-{turn}.json"
        run = cli("game", "commit", "--game-id", game_id, "--turn", str(turn), "--side", side,
                  "--orders", "hold", "--secret-out", str(secret))
        commits = dict(line.split(": ") for line in run.out.splitlines()[:2])
        assert cli("game", "order", str(folder), "--side", side, "--orders-commitment",
                   commits["orders commitment"].strip(), "--nonce-commitment",
                   commits["nonce commitment"].strip()).code == 0
    assert cli("game", "rule", str(folder), "--attack", "6", "--defend", "2").code == 0


def test_a_second_lock_in_a_copy_cannot_use_the_published_reveals(played, cli, tmp_path):
    """The umpire copies the game before the lock, locks, reads the players' reveals, then
    locks a relabelled sheet in the copy hoping for better dice. The reveals name the sheet
    the players saw, so the copy refuses them; resolving without them is caught by any
    player holding the lock post."""
    work = tmp_path / "turn-4"
    work.mkdir()
    _prepare_turn(cli, played, work, 4)
    copy = tmp_path / "copy"
    shutil.copytree(played, copy)
    posted = cli("game", "lock", str(played))
    sheet = re.search(r"sheet hash: ([0-9a-f]{64})", posted.out)[1]
    head = re.search(r"chain head: ([0-9a-f]{64})", posted.out)[1]
    reveals = [cli("game", "reveal", "--make", "--secret", str(work / f"{side}-4.json"),
                   "--sheet", sheet).out.strip() for side in ("viet-minh", "french")]
    # the copy: a relabelled sheet, locked again
    assert cli("game", "rule", str(copy), "--attack", "7", "--defend", "2").code == 0
    assert cli("game", "lock", str(copy)).code == 0
    for message in reveals:
        run = cli("game", "reveal", str(copy), "--message", message)
        assert run.code == 2 and "a reveal binds to the sheet its player saw" in run.err
    assert cli("game", "resolve", str(copy), "--deadline-passed").code == 0
    assert cli("game", "verify", str(copy)).code == 0  # internally consistent...
    run = cli("game", "verify", str(copy), "--sheet", sheet, "--head", head)
    assert run.code == 3  # ...but not the sheet and head the players saw posted
    assert "is not a sheet the dice of this record were rolled for" in run.err
    assert "is not in this record" in run.err
    # the honest record passes the same check
    for message in reveals:
        assert cli("game", "reveal", str(played), "--message", message).code == 0
    assert cli("game", "resolve", str(played)).code == 0
    assert cli("game", "verify", str(played), "--sheet", sheet, "--head", head).code == 0


def test_a_record_cut_short_or_forked_is_caught_by_a_posted_head(played, cli, tmp_path):
    state = Game(played).state()
    post = render(turn_report(state, 3, None), "text")[0]
    head = re.search(r"chain head: ([0-9a-f]{64})", post)[1]
    export = tmp_path / "game.json"
    assert cli("game", "export", str(played), "-o", str(export)).code == 0
    assert cli("game", "verify", str(export), "--head", head).code == 0
    document = json.loads(export.read_text(encoding="utf-8"))
    # the umpire drops the last turn: the record ends at the end of turn 2
    ends = [i for i, e in enumerate(document["events"]) if e["kind"] == "turn-end"]
    document["events"] = document["events"][:ends[-2] + 1]
    export.write_text(json.dumps(document), encoding="utf-8")
    assert cli("game", "verify", str(export)).code == 0  # a shorter chain is still a chain
    run = cli("game", "verify", str(export), "--head", head)
    assert run.code == 3 and "cut short or forked" in run.err
    assert cli("game", "verify", str(export), "--head", head[:8]).code == 3  # too short


def test_contact_that_has_ended_no_longer_shows_the_enemy(played, cli):
    """Visibility comes from current contact: an enemy met in turn 1 that has since moved
    away from every unit of ours is hidden; one next to one of ours is shown."""
    from wargame.maps.hexgrid import distance, hex_id, parse_hex

    state = Game(played).state()
    rc4 = Game(played).session().maps["rc4"]
    turn1 = {n.split(":")[0] for r in state.turns[1].rulings
             for n in r.get("attackers", []) + r.get("defenders", [])}
    latest = {n.split(":")[0] for r in state.turns[3].rulings
              for n in r.get("attackers", []) + r.get("defenders", [])}
    # an enemy met in turn 1 if one survives, else any enemy outside the latest battles
    enemies = [u for u in sorted(turn1 - latest)
               if state.units[u].side == "french" and state.units[u].alive] or \
        [u for u, s in sorted(state.units.items())
         if s.side == "french" and s.alive and u not in latest]
    ours = [parse_hex(u.hex) for u in state.units.values()
            if u.side == "viet-minh" and u.alive and u.hex]
    far = next(h for h in sorted(rc4.terrain) if rc4.is_land(h)
               and all(distance(h, o) >= 2 for o in ours))
    assert cli("game", "move", str(played), enemies[0], hex_id(far), "--override",
               "test: gone north").code == 0
    view = json.loads(cli("game", "status", str(played), "--side", "viet-minh",
                          "--json").out)["units"]
    assert enemies[0] not in view
    near = next(h for h in rc4.neighbours_on_map(ours[0]) if rc4.is_land(h))
    assert cli("game", "move", str(played), enemies[0], hex_id(near), "--override",
               "test: back").code == 0
    view = json.loads(cli("game", "status", str(played), "--side", "viet-minh",
                          "--json").out)["units"]
    assert enemies[0] in view

def test_an_ignored_reveal_is_caught_by_the_player_who_posted_it(played, cli, tmp_path):
    """The umpire resolves with --deadline-passed, leaving out a reveal a player posted in
    time (hoping for better dice); the player's verify with the posted line says so."""
    work = tmp_path / "turn-4"
    work.mkdir()
    _prepare_turn(cli, played, work, 4)
    posted = cli("game", "lock", str(played))
    sheet = re.search(r"sheet hash: ([0-9a-f]{64})", posted.out)[1]
    lines = {side: cli("game", "reveal", "--make", "--secret", str(work / f"{side}-4.json"),
                       "--sheet", sheet).out.strip() for side in ("viet-minh", "french")}
    assert cli("game", "reveal", str(played), "--message", lines["viet-minh"]).code == 0
    assert cli("game", "resolve", str(played), "--deadline-passed").code == 0
    assert cli("game", "verify", str(played), "--reveal", lines["viet-minh"]).code == 0
    run = cli("game", "verify", str(played), "--reveal", lines["french"])
    assert run.code == 3 and "was not used" in run.err


def test_stats_read_an_export(played, cli, tmp_path):
    export = tmp_path / "game.json"
    assert cli("game", "export", str(played), "-o", str(export)).code == 0
    from_folder = cli("game", "stats", str(played))
    from_export = cli("game", "stats", str(export))
    assert from_export.code == 0 and from_export.out == from_folder.out


def test_the_rulings_sheet_records_hexes_and_reads_their_terrain(played, cli):
    from wargame.maps.hexgrid import hex_id, neighbours

    rc4 = Game(played).session().maps["rc4"]
    target = next(h for h in sorted(rc4.terrain) if rc4.terrain[h] == "forest")
    origin = next(n for n in neighbours(target) if n in rc4)
    run = cli("game", "rule", str(played), "--attack", "6", "--defend", "2", "--hex",
              hex_id(target), "--from", hex_id(origin), "--label", "mapped")
    assert run.code == 0, run.err
    ruling = Game(played).state().current.rulings[-1]
    assert ruling["hex"] == hex_id(target) and ruling["from"] == [hex_id(origin)]
    assert any(f"hex {hex_id(target)}" in line for line in ruling["preview"]["explanation"])
    game = Game(played)
    _default_all(game)
    game.lock()
    game.resolve(missing_nonces_empty=True)
    assert verify_events(Game(played).events(), played / "data").ok


def test_a_commitment_recorded_in_a_players_name_is_caught(played, cli, tmp_path):
    """The umpire records his own commitment for a side; the player who posted the real one
    finds it missing with verify --commitment."""
    game_id = Game(played).state().game_id
    run = cli("game", "commit", "--game-id", game_id, "--turn", "4", "--side", "french",
              "--orders", "hold Lang Son", "--secret-out", str(tmp_path / "fr.json"))
    posted = run.out.splitlines()[0].split(": ")[1].strip()
    fake = cli("game", "commit", "--game-id", game_id, "--turn", "4", "--side", "french",
               "--orders", "abandon Cao Bang", "--secret-out", str(tmp_path / "umpire.json"))
    forged = dict(line.split(": ") for line in fake.out.splitlines()[:2])
    assert cli("game", "order", str(played), "--side", "french", "--orders-commitment",
               forged["orders commitment"].strip(), "--nonce-commitment",
               forged["nonce commitment"].strip()).code == 0
    run = cli("game", "verify", str(played), "--commitment", posted)
    assert run.code == 3 and "is not in the record" in run.err
    honest = Game(played).state().turns[1].commitments["french"]["orders"]
    assert cli("game", "verify", str(played), "--commitment", honest).code == 0


def test_moves_are_checked_against_the_map_and_rederived_by_verify(played, cli, tmp_path):
    """A move along a path the unit's allowance pays for is recorded with its cost; a move
    too far, or a ground unit into the sea, is refused unless the umpire overrides (on the
    record, with the reason); verify re-derives every move, and a forged one is named."""
    from wargame.maps.hexgrid import distance, hex_id, parse_hex
    from wargame.maps.movement import cheapest

    game = Game(played)
    state = game.state()
    session = game.session()
    rc4 = session.maps["rc4"]
    costs = {t.id: t.movement_cost for t in session.rules.terrain.values()}
    mover = next(u for u, s in sorted(state.units.items())
                 if s.alive and s.hex and s.side == "viet-minh"
                 and session.catalog.units[u].factors.get("movement", 0) >= 3)
    allowance = session.catalog.units[mover].factors["movement"]
    start = parse_hex(state.units[mover].hex)
    reachable = [h for h in sorted(rc4.terrain) if h != start and rc4.is_land(h) and
                 (c := cheapest(rc4, costs, start, h)) and c[0] <= allowance]
    too_far = [h for h in sorted(rc4.terrain) if rc4.is_land(h) and
               (c := cheapest(rc4, costs, start, h)) and c[0] > allowance]
    assert reachable and too_far
    run = cli("game", "move", str(played), mover, hex_id(reachable[0]))
    assert run.code == 0, run.err
    moved = Game(played).events()[-1]
    assert moved.kind == "move" and moved.body["cost"] == cheapest(rc4, costs, start,
                                                                   reachable[0])[0]
    here = reachable[0]
    far = max(too_far, key=lambda h: distance(h, here))
    run = cli("game", "move", str(played), mover, hex_id(far))
    assert run.code == 2 and "its allowance is" in run.err
    run = cli("game", "move", str(played), mover, hex_id(far), "--override", "rail move")
    assert run.code == 0 and "override: rail move" in run.out
    assert Game(played).state().units[mover].hex == hex_id(far)
    assert verify_events(Game(played).events(), played / "data").ok

    def forge_move(kind, body):
        if kind != "move" or body.get("override"):
            return False
        body["to"] = hex_id(far)  # further than the unit could go, no override
        return True

    record, forged = _forge(played, tmp_path / "forged", forge_move)
    verdict = verify_events(record.events(), tmp_path / "forged" / "data")
    assert not verdict.ok and verdict.seq == forged and "move of" in verdict.problem


def test_a_ground_unit_cannot_end_at_sea_and_starts_in_its_zone(tmp_path):
    from wargame.maps.hexgrid import hex_id, parse_hex
    from wargame.loading.session import Session

    session = Session(None)
    game = Game.new(session, "korea", tmp_path / "k", {})
    state = game.state()
    korea = session.maps["korea"]
    division = state.units["kpa-3-div"]
    assert parse_hex(division.hex) in korea.zone_hexes("chorwon")
    sea = next(h for h in sorted(korea.terrain) if not korea.is_land(h))
    with pytest.raises(UsageError, match="all sea"):
        game.move("rok-17-regt", hex_id(sea), override="even so")


def test_a_post_carries_a_situation_map_a_forum_accepts(played, cli, tmp_path):
    from PIL import Image

    folder = tmp_path / "maps"
    run = cli("game", "post", str(played), "--turn", "3", "--format", "discord", "--map",
              str(folder), "--image-url", "https://example.org/rc4")
    assert run.code == 0, run.err
    picture = folder / "turn-3-map.png"
    assert picture.exists() and picture.stat().st_size < 8 * 1024 * 1024
    width, height = Image.open(picture).size
    assert max(width, height) <= 1600
    assert "example.org/rc4/turn-3-map.png" in run.out
    run = cli("game", "post", str(played), "--turn", "3", "--side", "french", "--map",
              str(folder))
    assert run.code == 0 and (folder / "turn-3-french-map.png").exists()
    # the side's map leaves out exactly the enemy it has not seen: the two pictures differ
    # when, and only when, a hidden unit stands inside the window the map shows
    from wargame.maps.hexgrid import centre, parse_hex
    from wargame.pbp.views import visible_units
    from wargame.printing.situation import situation_window
    from wargame.loading.session import Session

    state = Game(played).state()
    seen = visible_units(state, "french")
    hidden = [u for uid, u in state.units.items() if uid not in seen and u.alive and u.hex]
    assert all(u.side != "french" for u in hidden)
    focus = [parse_hex(state.units[n.split(":")[0]].hex)
             for ruling in state.turns[3].rulings
             for n in ruling.get("attackers", []) + ruling.get("defenders", [])
             if state.units[n.split(":")[0]].hex]
    window = situation_window(Session(None).maps["rc4"], focus)
    in_window = [u for u in hidden if window.holds(centre(parse_hex(u.hex)))]
    full = Image.open(picture).convert("RGB")
    side = Image.open(folder / "turn-3-french-map.png").convert("RGB")
    assert full.size == side.size
    assert (full.tobytes() != side.tobytes()) == bool(in_window)
