"""Load and check the map files under ``rules/maps/``, every problem at once.

Beyond the shape of the file (the model's field metadata), a map must hold together: terrain
rows one character per column, codes in the legend, legend terrain in the terrain chart,
hexsides between adjacent hexes on the map, places, routes, zones and features inside it.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from wargame.errors import DataError, Problem
from wargame.maps.hexgrid import Hex, adjacent, hex_id, parse_hex, parse_side, side_key
from wargame.maps.model import TENTHS, WATER, GameMap, MapFile

#: The terrain id of the sea.
SEA = "sea"


def terrain_features(rules) -> dict[str, str]:
    """Terrain id -> its feature (hex, hexside or symbol) from the terrain chart: what a map
    is checked against."""
    return {t.id: t.feature for t in rules.terrain.values()}


def map_files(root: Path) -> list[Path]:
    from wargame.loading.toml_source import toml_files

    return [p for p in toml_files(root / "rules" / "maps") if p.parent.name == "maps"]


def check_maps(root: Path, features: Mapping[str, str], use_cache: bool = True
               ) -> dict[str, GameMap]:
    """Every map of the game folder, read and checked; ``features`` maps terrain id -> its
    feature (hex, hexside or symbol) from the terrain chart. What checked is kept in the
    cache, for :func:`cached_maps`."""
    from wargame.loading import cache
    from wargame.loading.structure import read_model
    from wargame.loading.toml_source import shown_name

    files = map_files(root)
    raws: list[dict] = []
    problems: list[Problem] = []
    maps: dict[str, GameMap] = {}
    for path in files:
        shown = shown_name(path, root)
        source, read_problems = read_model(path, shown, MapFile, raws)
        problems += read_problems
        if source is None:
            continue
        if source.map.id != path.stem:
            problems.append(Problem(shown, "map.id", f'expected "{path.stem}" (the file '
                                    f'name), found "{source.map.id}"'))
            continue
        found = check_map(source, features)
        if found:
            problems += [Problem(shown, where, message) for where, message in found]
            continue
        maps[source.map.id] = game_map(source)
    if problems:
        raise DataError(problems)
    if files and use_cache:
        cache.store("maps", _key_files(root), raws)
    return maps


def _key_files(root: Path) -> list[Path]:
    """What a map is checked against: its own file and the terrain chart in rules/."""
    return map_files(root) + [p for p in (root / "rules").glob("*.toml") if p.is_file()]


def cached_maps(root: Path) -> Mapping[str, GameMap] | None:
    """The maps as they checked before against exactly these files (the maps and the
    terrain chart), or None: a hit needs no terrain chart loaded, and each map is built
    when first looked up."""
    from wargame.loading import cache
    from wargame.loading.on_use import BuiltOnUse
    from wargame.loading.structure import build

    if not map_files(root):
        return None
    cached = cache.load("maps", _key_files(root))
    if cached is None:
        return None
    return BuiltOnUse({raw["map"]["id"]: raw for raw in cached},
                      lambda raw: game_map(build(raw, MapFile)))


def load_map_file(path: Path, features: Mapping[str, str], shown: str | None = None
                  ) -> GameMap:
    """One map file anywhere (a designer's map before it joins a game), checked as
    ``check_maps`` checks the game's own; raises DataError naming ``shown`` (or the path)."""
    from wargame.loading.structure import read_model

    shown = shown or str(path)
    source, problems = read_model(path, shown, MapFile)
    if source is not None and not problems:
        problems = [Problem(shown, where, message)
                    for where, message in check_map(source, features)]
    if problems:
        raise DataError(problems)
    return game_map(source)


def check_map(source: MapFile, features: Mapping[str, str]) -> list[tuple[str, str]]:
    """(key path, message) for everything in a map file that does not hold together."""
    from wargame.loading.validate import did_you_mean

    out: list[tuple[str, str]] = []
    info = source.map
    hex_terrain = {t for t, f in features.items() if f == "hex"} | WATER
    hexside_terrain = {t for t, f in features.items() if f == "hexside"}
    symbol_terrain = {t for t, f in features.items() if f == "symbol"}

    def on_map(text: str) -> Hex | None:
        hex_ = parse_hex(text)
        if hex_ and 1 <= hex_[0] <= info.cols and 1 <= hex_[1] <= info.rows:
            return hex_
        return None

    def outside(text: str) -> str:
        return (f"hex {text} is not on the map (columns 01-{info.cols:02d}, rows "
                f"01-{info.rows:02d})")

    west, south, east, north = info.box
    if not (west < east and south < north):
        out.append(("map.box", f"expected west < east and south < north, found "
                    f"{list(info.box)}"))
    for code, terrain_id in source.terrain.legend.items():
        if len(code) != 1 or code.isspace():
            out.append((f"terrain.legend.{code}", "expected a single character as the code"))
        if terrain_id not in hex_terrain:
            known = sorted(hex_terrain)
            hint = did_you_mean(terrain_id, known)
            out.append((f"terrain.legend.{code}", f'unknown hex terrain "{terrain_id}"{hint};'
                        f" expected one of: {', '.join(known)}"))
    for name, rows, alphabet in (("rows", source.terrain.rows, source.terrain.legend),
                                 ("land", source.terrain.land, TENTHS)):
        if name == "land" and not rows:
            continue
        if len(rows) != info.rows:
            out.append((f"terrain.{name}", f"expected {info.rows} rows (map.rows), found "
                        f"{len(rows)}"))
        for index, row in enumerate(rows):
            where = f"terrain.{name}[{index}]"
            if len(row) != info.cols:
                out.append((where, f"expected {info.cols} characters (one per column), "
                            f"found {len(row)}"))
                continue
            for column, code in enumerate(row, start=1):
                if code not in alphabet:
                    expected = "a legend code" if name == "rows" else "0-9 or X"
                    out.append((where, f'unknown code "{code}" at hex '
                                f"{hex_id((column, index + 1))}: expected {expected}"))
                    break
    for index, group in enumerate(source.hexsides):
        if group.kind not in hexside_terrain:
            out.append((f"hexsides[{index}].kind", f'unknown hexside terrain "{group.kind}"'
                        f"{did_you_mean(group.kind, hexside_terrain)}"))
        out += _check_sides(group.sides, f"hexsides[{index}].sides", on_map, outside)
    for index, override in enumerate(source.hexside_overrides):
        if override.kind != "none" and override.kind not in hexside_terrain:
            out.append((f"hexside_overrides[{index}].kind", f'unknown hexside terrain '
                        f'"{override.kind}"; expected one of: '
                        f"{', '.join(sorted(hexside_terrain | {'none'}))}"))
        out += _check_sides(override.sides, f"hexside_overrides[{index}].sides", on_map,
                            outside)
    for index, override in enumerate(source.terrain_overrides):
        if override.terrain not in hex_terrain:
            out.append((f"terrain_overrides[{index}].terrain", f'unknown hex terrain '
                        f'"{override.terrain}"{did_you_mean(override.terrain, hex_terrain)}'))
        out += _check_hexes(override.hexes, f"terrain_overrides[{index}].hexes", on_map,
                            outside)
    names: dict[str, int] = {}
    for index, place in enumerate(source.places):
        if place.name in names:
            out.append((f"places[{index}].name", f'duplicate place "{place.name}" (also '
                        f"places[{names[place.name]}])"))
        names.setdefault(place.name, index)
        if not place.hex:
            out.append((f"places[{index}].hex", "missing: run `wargame map extract` to "
                        "place it"))
        elif on_map(place.hex) is None:
            out.append((f"places[{index}].hex", f'"{place.name}": {outside(place.hex)}'))
    for index, route in enumerate(source.routes):
        for position, name in enumerate(route.via):
            if name not in names:
                out.append((f"routes[{index}].via[{position}]", f'unknown place "{name}"'
                            f"{did_you_mean(name, names)}"))
        out += _check_hexes(route.hexes, f"routes[{index}].hexes", on_map, outside)
        for position, (a, b) in enumerate(zip(route.hexes, route.hexes[1:])):
            pa, pb = on_map(a), on_map(b)
            if pa and pb and not adjacent(pa, pb):
                out.append((f"routes[{index}].hexes[{position + 1}]", f"{b} is not next to "
                            f"{a}: a route must run through adjacent hexes"))
    seen_ids: dict[str, int] = {}
    seen_codes: dict[str, int] = {}
    zone_of: dict[str, str] = {}
    for index, zone in enumerate(source.zones):
        for key, seen, value in (("id", seen_ids, zone.id), ("code", seen_codes, zone.code)):
            if value in seen:
                out.append((f"zones[{index}].{key}", f'duplicate zone {key} "{value}" (also '
                            f"zones[{seen[value]}])"))
            seen.setdefault(value, index)
        if not zone.hexes:
            out.append((f"zones[{index}].hexes", f'zone "{zone.id}" names no hex'))
        out += _check_hexes(zone.hexes, f"zones[{index}].hexes", on_map, outside)
        for position, text in enumerate(zone.hexes):
            # a hex has one zone, so a location has one name (on the map, in VASSAL, in posts)
            if text in zone_of and zone_of[text] != zone.code:
                out.append((f"zones[{index}].hexes[{position}]", f"hex {text} is already in "
                            f"zone {zone_of[text]}: a hex belongs to one zone"))
            zone_of.setdefault(text, zone.code)
    for index, feature in enumerate(source.features):
        if feature.kind not in symbol_terrain:
            out.append((f"features[{index}].kind", f'unknown symbol terrain "{feature.kind}"'
                        f"{did_you_mean(feature.kind, symbol_terrain)}; expected one of: "
                        f"{', '.join(sorted(symbol_terrain))}"))
        out += _check_hexes(feature.hexes, f"features[{index}].hexes", on_map, outside)
    for index, line in enumerate(source.lines):
        if line.lat is None and len(line.points) < 2:
            out.append((f"lines[{index}]", "expected lat, or at least two [lon, lat] points"))
        for position, point in enumerate(line.points):
            if len(point) != 2:
                out.append((f"lines[{index}].points[{position}]", f"expected [lon, lat], "
                            f"found {len(point)} numbers"))
    for index, ring in enumerate(source.geometry.coast):
        if _parse_ring(ring) is None:
            out.append((f"geometry.coast[{index}]", "expected 'x,y x,y ...' with at least "
                        "three points of numbers in km"))
    return out


def _check_hexes(hexes, where: str, on_map, outside) -> list[tuple[str, str]]:
    return [(f"{where}[{i}]", outside(text)) for i, text in enumerate(hexes)
            if on_map(text) is None]


def _check_sides(sides, where: str, on_map, outside) -> list[tuple[str, str]]:
    out = []
    for i, text in enumerate(sides):
        pair = parse_side(text)
        assert pair is not None  # the pattern has been checked
        a, b = text.split("/")
        if on_map(a) is None or on_map(b) is None:
            out.append((f"{where}[{i}]", outside(a if on_map(a) is None else b)))
        elif not adjacent(*pair):
            out.append((f"{where}[{i}]", f"{a} and {b} are not adjacent: a hexside lies "
                        "between two neighbouring hexes"))
    return out


def _parse_ring(text: str) -> tuple[tuple[float, float], ...] | None:
    try:
        points = tuple((float(x), float(y)) for x, y in
                       (pair.split(",") for pair in text.split()))
    except ValueError:
        return None
    if len(points) < 3 or not all(abs(v) < 1e6 for p in points for v in p):
        return None
    return points


def game_map(source: MapFile) -> GameMap:
    """Index a checked map file, with its overrides applied."""
    info = source.map
    legend = source.terrain.legend
    terrain: dict[Hex, str] = {}
    land: dict[Hex, float] = {}
    for row_index, row in enumerate(source.terrain.rows, start=1):
        for column, code in enumerate(row, start=1):
            terrain[(column, row_index)] = legend[code]
    for row_index, row in enumerate(source.terrain.land, start=1):
        for column, code in enumerate(row, start=1):
            land[(column, row_index)] = TENTHS.index(code) / 10
    if not source.terrain.land:
        land = {h: 0.0 if t in WATER else 1.0 for h, t in terrain.items()}
    for override in source.terrain_overrides:
        for text in override.hexes:
            terrain[parse_hex(text)] = override.terrain
    hexsides: dict[tuple[Hex, Hex], str] = {}
    for group in source.hexsides:
        for text in group.sides:
            hexsides[side_key(*parse_side(text))] = group.kind
    for override in source.hexside_overrides:
        for text in override.sides:
            key = side_key(*parse_side(text))
            if override.kind == "none":
                hexsides.pop(key, None)
            else:
                hexsides[key] = override.kind
    features: dict[Hex, tuple[str, ...]] = {}
    for feature in source.features:
        for text in feature.hexes:
            hex_ = parse_hex(text)
            features[hex_] = features.get(hex_, ()) + (feature.kind,)
    for place in source.places:
        if place.kind == "town":
            hex_ = parse_hex(place.hex)
            features[hex_] = features.get(hex_, ()) + ("town",)
    return GameMap(info=info, terrain=terrain, land=land, hexsides=hexsides,
                   places=source.places, routes=source.routes,
                   zones={z.id: z for z in source.zones}, features=features,
                   lines=source.lines, source=source)


def coast_rings(source: MapFile) -> tuple:
    """The coastline outlines of a map file, in km."""
    return tuple(_parse_ring(ring) for ring in source.geometry.coast)
