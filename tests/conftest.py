"""Shared fixtures: a tiny valid game folder and an in-process CLI runner."""

from __future__ import annotations

import io
import shutil
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import attrs
import pytest

from wargame.cli import main

FIXTURES = Path(__file__).parent / "fixtures"
MALFORMED = Path(__file__).parent / "malformed"


@attrs.frozen
class Run:
    code: int
    out: str
    err: str


@pytest.fixture
def mini_game(tmp_path: Path) -> Path:
    """A copy of tests/fixtures/mini that a test may change freely."""
    target = tmp_path / "game"
    shutil.copytree(FIXTURES / "mini", target)
    return target


@pytest.fixture
def game(tmp_path: Path) -> Path:
    """A copy of the bundled campaign (units, rules, print) that a test may break."""
    from wargame.paths import bundled_data_dir

    target = tmp_path / "game"
    for part in ("units", "rules", "print"):
        shutil.copytree(bundled_data_dir() / part, target / part)
    return target


def run_cli(*args: str) -> Run:
    """Run ``wargame ARGS`` in-process outside a test's capture (for fixtures built once)."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            main(list(args))
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
    return Run(code, out.getvalue(), err.getvalue())


@pytest.fixture(scope="session", autouse=True)
def session_cache(tmp_path_factory):
    """A data cache of the test run's own, for fixtures built once per session."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("session-cache")))
        patch.delenv("WARGAME_DATA", raising=False)
        yield


@pytest.fixture
def cli(capsys, monkeypatch):
    """Run ``wargame ARGS`` in-process; returns exit code, stdout and stderr."""
    monkeypatch.delenv("WARGAME_DATA", raising=False)

    def run(*args: str) -> Run:
        try:
            main(list(args))
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


@pytest.fixture(autouse=True)
def private_cache(tmp_path_factory, monkeypatch):
    """Each test gets its own data cache, so no test sees another's."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
