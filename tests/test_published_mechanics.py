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
