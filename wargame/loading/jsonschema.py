"""JSON Schema for the data files, generated from the model classes.

Editors (VS Code with Even Better TOML, or taplo) read the ``#:schema`` line at the top of
each file and then validate and complete as the designer types.
"""

from __future__ import annotations

import typing

import attrs

from wargame.loading.validate import _strip_optional, hints, item_constraints

SCHEMA_DRAFT = "https://json-schema.org/draft/2020-12/schema"


def schema_for(root: type, title: str) -> dict:
    """A JSON Schema document for TOML files shaped like the attrs class ``root``."""
    definitions: dict[str, dict] = {}
    body = _class_schema(root, definitions)
    return {"$schema": SCHEMA_DRAFT, "title": title, **body, "$defs": definitions}


def _class_schema(cls: type, definitions: dict) -> dict:
    properties, required = {}, []
    type_hints = hints(cls)
    for field in attrs.fields(cls):
        properties[field.name] = _type_schema(type_hints[field.name], field.metadata, definitions)
        # a key the file level may supply (a unit's faction) is optional in the schema
        if field.default is attrs.NOTHING and not field.metadata.get("file_default"):
            required.append(field.name)
    out = {"type": "object", "additionalProperties": False, "properties": properties}
    if cls.__doc__:
        out["description"] = cls.__doc__.strip().splitlines()[0]
    if required:
        out["required"] = required
    return out


def _type_schema(tp, meta, definitions) -> dict:
    tp = _strip_optional(tp)
    origin = typing.get_origin(tp)
    out: dict = {}
    if meta.get("doc"):
        out["description"] = meta["doc"]
    if attrs.has(tp):
        name = tp.__name__
        if name not in definitions:
            definitions[name] = {}  # placeholder guards against recursion
            definitions[name] = _class_schema(tp, definitions)
        return {**out, "$ref": f"#/$defs/{name}"}
    if origin is typing.Literal:
        return {**out, "enum": list(typing.get_args(tp))}
    if origin is tuple:
        item_meta = item_constraints(meta)
        out.update(type="array", items=_type_schema(typing.get_args(tp)[0], item_meta,
                                                     definitions))
        if "min_items" in meta:
            out["minItems"] = meta["min_items"]
        if "max_items" in meta:
            out["maxItems"] = meta["max_items"]
        return out
    if origin is dict:
        value_meta = {k: v for k, v in meta.items() if k in ("min", "max")}
        out.update(type="object", additionalProperties=_type_schema(
            typing.get_args(tp)[1], value_meta, definitions))
        return out
    if tp is str:
        out["type"] = "string"
        if meta.get("date"):
            out["format"] = "date"
        for ours, theirs in (("pattern", "pattern"), ("min_length", "minLength"),
                             ("max_length", "maxLength")):
            if ours in meta:
                out[theirs] = meta[ours]
        return out
    if tp is int:
        out["type"] = "integer"
    elif tp is float:
        out["type"] = "number"
    elif tp is bool:
        out["type"] = "boolean"
    else:
        raise TypeError(f"no JSON Schema rule for {tp!r}")
    if "min" in meta:
        out["minimum"] = meta["min"]
    if "max" in meta:
        out["maximum"] = meta["max"]
    return out
