"""Mechanics of published games typed in as data (tests/fixtures/published): each one checked
by its exact distribution against an enumeration, and dice rolled at the table entered as
players read them."""

from __future__ import annotations

import json
from collections import Counter
from fractions import Fraction
from pathlib import Path

import pytest

from wargame.engine.dice import parse_dice

PUBLISHED = Path(__file__).parent / "fixtures" / "published"


@pytest.fixture
def game(cli):
    def run(*args):
        return cli("--data", str(PUBLISHED), *args)
    return run


def _json(run):
    assert run.code == 0, run.err
    return json.loads(run.out)


# ---- dice rolled at the table --------------------------------------------------------------

def test_a_2d6_total_is_entered_as_read_and_agrees_with_each_die(game):
    odds = _json(game("odds", "-T", "fire2d6", "--attack", "5", "--json"))
    seen: Counter = Counter()
    for total, ways in parse_dice("2d6").counts().items():
        by_total = _json(game("resolve", "-T", "fire2d6", "--attack", "5", "--roll",
                              str(total), "--json"))
        first = min(6, total - 1)
        by_dice = _json(game("resolve", "-T", "fire2d6", "--attack", "5", "--dice",
                             f"{first},{total - first}", "--json"))
        assert by_total["result"] == by_dice["result"]
        assert by_total["roll"]["total"] == total and by_total["entered"]
        seen[by_total["result"]] += Fraction(ways, 36)
    assert seen == {r["code"]: Fraction(r["probability"]) for r in odds["results"]}


def test_a_d10_read_0_to_9_is_entered_as_read(game):
    results = {}
    for read in range(10):
        run = _json(game("resolve", "-T", "diff10", "-a", "n-inf", "-d", "s-inf", "--roll",
                         str(read), "--json"))
        assert run["roll"]["total"] == read
        die = _json(game("resolve", "-T", "diff10", "-a", "n-inf", "-d", "s-inf", "--dice",
                         str(read), "--json"))
        assert die["result"] == run["result"] and die["roll"]["total"] == read
        assert f"d10-1: ({read}) = {read}" in " ".join(die["explanation"])
        results[read] = run["result"]
    # 5 against 3 is +2: the 0..2 column, rows 0-2, 3-6, 7-9
    assert [results[r] for r in (0, 2, 3, 6, 7, 9)] == ["1/1", "1/1", "D1", "D1", "D2", "D2"]
    for args, message in ((["--roll", "10"], "totals 0 to 9; 10 cannot"),
                          (["--dice", "10"], "reads 0 to 9; 10 cannot"),
                          (["--roll", "-1"], "cannot be rolled")):
        refused = game("resolve", "-T", "diff10", "-a", "n-inf", "-d", "s-inf", *args)
        assert refused.code == 2 and message in refused.err, refused.err


def test_a_procedure_is_rolled_at_the_table_stage_by_stage(game):
    base = ("resolve", "-P", "fire-then-assault", "-a", "n-inf", "-d", "s-inf", "--json")
    odds = _json(game("odds", *base[1:]))
    exact = {tuple(p["results"]): Fraction(p["probability"]) for p in odds["paths"]}
    seen: Counter = Counter()
    for fire, ways in parse_dice("2d6").counts().items():
        for assault in range(10):
            run = _json(game(*base, "--roll", f"fire={fire}", "--roll", f"assault={assault}"))
            assert run["entered"] and run["seed"] is None
            seen[tuple(s["result"] for s in run["stages"])] += Fraction(ways, 36 * 10)
    assert seen == exact
    missing = game(*base, "--roll", "fire=7")
    assert missing.code == 2 and "--roll assault=N" in missing.err
    unnamed = game(*base, "--roll", "7")
    assert unnamed.code == 2 and "name the stage" in unnamed.err


# ---- exchanges -----------------------------------------------------------------------------

@pytest.mark.parametrize("table,attacker,line", [
    ("odds-ex", "n-arm", "Attacker: loses units worth at least 3 printed combat factors"),
    ("step-ex", "n-inf", "Attacker: loses units worth at least 2 printed combat factors"),
    ("step-ex", "n-arm", "Attacker: loses 1 step (exchange: as many as the defender lost)"),
])
def test_every_exchange_form_names_the_loss_in_the_games_factor(game, table, attacker, line):
    run = _json(game("resolve", "-T", table, "-a", attacker, "-d", "s-inf", "--roll", "1",
                     "--json"))
    assert any(e.startswith(line) for e in run["effects"]), run["effects"]
    assert any(e.startswith("s-inf: ") for e in run["effects"])  # the defender's loss stays


def _fake_run(catalog, rules, pieces):
    """Just what carrying out a result reads and writes, around real pieces."""
    from types import SimpleNamespace

    from wargame.play.theatre import Theatre

    run = SimpleNamespace()
    run.state = SimpleNamespace(position={p.unit: p for p in pieces}, standing={})
    run.theatre = SimpleNamespace(
        rules=rules, unit=lambda u: catalog.units[u], name=lambda u: u,
        domain=lambda u: catalog.types[catalog.units[u].type].domain,
        factors=lambda u, steps: Theatre.factors(SimpleNamespace(catalog=catalog), u, steps),
        enemy=lambda side: "south" if side == "north" else "north",
        play=SimpleNamespace(combat=SimpleNamespace(results_case="7.6", advance_case="7.7")))
    run.set_piece = lambda piece, cause: run.state.position.__setitem__(piece.unit, piece)
    return run


@pytest.mark.parametrize("code,attackers,left", [
    # 2 factors lost by the defender: the infantry's step (5 -> 2) covers it
    ("EXF", ("n-inf",), {"n-inf": 1}),
    # the armour's first step (7 -> 3) covers it; the infantry is untouched
    ("EXF", ("n-arm", "n-inf"), {"n-arm": 1, "n-inf": 2}),
    ("EXS", ("n-arm", "n-inf"), {"n-arm": 1, "n-inf": 2}),
    # the classic EX: 3 factors eliminated; the 2-step infantry (5, then 2) gives them
    ("EX", ("n-inf",), {"n-inf": 1}),
])
def test_the_game_takes_the_exchange_loss_it_explains(code, attackers, left):
    from types import SimpleNamespace

    from wargame.loading.session import Session
    from wargame.play.position import Piece
    from wargame.play.results import carry_out

    session = Session(PUBLISHED)
    table = session.rules.tables["odds-ex" if code == "EX" else "step-ex"]
    pieces = [Piece(u, "north", 2, hex="0101") for u in attackers]
    pieces.append(Piece("s-inf", "south", 2, hex="0102"))
    run = _fake_run(session.catalog, session.rules, pieces)
    attack = SimpleNamespace(attackers=attackers, defenders=("s-inf",), table=table.id,
                             side="north", target=None, advance=())
    carry_out(run, attack, table.result(code), "b1", "steps")
    position = run.state.position
    assert {u: position[u].steps for u in attackers} == left
    assert position["s-inf"].steps == (0 if code == "EX" else 1)


# ---- strengths and odds --------------------------------------------------------------------

def _cells(table, column: str, drm: int = 0) -> dict[str, Fraction]:
    """Every face of the table's dice, read off its grid in ``column`` (the enumeration)."""
    from wargame.engine.tables import parse_band

    spec = table.spec
    index = spec.columns.index(column)
    bands = [parse_band(r) for r in (spec.rows or [str(t) for t in table.dice.counts()])]
    counts = table.dice.counts()
    seen: Counter = Counter()
    for total, ways in counts.items():
        value = min(max(total + drm, bands[0].low), bands[-1].high)
        row = next(i for i, band in enumerate(bands) if band.contains(value))
        seen[spec.cells[row][index]] += Fraction(ways, sum(counts.values()))
    return dict(seen)


def _odds(game, *args) -> tuple[dict, dict[str, Fraction]]:
    data = _json(game("odds", *args, "--json"))
    return data, {r["code"]: Fraction(r["probability"]) for r in data["results"]}


@pytest.fixture(scope="module")
def tables():
    from wargame.loading.rules import load_rules

    return load_rules(PUBLISHED, use_cache=False).tables


@pytest.mark.parametrize("table,attack,defend,column", [
    ("odds-attacker", 7, 3, "3-1"), ("odds-attacker", 5, 4, "3-2"),
    ("odds-attacker", 4, 7, "1-1"), ("odds-attacker", 1, 3, "1-2"),
    ("odds-nearest", 7, 3, "2-1"), ("odds-nearest", 5, 2, "2-1"),
    ("odds-nearest", 11, 4, "3-1"), ("odds-nearest", 4, 7, "1-2"), ("odds-nearest", 4, 5, "1-1"),
    ("odds-each", 7, 3, "2-1"), ("odds-each", 4, 7, "1-2"),
])
def test_odds_are_rounded_as_the_table_says(game, tables, table, attack, defend, column):
    data, odds = _odds(game, "-T", table, "--attack", str(attack), "--defend", str(defend))
    assert data["column"] == column
    assert odds == _cells(tables[table], column)


def test_shifts_off_the_table_count_from_the_edge_or_from_a_virtual_column(game, tables):
    edge, edge_odds = _odds(game, "-T", "odds-attacker", "--attack", "20", "--defend", "2",
                            "--shift", "-1:mud")
    assert edge["column"] == "2-1" and edge_odds == _cells(tables["odds-attacker"], "2-1")
    assert any("Capped at 3-1 before shifts" in line for line in edge["explanation"])
    virtual, _ = _odds(game, "-T", "odds-nearest", "--attack", "20", "--defend", "2",
                       "--shift", "-1:mud")
    assert virtual["column"] == "3-1"  # 10-1 is seven columns beyond; one shift leaves six


def test_each_unit_is_halved_and_rounded_on_its_own(game, tables):
    each, odds = _odds(game, "-T", "odds-each", "-a", "n-inf", "-a", "n-arm", "-d", "s-inf",
                       "-d", "s-arm", "-m", "river")
    assert each["attack"] == 5 and each["column"] == "1-2"  # 2 + 3, not 12 x 1/2 = 6
    assert odds == _cells(tables["odds-each"], "1-2")
    whole, _ = _odds(game, "-T", "odds-nearest", "-a", "n-inf", "-a", "n-arm", "-d", "s-inf",
                     "-d", "s-arm", "-m", "river")
    assert whole["attack"] == 6


def test_a_table_may_let_a_side_count_nothing(game):
    none, _ = _odds(game, "-T", "odds-each", "--attack", "1", "--defend", "3", "-m", "river")
    assert none["attack"] == 0
    assert any("no attack strength" in line for line in none["explanation"])
    least, _ = _odds(game, "-T", "odds-nearest", "--attack", "1", "--defend", "3", "-m",
                     "river")
    assert least["attack"] == 1
    assert any("raised to the table's least strength of 1" in line
               for line in least["explanation"])
    assert not any("rounded down to 1" in line for line in least["explanation"])


def test_modifiers_of_one_unit_and_of_each_unit_add_and_multiply(game, tables):
    data, odds = _odds(game, "-T", "odds-nearest", "-a", "n-inf:point-blank",
                       "-a", "n-arm:long-range", "-d", "s-inf", "-d", "s-arm",
                       "-m", "veteran", "-m", "engineers")
    # (5 x 2 + 1) + (7 x 1/2 + 1) + 2 = 17.5, rounded down; 17 to 7 is 2.43: nearest 2-1
    assert data["attack"] == 17 and data["column"] == "2-1"
    assert odds == _cells(tables["odds-nearest"], "2-1")
    ad_hoc, _ = _odds(game, "-T", "odds-nearest", "-a", "n-inf:x2:+1", "-a", "n-arm:r",
                      "--defend", "1.5")
    assert ad_hoc["attack"] == 14 and ad_hoc["defence"] == 1  # 11 + 3; 1.5 rounded down


def test_no_attack_strength_is_an_answer_not_a_crash(cli):
    run = cli("odds", "--attack", "0", "--defend", "4", "--json")
    assert run.code == 0 and "no attack strength" in run.out


# ---- rules on the dice as they fall ----------------------------------------------------------

def test_doubles_and_natural_rolls_shift_replace_and_add_events(game, tables):
    table = tables["fire-doubles"]
    spec = table.spec
    data = _json(game("odds", "-T", "fire-doubles", "--attack", "5", "--json"))
    exact = {(r["code"], tuple(r["events"])): Fraction(r["probability"])
             for r in data["results"]}
    seen: Counter = Counter()
    rows = [(2, 6), (7, 9), (10, 12)]
    for a in range(1, 7):
        for b in range(1, 7):
            column = 1 + (1 if a == b else 0)  # fire 5 is the 4..7 column
            row = next(i for i, (low, high) in enumerate(rows) if low <= a + b <= high)
            code = "JAM" if a == b == 1 else spec.cells[row][column]
            events = ("a leader casualty check",) if a + b == 12 else ()
            seen[(code, events)] += Fraction(1, 36)
            rolled = _json(game("resolve", "-T", "fire-doubles", "--attack", "5", "--dice",
                                f"{a},{b}", "--json"))
            assert (rolled["result"], tuple(rolled["events"])) == (code, events)
    assert seen == exact
    assert "Also: a leader casualty check" in _json(game(
        "resolve", "-T", "fire-doubles", "--attack", "5", "--dice", "6,6", "--json"))["effects"]
    total_only = game("resolve", "-T", "fire-doubles", "--attack", "5", "--roll", "7")
    assert total_only.code == 2 and "give each die with --dice" in total_only.err


def test_a_rule_on_doubles_needs_two_dice(tmp_path, cli):
    import shutil

    shutil.copytree(PUBLISHED, tmp_path / "g")
    path = tmp_path / "g" / "rules" / "tables.toml"
    text = path.read_text()
    path.write_text(text.replace('id = "fire-doubles"\nname = "Fire table with rules on '
                                 'doubles"\nkind = "fire"\ndice = "2d6"',
                                 'id = "fire-doubles"\nname = "Fire table with rules on '
                                 'doubles"\nkind = "fire"\ndice = "1d12"')
                    .replace('rows = ["2..6", "7..9", "10..12"]\ncells = [["NE", "NE", "D1"], '
                             '["NE", "D1", "D1"], ["D1", "D1", "D2"]]\nattack_factor = '
                             '"combat"\nresults.JAM',
                             'rows = ["1..6", "7..9", "10..12"]\ncells = [["NE", "NE", "D1"], '
                             '["NE", "D1", "D1"], ["D1", "D1", "D2"]]\nattack_factor = '
                             '"combat"\nresults.JAM'))
    run = cli("--data", str(tmp_path / "g"), "check")
    assert run.code == 2
    assert "dice_rules[0].when: 1d12 is one die: it cannot roll doubles" in run.err


# ---- branching procedures --------------------------------------------------------------------

def test_a_stage_is_rolled_only_after_the_result_that_leads_to_it(game, tables):
    base = ("-P", "fire-and-morale", "--attack", "5", "--column", "green", "--json")
    odds = _json(game("odds", *base))
    exact = {tuple(p["results"]): Fraction(p["probability"]) for p in odds["paths"]}
    fire, morale = tables["fire-ptc"].spec, tables["morale"].spec
    seen: Counter = Counter()
    for total, ways in parse_dice("2d6").counts().items():
        row = 0 if total <= 5 else 1 if total <= 9 else 2
        first = fire.cells[row][1]  # fire 5: the "4.." column
        for face in range(1, 7):
            second = morale.cells[face - 1][0] if first == "PTC" else None
            seen[(first, second)] += Fraction(ways, 36 * 6)
            run = _json(game("resolve", *base, "--roll", f"fire={total}", "--roll",
                             f"morale={face}"))
            assert [s["result"] for s in run["stages"]] == [first] + ([second] if second
                                                                      else [])
            assert run["unused_rolls"] == ([] if second else ["morale"])
    assert seen == exact


# ---- results by unit type --------------------------------------------------------------------

def test_a_result_treats_a_unit_type_apart_in_the_explanation_and_the_game(game, monkeypatch):
    from types import SimpleNamespace

    from wargame.loading.session import Session
    from wargame.play import results
    from wargame.play.position import Piece

    run = _json(game("resolve", "-T", "odds-armour", "-a", "n-arm", "-a", "n-inf", "-d",
                     "s-inf", "-d", "s-arm", "--roll", "6", "--json"))
    assert run["result"] == "DO"
    assert run["effects"] == ["s-inf: eliminated",
                              "Defender (s-arm): every unit retreats 2 hexes"]
    session = Session(PUBLISHED)
    table = session.rules.tables["odds-armour"]
    pieces = [Piece("n-arm", "north", 2, hex="0101"), Piece("s-inf", "south", 2, hex="0102"),
              Piece("s-arm", "south", 1, hex="0102")]
    fake = _fake_run(session.catalog, session.rules, pieces)
    retreats = []
    monkeypatch.setattr(results, "retreat", lambda run, unit_id, away, hexes, *rest:
                        retreats.append((unit_id, hexes)) or [])
    attack = SimpleNamespace(attackers=("n-arm",), defenders=("s-inf", "s-arm"),
                             table=table.id, side="north", target=None, advance=())
    results.carry_out(fake, attack, table.result("DO"), "b1", "steps")
    position = fake.state.position
    assert not position["s-inf"].alive and position["s-arm"].alive
    assert retreats == [("s-arm", 2)]


# ---- modifiers for some units, and cancelled modifiers ----------------------------------------

def test_modifiers_by_side_and_type_and_cancelled_ones(game, tables):
    data, odds = _odds(game, "-T", "odds-nearest", "-a", "n-inf", "-a", "n-arm", "-d",
                       "s-inf", "-m", "southern-fort", "-m", "armour-bonus", "-m", "river",
                       "-m", "engineers-bridge")
    # the river is cancelled; only the armour gets +2; only southern defenders the fort
    assert data["attack"] == 5 + 9 and data["defence"] == 6 and data["column"] == "2-1"
    assert odds == _cells(tables["odds-nearest"], "2-1")
    assert any(line.startswith("Cancelled: Attacking across a river")
               for line in data["explanation"])
    north, _ = _odds(game, "-T", "odds-nearest", "-a", "s-inf", "-d", "n-inf", "-m",
                     "southern-fort")
    assert north["defence"] == 5
    assert any("Not applied: Southern fortifications (the defender is not south)" in line
               for line in north["explanation"])
    unknown = game("odds", "-T", "odds-nearest", "--attack", "3", "--defend", "2", "-m",
                   "southern-fort")
    assert unknown.code == 2 and "name the defending units" in unknown.err


# ---- a defender in several hexes -------------------------------------------------------------

def test_a_defender_in_several_hexes_takes_the_best_terrain_of_them(cli):
    def odds(*hexes):
        return _odds(cli, "--attack", "12", "--defend", "4", "--map", "korea", "--hex",
                     ",".join(hexes))

    city, city_odds = odds("1412")
    open_, open_odds = odds("1513")
    assert city["defence"] == 8 and open_["defence"] == 4  # Seoul doubles the defence
    for order in (("1412", "1513"), ("1513", "1412")):
        both, both_odds = odds(*order)
        assert both_odds == city_odds and both["column"] == city["column"]
        assert "the terrain of 1412 is the best for it" in both["explanation"][0]
    procedure = cli("odds", "-P", "air-ground", "--strength", "air=6:4", "--strength",
                    "ground=12:4", "--map", "korea", "--hex", "1412,1513")
    assert procedure.code == 2 and "several defending hexes" in procedure.err


def test_rules_that_name_unknown_kinds_of_units_are_refused(tmp_path, cli):
    import shutil

    shutil.copytree(PUBLISHED, tmp_path / "g")
    path = tmp_path / "g" / "rules" / "tables.toml"
    path.write_text(path.read_text()
                    .replace("defender_by_type = { armour = ", "defender_by_type = { armor = ")
                    .replace('defender = { factions = ["south"] }',
                             'defender = { factions = ["sooth"] }'))
    run = cli("--data", str(tmp_path / "g"), "check")
    assert run.code == 2
    lines = run.err.strip().splitlines()
    assert any(".results.DO.defender_by_type.armor: no unit type or domain" in line
               for line in lines)
    assert any('defender.factions[0]: no faction or side "sooth" (did you mean "south"?)'
               in line for line in lines)
