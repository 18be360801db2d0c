"""Check raw TOML values against the attrs model, collecting every problem with its key path.

The walker reads the model's type hints and field metadata, so adding a field to a model
class adds it to validation (and to the JSON Schema) with no other change.
"""

from __future__ import annotations

import math
import re
import sys
import types
import typing
from functools import cache

import attrs

from wargame.errors import describe

#: (key path, message) pairs; the loader adds the file name.
Found = list[tuple[str, str]]

_PATTERN_MEANINGS = {
    r"^[a-z0-9][a-z0-9_-]{0,63}$":
        "an id (lowercase letters, digits, '-' or '_', starting with a letter or digit)",
    r"^#[0-9a-fA-F]{6}$": "a colour like \"#a0b1c2\"",
    r"^[0-9]{6}$": "six digits",
    r"^[0-9]{2}$": "two digits",
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$": "a date like \"1950-06-25\"",
    r"^[a-z][a-z0-9_]{0,23}$": "a name of lowercase letters, digits and '_' (up to 24), "
                               "starting with a letter",
    r"^[a-z][a-z0-9 _-]{0,31}$": "a short lowercase word or phrase (up to 32 characters)",
    r"^[A-Za-z0-9_.-]{1,16}$": "a key of letters, digits, '.', '-' or '_' (up to 16)",
    r"^[^\s\"]{1,16}$": "a result code of 1 to 16 characters without spaces or quotes",
    r"^[0-9]{4}$": "a hex number like \"0412\" (column, row)",
    r"^[0-9.]{1,8}$": "a total or band like \"12\" or \"2..3\"",
    r"^([0-9]{4})?$": "a hex number like \"0412\" (column, row), or nothing",
    r"^[0-9]{4}/[0-9]{4}$": "a hexside like \"0412/0413\" (two neighbouring hexes)",
    r"^[A-Z0-9]{1,6}$": "a code of capital letters and digits (up to 6), like \"KS\"",
    r"^[0-9]{1,2}\.[0-9]{1,2}$": "a case number of the series rules, like \"7.3\"",
    r"^([a-z0-9][a-z0-9_-]{0,63})?$": "an id (lowercase letters, digits, '-' or '_'), or "
                                      "nothing",
}

#: Characters no text field may hold: XML (VASSAL modules, PDF metadata) cannot carry the
#: controls and non-characters, and the bidirectional overrides would reorder a line a
#: reader sees.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
                        "\ufdd0-\ufdef\ufffe\uffff"
                        + "".join(f"\\U{plane:04x}fffe\\U{plane:04x}ffff"
                                  for plane in range(1, 17)) + "]")


_CLASSES = re.compile(r"^\^(\[[^\]]+\])(\[[^\]]+\])\{\d+,(\d+)\}\$$")


def _offending(pattern: str, value: str) -> str:
    """For a pattern of a first character and the rest (ids, markers, names): which
    character of the value breaks it, e.g. '; "+" is not allowed'."""
    match = _CLASSES.match(pattern)
    if not match or not value:
        return ""
    first, rest, longest = match[1], match[2], int(match[3])
    if not re.fullmatch(first, value[0]):
        return f'; it cannot start with "{value[0]}"'
    for char in value[1:]:
        if not re.fullmatch(rest, char):
            return f'; "{char}" is not allowed in it'
    if len(value) > longest + 1:
        return f"; it is {len(value)} characters long"
    return ""


def describe_pattern(pattern: str) -> str:
    """Say in words what a field's pattern accepts (never the regular expression)."""
    return _PATTERN_MEANINGS.get(pattern, "text of another form")


def forbidden_character(text: str) -> str | None:
    """A description of the first character XML cannot hold, or None."""
    match = _FORBIDDEN.search(text)
    return f"U+{ord(match[0]):04X}" if match else None


def join_path(path: str, key: str | int) -> str:
    """Extend a key path: ``units[3]`` + ``factors`` -> ``units[3].factors``."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    shown = key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else '"' + key.replace('"', '\\"') + '"'
    return f"{path}.{shown}" if path else shown


def did_you_mean(word: str, choices: typing.Iterable[str]) -> str:
    """A ' (did you mean "x"?)' suffix, or nothing when no choice is close."""
    import difflib  # only when reporting a mistake

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f' (did you mean "{close[0]}"?)' if close else ""


@cache
def hints(cls: type) -> dict[str, object]:
    """Resolved type hints of an attrs class (cached: they never change at run time).

    ``typing.get_type_hints`` compiles every annotation of every class afresh; the model's
    classes repeat the same few dozen (``str``, ``tuple[str, ...]``), so each distinct text
    of a module is resolved once, by typing itself.
    """
    resolved: dict[str, object] = {}
    try:
        for klass in reversed(cls.__mro__):
            module = klass.__module__
            for name, text in klass.__dict__.get("__annotations__", {}).items():
                resolved[name] = _annotation(text, module) if isinstance(text, str) else text
    except (NameError, TypeError, SyntaxError):
        return typing.get_type_hints(cls)  # a name only the class itself can resolve
    return resolved


@cache
def _annotation(text: str, module: str) -> object:
    def holder():
        pass

    holder.__annotations__ = {"value": text}
    return typing.get_type_hints(holder, globalns=vars(sys.modules[module]))["value"]


def _strip_optional(tp: object) -> object:
    args = typing.get_args(tp)
    if typing.get_origin(tp) in (typing.Union, types.UnionType) and type(None) in args:
        rest = [a for a in args if a is not type(None)]
        return rest[0] if len(rest) == 1 else typing.Union[tuple(rest)]
    return tp


def check(value: object, tp: object, path: str, meta: typing.Mapping, found: Found) -> bool:
    """Check one value against a type; append problems to ``found``. True when valid."""
    tp = _strip_optional(tp)
    origin = typing.get_origin(tp)
    if attrs.has(tp):
        return check_class(value, tp, path, found)
    if origin is typing.Literal:
        choices = typing.get_args(tp)
        if any(type(value) is type(c) and value == c for c in choices):
            return True
        listed = ", ".join(f'"{c}"' if isinstance(c, str) else str(c) for c in choices)
        hint = did_you_mean(value, choices) if isinstance(value, str) else ""
        found.append((path, f"expected one of {listed}, found {describe(value)}{hint}"))
        return False
    if origin is tuple:
        return _check_array(value, typing.get_args(tp)[0], path, meta, found)
    if origin is dict:
        return _check_table(value, typing.get_args(tp)[1], path, meta, found)
    if tp is str:
        return _check_str(value, path, meta, found)
    if tp is int:
        return _check_int(value, path, meta, found)
    if tp is bool:
        if isinstance(value, bool):
            return True
        found.append((path, f"expected true or false, found {describe(value)}"))
        return False
    if tp is float:
        return _check_float(value, path, meta, found)
    raise TypeError(f"validator has no rule for {tp!r}")  # a model bug, not user input


def check_class(value: object, cls: type, path: str, found: Found) -> bool:
    """Check a TOML table against an attrs class: unknown keys, missing keys, each field."""
    if not isinstance(value, dict):
        found.append((path, f"expected a table ({cls.__name__}), found {describe(value)}"))
        return False
    fields = {f.name: f for f in attrs.fields(cls)}
    ok = True
    for key in value:
        if key not in fields:
            # reported, but the rest of the table is still checked and built, so a
            # misspelling does not hide the problems of everything around it
            found.append((join_path(path, key),
                          f"unknown key{did_you_mean(key, fields)}; "
                          f"expected one of: {', '.join(fields)}"))
    type_hints = hints(cls)
    for name, field in fields.items():
        if name not in value:
            if field.default is attrs.NOTHING:
                doc = field.metadata.get("doc", "").rstrip(".")
                found.append((join_path(path, name), f"missing required key: {doc}"))
                ok = False
            continue
        ok &= check(value[name], type_hints[name], join_path(path, name), field.metadata, found)
    return ok


def _check_array(value, item_tp, path, meta, found) -> bool:
    if not isinstance(value, list):
        found.append((path, f"expected an array, found {describe(value)}"))
        return False
    ok = True
    lo, hi = meta.get("min_items"), meta.get("max_items")
    if lo is not None and len(value) < lo or hi is not None and len(value) > hi:
        found.append((path, f"expected {_range_text(lo, hi)} items, found {len(value)}"))
        ok = False
    item_meta = item_constraints(meta)
    for i, item in enumerate(value):
        ok &= check(item, item_tp, join_path(path, i), item_meta, found)
    return ok


def _check_table(value, value_tp, path, meta, found) -> bool:
    if not isinstance(value, dict):
        found.append((path, f"expected a table, found {describe(value)}"))
        return False
    ok = True
    for key, item in value.items():
        bad = forbidden_character(key)
        if bad:
            found.append((join_path(path, key), f"expected a printable key, found the control "
                                                f"or non-character {bad}"))
            ok = False
            continue
        ok &= check(item, value_tp, join_path(path, key), meta, found)
    return ok


def _check_str(value, path, meta, found) -> bool:
    if not isinstance(value, str):
        found.append((path, f"expected text, found {describe(value)}"))
        return False
    pattern = meta.get("pattern")
    if pattern and not re.fullmatch(pattern, value):
        found.append((path, f"expected {describe_pattern(pattern)}, found {describe(value)}"
                      + _offending(pattern, value)))
        return False
    lo, hi = meta.get("min_length"), meta.get("max_length")
    if lo is not None and len(value.strip()) < lo:
        found.append((path, "expected non-empty text, found an empty string"))
        return False
    if hi is not None and len(value) > hi:
        found.append((path, f"expected at most {hi} characters, found {len(value)}"))
        return False
    bad = forbidden_character(value)
    if bad:
        found.append((path, f"expected printable text, found the control or non-character "
                            f"{bad}"))
        return False
    if meta.get("date"):
        import datetime

        try:
            datetime.date.fromisoformat(value)
        except ValueError:
            found.append((path, f"expected a real date like \"1950-06-25\", found "
                                f"{describe(value)}"))
            return False
    return True


def _check_int(value, path, meta, found) -> bool:
    if isinstance(value, bool) or not isinstance(value, int):
        found.append((path, f"expected a whole number, found {describe(value)}"))
        return False
    lo, hi = meta.get("min"), meta.get("max")
    if lo is not None and value < lo or hi is not None and value > hi:
        found.append((path, f"expected a whole number {_range_text(lo, hi)}, found {value}"))
        return False
    return True


def _check_float(value, path, meta, found) -> bool:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        found.append((path, f"expected a number, found {describe(value)}"))
        return False
    if not math.isfinite(value):
        found.append((path, f"expected a finite number, found {value}"))
        return False
    lo, hi = meta.get("min"), meta.get("max")
    if lo is not None and value < lo or hi is not None and value > hi:
        found.append((path, f"expected a number {_range_text(lo, hi)}, found {value:g}"))
        return False
    return True


def item_constraints(meta: typing.Mapping) -> dict:
    """The constraints an array's field metadata puts on each of its items."""
    out = {key: meta[key] for key in ("min", "max") if key in meta}
    if "item_pattern" in meta:
        out["pattern"] = meta["item_pattern"]
    return out


def _range_text(lo: int | None, hi: int | None) -> str:
    if lo is not None and hi is not None:
        return f"from {lo} to {hi}"
    return f"of at least {lo}" if lo is not None else f"of at most {hi}"


def check_file_shape(raw: dict, file_cls: type, found: Found) -> bool:
    """The top level of a data file shaped like ``file_cls``: known keys, arrays of tables
    where the class has tuples, its other keys checked as usual, and at least one entry."""
    fields = {f.name: f for f in attrs.fields(file_cls)}
    type_hints = hints(file_cls)
    arrays = [name for name in fields if typing.get_origin(type_hints[name]) is tuple]
    ok = True
    misspelt = False
    for key, value in raw.items():
        if key not in fields:  # reported; the rest of the file is still read
            misspelt = True
            found.append((key, f"unknown top-level key{did_you_mean(key, fields)}; expected "
                               f"one of: {', '.join(fields)}"))
        elif key not in arrays:
            ok &= check(value, type_hints[key], key, fields[key].metadata, found)
        elif not isinstance(value, list) or not all(isinstance(t, dict) for t in value):
            found.append((key, f"expected an array of tables ([[{key}]]), found "
                               f"{describe(value)}"))
            ok = False
    if ok and not misspelt and not any(raw.get(name) for name in arrays):
        listed = ", ".join(f"[[{name}]]" for name in arrays)
        found.append(("", f"expected at least one entry ({listed}), found none"))
        ok = False
    return ok
