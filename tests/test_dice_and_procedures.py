"""Verifiable dice (exact uniformity), procedures (exact against brute force), attrition."""

from __future__ import annotations

import itertools
from collections import Counter
from fractions import Fraction

import pytest

from wargame.engine.attrition import Force, expected_loss, fight, loss_distribution, luck_table
from wargame.engine.combat import Combat, Contribution
from wargame.engine.dice import parse_dice
from wargame.engine.procedure import procedure_distribution, run_procedure, stages_of
from wargame.engine.verifiable import HmacFaces, seed_key, seeded_faces
from wargame.errors import UsageError
from wargame.loading.rules import load_rules
from wargame.paths import bundled_data_dir


@pytest.fixture(scope="module")
def rules():
    return load_rules(bundled_data_dir(), use_cache=False)


class ScriptedStream(HmacFaces):
    """HmacFaces reading a byte string the test supplies, to check the sampling rule."""

    def __init__(self, data: bytes):
        super().__init__(b"k", "test")
        self._buffer = data

    def _take(self, count):
        if len(self._buffer) < count:
            raise EOFError
        taken, self._buffer = self._buffer[:count], self._buffer[count:]
        return taken


@pytest.mark.parametrize("sides", [2, 3, 6, 7, 10, 20, 100, 255, 256])
def test_every_face_has_exactly_the_same_number_of_one_byte_preimages(sides):
    faces = Counter()
    rejected = 0
    for byte in range(256):
        try:
            faces[ScriptedStream(bytes([byte])).face(sides)] += 1
        except EOFError:
            rejected += 1
    assert set(faces) == set(range(1, sides + 1))
    assert len(set(faces.values())) == 1          # exactly uniform
    assert rejected == 256 % sides                # and only the remainder is rejected


def test_two_byte_dice_are_exactly_uniform():
    faces = Counter()
    for value in range(65536):
        try:
            faces[ScriptedStream(value.to_bytes(2, "big")).face(1000)] += 1
        except EOFError:
            pass
    assert len(faces) == 1000 and len(set(faces.values())) == 1


def test_rejected_bytes_are_skipped_not_folded():
    # 252..255 are rejected for a d6; the next byte decides
    assert ScriptedStream(bytes([253, 0])).face(6) == 1


def test_labels_separate_streams_and_replay_exactly():
    key = seed_key("game-1")
    first = HmacFaces(key, "T01/C01")
    run1 = [first.face(6) for _ in range(50)]
    second = HmacFaces(key, "T01/C02")
    assert run1 != [second.face(6) for _ in range(50)]
    replay = HmacFaces(key, "T01/C01")
    assert [replay.face(6) for _ in range(50)] == run1


def test_hmac_d6_frequencies_are_plausible():
    faces = HmacFaces(seed_key("chi"), "sample")
    counts = Counter(faces.face(6) for _ in range(60000))
    expected = 10000
    chi2 = sum((n - expected) ** 2 / expected for n in counts.values())
    assert chi2 < 20.5  # 5 degrees of freedom, p = 0.001


def _reference_d6(seed: str, label: str, count: int) -> list[int]:
    """The derivation as documented, written independently with hashlib and hmac only."""
    import hashlib
    import hmac

    key = hashlib.sha256(b"wargame/seed/v1\0" + seed.encode()).digest()
    stream = b"".join(hmac.new(key, f"{label}:{i}".encode(), hashlib.sha256).digest()
                      for i in range(4))
    return [b % 6 + 1 for b in stream if b < 252][:count]


def test_derivation_matches_an_independent_implementation():
    for seed, label in [("wargame", "T01/C01"), ("x", "roll"), ("ümlaut", "T12/C99/air")]:
        stream = seeded_faces(seed, label)
        assert [stream.face(6) for _ in range(40)] == _reference_d6(seed, label, 40)


def test_bad_dice_notation_is_a_clear_error():
    for text in ["", "2x6", "0d6", "d1", "4d66", "2d6kh3", "d6++1", "101d6"]:
        with pytest.raises(UsageError):
            parse_dice(text)


# ---- procedures ------------------------------------------------------------------------------

def _combat(attack, defence, **kw):
    return Combat((Contribution("a", attack),), (Contribution("d", defence),), **kw)


def test_procedure_distribution_sums_to_one_and_matches_brute_force(rules):
    stages = stages_of(rules.procedures["air-ground"], rules.tables)
    combats = {"air": _combat(6, 3), "ground": _combat(6, 4)}
    exact = procedure_distribution(stages, lambda s: combats[s.spec.id])
    assert sum(exact.values()) == 1
    # brute force: every face combination of 2d6 then 1d6
    tally = Counter()
    for faces in itertools.product(range(1, 7), repeat=3):
        queue = list(faces)

        class Fixed:
            def face(self, sides):
                return queue.pop(0)

        rolls = run_procedure(stages, lambda s: combats[s.spec.id], lambda s: Fixed())
        tally[tuple(r.resolution.result for r in rolls)] += 1
    assert exact == {path: Fraction(n, 216) for path, n in tally.items()}


def test_air_superiority_really_shifts_the_ground_column(rules):
    stages = stages_of(rules.procedures["air-ground"], rules.tables)
    win = procedure_distribution(stages, lambda s: _combat(9, 0) if s.spec.id == "air"
                                 else _combat(6, 4))
    # with a +9 air differential the defender always loses or aborts: ground fights at 2-1
    ground_codes = {path[1].code for path in win}
    assert "A1" not in ground_codes


def test_stop_on_ends_the_procedure(rules):
    stages = stages_of(rules.procedures["strait-crossing"], rules.tables)
    paths = procedure_distribution(stages, lambda s: _combat(10, 2) if s.spec.id != "landing"
                                   else _combat(4, 4))
    assert sum(paths.values()) == 1
    for path, _ in paths.items():
        if path[0].code in ("TB", "DE"):
            assert path[1] is None and path[2] is None


# ---- attrition -------------------------------------------------------------------------------

def test_square_law_losses_and_luck_table(rules):
    model = rules.attrition["strategic"]
    table = luck_table(model)
    assert sum(table.values()) == 1
    assert sum(Fraction(str(m)) * p for m, p in table.items()) == 1  # luck averages exactly 1
    attacker, defender = Force(30000, 40), Force(20000)
    assert expected_loss(model, attacker, defender, model.attacker_rate, 1) == pytest.approx(400)
    dist = loss_distribution(model, attacker, defender, model.attacker_rate, 1)
    assert sum(dist.values()) == 1
    result = fight(model, attacker, defender, 1, seeded_faces("s", "a"), seeded_faces("s", "d"))
    assert 0 < result.attacker.men < 1000

