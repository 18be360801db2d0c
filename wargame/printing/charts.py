"""Charts printed from the rules data: results tables with their legends, the terrain
effects chart, modifiers, procedures and attrition models. No table is typed twice: what
is printed is what the engine resolves with."""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.platypus import Spacer

from wargame.engine.results import ResultDef
from wargame.engine.tables import Table
from wargame.loading.rules import Rules
from wargame.printing.flow import data_table, fit_widths, kept, para, running_on

BAD_FOR_ATTACKER = colors.HexColor("#f6d5d1")
BAD_FOR_DEFENDER = colors.HexColor("#d6e9d0")
BAD_FOR_BOTH = colors.HexColor("#fbeec2")


def _tone(result: ResultDef):
    attacker = result.attacker.steps or result.attacker.eliminated or result.attacker.retreat \
        or bool(result.attacker.status)
    defender = result.exchange or result.defender.steps or result.defender.eliminated or \
        result.defender.retreat or bool(result.defender.status)
    if attacker and defender:
        return BAD_FOR_BOTH
    if attacker:
        return BAD_FOR_ATTACKER
    if defender:
        return BAD_FOR_DEFENDER
    return None


def _heading(spec, by: str, style, width: float) -> str:
    """The table's name and how it is read, shortened when it would not fit one line."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    full = f"{spec.name}: column by {by}, roll {spec.dice}"
    if stringWidth(full, style.fontName, style.fontSize) <= width:
        return full
    return f"{spec.name}: {by.split(' (')[0]}, {spec.dice}"


def results_table(table: Table, styles, width: float) -> list:
    """A results table with its legend, as flowables that fit ``width``."""
    spec = table.spec
    by = spec.column_by or {"odds": "odds (attacker : defender)",
                            "differential": "attack minus defence", "fire": "firing strength",
                            "choice": "situation"}[spec.kind]
    header = [spec.dice] + [table.column_text(i) for i in range(len(spec.columns))]
    rows = [[band.printed] + list(cells) for band, cells in zip(table.row_bands, spec.cells)]
    label_weight = 1.3
    widths = fit_widths([label_weight] + [1.0] * len(spec.columns), width)
    extra = []
    for r, cells in enumerate(spec.cells, start=1):
        for c, code in enumerate(cells, start=1):
            tone = _tone(table.legend[code])
            if tone is not None:
                extra.append(("BACKGROUND", (c, r), (c, r), tone))
    extra.append(("BACKGROUND", (0, 1), (0, -1), colors.HexColor("#efece4")))
    extra.append(("ALIGN", (1, 0), (-1, -1), "CENTER"))
    grid = data_table(header, rows, widths, styles, extra=extra, centred=True)
    shown = [(code, result) for code, result in table.legend.items()
             if any(code in row for row in spec.cells) or code in (spec.below, spec.above)
             or code in spec.natural.values()]
    legend = [para("; ".join(f"{code} = {result.text}" for code, result in shown) + ".",
                   styles["small"])]
    notes = [para(spec.notes, styles["small"])] if spec.notes else []
    rules = table.rules_text()
    head = para(_heading(spec, by, styles["h2"], width), styles["h2"])
    # the designer's notes explain the table; the generated summary stands in when there are none
    summary = notes or ([para(" ".join(rules), styles["small"])] if rules else [])
    return [kept([head, grid, Spacer(1, 3), *legend]), *summary, Spacer(1, 6)]


def terrain_effects(rules: Rules) -> list[list[str]]:
    """Name, movement, defence, attack, shift and DRM of each terrain, as every chart and map
    key prints them (one source, so the map key always equals the chart)."""
    rows = []
    for t in rules.terrain.values():
        if not t.movement_cost:
            move = "prohibited"
        elif t.feature == "hexside":
            move = f"+{t.movement_cost}"
        else:
            move = str(t.movement_cost)
        rows.append([t.name, move,
                     f"x{t.defence_multiplier:g}" if t.defence_multiplier != 1 else "-",
                     f"x{t.attack_multiplier:g}" if t.attack_multiplier != 1 else "-",
                     f"{t.shift:+d}" if t.shift else "-", f"{t.drm:+d}" if t.drm else "-"])
    return rows


def _applies_to(rules: Rules, table_ids) -> str:
    """Which tables a terrain's combat effects apply to, when not just land combat."""
    if list(table_ids) in ([], ["land"]):
        return ""
    names = [short_table_name(rules.tables[t].name)
             for t in table_ids if t in rules.tables]
    return f" Effects on: {', '.join(names)}." if names else ""


def terrain_chart(rules: Rules, styles, width: float, only=None) -> list:
    rows = [effects + [t.notes + _applies_to(rules, t.tables)]
            for effects, t in zip(terrain_effects(rules), rules.terrain.values())
            if only is None or t.id in only]
    widths = fit_widths([2.2, 1.5, 1.0, 1.0, 0.8, 0.8, 5.0], width)
    return [para("Terrain Effects Chart", styles["h2"]),
            data_table(["Terrain", "Move", "Def.", "Att.", "Shift", "DRM", "Notes"],
                       rows, widths, styles, numeric={1, 2, 3, 4, 5}), Spacer(1, 6)]


def short_table_name(name: str) -> str:
    """A table's name as a chart's narrow column gives it: "Land Combat" for "Land Combat
    Results Table"."""
    return name.replace(" Results Table", "").replace(" Table", "")


def modifiers_chart(rules: Rules, styles, width: float, tables=None,
                    short: bool = False) -> list:
    """The named modifiers; with ``tables``, only those that apply to one of them; with
    ``short``, tables by their short names (the player aid's narrow columns)."""
    rows = []
    for m in rules.modifiers.values():
        if tables is not None and m.tables and not set(m.tables) & set(tables):
            continue
        effect = ", ".join(part for part in (
            f"{m.shift:+d} column" if m.shift else "", f"{m.drm:+d} DRM" if m.drm else "",
            f"attack x{m.attack_multiplier:g}" if m.attack_multiplier != 1 else "",
            f"defence x{m.defence_multiplier:g}" if m.defence_multiplier != 1 else "") if part)
        names = [rules.tables[t].name for t in m.tables if t in rules.tables]
        if short:
            names = [short_table_name(n) for n in names]
        rows.append([m.text, effect, ", ".join(names) or "every table"])
    weights = [3.7, 1.4, 4] if short else [4, 2.2, 3]
    table = data_table(["Circumstance", "Effect", "Applies to"], rows,
                       fit_widths(weights, width), styles)
    # a long chart runs on into the next column rather than leave this one empty
    return [*running_on(para("Modifiers", styles["h2"]), table, 80), Spacer(1, 6)]


def procedures_chart(rules: Rules, styles, width: float) -> list:
    out = [para("Procedures", styles["h2"])]
    for procedure in rules.procedures.values():
        steps = []
        for number, stage in enumerate(procedure.stages, start=1):
            table = rules.tables[stage.table]
            feeds = "; ".join(
                f"{code} gives {', '.join(p for p in (f'{f.shift:+d} column' if f.shift else '', f'{f.drm:+d} DRM' if f.drm else '') if p)}"
                + (f" to {', '.join(f.to)}" if f.to else " later")
                for code, f in stage.feeds.items())
            stops = f"; {', '.join(stage.stop_on)} ends the procedure" if stage.stop_on else ""
            who = " (the defending side fires)" if stage.reverse else ""
            steps.append(f"{number}. {table.name}{who}" + (f": {feeds}" if feeds else "") + stops)
        out.append(para(procedure.name, styles["cell-bold"]))
        out += [para(step, styles["small"]) for step in steps]
        if procedure.notes:
            out.append(para(procedure.notes, styles["small"]))
        out.append(Spacer(1, 4))
    return out


def attrition_chart(rules: Rules, styles, width: float) -> list:
    from wargame.engine.dice import parse_dice

    out = []
    for model in rules.attrition.values():
        totals = list(parse_dice(model.dice).counts())
        header = [model.dice] + [str(t) for t in totals]
        row = ["loss x"] + [f"{v:g}" for v in model.variance]
        out += [para(f"{model.name} ({model.law} law)", styles["h2"]),
                para(f"Daily loss: attacker {model.attacker_rate:g}, defender "
                     f"{model.defender_rate:g} x enemy firepower"
                     + (f" x own / {model.scale:g}" if model.law == "linear" else "")
                     + f"; a tank counts {model.tank_weight:g} men, a gun {model.gun_weight:g}.",
                     styles["small"]),
                data_table(header, [row], fit_widths([1.3] + [1] * len(totals), width), styles),
                Spacer(1, 6)]
    return out
