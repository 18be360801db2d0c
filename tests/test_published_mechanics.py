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
