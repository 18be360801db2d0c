"""Model fields that document themselves, and the patterns identifiers follow.

Field metadata (``doc``, ``min``, ``max``, ``pattern``) drives both the validator
(``wargame.loading.validate``) and the JSON Schema (``wargame.loading.jsonschema``). This
module is apart from ``wargame.model`` so that rules, maps and scenarios can declare their
fields without creating the unit classes (a command reading only the tables never needs
them).
"""

from __future__ import annotations

import attrs

ID_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,63}$"
COLOUR_PATTERN = r"^#[0-9a-fA-F]{6}$"


def fld(doc: str, default=attrs.NOTHING, **constraints):
    """An attrs field that documents itself and carries its validation constraints."""
    meta = {"doc": doc, **constraints}
    if default is attrs.NOTHING:
        return attrs.field(metadata=meta)
    if isinstance(default, list):  # a TOML array; stored as a tuple
        return attrs.field(factory=lambda items=tuple(default): items, metadata=meta)
    return attrs.field(default=default, metadata=meta)
