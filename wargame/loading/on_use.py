"""A read-only mapping whose values are built from cached documents when first looked up.

A game needs one scenario and one map of its folder; building every scenario and map from
the cache on each start would cost more than the command's own work."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Generic, TypeVar

Value = TypeVar("Value")


class BuiltOnUse(Mapping[str, Value], Generic[Value]):
    """``documents`` by key, each turned into its value by ``build`` once, on first use."""

    def __init__(self, documents: dict[str, object], build: Callable[[object], Value]):
        self._documents = documents
        self._build = build
        self._built: dict[str, Value] = {}

    def __getitem__(self, key: str) -> Value:
        try:
            return self._built[key]
        except KeyError:
            pass
        value = self._build(self._documents[key])  # KeyError for an unknown key, as a dict
        self._built[key] = value
        return value

    def __iter__(self) -> Iterator[str]:
        return iter(self._documents)

    def __len__(self) -> int:
        return len(self._documents)

    def __contains__(self, key: object) -> bool:
        return key in self._documents

    def __repr__(self) -> str:
        return f"{type(self).__name__}({sorted(self._documents)})"
