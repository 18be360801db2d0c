"""Orders as a player types them in a forum post or a file, one order a line:

    move 3 Inf to 1415                 the cheapest legal path to a hex
    move 107 Tk 1512 1513 1514         or every hex of the path
    attack 1514 with 3 Inf, 107 Tk advance 107 Tk
    attack 0604 with 88 Inf using advisers
    exploit 107 Tk to 1616             after combat, if the unit did not attack
    air F-80/1 FB cap 1720             also: strike HEX, support HEX
    embark 118 Inf on Junk 1, Junk 2   board lift units in a port (end of movement)
    move Junk 1 to 1210                ships and lifts move over sea hexes
    land 118 Inf at 1112               ashore on a beach or a port next to its lift
    drop 89/1 Abn at 2414              airborne units drop from an airfield or box
    raid 1506 with Reg1 Gu             a guerrilla action against a road or garrison
    enter 24 Mot at 2829               where a reinforcement or a unit in a box enters
    call 7 Mot                         bring in a unit that arrives only when called
    losses 107 Tk, 3 Inf               standing order: take step losses from these first
    retreat 7 Inf via 1513 1514        standing order: this path when it must retreat
    retreat 7 Inf toward 1620          or the retreat that ends nearest a hex

Units are named as on their counters (the short name, with the faction in front when two
units of a side share it, e.g. "US 24 Mot") or by id. ``#`` starts a comment; list bullets
("-", "*", "1.") are ignored, so a pasted list reads as orders. Parsing checks only the
words; the rules of play (wargame.play.round) decide whether each order can be carried out.
"""

from __future__ import annotations

import re

import attrs

from wargame.maps.hexgrid import Hex, parse_hex
from wargame.play.refusal import Refusal
from wargame.play.theatre import Theatre

CASE = "15.3"  # the series rules' case on orders
VERBS = ("move", "attack", "exploit", "air", "enter", "call", "losses", "retreat", "embark",
         "land", "drop", "raid")
MISSIONS = ("cap", "strike", "support")
_BULLET = re.compile(r"^\s*(?:[-*\u2022]|\d+[.)])\s+")
_HEX = re.compile(r"^\d{4}$")


@attrs.frozen
class Order:
    """One line of orders, with its units resolved to ids and its hexes parsed."""

    line: int
    text: str
    verb: str
    unit: str = ""
    units: tuple[str, ...] = ()
    path: tuple[Hex, ...] = ()  # move/exploit/retreat via: hexes after the start
    to: Hex | None = None  # move/exploit to, attack target, air target, enter at, toward
    mission: str = ""  # air: cap, strike, support
    advance: tuple[str, ...] = ()  # attack: units that advance after combat
    advance_to: Hex | None = None  # attack: the further hex of a two-hex advance
    using: tuple[str, ...] = ()  # attack: chosen modifiers

    def as_record(self) -> dict:
        return {"line": self.line, "text": self.text}


@attrs.frozen
class Orders:
    """A side's orders: what parsed, and the lines that did not (each with its reason)."""

    side: str
    orders: tuple[Order, ...]
    errors: tuple[tuple[int, str, Refusal], ...] = ()

    def of(self, *verbs: str) -> list[Order]:
        return [o for o in self.orders if o.verb in verbs]


class UnitNames:
    """How a side's players name its units."""

    def __init__(self, theatre: Theatre, side: str):
        self.theatre, self.side = theatre, side
        self.by_name: dict[str, list[str]] = {}
        for unit_id, unit_side in theatre.unit_side.items():
            unit = theatre.unit(unit_id)
            names = {unit_id, theatre.catalog.short_name(unit),
                     f"{theatre.catalog.factions[unit.faction].short} "
                     f"{theatre.catalog.short_name(unit)}", unit.designation}
            for name in names:
                self.by_name.setdefault(_norm(name), []).append(unit_id)

    def find(self, text: str) -> str:
        key = _norm(text)
        found = self.by_name.get(key, [])
        own = [u for u in found if self.theatre.unit_side[u] == self.side]
        if len(set(own)) == 1:
            return own[0]
        if len(set(own)) > 1:
            names = ", ".join(sorted({self.theatre.name(u) for u in set(own)}))
            raise Refusal(CASE, f'"{text}" could be any of {names}', "name it as on the "
                          "counter with its faction, or by its id")
        if found:
            raise Refusal(CASE, f'"{text}" is not a unit of this side')
        from wargame.loading.validate import did_you_mean

        own_names = [self.theatre.name(u) for u, s in self.theatre.unit_side.items()
                     if s == self.side]
        raise Refusal(CASE, f'no unit called "{text}"{did_you_mean(text, own_names)}')


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


def _hexes(tokens: list[str]) -> tuple[Hex, ...]:
    out = []
    for token in tokens:
        if not _HEX.match(token):
            raise Refusal(CASE, f'"{token}" is not a hex number (four digits, like 1514)')
        out.append(parse_hex(token))
    return tuple(out)


def _split_units(names: UnitNames, text: str) -> tuple[str, ...]:
    parts = [p.strip() for p in re.split(r",|\band\b", text) if p.strip()]
    if not parts:
        raise Refusal(CASE, "no unit named")
    return tuple(names.find(p) for p in parts)


def _unit_then_hexes(names: UnitNames, words: str):
    """'3 Inf to 1415' / '107 Tk 1512 1513' / '7 Inf via 1513 1514 to 1515': (unit, path,
    destination)."""
    tokens = words.split()
    hexes = []
    while tokens and _HEX.match(tokens[-1]):
        hexes.insert(0, tokens.pop())
    to_only = False
    if tokens and tokens[-1].casefold() == "to":
        tokens.pop()
        to_only = True
        # "via 1512 1513 to 1514": the path is the via part and the destination
        if "via" in [t.casefold() for t in tokens]:
            at = [t.casefold() for t in tokens].index("via")
            via = tokens[at + 1:]
            tokens = tokens[:at]
            return names.find(" ".join(tokens)), _hexes(via) + _hexes(hexes), None
    elif tokens and tokens[-1].casefold() == "via":
        tokens.pop()
    if not tokens:
        raise Refusal(CASE, "no unit named")
    if not hexes:
        raise Refusal(CASE, "no hex given: write 'to HEX' or the hexes of the path")
    unit = names.find(" ".join(tokens))
    if to_only:
        if len(hexes) != 1:
            raise Refusal(CASE, "'to' takes one hex: the destination")
        return unit, (), hexes and parse_hex(hexes[0])
    return unit, _hexes(hexes), None


def parse_line(names: UnitNames, number: int, raw: str) -> Order | None:
    """One line (None for a blank or comment line); raises Refusal for a line that does not
    read as an order."""
    text = _BULLET.sub("", raw.split("#", 1)[0]).strip()
    if not text:
        return None
    verb, _, rest = text.partition(" ")
    verb = verb.casefold().rstrip(":")
    rest = rest.strip()
    if verb not in VERBS:
        raise Refusal(CASE, f'"{verb}" is not an order', "orders start with one of: "
                      + ", ".join(VERBS))
    base = dict(line=number, text=raw.strip(), verb=verb)
    if verb in ("move", "exploit"):
        unit, path, to = _unit_then_hexes(names, rest)
        return Order(unit=unit, path=path, to=to, **base)
    if verb == "attack":
        match = re.match(r"^(\d{4})\s+with\s+(.+)$", rest, re.IGNORECASE)
        if not match:
            raise Refusal(CASE, "expected 'attack HEX with UNIT, UNIT'")
        target = parse_hex(match[1])
        tail = match[2]
        using: tuple[str, ...] = ()
        found = re.search(r"\s+using\s+(.+)$", tail, re.IGNORECASE)
        if found:
            using = tuple(u.strip().casefold() for u in found[1].split(",") if u.strip())
            tail = tail[:found.start()]
        advance: tuple[str, ...] = ()
        advance_to = None
        found = re.search(r"\s+advance\s+(.+)$", tail, re.IGNORECASE)
        if found:
            words = found[1].strip()
            tail = tail[:found.start()]
            further = re.search(r"\s+to\s+(\d{4})$", words, re.IGNORECASE)
            if further:
                advance_to = parse_hex(further[1])
                words = words[:further.start()]
            advance = ("*",) if words.casefold() == "all" else _split_units(names, words)
        attackers = _split_units(names, tail)
        if advance == ("*",):
            advance = attackers
        return Order(units=attackers, to=target, advance=advance, advance_to=advance_to,
                     using=using, **base)
    if verb == "air":
        tokens = rest.split()
        target = ()
        if len(tokens) >= 4 and _HEX.match(tokens[-2]) and tokens[-3].casefold() == "strike":
            target = (tokens.pop().casefold(),)  # an installation in the hex
        if len(tokens) < 3 or tokens[-2].casefold() not in MISSIONS or \
                not _HEX.match(tokens[-1]):
            raise Refusal(CASE, "expected 'air UNIT cap|strike|support HEX' (a strike may "
                          "name an installation of the hex after it)")
        return Order(unit=names.find(" ".join(tokens[:-2])), mission=tokens[-2].casefold(),
                     to=parse_hex(tokens[-1]), using=target, **base)
    if verb in ("enter", "land", "drop"):
        match = re.match(r"^(.+?)\s+at\s+(\d{4})(?:\s+using\s+(.+))?$", rest, re.IGNORECASE)
        if not match:
            raise Refusal(CASE, f"expected '{verb} UNIT at HEX'")
        using = tuple(u.strip().casefold() for u in (match[3] or "").split(",") if u.strip())
        return Order(unit=names.find(match[1]), to=parse_hex(match[2]), using=using, **base)
    if verb == "embark":
        match = re.match(r"^(.+?)\s+on\s+(.+)$", rest, re.IGNORECASE)
        if not match:
            raise Refusal(CASE, "expected 'embark UNIT on LIFT[, LIFT]'")
        return Order(unit=names.find(match[1]), units=_split_units(names, match[2]), **base)
    if verb == "raid":
        match = re.match(r"^(\d{4})\s+with\s+(.+)$", rest, re.IGNORECASE)
        if not match:
            raise Refusal(CASE, "expected 'raid HEX with UNIT'")
        return Order(to=parse_hex(match[1]), units=_split_units(names, match[2]), **base)
    if verb == "call":
        return Order(unit=names.find(rest), **base)
    if verb == "losses":
        if rest.casefold() == "default":
            return Order(units=(), **base)
        return Order(units=_split_units(names, rest), **base)
    # retreat
    match = re.match(r"^(.+?)\s+toward\s+(\d{4})$", rest, re.IGNORECASE)
    if match:
        return Order(unit=names.find(match[1]), to=parse_hex(match[2]), **base)
    match = re.match(r"^(.+?)\s+via\s+([\d\s]+)$", rest, re.IGNORECASE)
    if not match:
        raise Refusal(CASE, "expected 'retreat UNIT via HEX [HEX]' or 'retreat UNIT toward "
                      "HEX'")
    return Order(unit=names.find(match[1]), path=_hexes(match[2].split()), **base)


def parse_orders(theatre: Theatre, side: str, text: str) -> Orders:
    """Every line of a side's orders: the orders that read, and the lines that do not."""
    names = UnitNames(theatre, side)
    orders, errors = [], []
    for number, raw in enumerate(text.splitlines(), start=1):
        try:
            order = parse_line(names, number, raw)
        except Refusal as refusal:
            errors.append((number, raw.strip(), refusal))
            continue
        if order is not None:
            orders.append(order)
    return Orders(side, tuple(orders), tuple(errors))
