"""Dice notation for `wargame roll`: a corpus of what wargamers and dice bots write, each
expression's exact odds checked against a brute-force walk over every face the roll itself
can draw, and everything else refused in one line that names the part it cannot read."""

from __future__ import annotations

from collections import Counter
from fractions import Fraction

import pytest

from wargame.engine.dice import parse_dice
from wargame.engine.notation import parse_expression
from wargame.engine.verifiable import seeded_faces
from wargame.errors import UsageError

#: Brute force with small caps: the walk must end; the analysis uses the same caps.
CAPS = {"max_rerolls": 3, "max_explosions": 3}

CORPUS = [
    "1d6", "d6", "1D6", "2d6", "2d6+1", "2d6-1", "2d6 + 1", "d6 - 1", "d10-1", "d12", "1d20",
    "1d20+5", "d%", "d66", "3d6kh2", "3d6kl1", "4d6k3", "4d6dl1", "4d6d1", "4d6dh1", "2d20kh1",
    "2d20kl1", "d8+d4", "1d8+1d6+1d4", "1d6+1d4-2", "1d6-1d6", "2d6+2d6", "d3+d3+d3", "3d6*2",
    "1d6*1d6", "(1d6+1)*2", "2*(d6+d6)", "(2d6)", "2d6-(1d3)", "-(d6)", "2d6/2", "d20/3",
    "5", "-1", "-1d6+3", "+1d6", "d6!", "2d6!", "d6!>5", "d6!>=5", "1d6e6", "d10e10", "1d6r1",
    "1d6ro1", "2d6r<2", "d20ro<3", "4dF", "dF", "dF+1", "3d6mi2", "1d6ma4", "d6!mi2",
    "4d6>=5", "5d6>4", "4d6<=2", "3d10=10", "2d10-2",
]

#: Too many faces to walk: checked against the tables' own summing code instead.
LARGE = ["30d6", "100d6", "20d100", "3d6+40d6"]

REFUSED = {
    "2d6q": '"q"', "2x6": '"x6"', "d0": '"d0"', "d": "the end", "+": "the end",
    "(1d6": "the end", "1d6)": '")"', "4d6dl4": '"dl4"', "3d6kh4": '"kh4"',
    "d6!>0": '"!>0"', "1d6r<7": '"r<7"', "2d66": '"2d66"', "d66kh1": '"kh1"',
    "6d6kh3>=5": '">=5"', "1d6/0": "divide by zero", "1d6/(1d2-1)": "divide by zero",
    "101d6": '"101d6"', "20d1000+20d1000": "too many outcomes", "1d6kh1kh1": '"kh1"',
    "d6rr": '"r"', "1d6++": "the end", "d1001": '"d1001"', "((((((((((((((((((((((1))))))"
    "))))))))))))))))": "nested",
}


class NeedMore(Exception):
    def __init__(self, sides):
        self.sides = sides


class Prefix:
    """Faces of one path through the roll; asks for the next die when they run out."""

    def __init__(self, faces):
        self.faces, self.at = faces, 0

    def face(self, sides):
        if self.at == len(self.faces):
            raise NeedMore(sides)
        self.at += 1
        return self.faces[self.at - 1]


def brute_force(expression, limit=60_000) -> dict[int, Fraction]:
    """Walk every sequence of faces the roll can draw, each with its probability."""
    found: Counter = Counter()
    stack, leaves = [((), Fraction(1))], 0
    while stack:
        prefix, p = stack.pop()
        try:
            total = expression.roll(Prefix(prefix)).total
        except NeedMore as need:
            stack += [(prefix + (f,), p / need.sides) for f in range(1, need.sides + 1)]
            continue
        leaves += 1
        assert leaves <= limit, "too many paths to walk"
        found[total] += p
    return dict(sorted(found.items()))


def test_the_corpus_is_the_size_the_issue_asks_for():
    assert len(CORPUS) + len(LARGE) >= 40 and len(set(CORPUS)) == len(CORPUS)


@pytest.mark.parametrize("notation", CORPUS)
def test_exact_odds_match_every_path_of_the_roll(notation):
    expression = parse_expression(notation, **CAPS)
    odds = expression.probabilities()
    assert sum(odds.values()) == 1
    assert odds == brute_force(expression)


@pytest.mark.parametrize("notation", LARGE)
def test_large_sums_match_the_tables_dice(notation):
    mine, theirs = parse_expression(notation), parse_dice(notation)
    assert mine.probabilities() == theirs.probabilities()


def test_default_caps_give_the_closed_form_of_an_exploding_die():
    odds = parse_expression("d6!").probabilities()
    for k in range(5):
        for r in range(1, 6):
            assert odds[6 * k + r] == Fraction(1, 6 ** (k + 1))
    assert max(odds) == 6 * 21 and odds[126] == Fraction(1, 6 ** 21)  # the 20th explosion
    assert sum(odds.values()) == 1


def test_reroll_until_is_uniform_over_the_other_faces_but_for_the_cap():
    odds = parse_expression("1d6r1").probabilities()
    assert odds[1] == Fraction(1, 6 ** 101)  # a 1 only after a hundred more 1s
    assert all(odds[v] == (1 - odds[1]) / 5 for v in range(2, 7))


def test_a_seeded_roll_follows_the_tables_dice_face_for_face():
    for notation in ("2d6+1", "d10-1", "3d6kh2", "d66", "1d6+1d4-2"):
        mine = parse_expression(notation).roll(seeded_faces("s", "x"))
        theirs = parse_dice(notation).roll(seeded_faces("s", "x"))
        assert mine.total == theirs.total
    (a,), (b,) = parse_dice("1d6-1d6").roll(seeded_faces("s", "x")).faces
    assert parse_expression("1d6-1d6").roll(seeded_faces("s", "x")).describe() == \
        f"1d6-1d6: ({a}) - ({b}) = {a - b}"


def test_what_a_roll_shows_adds_up():
    roll = parse_expression("4d6dl1").roll(seeded_faces("k", "r"))
    shown = roll.shown.strip("()").split(", ")
    kept = [int(s) for s in shown if "dropped" not in s]
    dropped = [int(s.split()[0]) for s in shown if "dropped" in s]
    assert len(kept) == 3 and len(dropped) == 1 and sum(kept) == roll.total
    assert dropped[0] <= min(kept)
    hits = parse_expression("10d6>=5").roll(seeded_faces("k", "r"))
    assert hits.shown.count("hit") == hits.total
    for seed in "abcdefgh":
        boom = parse_expression("3d6!").roll(seeded_faces(seed, "r"))
        assert sum(sum(int(x) for x in die.split("+")) for die in
                   boom.shown.strip("()").split(", ")) == boom.total


@pytest.mark.parametrize("notation,part", list(REFUSED.items()))
def test_what_cannot_be_read_is_refused_naming_the_part(notation, part):
    with pytest.raises(UsageError) as caught:
        parse_expression(notation)
    message = caught.value.problems[0].message
    assert part in message and "\n" not in message


def test_the_command_reads_a_leading_minus_and_spaces(cli):
    run = cli("roll", "-1d6+3", "--seed", "a")
    assert run.code == 0 and run.out.startswith("-1d6+3: -(")
    spaced = cli("roll", "2d6", "+", "1", "--seed", "a")
    assert spaced.code == 0 and spaced.out.startswith("2d6+1: (")
    odds = cli("roll", "d6!", "--odds")
    assert "Rule: a die showing 6 is rolled again and added" in odds.out
    assert "rarer totals" in odds.out
    refused = cli("roll", "2d6q")
    assert refused.code == 2 and len(refused.err.strip().splitlines()) == 1
    assert cli("roll", "2d6", "--bogus").code == 2


def test_odds_json_lists_every_total(cli):
    import json

    data = json.loads(cli("roll", "3d6kh2", "--odds", "--json").out)
    assert sum(Fraction(t["probability"]) for t in data["totals"]) == 1
    assert [t["total"] for t in data["totals"]] == list(range(2, 13))
