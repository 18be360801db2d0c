"""``wargame resolve``, ``odds`` and ``tables``: combat from the command line."""

from __future__ import annotations

import attrs
import click

from wargame.cli.output import fraction, percent, print_json, print_table
from wargame.cli.params import PRINTABLE, STRENGTH, FiniteFloat
from wargame.engine.effects import expected_steps, result_lines
from wargame.engine.tables import Table
from wargame.errors import UsageError
from wargame.play.battle import Battle, force_of

# ---- shared options --------------------------------------------------------------------------

def combat_options(func):
    """Options shared by `resolve` and `odds`."""
    options = [
        click.option("--table", "-T", "table_name", help="Results table (default: land)."),
        click.option("--procedure", "-P", "procedure_name",
                     help="Multi-stage procedure instead of one table."),
        click.option("--attacker", "-a", "attackers", multiple=True, metavar="UNIT",
                     help="Attacking unit (id or name); repeatable. Add ':r' for its "
                          "reduced side, ':x2' or ':x1/2' to multiply it alone, ':+1' to add "
                          "to it, ':MODIFIER' for a named modifier of that unit only."),
        click.option("--defender", "-d", "defenders", multiple=True, metavar="UNIT",
                     help="Defending unit; repeatable; ':r' for its reduced side."),
        click.option("--attack", type=STRENGTH, help="Ad hoc attack strength "
                     "(added to the units')."),
        click.option("--defend", type=STRENGTH, help="Ad hoc defence strength (halves "
                     "allowed: 1.5)."),
        click.option("--strength", "stage_strengths", multiple=True, metavar="STAGE=A:D",
                     help="Ad hoc strengths for one stage of a procedure."),
        click.option("--terrain", "-t", "terrain_name", multiple=True,
                     help="Terrain of the defender's hex, or a hexside attacked across "
                          "(repeatable: -t mountain -t river)."),
        click.option("--map", "map_name", metavar="MAP|SCENARIO",
                     help="The map --hex and --from refer to (a map id, or a scenario's)."),
        click.option("--hex", "defender_hex", metavar="CCRR",
                     help="The defender's hex: its terrain, town or fortifications come from "
                          "the map."),
        click.option("--from", "attacker_hexes", metavar="CCRR[,CCRR]",
                     help="The attackers' hexes: a river every attacker crosses applies."),
        click.option("--mod", "-m", "mods", multiple=True, metavar="ID",
                     help="Named modifier from the rules (listed by `wargame tables`)."),
        click.option("--shift", "shifts", multiple=True, metavar="N[:REASON]",
                     help="Extra column shift, e.g. '+1:bridge intact'; repeatable."),
        click.option("--drm", "drms", multiple=True, metavar="N[:REASON]",
                     help="Extra die-roll modifier, e.g. '-1:mud'; repeatable."),
        click.option("--column", "columns", multiple=True, metavar="[STAGE=]NAME",
                     help="Column of a 'choice' table (e.g. the drop zone's ground)."),
        click.option("--no-retreat", is_flag=True, help="The defender cannot retreat."),
        click.option("--attrition", "-A", "attrition_name",
                     help="Attrition model (men and tanks) instead of a table."),
        click.option("--days", type=FiniteFloat(0.1, 365), default=1.0, show_default=True,
                     help="Days of fighting (attrition models)."),
        click.option("--attack-force", metavar="MEN[,TANKS[,GUNS]]",
                     help="Ad hoc attacking force for attrition models."),
        click.option("--defend-force", metavar="MEN[,TANKS[,GUNS]]",
                     help="Ad hoc defending force for attrition models."),
        click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _attrition(session, battle: Battle, kw, name: str, seed: str | None, label: str,
               preview: bool, as_json: bool = False) -> None:
    """Men-and-tanks attrition: the expected losses, then either their exact distribution
    (``preview``, for `odds`) or a seeded day of fighting (for `resolve`)."""
    import attrs

    from wargame.engine.attrition import expected_loss, fight, loss_distribution
    from wargame.engine.verifiable import new_seed, seeded_faces
    from wargame.query import find_one

    model = find_one(name, session.rules.attrition, lambda m: (m.id, m.name), "attrition model")
    attacker = force_of(battle.attackers, kw["attack_force"], "attack")
    defender = force_of(battle.defenders, kw["defend_force"], "defend")
    days = kw["days"]
    sides = {"attacker": (attacker, defender, model.attacker_rate),
             "defender": (defender, attacker, model.defender_rate)}
    report: dict = {"model": model.id, "law": model.law, "days": days}
    for side, (own, enemy, rate) in sides.items():
        report[side] = {**attrs.asdict(own), "firepower": own.firepower(model),
                        "expected_loss": expected_loss(model, own, enemy, rate, days)}
    if preview:
        for side, (own, enemy, rate) in sides.items():
            dist = loss_distribution(model, own, enemy, rate, days)
            report[side]["losses"] = [
                {**attrs.asdict(losses), "fraction": fraction(p), "percent": float(p) * 100}
                for losses, p in sorted(dist.items(), key=lambda i: i[0].men)]
    else:
        seed = seed if seed is not None else new_seed()
        result = fight(model, attacker, defender, days, seeded_faces(seed, f"{label}/attacker"),
                       seeded_faces(seed, f"{label}/defender"))
        report.update(seed=seed, label=label)
        for side, roll, losses in (("attacker", result.attacker_roll, result.attacker),
                                   ("defender", result.defender_roll, result.defender)):
            report[side].update(roll={"faces": [list(f) for f in roll.faces],
                                      "total": roll.total, "text": roll.describe()},
                                loses=attrs.asdict(losses))
    if as_json:
        print_json(report)
        return
    click.echo(f"{model.name} ({model.id}), {model.law} law, {days:g} day(s)")
    for side in ("attacker", "defender"):
        own = sides[side][0]
        click.echo(f"  {side.title()}: {own.men:,} men, {own.tanks} tanks, {own.guns} guns "
                   f"= {report[side]['firepower']:,.0f} firepower")
    click.echo(f"  Expected losses (firepower): attacker "
               f"{report['attacker']['expected_loss']:,.0f}, defender "
               f"{report['defender']['expected_loss']:,.0f}")
    if preview:
        for side in ("attacker", "defender"):
            print_table(["losses", "chance", "exactly"],
                        [[f"{r['men']:,} men, {r['tanks']} tanks, {r['guns']} guns",
                          f"{r['percent']:.1f}%", r["fraction"]] for r in report[side]["losses"]],
                        title=f"{side.title()} losses", numeric=(1,))
        return
    for side in ("attacker", "defender"):
        click.echo(f"  {side.title()}'s luck: {report[side]['roll']['text']}")
    for side in ("attacker", "defender"):
        lost = report[side]["loses"]
        click.echo(f"{side.title()} loses {lost['men']:,} men, {lost['tanks']} tanks, "
                   f"{lost['guns']} guns")
    click.echo(f"Seed: {report['seed']} (repeat with --seed {report['seed']} --label {label})")


def _battle(session, kw, terrain=None) -> Battle:
    if terrain is None:
        hexes = _map_terrains(session, kw)
        if len(hexes) > 1:
            raise UsageError("--hex: several defending hexes are compared on one table; "
                             "give one hex with --procedure or --attrition")
        terrain = hexes[0][1] if hexes else []
    return Battle(session, kw["attackers"], kw["defenders"], kw["attack"], kw["defend"],
                  kw["stage_strengths"], kw["terrain_name"], kw["mods"], kw["shifts"],
                  kw["drms"], kw["columns"], kw["no_retreat"], terrain)


def _prepared(session, kw, table: Table):
    """(battle, prepared, note) on one table. A defender in several hexes (--hex A,B) takes
    the terrain best for it: the one that costs it the fewest expected steps (then costs
    the attacker the most)."""
    from wargame.engine.combat import distribution, prepare

    hexes = _map_terrains(session, kw)
    if len(hexes) <= 1:
        battle = _battle(session, kw, hexes[0][1] if hexes else [])
        return battle, prepare(table, battle.combat(table)), None
    tried = []
    for hex_id, terrain in hexes:
        battle = _battle(session, kw, terrain)
        prepared = prepare(table, battle.combat(table))
        dist = distribution(prepared)
        a_steps, a_elim = expected_steps(dist, "attacker")
        d_steps, d_elim = expected_steps(dist, "defender")
        tried.append(((d_steps + d_elim, -(a_steps + a_elim)), hex_id, battle, prepared))
    best = min(tried, key=lambda t: t[0])
    others = ", ".join(f"{h} {k[0]:.2f}" for k, h, _, _ in tried if h != best[1])
    note = (f"Defender in {', '.join(h for _, h, _, _ in tried)}: the terrain of {best[1]} "
            f"is the best for it (expected loss {best[0][0]:.2f} steps; {others})")
    prepared = attrs.evolve(best[3], explanation=(note,) + best[3].explanation)
    return best[2], prepared, note


def _map_terrains(session, kw) -> list[tuple[str, list[tuple[str, str]]]]:
    """(hex, terrain read from the map) for each hex of --hex, with --from's hexsides
    (nothing without --hex)."""
    if kw["defender_hex"] is None:
        if kw["attacker_hexes"]:
            raise UsageError("--from needs --hex (the defender's hex)")
        return []
    from wargame.maps.combat_terrain import battle_terrain

    name = kw["map_name"]
    if name is None:
        if len(session.maps) != 1:
            raise UsageError("--hex: name the map with --map (a map id or a scenario): "
                             + ", ".join(session.maps))
        name = next(iter(session.maps))
    game_map = session.maps.get(name)
    if game_map is None:
        scenario = session.scenario(name)
        if scenario.map is None:
            raise UsageError(f'scenario "{scenario.id}" has no map')
        game_map = session.maps[scenario.map]
    froms = [h for h in (kw["attacker_hexes"] or "").split(",") if h.strip()]
    hexes = [h.strip() for h in kw["defender_hex"].split(",") if h.strip()]
    if not 1 <= len(hexes) <= 6:
        raise UsageError(f"--hex: expected 1 to 6 defending hexes, found {len(hexes)}")
    return [(h, battle_terrain(game_map, h, froms)) for h in hexes]


def _pick_table(session, name: str | None) -> Table:
    rules = session.rules
    if name:
        return rules.table(name)
    if "land" in rules.tables:
        return rules.tables["land"]
    if len(rules.tables) == 1:
        return next(iter(rules.tables.values()))
    raise UsageError("several tables: choose one with --table (" + ", ".join(rules.tables) + ")")


# ---- resolve ---------------------------------------------------------------------------------

@click.command()
@combat_options
@click.option("--seed", help="Seed for reproducible dice (printed when omitted).")
@click.option("--label", default="roll", show_default=True, type=PRINTABLE,
              help="Label of this roll.")
@click.option("--roll", "physical_rolls", multiple=True, metavar="[STAGE=]N",
              help="Dice rolled at the table, as read: the total the table reads (7 on "
                   "2d6, 0-9 on d10-1). In a procedure, one per stage: --roll air=8.")
@click.option("--dice", "physical_dice", multiple=True, metavar="[STAGE=]A,B",
              help="Each die rolled at the table, as it shows (0-9 for d10-1), in the order "
                   "the table reads them; in a procedure, one per stage.")
@click.pass_obj
def resolve(session, seed, label, as_json, table_name, procedure_name, physical_rolls,
            physical_dice, **kw) -> None:
    """Resolve a combat: odds, every modifier with its reason, the roll, the result.

    Dice are seeded (and printed, to repeat the roll) unless a roll made at the table is
    entered with --roll or --dice.
    """
    from wargame.engine.combat import resolve as resolve_combat
    from wargame.engine.verifiable import new_seed, seeded_faces

    entered = _entered_rolls(physical_rolls, physical_dice, seed, procedure_name)
    if entered and kw["attrition_name"]:
        raise UsageError("--roll/--dice: an attrition model rolls for both sides itself; "
                         "leave them out")
    seed = seed if seed is not None else new_seed()
    if kw["attrition_name"] or procedure_name:
        battle = _battle(session, kw)
        if kw["attrition_name"]:
            _attrition(session, battle, kw, kw["attrition_name"], seed, label,
                       preview=False, as_json=as_json)
        else:
            _resolve_procedure(session, battle, procedure_name, seed, label, as_json, entered)
        return
    table = _pick_table(session, table_name)
    battle, prepared, _ = _prepared(session, kw, table)
    faces = _entered_source(table, entered[None], "") if entered else seeded_faces(seed, label)
    resolution = resolve_combat(prepared, faces)
    if entered and prepared.automatic is None:
        faces.check_all_used()
    attackers, defenders = battle.engaged_for(table)
    effects = result_lines(battle.catalog, resolution.result, attackers, defenders,
                           table.exchange_factors)
    if as_json:
        print_json({
            "table": table.id, "seed": None if entered else seed,
            "label": label, "entered": bool(entered),
            "attack": prepared.attack, "defence": prepared.defence,
            "column": prepared.column_label, "shift": prepared.shift, "drm": prepared.drm,
            "roll": None if resolution.roll is None else {
                "faces": [list(f) for f in resolution.roll.faces],
                "total": resolution.roll.total, "modified": resolution.modified},
            "row": resolution.row, "result": resolution.result.code,
            "events": list(resolution.result.events),
            "text": resolution.result.text, "explanation": list(resolution.explanation),
            "effects": effects})
        return
    click.echo(f"{table.name} ({table.id})")
    for line in resolution.explanation:
        click.echo(f"  {line}")
    click.echo("Effects:")
    for line in effects:
        click.echo(f"  {line}")
    if not entered:
        click.echo(f"Seed: {seed} (repeat with --seed {seed} --label {label})")


def _entered_rolls(rolls, dice, seed, procedure) -> dict:
    """Rolls made at the table, by stage (None outside a procedure): ("total", N) or
    ("faces", [A, B])."""
    if not rolls and not dice:
        return {}
    if seed is not None:
        raise UsageError("--seed makes the dice; --roll/--dice enter them: choose one")
    entered: dict = {}
    for option, values, kind in (("--roll", rolls, "total"), ("--dice", dice, "faces")):
        for value in values:
            stage, _, text = value.rpartition("=") if "=" in value else ("", "", value)
            key = stage.strip() or None
            if procedure and key is None:
                raise UsageError(f"{option} {value}: a procedure rolls once per stage; name "
                                 f"the stage, e.g. {option} STAGE={text}")
            if not procedure and key is not None:
                raise UsageError(f"{option} {value}: stages belong to procedures (--procedure)")
            if key in entered:
                where = f" for stage {key}" if key else ""
                raise UsageError(f"{option}: one roll{where}, given twice (--roll gives the "
                                 "total, --dice each die: choose one)")
            try:
                parsed = [int(part) for part in text.split(",")]
            except ValueError:
                shape = "a total like 7" if kind == "total" else 'faces like "3,5"'
                raise UsageError(f'{option}: expected {shape}, found "{value}"') from None
            if kind == "total" and len(parsed) != 1:
                raise UsageError(f'--roll: expected one total, found "{value}" (each die: '
                                 "--dice)")
            if not 1 <= len(parsed) <= 200:
                raise UsageError(f"--dice: expected 1 to 200 faces, found {len(parsed)}")
            entered[key] = (kind, parsed[0] if kind == "total" else parsed)
    return entered


def _entered_source(table: Table, entered, where: str):
    """The face source for a roll made at the table, checked against the table's dice as
    players read them (a d10-1 die reads 0 to 9)."""
    from wargame.engine.verifiable import EnteredFaces, EnteredTotal

    kind, value = entered
    dice = table.dice
    if kind == "total":
        if value not in dice.counts():
            raise UsageError(f"--roll{where}: {dice} read at the table totals "
                             f"{dice.minimum} to {dice.maximum}"
                             + (" (d66: tens die, units die)" if "66" in str(dice) else "")
                             + f"; {value} cannot be rolled")
        return EnteredTotal(value)
    if dice.read_from_zero:
        sides = dice.terms[0].sides
        for index, face in enumerate(value):
            if not 0 <= face < sides:
                raise UsageError(f"--dice{where}: die {index + 1} of {dice} reads 0 to "
                                 f"{sides - 1}; {face} cannot be rolled on it")
        value = [face + 1 for face in value]
    return EnteredFaces(value)


def _resolve_procedure(session, battle, name, seed, label, as_json, entered) -> None:
    from wargame.engine.procedure import run_procedure, stages_of
    from wargame.engine.verifiable import seeded_faces
    from wargame.query import find_one

    rules = session.rules
    procedure = find_one(name, rules.procedures, lambda p: (p.id, p.name), "procedure")
    stages = stages_of(procedure, rules.tables)
    ids = [s.spec.id for s in stages]
    for key in entered:
        if key not in ids:
            raise UsageError(f'--roll/--dice: procedure "{procedure.id}" has no stage "{key}" '
                             f"(its stages: {', '.join(ids)})")
    sources = {}

    def faces_for(stage):
        if not entered:
            return seeded_faces(seed, f"{label}/{stage.spec.id}")
        if stage.spec.id not in entered:
            raise UsageError(f"stage {stage.spec.id} is reached and needs a roll made at the "
                             f"table too: --roll {stage.spec.id}=N or --dice "
                             f"{stage.spec.id}=A,B")
        source = _entered_source(stage.table, entered[stage.spec.id],
                                 f" {stage.spec.id}=")
        sources[stage.spec.id] = source
        return source

    rolls = run_procedure(
        stages,
        lambda s: battle.combat(s.table, s.spec.id, s.spec.reverse, strict=False),
        faces_for)
    for roll in rolls:
        if roll.stage.spec.id in sources and roll.prepared.automatic is None:
            sources[roll.stage.spec.id].check_all_used()
    unused = [key for key in entered if key not in sources]
    report = []
    for roll in rolls:
        attackers, defenders = battle.engaged_for(roll.stage.table, roll.stage.spec.reverse)
        report.append({
            "stage": roll.stage.spec.id, "table": roll.stage.table.id,
            "result": roll.resolution.result.code, "text": roll.resolution.result.text,
            "explanation": list(roll.resolution.explanation),
            "effects": result_lines(battle.catalog, roll.resolution.result, attackers,
                                    defenders, roll.stage.table.exchange_factors)})
    if as_json:
        print_json({"procedure": procedure.id, "seed": None if entered else seed,
                    "label": label, "entered": bool(entered), "stages": report,
                    "unused_rolls": unused})
        return
    click.echo(f"{procedure.name} ({procedure.id})")
    rolled = {roll.stage.spec.id: (entry, roll) for entry, roll in zip(report, rolls)}
    stopped = rolls and rolls[-1].resolution.result.code in rolls[-1].stage.spec.stop_on
    for number, stage in enumerate(stages, start=1):
        if stage.spec.id not in rolled:
            if not stopped and stage.spec.when:
                click.echo(f"Stage {number}, {stage.spec.id}: not rolled (only after "
                           f"{' or '.join(stage.spec.when)})")
            continue
        entry, roll = rolled[stage.spec.id]
        click.echo(f"Stage {number}, {entry['stage']}: {roll.stage.name}"
                   + (" (the defending side fires)" if roll.stage.spec.reverse else ""))
        for line in entry["explanation"]:
            click.echo(f"  {line}")
        for line in entry["effects"]:
            click.echo(f"  -> {line}")
    if stopped and rolls[-1].stage is not stages[-1]:
        click.echo(f"The procedure ends here: {rolls[-1].resolution.result.code} stops it.")
    for key in unused:
        click.echo(f"The roll entered for stage {key} is not used: the stage was not reached.")
    if not entered:
        click.echo(f"Seed: {seed} (repeat with --seed {seed} --label {label})")


# ---- odds ------------------------------------------------------------------------------------

@click.command()
@combat_options
@click.pass_obj
def odds(session, as_json, table_name, procedure_name, **kw) -> None:
    """Show the exact odds of every result before rolling."""
    from wargame.engine.combat import distribution

    if kw["attrition_name"] or procedure_name:
        battle = _battle(session, kw)
        if kw["attrition_name"]:
            _attrition(session, battle, kw, kw["attrition_name"], None, "roll", preview=True,
                       as_json=as_json)
        else:
            _procedure_odds(session, battle, procedure_name, as_json)
        return
    table = _pick_table(session, table_name)
    battle, prepared, _ = _prepared(session, kw, table)
    dist = distribution(prepared)
    ordered = sorted(dist.items(), key=lambda item: _legend_order(table, item[0].code))
    a_steps, a_elim = expected_steps(dist, "attacker")
    d_steps, d_elim = expected_steps(dist, "defender")
    if as_json:
        print_json({
            "table": table.id, "attack": prepared.attack, "defence": prepared.defence,
            "column": prepared.column_label, "shift": prepared.shift, "drm": prepared.drm,
            "explanation": list(prepared.explanation),
            "results": [{"code": r.code, "text": r.text, "events": list(r.events),
                         "probability": fraction(p), "percent": round(float(p) * 100, 4)}
                        for r, p in ordered],
            "expected": {"attacker_steps": a_steps, "attacker_eliminated": a_elim,
                         "defender_steps": d_steps, "defender_eliminated": d_elim}})
        return
    click.echo(f"{table.name} ({table.id})")
    for line in prepared.explanation:
        click.echo(f"  {line}")
    print_table(["result", "meaning", "chance", "exactly"],
                [[r.code, r.describe(), percent(p), fraction(p)] for r, p in ordered],
                numeric=(2,))
    click.echo(f"Expected steps lost: attacker {a_steps:.2f}, defender {d_steps:.2f}"
               + (f"; attacker eliminated {a_elim:.1%}" if a_elim else "")
               + (f"; defender eliminated {d_elim:.1%}" if d_elim else ""))


def _legend_order(table: Table, code: str) -> int:
    codes = list(table.legend)
    base = code.rstrip("!")
    return codes.index(base) if base in codes else len(codes)


def _procedure_odds(session, battle, name, as_json) -> None:
    from wargame.engine.procedure import (
        procedure_distribution,
        stage_marginals,
        stages_of,
    )
    from wargame.query import find_one

    rules = session.rules
    procedure = find_one(name, rules.procedures, lambda p: (p.id, p.name), "procedure")
    stages = stages_of(procedure, rules.tables)
    paths = procedure_distribution(
        stages, lambda s: battle.combat(s.table, s.spec.id, s.spec.reverse, strict=False))
    marginals = stage_marginals(stages, paths)
    final = stages[-1]
    reached = sum(p for path, p in paths.items() if path[-1] is not None)
    if as_json:
        print_json({
            "procedure": procedure.id,
            "stages": [{"stage": s.spec.id, "table": s.table.id,
                        "results": [{"code": k, "probability": fraction(v),
                                     "percent": round(float(v) * 100, 4)}
                                    for k, v in m.items()]}
                       for s, m in zip(stages, marginals)],
            "paths": [{"results": [r.code if r else None for r in path],
                       "probability": fraction(p)} for path, p in
                      sorted(paths.items(), key=lambda item: -item[1])]})
        return
    click.echo(f"{procedure.name} ({procedure.id})")
    for stage, marginal in zip(stages, marginals):
        rows = [[code, percent(p), fraction(p)] for code, p in
                sorted(marginal.items(), key=lambda item: _legend_order(stage.table, item[0]))]
        print_table(["result", "chance", "exactly"], rows,
                    title=f"Stage {stage.spec.id}: {stage.name}", numeric=(1,))
    click.echo(f"Chance that the {final.spec.id} stage is reached: {percent(reached)}")


# ---- tables ----------------------------------------------------------------------------

def _strength_change(multiplier: float, add: float, per_unit: bool) -> str:
    """'x2', 'x0.5 +1', '-' for none; 'each unit' when it applies unit by unit."""
    parts = ([f"x{multiplier:g}"] if multiplier != 1 else []) + \
        ([f"{add:+g}"] if add else [])
    return (" ".join(parts) + (" each unit" if per_unit else "")) if parts else "-"


@click.command()
@click.argument("name", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def tables(session, name, as_json) -> None:
    """List the rules tables, or print one in full with its legend."""
    rules = session.rules
    if not name:
        rows = [[t.id, t.name, t.spec.kind, t.spec.dice, str(len(t.columns))]
                for t in rules.tables.values()]
        print_table(["id", "name", "column by", "dice", "columns"], rows)
        if rules.procedures:
            print_table(["procedure", "name", "stages"],
                        [[p.id, p.name, " > ".join(s.id for s in p.stages)]
                         for p in rules.procedures.values()])
        if rules.terrain:
            print_table(["terrain", "name", "move", "defence", "attack", "shift", "drm"],
                        [[t.id, t.name, str(t.movement_cost), f"x{t.defence_multiplier:g}",
                          f"x{t.attack_multiplier:g}", f"{t.shift:+d}", f"{t.drm:+d}"]
                         for t in rules.terrain.values()])
        if rules.modifiers:
            print_table(["modifier", "reason", "shift", "drm", "attack", "defence", "tables"],
                        [[m.id, m.text, f"{m.shift:+d}", f"{m.drm:+d}",
                          _strength_change(m.attack_multiplier, m.attack_add, m.per_unit),
                          _strength_change(m.defence_multiplier, m.defence_add, m.per_unit),
                          ", ".join(m.tables) or "all"] for m in rules.modifiers.values()])
        return
    table = rules.table(name)
    spec = table.spec
    if as_json:
        print_json({"id": spec.id, "name": spec.name, "kind": spec.kind, "dice": spec.dice,
                    "columns": list(spec.columns), "rows": [b.label for b in table.row_bands],
                    "cells": [list(r) for r in spec.cells],
                    "legend": {c: r.describe() for c, r in table.legend.items()},
                    "rules": table.rules_text()})
        return
    print_table([spec.dice] + list(spec.columns),
                [[band.label] + list(row) for band, row in zip(table.row_bands, spec.cells)],
                title=f"{spec.name} ({spec.id}): column by {spec.kind}")
    for code, result in table.legend.items():
        click.echo(f"  {code}: {result.describe()}")
    for rule in table.rules_text():
        click.echo(f"Rule: {rule}")
    if spec.notes:
        click.echo(f"Notes: {spec.notes}")
