"""Round results as posts: one report, rendered as BBCode (tables or a [code] block), Discord
Markdown (no tables, split under 2,000 characters a message), Reddit/Discourse Markdown
(pipe tables) and plain text. Units are named as on their counters and located by hex; data
text is escaped for each format. A side's post shows only what that side may see."""

from __future__ import annotations

import re

import attrs

from wargame.errors import UsageError
from wargame.maps.hexgrid import parse_hex
from wargame.pbp.state import GameState
from wargame.pbp.views import check_side, roll_visible, visible_units

DISCORD_LIMIT = 2000
ZERO_WIDTH = "\u200b"


@attrs.frozen
class Line:
    label: str
    battle: str
    odds: str
    dice: str
    result: str
    effects: tuple[str, ...]
    reasons: tuple[str, ...]


@attrs.frozen
class Report:
    title: str
    turn: int
    lines: tuple[Line, ...]
    verification: tuple[tuple[str, str], ...]
    images: tuple[str, ...] = ()  # addresses of counter images to show with the post
    sections: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (heading, items)
    round: int = 0


def _place(theatre, text: str) -> str:
    hex_ = parse_hex(text) if text else None
    return theatre.describe(hex_) if hex_ else text


def _battle_text(theatre, state, body: dict) -> str:
    pieces = state.play.position.pieces
    attackers = " + ".join(theatre.name(u) for u in body.get("attackers", []))
    defenders = " + ".join(theatre.name(u) for u in body.get("defenders", [])) or "nothing"
    where = _place(theatre, body.get("target", ""))
    kind = body.get("kind", "combat")
    if kind == "air strike":
        return f"{attackers} strike {where} ({defenders})"
    if kind == "air combat":
        return f"{attackers} engage {defenders} over {where}"
    del pieces
    return f"{attackers} attack {defenders} in {where}"


def _odds(body: dict) -> str:
    if body.get("kind") == "arrival":
        return f"needs {body['needs']} or more" + (f", {body['drm']:+d}" if body["drm"] else "")
    text = f"{body.get('table', '')} {body.get('column', '')}"
    if body.get("shift"):
        text += f" {body['shift']:+d} shift"
    if body.get("drm"):
        text += f" {body['drm']:+d} DRM"
    return text


def _dice(body: dict) -> str:
    if not body.get("faces"):
        return "automatic"
    text = " ".join("(" + ", ".join(map(str, term)) + ")" for term in body["faces"])
    text += f" = {body['total']}"
    if body.get("modified") not in (None, body["total"]):
        text += f", modified {body['modified']}"
    return text


def _cause_text(theatre, piece: dict, cause: dict) -> str | None:
    name = theatre.name(piece["unit"])
    by = cause.get("by")
    if by in ("move", "exploit"):
        path = cause.get("path", [])
        cost = f", {cause['cost']} MP" if cause.get("cost") else ""
        extra = f"; override: {cause['override']}" if cause.get("override") else ""
        verb = "moves" if by == "move" else "exploits"
        start = _place(theatre, path[0]) if len(path) > 1 else "its box"
        return f"{name} {verb} {start} to {_place(theatre, path[-1])}{cost}{extra}"
    if by == "arrival":
        where = _place(theatre, piece["hex"]) if piece["hex"] else \
            theatre.scenario.area(piece["box"]).name
        return f"{name} arrives at {where}"
    if by == "correction":
        return (f"correction by the umpire: {name} now {piece['steps']} steps"
                + (f" at {piece['hex']}" if piece["hex"] else f" in {piece['box']}")
                + f" ({cause.get('reason', '')})")
    if by == "supply":
        return f"{name}: {cause.get('text', '')}"
    return None


def round_report(state: GameState, theatre, turn: int | None, round_: int | None,
                 side: str | None) -> Report:
    """The results of a resolved round (the last one by default), as a side may see them."""
    check_side(state, side)
    resolved = sorted(r.key for r in state.rounds.values() if r.resolved)
    if not resolved:
        raise UsageError("no round has been resolved yet")
    if turn is None:
        key = resolved[-1]
    else:
        wanted = [k for k in resolved if k[0] == turn and (round_ is None or k[1] == round_ - 1)]
        if not wanted:
            raise UsageError(f"turn {turn}" + (f" round {round_}" if round_ else "")
                             + " has not been resolved")
        key = wanted[-1]
    record = state.rounds[key]
    visible = visible_units(state, side)
    rolls: dict[str, dict] = {}
    effects: dict[str, list[str]] = {}
    sections: dict[str, list[str]] = {}

    def add(heading: str, text: str) -> None:
        sections.setdefault(heading, []).append(text)

    for ruling in record.rulings:
        if ruling["kind"] == "override":
            add("Umpire's rulings", f"override of {ruling['side']}'s order line "
                f"{ruling['line']}: {ruling['reason']}")
    for kind, body in record.events:
        if kind == "roll":
            if roll_visible(state, body, side):
                rolls[body["label"]] = body
        elif kind == "note" and body.get("label"):
            effects.setdefault(body["label"], []).append(body["text"])
        elif kind == "refused":
            if side is None or body["side"] == side:
                add("Orders refused", f"{body['side']} line {body['line']} "
                    f"\u201c{body['text']}\u201d: {body['case']}: {body['reason']}"
                    + (f"; {body['legal']}" if body.get("legal") else ""))
        elif kind == "unit-change":
            piece, cause = body["piece"], body["cause"]
            own = side is None or piece["side"] == side
            if cause.get("by") == "correction":
                add("Umpire's rulings", _cause_text(theatre, piece, cause))
                continue
            if not own and piece["unit"] not in visible:
                continue
            text = _cause_text(theatre, piece, cause)
            if text is None:
                continue
            heading = {"move": "Movement", "exploit": "Exploitation", "arrival":
                       "Reinforcements", "supply": "Supply"}.get(cause.get("by"), "Other")
            if own or cause.get("by") in ("arrival",) and piece["unit"] in visible:
                add(heading, text)
        elif kind == "called":
            if side is None or body["side"] == side:
                add("Reinforcements", f"{theatre.name(body['unit'])} is called")
        elif kind == "game-over":
            add("Game over", _verdict(theatre, body))
    lines = []
    for label, body in rolls.items():
        lines.append(Line(label, _battle_text(theatre, state, body) if body.get("kind") !=
                          "arrival" else "arrival of " + ", ".join(theatre.name(u) for u in
                                                                   body["units"]),
                          _odds(body), _dice(body), body["result"],
                          tuple(effects.get(label, [])), tuple(body.get("explanation", []))))
    if state.over is None:
        from wargame.play.victory import History, outlook

        history = History(state.play.control_history, frozenset(state.play.called))
        sections["Victory if the game ended now"] = outlook(
            theatre, state.play.position, history, state.play.turn)
        sections["Next"] = [_next(state, theatre)]
    nonces = ", ".join(f"{s}={n}" for s, n in sorted(record.nonces.items())) or "none"
    verification = (("game", state.game_id), ("anchor", state.start["anchor"]),
                    ("round seed", record.seed), ("sheet hash", record.sheet_hash),
                    ("nonces", nonces), ("chain head", state.head),
                    ("tool", state.start["tool"]))
    player = theatre.scenario.sides_in_order()[record.round].id \
        if record.round < 2 else ""
    title = (f"{state.start['name']}: turn {record.turn}, round {record.round + 1}"
             + (f" ({player.upper() if len(player) <= 4 else player})" if player else "")
             + (f", as {side} sees it" if side else ""))
    return Report(title, record.turn, tuple(lines), verification,
                  sections=tuple((h, tuple(items)) for h, items in sections.items()),
                  round=record.round)


def _verdict(theatre, body: dict) -> str:
    if body.get("level") == "forfeit":
        return f"{(body['side'] or 'no one').upper()} wins by forfeit: {body['reason']}"
    if not body.get("side"):
        return f"the game is a draw ({body['reason']})"
    return f"{body['side'].upper()} {body['level']} victory: {body['reason']}"


def _next(state: GameState, theatre) -> str:
    from wargame.play.round import rounds_of

    player, phases = rounds_of(theatre.play)[state.round]
    first, second = theatre.scenario.sides_in_order()
    who = (first if player == "first" else second).id
    kinds = ", ".join(dict.fromkeys(p.kind for p in phases))
    return (f"turn {state.turn} of {state.start['turns']}, round {state.round + 1}: {kinds} "
            f"({who} moves). Each player commits orders with: wargame game commit --game-id "
            f"{state.game_id} --turn {state.turn} --round {state.round + 1} --side SIDE "
            "--orders-file orders.txt")


def turn_report(state: GameState, turn: int | None, side: str | None, theatre=None) -> Report:
    """The report of the latest round of a turn (kept for callers that speak of turns)."""
    return round_report(state, theatre, turn, None, side)


# ---- escaping ----------------------------------------------------------------------------------

def escape_bbcode(text: str) -> str:
    """A zero-width space after '[' stops every board from reading a tag; it shows as '['."""
    return text.replace("[", "[" + ZERO_WIDTH)


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]#|<>~])")  # what Markdown reads in a line


def escape_markdown(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text)


def escape_discord(text: str) -> str:
    return escape_markdown(text).replace("@", "@" + ZERO_WIDTH)


# ---- renderers ---------------------------------------------------------------------------------

def render(report: Report, style: str) -> list[str]:
    """The post as one or more messages; no control character reaches a board or a terminal
    (each is written as a visible escape)."""
    from wargame.text import shown

    return [shown(message, newlines=True) for message in _rendered(report, style)]


def _rendered(report: Report, style: str) -> list[str]:
    if style == "bbcode":
        return [_bbcode(report, tables=True)]
    if style == "bbcode-code":
        return [_bbcode(report, tables=False)]
    if style == "markdown":
        return [_markdown(report)]
    if style == "discord":
        return _discord(report)
    return [_plain(report)]


def _plain_lines(report: Report) -> list[str]:
    out = [report.title, ""]
    for heading, items in report.sections:
        out.append(heading + ":")
        out += [f"  - {item}" for item in items]
        out.append("")
    for line in report.lines:
        out.append(f"{line.label}  {line.battle}")
        out.append(f"  odds {line.odds}; dice {line.dice}; result {line.result}")
        out += [f"  {reason}" for reason in line.reasons if reason.startswith(("Shifts", "DRM"))]
        out += [f"  -> {effect}" for effect in line.effects]
    out += ["", "Verification:"] + [f"  {k}: {v}" for k, v in report.verification]
    return out


def _plain(report: Report) -> str:
    return "\n".join(_plain_lines(report))


def _bbcode(report: Report, tables: bool) -> str:
    e = escape_bbcode
    if not tables:
        # whatever its case, nothing in the text may close the code block
        body = re.sub(r"(?i)\[/code\]", lambda m: "[/" + ZERO_WIDTH + m.group(0)[2:],
                      "\n".join(_plain_lines(report)))
        return f"[b]{e(report.title)}[/b]\n[code]{body}[/code]"
    sections = "".join(f"[b]{e(heading)}[/b]\n[list]\n" + "".join(f"[*]{e(item)}\n"
                                                               for item in items) + "[/list]\n"
                       for heading, items in report.sections)
    rows = ["[tr][th]Roll[/th][th]Battle[/th][th]Odds[/th][th]Dice[/th][th]Result[/th][/tr]"]
    for line in report.lines:
        effects = "\n".join(e(x) for x in line.effects)
        rows.append(f"[tr][td]{e(line.label)}[/td][td]{e(line.battle)}[/td][td]{e(line.odds)}"
                    f"[/td][td]{e(line.dice)}[/td][td][b]{e(line.result)}[/b]\n{effects}[/td]"
                    "[/tr]")
    check = "\n".join(f"{k}: {v}" for k, v in report.verification)
    images = "".join(f"[img]{_url(u)}[/img]" for u in report.images)
    table = ("[table]\n" + "\n".join(rows) + "\n[/table]\n") if report.lines else ""
    return (f"[b]{e(report.title)}[/b]\n" + sections + table
            + (images + "\n" if images else "")
            + f"[size=85]Verification[/size]\n[code]{check}[/code]")


def _markdown(report: Report) -> str:
    e = escape_markdown

    def cell(text: str) -> str:
        return e(text).replace("\n", "<br>")

    out = [f"**{e(report.title)}**", ""]
    for heading, items in report.sections:
        out += [f"**{e(heading)}**", ""] + [f"- {e(item)}" for item in items] + [""]
    if report.lines:
        out += ["| Roll | Battle | Odds | Dice | Result |", "| --- | --- | --- | --- | --- |"]
    for line in report.lines:
        result = f"**{cell(line.result)}**" + "".join(f"<br>{cell(x)}" for x in line.effects)
        out.append(f"| {cell(line.label)} | {cell(line.battle)} | {cell(line.odds)} | "
                   f"{cell(line.dice)} | {result} |")
    if report.images:
        out += ["", " ".join(f"![{_url(u).rsplit('/', 1)[-1]}]({_url(u)})"
                             for u in report.images)]
    out += ["", "Verification:", ""] + [f"    {k}: {v}" for k, v in report.verification]
    return "\n".join(out)


def _discord(report: Report) -> list[str]:
    e = escape_discord
    blocks = [f"**{e(report.title)}**"]
    for heading, items in report.sections:
        blocks.append(f"**{e(heading)}**\n" + "\n".join(f"- {e(item)}" for item in items))
    for line in report.lines:
        block = [f"**{e(line.label)}** {e(line.battle)}",
                 f"odds {e(line.odds)} | dice `{line.dice}` | **{e(line.result)}**"]
        block += [f"> {e(x)}" for x in line.effects]
        blocks.append("\n".join(block))
    check = "\n".join(f"{k}: {v}" for k, v in report.verification)
    if report.images:
        blocks.append("\n".join(_url(u) for u in report.images))
    blocks.append(f"Verification:\n```\n{check}\n```")
    messages, current = [], ""
    for block in blocks:
        while len(block) > DISCORD_LIMIT - 10:  # one block longer than a message: cut it
            messages += [current] if current else []
            current = ""
            cut = block.rfind("\n", 0, DISCORD_LIMIT - 10)
            cut = cut if cut > 0 else DISCORD_LIMIT - 10
            messages.append(block[:cut])
            block = block[cut:].lstrip("\n")
        candidate = f"{current}\n\n{block}" if current else block
        if len(candidate) > DISCORD_LIMIT:
            messages.append(current)
            current = block
        else:
            current = candidate
    if current:
        messages.append(current)
    return messages


def _url(address: str) -> str:
    """An image address as it may appear in a post: no spaces, brackets or quotes."""
    from urllib.parse import quote

    return quote(address, safe=":/?&=#%~+-._")
