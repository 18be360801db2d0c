"""Play by post: rounds played from the command line, carried out by the rules, verified,
tampered with, killed and written to concurrently."""

from __future__ import annotations

import json
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pbp_play import commit, lock, locked_round, play_round, reveal
from wargame.errors import UsageError
from wargame.pbp.game import Game
from wargame.pbp.posts import DISCORD_LIMIT, render, round_report
from wargame.pbp.stats import chi_square_p
from wargame.pbp.verify import verify_events, verify_export

KPA_TURN_1 = """
move KPA 3 Inf to 1511
move 107 Tk to 1611
move 4 Inf to 1411
attack 1512 with KPA 3 Inf, 107 Tk advance 107 Tk
attack 1110 with KPA 1 Inf, KPA 6 Inf, 203 Tk advance 203 Tk
move KPA 2 Inf to 1910
move KPA 7 Inf to 1810
attack 1911 with KPA 2 Inf, KPA 7 Inf
move KPA 5 Inf to 2511
attack 2611 with KPA 5 Inf
air 56/1 Ftr cap 1412
air Il/1 FB strike 1412
"""
UN_TURN_1 = """
losses Cap Inf, ROK 2 Inf
retreat ROK 7 Inf toward 1620
move Cap Inf to 1413
"""
KPA_TURN_2 = """
attack 1512 with KPA 3 Inf, 107 Tk, 4 Inf
move 109 Tk to 1611
"""


@pytest.fixture(scope="session")
def played_template(tmp_path_factory):
    """Korea, three rounds played from the command line (built once per test process)."""
    from conftest import run_cli

    root = tmp_path_factory.mktemp("played")
    folder, work = root / "korea", root / "players"
    cli = run_cli
    run = cli("game", "new", "korea", str(folder), "--player", "kpa=Kim", "--player",
              "un=Walker")
    assert run.code == 0, run.err
    play_round(cli, folder, work / "1a", {"kpa": KPA_TURN_1})
    play_round(cli, folder, work / "1b", {"un": UN_TURN_1})
    play_round(cli, folder, work / "2a", {"kpa": KPA_TURN_2})
    return folder


@pytest.fixture
def played(played_template, tmp_path):
    folder = tmp_path / "korea"
    shutil.copytree(played_template, folder)
    return folder


def test_rounds_played_from_the_cli_are_carried_out_and_verify(played, cli, tmp_path):
    state = Game(played).state()
    assert (state.turn, state.round) == (2, 1)
    rolls = [b for r in state.rounds.values() for k, b in r.events if k == "roll"]
    assert len(rolls) >= 4 and {"combat"} <= {b["kind"] for b in rolls}
    moved = state.play.position["kpa-107-tank"]
    assert moved.hex != "1608"  # it moved, by the rules, with no umpire command
    run = cli("game", "verify", str(played))
    assert run.code == 0 and "verified:" in run.out and "3 rounds carried out again" in run.out
    export = tmp_path / "korea.json"
    assert cli("game", "export", str(played), "-o", str(export)).code == 0
    run = cli("game", "verify", str(export))
    assert run.code == 0, run.err


def test_every_change_of_a_unit_follows_from_an_order_or_a_roll(played):
    state = Game(played).state()
    for record in state.rounds.values():
        labels = {b["label"] for k, b in record.events if k == "roll"}
        for kind, body in record.events:
            if kind != "unit-change":
                continue
            cause = body["cause"]
            assert cause.get("label") in labels or cause.get("line") or \
                cause["by"] in ("arrival", "supply", "stacking", "marker", "correction"), body


def _tamper_db(folder: Path, seq: int, column: str = "body") -> None:
    db = sqlite3.connect(str(folder / "game.sqlite"))
    db.execute("DROP TRIGGER events_no_update")
    value = db.execute(f"SELECT {column} FROM events WHERE seq = ?", (seq,)).fetchone()[0]
    for index, char in enumerate(value):  # a digit up by one, else the case of the text
        if char.isdigit():
            changed = value[:index] + str((int(char) + 1) % 10) + value[index + 1:]
            break
    else:
        changed = value.swapcase()
    db.execute(f"UPDATE events SET {column} = ? WHERE seq = ?", (changed, seq))
    db.commit()
    db.close()


def test_changing_any_byte_of_any_event_is_named(played, tmp_path):
    events = Game(played).events()
    # every protocol event, and a sample of the round's events of every kind
    kinds: dict[str, list[int]] = {}
    for event in events:
        kinds.setdefault(event.kind, []).append(event.seq)
    chosen = sorted({seq for seqs in kinds.values() for seq in (seqs[0], seqs[-1])})
    for seq in chosen:
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


def _forge(played: Path, copy: Path, edit, insert=None) -> tuple:
    """Rebuild the record in ``copy`` with ``edit(kind, body)`` applied to the first event it
    returns True for (or ``insert(kind, body)`` returning an event to add after it), every
    hash redone: what a dishonest umpire could write. Returns (record, the event's seq)."""
    shutil.copytree(played, copy)
    db = sqlite3.connect(str(copy / "game.sqlite"))
    rows = db.execute("SELECT kind, turn, at, body FROM events ORDER BY seq").fetchall()
    db.close()
    from wargame.pbp.crypto import GENESIS, event_hash
    from wargame.pbp.record import create_record

    (copy / "game.sqlite").unlink()
    for suffix in ("-wal", "-shm"):
        Path(str(copy / "game.sqlite") + suffix).unlink(missing_ok=True)
    record = create_record(copy)
    forged_seq = None
    prev = GENESIS
    seq = 0
    for kind, turn, at, body in rows:
        body = json.loads(body)
        items = [(kind, body)]
        if forged_seq is None and edit is not None and edit(kind, body):
            forged_seq = seq + 1
        elif forged_seq is None and insert is not None:
            extra = insert(kind, body)
            if extra is not None:
                items.append(extra)
                forged_seq = seq + 2
        for item_kind, item_body in items:
            seq += 1
            digest = event_hash(prev, seq, item_kind, turn, at, item_body)
            record.db.execute("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?)",
                              (seq, item_kind, turn, at, json.dumps(item_body), prev, digest))
            prev = digest
    return record, forged_seq


def test_a_forged_roll_is_caught(played, tmp_path):
    """The umpire cannot record other dice or another result for a locked sheet."""
    def other_face(kind, body):
        if kind != "roll" or not body["faces"]:
            return False
        body["faces"] = [[(body["faces"][0][0] % 6) + 1] + body["faces"][0][1:]]
        return True

    record, forged_seq = _forge(played, tmp_path / "forged", other_face)
    verdict = verify_events(record.events(), tmp_path / "forged" / "data")
    assert not verdict.ok and verdict.seq == forged_seq
    assert "carry this round out otherwise" in verdict.problem


def test_a_unit_change_dressed_as_a_rolls_effect_is_caught(played, tmp_path):
    """An extra change labelled with a roll's label, inserted after it and re-chained, is
    an event the rules do not give."""
    def extra(kind, body):
        if kind != "roll" or body.get("kind") != "combat":
            return None
        victim = body["attackers"][0]
        return ("unit-change", {"piece": {"unit": victim, "side": "kpa", "steps": 0, "hex": "",
                                          "box": "eliminated", "markers": [],
                                          "out_of_supply": 0},
                                "cause": {"label": body["label"], "by": "eliminated"}})

    record, forged_seq = _forge(played, tmp_path / "forged", None, extra)
    verdict = verify_events(record.events(), tmp_path / "forged" / "data")
    assert not verdict.ok and verdict.seq == forged_seq


def test_a_sheet_whose_plan_was_typed_in_is_caught(played, tmp_path):
    def better_odds(kind, body):
        if kind != "sheet-locked" or not body["plan"]["battles"]:
            return False
        body["plan"]["battles"][0]["column"] = "7-1"
        return True

    record, forged_seq = _forge(played, tmp_path / "forged", better_odds)
    verdict = verify_events(record.events(), tmp_path / "forged" / "data")
    assert not verdict.ok and verdict.seq == forged_seq and "plan" in verdict.problem


def test_tampered_export_and_data_are_named(played, cli, tmp_path):
    export = tmp_path / "game.json"
    cli("game", "export", str(played), "-o", str(export))
    document = json.loads(export.read_text(encoding="utf-8"))
    roll = next(e for e in document["events"] if e["kind"] == "roll")
    roll["body"]["result"] = "DE"
    export.write_text(json.dumps(document), encoding="utf-8")
    verdict = verify_export(export)
    assert not verdict.ok and verdict.seq == roll["seq"]
    document = json.loads(export.read_text(encoding="utf-8"))
    name = next(n for n in document["files"] if n.endswith("land-combat.toml"))
    document["files"][name] = document["files"][name].replace('"D1R2"', '"DE"', 1)
    export.write_text(json.dumps(document), encoding="utf-8")
    verdict = verify_export(export)
    assert not verdict.ok and verdict.seq == 1 and "land-combat.toml" in verdict.problem


def test_nothing_is_rolled_twice_and_nothing_changes_after_the_lock(played, cli, tmp_path):
    run = cli("game", "resolve", str(played))
    assert run.code == 2 and "not locked" in run.err
    line, message, secret = commit(cli, played, tmp_path, "kpa", "move 109 Tk to 1511")
    run = cli("game", "lock", str(played), str(message))
    assert run.code == 2 and "before its commitment" in run.err
    path = tmp_path / "commit.txt"
    path.write_text(line, encoding="utf-8")
    run = cli("game", "lock", str(played), str(path), str(message))
    assert run.code == 2 and "waiting for the commitments of un" in run.err
    sheet, _ = lock(cli, played, [], "--deadline-passed")
    run = cli("game", "rule", str(played), "--correct", "107 Tk", "--steps", "1", "--reason",
              "x")
    assert run.code == 2 and "locked" in run.err
    run = cli("game", "resolve", str(played), "--deadline-passed")
    assert run.code == 0 and "UN wins by forfeit" in run.out, run.err  # kpa kept its nonce
    before = len(Game(played).events())
    with pytest.raises(UsageError, match="over"):
        Game(played).resolve()
    assert len(Game(played).events()) == before


def test_bad_input_changes_nothing(played, cli):
    before = len(Game(played).events())
    cases = [
        (("game", "rule", str(played), "--correct", "kpa-nonesuch", "--reason", "x"),
         'no unit "kpa-nonesuch"'),
        (("game", "order", str(played), "--side", "un", "--orders-commitment", "xyz",
          "--nonce-commitment", "b" * 64), "64 lowercase hex digits"),
        (("game", "order", str(played), "--side", "martians", "--orders-commitment", "a" * 64,
          "--nonce-commitment", "b" * 64), 'no side "martians"'),
        (("game", "reveal", str(played), "--message", "wargame-reveal game=x"), "round="),
        (("game", "rule", str(played), "--override", "kpa-3", "--reason", "x"), "SIDE:LINE"),
        (("game", "post", str(played), "--side", "martians"), 'no side "martians"'),
        (("game", "status", str(played), "--side", "martians"), 'no side "martians"'),
    ]
    for args, fragment in cases:
        run = cli(*args)
        assert run.code == 2, (args, run.out)
        assert fragment in run.err and "Traceback" not in run.err, (args, run.err)
    assert len(Game(played).events()) == before


def test_missing_game_folder_is_a_clear_error(cli, tmp_path):
    run = cli("game", "status", str(tmp_path / "none"))
    assert run.code == 2 and "does not exist" in run.err
    run = cli("game", "status", str(tmp_path))
    assert run.code == 2 and "no game record here" in run.err


WRITER = """
import sys
from pathlib import Path
from wargame.pbp.game import Game
game = Game(Path(sys.argv[1]))
for i in range(int(sys.argv[2])):
    event = game.rule({"kind": "correct", "unit": "kpa-3-div", "markers": [],
                       "reason": f"writer {sys.argv[3]} step {i}"})
    print(event.seq, flush=True)
"""


def test_killed_writers_lose_nothing_committed(played):
    import random

    rng = random.Random(1950)
    committed: set[int] = set()
    for _ in range(12):
        process = subprocess.Popen([sys.executable, "-c", WRITER, str(played), "100000", "k"],
                                   stdout=subprocess.PIPE, text=True)
        first = process.stdout.readline()  # it is writing: now kill it at a random moment
        time.sleep(rng.uniform(0.0, 0.2))
        process.send_signal(signal.SIGKILL)
        out, _ = process.communicate()
        committed |= {int(line) for line in (first + out).split() if line.strip().isdigit()}
    events = Game(played).events()
    assert committed <= {e.seq for e in events}
    assert len(committed) > 12
    verdict = verify_events(events, played / "data")
    assert verdict.ok, verdict.describe()


def test_concurrent_writers_lose_nothing(played):
    before = len(Game(played).events())
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, str(played), "25", str(n)],
                                stdout=subprocess.PIPE, text=True) for n in range(4)]
    seqs = []
    for writer in writers:
        out, _ = writer.communicate(timeout=120)
        assert writer.returncode == 0
        seqs += [int(line) for line in out.split()]
    events = Game(played).events()
    assert len(events) == before + 100
    assert sorted(seqs) == list(range(before + 1, before + 101))
    assert verify_events(events, played / "data").ok


RESOLVER = """
import sys
from pathlib import Path
from wargame.errors import UsageError
from wargame.pbp.game import Game
try:
    Game(Path(sys.argv[1])).resolve(deadline_passed=True)
except UsageError:
    pass
"""


def test_a_killed_or_raced_resolution_leaves_one_result(played):
    """Three resolutions race, one is killed part-way: the round is carried out once, all
    of it or nothing, and the record verifies."""
    game = Game(played)
    game.lock(deadline_passed=True)
    victim = subprocess.Popen([sys.executable, "-c", RESOLVER, str(played)])
    time.sleep(0.3)
    victim.send_signal(signal.SIGKILL)
    victim.wait()
    racers = [subprocess.Popen([sys.executable, "-c", RESOLVER, str(played)])
              for _ in range(3)]
    for racer in racers:
        racer.wait(timeout=120)
    events = Game(played).events()
    seeds = [e for e in events if e.kind == "seed"]
    assert len(seeds) == 4 and len({(e.turn, e.body["round"]) for e in seeds}) == 4
    assert verify_events(events, played / "data").ok


def test_posts_stay_within_their_platforms(played):
    game = Game(played)
    state = game.state()
    report = round_report(state, game.theatre(), 1, 1, None)
    label = report.lines[0].label
    for style in ("bbcode", "bbcode-code", "markdown", "text"):
        text = render(report, style)[0]
        assert label in text and report.verification[2][1] in text
        assert "kpa-3-div" not in text  # units by the names on their counters
    long_report = type(report)(report.title, report.turn, report.lines * 60, report.verification)
    messages = render(long_report, "discord")
    assert len(messages) > 1 and all(len(m) <= DISCORD_LIMIT for m in messages)
    assert sum(m.count(label) for m in messages) == 60


def test_posts_escape_markup():
    from wargame.pbp.posts import escape_bbcode, escape_discord, escape_markdown

    assert "[b]" not in escape_bbcode("[b]bold[/b]")
    assert escape_bbcode("[b]").replace("\u200b", "") == "[b]"
    assert escape_markdown("a|b*c_") == "a\\|b\\*c\\_"
    assert "@everyone" not in escape_discord("@everyone")


def test_code_blocks_cannot_be_closed_by_data_in_any_case():
    from wargame.pbp.posts import Line, Report

    report = Report("t [/CODE]", 1, (Line("L", "a [/CODE] b [/Code] c [/code]", "o", "d", "r",
                                          (), ()),), (("game", "g"),))
    text = render(report, "bbcode-code")[0]
    assert len(re.findall(r"(?i)\[/code\]", text)) == 1 and text.endswith("[/code]")


def test_each_side_gets_its_own_post(played, cli, tmp_path):
    out = tmp_path / "posts"
    run = cli("game", "post", str(played), "--each", str(out), "--format", "text")
    assert run.code == 0, run.err
    names = sorted(p.name for p in out.iterdir())
    assert names == ["turn-2-round-1-kpa.txt", "turn-2-round-1-umpire.txt",
                     "turn-2-round-1-un.txt"]
    kpa = (out / "turn-2-round-1-kpa.txt").read_text(encoding="utf-8")
    assert "Victory if the game ended now" in kpa and "Next:" in kpa
    assert "wargame game commit --game-id" in kpa


def test_fog_of_war_shows_a_side_only_what_it_has_seen(played, cli):
    everything = json.loads(cli("game", "status", str(played), "--json").out)["units"]
    view = json.loads(cli("game", "status", str(played), "--side", "un", "--json").out)["units"]
    assert {u for u, s in view.items() if s["side"] == "un"} == \
        {u for u, s in everything.items() if s["side"] == "un"}
    assert "kpa-13-div" in everything and "kpa-13-div" not in view  # still to arrive
    from wargame.maps.hexgrid import distance, parse_hex

    ours = [parse_hex(s["hex"]) for s in view.values() if s["side"] == "un" and s["hex"]]
    for unit, seen in view.items():
        if seen["side"] != "un":
            assert seen["hex"] and any(distance(parse_hex(seen["hex"]), o) <= 1
                                       for o in ours) or unit in _latest_battles(played), unit


def _latest_battles(folder: Path) -> set[str]:
    state = Game(folder).state()
    record = max((r for r in state.rounds.values() if r.resolved), key=lambda r: r.key)
    return {u for k, b in record.events if k == "roll"
            for u in b.get("attackers", []) + b.get("defenders", [])}


def test_stats_compare_rolls_with_their_odds(played, cli, tmp_path):
    run = cli("game", "stats", str(played))
    assert run.code == 0 and "rolls so far" in run.out and "chi-square" in run.out
    export = tmp_path / "game.json"
    assert cli("game", "export", str(played), "-o", str(export)).code == 0
    assert cli("game", "stats", str(export)).out == run.out


def test_chi_square_p_values():
    assert chi_square_p(11.07, 5) == pytest.approx(0.05, abs=0.001)
    assert chi_square_p(3.841, 1) == pytest.approx(0.05, abs=0.001)
    assert chi_square_p(0.0, 3) == 1.0
    assert chi_square_p(40.0, 5) < 1e-6


def test_posts_can_carry_the_counters_of_the_battles(played, cli, tmp_path):
    images = tmp_path / "img"
    run = cli("game", "post", str(played), "--turn", "1", "--round", "1", "--format",
              "bbcode", "--images", str(images), "--image-url", "https://example.org/turn 1")
    assert run.code == 0, run.err
    shown = re.findall(r"\[img\]([^\[]+)\[/img\]", run.out)
    assert shown
    for address in shown:
        assert address.startswith("https://example.org/turn%201/")
        assert (images / address.rsplit("/", 1)[-1]).exists()


def test_a_round_with_no_orders_verifies(played):
    game = Game(played)
    game.lock(deadline_passed=True)
    game.resolve(deadline_passed=True)
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
        return [value + 1, str(value)]
    if isinstance(value, str):
        return [value + "x", [value]]
    if isinstance(value, dict):
        return [[value], {**value, "extra": 1}]
    if isinstance(value, list):
        return [{"list": value}, value + [0]]
    return ["x"]


def _fields(value, path=(), depth=0):
    if depth < 4 and isinstance(value, dict):
        for key, item in value.items():
            yield from _fields(item, path + (key,), depth + 1)
    elif depth < 4 and isinstance(value, list):
        for index, item in enumerate(value[:2]):
            yield from _fields(item, path + (index,), depth + 1)
    yield path, value


def test_every_field_edit_of_an_export_is_caught(played, tmp_path):
    """Each field of the first event of every kind (envelope and body, to some depth),
    changed in value or in type: the export is refused with a one-line reason or verify
    names an event; never an internal error, never a pass."""
    from wargame.pbp.record import Event
    from wargame.pbp.verify import export_game, export_problems

    original = export_game(played, Game(played).events())
    kinds: dict[str, int] = {}
    for index, event in enumerate(original["events"]):
        kinds.setdefault(event["kind"], index)
    assert {"game-start", "commitment", "orders", "sheet-locked", "nonce", "seed", "roll",
            "unit-change", "round-end", "turn-end", "phase"} <= set(kinds)
    tried = 0
    for index in sorted(kinds.values()):
        if original["events"][index]["kind"] == "game-start":
            continue  # its fields are checked against the data: a test of its own below
        for path, value in _fields(original["events"][index]):
            if not path:
                continue
            for changed in _mutations(value):
                document = json.loads(json.dumps(original))
                target = document["events"][index]
                for key in path[:-1]:
                    target = target[key]
                target[path[-1]] = changed
                tried += 1
                # what `game verify` does with the file, without writing it out each time
                if export_problems(document):
                    continue
                try:
                    events = [Event(**e) for e in document["events"]]
                except TypeError:
                    continue
                verdict = verify_events(events, played / "data")
                assert not verdict.ok, (index, path, changed)
                assert "internal error" not in verdict.problem
    assert tried > 150


def test_a_changed_set_up_is_caught(played, tmp_path):
    def moved(kind, body):
        if kind != "game-start":
            return False
        body["pieces"][0]["hex"] = "0101"
        return True

    record, seq = _forge(played, tmp_path / "forged", moved)
    verdict = verify_events(record.events(), tmp_path / "forged" / "data")
    assert not verdict.ok and verdict.seq == 1 and "sets them up" in verdict.problem


def test_an_empty_record_or_export_does_not_verify(played, cli, tmp_path):
    assert not verify_events([], played / "data").ok
    export = tmp_path / "game.json"
    cli("game", "export", str(played), "-o", str(export))
    document = json.loads(export.read_text(encoding="utf-8"))
    document["events"] = []
    export.write_text(json.dumps(document), encoding="utf-8")
    run = cli("game", "verify", str(export))
    assert run.code == 2 and "events: expected a non-empty array" in run.err


def test_a_second_lock_in_a_copy_cannot_use_the_published_reveals(played, cli, tmp_path):
    """The umpire copies the game before the lock, locks, reads the reveals, then locks a
    different sheet in the copy hoping for better dice. The reveals name the sheet the
    players saw, so the copy refuses them; resolving without them is caught by any player
    holding the lock post."""
    inbox, secrets = [], {}
    for side, orders in (("kpa", "move 109 Tk to 1511"), ("un", "")):
        line, message, secret = commit(cli, played, tmp_path / "w", side, orders)
        path = tmp_path / f"{side}-commit.txt"
        path.write_text(line, encoding="utf-8")
        inbox += [path, message]
        secrets[side] = secret
    copy = tmp_path / "copy"
    shutil.copytree(played, copy)
    sheet, head = lock(cli, played, inbox)
    reveals = [reveal(cli, secrets[side], sheet) for side in ("kpa", "un")]
    assert cli("game", "rule", str(copy), "--correct", "107 Tk", "--markers", "",
               "--reason", "relabel").code == 0
    lock(cli, copy, inbox)
    for message in reveals:
        run = cli("game", "reveal", str(copy), "--message", message)
        assert run.code == 2 and "a reveal binds to the sheet its player saw" in run.err
    assert cli("game", "resolve", str(copy), "--deadline-passed").code == 0
    assert cli("game", "verify", str(copy)).code == 0  # internally consistent...
    run = cli("game", "verify", str(copy), "--sheet", sheet, "--head", head)
    assert run.code == 3  # ...but not the sheet and head the players saw posted
    assert "is not a sheet the dice of this record were rolled for" in run.err
    assert "is not in this record" in run.err
    for message in reveals:
        assert cli("game", "reveal", str(played), "--message", message).code == 0
    assert cli("game", "resolve", str(played)).code == 0
    assert cli("game", "verify", str(played), "--sheet", sheet, "--head", head).code == 0


def test_a_record_cut_short_or_forked_is_caught_by_a_posted_head(played, cli, tmp_path):
    head = Game(played).state().head
    export = tmp_path / "game.json"
    assert cli("game", "export", str(played), "-o", str(export)).code == 0
    assert cli("game", "verify", str(export), "--head", head).code == 0
    document = json.loads(export.read_text(encoding="utf-8"))
    ends = [i for i, e in enumerate(document["events"]) if e["kind"] == "turn-end"]
    document["events"] = document["events"][:ends[-1] + 1]
    export.write_text(json.dumps(document), encoding="utf-8")
    assert cli("game", "verify", str(export)).code == 0  # a shorter chain is still a chain
    run = cli("game", "verify", str(export), "--head", head)
    assert run.code == 3 and "cut short or forked" in run.err
    assert cli("game", "verify", str(export), "--head", head[:8]).code == 3  # too short


def test_an_ignored_reveal_is_caught_by_the_player_who_posted_it(played, cli, tmp_path):
    lines, _ = locked_round(cli, played, tmp_path)
    assert cli("game", "reveal", str(played), "--message", lines["kpa"]).code == 0
    assert cli("game", "resolve", str(played), "--deadline-passed").code == 0
    assert cli("game", "verify", str(played), "--reveal", lines["kpa"]).code == 0
    run = cli("game", "verify", str(played), "--reveal", lines["un"])
    assert run.code == 3 and "was not used" in run.err


def test_a_commitment_recorded_in_a_players_name_is_caught(played, cli, tmp_path):
    real, _, _ = commit(cli, played, tmp_path / "player", "un", "move Cap Inf to 1513")
    fake, _, _ = commit(cli, played, tmp_path / "umpire", "un", "")
    path = tmp_path / "fake.txt"
    path.write_text(fake, encoding="utf-8")
    assert cli("game", "lock", str(played), str(path), "--deadline-passed").code == 0
    posted = re.search(r"orders=([0-9a-f]{64})", real)[1]
    run = cli("game", "verify", str(played), "--commitment", posted)
    assert run.code == 3 and "is not in the record" in run.err
    recorded = re.search(r"orders=([0-9a-f]{64})", fake)[1]
    run = cli("game", "verify", str(played), "--commitment", recorded, "--side", "un")
    assert run.code == 0 and "recorded for un, turn 2, round 2" in run.out
    run = cli("game", "verify", str(played), "--commitment", recorded, "--side", "kpa")
    assert run.code == 3 and "NOT YOURS" in run.err


def test_a_commitment_cannot_be_replayed_for_another_side_or_round(played, cli, tmp_path):
    line, message, _ = commit(cli, played, tmp_path / "w", "kpa", "move 109 Tk to 1511")
    swapped = line.replace("side=kpa", "side=un")
    path = tmp_path / "swapped.txt"
    path.write_text(swapped + "\n" + message.read_text(encoding="utf-8").replace(
        "side=kpa", "side=un"), encoding="utf-8")
    run = cli("game", "lock", str(played), str(path))
    assert run.code == 2 and "do not match the commitment" in run.err


def test_a_post_carries_a_situation_map_a_forum_accepts(played, cli, tmp_path):
    from PIL import Image

    folder = tmp_path / "maps"
    run = cli("game", "post", str(played), "--turn", "1", "--round", "1", "--format",
              "discord", "--map", str(folder), "--image-url", "https://example.org/korea")
    assert run.code == 0, run.err
    picture = folder / "turn-1-round-1-map.png"
    assert picture.exists()
    assert max(Image.open(picture).size) <= 1600
    assert "example.org/korea/turn-1-round-1-map.png" in run.out
    run = cli("game", "post", str(played), "--turn", "1", "--round", "1", "--side", "un",
              "--map", str(folder))
    assert run.code == 0 and (folder / "turn-1-round-1-un-map.png").exists()


def test_the_game_ends_and_takes_nothing_more(tmp_path, cli):
    """A game whose last turn is played ends with a verdict; nothing is recorded after it."""
    from wargame.loading.session import Session

    session = Session(None)
    game = Game.new(session, "korea", tmp_path / "g", {})
    # play every round with no orders at all: the UN keeps Taegu and Pusan
    while game.state().over is None:
        game.lock(deadline_passed=True)
        game.resolve(deadline_passed=True)
    state = game.state()
    assert state.over["side"] == "un" and state.over["level"] == "marginal"
    assert state.over["turn"] == 20
    with pytest.raises(UsageError, match="the game is over"):
        game.lock(deadline_passed=True)
    run = cli("game", "status", str(tmp_path / "g"))
    assert "over after turn 20: UN marginal victory: the UN holds Taegu and Pusan" in run.out
    assert verify_events(game.events(), tmp_path / "g" / "data").ok


def test_the_console_script_leaves_the_record_whole_after_every_command(tmp_path):
    """`wargame` freezes the collector at exit (wargame.cli.run), so nothing left open is
    finalised then: every command closes its game's record itself. Played as processes,
    each command leaves game.sqlite alone, with no write-ahead log beside it holding the
    latest events, so a copy of the record alone is the whole game."""
    import os

    from conftest import Run

    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    folder = tmp_path / "korea"
    left: list[tuple[str, list[str]]] = []

    def console(*args: str) -> Run:
        done = subprocess.run([sys.executable, "-m", "wargame", *args], capture_output=True,
                              text=True, env=env)
        beside = sorted(p.name for p in folder.glob("game.sqlite-*"))
        if beside:
            left.append((args[1], beside))
        return Run(done.returncode, done.stdout, done.stderr)

    started = console("game", "new", "korea", str(folder), "--player", "kpa=Kim")
    assert started.code == 0, started.err
    play_round(console, folder, tmp_path / "work", {})
    assert console("game", "status", str(folder)).code == 0
    assert left == []
    with Game(folder) as game:
        assert game.state().round == 1  # the round was carried out and recorded
