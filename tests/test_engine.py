"""The resolution engine against hand-checked results of three classic CRTs typed as data."""

from __future__ import annotations

import itertools
from collections import Counter
from fractions import Fraction
from pathlib import Path

import pytest

from wargame.engine.combat import Combat, Contribution, Modifier, distribution, outcome, prepare, resolve
from wargame.engine.dice import parse_dice
from wargame.engine.verifiable import seeded_faces
from wargame.loading.rules import load_rules, modifier_from

CLASSIC = Path(__file__).parent / "fixtures" / "classic"


@pytest.fixture(scope="module")
def rules():
    return load_rules(CLASSIC, use_cache=False)


class FixedFaces:
    """Hands out the given faces in order: a die roll the test chooses."""

    def __init__(self, *faces: int):
        self.faces = list(faces)

    def face(self, sides: int) -> int:
        value = self.faces.pop(0)
        assert 1 <= value <= sides
        return value


def combat(attack, defence=(), **kw) -> Combat:
    return Combat(tuple(Contribution(f"a{i}", v) for i, v in enumerate(attack)),
                  tuple(Contribution(f"d{i}", v) for i, v in enumerate(defence)), **kw)


# ---- Avalon Hill style odds CRT --------------------------------------------------------------

@pytest.mark.parametrize("attack, defence, column", [
    ((11,), (4,), "2-1"),       # 2.75 rounds down to 2-1
    ((5,), (12,), "1-3"),       # 1:2.4 rounds to 1-3 (defender's favour)
    ((6,), (6,), "1-1"),
    ((3, 3, 3), (3,), "3-1"),   # several attackers add up
    ((17,), (3,), "5-1"),
    ((1,), (6,), "1-6"),
])
def test_odds_are_rounded_in_the_defenders_favour(rules, attack, defence, column):
    prepared = prepare(rules.tables["ah"], combat(attack, defence))
    assert prepared.column_label == column


def test_hand_checked_rolls_on_the_ah_crt(rules):
    table = rules.tables["ah"]
    prepared = prepare(table, combat((11,), (4,)))
    assert resolve(prepared, FixedFaces(3)).result.code == "DR"
    assert resolve(prepared, FixedFaces(4)).result.code == "EX"
    assert resolve(prepared, FixedFaces(6)).result.code == "AR"
    # 2-1: DR on 1-3, EX on 4, AR on 5-6
    dist = {r.code: p for r, p in distribution(prepared).items()}
    assert dist == {"DR": Fraction(1, 2), "EX": Fraction(1, 6), "AR": Fraction(1, 3)}


def test_off_table_odds_give_automatic_results(rules):
    table = rules.tables["ah"]
    high = prepare(table, combat((14,), (2,)))  # 7-1: beyond 6-1
    assert high.automatic is not None and high.automatic.code == "DE"
    assert distribution(high) == {high.automatic: 1}
    low = prepare(table, combat((1,), (7,)))  # 1-7: below 1-6
    assert low.automatic.code == "AE"
    assert prepare(table, combat((12,), (2,))).automatic is None  # exactly 6-1 is on the table


def test_terrain_multiplies_and_rounds_before_the_odds(rules):
    table = rules.tables["ah"]
    mountain = modifier_from(rules.terrain["mountain"])
    prepared = prepare(table, combat((9,), (3,), modifiers=(mountain,)))
    assert (prepared.attack, prepared.defence) == (9, 6)
    assert prepared.column_label == "1-1"
    river = modifier_from(rules.terrain["river"])
    prepared = prepare(table, combat((7,), (2,), modifiers=(river,)))
    assert prepared.attack == 3  # 7 x 1/2 = 3.5, rounded down
    assert prepared.column_label == "1-1"
    assert any("rounded down to 3" in line for line in prepared.explanation)


def test_shifts_move_columns_and_can_push_off_the_table(rules):
    table = rules.tables["ah"]
    up = prepare(table, combat((11,), (4,), modifiers=(Modifier("air", shift=2),)))
    assert up.column_label == "4-1"
    over = prepare(table, combat((11,), (4,), modifiers=(Modifier("air", shift=5),)))
    assert over.automatic.code == "DE"


def test_blocked_retreat_converts_by_the_tables_rule(rules):
    prepared = prepare(rules.tables["ah"], combat((11,), (4,), retreat_blocked=True))
    result = resolve(prepared, FixedFaces(1)).result
    assert result.code == "DR!" and result.defender.eliminated


# ---- differential CRT ------------------------------------------------------------------------

def test_differential_columns_and_retreat_or_lose(rules):
    table = rules.tables["diff"]
    prepared = prepare(table, combat((8,), (5,)))
    assert prepared.column_label == "3..4"
    result = resolve(prepared, FixedFaces(3)).result
    assert result.code == "D1r2"
    assert result.defender.steps == 1 and result.defender.retreat == 2
    assert result.defender.optional_retreat
    assert prepare(table, combat((2,), (9,))).column_label == "..-3"
    assert prepare(table, combat((20,), (1,))).column_label == "7.."


def test_shift_cap_and_roll_clamping(rules):
    table = rules.tables["diff"]
    capped = prepare(table, combat((5,), (5,), modifiers=(
        Modifier("surprise", shift=2), Modifier("air", shift=2))))
    assert capped.shift == 2 and capped.column_label == "3..4"
    # DRM +4 on a 1d6 with clamp: a 1 reads row 5, rolls 2..6 all read row 6
    clamped = prepare(table, combat((5,), (5,), modifiers=(Modifier("elite", drm=4),)))
    dist = {r.code: p for r, p in distribution(clamped).items()}
    assert dist == {"A1": Fraction(1, 6), "A2": Fraction(5, 6)}


def test_explicit_legend_effects_override_the_notation(rules):
    ex = rules.tables["diff"].legend["EX"]
    assert ex.attacker.steps == 1 and ex.defender.steps == 1 and not ex.defender.eliminated


# ---- 2d6 fire table --------------------------------------------------------------------------

def test_fire_table_bands_and_natural_twelve(rules):
    table = rules.tables["fire"]
    prepared = prepare(table, combat((5,)))
    assert prepared.column_label == "4..6"
    assert resolve(prepared, FixedFaces(3, 4)).result.code == "0/1"      # 7
    minus = prepare(table, combat((5,), modifiers=(Modifier("dug in", drm=-3),)))
    assert resolve(minus, FixedFaces(6, 6)).result.code == "0/3"         # natural 12
    assert resolve(minus, FixedFaces(5, 6)).result.code == "1/1"         # 11 - 3 = 8
    p = {r.code: v for r, v in distribution(prepared).items()}
    # 4..6 column: ..2 -> 0/0 (1/36), 3..4 -> 0/0 (5/36), 5..6 0/1 (9/36), 7 0/1 (6/36),
    # 8..9 1/1 (9/36), 10..11 0/2 (5/36), natural 12 0/3 (1/36)
    assert p == {"0/0": Fraction(6, 36), "0/1": Fraction(15, 36), "1/1": Fraction(9, 36),
                 "0/2": Fraction(5, 36), "0/3": Fraction(1, 36)}


def test_step_notation_reads_attacker_and_defender(rules):
    result = rules.tables["fire"].legend["1/2"]
    assert result.attacker.steps == 1 and result.defender.steps == 2


# ---- exactness against brute force ---------------------------------------------------------

def _brute_force(prepared):
    dice = prepared.table.dice
    faces = [range(1, t.sides + 1) for t in dice.terms for _ in range(t.count)]
    tally = Counter()
    for combo in itertools.product(*faces):
        result = resolve(prepared, FixedFaces(*combo)).result
        tally[result] += 1
    ways = sum(tally.values())
    return {r: Fraction(n, ways) for r, n in tally.items()}


@pytest.mark.parametrize("table_id", ["ah", "diff", "fire"])
@pytest.mark.parametrize("drm", [-3, -1, 0, 2, 5])
def test_distributions_are_exact_and_match_brute_force(rules, table_id, drm):
    table = rules.tables[table_id]
    for attack, defence in [(1, 6), (4, 4), (9, 3), (13, 2), (30, 1)]:
        prepared = prepare(table, combat((attack,), (defence,),
                                         modifiers=(Modifier("test", drm=drm),)))
        exact = distribution(prepared)
        assert sum(exact.values()) == 1
        assert exact == _brute_force(prepared)


def test_outcome_keeps_raw_and_modified_rolls(rules):
    prepared = prepare(rules.tables["fire"], combat((5,), modifiers=(Modifier("x", drm=2),)))
    result, row, modified = outcome(prepared, 7)
    assert modified == 9 and row == "8..9"


def test_same_seed_same_result_and_seeds_differ(rules):
    prepared = prepare(rules.tables["fire"], combat((8,)))
    first = resolve(prepared, seeded_faces("abc")).roll
    again = resolve(prepared, seeded_faces("abc")).roll
    assert first == again
    rolls = {resolve(prepared, seeded_faces(str(seed))).roll.total for seed in range(40)}
    assert len(rolls) > 5


def test_dice_notation_distributions():
    assert parse_dice("2d6").probabilities()[7] == Fraction(1, 6)
    assert set(parse_dice("d10-1").counts()) == set(range(10))
    d66 = parse_dice("d66").counts()
    assert len(d66) == 36 and min(d66) == 11 and max(d66) == 66 and 17 not in d66
    kh = parse_dice("3d6kh2").probabilities()
    brute = Counter(sum(sorted(c)[1:]) for c in itertools.product(range(1, 7), repeat=3))
    assert kh == {t: Fraction(n, 216) for t, n in brute.items()}
    assert parse_dice("1d6+1d4-2").minimum == 0


def test_columns_below_the_table_are_counted_as_above_it():
    """1 to 5 is two columns below a table starting at 1-3: one shift is not enough."""
    from wargame.loading.session import Session

    land = Session(None).rules.tables["land"]
    for shift, expected in ((0, None), (1, None), (2, "1-3"), (3, "1-2")):
        mods = (Modifier("air", shift=shift),) if shift else ()
        prepared = prepare(land, combat((2,), (10,), modifiers=mods))
        if expected is None:
            assert prepared.column is None and prepared.automatic is not None
        else:
            assert prepared.column_label == expected, shift
    # 2 to 9 is 1 to 4.5, rounded in the defender's favour to 1 to 5: still two below
    assert prepare(land, combat((2,), (9,), modifiers=(Modifier("a", shift=1),))).column is None
    # 2 to 8 is 1 to 4: one below, so one shift reaches 1-3
    assert prepare(land, combat((2,), (8,), modifiers=(Modifier("a", shift=1),))) \
        .column_label == "1-3"


def test_explanations_read_like_a_rulebook():
    from wargame.loading.session import Session

    land = Session(None).rules.tables["land"]
    lines = prepare(land, combat((16,), (2,))).explanation
    assert "Odds: 16 to 2 = 8 to 1: column 7-1 (the highest), one column beyond it" in lines
    assert "DRM: +1 for one column beyond the table = +1" in lines
    assert not any("(s)" in line for line in lines)
