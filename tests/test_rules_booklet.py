"""The series rules and the rules booklet: every table a rule uses is printed, every "see 7.3"
resolves, every worked example is what the engine gives, and a newcomer can set up Korea from
the printed booklet and map and fight the first combat of the rules' example."""

from __future__ import annotations

import json
import re
import shutil

import pdfplumber
import pytest

from wargame.engine.combat import prepare, resolve
from wargame.engine.verifiable import EnteredFaces
from wargame.maps.hexgrid import neighbours, parse_hex
from wargame.maps.movement import cheapest
from wargame.paths import bundled_data_dir
from wargame.loading.session import Session


@pytest.fixture(scope="module")
def session():
    return Session(None)


@pytest.fixture(scope="module")
def rulebook(session, tmp_path_factory):
    from wargame.loading.printdata import load_print
    from wargame.printing.rulebook import render_rulebook

    target = tmp_path_factory.mktemp("rules") / "rules.pdf"
    render_rulebook(session.series, session.rules, session.catalog,
                    load_print(session.root, session.catalog), target)
    with pdfplumber.open(target) as pdf:
        pages = [page.dedupe_chars().extract_text() or "" for page in pdf.pages]
    return target, pages


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


def _setup_codes(booklet) -> dict[str, str]:
    """Unit (name with factors, as printed) -> the zone code of its row in the set-up table."""
    found = {}
    with pdfplumber.open(booklet) as pdf:
        for page in pdf.pages:
            page = page.dedupe_chars()
            if "Units at start" not in (page.extract_text() or ""):
                continue
            codes = [w for w in page.extract_words() if w["x0"] < 80 and
                     re.fullmatch(r"[A-Z]{2,3}", w["text"])]
            for name in ("3rd Infantry Division (6-5-4)", "107th Tank Regiment (5-3-9)",
                         "7th Infantry Division (3-4-4)"):
                for match in page.search(re.escape(name), regex=True):
                    above = [c for c in codes if c["top"] <= match["top"] + 1]
                    found[name] = max(above, key=lambda c: c["top"])["text"]
    return found


def test_a_newcomer_plays_the_first_combat_of_korea(session, cli, tmp_path):
    """Set up from the printed booklet's set-up table and the map's zones, move up, and fight
    the rules' first example through the command line."""
    booklet = tmp_path / "korea.pdf"
    assert cli("print", "booklet", "-s", "korea", "-o", str(booklet)).code == 0
    codes = _setup_codes(booklet)
    assert codes == {"3rd Infantry Division (6-5-4)": "CW", "107th Tank Regiment (5-3-9)": "CW",
                     "7th Infantry Division (3-4-4)": "UJ"}
    korea = session.maps["korea"]
    zone_of = {z.code: z for z in korea.zones.values()}
    costs = {t.id: t.movement_cost for t in session.rules.terrain.values()}
    rok_hexes = [parse_hex(h) for h in zone_of["UJ"].hexes]
    kpa_hexes = [parse_hex(h) for h in zone_of["CW"].hexes]
    assert all(korea.is_land(h) for h in rok_hexes + kpa_hexes)
    # the ROK division holds the zone hex nearest the enemy; each KPA unit moves within its
    # movement allowance (4 and 9) to a hex next to it
    target = min(rok_hexes, key=lambda r: min(cheapest(korea, costs, k, r)[0] for k in kpa_hexes))
    attack_from = {}
    for unit_id, allowance in (("kpa-3-div", 4), ("kpa-107-tank", 9)):
        moves = [cheapest(korea, costs, start, end, allowance) for start in kpa_hexes
                 for end in neighbours(target) if end in korea and korea.is_land(end)]
        reachable = [m for m in moves if m is not None]
        assert reachable, unit_id
        attack_from[unit_id] = min(reachable)[1][-1]
    terrain = korea.terrain[target]
    run = cli("resolve", "-a", "kpa-3-div", "-a", "kpa-107-tank", "-d", "rok-7-div", "-t",
              terrain, "-m", "no-anti-tank", "--roll", "3", "--json")
    assert run.code == 0, run.err
    fought = json.loads(run.out)
    assert fought["attack"] >= 5 and fought["result"]
    # and the rules' example, exactly as printed
    example = session.series.examples[0]
    run = cli("resolve", "-a", "kpa-3-div", "-a", "kpa-107-tank", "-d", "rok-7-div", "-t",
              "rough", "-m", "no-anti-tank", "--roll", "3", "--json")
    result = json.loads(run.out)
    assert (result["attack"], result["defence"], result["column"], result["result"]) == (
        11, 4, "2-1", "DR") == (example.check.attack, example.check.defence,
                                example.check.column, example.check.result)


def test_the_committed_series_schema_matches_the_model_and_the_file():
    import tomllib

    import jsonschema

    from wargame.validation import schema_document

    folder = bundled_data_dir() / "print"
    schema = json.loads((folder / "series-schema.json").read_text(encoding="utf-8"))
    assert schema == schema_document("series"), "run: wargame schema series"
    document = tomllib.loads((folder / "series-rules.toml").read_text(encoding="utf-8"))
    assert not list(jsonschema.Draft202012Validator(schema).iter_errors(document))
