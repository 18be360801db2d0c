"""Loading game folders: the bundled campaign, a minimal game, and fuzzed input."""

from __future__ import annotations

import copy
import json
import tomllib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FIXTURES
from wargame.errors import DataError
from wargame.loading.catalog import catalog_from_documents, load_catalog
from wargame.loading.toml_source import read_toml
from wargame.paths import bundled_data_dir, resolve_data_dir

BUNDLED = bundled_data_dir()


@pytest.fixture(scope="module")
def campaign():
    return load_catalog(BUNDLED)


def test_bundled_campaign_loads_with_the_promised_forces(campaign):
    assert len(campaign.units) >= 80
    factions = {unit.faction for unit in campaign.units.values()}
    assert {"kpa", "pla", "soviet", "qiongya", "roc", "rok", "us", "usn", "sov-navy",
            "viet-minh", "french"} <= factions
    # The story's headline units are there, marked as the story.
    airborne = [u for u in campaign.units.values() if u.type == "airborne-infantry"
                and u.faction == "pla"]
    assert airborne and all(u.basis == "story" for u in airborne)
    migs = [u for u in campaign.units.values() if u.faction == "soviet"
            and u.type == "jet-fighter"]
    assert len(migs) >= 4
    assert {"kpa-107-tank", "kpa-109-tank", "kpa-203-tank"} <= set(campaign.units)
    assert campaign.units["kpa-107-tank"].strength.tanks == 40
    # both historical and alternate-history figures are marked
    assert {"historical", "story"} <= {u.basis for u in campaign.units.values()}


def test_every_bundled_unit_prints_factors_in_its_scheme(campaign):
    for unit in campaign.units.values():
        scheme = campaign.scheme_of(unit)
        printed = campaign.format_factors(unit)
        assert printed.count(scheme.separator) == len(scheme.factors) - 1, unit.id
        if unit.reduced:
            assert all(unit.reduced[k] <= unit.factors[k] for k in scheme.factors)


def test_every_bundled_symbol_is_valid_app6(campaign):
    from milsymbol import Symbol

    for utype in campaign.types.values():
        s = utype.symbol
        sidc = f"1003{s.set:02d}0000{s.entity}{s.m1}{s.m2}"
        symbol = Symbol(sidc)
        symbol.as_svg()
        assert symbol.is_valid(), (utype.id, sidc)


def test_minimal_game_loads(mini_game):
    catalog = load_catalog(mini_game)
    assert list(catalog.units) == ["red-1", "red-tank", "blue-1"]
    assert catalog.units["blue-1"].steps == 1
    assert catalog.units["red-1"].steps == 2
    assert catalog.format_factors(catalog.units["red-tank"], reduced=True) == "3-2-8"


def test_file_level_faction_is_the_default(mini_game):
    (mini_game / "units" / "more.toml").write_text(
        'faction = "blue"\n[[units]]\nid = "blue-2"\nname = "2nd"\ntype = "armour"\n'
        'echelon = "brigade"\ndesignation = "2"\nbasis = "story"\n'
        'factors = { attack = 2, defence = 2, movement = 6 }\n', encoding="utf-8")
    assert load_catalog(mini_game).units["blue-2"].faction == "blue"


def test_data_folder_resolution(mini_game, monkeypatch, tmp_path):
    monkeypatch.delenv("WARGAME_DATA", raising=False)
    assert resolve_data_dir() == BUNDLED
    monkeypatch.setenv("WARGAME_DATA", str(mini_game))
    assert resolve_data_dir() == mini_game
    assert resolve_data_dir(str(BUNDLED)) == BUNDLED  # --data beats the variable
    with pytest.raises(DataError, match="expected a game folder"):
        resolve_data_dir(str(tmp_path / "nowhere"))
    with pytest.raises(DataError, match="'units' subfolder"):
        resolve_data_dir(str(tmp_path))


def test_bom_and_crlf_are_accepted(tmp_path):
    path = tmp_path / "x.toml"
    path.write_bytes(b'\xef\xbb\xbfa = 1\r\nb = "\xc3\xa9"\r\n')
    data, problems = read_toml(path, "x.toml")
    assert problems == [] and data == {"a": 1, "b": "é"}


# ---- fuzzing: any TOML value anywhere gives DataError or a catalog, never a crash ----------

toml_scalars = st.one_of(
    st.text(max_size=12), st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=True), st.booleans(), st.datetimes(), st.dates(), st.times())
toml_values = st.recursive(
    toml_scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.text(max_size=10), inner, max_size=4)),
    max_leaves=12)

BASE = tomllib.loads((FIXTURES / "mini" / "units" / "base.toml").read_text(encoding="utf-8"))


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, prefix + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, prefix + (index,))


ALL_PATHS = [p for p in _paths(BASE) if p]


def _replace(document, path, value):
    target = document
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(path=st.sampled_from(ALL_PATHS), value=toml_values)
def test_fuzz_any_value_anywhere_never_crashes(path, value):
    document = copy.deepcopy(BASE)
    _replace(document, path, value)
    try:
        catalog_from_documents([("units/base.toml", document)])
    except DataError as exc:
        assert exc.problems
        for problem in exc.problems:
            assert str(problem).startswith("units/base.toml")


@settings(max_examples=200, deadline=None)
@given(document=st.dictionaries(st.text(max_size=10), toml_values, max_size=5))
def test_fuzz_whole_documents_never_crash(document):
    try:
        catalog_from_documents([("units/x.toml", document)])
    except DataError as exc:
        assert exc.problems


@settings(max_examples=200, deadline=None)
@given(data=st.binary(max_size=200))
def test_fuzz_raw_bytes_never_crash(data, tmp_path_factory):
    path = tmp_path_factory.mktemp("fuzz") / "f.toml"
    path.write_bytes(data)
    parsed, problems = read_toml(path, "f.toml")
    assert (parsed is None) == bool(problems)


def test_committed_schema_matches_the_model():
    from wargame.validation import schema_document

    committed = json.loads((BUNDLED / "units" / "schema.json").read_text(encoding="utf-8"))
    assert committed == schema_document("units"), "run: wargame schema units > units/schema.json"


def test_schema_rejects_what_the_loader_rejects():
    from wargame.validation import schema_document

    schema = schema_document("units")
    unit = schema["$defs"]["Unit"]
    assert unit["additionalProperties"] is False
    assert {"id", "name", "type", "echelon", "designation", "factors", "basis"} <= set(
        unit["required"])
    assert unit["properties"]["factors"]["additionalProperties"] == {
        "type": "integer", "minimum": 0, "maximum": 99}
    assert "division" in unit["properties"]["echelon"]["enum"]


def test_every_bundled_file_validates_against_the_schema():
    import jsonschema

    from wargame.loading.toml_source import toml_files
    from wargame.validation import schema_document

    validator = jsonschema.Draft202012Validator(schema_document("units"))
    for path in toml_files(BUNDLED / "units"):
        document = tomllib.loads(path.read_text(encoding="utf-8"))
        errors = list(validator.iter_errors(document))
        assert not errors, (path.name, errors[0].message)


def test_schema_catches_a_bad_factor():
    import jsonschema

    from wargame.validation import schema_document

    document = copy.deepcopy(BASE)
    document["units"][0]["factors"]["attack"] = -1
    assert list(jsonschema.Draft202012Validator(schema_document("units")).iter_errors(document))


def test_cache_never_hides_an_edit(mini_game):
    load_catalog(mini_game)  # validated and cached
    base = mini_game / "units" / "base.toml"
    base.write_text(base.read_text(encoding="utf-8").replace("attack = 6", "attack = -6"),
                    encoding="utf-8")
    with pytest.raises(DataError, match="factors.attack"):
        load_catalog(mini_game)


def test_cached_and_fresh_loads_agree(mini_game):
    fresh = load_catalog(mini_game, use_cache=False)
    load_catalog(mini_game)
    assert load_catalog(mini_game) == fresh


def test_series_and_play_caches_never_hide_an_edit(game):
    """The series rules and the rules of play are cached too; an edit to either, or to the
    case numbers the rules of play cite, is read and checked again."""
    from wargame.loading.session import Session

    assert Session(str(game)).play.stacking.limit == 3  # checked and cached
    play = game / "rules" / "play.toml"
    play.write_text(play.read_text(encoding="utf-8").replace("limit = 3", "limit = 4", 1),
                    encoding="utf-8")
    assert Session(str(game)).play.stacking.limit == 4
    series = game / "print" / "series-rules.toml"
    series.write_text(series.read_text(encoding="utf-8").replace('number = "4.1"',
                                                                  'number = "4.9"', 1),
                      encoding="utf-8")
    with pytest.raises(DataError, match="4.1"):
        Session(str(game)).play


def test_resolved_hints_are_typings_for_every_model_class():
    """The loader resolves each distinct annotation of a module once: for every attrs class
    of the package it gives exactly what typing.get_type_hints gives."""
    import importlib
    import pkgutil
    import typing

    import attrs

    import wargame
    from wargame.loading.validate import hints

    classes = []
    for info in pkgutil.walk_packages(wargame.__path__, "wargame."):
        if info.name.endswith("__main__") or info.name.startswith("wargame.cli"):
            continue
        module = importlib.import_module(info.name)
        classes += [value for value in vars(module).values() if isinstance(value, type)
                    and attrs.has(value) and value.__module__ == module.__name__]
    assert len(classes) > 100
    checked = 0
    for cls in classes:
        try:
            expected = typing.get_type_hints(cls)
        except NameError:  # a class of the engine's, annotated for type checkers only
            assert cls.__module__.startswith("wargame.engine"), cls
            continue
        assert hints(cls) == expected, cls
        checked += 1
    assert checked > 100


def test_switching_game_folders_keeps_each_ones_cache(mini_game, tmp_path, monkeypatch):
    """An umpire alternates between the bundled campaign and each game's data snapshot: each
    folder's parsed data stays cached, and only the least recently used beyond the limit
    goes."""
    import shutil
    import tomllib

    from wargame.loading import cache

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    other = tmp_path / "other"
    shutil.copytree(mini_game, other)
    first = load_catalog(mini_game)
    load_catalog(other)

    def no_parsing(text):
        raise AssertionError("parsed again")

    with monkeypatch.context() as patch:
        patch.setattr(tomllib, "loads", no_parsing)
        assert load_catalog(mini_game) == first
        load_catalog(other)
    folders = [tmp_path / f"game{i}" for i in range(cache.KEPT_PER_KIND)]
    for folder in folders:
        shutil.copytree(mini_game, folder)
        load_catalog(folder)
    kept = list((tmp_path / "cache" / "wargame").glob("units-*.json"))
    assert len(kept) == cache.KEPT_PER_KIND
    with monkeypatch.context() as patch:
        patch.setattr(tomllib, "loads", no_parsing)
        load_catalog(folders[0])  # among the most recent: still cached
        with pytest.raises(AssertionError, match="parsed again"):
            load_catalog(mini_game)  # the least recently used: dropped


def test_cached_scenarios_and_maps_load_nothing_else_yet_hide_no_edit(game, monkeypatch):
    """Scenarios and maps that checked before against the same files come from the cache
    without the tables or the rules of play being loaded; an edit to a file they were
    checked against (a table, here) is still read and reported."""
    from wargame.loading.session import Session

    Session(str(game)).scenarios  # checked against everything, and cached
    session = Session(str(game))
    assert session.scenarios and session.maps
    assert "rules" not in session.__dict__ and "play" not in session.__dict__
    table = game / "rules" / "land-combat.toml"
    assert table.is_file()
    table.write_text(table.read_text(encoding="utf-8") + "\n[broken\n", encoding="utf-8")
    with pytest.raises(DataError, match="land-combat.toml"):
        Session(str(game)).scenarios


def test_cached_maps_and_scenarios_are_built_when_looked_up(game, monkeypatch):
    """From the cache, a game that needs one scenario and one map builds only those; every
    one built agrees with a fresh check, and unknown names fail as a dict's would."""
    from wargame.loading.session import Session
    from wargame.maps import load as map_load

    fresh = Session(str(game))
    fresh.use_cache = False
    checked_maps, checked_scenarios = dict(fresh.maps), dict(fresh.scenarios)
    assert len(checked_maps) > 1 and len(checked_scenarios) > 1
    Session(str(game)).scenarios  # cached
    built = []
    real = map_load.game_map
    monkeypatch.setattr(map_load, "game_map", lambda source: built.append(source.map.id)
                        or real(source))
    session = Session(str(game))
    scenario = session.scenarios["korea"]
    assert session.maps[scenario.map] == checked_maps[scenario.map]
    assert session.maps[scenario.map] is session.maps[scenario.map]  # built once
    assert sorted(session.maps) == sorted(checked_maps)
    assert len(session.maps) == len(checked_maps)
    assert scenario.map in session.maps and "atlantis" not in session.maps
    assert built == [scenario.map]  # listing and counting them built nothing
    assert session.maps.get("atlantis") is None
    with pytest.raises(KeyError):
        session.maps["atlantis"]
    assert dict(session.maps) == checked_maps and dict(session.scenarios) == checked_scenarios
    assert sorted(built) == sorted(checked_maps)


def test_game_status_never_builds_the_combat_engine(tmp_path):
    """A player's `wargame game status` shows units and places: once the game's data has
    been checked, it loads neither the combat tables nor the rules of play, and says the
    same."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    folder = tmp_path / "korea"
    subprocess.run([sys.executable, "-m", "wargame", "game", "new", "korea", str(folder)],
                   check=True, capture_output=True, env=env)
    heavy = ("wargame.engine.tables", "wargame.loading.rules", "wargame.play.rules")
    code = (f"import sys; from wargame.cli import main; main(['game', 'status', "
            f"{str(folder)!r}]); print('LOADED', [m for m in {heavy!r} "
            "if m in sys.modules], file=sys.stderr)")
    first = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           env=env)  # the game's own data snapshot is checked once
    again = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           env=env)
    assert "LOADED []" in again.stderr, again.stderr
    assert first.stdout == again.stdout and "Storm over the Parallel" in again.stdout
