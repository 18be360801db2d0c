"""Fog of war in a side's export: which events of the record that side may read, and which it
gets only as digests (15.2). A digest still links the chain and commits to the event, so the
side verifies the chain, every die it may see and every event it may read; the full export
(after the game, or by agreement) shows that each digest stood for what happened."""

from __future__ import annotations

from wargame.maps.hexgrid import distance, parse_hex
from wargame.pbp import crypto
from wargame.pbp.record import Event
from wargame.pbp.state import apply_event
from wargame.pbp.views import roll_visible
from wargame.play.state import KINDS as PLAY_KINDS

#: Events every side sees: the turn's structure and the game's end.
PUBLIC_KINDS = {"phase", "round-end", "turn-end", "game-over", "history"}
#: What a side's export may hold as a digest (besides the other sides' orders).
REDACTABLE = tuple(k for k in PLAY_KINDS if k not in PUBLIC_KINDS)
#: A unit change the other side sees where it happens: the result of a battle it fought.
_BATTLE_CAUSES = {"loss", "eliminated", "marker"}


def side_events(events: list[Event], side: str) -> list[dict]:
    """The events as ``side`` may read them: each as a record, the hidden ones redacted."""
    out = []
    state = None
    seen_labels: set[str] = set()  # the rolls of this side's battles, this round
    veiled: set[str] = set()  # the rolls with a change hidden from the side: so is their note
    # whether this round holds another side's orders, or an earlier event was hidden (until
    # then nothing is: the side could carry the round out again from what it reads)
    fogged = ever = False
    for event in events:
        record = event.as_dict()
        if event.kind == "orders" and event.body.get("side") != side:
            fogged = True
        if state is not None and (event.kind == "orders" or fogged) and \
                _hidden(state, event, side, seen_labels, veiled):
            record["body"] = {"redacted": crypto.body_digest(event.body),
                              "side": _owner(state, event)}
            ever |= event.kind != "orders"
            if event.kind == "unit-change":
                # the battle's note names where the unit went ("retreats to 1313")
                veiled.add(event.body.get("cause", {}).get("label"))
        out.append(record)
        state = apply_event(state, event)
        if event.kind in ("round-end", "turn-end", "game-over"):
            seen_labels.clear()
            veiled.clear()
            fogged = ever
    return out


def _owner(state, event: Event) -> str:
    body = event.body
    if "piece" in body:
        return body["piece"].get("side", "")
    return body.get("side", "")


def _hidden(state, event: Event, side: str, seen_labels: set[str], veiled: set[str]) -> bool:
    kind, body = event.kind, event.body
    if kind == "orders":
        return body.get("side") != side
    if kind not in PLAY_KINDS or kind in PUBLIC_KINDS:
        return False
    if kind == "roll":
        if roll_visible(state, body, side):
            seen_labels.add(body.get("label", ""))
            return False
        return True
    if kind == "note":
        return body.get("label") not in seen_labels or body.get("label") in veiled
    if kind == "unit-change":
        piece, cause = body["piece"], body.get("cause", {})
        if piece.get("side") == side:
            return False
        # an enemy unit is seen where a battle with this side left it: hit, marked or
        # eliminated in place; where it moved, retreated or advanced to stays hidden
        return not (cause.get("label") in seen_labels and cause.get("by") in _BATTLE_CAUSES)
    if kind == "control":
        return not all(owner == side or _near(state, hex_, side)
                       for hex_, owner in body.get("hexes", {}).items())
    return body.get("side") != side  # refusals, standing orders and the like: the side's own


def _near(state, hex_text: str, side: str) -> bool:
    """Whether a hex is in or next to a hex this side's units hold on the map."""
    hex_ = parse_hex(hex_text)
    if hex_ is None:
        return False
    return any(p.side == side and p.on_map and p.in_play and distance(p.at, hex_) <= 1
               for p in state.play.position.pieces.values())
