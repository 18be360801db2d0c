"""The verifier in the browser agrees with `wargame game verify`, in a real headless
Chromium, on valid and tampered exports."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import quote

import pytest

from test_pbp import _forge, played, played_template  # noqa: F401,F811 (pytest fixtures)
from wargame.pbp.browser import verifier_page
from wargame.pbp.game import Game
from wargame.pbp.verify import check_published, verify_export

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no Chromium here: install Debian's "
                                "chromium package (.ci/run does) to run the browser verifier")


def in_browser(page: Path, tmp_path: Path, heads: list[str] = ()) -> str:
    """The verdict the page shows once its script has run."""
    url = page.resolve().as_uri() + (f"#heads={quote(','.join(heads))}" if heads else "")
    done = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=30000",
         "--dump-dom", url], capture_output=True, text=True, timeout=120)
    match = re.search(r'<pre id="result" data-done="1">([^<]*)', done.stdout)
    assert match, done.stdout[-2000:] + done.stderr[-2000:]
    return match[1]


def _cases(played: Path, tmp_path: Path):
    """(name, export document, heads) for a valid record and tampered ones."""
    from wargame.pbp.verify import export_game

    document = export_game(played, Game(played).events())
    head = document["events"][-1]["hash"]
    yield "valid", document, [head]
    for index in (3, 9, len(document["events"]) - 2):
        edited = json.loads(json.dumps(document))
        body = edited["events"][index]["body"]
        key = sorted(body)[0]
        body[key] = (body[key] + "x") if isinstance(body[key], str) else [body[key]]
        yield f"edited event {index + 1}", edited, []
    removed = json.loads(json.dumps(document))
    del removed["events"][5]
    yield "an event removed", removed, []
    ends = [i for i, e in enumerate(document["events"]) if e["kind"] == "turn-end"]
    cut = json.loads(json.dumps(document))
    cut["events"] = cut["events"][:ends[-1] + 1]
    yield "cut short after a post", cut, [head]

    def other_face(kind, body):
        if kind != "roll" or not body["faces"]:
            return False
        first = body["faces"][0]
        first[0] = first[0] % 6 + 1
        return True

    record, _ = _forge(played, tmp_path / "forged", other_face)
    yield "a forged roll, every hash redone", export_game(tmp_path / "forged",
                                                          record.events()), []


def test_the_browser_agrees_with_the_command_line(played, tmp_path):
    rules = Game(played).session().rules
    for name, document, heads in _cases(played, tmp_path):
        exported = tmp_path / "case.json"
        exported.write_text(json.dumps(document), encoding="utf-8")
        verdict = verify_export(exported)
        if verdict.ok:
            problems = check_published([e for e in _events(document)], heads, [])
            cli_ok = not problems
        else:
            cli_ok = False
        page = tmp_path / "case.html"
        page.write_text(verifier_page(document, rules, "Korea"), encoding="utf-8")
        shown = in_browser(page, tmp_path, heads)
        assert shown.startswith("VERIFIED") == cli_ok, (name, shown, verdict.describe())
        if not verdict.ok and verdict.seq:
            assert f"event {verdict.seq}:" in shown, (name, shown, verdict.describe())
        if cli_ok:
            assert verdict.head in shown


def _events(document):
    from wargame.pbp.record import Event

    return [Event(**e) for e in document["events"]]


def test_export_html_from_the_command_line(played, cli, tmp_path):
    page = tmp_path / "game.html"
    assert cli("game", "export", str(played), "--html", "-o", str(page)).code == 0
    text = page.read_text(encoding="utf-8")
    # nothing is fetched: no external script or style, and a policy that forbids any load
    assert "default-src 'none'" in text and "<script src" not in text and "<link" not in text
    shown = in_browser(page, tmp_path)
    assert shown.startswith("VERIFIED") and Game(played).state().head in shown


def test_a_sides_export_hides_the_other_sides_orders_and_still_verifies(played, cli, tmp_path):
    export = tmp_path / "un.json"
    assert cli("game", "export", str(played), "--side", "un", "-o", str(export)).code == 0
    text = export.read_text(encoding="utf-8")
    assert "move 107 Tk to 1611" not in text and "retreat ROK 7 Inf toward 1620" in text
    run = cli("game", "verify", str(export))
    assert run.code == 0 and "dice were re-derived" in run.out
    page = tmp_path / "un.html"
    assert cli("game", "export", str(played), "--side", "un", "--html", "-o",
               str(page)).code == 0
    assert in_browser(page, tmp_path).startswith("VERIFIED")
    # a redacted digest changed, or the roll of a battle the side fought left out, is caught
    document = json.loads(text)
    hidden = next(e for e in document["events"] if "redacted" in e["body"])
    hidden["body"]["redacted"] = "0" * 64
    export.write_text(json.dumps(document), encoding="utf-8")
    assert cli("game", "verify", str(export)).code == 3
    document = json.loads(text)
    roll = next(e for e in document["events"] if e["kind"] == "roll")
    from wargame.pbp.crypto import body_digest

    roll["body"] = {"redacted": body_digest(roll["body"])}
    export.write_text(json.dumps(document), encoding="utf-8")
    run = cli("game", "verify", str(export))
    assert run.code == 3 and "which un fought, shows no roll" in run.err
    page.write_text(verifier_page(document, Game(played).session().rules, "Korea"),
                    encoding="utf-8")
    assert "which un fought, shows no roll" in in_browser(page, tmp_path)


def _rechained(document: dict, start: int) -> None:
    """Every hash from event ``start`` on redone, as a dishonest umpire would."""
    from wargame.pbp.crypto import event_hash

    events = document["events"]
    for index in range(start, len(events)):
        event = events[index]
        event["prev"] = events[index - 1]["hash"] if index else "0" * 64
        event["hash"] = event_hash(event["prev"], event["seq"], event["kind"], event["turn"],
                                   event["at"], event["body"])


def _corpus(played: Path):
    """(name, export) for at least 200 tampered side exports: a field of one event of every
    kind, and of three rolls, changed, once as it stands and once with every hash redone."""
    from test_pbp import _fields, _mutations

    from wargame.pbp.verify import export_game

    base = export_game(played, Game(played).events(), "un")
    events = base["events"]
    chosen, kinds, rolls = [], set(), 0
    for index, event in enumerate(events):
        if index and (event["kind"] not in kinds or (event["kind"] == "roll" and rolls < 3)):
            kinds.add(event["kind"])
            rolls += event["kind"] == "roll"
            chosen.append(index)
    yield "as exported", base
    for index in chosen:
        for path, value in _fields(events[index]["body"]):
            if not path:
                continue
            changed = _mutations(value)[0]
            for rechain in (False, True):
                document = json.loads(json.dumps(base))
                target = document["events"][index]["body"]
                for key in path[:-1]:
                    target = target[key]
                target[path[-1]] = changed
                if rechain:
                    _rechained(document, index)
                yield f"event {index + 1} {'.'.join(map(str, path))}{' re-chained' * rechain}", \
                    document


def test_the_page_and_the_command_line_agree_on_a_corpus_of_tampered_exports(played, tmp_path):
    """One verifier in two places: each case gets the same verdict (and, when both refuse,
    names the same event) from `game verify` and from the page, in one headless Chromium,
    and the page answers each in under 5 s."""
    from wargame.pbp.browser import _SCRIPT, dice_of_notations, dice_of_tables
    from wargame.pbp.fog import REDACTABLE
    from wargame.pbp.lookup import table_facts
    from wargame.pbp.record import Event
    from wargame.pbp.verify import export_problems, verify_events

    rules = Game(played).session().rules
    cases = list(_corpus(played))
    assert len(cases) >= 200, len(cases)
    expected, docs = [], []
    shared = {"dice": dice_of_tables(rules), "notations": dice_of_notations(cases[0][1]),
              "tables": {t: table_facts(table) for t, table in rules.tables.items()}}
    for name, document in cases:
        # what `game verify` does with the file, without writing it out each time
        if export_problems(document):
            expected.append((name, False, None))
        else:
            verdict = verify_events([Event(**e) for e in document["events"]],
                                    played / "data", document.get("side"))
            expected.append((name, verdict.ok, verdict.seq if not verdict.ok else None))
        docs.append({"events": document["events"], "side": document.get("side")})
    verifier = _SCRIPT[:_SCRIPT.index("async function run()")].replace(
        "__PLAY_KINDS__", json.dumps(list(REDACTABLE)))
    driver = """
    (async () => {
      const corpus = JSON.parse(document.getElementById("corpus").textContent);
      const out = [];
      for (const one of corpus.docs) {
        const started = performance.now();
        let verdict;
        try { verdict = await verify(Object.assign({}, corpus.shared, one), []); }
        catch (e) { verdict = "NOT VERIFIED: " + (e instanceof Failure ? e.message : String(e)); }
        out.push([verdict, performance.now() - started]);
      }
      const result = document.getElementById("result");
      result.textContent = JSON.stringify(out);
      result.dataset.done = "1";
    })();"""
    payload = json.dumps({"shared": shared, "docs": docs}).replace("<", "\\u003c")
    page = tmp_path / "corpus.html"
    page.write_text('<!doctype html><html><head><meta charset="utf-8"></head><body>'
                    '<pre id="result">running</pre>'
                    f'<script type="application/json" id="corpus">{payload}</script>'
                    f"<script>{verifier}{driver}</script></body></html>", encoding="utf-8")
    import html

    shown = json.loads(html.unescape(in_browser(page, tmp_path)))
    assert len(shown) == len(expected)
    disagreements = []
    for (name, ok, seq), (verdict, took) in zip(expected, shown):
        page_ok = verdict.startswith("VERIFIED")
        if page_ok != ok or (seq and f"event {seq}:" not in verdict):
            disagreements.append((name, ok, seq, verdict[:160]))
        assert took < 5000, (name, took)
    assert not disagreements, "\n".join(map(str, disagreements))
    assert sum(1 for _, ok, _ in expected if not ok) > len(expected) // 2


def test_the_page_checks_a_forfeit_as_the_command_line_does(played, cli, tmp_path):
    """15.4 in the page: a forfeit for a withheld nonce verifies, one naming the wrong
    winner does not."""
    from pbp_play import locked_round

    lines, _ = locked_round(cli, played, tmp_path)
    assert cli("game", "reveal", str(played), "--message", lines["kpa"]).code == 0
    assert cli("game", "resolve", str(played), "--deadline-passed").code == 0
    page = tmp_path / "game.html"
    assert cli("game", "export", str(played), "--html", "-o", str(page)).code == 0
    assert in_browser(page, tmp_path).startswith("VERIFIED")

    def wrong_winner(kind, body):
        if kind != "forfeit":
            return False
        body["winner"] = "un"
        return True

    from wargame.pbp.verify import export_game

    record, seq = _forge(played, tmp_path / "forged", wrong_winner)
    rules = Game(played).session().rules
    page.write_text(verifier_page(export_game(tmp_path / "forged", record.events()), rules,
                                  "Korea"), encoding="utf-8")
    shown = in_browser(page, tmp_path)
    assert f"event {seq}: the forfeit is not what 15.4 gives" in shown, shown
