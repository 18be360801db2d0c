"""Turn validated TOML tables into model objects, keeping where each one came from.

Building is a walk over the same type hints the validator reads. (cattrs did this job
first; its import alone cost 17 ms of the 150 ms budget of `wargame units`, so the builder
below replaced it.)
"""

from __future__ import annotations

import types
import typing
from functools import cache

import attrs

from wargame.errors import Problem
from wargame.loading.validate import Found, check_class, hints, join_path


def _plain(tp: object) -> object:
    args = typing.get_args(tp)
    if typing.get_origin(tp) in (typing.Union, types.UnionType) and type(None) in args:
        return next(a for a in args if a is not type(None))
    return tp


@cache
def _builder(tp: object):
    """A function that turns validated TOML data into a value of type ``tp``."""
    tp = _plain(tp)
    if attrs.has(tp):
        type_hints = hints(tp)
        fields = [(f.name, _builder(type_hints[f.name])) for f in attrs.fields(tp)]

        def build_class(data, cls=tp, fields=fields):
            return cls(**{name: build(data[name]) for name, build in fields if name in data})

        return build_class
    origin = typing.get_origin(tp)
    if origin is tuple:
        item = _builder(typing.get_args(tp)[0])
        return lambda data: tuple(item(v) for v in data)
    if origin is dict:
        value = _builder(typing.get_args(tp)[1])
        return lambda data: {k: value(v) for k, v in data.items()}
    if tp is float:
        return float
    return lambda data: data


def build(data: object, tp: type):
    """Build a model object from data that passed validation."""
    return _builder(tp)(data)


@attrs.frozen
class Item:
    """A model object and the key path it was read from."""

    value: object
    path: str


def structure_items(raw: dict, key: str, cls: type, found: Found,
                    trusted: bool = False, broken: set | None = None,
                    id_field: str = "id") -> list[Item]:
    """Validate and build each table of the array ``raw[key]``; skip invalid ones.

    The ids of skipped tables go into ``broken``, so that references to them are not
    reported again as unknown: one mistake, one message.
    """
    items = raw.get(key, [])
    if not isinstance(items, list):
        return []  # the file-level check already reported it
    out = []
    for index, table in enumerate(items):
        path = join_path(key, index)
        if trusted or check_class(table, cls, path, found):
            out.append(Item(build(table, cls), path))
        elif broken is not None and isinstance(table, dict) and \
                isinstance(table.get(id_field), str):
            broken.add(table[id_field])
    return out


def index_by_id(kind: str, located: list[tuple[str, Item]], id_field: str,
                origins: dict[str, tuple[str, str]], problems: list[Problem]) -> dict:
    """Index items by id in file order; a second item with a taken id is a problem.

    ``origins`` gains ``"kind:id" -> (file, key path)`` so later checks can name places.
    """
    table: dict = {}
    for shown, item in located:
        key = getattr(item.value, id_field)
        origin_key = f"{kind}:{key}"
        if key in table:
            first_file, first_path = origins[origin_key]
            problems.append(Problem(shown, join_path(item.path, id_field),
                                    f'duplicate {id_field} "{key}": already used at '
                                    f"{first_file}: {first_path}"))
            continue
        table[key] = item.value
        origins[origin_key] = (shown, item.path)
    return table


def read_model(path, shown: str, cls: type, raws: list | None = None):
    """A TOML file read, checked and built as one model object: (object or None, problems
    named as ``shown``). The one way maps, scenarios, series rules and print settings are
    read. ``raws`` collects the parsed document (for a cache)."""
    from wargame.loading.toml_source import read_toml

    raw, problems = read_toml(path, shown)
    if raw is None:
        return None, problems
    if raws is not None:
        raws.append(raw)
    found: Found = []
    if not check_class(raw, cls, "", found):
        return None, [Problem(shown, where, message) for where, message in found]
    return build(raw, cls), [Problem(shown, where, message) for where, message in found]
