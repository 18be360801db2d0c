"""The series rules and the rules booklet: every table a rule uses is printed, every "see 7.3"
resolves, every worked example is what the engine gives, and a newcomer can set up Korea from
the printed booklet and map and fight the first combat of the rules' example."""

from __future__ import annotations

import json
import re
import shutil

import pytest

from shared import built_kit, kit_pages

from wargame.engine.combat import prepare, resolve
from wargame.engine.verifiable import EnteredFaces
from wargame.paths import bundled_data_dir
from wargame.loading.session import Session


@pytest.fixture(scope="module")
def session():
    return Session(None)


@pytest.fixture(scope="module")
def rulebook(tmp_path_factory):
    """The rules booklet of the built kit and the text of its pages."""
    return built_kit(tmp_path_factory)[1] / "campaign" / "rules.pdf", \
        kit_pages(tmp_path_factory, "campaign/rules.pdf")


def _part(target, pages, title: str) -> str:
    """The text of the pages from the bookmark ``title`` to the next top-level bookmark."""
    from pypdf import PdfReader

    reader = PdfReader(target)
    starts = [(item.title, reader.get_destination_page_number(item))
              for item in reader.outline if not isinstance(item, list)]
    first = next(page for name, page in starts if name == title)
    following = [page for _, page in starts if page > first]
    return "\n".join(pages[first:min(following) if following else len(pages)])


def test_every_table_a_rule_uses_exists_and_is_printed(session, rulebook):
    target, pages = rulebook
    printed = _part(target, pages, "Charts and tables")
    used = session.series.used()
    assert {"land", "amphibious", "naval-interdiction", "terrain", "modifiers"} <= set(used)
    for name in used:
        if name == "terrain":
            title = "Terrain Effects Chart"
        elif name == "modifiers":
            title = "Modifiers"
        elif name in session.rules.tables:
            title = session.rules.tables[name].name
        else:
            title = session.rules.procedures[name].name
        assert title in printed, name


def test_every_cross_reference_resolves(session):
    numbers = session.series.numbers()
    references = [(n, target) for n, text in session.series.texts()
                  for target in re.findall(r"\bsee (\d+\.\d+)", text)]
    assert len(references) >= 15
    assert all(target in numbers for _, target in references)


def test_a_broken_reference_or_table_is_refused(cli, tmp_path):
    game = tmp_path / "game"
    for part in ("units", "rules", "print"):
        shutil.copytree(bundled_data_dir() / part, game / part)
    rules = game / "print" / "series-rules.toml"
    text = rules.read_text(encoding="utf-8")
    text = text.replace("(see 3.3)", "(see 3.9)", 1).replace('uses = ["terrain"]',
                                                            'uses = ["terain"]', 1)
    rules.write_text(text, encoding="utf-8")
    run = cli("--data", str(game), "check")
    assert run.code == 2
    assert 'case 1.1: "see 3.9" points at no rule' in run.err
    assert 'uses[0]: unknown table, procedure or chart "terain"' in run.err


def _replay(session, check):
    rules = session.rules
    table = rules.tables[check.table]
    catalog = session.catalog
    from wargame.play.battle import Battle

    battle = Battle(session, check.attackers, check.defenders, None, None, (), check.terrain,
                    check.modifiers, (), (), (), False)
    prepared = prepare(table, battle.combat(table))
    return prepared, resolve(prepared, EnteredFaces(list(check.roll))), catalog


@pytest.mark.parametrize("index", range(3))
def test_worked_examples_are_what_the_engine_gives(session, index):
    example = session.series.examples[index]
    check = example.check
    prepared, resolution, _ = _replay(session, check)
    assert prepared.column_label == check.column
    assert resolution.result.code == check.result
    if check.attack is not None:
        assert prepared.attack == check.attack
    if check.defence is not None:
        assert prepared.defence == check.defence
    # the prose says the same numbers
    text = example.text
    assert re.search(rf"\b{re.escape(check.result)}\b", text)
    if check.odds:
        assert check.odds in text and any(check.odds in line for line in prepared.explanation)
        assert f"the {check.column} column" in text or f"the {check.column} " in text or \
            f"to the {check.column}" in text
    for face in check.roll:
        assert str(face) in text


def test_the_booklet_has_contents_bookmarks_key_and_index(rulebook, session):
    from pypdf import PdfReader

    target, pages = rulebook
    outline = [item.title for item in PdfReader(target).outline if not isinstance(item, list)]
    assert "7.0 Combat" in outline and "How to read a counter" in outline
    assert "Index of terms" in outline
    key = _part(target, pages, "How to read a counter")
    for scheme in session.catalog.schemes.values():
        assert scheme.name in key, scheme.name
    index = _part(target, pages, "Index of terms")
    assert "zone of control" in index and "5.2" in index


def test_the_committed_series_schema_matches_the_model_and_the_file():
    import tomllib

    import jsonschema

    from wargame.validation import schema_document

    folder = bundled_data_dir() / "print"
    schema = json.loads((folder / "series-schema.json").read_text(encoding="utf-8"))
    assert schema == schema_document("series"), "run: wargame schema series"
    document = tomllib.loads((folder / "series-rules.toml").read_text(encoding="utf-8"))
    assert not list(jsonschema.Draft202012Validator(schema).iter_errors(document))


def test_the_print_review_errors_are_gone_from_the_rules(rulebook, session):
    """Read back from the PDF: the sequence of play is a lettered list, every marker's back
    is defined once, no broken word, the guerrilla table says action rating, the sweep
    table has no gap between 4-1 and 6-1, and the counter key's samples carry the corners
    of their real scenarios."""
    target, pages = rulebook
    text = "\n".join(pages)
    sequence = _part(target, pages, "3.0 Sequence of play")
    steps = re.findall(r"^([A-J])\.\s", sequence, re.M)
    assert steps == list("ABCDEFGHIJ"), steps
    assert "Dis- rupted" not in text and "Dis-\nrupted" not in text
    key = _part(target, pages, "How to read a counter")
    from wargame.loading.printdata import load_print

    for marker in load_print(session.root, session.catalog).markers:
        assert marker.front_means and marker.back_means, marker.id
        back = (marker.back or marker.front).replace("-\n", "").replace("\n", " ")
        assert f"Its back: {back}" in key, back
    assert key.count("Air Sup.") == 1
    charts = _part(target, pages, "Charts and tables")
    assert "action rating" in charts
    sweep = session.rules.tables["guerrilla-sweep"].spec.columns
    from wargame.engine.tables import parse_odds

    odds = [parse_odds(c) for c in sweep]
    assert all(b - a <= 1 for a, b in zip(odds, odds[1:])), sweep
    assert "Set-up zone on the map: LS" in key and "Turn of arrival: 2" in key  # 1 BEP
    assert key.count("Set-up zone on the map: CW") <= 1


def test_the_rules_read_at_print_size_hold_together(rulebook):
    """What reading every page found, read back: no Markdown marks in the print, a
    section's list of charts never opens a page, no worked example's heading is left at
    the foot of a page, the ship rules are printed, and the tables' notes say what the
    cases say."""
    target, pages = rulebook
    text = "\n".join(pages)
    assert "`" not in text
    for number, page in enumerate(pages, start=1):
        lines = [line for line in page.splitlines() if line.strip()]
        body = lines[1:]  # under the running head
        assert body and not body[0].startswith("Tables and charts"), number
        if lines[-2].startswith("Example:"):  # the last line is the folio
            raise AssertionError(f"page {number} ends with the heading {lines[-2]!r}")
    flat = " ".join(text.split())
    assert "8.4 Carrier air" in flat and "9.2 Naval gunfire" in flat
    assert "the parent formation up the right" in flat
    assert "chosen by the defender" not in flat  # 11.1: the first free neighbouring hex
    assert "out of supply next turn" not in flat  # 12.1: this turn's supply phase
    assert "cannot attack inland next turn" not in flat  # 10.2: this turn
    # the air combat example's attacker is the side 8.1 makes the attacker
    assert "intercepts a squadron of F-80s" in flat


def test_leader_lines_never_cross():
    import random

    from wargame.printing.rulebook import _crosses, uncrossed

    rng = random.Random(7)
    for _ in range(200):
        anchors = [(rng.uniform(0, 80), rng.uniform(0, 80)) for _ in range(rng.randint(2, 9))]
        slots = [(110, 80 - 11 * i) for i in range(len(anchors))]
        order = uncrossed(anchors, slots)
        assert sorted(order) == list(range(len(anchors)))
        lines = [(anchors[a], slots[i]) for i, a in enumerate(order)]
        assert not any(_crosses(*lines[i], *lines[j]) for i in range(len(lines))
                       for j in range(i + 1, len(lines)))
