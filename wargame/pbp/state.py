"""A game's state replayed from its record: the rules-of-play state (where every unit
stands) and, for every order round, the protocol around it (commitments, revealed orders,
rulings, the locked sheet, nonces, the seed) and the events the round produced."""

from __future__ import annotations

import attrs

from wargame.errors import DataError
from wargame.maps.hexgrid import parse_hex
from wargame.pbp import crypto
from wargame.pbp.record import Event
from wargame.play.position import Piece, Position
from wargame.play.state import KINDS as PLAY_KINDS
from wargame.play.state import PlayState
from wargame.play.state import apply as play_apply

#: Events of the protocol, in the order a round has them.
PROTOCOL_KINDS = ("commitment", "orders", "default", "ruling", "sheet-locked", "nonce", "seed",
                  "forfeit")


@attrs.define
class RoundRecord:
    """One order round: what the players and the umpire put in, and what it produced."""

    turn: int
    round: int
    commitments: dict[str, dict] = attrs.field(factory=dict)
    orders: dict[str, dict] = attrs.field(factory=dict)
    defaults: dict[str, str] = attrs.field(factory=dict)
    rulings: list[dict] = attrs.field(factory=list)
    sheet_hash: str | None = None
    plan: dict | None = None
    nonces: dict[str, str] = attrs.field(factory=dict)
    seed: str | None = None
    events: list[tuple[str, dict]] = attrs.field(factory=list)
    resolved: bool = False

    @property
    def key(self) -> tuple[int, int]:
        return self.turn, self.round

    def orders_text(self, side: str) -> str:
        revealed = self.orders.get(side)
        return revealed["orders"] if revealed and "orders" in revealed else ""


@attrs.define
class GameState:
    """Everything the events say, applied in order by :func:`apply_event`."""

    start: dict
    play: PlayState
    rounds: dict[tuple[int, int], RoundRecord] = attrs.field(factory=dict)
    resolving: tuple[int, int] | None = None
    head: str = crypto.GENESIS
    count: int = 0

    @property
    def game_id(self) -> str:
        return self.start["game"]

    @property
    def turn(self) -> int:
        return self.play.turn

    @property
    def round(self) -> int:
        return self.play.round

    @property
    def over(self) -> dict | None:
        return self.play.over

    @property
    def current(self) -> RoundRecord:
        key = (self.play.turn, self.play.round)
        if key not in self.rounds:
            self.rounds[key] = RoundRecord(*key)
        return self.rounds[key]

    @property
    def phase(self) -> str:
        """over, orders (commitments and orders are taken), or locked (nonces are taken)."""
        if self.over:
            return "over"
        return "locked" if self.current.sheet_hash else "orders"

    def side_ids(self) -> list[str]:
        return [side["id"] for side in self.start["sides"]]

    def record_for(self, turn: int, round_: int) -> RoundRecord:
        key = (turn, round_)
        if key not in self.rounds:
            self.rounds[key] = RoundRecord(turn, round_)
        return self.rounds[key]


def initial_play_state(start: dict) -> PlayState:
    pieces = {p["unit"]: Piece.from_record(p) for p in start["pieces"]}
    control = {parse_hex(h): side for h, side in start["control"].items()}
    return PlayState(Position(pieces, control))


def apply_event(state: GameState | None, event: Event) -> GameState:
    """The state after one more event (updated in place and returned)."""
    body = event.body
    if event.kind == "game-start":
        state = GameState(start=body, play=initial_play_state(body))
    elif state is None:
        raise DataError("the game record does not begin with a game-start event")
    elif event.kind in PROTOCOL_KINDS:
        record = state.record_for(event.turn, body.get("round", 0)) \
            if not crypto.redacted(body) else state.current
        if event.kind == "commitment":
            record.commitments[body["side"]] = body
        elif event.kind == "orders":
            record.orders[body["side"]] = body
        elif event.kind == "default":
            record.defaults[body["side"]] = body["reason"]
        elif event.kind == "ruling":
            record.rulings.append(body)
        elif event.kind == "sheet-locked":
            record.sheet_hash = body["sheet_hash"]
            record.plan = body["plan"]
        elif event.kind == "nonce":
            record.nonces[body["side"]] = body["nonce"]
        elif event.kind == "seed":
            record.seed = body["seed"]
            state.resolving = record.key
        elif event.kind == "forfeit":
            state.play.over = {"turn": event.turn, "side": body["winner"], "level": "forfeit",
                               "reason": body["reason"]}
    elif event.kind in PLAY_KINDS:
        # a side's export holds what that side may not see as a digest: nothing to apply
        if not crypto.redacted(body):
            play_apply(state.play, event.kind, body)
        if state.resolving is not None:
            record = state.rounds[state.resolving]
            if not crypto.redacted(body):
                record.events.append((event.kind, body))
            if event.kind in ("round-end", "turn-end", "game-over"):
                record.resolved = True
                state.resolving = None
    state.head = event.hash
    state.count += 1
    return state
