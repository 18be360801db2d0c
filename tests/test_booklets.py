"""Scenario booklets, OOB sheets, charts, imposition and `wargame build`, read back from the
PDFs they produce."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader

from shared import booklet, booklet_chars, booklet_pages, built_kit
from wargame.loading.session import Session
from wargame.loading.printdata import load_print
from wargame.paths import bundled_data_dir
from wargame.printing.booklet import render_aids, render_booklet, render_oob
from wargame.printing.impose import saddle_order, saddle_stitch


@pytest.fixture(scope="module")
def session():
    return Session(str(bundled_data_dir()), use_cache=False)


def _squash(text) -> str:
    return re.sub(r"\s+", "", text or "")


def _text_lines(pdf) -> list[str]:
    """Every line of text of every page, words joined in reading order."""
    lines = []
    for page in pdf.pages:
        rows: dict[float, list] = {}
        for word in page.extract_words():
            rows.setdefault(round(word["top"] / 2), []).append(word)
        for _, words in sorted(rows.items()):
            lines.append(" ".join(w["text"] for w in sorted(words, key=lambda w: w["x0"])))
    return lines


@pytest.mark.parametrize("scenario_id", ["hainan", "strait", "korea", "shanghai", "rc4"])
def test_every_unit_is_on_the_oob_with_setup_and_turn(session, scenario_id, tmp_path):
    """Each unit's row starts with a line holding its name, factors, area and turn."""
    scenario = session.scenarios[scenario_id]
    target = tmp_path / "oob.pdf"
    render_oob(scenario, session.catalog, load_print(session.root, session.catalog), target)
    with pdfplumber.open(target) as pdf:
        lines = [_squash(line) for line in _text_lines(pdf)]
    areas = {area.id: area.code for area in scenario.areas}
    for entry in scenario.setup:
        unit = session.catalog.units[entry.unit]
        first_words = _squash(" ".join(unit.name.split()[:2]))
        factors = _squash(session.catalog.format_factors(unit))
        turn = "start" if entry.turn == 0 else str(entry.turn)
        # names repeat across sides (two "1st Infantry Division"s): match all the fields
        assert any(line.startswith(first_words) and factors in line
                   and f"{areas[entry.area]}{turn}" in line for line in lines), \
            f"{unit.id} ({first_words} {factors} {areas[entry.area]} {turn}) not on the OOB"


def _toc_entries(pdf, toc_page: int) -> list[tuple[str, int]]:
    """(title, page number) pairs read off the contents page, by text line."""
    page = pdf.pages[toc_page]
    words = page.extract_words(keep_blank_chars=False, use_text_flow=True)
    lines: dict[int, list] = {}
    for word in words:
        if word["top"] < 80 or word["top"] > page.height - 50:
            continue  # running head and page number
        lines.setdefault(round(word["top"]), []).append(word)
    entries = []
    for _, line in sorted(lines.items()):
        line.sort(key=lambda w: w["x0"])
        if line[-1]["text"].isdigit() and len(line) > 1:
            title = " ".join(w["text"] for w in line[:-1] if set(w["text"]) != {"."})
            entries.append((title.rstrip(" ."), int(line[-1]["text"])))
    return entries


def test_contents_page_numbers_match_bookmarks_and_pages(tmp_path_factory):
    target = booklet(tmp_path_factory, "strait")
    reader = PdfReader(target)

    def flatten(outline):
        for item in outline:
            if isinstance(item, list):
                yield from flatten(item)
            else:
                yield item.title, reader.get_destination_page_number(item) + 1

    bookmarks = dict(flatten(reader.outline))
    assert {"Background", "Special rules", "Set-up", "Order of battle", "Charts and tables",
            "Designer's notes", "Sources"} <= set(bookmarks)
    with pdfplumber.open(target) as pdf:
        entries = _toc_entries(pdf, 1)
        assert len(entries) >= 10
        for title, page in entries:
            # exact title first; a long title may be cut short by the contents line
            candidates = [b for b in bookmarks if _squash(b) == _squash(title)] or sorted(
                (b for b in bookmarks if _squash(b).startswith(_squash(title))
                 or _squash(title).startswith(_squash(b))), key=len, reverse=True)
            key = candidates[0] if candidates else None
            assert key is not None, title
            assert bookmarks[key] == page, (title, page, bookmarks[key])
            # the heading really is on that page
            assert _squash(key) in _squash(pdf.pages[page - 1].extract_text()), key


def test_chart_cells_equal_the_rules_data(session, tmp_path):
    target = tmp_path / "aid.pdf"
    pages = render_aids(session.rules, target)
    assert pages <= 2  # the tables alone: two landscape pages
    found = {}
    with pdfplumber.open(target) as pdf:
        for page in pdf.pages:
            for table in page.extract_tables():
                header = tuple(_squash(c) for c in table[0])
                found[header] = [[_squash(c) for c in row] for row in table[1:]]
    for table in session.rules.tables.values():
        spec = table.spec
        header = tuple(_squash(c) for c in [spec.dice, *(table.column_text(i) for i in
                                                         range(len(spec.columns)))])
        assert header in found, spec.id
        printed = found[header]
        expected = [[_squash(band.printed), *cells] for band, cells in
                    zip(table.row_bands, spec.cells)]
        assert printed == expected, spec.id
        # headings in words, never the data notation
        assert not any(".." in cell for cell in header + tuple(r[0] for r in printed))


def test_saddle_order_is_the_folding_order():
    assert saddle_order(8) == [(8, 1), (2, 7), (6, 3), (4, 5)]
    assert saddle_order(6) == [(0, 1), (2, 0), (6, 3), (4, 5)]
    for pages in range(1, 30):
        sides = saddle_order(pages)
        numbers = sorted(p for side in sides for p in side if p)
        assert numbers == list(range(1, pages + 1))
        assert len(sides) % 2 == 0


def test_imposition_places_each_page_on_its_half(session, tmp_path):
    scenario = session.scenarios["rc4"]
    reading = tmp_path / "booklet.pdf"
    count = render_booklet(scenario, session.catalog, session.rules,
                           load_print(session.root, session.catalog), reading)
    imposed = tmp_path / "saddle.pdf"
    saddle_stitch(reading, imposed)
    order = saddle_order(count)
    with pdfplumber.open(imposed) as pdf:
        assert len(pdf.pages) == len(order)
        for page, (left, right) in zip(pdf.pages, order):
            half = page.width / 2
            footer = [w for w in page.extract_words() if w["top"] > page.height - 40
                      and w["text"].isdigit()]
            lefts = {int(w["text"]) for w in footer if w["x1"] < half}
            rights = {int(w["text"]) for w in footer if w["x0"] > half}
            # page 1 (the cover) carries no number
            assert lefts == ({left} if left > 1 else set()), (left, lefts)
            assert rights == ({right} if right > 1 else set()), (right, rights)
    # and each half looks exactly like its reading page, pixel for pixel
    import pypdfium2
    from PIL import ImageChops

    sheets, pages = pypdfium2.PdfDocument(imposed), pypdfium2.PdfDocument(reading)
    for index in (0, len(order) // 2):
        sheet = sheets[index].render(scale=0.5).to_pil().convert("L")
        for number, offset in zip(order[index], (0, sheet.width // 2)):
            if number:
                page = pages[number - 1].render(scale=0.5).to_pil().convert("L")
                half = sheet.crop((offset, 0, offset + page.width, page.height))
                differing = ImageChops.difference(half, page).point(lambda v: v > 64)
                assert sum(differing.histogram()[1:]) < 50, (index, number)


def test_booklet_text_is_escaped(session, tmp_path):
    import attrs

    scenario = session.scenarios["rc4"]
    odd = attrs.evolve(scenario, name="A&B <b>bold</b>", background="Use <font size=40> & "
                       "<br/> freely.\n\nSecond <para>.", designer_notes="1st <b>Bn & x")
    target = tmp_path / "odd.pdf"
    render_booklet(odd, session.catalog, session.rules,
                   load_print(session.root, session.catalog), target)
    text = "".join(p.extract_text() for p in PdfReader(target).pages)
    assert "A&B <b>bold</b>" in text
    assert "<font size=40> &" in text and "1st <b>Bn & x" in text


SCENARIO = '''
id = "t"
name = "Test"
start = "1950-01-01"
end = "1950-01-05"
turns = 5
turn_length = "one day"
theatre = "Nowhere"
basis = "historical"
background = "Text."
first_player = "r"
[[sides]]
id = "r"
name = "Red"
factions = ["red"]
[[sides]]
id = "b"
name = "Blue"
factions = ["blue"]
[[areas]]
id = "here"
name = "Here"
code = "H"
[victory]
levels = [{ side = "r", level = "marginal", tests = [{ points_lead = 1 }] }]
'''


@pytest.mark.parametrize("setup, expected", [
    ('[[setup]]\nunit = "red-9"\narea = "here"', 'setup[0].unit: unknown unit "red-9"'),
    ('[[setup]]\nunit = "red-1"\narea = "here"\n[[setup]]\nunit = "red-1"\narea = "here"',
     'setup[1].unit: unit "red-1" is already set up at setup[0]'),
    ('[[setup]]\nunit = "red-1"\narea = "here"\nturn = 9',
     "setup[0].turn: expected a turn from 0 to 5, found 9"),
    ('[[setup]]\nunit = "red-1"\narea = "there"', 'setup[0].area: unknown area "there"'),
    ('[[setup]]\nunit = "blue-1"\narea = "here"\nreduced = true',
     'setup[0].reduced: "blue-1" has no reduced side'),
])
def test_scenario_mistakes_are_reported(setup, expected, mini_game, cli):
    folder = mini_game / "rules" / "scenarios"
    folder.mkdir(parents=True)
    (folder / "t.toml").write_text(SCENARIO + setup + "\n", encoding="utf-8")
    run = cli("--data", str(mini_game), "check")
    assert run.code == 2
    assert any(line.startswith("error: rules/scenarios/t.toml: ") and expected in line
               for line in run.err.splitlines()), run.err


def test_side_without_the_units_faction_is_reported(mini_game, cli):
    folder = mini_game / "rules" / "scenarios"
    folder.mkdir(parents=True)
    text = SCENARIO.replace('factions = ["blue"]', 'factions = ["red"]') + \
        '[[setup]]\nunit = "blue-1"\narea = "here"\n'
    (folder / "t.toml").write_text(text, encoding="utf-8")
    run = cli("--data", str(mini_game), "check")
    assert run.code == 2
    assert 'faction "red" already fights for side "r"' in run.err
    assert "fights for no side of this scenario" in run.err


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """One full build of the bundled kit, shared by every test that reads it."""
    return built_kit(tmp_path_factory)


def test_build_writes_the_whole_kit(built):
    game, out = built
    for scenario in ("hainan", "strait", "korea", "shanghai", "rc4"):
        for name in ("counters.pdf", "oob.pdf", "booklet.pdf", "booklet-a4.pdf",
                     "booklet-saddle.pdf", "map-letter.pdf", "map-a4.pdf", "map-22x34.pdf",
                     "map.png"):
            assert (out / scenario / name).stat().st_size > 10_000, (scenario, name)
        assert len(list((out / scenario / "png").glob("*-front.png"))) > 5
        assert (out / scenario / f"{scenario}.vmod").exists()
    for name in ("counters.pdf", "counters-print-shop-a4.pdf", "counters-fold.pdf",
                 "calibration.pdf", "player-aid.pdf"):
        assert (out / "campaign" / name).exists()
    assert not list(out.rglob("*.part"))


def test_build_redoes_only_what_changed(built, cli, tmp_path):
    # the shared kit is read by other tests: edit a copy (times kept, as a clone would)
    game, out = tmp_path / "game", tmp_path / "out"
    shutil.copytree(built[0], game)
    shutil.copytree(built[1], out)
    run = cli("--data", str(game), "build", "-o", str(out))
    assert run.code == 0 and "0 of 63 files built" in run.out  # 8 campaign + 11 per scenario
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*.pdf")}
    scenario = game / "rules" / "scenarios" / "rc4.toml"
    scenario.write_text(scenario.read_text(encoding="utf-8").replace(
        'subtitle = "The Border Campaign', 'subtitle = "The Border campaign'), encoding="utf-8")
    run = cli("--data", str(game), "build", "-o", str(out))
    assert run.code == 0
    changed = {p.relative_to(out).as_posix() for p, t in before.items()
               if p.stat().st_mtime_ns != t}
    assert "rc4/booklet.pdf" in changed and "rc4/counters.pdf" in changed
    assert "korea/counters.pdf" not in changed and "campaign/counters.pdf" not in changed


def test_build_stops_on_bad_data_before_writing(mini_game, cli, tmp_path):
    (mini_game / "units" / "bad.toml").write_text("units = 3", encoding="utf-8")
    run = cli("--data", str(mini_game), "build", "-o", str(tmp_path / "out"))
    assert run.code == 2 and "units/bad.toml" in run.err
    assert not (tmp_path / "out").exists()


def test_parallel_build_waits_for_what_a_target_reads(tmp_path):
    """A target that reads another's output is made after it, even with several workers."""
    from wargame.build import Target, run

    def slow_source(path):
        import time

        time.sleep(0.3)
        path.write_text("source", encoding="utf-8")
        return "source"

    def reader(path):
        path.write_text((path.parent / "a.txt").read_text(encoding="utf-8") + "+",
                        encoding="utf-8")
        return "reader"

    targets = [Target(Path("a.txt"), (), "a", slow_source),
               Target(Path("b.txt"), (), "b", reader, after=(Path("a.txt"),)),
               Target(Path("c.txt"), (), "c", lambda p: p.write_text("c") and "c")]
    outcomes = run(targets, tmp_path, jobs=2)
    assert [o.built for o in outcomes] == [True, True, True]
    assert (tmp_path / "b.txt").read_text(encoding="utf-8") == "source+"
    assert [o.built for o in run(targets, tmp_path, jobs=2)] == [False, False, False]


def test_arrival_notes_agree_with_the_turn_of_arrival(session):
    """A note that speaks of a turn names the turn the unit arrives (an alternative may
    follow it), so the booklet never says two things."""
    for scenario in session.scenarios.values():
        for entry in scenario.setup:
            turns = [int(t) for t in re.findall(r"\bturns? (\d+)", entry.notes)]
            if turns:
                assert turns[0] == entry.turn, (scenario.id, entry.unit, entry.notes)


def test_printed_booklets_use_words_not_notation(session, tmp_path_factory):
    """No '..' ranges, no internal words, no doubled notes, no '1 ships' in any booklet."""
    for scenario in session.scenarios.values():
        text = "\n".join(booklet_pages(tmp_path_factory, scenario.id))
        for bad in ("..", "not modelled", "tables:", "(s)"):
            assert bad not in text, (scenario.id, bad)
        assert not re.search(r"\b1 (ships|tanks|guns|men)\b", text), scenario.id
        assert not re.search(r"(?i)(story reinforcement)\W+\1", text), scenario.id


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_no_heading_ends_a_page(session, tmp_path_factory, paper):
    for scenario in session.scenarios.values():
        pages = booklet_chars(tmp_path_factory, scenario.id, paper)
        for number, page in enumerate(pages[1:], start=2):
            chars = page["chars"]
            headings = {round(c["top"]) for c in chars
                        if "Bold" in c["font"] and c["size"] >= 11.5}
            assert number > 2 or headings  # the contents page has one: the test can see them
            footer = page["height"] - 40  # the page number
            for top in headings:
                below = [c for c in chars if top + 16 < c["top"] < footer]
                assert below, (scenario.id, paper, number, top)


def _base_fonts(resources, seen, out):
    """Every BaseFont under a resource dictionary, forms and patterns included."""
    if resources is None or id(resources) in seen:
        return
    seen.add(id(resources))
    resources = resources.get_object()
    for font in (resources.get("/Font") or {}).values():
        font = font.get_object()
        out.add(str(font.get("/BaseFont")))
        for descendant in font.get("/DescendantFonts") or []:
            out.add(str(descendant.get_object().get("/BaseFont")))
    for kind in ("/XObject", "/Pattern"):
        for item in (resources.get(kind) or {}).values():
            item = item.get_object()
            _base_fonts(item.get("/Resources"), seen, out)


def test_every_embedded_font_subset_has_a_tag_of_its_own(tmp_path_factory):
    """Preflight tools flag one subset tag used by several fonts in a file (reportlab alone
    names subset n of every font alike): each tag of each PDF of the kit is distinct."""
    from pypdf import PdfReader

    from shared import built_kit

    out = built_kit(tmp_path_factory)[1]
    checked = 0
    for path in sorted(out.rglob("*.pdf")):
        names: set[str] = set()
        seen: set[int] = set()
        for page in PdfReader(path).pages:
            _base_fonts(page.get("/Resources"), seen, names)
        tags = [n.lstrip("/").split("+")[0] for n in names if "+" in n]
        assert len(tags) == len(set(tags)), (path.name, sorted(names))
        checked += len(tags) > 1
    assert checked >= 5


def test_sources_read_as_a_bibliography():
    """In the order a reader looks keys up (K9 before K10), titles without markup
    characters, and where each was read, readable."""
    from reportlab.lib.styles import ParagraphStyle

    from wargame.model import Source
    from wargame.printing.booklet import natural_key, source_entry

    assert sorted(["K10", "K9", "K100", "A2"], key=natural_key) == ["A2", "K9", "K10", "K100"]
    entry = source_entry("K1", Source("K1", "Garver, *China's Quest* <b>", "https://x.org/"
                                      "%D0%9F%D0%BE%D1%80%D1%82"), ParagraphStyle("s"))
    assert "<i>China&apos;s Quest</i>" in entry.text or "<i>China's Quest</i>" in entry.text
    assert "&lt;b&gt;" in entry.text and "*" not in entry.text
    assert "https://x.org/Порт" in entry.text
    # the publisher leads, escaped like the rest
    published = source_entry("K2", Source("K2", "figures", "https://y.org/", site="A & B"),
                             ParagraphStyle("s"))
    assert published.text.startswith("[K2] A &amp; B: figures.")


def test_every_source_of_the_campaign_names_its_publisher(session):
    """A reader can follow each entry: who published it, and a copy says it is one."""
    for key, source in session.catalog.sources.items():
        if source.url:
            assert source.site, key
        assert "mirror" not in source.title.lower(), key


def test_the_player_aids_counter_key_is_drawn(tmp_path_factory):
    """The aid is built in one pass: its pictures must be drawn in it (a layout-only first
    pass is for documents with contents), so the counter key's page has the counters' ink."""
    import pypdfium2

    from shared import built_kit

    document = pypdfium2.PdfDocument(built_kit(tmp_path_factory)[1] / "campaign" /
                                     "player-aid.pdf")
    page = next(p for p in document if "How to read a counter" in
                p.get_textpage().get_text_range())
    image = page.render(scale=0.5).to_pil().convert("L")
    inked = sum(image.histogram()[:200]) / (image.width * image.height)
    assert inked > 0.08, inked  # the headings alone ink about 3 %, with the counters 15 %


def test_the_player_aid_is_one_sheet_and_keys_every_kind_of_counter(tmp_path_factory, session):
    """Front and back of one sheet: the sequence of play, every table and chart, and a
    counter key that still names each kind of counter (one drawn large and annotated, the
    others small beside their factors)."""
    import pypdfium2

    from shared import built_kit

    document = pypdfium2.PdfDocument(built_kit(tmp_path_factory)[1] / "campaign" /
                                     "player-aid.pdf")
    assert len(document) <= 2
    text = _squash(" ".join(p.get_textpage().get_text_range() for p in document))
    assert _squash("Sequence of play") in text and _squash("How to read a counter") in text
    catalog = session.catalog
    kinds = {catalog.scheme_of(unit).name for unit in catalog.units.values()}
    assert len(kinds) >= 5
    for kind in kinds:
        assert _squash(kind) in text, kind
    for table in session.rules.tables.values():
        assert _squash(table.spec.name) in text, table.spec.name
    # the turn's lettered phases, each as the series rules word it; no Markdown marks
    turn = next(c for x in session.series.sections for c in x.cases if c.steps)
    for letter, step in zip("ABCDEFGHIJ", turn.steps):
        assert _squash(f"{letter}. {step}") in text, step
    assert "`" not in text
