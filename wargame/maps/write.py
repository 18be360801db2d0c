"""Write a map file as TOML a designer can read and edit: hand-written tables first,
derived data after, the coastline last."""

from __future__ import annotations

import json

import attrs

from wargame.maps.model import MapFile

HEADER = """#:schema ./schema.json
# {name}: hex map made by `wargame map extract` from real geography.
#
# Coastlines, land shares and river hexsides are derived from GSHHG 2.3.7 (Wessel & Smith),
# which is licensed under the GNU LGPL version 3; so is that derived data in this file. The
# licence texts are in LICENSE-LGPL-3.txt and LICENSE-GPL-3.txt beside this file. Elevation
# classes come from the Altitude grid shipped with pvlib (Mapzen terrain tiles: SRTM and
# GMTED2010, public domain). Places, routes, zones, lines and the *_overrides tables are
# written by hand: a re-extraction keeps them and re-applies the overrides.
"""


def _value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, float):
        return repr(round(value, 4))
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items()) + " }"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    raise TypeError(f"cannot write {value!r} as TOML")


def _key(key: str) -> str:
    return key if key.replace("_", "").replace("-", "").isalnum() and key.isascii() \
        else json.dumps(key, ensure_ascii=False)


def _changed(obj) -> dict:
    """Fields that differ from their defaults (a file says only what matters)."""
    out = {}
    for field in attrs.fields(type(obj)):
        value = getattr(obj, field.name)
        default = field.default
        if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
            default = default.factory()
        if default is not attrs.NOTHING and value == default:
            continue
        out[field.name] = attrs.asdict(value) if attrs.has(type(value)) else value
    return out


def _table(name: str, obj) -> list[str]:
    lines = [f"[{name}]"]
    for key, value in _changed(obj).items():
        lines.append(f"{key} = {_value(value)}")
    return lines


def _array(name: str, items, long_keys: tuple[str, ...] = ()) -> list[str]:
    lines = []
    for item in items:
        lines += ["", f"[[{name}]]"]
        for key, value in _changed(item).items():
            if key in long_keys and isinstance(value, tuple) and len(value) > 8:
                lines.append(f"{key} = [")
                for start in range(0, len(value), 8):
                    chunk = ", ".join(_value(v) for v in value[start:start + 8])
                    lines.append(f"  {chunk},")
                lines.append("]")
            else:
                lines.append(f"{key} = {_value(value)}")
    return lines


def map_to_toml(source: MapFile) -> str:
    """The whole file."""
    lines = [HEADER.format(name=source.map.name).rstrip("\n"), ""]
    lines += _table("map", source.map) + [""]
    lines += _table("extract", source.extract)
    lines += _array("places", source.places)
    lines += _array("routes", source.routes, ("hexes", "via"))
    lines += _array("zones", source.zones, ("hexes",))
    lines += _array("rivers", source.rivers)
    lines += _array("features", source.features, ("hexes",))
    lines += _array("lines", source.lines)
    lines += _array("terrain_overrides", source.terrain_overrides, ("hexes",))
    lines += _array("hexside_overrides", source.hexside_overrides, ("sides",))
    lines += ["", "# ---- derived from the data: refreshed by `wargame map extract` ----", ""]
    lines += ["[terrain]", f"legend = {_value(dict(source.terrain.legend))}", "rows = ["]
    lines += [f'  "{row}",' for row in source.terrain.rows] + ["]", "land = ["]
    lines += [f'  "{row}",' for row in source.terrain.land] + ["]"]
    lines += _array("hexsides", source.hexsides, ("sides",))
    lines += ["", "[geometry]", "coast = ["]
    lines += [f'  "{ring}",' for ring in source.geometry.coast] + ["]", ""]
    return "\n".join(lines)
