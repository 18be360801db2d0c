"""Load ``print/counters.toml``: the counter layout and the markers."""

from __future__ import annotations

from pathlib import Path

import attrs

from wargame.counters import PrintFile
from wargame.errors import DataError, Problem
from wargame.loading.toml_source import shown_name
from wargame.loading.structure import read_model
from wargame.loading.validate import did_you_mean
from wargame.model import Catalog
from wargame.paths import data_file


def load_print(root: Path, catalog: Catalog | None = None) -> PrintFile:
    """The print settings of ``root`` (the bundled ones when the game has none)."""
    path = data_file(root, "print", "counters.toml")
    shown = shown_name(path, root)
    settings, problems = read_model(path, shown, PrintFile)
    if settings is None or problems:
        raise DataError(problems)
    if not path.is_relative_to(root):
        # the bundled file serves a game that has none: its layout, and only the markers
        # that do not name one of the bundled campaign's factions
        settings = attrs.evolve(settings, markers=tuple(m for m in settings.markers
                                                         if m.faction is None))
    problems = []
    if catalog is not None:
        for index, marker in enumerate(settings.markers):
            if marker.faction is not None and marker.faction not in catalog.factions:
                problems.append(Problem(shown, f"markers[{index}].faction",
                                        f'unknown faction "{marker.faction}"'
                                        f"{did_you_mean(marker.faction, catalog.factions)}"))
    seen = set()
    for index, marker in enumerate(settings.markers):
        if marker.id in seen:
            problems.append(Problem(shown, f"markers[{index}].id",
                                    f'duplicate id "{marker.id}"'))
        seen.add(marker.id)
    if problems:
        raise DataError(problems)
    return settings
