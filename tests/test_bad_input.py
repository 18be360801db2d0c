"""Whole classes of bad input: each is refused at load time with one line naming the file
and key, exit 2, within seconds, and one mistake is reported once without hiding others."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest



def _edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def check(game, *, timeout=5.0) -> tuple[int, list[str]]:
    """`wargame check` in its own process: a hang fails the test instead of stalling it."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "wargame", "--data", str(game), "check"],
                          capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, "WARGAME_NO_CACHE": "1"})
    assert time.perf_counter() - started < timeout
    assert "Traceback" not in done.stderr, done.stderr
    return done.returncode, [line for line in done.stderr.splitlines()
                             if line.startswith("error: ")]


def one_line(lines: list[str], *fragments: str) -> str:
    matching = [line for line in lines if all(f in line for f in fragments)]
    assert matching, f"no line with {fragments} in:\n" + "\n".join(lines)
    return matching[0]


# ---- files that are not regular files -------------------------------------------------------
def test_a_named_pipe_is_refused_not_read(game):
    os.mkfifo(game / "units" / "pipe.toml")
    code, lines = check(game)
    assert code == 2
    one_line(lines, "units/pipe.toml", "expected a regular TOML file, found a named pipe")


def test_a_dangling_link_and_a_link_loop_are_named(game):
    os.symlink(game / "nowhere.toml", game / "units" / "dangling.toml")
    os.symlink(game / "units" / "loop-b.toml", game / "units" / "loop-a.toml")
    os.symlink(game / "units" / "loop-a.toml", game / "units" / "loop-b.toml")
    code, lines = check(game)
    assert code == 2
    one_line(lines, "units/dangling.toml", "points to nothing")
    one_line(lines, "units/loop-a.toml", "symbolic link loop")


def test_a_folder_named_like_a_data_file_is_named_once(game):
    (game / "units" / "kpa.toml").unlink()
    (game / "units" / "kpa.toml").mkdir()
    code, lines = check(game)
    assert code == 2
    one_line(lines, "units/kpa.toml", "expected a TOML file, found a folder")


def test_deep_nesting_is_refused_with_one_line(game):
    deep = "x = " + "[" * 400 + "1" + "]" * 400 + "\n"
    (game / "units" / "deep.toml").write_text(deep, encoding="utf-8")
    (game / "rules" / "deep.toml").write_text("x = " + "[" * 60 + "]" * 60 + "\n",
                                             encoding="utf-8")
    code, lines = check(game)
    assert code == 2
    one_line(lines, "units/deep.toml", "nested too deep")
    one_line(lines, "rules/deep.toml", "nested too deep")


# ---- numbers, dates, codes, characters --------------------------------------------------------
@pytest.mark.parametrize("value", ["nan", "inf", "-inf"])
def test_non_finite_numbers_are_refused_where_floats_are(game, value):
    _edit(game / "rules" / "attrition.toml", "attacker_rate = 0.02", f"attacker_rate = {value}")
    _edit(game / "print" / "counters.toml", "border = 0.4", f"border = {value}")
    code, lines = check(game)
    assert code == 2
    one_line(lines, "rules/attrition.toml", "attacker_rate: expected a finite number")
    one_line(lines, "print/counters.toml", "layout.border: expected a finite number")


@pytest.mark.parametrize("pattern,value,key", [
    (r"(symbol = \{[^}]*width = )[0-9.]+", "0", "layout.symbol.width"),
    (r"(safe_margin = )[0-9.]+", "-1", "layout.safe_margin"),
    (r"(factors = \{ x = )[0-9.]+", "1e12", "layout.factors.x"),
])
def test_print_layout_numbers_have_bounds(game, pattern, value, key):
    import re

    path = game / "print" / "counters.toml"
    text, count = re.subn(pattern, lambda m: m.group(1) + value, path.read_text(encoding="utf-8"),
                          count=1)
    assert count == 1, pattern
    path.write_text(text, encoding="utf-8")
    code, lines = check(game)
    assert code == 2
    one_line(lines, "print/counters.toml", f"{key}: expected a number from")


def test_layout_bounds_are_in_the_schema():
    from wargame.validation import schema_document

    slot = schema_document("print")["$defs"]["TextSlot"]["properties"]["size"]
    assert slot["minimum"] > 0 and slot["maximum"] <= 1


def test_impossible_dates_are_refused_in_words(game):
    _edit(game / "rules" / "scenarios" / "rc4.toml", 'start = "1950-09-16"',
          'start = "1950-13-45"')
    code, lines = check(game)
    assert code == 2
    line = one_line(lines, "rules/scenarios/rc4.toml", "start: expected a real date")
    assert "[0-9]" not in line and "^" not in line  # words, never the regular expression


def test_no_message_shows_a_regular_expression(game):
    units, rc4_map = game / "units" / "kpa.toml", game / "rules" / "maps" / "rc4.toml"
    originals = {path: path.read_text(encoding="utf-8") for path in (units, rc4_map)}
    _edit(units, 'sources = ["', 'sources = ["bad key!", "')
    _edit(rc4_map, 'code = "LS"', 'code = "ls"')
    code, lines = check(game)
    for path, text in originals.items():  # a broken catalogue or map stops the scenarios
        path.write_text(text, encoding="utf-8")
    _edit(game / "rules" / "scenarios" / "rc4.toml", 'basis = "historical"', 'basis = "myth"')
    code_2, lines_2 = check(game)
    assert code == code_2 == 2
    lines += lines_2
    assert lines and not any("^" in line or "[0-9" in line or "{0," in line for line in lines)
    one_line(lines, "units/kpa.toml", "sources[0]: expected a key of letters")
    one_line(lines, "rules/maps/rc4.toml", 'code: expected a code of capital letters')
    one_line(lines, "rules/scenarios/rc4.toml", 'basis: expected one of "historical", "story"')


def test_every_pattern_in_the_model_is_said_in_words():
    import attrs

    from wargame.counters import PrintFile
    from wargame.engine.spec import RulesFile
    from wargame.loading.validate import _PATTERN_MEANINGS, hints
    from wargame.maps.model import MapFile
    from wargame.model import UnitsFile
    from wargame.scenarios.model import Scenario

    seen, stack = set(), [UnitsFile, RulesFile, Scenario, PrintFile, MapFile]
    while stack:
        cls = stack.pop()
        if cls in seen:
            continue
        seen.add(cls)
        for field in attrs.fields(cls):
            for key in ("pattern", "item_pattern"):
                if key in field.metadata:
                    assert field.metadata[key] in _PATTERN_MEANINGS, (cls.__name__, field.name)
        for tp in hints(cls).values():
            stack += [t for t in _inner_types(tp) if attrs.has(t)]


def _inner_types(tp):
    import typing

    yield tp
    for arg in typing.get_args(tp):
        yield from _inner_types(arg)


def test_result_codes_follow_one_rule_in_every_legend(game):
    _edit(game / "rules" / "land-combat.toml", 'AR = { text = "Attacker retreats a hex" }',
          'AR = { text = "Attacker retreats a hex" }\n"A R" = { text = "spaced", attacker = {} }')
    _edit(game / "rules" / "naval.toml", "[[tables]]", '[[legends]]\nid = "extra"\nname = "x"\n'
          'results."B B" = { text = "spaced", attacker = {} }\n\n[[tables]]')
    code, lines = check(game)
    assert code == 2
    for file in ("rules/land-combat.toml", "rules/naval.toml"):
        one_line(lines, file, "expected a result code of 1 to 16 characters without spaces")


def test_a_code_with_no_meaning_is_refused(game):
    _edit(game / "rules" / "land-combat.toml", 'AR = { text = "Attacker retreats a hex" }',
          'AR = { text = "Attacker retreats a hex" }\n"1" = { text = "One" }')
    code, lines = check(game)
    assert code == 2
    one_line(lines, "rules/land-combat.toml", 'results.1: "1" is not a standard code')


@pytest.mark.parametrize("char", ["\\uFFFF", "\\u0001", "\\uFDD0", "\\U0001FFFE", "\\u0085"])
def test_characters_xml_cannot_hold_are_refused(game, char):
    _edit(game / "units" / "kpa.toml", 'name = "', f'name = "bad{char} ')
    code, lines = check(game)
    assert code == 2
    one_line(lines, "units/kpa.toml", "name: expected printable text, found the control or "
             "non-character U+")


def test_a_misspelt_key_does_not_hide_the_rest_of_the_table(game):
    _edit(game / "rules" / "land-combat.toml", 'dice = "1d6"', 'dice = "1d6"\nabove_drn = 1')
    _edit(game / "rules" / "land-combat.toml", '["A2",  "A1"', '["ZZ",  "A1"')
    code, lines = check(game)
    assert code == 2
    one_line(lines, "rules/land-combat.toml", 'above_drn: unknown key (did you mean "above_drm"')
    one_line(lines, "rules/land-combat.toml", 'result "ZZ" is not in the legend')


def test_one_bad_unit_type_is_one_message(game):
    _edit(game / "units" / "types.toml", 'id = "infantry"\nname = "Infantry"',
          'id = "infantry"\nname = ""')
    code, lines = check(game)
    assert code == 2
    assert len(lines) == 1, lines
    one_line(lines, "units/types.toml", "name: expected non-empty text")


def test_a_missing_data_folder_is_one_line(tmp_path, cli):
    run = cli("--data", str(tmp_path / "nowhere"), "check")
    assert run.code == 2
    assert run.err.count("error:") == 1 and "problems found" not in run.err


# ---- dice whose exact enumeration would explode ----------------------------------------------
@pytest.mark.parametrize("notation", ["20d100+20d100", "20d1000+20d1000", "100d100kh50",
                                      "100d1000*100d1000", "100d6!+100d6!"])
def test_dice_too_big_to_enumerate_are_refused_at_once(cli, notation):
    started = time.perf_counter()
    run = cli("roll", notation, "--odds")
    assert run.code == 2 and "error:" in run.err
    assert time.perf_counter() - started < 1.0


def test_big_but_sane_dice_answer_in_milliseconds(cli):
    from wargame.engine.dice import parse_dice

    started = time.perf_counter()
    counts = parse_dice("20d100").counts()
    assert time.perf_counter() - started < 0.5
    assert sum(counts.values()) == 100 ** 20 and min(counts) == 20 and max(counts) == 2000
    assert counts[1010] == counts[1010]  # symmetric middle exists
    assert all(counts[20 + k] == counts[2000 - k] for k in range(0, 990, 37))


def test_a_table_with_exploding_dice_is_refused_at_load(game):
    _edit(game / "rules" / "land-combat.toml", 'dice = "1d6"', 'dice = "20d100+20d100"')
    code, lines = check(game)
    assert code == 2
    one_line(lines, "rules/land-combat.toml", "dice: ", "too many outcomes")


def test_a_roll_made_at_the_table_is_applied_and_checked(cli):
    run = cli("resolve", "--attack", "11", "--defend", "4", "--roll", "3")
    assert run.code == 0 and "rolled at the table and entered" in run.out and "DR" in run.out
    assert "Seed:" not in run.out
    seeded = [cli("resolve", "--attack", "11", "--defend", "4", "--roll", str(face), "--json")
              for face in range(1, 7)]
    results = [json.loads(r.out)["result"] for r in seeded]
    from wargame.loading.session import Session

    land = Session(None).rules.tables["land"]
    column = land.column_index("2-1")  # 11 to 4 is 2 to 1
    assert results == [land.cell(face - 1, column) for face in range(1, 7)]
    for args, message in ((["--roll", "7"], "7 cannot be rolled"), (["--dice", "3,5"], "2 were entered"),
                          (["--dice", "x"], "faces like"), (["--roll", "3", "--seed", "1"],
                                                            "choose one")):
        run = cli("resolve", "--attack", "11", "--defend", "4", *args)
        assert run.code == 2 and message in run.err, (args, run.err)
    run = cli("resolve", "-T", "naval-interdiction", "--attack", "5", "--dice", "6,6", "--json")
    assert run.code == 0 and json.loads(run.out)["roll"]["faces"] == [[6, 6]]


@pytest.mark.parametrize("path,after,key", [
    ("rules/scenarios/rc4.toml", 'basis = "historical"', "basis_note"),
    ("rules/maps/rc4.toml", 'name = "Route Coloniale 4, 1950"', "colour"),
    ("print/series-rules.toml", 'title = "East Asia 1950"', "titel"),
    ("print/counters.toml", "[layout]", "bordre"),
])
def test_a_misspelt_key_is_reported_in_every_kind_of_file(game, path, after, key):
    _edit(game / path, after, f"{after}\n{key} = 1")
    code, lines = check(game)
    assert code == 2
    one_line(lines, path, f"{key}: unknown key")


def test_a_table_the_game_plays_may_not_have_rules_the_verifiers_cannot_read(game):
    _edit(game / "rules" / "land-combat.toml", 'dice = "1d6"',
          'dice = "1d6"\ndice_rules = [{ when = "natural", totals = ["6"], event = "x" }]')
    code, lines = check(game)
    assert code == 2
    one_line(lines, "rules/play.toml", "combat.table", "verifiers do not read")


def test_a_misnamed_gunfire_modifier_is_named_once(game):
    """A rules-of-play problem is told once, though the scenarios load those rules again."""
    _edit(game / "rules" / "play.toml", 'modifier = "naval-gunfire"',
          'modifier = "navel-gunfire"')
    code, lines = check(game)
    assert code == 2
    one_line(lines, "rules/play.toml", "gunfire.modifier", 'did you mean "naval-gunfire"')
    assert sum("gunfire.modifier" in line for line in lines) == 1, lines
