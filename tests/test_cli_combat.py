"""`wargame resolve`, `odds`, `roll`, `tables` and rules validation from the command line."""

from __future__ import annotations

import json
import shutil
from fractions import Fraction

import pytest

from conftest import FIXTURES


def test_resolve_explains_every_step(cli):
    run = cli("resolve", "-a", "kpa-1-div", "-a", "kpa-107-tank", "-d", "rok-7-div",
              "-t", "mountain", "-m", "no-anti-tank", "--seed", "42")
    assert run.code == 0, run.err
    out = run.out
    assert "Attack: 6 (kpa-1-div) + 5 (kpa-107-tank) = 11" in out
    assert "Defence: 4 (rok-7-div) x2 (terrain: Mountain) = 8" in out
    assert "11 to 8 = 1.38 to 1, rounded in the defender's favour to 1 to 1: column 1-1" in out
    assert "-1 terrain: Mountain" in out and "+1 Armour against" in out
    assert "Roll 1d6: (" in out and "Result:" in out and "Effects:" in out
    assert "Seed: 42" in out


def test_resolve_is_reproducible_and_json_is_complete(cli):
    args = ("resolve", "-a", "kpa-4-div", "-d", "rok-1-div", "--seed", "abc", "--json")
    first, second = json.loads(cli(*args).out), json.loads(cli(*args).out)
    assert first == second
    assert first["column"] == "3-2" and first["roll"]["faces"]
    assert first["result"] in {"AR", "NE", "EX", "DR", "D1R"}


def test_resolve_result_agrees_with_the_table(cli):
    for seed in map(str, range(12)):
        data = json.loads(cli("resolve", "--attack", "9", "--defend", "3", "--seed", seed,
                              "--json").out)
        table = json.loads(cli("tables", "land", "--json").out)
        row = table["rows"].index(str(data["roll"]["total"]))
        assert table["cells"][row][table["columns"].index("3-1")] == data["result"]


def test_odds_sum_to_one_and_match_the_column(cli):
    data = json.loads(cli("odds", "--attack", "12", "--defend", "4", "--json").out)
    assert data["column"] == "3-1"
    total = sum(Fraction(r["probability"]) for r in data["results"])
    assert total == 1
    assert {r["code"]: r["probability"] for r in data["results"]} == {
        "EX": "1/6", "DR": "1/6", "D1R": "1/3", "D1R2": "1/6", "D2R2": "1/6"}
    assert data["expected"]["defender_steps"] == pytest.approx((1 + 2 + 1 + 2) / 6)


def test_every_bundled_procedure_previews_and_resolves(cli):
    cases = {
        "air-ground": ["-a", "sov-mig15-1", "-a", "kpa-1-div", "-d", "rocaf-p51-1", "-d",
                       "rok-1-div"],
        "strait-crossing": ["-a", "pla-junk-1", "-a", "pla-118-div", "-d", "roc-3fleet-1",
                            "-d", "roc-32-army"],
        "airborne-assault": ["-a", "pla-89-abn-1", "-d", "roc-taiwan-div-1", "--column",
                             "drop=rough"],
    }
    for procedure, args in cases.items():
        preview = cli("odds", "-P", procedure, *args, "--json")
        assert preview.code == 0, preview.err
        data = json.loads(preview.out)
        assert sum(Fraction(p["probability"]) for p in data["paths"]) == 1
        done = cli("resolve", "-P", procedure, *args, "--seed", "1", "--json")
        assert done.code == 0, done.err
        assert json.loads(done.out)["stages"]


def test_every_bundled_table_previews(cli):
    listing = cli("tables")
    assert listing.code == 0
    for table in ["land", "air-combat", "amphibious", "naval-interdiction",
                  "guerrilla-action", "guerrilla-sweep"]:
        run = cli("odds", "-T", table, "--attack", "5", "--defend", "3", "--json")
        assert run.code == 0, (table, run.err)
    run = cli("odds", "-T", "airborne-drop", "--column", "clear", "--json")
    assert run.code == 0, run.err


def test_attrition_resolves_and_previews(cli):
    run = cli("resolve", "-A", "strategic", "-a", "kpa-1-div", "-d", "rok-7-div", "--seed", "3")
    assert run.code == 0 and "Attacker loses" in run.out
    run = cli("odds", "-A", "strategic", "--attack-force", "30000,40", "--defend-force", "20000")
    assert run.code == 0 and "Defender losses" in run.out


def test_combat_input_errors_are_one_line_exit_2(cli):
    cases = [
        (("resolve", "-a", "sov-mig15-1", "-d", "rok-1-div"), 'has no "attack" factor'),
        (("resolve", "-T", "nonesuch", "--attack", "3", "--defend", "1"), "no table matches"),
        (("resolve", "--attack", "3", "--defend", "1", "-t", "glacier"), "no terrain matches"),
        (("resolve", "--attack", "3", "--defend", "1", "--shift", "lots"), "--shift: expected"),
        (("resolve", "--attack", "3"), "no defence strength"),
        (("odds", "-T", "airborne-drop"), "needs a column"),
        (("resolve", "-a", "us-tf-smith:r", "-d", "kpa-1-div"), "no reduced side"),
        (("roll", "2x6"), 'cannot read dice "2x6" at "x6"'),
        (("odds", "-A", "strategic"), "no men, tanks or guns"),
    ]
    for args, fragment in cases:
        run = cli(*args)
        assert run.code == 2, (args, run.err)
        assert fragment in run.err and "Traceback" not in run.err
        assert len(run.err.strip().splitlines()) == 1, run.err


def test_roll_and_its_odds(cli):
    run = cli("roll", "2d6+1", "--seed", "s", "-n", "3")
    assert run.code == 0 and run.out.count("2d6+1:") == 3
    assert cli("roll", "2d6+1", "--seed", "s", "-n", "3").out == run.out
    odds = cli("roll", "2d6", "--odds").out
    assert "1/6" in odds and "1/36" in odds


# ---- malformed rules --------------------------------------------------------------------------

RULES_CASES = {
    "ragged row": ("cells = [[\"AE\", \"DE\"], [\"AE\"]]", "tables[0].cells[1]: expected 2 results"),
    "missing row": ("cells = [[\"AE\", \"DE\"]]", "tables[0].cells: expected 2 rows"),
    "unknown code": ("cells = [[\"AE\", \"XX\"], [\"AE\", \"DE\"]]",
                     'tables[0].cells[0][1]: result "XX" is not in the legend'),
    "bad odds column": ('columns = ["1-1", "two to one"]',
                        'tables[0].columns[1]: expected odds like "3-1"'),
    "descending odds": ('columns = ["2-1", "1-1"]', "tables[0].columns[1]: expected odds higher"),
    "bad dice": ('dice = "2x6"', "tables[0].dice: expected dice notation"),
    "bad kind": ('kind = "ratio"', 'tables[0].kind: expected one of "odds"'),
    "unknown legend": ('legend = "standart"', 'tables[0].legend: unknown legend "standart"'),
    "bad below": ('below = "XX"', "tables[0].below: expected 'clamp' or 'none' or a result"),
    "unknown key": ('colums = ["1-1"]', "tables[0].colums: unknown key (did you mean \"columns\"?)"),
    "natural impossible": ("natural = { 9 = \"AE\" }", "tables[0].natural.9: 1d2 cannot roll 9"),
}

BASE_TABLE = '''[[tables]]
id = "t"
name = "Test"
kind = "odds"
dice = "1d2"
columns = ["1-1", "2-1"]
cells = [["AE", "DE"], ["AE", "DE"]]
results.AE = { text = "Attacker eliminated" }
results.DE = { text = "Defender eliminated" }
'''


@pytest.mark.parametrize("case", sorted(RULES_CASES))
def test_malformed_rules_are_rejected_precisely(case, mini_game, cli):
    line, expected = RULES_CASES[case]
    key = line.split("=")[0].strip()
    body = "\n".join(l for l in BASE_TABLE.splitlines() if not l.startswith(key + " ")
                     or key == "colums")
    (mini_game / "rules").mkdir()
    (mini_game / "rules" / "bad.toml").write_text(body + "\n" + line + "\n", encoding="utf-8")
    run = cli("--data", str(mini_game), "check")
    assert run.code == 2, run.out
    assert any(l.startswith("error: rules/bad.toml: ") and expected in l
               for l in run.err.splitlines()), run.err


def test_broken_procedure_is_rejected(mini_game, cli):
    (mini_game / "rules").mkdir()
    (mini_game / "rules" / "p.toml").write_text(BASE_TABLE + '''
[[procedures]]
id = "p"
name = "P"
[[procedures.stages]]
id = "one"
table = "t"
feeds = { ZZ = { shift = 1, to = ["nowhere"] } }
[[procedures.stages]]
id = "two"
table = "tt"
''', encoding="utf-8")
    run = cli("--data", str(mini_game), "check")
    assert run.code == 2
    assert 'procedures[0].stages[0]: result "ZZ" is not in the legend' in run.err
    assert 'procedures[0].stages[1].table: unknown table "tt" (did you mean "t"?)' in run.err
    assert '"nowhere" is not a later stage' in run.err


def test_a_users_own_crt_resolves(cli, tmp_path):
    game = tmp_path / "mygame"
    shutil.copytree(FIXTURES / "classic", game)
    run = cli("--data", str(game), "odds", "-T", "ah", "-a", "red-1", "-d", "blue-1")
    assert run.code == 0, run.err
    assert "1-2" in run.out  # 4 against 5 is 1-2 after rounding for the defender


def test_the_readme_crt_example_works(mini_game, cli):
    """The CRT shown in the README loads and resolves exactly as written."""
    import re
    from pathlib import Path

    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```toml\n(\[\[tables\]\].*?)```", readme, re.S)[1]
    (mini_game / "rules").mkdir()
    (mini_game / "rules" / "crt.toml").write_text(block, encoding="utf-8")
    assert cli("--data", str(mini_game), "check").code == 0
    data = json.loads(cli("--data", str(mini_game), "odds", "-T", "crt", "--attack", "6",
                          "--defend", "3", "--json").out)
    assert data["column"] == "2-1"
    assert {r["code"]: r["probability"] for r in data["results"]} == {
        "DR": "1/2", "EX": "1/6", "DE": "1/3"}


def test_resolve_from_the_map_equals_typing_the_terrain_by_hand(cli):
    """--hex and --from read the defender's terrain and the river every attacker crosses
    from the map; the result is the one typed by hand, and the explanation names both."""
    from wargame.maps.hexgrid import hex_id
    from wargame.loading.session import Session

    korea = Session(None).maps["korea"]
    (a, b), kind = next(((a, b), k) for (a, b), k in sorted(korea.hexsides.items())
                        if k == "major-river" and korea.is_land(a) and korea.is_land(b))
    units = ["-a", "kpa-3-div", "-a", "kpa-107-tank", "-d", "rok-7-div", "-m", "no-anti-tank"]
    for roll in ("1", "3", "6"):
        mapped = cli("resolve", *units, "--map", "korea", "--hex", hex_id(b), "--from",
                     hex_id(a), "--roll", roll, "--json")
        typed = cli("resolve", *units, "-t", korea.terrain[b], "-t", kind, "--roll", roll,
                    "--json")
        assert mapped.code == typed.code == 0, mapped.err + typed.err
        m, t = json.loads(mapped.out), json.loads(typed.out)
        assert (m["attack"], m["defence"], m["column"], m["result"]) == \
            (t["attack"], t["defence"], t["column"], t["result"])
        assert any(f"hexside {hex_id(a)}/{hex_id(b)}" in line or
                   f"hexside {hex_id(b)}/{hex_id(a)}" in line for line in m["explanation"])
    far = cli("resolve", *units, "--map", "korea", "--hex", hex_id(b), "--from", "0101")
    assert far.code == 2 and "not next to the defender's hex" in far.err
    off = cli("resolve", *units, "--map", "korea", "--hex", "9999")
    assert off.code == 2 and "is not a hex of map" in off.err
