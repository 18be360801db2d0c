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
