"""Every unit type's symbol is the one docs/unit-symbols.md records, drawn with exactly the
letters it lists (no CG on a 1950 cruiser, no AEW on a patrol aircraft)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from wargame.counters import IDENTITY_DIGITS
from wargame.paths import bundled_data_dir

DOC = Path(__file__).resolve().parent.parent / "docs" / "unit-symbols.md"


def _table() -> dict[str, dict]:
    rows = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 6 and re.fullmatch(r"[a-z-]+", cells[0]) and cells[2].isdigit():
            rows[cells[0]] = {"set": int(cells[1]), "entity": cells[2], "letters": cells[4]}
    return rows


def _types() -> list[dict]:
    return tomllib.loads((bundled_data_dir() / "units" / "types.toml")
                        .read_text(encoding="utf-8"))["types"]


def test_every_type_is_in_the_table_with_its_code():
    table = _table()
    types = _types()
    assert {t["id"] for t in types} == set(table)
    for unit_type in types:
        row = table[unit_type["id"]]
        assert (unit_type["symbol"]["set"], unit_type["symbol"]["entity"]) == \
            (row["set"], row["entity"]), unit_type["id"]


@pytest.mark.parametrize("unit_type", _types(), ids=lambda t: t["id"])
def test_the_symbol_carries_exactly_the_listed_letters(unit_type):
    from wargame.printing.symbols import raw_svg

    symbol = unit_type["symbol"]
    sidc = (f"10{0}{IDENTITY_DIGITS['friend']}{symbol['set']:02d}0000{symbol['entity']}"
            f"{symbol.get('m1', '00')}{symbol.get('m2', '00')}")
    drawn = re.findall(r"<text[^>]*>([^<]*)</text>", raw_svg(sidc))
    expected = _table()[unit_type["id"]]["letters"]
    assert " ".join(t.strip() for t in drawn if t.strip()) == expected, (unit_type["id"], drawn)


def test_chinese_armies_are_corps_sized():
    from wargame.loading.session import Session

    catalog = Session(None).catalog
    armies = [u for u in catalog.units.values()
              if u.native_name and re.search(r"第\d+[军軍]$", u.native_name)]
    assert len(armies) >= 9
    assert all(u.echelon == "corps" for u in armies), [u.id for u in armies
                                                       if u.echelon != "corps"]
