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
