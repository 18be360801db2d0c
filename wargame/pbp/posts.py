"""Turn results as posts: one report, rendered as BBCode (tables or a [code] block), Discord
Markdown (no tables, split under 2,000 characters a message), Reddit/Discourse Markdown
(pipe tables) and plain text. Data text is escaped for each format."""

from __future__ import annotations

import re

import attrs

from wargame.errors import UsageError
from wargame.pbp.game import GameState
from wargame.pbp.views import ruling_visible

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


def turn_report(state: GameState, turn: int | None, side: str | None) -> Report:
    """The results of a resolved turn (the last one by default)."""
    resolved = [t for t, ts in state.turns.items() if ts.seed is not None]
    if not resolved:
        raise UsageError("no turn has been resolved yet")
    turn = turn if turn is not None else max(resolved)
    if turn not in resolved:
        raise UsageError(f"turn {turn} has not been resolved")
    data = state.turns[turn]
    lines = []
    for ruling in data.rulings:
        if not ruling_visible(state, ruling, side):
            continue
        roll = data.rolls.get(ruling["label"])
        if roll is None:
            continue
        battle = " + ".join(ruling.get("attackers", []) or [str(ruling.get("attack", ""))]) \
            + " vs " + " + ".join(ruling.get("defenders", []) or [str(ruling.get("defend", ""))])
        stages = roll["stages"]
        odds = "; ".join(f"{s['table']} {s['column']}" + (f" {s['shift']:+d}sh" if s["shift"]
                         else "") + (f" {s['drm']:+d}drm" if s["drm"] else "") for s in stages)
        dice = "; ".join(
            " ".join("(" + ", ".join(map(str, term)) + ")" for term in s["faces"])
            + f" = {s['total']}" + (f", modified {s['modified']}"
                                     if s["modified"] not in (None, s["total"]) else "")
            for s in stages if s["faces"]) or "automatic"
        result = " > ".join(f"{s['result']}" for s in stages) or \
            f"lapsed: {roll.get('lapsed', 'no combat')}"
        effects = tuple(_change_text(change) for change in data.changes.get(ruling["label"], []))
        preview = ruling.get("preview", {})
        reasons = tuple(preview.get("explanation", []))
        voided = data.voided.get(ruling["label"])
        if voided:
            result += f" (VOID: {voided})"
        lines.append(Line(ruling["label"], battle, odds, dice, result, effects, reasons))
    nonces = ", ".join(f"{s}={n}" for s, n in sorted(data.nonces.items())) or "none"
    verification = (("game", state.game_id), ("anchor", state.start["anchor"]),
                    ("turn seed", data.seed), ("sheet hash", data.sheet_hash),
                    ("nonces", nonces), ("chain head", state.head),
                    ("tool", state.start["tool"]))
    return Report(f"{state.start['name']}: turn {turn} results", turn, tuple(lines),
                  verification)


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
    """The post as one or more messages."""
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
    rows = ["[tr][th]Roll[/th][th]Battle[/th][th]Odds[/th][th]Dice[/th][th]Result[/th][/tr]"]
    for line in report.lines:
        effects = "\n".join(e(x) for x in line.effects)
        rows.append(f"[tr][td]{e(line.label)}[/td][td]{e(line.battle)}[/td][td]{e(line.odds)}"
                    f"[/td][td]{e(line.dice)}[/td][td][b]{e(line.result)}[/b]\n{effects}[/td]"
                    "[/tr]")
    check = "\n".join(f"{k}: {v}" for k, v in report.verification)
    images = "".join(f"[img]{_url(u)}[/img]" for u in report.images)
    return (f"[b]{e(report.title)}[/b]\n[table]\n" + "\n".join(rows) + "\n[/table]\n"
            + (images + "\n" if images else "")
            + f"[size=85]Verification[/size]\n[code]{check}[/code]")


def _markdown(report: Report) -> str:
    e = escape_markdown

    def cell(text: str) -> str:
        return e(text).replace("\n", "<br>")

    out = [f"**{e(report.title)}**", "", "| Roll | Battle | Odds | Dice | Result |",
           "| --- | --- | --- | --- | --- |"]
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


def _change_text(change: dict) -> str:
    """What the record did to a unit, e.g. 'rok-7-div: eliminated'."""
    unit = change["unit"]
    if change["steps"] <= 0:
        state = "eliminated"
    else:
        state = f"{change['steps']} step{'s' if change['steps'] > 1 else ''} left"
    markers = f" [{', '.join(change['status'])}]" if change.get("status") else ""
    return f"{unit}: {state}{markers}"


def _url(address: str) -> str:
    """An image address as it may appear in a post: no spaces, brackets or quotes."""
    from urllib.parse import quote

    return quote(address, safe=":/?&=#%~+-._")
