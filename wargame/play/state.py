"""The state of a game in play, and the one function that changes it: :func:`apply`, fed
the events the rules produce. The rules engine applies its own events through it while it
works out a round, and the game record replays the same events through it, so the state a
round leaves and the state the record shows cannot differ."""

from __future__ import annotations

import attrs

from wargame.maps.hexgrid import Hex, hex_id, parse_hex
from wargame.play.position import Piece, Position


@attrs.define
class Standing:
    """A side's standing orders: the order its units take step losses in, and the retreat
    each unit prefers."""

    losses: list[str] = attrs.field(factory=list)
    retreats: dict[str, dict] = attrs.field(factory=dict)  # unit -> {"via": [...]} / {"toward"}

    def as_record(self) -> dict:
        return {"losses": list(self.losses), "retreats": dict(self.retreats)}


@attrs.define
class PlayState:
    """Where a game stands between events."""

    position: Position
    turn: int = 1
    round: int = 0  # which order round of the turn (0: the first player's)
    control_history: dict[int, dict[Hex, str]] = attrs.field(factory=dict)
    called: set[str] = attrs.field(factory=set)
    standing: dict[str, Standing] = attrs.field(factory=dict)
    air: dict = attrs.field(factory=dict)  # this turn: superiority and support by side
    hits: dict[str, int] = attrs.field(factory=dict)  # installation damage, by target
    cuts: dict[str, str] = attrs.field(factory=dict)  # this turn: hex -> side that cut it
    over: dict | None = None  # the verdict once the game is over

    def copy(self) -> "PlayState":
        return PlayState(self.position.copy(), self.turn, self.round,
                         {t: dict(c) for t, c in self.control_history.items()},
                         set(self.called),
                         {s: Standing(list(v.losses), dict(v.retreats))
                          for s, v in self.standing.items()},
                         {k: {s: list(v) for s, v in d.items()} if isinstance(d, dict) else d
                          for k, d in self.air.items()},
                         dict(self.hits), dict(self.cuts), self.over)


#: Events the rules of play produce and :func:`apply` understands.
KINDS = ("unit-change", "control", "called", "standing-orders", "air-result", "history",
         "round-end", "turn-end", "game-over", "phase", "refused", "roll", "note", "hits",
         "cut")


def apply(state: PlayState, kind: str, body: dict) -> None:
    """Change the state as one event says (events that only report change nothing)."""
    if kind == "unit-change":
        state.position.put(Piece.from_record(body["piece"]))
    elif kind == "control":
        for text, side in body["hexes"].items():
            state.position.control[parse_hex(text)] = side
    elif kind == "called":
        state.called.add(body["unit"])
    elif kind == "standing-orders":
        state.standing[body["side"]] = Standing(list(body["losses"]), dict(body["retreats"]))
    elif kind == "air-result":
        state.air = {"superiority": {s: list(h) for s, h in body["superiority"].items()},
                     "support": {s: list(h) for s, h in body["support"].items()}}
    elif kind == "hits":
        state.hits[body["target"]] = body["total"]
    elif kind == "cut":
        state.cuts[body["hex"]] = body["side"]
    elif kind == "history":
        state.control_history[body["turn"]] = {parse_hex(h): s for h, s
                                               in body["control"].items()}
    elif kind == "round-end":
        state.round = body["next_round"]
    elif kind == "turn-end":
        state.turn = body["turn"] + 1
        state.round = 0
        state.air = {}
        state.cuts = {}
    elif kind == "game-over":
        state.over = dict(body)


def control_record(control: dict[Hex, str]) -> dict[str, str]:
    return {hex_id(h): s for h, s in sorted(control.items())}
