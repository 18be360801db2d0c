"""Arrows point down: domain code never imports the command line."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "wargame"


def test_nothing_below_the_cli_imports_it():
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if "cli" in path.relative_to(PACKAGE).parts[:1]:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            if any(n == "wargame.cli" or n.startswith("wargame.cli.") for n in names):
                offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert offenders == ["__main__.py:3"]  # the entry point itself, and nothing else


def test_maps_know_nothing_of_pdfs():
    for path in (PACKAGE / "maps").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "reportlab" not in text and "click" not in text, path.name
