"""Order-of-battle sheets: per side, the counters by set-up area and turn of arrival, then a
table of every unit with its factors, strength, set-up, entry turn and basis."""

from __future__ import annotations

from reportlab.lib.units import inch
from reportlab.platypus import Spacer

from wargame.counters import PrintFile, unit_counter
from wargame.model import BASIS_MARKS, Catalog
from wargame.printing.flow import (
    CounterStrip, data_table, fit_widths, kept, para, sentences, strength_text,
)
from wargame.scenarios.model import Scenario, by_turn, placements_of

STRIP_SIZE = 0.5 * inch


def side_units(scenario: Scenario, catalog: Catalog, side_id: str):
    side = next(s for s in scenario.sides if s.id == side_id)
    return [entry for entry in scenario.setup
            if catalog.units[entry.unit].faction in side.factions]


def oob_flowables(scenario: Scenario, catalog: Catalog, settings: PrintFile, styles,
                  width: float, heading=None) -> list:
    """The OOB of every side: counter strips by set-up and arrival, then the unit table."""
    heading = heading or (lambda text, level: para(text, styles["h1" if level == 0 else "h2"]))
    placements = placements_of(scenario)
    areas = {area.id: area for area in scenario.areas}
    out = []
    for side in scenario.sides:
        entries = side_units(scenario, catalog, side.id)
        out.append(heading(f"Order of battle: {side.name}", 1))
        grouped = by_turn(scenario)
        for turn, turn_entries in grouped.items():
            mine = [e for e in turn_entries if e in entries]
            if not mine:
                continue
            label = "At start" if turn == 0 else f"Turn {turn}"
            by_area: dict[str, list] = {}
            for entry in mine:
                by_area.setdefault(entry.area, []).append(entry)
            for area_id, area_entries in by_area.items():
                area = areas[area_id]
                counters = [unit_counter(catalog, catalog.units[e.unit], placements[e.unit])
                            for e in area_entries]
                # the label never sits alone at the foot of a page
                out += [kept([para(f"{label}: {area.name} ({area.code})",
                                           styles["cell-bold"]),
                                      CounterStrip(counters, settings.layout, STRIP_SIZE)]),
                        Spacer(1, 4)]
        out.append(Spacer(1, 4))
        rows = []
        for entry in entries:
            unit = catalog.units[entry.unit]
            strength = strength_text(unit.strength.items()) or "-"
            rows.append([
                unit.name + (f" / {unit.native_name}" if unit.native_name else ""),
                catalog.types[unit.type].name,
                catalog.format_factors(unit) + (f" ({catalog.format_factors(unit, True)})"
                                                if unit.reduced else ""),
                strength, areas[entry.area].code,
                "start" if entry.turn == 0 else str(entry.turn),
                BASIS_MARKS[unit.basis],
                sentences(entry.notes, unit.notes),
            ])
        widths = fit_widths([2.8, 1.65, 1.5, 1.7, 0.8, 0.8, 0.9, 3.0], width)
        out.append(data_table(["Unit", "Type", "Factors (reduced)", "Strength", "Area",
                               "Turn", "Basis", "Notes"], rows, widths, styles))
        out.append(para("Basis: H historical; S the campaign's alternate history (story); "
                        "P design estimate; ? sources disagree.", styles["small"]))
        out.append(Spacer(1, 10))
    return out
