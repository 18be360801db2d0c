"""`wargame game ...`: play-by-post adjudication from the command line."""

from __future__ import annotations

import json
import secrets
from pathlib import Path

import attrs
import click

from wargame.errors import UsageError


def _game(folder):
    from wargame.pbp.game import Game

    return Game(Path(folder))


def _read_orders(orders_file: str | None, orders_text: str | None) -> str:
    if (orders_file is None) == (orders_text is None):
        raise UsageError("give the orders either with --orders-file FILE or --orders TEXT")
    if orders_text is not None:
        return orders_text
    try:
        return Path(orders_file).read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{orders_file}: cannot read the orders ({exc})") from None


@click.group("game")
def game_group() -> None:
    """Play-by-post games: record, verifiable dice, posts."""


@game_group.command("new")
@click.argument("scenario")
@click.argument("folder", type=click.Path(file_okay=False))
@click.option("--player", "players", multiple=True, metavar="SIDE=NAME",
              help="Who plays a side; repeatable.")
@click.pass_obj
def game_new(session, scenario, folder, players) -> None:
    """Start a game of SCENARIO, recorded in FOLDER."""
    from wargame.pbp.game import Game

    named = {}
    for item in players:
        side, _, name = item.partition("=")
        if not name:
            raise UsageError(f'--player: expected SIDE=NAME, found "{item}"')
        named[side] = name
    game = Game.new(session, scenario, Path(folder), named)
    start = game.events()[0].body
    click.echo(f"Started {start['name']} ({start['scenario']}) in {folder}.")
    click.echo(f"Game id: {start['game']}")
    click.echo(f"Seed-chain anchor (post it now; players quote it): {start['anchor']}")
    click.echo(f"First event (the chain's head; post it too): {game.events()[0].hash}")
    click.echo(f"Keep {Path(folder) / 'umpire-secret.json'} private: it holds the turn seeds.")


@game_group.command("commit")
@click.option("--game-id", required=True, help="The game id from the start post.")
@click.option("--turn", type=click.IntRange(1, 999), required=True)
@click.option("--side", required=True)
@click.option("--orders-file", type=click.Path(dir_okay=False), help="Your orders.")
@click.option("--orders", "orders_text", help="Your orders, as text.")
@click.option("--secret-out", type=click.Path(dir_okay=False),
              help="Where to keep your salt and nonce (default: SIDE-turn-T-secret.json).")
def game_commit(game_id, turn, side, orders_file, orders_text, secret_out) -> None:
    """(Player) Commit to orders and a fresh nonce; post the two commitments."""
    from wargame.atomic import write_text
    from wargame.pbp import crypto

    orders = _read_orders(orders_file, orders_text)
    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(16)
    target = Path(secret_out or f"{side}-turn-{turn}-secret.json")
    if target.exists():
        raise UsageError(f"{target} exists: it holds an earlier commitment's secrets")
    write_text(target, json.dumps({"game": game_id, "turn": turn, "side": side,
                                   "salt": salt.hex(), "nonce": nonce.hex()}))
    click.echo(f"orders commitment: {crypto.order_commitment(game_id, turn, side, orders, salt)}")
    click.echo(f"nonce commitment:  {crypto.nonce_commitment(game_id, turn, side, nonce)}")
    click.echo(f"Post both lines. Keep {target}: you reveal the salt with your orders and the "
               "nonce after the umpire locks the sheet.")


@game_group.command("order")
@click.argument("folder", type=click.Path(file_okay=False))
@click.option("--side", required=True)
@click.option("--turn", type=click.IntRange(1, 999), help="Refuse unless this is the current turn.")
@click.option("--orders-commitment", help="Record a side's posted commitments.")
@click.option("--nonce-commitment")
@click.option("--orders-file", type=click.Path(dir_okay=False), help="Record revealed orders.")
@click.option("--orders", "orders_text")
@click.option("--salt", help="The salt revealed with the orders.")
def game_order(folder, side, turn, orders_commitment, nonce_commitment, orders_file,
               orders_text, salt) -> None:
    """(Umpire) Record a side's commitments, or its revealed orders (checked against them)."""
    game = _game(folder)
    if orders_commitment or nonce_commitment:
        if not (orders_commitment and nonce_commitment):
            raise UsageError("give both --orders-commitment and --nonce-commitment")
        event = game.commit(side, orders_commitment, nonce_commitment, turn)
        click.echo(f"Recorded {side}'s commitments as event {event.seq}.")
        return
    if salt is None:
        raise UsageError("to record revealed orders give --salt and --orders-file/--orders; "
                         "to record commitments give --orders-commitment and "
                         "--nonce-commitment")
    event = game.reveal_orders(side, _read_orders(orders_file, orders_text), salt, turn)
    click.echo(f"{side}'s orders match their commitment; recorded as event {event.seq}.")


@game_group.command("rule")
@click.argument("folder", type=click.Path(file_okay=False))
@click.option("--label", help="Roll label (default T<turn>/C<n>).")
@click.option("--table", "-T", help="Results table (default land).")
@click.option("--procedure", "-P", help="Multi-stage procedure.")
@click.option("--attacker", "-a", "attackers", multiple=True)
@click.option("--defender", "-d", "defenders", multiple=True)
@click.option("--attack", type=click.IntRange(0, 9999))
@click.option("--defend", type=click.IntRange(0, 9999))
@click.option("--terrain", "-t")
@click.option("--mod", "-m", "mods", multiple=True)
@click.option("--shift", "shifts", multiple=True, metavar="N[:REASON]")
@click.option("--drm", "drms", multiple=True, metavar="N[:REASON]")
@click.option("--column", "columns", multiple=True, metavar="[STAGE=]NAME")
@click.option("--no-retreat", is_flag=True)
@click.option("--hex", "defender_hex", metavar="CCRR", help="The defender's hex on the "
              "scenario's map: its terrain comes from the map (and is on the sheet).")
@click.option("--from", "attacker_hexes", metavar="CCRR[,CCRR]",
              help="The attackers' hexes: a river every attacker crosses applies.")
def game_rule(folder, label, table, procedure, attackers, defenders, attack, defend, terrain,
              mods, shifts, drms, columns, no_retreat, defender_hex, attacker_hexes) -> None:
    """(Umpire) Add a combat to this turn's rulings sheet, with its odds."""
    game = _game(folder)
    ruling = {"label": label, "table": table, "procedure": procedure,
              "attackers": list(attackers), "defenders": list(defenders), "attack": attack,
              "defend": defend, "terrain": terrain, "hex": defender_hex,
              "from": [h for h in (attacker_hexes or "").split(",") if h.strip()],
              "mods": list(mods), "shifts": list(shifts),
              "drms": list(drms), "no_retreat": no_retreat,
              "columns": {k: v for k, _, v in (c.rpartition("=") for c in columns)}}
    ruling = {k: v for k, v in ruling.items() if v not in (None, [], {}, False)}
    event = game.rule(ruling)
    preview = event.body["preview"]
    odds = preview["odds"] if isinstance(preview["odds"], dict) else preview["odds"][-1]
    click.echo(f"{event.body['label']}: " + ", ".join(f"{k} {v}" for k, v in odds.items()))


@game_group.command("lock")
@click.argument("folder", type=click.Path(file_okay=False))
def game_lock(folder) -> None:
    """(Umpire) Lock the turn's rulings sheet: no combat can be added or changed."""
    game = _game(folder)
    event = game.lock()
    state = game.state()
    turn = state.turns[event.turn]
    click.echo("Post this now; players reveal only after it:")
    click.echo(f"  {state.start['name']}, turn {event.turn}: rulings sheet locked, "
               f"{len(event.body['labels'])} combats")
    click.echo(f"  sheet hash: {event.body['sheet_hash']}")
    click.echo(f"  chain head: {event.hash}")
    for side in state.side_ids():
        if side in turn.commitments:
            c = turn.commitments[side]
            click.echo(f"  {side}: committed orders {c['orders']} nonce {c['nonce']}")
        else:
            click.echo(f"  {side}: defaulted ({turn.defaults[side]})")
    click.echo("Players: `wargame game reveal --make --secret FILE --sheet HASH`.")


REVEAL_TAG = "wargame-reveal"


@game_group.command("reveal")
@click.argument("folder", type=click.Path(file_okay=False), required=False)
@click.option("--make", is_flag=True, help="(Player) Make your reveal message from your "
              "secret file and the sheet hash the umpire posted; post the line it prints.")
@click.option("--secret", "secret_file", type=click.Path(dir_okay=False),
              help="(Player, with --make) Your secret file from `wargame game commit`.")
@click.option("--sheet", help="The locked sheet's hash, as posted by the umpire.")
@click.option("--message", help="(Umpire) A player's posted reveal line, to record.")
@click.option("--side")
@click.option("--nonce", help="The nonce from the player's secret file.")
@click.option("--turn", type=click.IntRange(1, 999))
def game_reveal(folder, make, secret_file, sheet, message, side, nonce, turn) -> None:
    """Reveal a side's nonce for the locked sheet.

    A player makes the reveal on their own machine (--make), naming the sheet hash they saw
    posted; the umpire records the posted line (FOLDER --message). The record takes a reveal
    only for the sheet actually locked, so a sheet cannot be locked again once nonces are out.
    """
    if make:
        if not (secret_file and sheet):
            raise UsageError("--make needs --secret FILE and --sheet HASH")
        try:
            secret = json.loads(Path(secret_file).read_text(encoding="utf-8"))
            fields = {k: secret[k] for k in ("game", "turn", "side", "nonce")}
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise UsageError(f"{secret_file}: not a secret file from `wargame game commit` "
                             f"({exc})") from None
        click.echo(f"{REVEAL_TAG} game={fields['game']} turn={fields['turn']} "
                   f"side={fields['side']} sheet={_sheet_hash(sheet)} nonce={fields['nonce']}")
        return
    if folder is None:
        raise UsageError("give the game FOLDER to record a reveal (or --make to make one)")
    game = _game(folder)
    if message is not None:
        parts = message.split()
        if not parts or parts[0] != REVEAL_TAG:
            raise UsageError(f'--message: expected a line starting "{REVEAL_TAG}"')
        fields = dict(part.partition("=")[::2] for part in parts[1:])
        if fields.get("game") != game.state().game_id:
            raise UsageError("--message: this reveal is for another game")
        try:
            side, nonce, sheet = fields["side"], fields["nonce"], fields["sheet"]
            turn = int(fields["turn"])
        except (KeyError, ValueError):
            raise UsageError("--message: expected game=, turn=, side=, sheet= and nonce=") \
                from None
    if not (side and nonce and sheet):
        raise UsageError("give --message LINE, or --side, --nonce and --sheet")
    event = game.reveal_nonce(side, nonce, _sheet_hash(sheet), turn)
    click.echo(f"{side}'s nonce matches its commitment and the locked sheet; recorded as "
               f"event {event.seq}.")


def _sheet_hash(value: str) -> str:
    value = value.strip().lower()
    if len(value) != 64 or any(c not in "0123456789abcdef" for c in value):
        raise UsageError(f'--sheet: expected the 64-digit sheet hash, found "{value}"')
    return value


@game_group.command("default")
@click.argument("folder", type=click.Path(file_okay=False))
@click.option("--side", required=True)
@click.option("--reason", default="no commitment by the deadline", show_default=True)
def game_default(folder, side, reason) -> None:
    """(Umpire) Record that a side did not commit by the deadline (it then plays no orders
    this turn); the lock's post lists it."""
    event = _game(folder).default(side, reason)
    click.echo(f"{side} recorded as defaulted for this turn (event {event.seq}).")


@game_group.command("resolve")
@click.argument("folder", type=click.Path(file_okay=False))
@click.option("--deadline-passed", is_flag=True,
              help="Sides that did not reveal their nonce count it as empty.")
def game_resolve(folder, deadline_passed) -> None:
    """(Umpire) Reveal the turn seed, roll every ruling, apply the results."""
    game = _game(folder)
    turn = game.state().turn
    events = game.resolve(deadline_passed)
    rolls = [e for e in events if e.kind == "roll"]
    click.echo(f"Turn {turn} resolved: {len(rolls)} rolls. Post it with "
               f"`wargame game post {folder} --turn {turn}`.")


@game_group.command("move")
@click.argument("folder", type=click.Path(file_okay=False))
@click.argument("unit")
@click.argument("to", metavar="HEX|AREA")
@click.option("--override", metavar="REASON", help="Let a move the rules refuse stand (a "
              "rail move, a retreat), recorded with this reason.")
@click.option("--reason", default="moved by the umpire", show_default=True,
              help="Why, for a move to an area (a holding box).")
def game_move(folder, unit, to, override, reason) -> None:
    """(Umpire) Record a unit's move: to a hex of the map (checked against the terrain and
    the unit's movement allowance), or to an area such as a holding box."""
    from wargame.maps.hexgrid import parse_hex

    game = _game(folder)
    if parse_hex(to) is not None:
        event = game.move(unit, to, override)
        cost = event.body["cost"]
        how = f"override: {override}" if override else (
            f"{cost} movement points" if cost is not None else "no allowance to check")
        click.echo(f"{unit} {event.body['from'] or 'enters'} -> {event.body['to']} ({how}); "
                   f"recorded as event {event.seq}.")
        return
    event = game.change_unit(unit, reason, area=to)
    click.echo(f"Recorded as event {event.seq}.")


@game_group.command("correct")
@click.argument("folder", type=click.Path(file_okay=False))
@click.argument("unit")
@click.option("--steps", type=click.IntRange(0, 99))
@click.option("--status", help="Comma-separated markers (empty clears them).")
@click.option("--reason", required=True)
def game_correct(folder, unit, steps, status, reason) -> None:
    """(Umpire) Correct a unit's steps or markers: a new event, never an edit."""
    markers = None if status is None else [m.strip() for m in status.split(",") if m.strip()]
    event = _game(folder).change_unit(unit, reason, steps=steps, status=markers)
    click.echo(f"Recorded as event {event.seq}.")


@game_group.command("void")
@click.argument("folder", type=click.Path(file_okay=False))
@click.argument("label")
@click.option("--reason", required=True)
def game_void(folder, label, reason) -> None:
    """(Umpire) Void a roll. It stays in the record, with the reason; there is no reroll."""
    event = _game(folder).void(label, reason)
    click.echo(f"Roll {label} voided as event {event.seq}.")


@game_group.command("status")
@click.argument("folder", type=click.Path(file_okay=False))
@click.option("--side", help="Only what this side can see (fog of war).")
@click.option("--json", "as_json", is_flag=True)
def game_status(folder, side, as_json) -> None:
    """The game's turn, phase and units (a side's own view with --side)."""
    from wargame.cli.output import print_json, print_table
    from wargame.pbp.views import visible_units

    game = _game(folder)
    state = game.state()
    units = visible_units(state, side)
    if as_json:
        print_json({"turn": state.turn, "phase": state.phase, "head": state.head,
                    "units": {uid: {"side": u.side, "area": u.area, "hex": u.hex,
                                    "steps": u.steps, "status": u.status}
                              for uid, u in units.items()}})
        return
    arrives = {u["id"]: u["arrives"] for u in state.start["units"]}
    click.echo(f"{state.start['name']} (game {state.game_id}): turn {state.turn} of "
               f"{state.start['turns']}, phase {state.phase}; {state.count} events, head "
               f"{state.head[:16]}")
    print_table(["unit", "side", "hex", "area", "steps", "status"],
                [[uid, u.side, u.hex or "-", u.area if arrives[uid] <= state.turn else
                  f"{u.area} (turn {arrives[uid]})", str(u.steps) if u.alive else "eliminated",
                  ", ".join(u.status)] for uid, u in units.items()], numeric=(4,))


@game_group.command("log")
@click.argument("folder", type=click.Path(file_okay=False))
def game_log(folder) -> None:
    """Every event of the record, oldest first."""
    for event in _game(folder).events():
        summary = json.dumps(event.body, ensure_ascii=False, sort_keys=True)
        if len(summary) > 100:
            summary = summary[:97] + "..."
        click.echo(f"{event.seq:5d} T{event.turn:02d} {event.kind:13s} {event.hash[:12]} "
                   f"{summary}")


@game_group.command("verify")
@click.argument("source", type=click.Path(exists=True))
@click.option("--head", "heads", multiple=True, metavar="HASH",
              help="A chain head from a post you saw (repeatable): it must be in the record.")
@click.option("--sheet", "sheets", multiple=True, metavar="HASH",
              help="A sheet hash from a lock post you saw: the dice must have used it.")
@click.option("--reveal", "reveals", multiple=True, metavar="LINE",
              help="Your posted reveal line: the turn must have been resolved with it.")
@click.option("--commitment", "commitments", multiple=True, metavar="HASH",
              help="An orders commitment you posted: it must be the one recorded for you.")
def game_verify(source, heads, sheets, reveals, commitments) -> None:
    """Verify a game folder or an exported game file from scratch, and that the heads and
    sheets you saw posted are the ones it holds (a record cut short, forked or re-locked
    after your post is caught)."""
    from wargame.pbp.game import DATA_FOLDER
    from wargame.pbp.verify import check_published, events_of_export, verify_events

    path = Path(source)
    if path.is_dir():
        events = _game(path).events()
        verdict = verify_events(events, path / DATA_FOLDER)
    else:
        events, verdict = events_of_export(path)
    from wargame.pbp.verify import commitment_recorded, reveal_used

    problems = check_published(events, list(heads), list(sheets)) if verdict.ok else []
    if verdict.ok:
        problems += [p for p in (reveal_used(events, line) for line in reveals) if p]
        problems += [p for p in (commitment_recorded(events, c) for c in commitments) if p]
    if verdict.ok and not problems:
        click.echo(verdict.describe())
        for head in heads:
            click.echo(f"  head {head[:16]}: in the chain")
        for sheet in sheets:
            click.echo(f"  sheet {sheet[:16]}: the dice used it")
        return
    for problem in problems or [verdict.describe()]:
        click.echo(f"NOT VERIFIED: {problem}", err=True)
    raise SystemExit(3)


@game_group.command("export")
@click.argument("folder", type=click.Path(file_okay=False))
@click.option("--output", "-o", type=click.Path(dir_okay=False), required=True)
@click.option("--html", "as_html", is_flag=True, help="Write one self-contained HTML page "
              "that verifies the game in the browser (WebCrypto; no network, no server).")
@click.option("--side", help="A side's export: the other sides' orders are left out (their "
              "digests stay, so it still verifies).")
def game_export(folder, output, as_html, side) -> None:
    """A self-contained copy of the game that any player can verify: JSON for `wargame game
    verify`, or an HTML page that verifies itself."""
    from wargame.atomic import write_text
    from wargame.pbp.verify import export_game

    game = _game(folder)
    if side is not None and side not in game.state().side_ids():
        raise UsageError(f'no side "{side}" in this game; its sides are '
                         + ", ".join(game.state().side_ids()))
    document = export_game(Path(folder), game.events(), side)
    if as_html:
        from wargame.pbp.browser import verifier_page

        state = game.state()
        write_text(output, verifier_page(document, game.session().rules, state.start["name"]))
        click.echo(f"Wrote {output}: open it in a browser to verify {len(document['events'])} "
                   "events.")
        return
    write_text(output, json.dumps(document, ensure_ascii=False, indent=1))
    click.echo(f"Wrote {output}: {len(document['events'])} events. Players check it with "
               f"`wargame game verify {Path(output).name}`.")


@game_group.command("post")
@click.argument("folder", type=click.Path(file_okay=False))
@click.option("--turn", type=click.IntRange(1, 999), help="The turn to report (default: the last resolved).")
@click.option("--format", "style", type=click.Choice(["bbcode", "bbcode-code", "discord",
                                                      "markdown", "text"]),
              default="bbcode", show_default=True)
@click.option("--side", help="Only what this side may see.")
@click.option("--images", "images_dir", type=click.Path(file_okay=False),
              help="Also write the counter image of every unit in these battles here.")
@click.option("--image-url", help="Where the images will be online (adds them to the post).")
@click.option("--map", "map_dir", type=click.Path(file_okay=False),
              help="Also write a situation map of the turn's battles here (PNG, at most "
                   "1600 px a side): the map around them with the counters, as the side "
                   "given with --side may see them.")
def game_post(folder, turn, style, side, images_dir, image_url, map_dir) -> None:
    """The turn's results, ready to paste (Discord output is split into messages)."""
    from wargame.pbp.posts import render, turn_report

    game = _game(folder)
    state = game.state()
    report = turn_report(state, turn, side)
    written = []
    if images_dir:
        written += _battle_images(game, state, report, Path(images_dir))
        click.echo(f"Wrote {len(written)} counter images to {images_dir}/.", err=True)
    if map_dir:
        name = _situation_map(game, state, report, side, Path(map_dir))
        click.echo(f"Wrote the situation map {Path(map_dir) / name}; attach it to the post.",
                   err=True)
        written = [name] + written
    if written and image_url:
        report = attrs.evolve(report, images=tuple(
            image_url.rstrip("/") + "/" + name for name in written))
    messages = render(report, style)
    for index, message in enumerate(messages):
        if len(messages) > 1:
            click.echo(f"----- message {index + 1} of {len(messages)} -----")
        click.echo(message)


def _situation_map(game, state, report, side, folder: Path) -> str:
    """The map around this turn's battles with the counters a side may see; its file name."""
    from wargame.counters import unit_counter
    from wargame.loading.printdata import load_print
    from wargame.maps.hexgrid import parse_hex
    from wargame.pbp.views import visible_units
    from wargame.printing.situation import situation_png

    session = game.session()
    scenario = session.scenarios.get(state.start["scenario"])
    if scenario is None or scenario.map is None:
        raise UsageError("--map: this game's scenario has no map")
    game_map = session.maps[scenario.map]
    catalog = session.catalog
    turn = state.turns[report.turn]
    labels = {line.label for line in report.lines}
    focus = []
    for ruling in turn.rulings:
        if ruling["label"] not in labels:
            continue
        if ruling.get("hex"):
            focus.append(parse_hex(ruling["hex"]))
        for name in ruling.get("attackers", []) + ruling.get("defenders", []):
            unit = state.units.get(name.split(":")[0])
            if unit is not None and unit.hex:
                focus.append(parse_hex(unit.hex))
    if not focus:
        raise UsageError(f"--map: no battle of turn {report.turn} is on the map")
    stacks: dict = {}
    for uid, unit in visible_units(state, side).items():
        if unit.alive and unit.hex:
            spec = catalog.units[uid]
            stacks.setdefault(parse_hex(unit.hex), []).append(
                (unit_counter(catalog, spec), unit.steps < spec.steps))
    if not folder.is_dir():
        folder.mkdir(parents=True)
    name = f"turn-{report.turn}" + (f"-{side}" if side else "") + "-map.png"
    situation_png(game_map, load_print(session.root, catalog).layout, stacks, focus,
                  folder / name)
    return name


def _battle_images(game, state, report, folder: Path) -> list[str]:
    """The face each unit of the report's battles shows now (front, or back if reduced)."""
    from wargame.counters import unit_counter
    from wargame.loading.printdata import load_print
    from wargame.printing.png import export_faces

    session = game.session()
    catalog = session.catalog
    turn = state.turns[report.turn]
    labels = {line.label for line in report.lines}
    unit_ids = []
    for ruling in turn.rulings:
        if ruling["label"] in labels:
            for name in ruling.get("attackers", []) + ruling.get("defenders", []):
                if name.split(":")[0] not in unit_ids:
                    unit_ids.append(name.split(":")[0])
    counters = [unit_counter(catalog, catalog.units[uid]) for uid in unit_ids]
    export_faces(counters, load_print(session.root, catalog).layout, "3/4", 150, folder)
    names = []
    for uid in unit_ids:
        reduced = state.units[uid].steps < catalog.units[uid].steps
        names.append(f"{uid}-{'back' if reduced else 'front'}.png")
    return names


@game_group.command("stats")
@click.argument("source", type=click.Path(exists=True))
def game_stats(source) -> None:
    """Every roll so far against its expected distribution ("the dice hate me"), from a game
    folder or from an export (verified first)."""
    from wargame.pbp.stats import dice_report

    path = Path(source)
    if path.is_dir():
        game = _game(path)
    else:
        from wargame.pbp.verify import ExportedGame

        game = ExportedGame(path)
    for line in dice_report(game):
        click.echo(line)
