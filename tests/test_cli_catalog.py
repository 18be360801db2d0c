"""`wargame check`, `wargame units`, `wargame units show`, completion."""

from __future__ import annotations

import json
import os
import subprocess
import sys


def test_check_summarises_the_bundled_campaign(cli):
    run = cli("check")
    assert run.code == 0, run.err
    assert "all data files are valid" in run.out
    assert "units" in run.out and "factions" in run.out


def test_units_filtered_by_faction_lists_only_the_kpa(cli):
    run = cli("units", "--faction", "kpa")
    assert run.code == 0, run.err
    rows = [line for line in run.out.splitlines() if line.startswith("kpa")]
    assert len(rows) >= 20
    assert any("kpa-107-tank" in row and "5-3-9" in row for row in rows)
    assert "pla-" not in run.out and "rok-" not in run.out


def test_units_faction_by_name_and_type_filter(cli):
    run = cli("units", "--faction", "Korean People's Army", "--type", "armour", "--json")
    records = json.loads(run.out)
    assert records and {r["faction"] for r in records} == {"kpa"}
    assert {r["type"] for r in records} == {"armour"}
    assert all(r["printed"]["full"] for r in records)


def test_units_json_is_complete(cli):
    records = json.loads(cli("units", "--json").out)
    assert len(records) >= 80
    first = records[0]
    assert {"id", "name", "faction", "factors", "reduced", "strength", "basis", "steps"} <= set(first)


def test_unit_show_by_partial_name_and_native_name(cli):
    run = cli("units", "show", "107")
    assert run.code == 0
    assert "107th Tank Regiment" in run.out and "5-3-9" in run.out and "[K8]" in run.out
    assert "107th Tank Regiment" in cli("units", "show", "제107땅크련대").out


def test_unit_show_ambiguous_and_unknown(cli):
    run = cli("units", "show", "tank")
    assert run.code == 2
    assert run.err.count("\n") == 1 and "matches" in run.err and "kpa-107-tank" in run.err
    run = cli("units", "show", "kpa-107-tonk")
    assert run.code == 2 and "did you mean kpa-107-tank" in run.err


def test_unknown_faction_filter_is_a_clear_error(cli):
    run = cli("units", "--faction", "klingon")
    assert run.code == 2 and 'no faction matches "klingon"' in run.err


def test_data_option_pointing_nowhere(cli, tmp_path):
    run = cli("--data", str(tmp_path / "missing"), "units")
    assert run.code == 2 and "expected a game folder" in run.err


def test_unit_names_are_printed_literally(cli, mini_game):
    (mini_game / "units" / "odd.toml").write_text(
        'faction = "red"\n[[units]]\nid = "odd"\nname = "<b>[bold]../x</b>"\ntype = "armour"\n'
        'echelon = "brigade"\ndesignation = "<i>"\nbasis = "story"\n'
        'factors = { attack = 2, defence = 2, movement = 6 }\n', encoding="utf-8")
    run = cli("--data", str(mini_game), "units")
    assert "<b>[bold]../x</b>" in run.out


def test_shell_completion_offers_unit_ids():
    env = dict(os.environ, _WARGAME_COMPLETE="bash_complete", COMP_WORDS="wargame units show kpa-10",
               COMP_CWORD="3")
    out = subprocess.run([sys.executable, "-c", "from wargame.cli import main; main()"],
                         env=env, capture_output=True, text=True).stdout
    assert "kpa-107-tank" in out and "kpa-109-tank" in out


def test_completion_script(cli):
    run = cli("completion", "bash")
    assert run.code == 0 and "_WARGAME_COMPLETE" in run.out


import pytest


@pytest.mark.parametrize("argv", [
    ["units", "--faction", "kpa"],
    ["resolve", "-a", "kpa-1-div", "-d", "rok-7-div", "--seed", "1"],
    ["odds", "--attack", "6", "--defend", "2"],
    ["roll", "2d6"],
])
def test_fast_commands_import_no_printing_library(argv):
    code = (f"import sys; from wargame.cli import main; main({argv!r});"
            "heavy = [m for m in ('reportlab', 'milsymbol', 'svglib', 'rich', 'pypdfium2', "
            "'cattrs') if m in sys.modules]; print('HEAVY', heavy, file=sys.stderr)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert "HEAVY []" in result.stderr, result.stderr


@pytest.mark.parametrize("argv, absent", [
    # a second listing reads the checked cache: no TOML parser, no writer
    (["units"], ("tomllib", "tempfile", "fractions")),
    # a roll needs HMAC-SHA256 but neither exact odds nor the secrets module's random
    (["roll", "2d6"], ("fractions", "decimal", "secrets", "random", "tomllib")),
    # combat on bare strengths needs the tables, not the units, maps or scenarios
    (["odds", "--attack", "12", "--defend", "4"],
     ("wargame.model", "wargame.maps.model", "wargame.scenarios.model", "tomllib")),
    (["resolve", "--attack", "12", "--defend", "4", "--seed", "1"],
     ("wargame.model", "wargame.maps.model", "wargame.scenarios.model", "tomllib")),
])
def test_fast_commands_import_only_what_they_use(argv, absent, tmp_path):
    import os

    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    env.pop("WARGAME_NO_CACHE", None)
    code = (f"import sys; from wargame.cli import main; main({argv!r});"
            f"print('LOADED', [m for m in {absent!r} if m in sys.modules], file=sys.stderr)")
    subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env=env)
    assert "LOADED []" in result.stderr, result.stderr
