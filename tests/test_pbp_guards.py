"""What a dishonest umpire or a crafted file could slip past the protocol's edges: control
characters that disguise a terminal or a post, and files that are not games at all."""

from __future__ import annotations

import json
import os

import pytest

from pbp_play import locked_round
from test_pbp import _forge, played, played_template  # noqa: F401,F811 (pytest fixtures)
from wargame.pbp.verify import export_game

SPOOF = "\r\x1b[2K\x1b]0;verified\x07verified: 9 events, 1 rolls re-derived"


def _raw(run) -> str:
    return run.out + run.err


def test_a_label_crafted_to_spoof_the_terminal_is_named_and_shown_escaped(played, cli,
                                                                           tmp_path):
    """A roll label holding a carriage return, an erase-line and an OSC title sequence, put
    in and re-chained: verify fails (exit 3), and nothing of the label reaches the terminal
    raw, so the failure cannot be made to look like success."""
    def crafted(kind, body):
        if kind != "roll":
            return False
        body["label"] = body["label"] + SPOOF
        return True

    _forge(played, tmp_path / "forged", crafted)
    run = cli("game", "verify", str(tmp_path / "forged"))
    assert run.code == 3
    assert not any(c in _raw(run) for c in "\r\x1b\x07")
    assert "control character U+000D" in _raw(run) and "NOT VERIFIED" in _raw(run)


def test_every_text_that_enters_the_record_refuses_control_characters(played, cli, tmp_path):
    run = cli("game", "rule", str(played), "--correct", "ROK 7 Inf", "--steps", "1",
              "--reason", "typo\x1b[31m")
    assert run.code == 2 and "U+001B" in run.err
    run = cli("game", "commit", "--game-id", "x", "--turn", "2", "--round", "2", "--side",
              "un", "--orders", "move Cap Inf to 1413\u202e", "--out", str(tmp_path))
    assert run.code == 2 and "line 1" in run.err and "U+202E" in run.err
    run = cli("game", "new", "korea", str(tmp_path / "g"), "--player", "kpa=Kim\rWalker")
    assert run.code == 2 and "U+000D" in run.err
    assert cli("roll", "2d6", "--label", "x\x9by").code == 2  # C1 CSI
    assert not (tmp_path / "g" / "game.sqlite").exists()


def test_posts_never_carry_a_control_character(played, cli, tmp_path):
    """A record whose texts were crafted (the post is made before anyone verifies) still
    posts every control character as a visible escape, in every format."""
    def crafted(kind, body):
        if kind != "game-start":
            return False
        body["name"] += "\x1b[2J\u202e"  # the title of every post
        return True

    _forge(played, tmp_path / "forged", crafted)
    for style in ("text", "bbcode", "markdown", "discord"):
        run = cli("game", "post", str(tmp_path / "forged"), "--format", style, "--turn", "1")
        assert run.code == 0, run.err
        assert "\x1b" not in run.out and "\u202e" not in run.out
        assert "\\x1b" in run.out  # the crafted text is there, escaped


@pytest.mark.parametrize("make, expected", [
    (lambda p: os.mkfifo(p), "named pipe"),
    (lambda p: p.write_text("[" * 5000 + "]" * 5000, encoding="utf-8"), "nested too deep"),
    (lambda p: p.write_bytes(b'{"format": "x"}\x00'), "NUL"),
    (lambda p: p.write_bytes(b"") or os.truncate(p, 65 * 1024 * 1024), "at most 64 MiB"),
    (lambda p: p.mkdir(), "no game record here"),
])
def test_verify_refuses_what_is_not_a_game_in_one_line(cli, tmp_path, make, expected):
    path = tmp_path / "not-a-game.json"
    make(path)
    run = cli("game", "verify", str(path))
    assert run.code == 2 and expected in run.err, run.err
    assert len(run.err.strip().splitlines()) == 1 and "Traceback" not in run.err


def test_verify_refuses_a_device(cli):
    run = cli("game", "verify", "/dev/zero")
    assert run.code == 2 and "device" in run.err


@pytest.mark.parametrize("name", ["../outside.toml", "units/\x00x.toml", "/etc/x.toml",
                                  "rules/a\x1b.toml", "units/x.py"])
def test_an_export_whose_file_names_leave_it_is_refused(played, cli, tmp_path, name):
    from wargame.pbp.game import Game

    document = export_game(played, Game(played).events())
    document["files"][name] = "x = 1\n"
    path = tmp_path / "game.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    run = cli("game", "verify", str(path))
    assert run.code == 2 and "printable characters" in run.err, run.err
    assert not (tmp_path.parent / "outside.toml").exists()


def test_a_sides_export_hides_where_the_other_sides_unseen_units_are(played, cli, tmp_path):
    """The UN's export of a three-turn game verifies for the UN, and no readable event of it
    puts a KPA unit the UN cannot see together with the hex it stands in (the full export still verifies, and
    each digest stands for an event of it)."""
    from wargame.pbp import crypto
    from wargame.pbp.game import Game
    from wargame.pbp.views import visible_units

    from pbp_play import play_round
    from wargame.pbp.state import apply_event

    # three whole turns: the fixture's three rounds, then three more
    for name, orders in (("2b", {"un": "move Cap Inf to 1412"}), ("3a", {"kpa": ""}),
                         ("3b", {})):
        play_round(cli, played, tmp_path / name, orders)
    game = Game(played)
    assert game.state().turn == 4
    # where the UN last saw each KPA unit: the set-up, then after every round
    state, last_seen, attacked = None, {}, set()
    for event in game.events():
        state = apply_event(state, event)
        if event.kind == "game-start":
            last_seen = {p["unit"]: p["hex"] for p in event.body["pieces"]}
        if event.kind == "roll":  # the UN saw who attacked which hex (and may advance into it)
            attacked |= {(u, event.body.get("target")) for u in event.body.get("attackers", [])}
        if event.kind in ("round-end", "turn-end"):
            last_seen.update({u: p.hex for u, p in visible_units(state, "un").items()})
    pieces = state.play.position.pieces
    moved = {u: p.hex for u, p in pieces.items() if p.side == "kpa" and p.on_map and p.in_play
             and u not in visible_units(state, "un") and last_seen.get(u) != p.hex
             and (u, p.hex) not in attacked}
    assert moved, "the game should leave KPA units that moved where the UN did not see"
    names = {u: game.theatre().name(u) for u in moved}  # as posts and notes name them
    export = tmp_path / "un.json"
    assert cli("game", "export", str(played), "--side", "un", "-o", str(export)).code == 0
    document = json.loads(export.read_text(encoding="utf-8"))
    run = cli("game", "verify", str(export))
    assert run.code == 0, run.err
    for event in document["events"][1:]:  # the first is the published set-up
        if crypto.redacted(event["body"]) is not None:
            continue
        text = json.dumps(event["body"], ensure_ascii=True) + json.dumps(event["body"])
        for unit, at in moved.items():
            named = unit in text or f'"{names[unit]}' in text or f" {names[unit]} " in text
            assert not (named and at in text), (unit, at, event)
    full = [e.as_dict() for e in game.events()]
    for mine, theirs in zip(document["events"], full):
        digest = crypto.redacted(mine["body"])
        if digest is not None:
            assert digest == crypto.body_digest(theirs["body"])


def test_a_withheld_nonce_forfeits_the_game_and_gives_no_second_roll(played, cli, tmp_path):
    """15.4: the last revealer's silence is never a second set of dice to choose from: the
    round waits, and after the deadline the silent side loses. Both verifiers refuse a round
    rolled without a nonce, and a forfeit of a side that did reveal."""
    from wargame.pbp.game import Game

    lines, _ = locked_round(cli, played, tmp_path)
    assert cli("game", "reveal", str(played), "--message", lines["kpa"]).code == 0
    run = cli("game", "resolve", str(played))
    assert run.code == 2 and "15.4" in run.err  # the round waits for the nonce
    run = cli("game", "resolve", str(played), "--deadline-passed")
    assert run.code == 0 and "KPA wins by forfeit" in run.out
    assert not any(e.kind == "seed" and e.turn == Game(played).state().turn
                   and e.body["round"] == 1 for e in Game(played).events())
    assert cli("game", "verify", str(played)).code == 0
    run = cli("game", "verify", str(played), "--reveal", lines["un"])
    assert run.code == 3 and "recorded a forfeit without it" in run.err

    def wrong_winner(kind, body):
        if kind != "forfeit":
            return False
        body["winner"] = "un"
        return True

    _forge(played, tmp_path / "forged", wrong_winner)
    run = cli("game", "verify", str(tmp_path / "forged"))
    assert run.code == 3 and "not what 15.4 gives" in run.err


def test_a_round_rolled_without_a_nonce_does_not_verify(played, cli, tmp_path):
    """What protocol 3 used to allow after the deadline (the nonce counted as empty) is now
    a forgery: the umpire's seed written after a lone reveal, every hash redone."""
    from wargame.pbp import crypto
    from wargame.pbp.game import Game

    lines, _ = locked_round(cli, played, tmp_path)
    assert cli("game", "reveal", str(played), "--message", lines["kpa"]).code == 0
    game = Game(played)
    state = game.state()
    index = crypto.seed_index(state.turn, state.round, state.start["rounds"])
    seed = {"round": state.round, "index": index, "seed": game._seed(index).hex()}
    last = sum(1 for e in game.events() if e.kind == "nonce")
    seen = []

    def after_the_last_nonce(kind, body):
        seen.append(kind)
        return ("seed", seed) if kind == "nonce" and seen.count("nonce") == last else None

    _forge(played, tmp_path / "forged", None, after_the_last_nonce)
    run = cli("game", "verify", str(tmp_path / "forged"))
    assert run.code == 3 and "rolled without the nonce of un" in run.err, run.err
