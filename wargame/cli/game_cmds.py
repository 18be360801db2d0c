"""`wargame game ...`: play by post from the command line.

An order round, as the umpire types it:

    wargame game lock game/ inbox/*        # the players' commit lines and orders
    wargame game resolve game/ inbox/*     # their reveal lines
    wargame game post game/ --each posts/  # a post for each side, and the umpire's
"""

from __future__ import annotations

import json
from pathlib import Path

import attrs
import click

from wargame.cli.params import PRINTABLE
from wargame.errors import UsageError
from wargame.text import shown


def echo(message: object = "", err: bool = False) -> None:
    """click.echo, with every control character written as a visible escape: a record's
    texts reach this terminal, and a crafted one must not move the cursor or erase a line."""
    click.echo(shown(str(message), newlines=True), err=err)


def _game(folder):
    from wargame.pbp.game import Game

    return _closed_with_command(Game(Path(folder)))


def _closed_with_command(game):
    """``game``, its record closed when the command ends: an open record in WAL mode leaves
    its latest events in ``game.sqlite-wal`` beside the record, and the process does not
    finalise what is left at exit (``wargame.cli.run``)."""
    click.get_current_context().call_on_close(game.close)
    return game


#: Orders, messages and secrets are a few KiB; a larger file is not one of them.
MAX_MESSAGE_BYTES = 4 * 1024 * 1024


def _read_text(path: str, what: str) -> str:
    from wargame.loading.bounded import read_text_bounded

    return read_text_bounded(Path(path), MAX_MESSAGE_BYTES, what)


def _read_orders(orders_file: str | None, orders_text: str | None) -> str:
    if (orders_file is None) == (orders_text is None):
        raise UsageError("give the orders either with --orders-file FILE or --orders TEXT")
    if orders_text is not None:
        return orders_text
    return _read_text(orders_file, "orders")


def _take(game, message_files) -> None:
    """Record what the players posted or sent, found in the message files."""
    from wargame.pbp.messages import read_messages

    for path in message_files:
        for line in game.take_messages(read_messages(_read_text(path, "messages"), path)):
            echo(f"  {line}")


@click.group("game")
def game_group() -> None:
    """Play-by-post games: the rules carry out orders, with dice every player can verify."""


@game_group.command("new")
@click.argument("scenario")
@click.argument("folder", type=click.Path(file_okay=False))
@click.option("--player", "players", multiple=True, metavar="SIDE=NAME",
              help="Who plays a side; repeatable.")
@click.option("--option", "options", multiple=True, metavar="ID",
              help="An option of the scenario to play with (see its booklet); repeatable.")
@click.pass_obj
def game_new(session, scenario, folder, players, options) -> None:
    """Start a game of SCENARIO, recorded in FOLDER."""
    from wargame.pbp.game import Game

    named = {}
    for item in players:
        side, _, name = item.partition("=")
        if not name:
            raise UsageError(f'--player: expected SIDE=NAME, found "{item}"')
        named[side] = name
    game = _closed_with_command(Game.new(session, scenario, Path(folder), named,
                                         tuple(options)))
    start = game.events()[0].body
    echo(f"Started {start['name']} ({start['scenario']}) in {folder}"
               + (f" with {', '.join(start['options'])}" if start["options"] else "") + ".")
    echo("Post this now:")
    echo(f"  game id: {start['game']}")
    echo(f"  seed-chain anchor: {start['anchor']}")
    echo(f"  first event (the chain's head): {game.events()[0].hash}")
    echo(f"  next: turn 1, round 1. Players commit with: wargame game commit --game-id "
               f"{start['game']} --turn 1 --round 1 --side SIDE --orders-file orders.txt")
    echo(f"Keep {Path(folder) / 'umpire-secret.json'} private: it holds the seeds.")


@game_group.command("commit")
@click.option("--game-id", required=True, help="The game id from the start post.")
@click.option("--turn", type=click.IntRange(1, 999), required=True)
@click.option("--round", "round_", type=click.IntRange(1, 9), required=True,
              help="The order round of the turn (1: the first player's).")
@click.option("--side", required=True)
@click.option("--orders-file", type=click.Path(dir_okay=False), help="Your orders.")
@click.option("--orders", "orders_text", help="Your orders, as text.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default=".",
              show_default=True, help="Where to write your secret and your orders message.")
def game_commit(game_id, turn, round_, side, orders_file, orders_text, out_dir) -> None:
    """(Player) Commit to orders and a fresh nonce: post the line it prints, send the orders
    message to the umpire at the deadline, keep the secret file."""
    from wargame.atomic import write_text
    from wargame.pbp import crypto
    from wargame.pbp.game import canonical_orders
    import secrets  # only when committing: reading commands skip it and random under it

    from wargame.pbp.messages import commit_line, orders_message

    orders = canonical_orders(_read_orders(orders_file, orders_text))
    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(16)
    folder = Path(out_dir)
    stem = f"{side}-turn-{turn}-round-{round_}"
    secret_file, message_file = folder / f"{stem}-secret.json", folder / f"{stem}-orders.txt"
    for target in (secret_file, message_file):
        if target.exists():
            raise UsageError(f"{target} exists: it holds an earlier commitment")
    write_text(secret_file, json.dumps({"game": game_id, "turn": turn, "round": round_,
                                        "side": side, "salt": salt.hex(),
                                        "nonce": nonce.hex()}))
    write_text(message_file, orders_message(game_id, turn, round_, side, salt.hex(), orders))
    orders_hash = crypto.order_commitment(game_id, turn, round_ - 1, side, orders, salt)
    nonce_hash = crypto.nonce_commitment(game_id, turn, round_ - 1, side, nonce)
    echo(commit_line(game_id, turn, round_, side, orders_hash, nonce_hash))
    echo(f"Post that line now. At the deadline send {message_file} to the umpire; keep "
               f"{secret_file} for your reveal after the lock.", err=True)


@game_group.command("check")
@click.argument("source", type=click.Path(exists=True))
@click.option("--side", required=True)
@click.option("--orders-file", type=click.Path(dir_okay=False))
@click.option("--orders", "orders_text")
def game_check(source, side, orders_file, orders_text) -> None:
    """Check orders against the game as it stands (a game folder or an export), before
    committing: each line the rules refuse, with its case, and the odds of each attack."""
    from wargame.play.round import RoundInput, run_round

    game = _source(source)
    state = game.state()
    if state.over:
        raise UsageError("the game is over")
    if side not in state.side_ids():
        raise UsageError(f'no side "{side}" in this game')
    orders = _read_orders(orders_file, orders_text)
    inputs = RoundInput(state.turn, state.round, {side: orders}, ())
    run = run_round(game.theatre(), state.play, inputs, None)
    refused = [b for k, b in run.events if k == "refused" and b["side"] == side]
    for body in refused:
        echo(f"line {body['line']}: {body['case']}: {body['reason']}"
                   + (f"; {body['legal']}" if body.get("legal") else ""))
    for battle in run.previews:
        if battle.get("side") != side:
            continue
        odds = ", ".join(f"{code} {p}" for code, p in battle["odds"].items())
        echo(f"{battle['label']} line {battle.get('line', '-')}: "
                   f"{battle.get('table')} {battle.get('column')}: {odds}")
    if refused:
        raise SystemExit(2)
    echo(f"All orders can be carried out as things stand (turn {state.turn}, round "
               f"{state.round + 1}).")


@game_group.command("order")
@click.argument("folder", type=click.Path(file_okay=False))
@click.option("--side", required=True)
@click.option("--orders-commitment", help="Record a side's posted commitments.")
@click.option("--nonce-commitment")
@click.option("--orders-file", type=click.Path(dir_okay=False), help="Record revealed orders.")
@click.option("--orders", "orders_text")
@click.option("--salt", help="The salt revealed with the orders.")
def game_order(folder, side, orders_commitment, nonce_commitment, orders_file, orders_text,
               salt) -> None:
    """(Umpire) Record a side's commitments, or its revealed orders (checked against them),
    one by one. `lock` does the same from the players' messages."""
    game = _game(folder)
    if orders_commitment or nonce_commitment:
        if not (orders_commitment and nonce_commitment):
            raise UsageError("give both --orders-commitment and --nonce-commitment")
        event = game.commit(side, orders_commitment, nonce_commitment)
        echo(f"Recorded {side}'s commitments as event {event.seq}.")
        return
    if salt is None:
        raise UsageError("to record revealed orders give --salt and --orders-file/--orders; "
                         "to record commitments give --orders-commitment and "
                         "--nonce-commitment")
    event = game.reveal_orders(side, _read_orders(orders_file, orders_text), salt)
    echo(f"{side}'s orders match their commitment; recorded as event {event.seq}.")


@game_group.command("rule")
@click.argument("folder", type=click.Path(file_okay=False))
@click.option("--correct", "unit", metavar="UNIT", help="Correct a unit (the umpire's "
              "judgement: a mistake found, a rule the toolkit does not know).")
@click.option("--steps", type=click.IntRange(0, 9))
@click.option("--hex", "hex_", metavar="CCRR")
@click.option("--box", metavar="AREA", help="A holding box, or eliminated.")
@click.option("--markers", help="Comma-separated markers (empty clears them).")
@click.option("--override", metavar="SIDE:LINE", help="Let the order on that line of a "
              "side's orders stand although the rules refuse it.")
@click.option("--reason", required=True, help="Why: every post shows it.", type=PRINTABLE)
def game_rule(folder, unit, steps, hex_, box, markers, override, reason) -> None:
    """(Umpire) Put a correction or an override on this round's sheet, before the lock."""
    game = _game(folder)
    if (unit is None) == (override is None):
        raise UsageError("give --correct UNIT or --override SIDE:LINE")
    if unit is not None:
        theatre = game.theatre()
        from wargame.play.orders import UnitNames

        unit_id = unit if unit in theatre.entries else None
        if unit_id is None:
            for side in theatre.sides():
                try:
                    unit_id = UnitNames(theatre, side).find(unit)
                    break
                except UsageError:
                    continue
        if unit_id is None:
            raise UsageError(f'no unit "{unit}" in this game')
        ruling = {"kind": "correct", "unit": unit_id, "reason": reason}
        if steps is not None:
            ruling["steps"] = steps
        if hex_ is not None:
            ruling.update(hex=hex_, box="")
        if box is not None:
            ruling.update(box=box, hex="")
        if markers is not None:
            ruling["markers"] = [m.strip() for m in markers.split(",") if m.strip()]
    else:
        side, _, line = override.partition(":")
        if not line.isdigit():
            raise UsageError(f'--override: expected SIDE:LINE like "kpa:3", found "{override}"')
        ruling = {"kind": "override", "side": side, "line": int(line), "reason": reason}
    event = game.rule(ruling)
    echo(f"On the sheet as event {event.seq}: {reason}")


@game_group.command("lock")
@click.argument("folder", type=click.Path(file_okay=False))
@click.argument("messages", nargs=-1, type=click.Path(exists=True, dir_okay=False))
@click.option("--deadline-passed", is_flag=True, help="Sides that did not commit or reveal "
              "their orders play none this round.")
def game_lock(folder, messages, deadline_passed) -> None:
    """(Umpire) Record the players' commit lines and orders found in MESSAGES, check the
    orders and lock the round's sheet. Post what it prints."""
    game = _game(folder)
    _take(game, messages)
    event = game.lock(deadline_passed)
    state = game.state()
    record = state.current
    plan = event.body["plan"]
    refused = game.plan(state)["refused"]  # their text is for each side alone, not the record
    theatre = game.theatre()
    echo("Post this now; players reveal only after it:")
    echo(f"  {state.start['name']}, turn {state.turn}, round {state.round + 1}: sheet "
         f"locked, {len(plan['battles'])} rolls planned, {len(refused)} orders refused")
    echo(f"  sheet hash: {event.body['sheet_hash']}")
    echo(f"  chain head: {event.hash}")
    for side in state.side_ids():
        if side in record.commitments:
            c = record.commitments[side]
            echo(f"  {side}: committed orders {c['orders']} nonce {c['nonce']}")
        if side in record.defaults:
            echo(f"  {side}: defaulted ({record.defaults[side]})")
    for ruling in record.rulings:
        echo(f"  umpire's ruling: {_ruling_text(theatre, ruling)}")
    echo("Players: wargame game reveal --make --secret YOUR-SECRET-FILE --sheet "
               f"{event.body['sheet_hash']}")
    echo("Refused orders (tell each side its own):", err=True) if refused else None
    for body in refused:
        echo(f"  {body['side']} line {body['line']}: {body['case']}: {body['reason']}",
                   err=True)


def _ruling_text(theatre, ruling: dict) -> str:
    if ruling["kind"] == "override":
        return f"{ruling['side']}'s order line {ruling['line']} stands: {ruling['reason']}"
    return f"correction of {theatre.name(ruling['unit'])}: {ruling['reason']}"


REVEAL_TAG = "wargame-reveal"


@game_group.command("reveal")
@click.argument("folder", type=click.Path(file_okay=False), required=False)
@click.option("--make", is_flag=True, help="(Player) Make your reveal line from your secret "
              "file and the sheet hash the umpire posted; post the line it prints.")
@click.option("--secret", "secret_file", type=click.Path(dir_okay=False),
              help="(Player, with --make) Your secret file from `wargame game commit`.")
@click.option("--sheet", help="The locked sheet's hash, as posted by the umpire.")
@click.option("--message", help="(Umpire) A player's posted reveal line, to record.")
def game_reveal(folder, make, secret_file, sheet, message) -> None:
    """Reveal a side's nonce for the locked sheet.

    A player makes the reveal on their own machine (--make), naming the sheet hash they saw
    posted; the umpire records the posted line (FOLDER --message), or hands the lines to
    `resolve`. The record takes a reveal only for the sheet actually locked.
    """
    from wargame.pbp.messages import read_messages, reveal_line

    if make:
        if not (secret_file and sheet):
            raise UsageError("--make needs --secret FILE and --sheet HASH")
        try:
            secret = json.loads(_read_text(secret_file, "secret"))
            fields = {k: secret[k] for k in ("game", "turn", "round", "side", "nonce")}
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise UsageError(f"{secret_file}: not a secret file from `wargame game commit` "
                             f"({exc})") from None
        echo(reveal_line(fields["game"], fields["turn"], fields["round"], fields["side"],
                               _sheet_hash(sheet), fields["nonce"]))
        return
    if folder is None or message is None:
        raise UsageError("give the game FOLDER and --message LINE to record a reveal (or "
                         "--make to make one)")
    game = _game(folder)
    found = [m for m in read_messages(message, "--message") if m.kind == "reveal"]
    if not found:
        raise UsageError(f'--message: expected a line starting "{REVEAL_TAG}"')
    taken = game.take_messages(found)
    if not taken:
        raise UsageError("--message: that reveal is not for this game's current round")
    echo(taken[0])


def _sheet_hash(value: str) -> str:
    value = value.strip().lower()
    if len(value) != 64 or any(c not in "0123456789abcdef" for c in value):
        raise UsageError(f'--sheet: expected the 64-digit sheet hash, found "{value}"')
    return value


@game_group.command("default")
@click.argument("folder", type=click.Path(file_okay=False))
@click.option("--side", required=True)
@click.option("--reason", default="no commitment by the deadline", show_default=True,
              type=PRINTABLE)
def game_default(folder, side, reason) -> None:
    """(Umpire) Record that a side did not commit by the deadline (it plays no orders this
    round); the lock's post lists it."""
    event = _game(folder).default(side, reason)
    echo(f"{side} recorded as defaulted for this round (event {event.seq}).")


@game_group.command("resolve")
@click.argument("folder", type=click.Path(file_okay=False))
@click.argument("messages", nargs=-1, type=click.Path(exists=True, dir_okay=False))
@click.option("--deadline-passed", is_flag=True,
              help="Sides that did not reveal their nonce forfeit the game (15.4).")
def game_resolve(folder, messages, deadline_passed) -> None:
    """(Umpire) Record the reveal lines found in MESSAGES, reveal the round's seed and carry
    the round out by the rules."""
    game = _game(folder)
    _take(game, messages)
    state = game.state()
    turn, round_ = state.turn, state.round
    events = game.resolve(deadline_passed)
    if events and events[0].kind == "forfeit":
        from wargame.pbp.posts import _verdict

        echo(f"GAME OVER: {_verdict(game.theatre(), game.state().over)}. Post it with "
             f"`wargame game post {folder}`.")
        return
    rolls = sum(1 for e in events if e.kind == "roll")
    over = next((e.body for e in events if e.kind == "game-over"), None)
    echo(f"Turn {turn}, round {round_ + 1} carried out: {len(events)} events, {rolls} "
               f"rolls. Post it with `wargame game post {folder}`.")
    if over:
        from wargame.pbp.posts import _verdict

        echo(f"GAME OVER: {_verdict(game.theatre(), over)}")


@game_group.command("status")
@click.argument("source", type=click.Path(exists=True))
@click.option("--side", help="Only what this side can see (fog of war).")
@click.option("--json", "as_json", is_flag=True)
def game_status(source, side, as_json) -> None:
    """The game's turn, round, who must act next, and the units (a side's own view with
    --side)."""
    from wargame.cli.output import print_json, print_table
    from wargame.pbp.views import visible_units

    game = _source(source)
    state = game.state()
    theatre = game.theatre()
    units = visible_units(state, side)
    waiting = _waiting(state)
    if as_json:
        print_json({"turn": state.turn, "round": state.round + 1, "phase": state.phase,
                    "waiting": waiting, "over": state.over, "head": state.head,
                    "units": {uid: {"name": theatre.name(uid), **p.as_record()}
                              for uid, p in units.items()}})
        return
    if state.over:
        from wargame.pbp.posts import _verdict

        echo(f"{state.start['name']} (game {state.game_id}): over after turn "
                   f"{state.over['turn']}: {_verdict(theatre, state.over)}")
    else:
        echo(f"{state.start['name']} (game {state.game_id}): turn {state.turn} of "
                   f"{state.start['turns']}, round {state.round + 1}, phase {state.phase}; "
                   f"waiting for {waiting}; {state.count} events, head {state.head[:16]}")
    rows = []
    for uid, piece in units.items():
        where = theatre.describe(piece.at) if piece.on_map else (
            "arrives later" if piece.box == "pool" else piece.box)
        rows.append([theatre.name(uid), piece.side, where,
                     str(piece.steps) if piece.alive else "eliminated",
                     ", ".join(piece.markers)])
    print_table(["unit", "side", "where", "steps", "markers"], rows, numeric=(3,))


def _waiting(state) -> str:
    if state.over:
        return "nothing: the game is over"
    record = state.current
    if state.phase == "orders":
        missing = [s for s in state.side_ids() if s not in record.commitments
                   and s not in record.defaults]
        if missing:
            return "the commitments of " + ", ".join(missing)
        unrevealed = [s for s in record.commitments if s not in record.orders]
        if unrevealed:
            return "the orders of " + ", ".join(unrevealed)
        return "the umpire to lock the sheet"
    missing = [s for s in record.commitments if s not in record.nonces]
    if missing:
        return "the reveals of " + ", ".join(missing)
    return "the umpire to resolve the round"


def _source(source):
    """A game folder, or a verified export read like one."""
    path = Path(source)
    if path.is_dir():
        return _game(path)
    from wargame.pbp.verify import ExportedGame

    return ExportedGame(path)


@game_group.command("log")
@click.argument("folder", type=click.Path(file_okay=False))
def game_log(folder) -> None:
    """Every event of the record, oldest first."""
    for event in _game(folder).events():
        summary = json.dumps(event.body, ensure_ascii=False, sort_keys=True)
        if len(summary) > 100:
            summary = summary[:97] + "..."
        echo(f"{event.seq:5d} T{event.turn:02d} {event.kind:15s} {event.hash[:12]} "
                   f"{summary}")


@game_group.command("verify")
@click.argument("source", type=click.Path(exists=True))
@click.option("--head", "heads", multiple=True, metavar="HASH",
              help="A chain head from a post you saw (repeatable): it must be in the record.")
@click.option("--sheet", "sheets", multiple=True, metavar="HASH",
              help="A sheet hash from a lock post you saw: the dice must have used it.")
@click.option("--reveal", "reveals", multiple=True, metavar="LINE",
              help="Your posted reveal line: the round must have been resolved with it.")
@click.option("--commitment", "commitments", multiple=True, metavar="HASH",
              help="An orders commitment you posted: whose and which round it is recorded "
                   "for.")
@click.option("--side", help="With --commitment: your side (a commitment recorded for "
              "another side fails).")
def game_verify(source, heads, sheets, reveals, commitments, side) -> None:
    """Verify a game folder or an exported game file from scratch (every round carried out
    again by the rules, every die re-derived), and that the heads and sheets you saw posted
    are the ones it holds."""
    from wargame.pbp.game import DATA_FOLDER
    from wargame.pbp.verify import (
        check_published,
        commitment_recorded,
        events_of_export,
        reveal_used,
        verify_events,
    )

    path = Path(source)
    if path.is_dir():
        events = _game(path).events()
        verdict = verify_events(events, path / DATA_FOLDER)
    else:
        events, verdict = events_of_export(path)
    problems = check_published(events, list(heads), list(sheets)) if verdict.ok else []
    notes = []
    if verdict.ok:
        problems += [p for p in (reveal_used(events, line) for line in reveals) if p]
        for commitment in commitments:
            text = commitment_recorded(events, commitment, side)
            (problems if text.startswith("NOT") else notes).append(text)
    if verdict.ok and not problems:
        echo(verdict.describe())
        for head in heads:
            echo(f"  head {head[:16]}: in the chain")
        for sheet in sheets:
            echo(f"  sheet {sheet[:16]}: the dice used it")
        for note in notes:
            echo(f"  {note}")
        return
    for problem in problems or [verdict.describe()]:
        echo(f"NOT VERIFIED: {problem}", err=True)
    raise SystemExit(3)


@game_group.command("export")
@click.argument("folder", type=click.Path(file_okay=False))
@click.option("--output", "-o", type=click.Path(dir_okay=False), required=True)
@click.option("--html", "as_html", is_flag=True, help="Write one self-contained HTML page "
              "that verifies the game in the browser (WebCrypto; no network, no server).")
@click.option("--side", help="A side's export: the other sides' orders are left out (their "
              "digests stay, so it still verifies).")
@click.option("--vsav", "as_vsav", is_flag=True, help="With --side: the situation as a VASSAL "
              "saved game of the scenario's module (what the side may see).")
def game_export(folder, output, as_html, side, as_vsav) -> None:
    """A self-contained copy of the game that any player can verify: JSON for `wargame game
    verify`, or an HTML page that verifies itself; or a side's situation as a VASSAL saved
    game (--vsav)."""
    from wargame.atomic import write_text
    from wargame.pbp.verify import export_game

    game = _game(folder)
    if side is not None and side not in game.state().side_ids():
        raise UsageError(f'no side "{side}" in this game; its sides are '
                         + ", ".join(game.state().side_ids()))
    if as_vsav:
        from wargame.vassal.situation import write_vsav

        if side is None or as_html:
            raise UsageError("--vsav writes one side's view: give --side (and not --html)")
        from wargame.loading.printdata import load_print

        state = game.state()
        session = game.session()
        markers = load_print(session.root, session.catalog).markers
        placed = write_vsav(game.theatre(), state, side, Path(output), markers)
        echo(f"Wrote {output}: {len(placed)} pieces as {side} sees them on turn {state.turn}. "
             f"Open it in VASSAL with the module of `wargame export vassal -s "
             f"{state.start['scenario']}`.")
        return
    document = export_game(Path(folder), game.events(), side)
    if as_html:
        from wargame.pbp.browser import verifier_page

        state = game.state()
        write_text(output, verifier_page(document, game.session().rules, state.start["name"]))
        echo(f"Wrote {output}: open it in a browser to verify {len(document['events'])} "
                   "events.")
        return
    write_text(output, json.dumps(document, ensure_ascii=False, indent=1))
    echo(f"Wrote {output}: {len(document['events'])} events. Players check it with "
               f"`wargame game verify {Path(output).name}`.")


@game_group.command("from-vlog")
@click.argument("source", type=click.Path(exists=True))
@click.argument("vlog", type=click.Path(exists=True, dir_okay=False))
@click.option("--side", required=True, help="The side whose moves the log holds.")
@click.option("--output", "-o", type=click.Path(dir_okay=False),
              help="Write the orders to this file (default: print them).")
def game_from_vlog(source, vlog, side, output) -> None:
    """A side's moves made in VASSAL (a PBEM log saved from the --vsav situation) as order
    lines, to check and commit like typed ones; attacks and choices are typed after them."""
    from wargame.loading.bounded import not_a_file
    from wargame.vassal.situation import orders_from_log

    game = _source(source)
    state = game.state()
    if side not in state.side_ids():
        raise UsageError(f'no side "{side}" in this game; its sides are '
                         + ", ".join(state.side_ids()))
    problem = not_a_file(Path(vlog))
    if problem:
        raise UsageError(f"{vlog}: {problem}")
    try:
        lines, notes = orders_from_log(game.theatre(), state, side, Path(vlog))
    except ValueError as exc:
        raise UsageError(f"{vlog}: {exc}") from None
    text = "\n".join([f"# {note}" for note in notes] + lines) + "\n"
    if output:
        from wargame.atomic import write_text

        write_text(output, text)
        echo(f"Wrote {output}: {len(lines)} orders from {Path(vlog).name}"
             + (f", {len(notes)} notes" if notes else "") + ".")
        return
    echo(text.rstrip("\n"))


@game_group.command("post")
@click.argument("folder", type=click.Path(file_okay=False))
@click.option("--turn", type=click.IntRange(1, 999), help="The turn to report (default: the "
              "last resolved round).")
@click.option("--round", "round_", type=click.IntRange(1, 9), help="With --turn: the round.")
@click.option("--format", "style", type=click.Choice(["bbcode", "bbcode-code", "discord",
                                                      "markdown", "text"]),
              default="bbcode", show_default=True)
@click.option("--side", help="Only what this side may see.")
@click.option("--each", "each_dir", type=click.Path(file_okay=False),
              help="Write a post for each side (what it may see) and the umpire's full one "
                   "into this folder.")
@click.option("--images", "images_dir", type=click.Path(file_okay=False),
              help="Also write the counter image of every unit in these battles here.")
@click.option("--image-url", help="Where the images will be online (adds them to the post).")
@click.option("--map", "map_dir", type=click.Path(file_okay=False),
              help="Also write a situation map of the round's battles here (PNG, at most "
                   "1600 px a side), as the side given with --side may see it.")
def game_post(folder, turn, round_, style, side, each_dir, images_dir, image_url,
              map_dir) -> None:
    """The round's results, ready to paste (Discord output is split into messages)."""
    from wargame.atomic import write_text
    from wargame.pbp.posts import render, round_report

    game = _game(folder)
    state = game.state()
    theatre = game.theatre()
    if each_dir:
        folder_out = Path(each_dir)
        if not folder_out.is_dir():
            folder_out.mkdir(parents=True)
        for who in state.side_ids() + [None]:
            report = round_report(state, theatre, turn, round_, who)
            name = f"turn-{report.turn}-round-{report.round + 1}-{who or 'umpire'}.txt"
            write_text(folder_out / name, "\n\n".join(render(report, style)) + "\n")
            echo(f"Wrote {folder_out / name}")
        return
    report = round_report(state, theatre, turn, round_, side)
    written = []
    if images_dir:
        written += _battle_images(game, state, report, Path(images_dir))
        echo(f"Wrote {len(written)} counter images to {images_dir}/.", err=True)
    if map_dir:
        name = _situation_map(game, state, report, side, Path(map_dir))
        echo(f"Wrote the situation map {Path(map_dir) / name}; attach it to the post.",
                   err=True)
        written = [name] + written
    if written and image_url:
        report = attrs.evolve(report, images=tuple(
            image_url.rstrip("/") + "/" + name for name in written))
    messages = render(report, style)
    for index, message in enumerate(messages):
        if len(messages) > 1:
            echo(f"----- message {index + 1} of {len(messages)} -----")
        echo(message)


def _battle_units(state, report) -> list[str]:
    record = state.rounds[(report.turn, report.round)]
    labels = {line.label for line in report.lines}
    out = []
    for kind, body in record.events:
        if kind == "roll" and body["label"] in labels:
            for unit in body.get("attackers", []) + body.get("defenders", []):
                if unit not in out:
                    out.append(unit)
    return out


def _situation_map(game, state, report, side, folder: Path) -> str:
    """The map around this round's battles with the counters a side may see; its file name."""
    from wargame.counters import unit_counter
    from wargame.loading.printdata import load_print
    from wargame.maps.hexgrid import parse_hex
    from wargame.pbp.views import visible_units
    from wargame.printing.situation import situation_png

    session = game.session()
    theatre = game.theatre()
    game_map = theatre.need_map()
    catalog = session.catalog
    record = state.rounds[(report.turn, report.round)]
    labels = {line.label for line in report.lines}
    focus = [parse_hex(body["target"]) for kind, body in record.events
             if kind == "roll" and body["label"] in labels and body.get("target")]
    if not focus:
        raise UsageError(f"--map: no battle of turn {report.turn} round {report.round + 1} is "
                         "on the map")
    stacks: dict = {}
    for uid, piece in visible_units(state, side).items():
        if piece.alive and piece.on_map:
            spec = catalog.units[uid]
            stacks.setdefault(piece.at, []).append(
                (unit_counter(catalog, spec), piece.steps < spec.steps))
    if not folder.is_dir():
        folder.mkdir(parents=True)
    name = f"turn-{report.turn}-round-{report.round + 1}" + (f"-{side}" if side else "") \
        + "-map.png"
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
    unit_ids = _battle_units(state, report)
    counters = [unit_counter(catalog, catalog.units[uid]) for uid in unit_ids]
    export_faces(counters, load_print(session.root, catalog).layout, "3/4", 150, folder)
    names = []
    for uid in unit_ids:
        reduced = state.play.position[uid].steps < catalog.units[uid].steps
        names.append(f"{uid}-{'back' if reduced else 'front'}.png")
    return names


@game_group.command("stats")
@click.argument("source", type=click.Path(exists=True))
def game_stats(source) -> None:
    """Every roll so far against its expected distribution ("the dice hate me"), from a game
    folder or from an export (verified first)."""
    from wargame.pbp.stats import dice_report

    for line in dice_report(_source(source)):
        echo(line)
