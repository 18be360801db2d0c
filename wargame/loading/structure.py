"""Turn validated TOML tables into model objects, keeping where each one came from."""

from __future__ import annotations

from functools import cache

import attrs

from wargame.errors import Problem
from wargame.loading.validate import Found, check_class, join_path


@cache
def converter():
    """The cattrs converter for the model (built once; cattrs generates code per class)."""
    import cattrs

    return cattrs.Converter(forbid_extra_keys=True)


@attrs.frozen
class Item:
    """A model object and the key path it was read from."""

    value: object
    path: str


def structure_items(raw: dict, key: str, cls: type, found: Found,
                    trusted: bool = False) -> list[Item]:
    """Validate and structure each table of the array ``raw[key]``; skip invalid ones."""
    items = raw.get(key, [])
    if not isinstance(items, list):
        return []  # the file-level check already reported it
    out = []
    for index, table in enumerate(items):
        path = join_path(key, index)
        if trusted or check_class(table, cls, path, found):
            out.append(Item(converter().structure(table, cls), path))
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
