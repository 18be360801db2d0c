"""Every malformed file in tests/malformed is rejected with a one-line error that names the
file and the key path, says what was expected, and exits with code 2."""

from __future__ import annotations

import shutil

import pytest

from conftest import MALFORMED

# file -> fragments the error line must contain (after "error: units/bad.toml").
EXPECTED = {
    "syntax_unclosed_string": [":2:12: invalid TOML"],
    "syntax_missing_equals": [":2:4: invalid TOML: Expected '='"],
    "syntax_duplicate_key": [":3:", "invalid TOML: Cannot overwrite"],
    "empty": [": empty file"],
    "comments_only": [": empty file"],
    "binary": [": expected a UTF-8 TOML text file, found binary data"],
    "latin1": [":3:12: expected UTF-8 text, found byte 0xe9"],
    "unknown_top_key": [": unit: unknown top-level key (did you mean \"units\"?)"],
    "units_not_array": [": units: expected an array of tables"],
    "unknown_unit_key": [": units[0].desigantion: unknown key (did you mean \"designation\"?)"],
    "missing_name": [": units[0].name: missing required key"],
    "factor_text": [": units[0].factors.attack: expected a whole number, found the string \"six\""],
    "factor_negative": [": units[0].factors.attack: expected a whole number from 0 to 99, found -1"],
    "factor_absurd": [": units[0].factors.attack: expected a whole number from 0 to 99, found 500"],
    "factor_float": [": units[0].factors.attack: expected a whole number, found 2.5"],
    "factor_bool": [": units[0].factors.attack: expected a whole number, found true"],
    "factors_not_table": [": units[0].factors: expected a table, found 6"],
    "bad_echelon": [": units[0].echelon: expected one of", "(did you mean \"division\"?)"],
    "bad_basis": [": units[0].basis: expected one of \"historical\"", "found the string \"legend\""],
    "bad_id": [": units[0].id: expected an id", "found the string \"Red 9th\""],
    "duplicate_id_across_files": ["units[0].id: duplicate id \"red-1\": already used at units/"],
    "duplicate_id_in_file": [": units[1].id: duplicate id \"red-9\": already used at "
                             "units/bad.toml: units[0]"],
    "unknown_faction": [": units[0].faction: unknown faction \"rde\" (did you mean \"red\"?)"],
    "unknown_type": [": units[0].type: unknown unit type \"infantri\" (did you mean \"infantry\"?)"],
    "missing_factor": [": units[0].factors: missing factor \"movement\""],
    "unknown_factor": [": units[0].factors.defense: unknown factor for scheme \"ground\" "
                       "(did you mean \"defence\"?)"],
    "reduced_above_full": [": units[0].reduced.attack: expected at most the full-strength value 2, "
                           "found 3"],
    "unknown_source": [": units[0].sources: unknown source key \"S2\""],
    "sources_not_array": [": units[0].sources: expected an array, found the string \"S1\""],
    "strength_negative": [": units[0].strength.men: expected a whole number from 0 to 5000000, "
                          "found -5"],
    "strength_unknown_key": [": units[0].strength.soldiers: unknown key"],
    "designation_too_long": [": units[0].designation: expected at most 12 characters, found 20"],
    "name_empty": [": units[0].name: expected non-empty text"],
    "missing_faction": [": units[0].faction: missing required key"],
    "bad_colour": [": factions[0].colours.fill: expected a colour like", "found the string \"green\""],
    "bad_affiliation": [": factions[0].affiliation: expected one of", "(did you mean \"friend\"?)"],
    "type_unknown_scheme": [": types[0].scheme: unknown factor scheme \"grund\" "
                            "(did you mean \"ground\"?)"],
    "type_bad_symbol_set": [": types[0].symbol.set: expected an APP-6D symbol set", "found 99"],
    "type_bad_entity": [": types[0].symbol.entity: expected six digits, found the string \"12130\""],
    "scheme_labels_mismatch": [": schemes[0].labels: expected 3 labels (one per factor), found 1"],
    "scheme_no_factors": [": schemes[0].factors: expected from 1 to 6 items, found 0"],
    "file_faction_bad": [": faction: expected text, found 7"],
    "control_chars": [": units[0].name: expected printable text, found the control or non-character U+0007"],
    "bidi_override": [": units[0].name: expected printable text, found the control or non-character U+202E"],
}


def test_corpus_is_complete():
    on_disk = {p.stem for p in MALFORMED.glob("*.toml")}
    assert on_disk == set(EXPECTED)
    assert len(on_disk) >= 30


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_malformed_file_is_rejected_with_a_precise_message(case, mini_game, cli):
    shutil.copy(MALFORMED / f"{case}.toml", mini_game / "units" / "bad.toml")
    run = cli("--data", str(mini_game), "check")
    assert run.code == 2
    assert "Traceback" not in run.err + run.out
    errors = [line for line in run.err.splitlines() if line.startswith("error: ")]
    assert errors, run.err
    wanted = EXPECTED[case]
    matching = [line for line in errors if all(fragment in line for fragment in wanted)]
    assert matching, f"no error line of\n{run.err}\ncontains all of {wanted}"
    assert "units/bad.toml" in run.err or case == "duplicate_id_across_files"


def test_all_problems_are_reported_at_once(mini_game, cli):
    (mini_game / "units" / "bad.toml").write_text(
        '[[units]]\nid = "x1"\nname = "X"\nfaction = "rde"\ntype = "infantry"\n'
        'echelon = "divison"\ndesignation = "1"\nbasis = "story"\n'
        'factors = { attack = 1, defence = 1, movement = 1 }\n\n'
        '[[units]]\nid = "x2"\nname = "Y"\nfaction = "rde"\ntype = "infantry"\n'
        'echelon = "division"\ndesignation = "2"\nbasis = "story"\n'
        'factors = { attack = -3, defence = 1, movement = 1 }\n\n'
        '[[units]]\nid = "x3"\nname = "Z"\nfaction = "rde"\ntype = "infantry"\n'
        'echelon = "division"\ndesignation = "3"\nbasis = "story"\n'
        'factors = { attack = 1, defence = 1, movement = 1 }\n', encoding="utf-8")
    (mini_game / "units" / "worse.toml").write_text("units = [", encoding="utf-8")
    run = cli("--data", str(mini_game), "check")
    assert run.code == 2
    errors = [line for line in run.err.splitlines() if line.startswith("error: ")]
    assert any("units[0].echelon" in e for e in errors)
    assert any("units[1].factors.attack" in e for e in errors)
    assert any("units[2].faction: unknown faction" in e for e in errors)
    assert any(e.startswith("error: units/worse.toml:1:") for e in errors)
    assert f"{len(errors)} problems found." in run.err


def test_debug_flag_shows_the_traceback(mini_game, cli):
    (mini_game / "units" / "bad.toml").write_text("x = ", encoding="utf-8")
    with pytest.raises(Exception) as info:
        cli("--debug", "--data", str(mini_game), "check")
    assert "invalid TOML" in str(info.value)
