"""What commands and the print kit share: the chosen game folder and what was loaded from it
(each part loaded once, on first use)."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # a session that loads nothing (`wargame roll`) imports nothing
    from pathlib import Path

    from wargame.model import Catalog


class Session:
    """The game folder of this run; data is loaded lazily, on first use."""

    def __init__(self, data_dir: str | None, use_cache: bool = True):
        self._data_dir = data_dir
        self.use_cache = use_cache

    def use_data_dir(self, data_dir: str) -> None:
        """Point the session at another game folder (before anything is loaded)."""
        self._data_dir = data_dir
        for name in ("root", "catalog", "rules", "maps", "scenarios", "series", "play"):
            self.__dict__.pop(name, None)

    @cached_property
    def root(self) -> Path:
        from wargame.paths import resolve_data_dir

        return resolve_data_dir(self._data_dir)

    @cached_property
    def catalog(self) -> Catalog:
        from wargame.loading.catalog import load_catalog

        return load_catalog(self.root, self.use_cache)

    @cached_property
    def rules(self):
        from wargame.loading.rules import load_rules

        return load_rules(self.root, self.use_cache)

    @cached_property
    def series(self):
        """The series rules (the text of the rules booklet)."""
        from wargame.play.series import load_series

        return load_series(self.root, list(self.rules.tables) + list(self.rules.procedures),
                           self.use_cache)

    @cached_property
    def play(self):
        """The rules of play: what the toolkit enforces when it carries out orders."""
        from wargame.play.rules import load_play

        rules = self.rules
        series = self.series
        return load_play(self.root, rules.tables, rules.terrain, rules.modifiers,
                         series.numbers() if series is not None else None, self.use_cache)

    @cached_property
    def maps(self):
        from wargame.maps.load import cached_maps, check_maps, terrain_features

        # maps that checked before against the same terrain chart need no chart loaded
        cached = cached_maps(self.root) if self.use_cache else None
        if cached is not None:
            return cached
        return check_maps(self.root, terrain_features(self.rules), self.use_cache)

    @cached_property
    def scenarios(self):
        from wargame.scenarios.load import cached_scenarios, check_scenarios

        # scenarios that checked before against these very files need none of them loaded
        # (`wargame game status` never builds the combat tables)
        cached = cached_scenarios(self.root) if self.use_cache else None
        if cached is not None:
            return cached
        return check_scenarios(self.root, self.catalog, self.rules, self.maps, self.series,
                               self.play, self.use_cache)

    def scenario(self, name: str):
        """A scenario by id or title (partial names work when unambiguous)."""
        from wargame.query import find_one

        return find_one(name, self.scenarios, lambda s: (s.id, s.name), "scenario")
