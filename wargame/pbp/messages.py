"""What players post and send, as text the umpire pastes back into the toolkit:

    wargame-commit game=ID turn=3 round=1 side=kpa orders=HASH nonce=HASH     (posted)
    wargame-orders game=ID turn=3 round=1 side=kpa salt=HEX                   (sent to the
    move 3 Inf to 1415                                                         umpire at the
    ...                                                                        deadline)
    wargame-end
    wargame-reveal game=ID turn=3 round=1 side=kpa sheet=HASH nonce=HEX       (posted)

Any text around them (a forum page, an e-mail with quoting) is ignored, so the umpire can
save a whole thread and hand it over."""

from __future__ import annotations

import re

import attrs

from wargame.errors import UsageError

COMMIT, ORDERS, END, REVEAL = "wargame-commit", "wargame-orders", "wargame-end", "wargame-reveal"
_FIELD = re.compile(r"([a-z]+)=(\S+)")
_QUOTE = re.compile(r"^\s*(?:>\s?)+")  # e-mail quoting


@attrs.frozen
class Message:
    kind: str  # commit, orders, reveal
    game: str
    turn: int
    round: int
    side: str
    fields: dict
    text: str = ""  # orders


def _header(line: str, tag: str) -> dict | None:
    line = _QUOTE.sub("", line).strip()
    if not line.startswith(tag + " "):
        return None
    return dict(_FIELD.findall(line[len(tag):]))


def _message(kind: str, fields: dict, where: str, text: str = "") -> Message:
    try:
        return Message(kind, fields["game"], int(fields["turn"]), int(fields["round"]),
                       fields["side"], fields, text)
    except (KeyError, ValueError):
        raise UsageError(f"{where}: a {kind} line needs game=, turn=, round= and side=") \
            from None


def read_messages(text: str, where: str = "messages") -> list[Message]:
    """Every message in a text, in order."""
    out = []
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        line = lines[index]
        for kind, tag in (("commit", COMMIT), ("reveal", REVEAL)):
            fields = _header(line, tag)
            if fields is not None:
                out.append(_message(kind, fields, f"{where}:{index + 1}"))
        fields = _header(line, ORDERS)
        if fields is not None:
            body = []
            index += 1
            while index < len(lines) and _QUOTE.sub("", lines[index]).strip() != END:
                body.append(_QUOTE.sub("", lines[index]))
                index += 1
            if index >= len(lines):
                raise UsageError(f"{where}: the orders that start at line {index - len(body)} "
                                 f"have no '{END}' line: the message was cut short")
            out.append(_message("orders", fields, f"{where}:{index + 1}", "\n".join(body)))
        index += 1
    return out


def commit_line(game: str, turn: int, round_: int, side: str, orders: str, nonce: str) -> str:
    return f"{COMMIT} game={game} turn={turn} round={round_} side={side} orders={orders} " \
           f"nonce={nonce}"


def orders_message(game: str, turn: int, round_: int, side: str, salt: str,
                   orders: str) -> str:
    return (f"{ORDERS} game={game} turn={turn} round={round_} side={side} salt={salt}\n"
            + orders.rstrip("\n") + f"\n{END}\n")


def reveal_line(game: str, turn: int, round_: int, side: str, sheet: str, nonce: str) -> str:
    return f"{REVEAL} game={game} turn={turn} round={round_} side={side} sheet={sheet} " \
           f"nonce={nonce}"
