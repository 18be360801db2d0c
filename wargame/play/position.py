"""The part of a game that changes: where every unit stands, its steps and markers, and who
controls each hex."""

from __future__ import annotations

from collections.abc import Iterator

import attrs

from wargame.maps.hexgrid import Hex, hex_id, parse_hex

#: Boxes that are not places: a unit not yet arrived, eliminated, or withdrawn.
POOL, ELIMINATED, WITHDRAWN = "pool", "eliminated", "withdrawn"
OUT_OF_PLAY = (POOL, ELIMINATED, WITHDRAWN)


@attrs.frozen
class Piece:
    """One unit's state. It stands on a hex of the map, or in a box (a holding box of the
    scenario, or the pool of units still to arrive, the Eliminated box, withdrawn)."""

    unit: str
    side: str
    steps: int
    hex: str = ""
    box: str = ""
    markers: tuple[str, ...] = ()
    out_of_supply: int = 0  # supply phases in a row out of supply
    carrier: str = ""  # the lift unit (junk flotilla, landing ship) it is aboard

    @property
    def on_map(self) -> bool:
        return bool(self.hex)

    @property
    def in_play(self) -> bool:
        return self.box not in OUT_OF_PLAY

    @property
    def alive(self) -> bool:
        return self.box != ELIMINATED

    @property
    def where(self) -> str:
        return self.hex or self.box

    @property
    def at(self) -> Hex | None:
        return parse_hex(self.hex) if self.hex else None

    def as_record(self) -> dict:
        """The piece as the game record writes it."""
        record = {"unit": self.unit, "side": self.side, "steps": self.steps, "hex": self.hex,
                  "box": self.box, "markers": list(self.markers),
                  "out_of_supply": self.out_of_supply}
        if self.carrier:
            record["carrier"] = self.carrier
        return record

    @classmethod
    def from_record(cls, body: dict) -> "Piece":
        return cls(body["unit"], body["side"], body["steps"], body.get("hex", ""),
                   body.get("box", ""), tuple(body.get("markers", ())),
                   body.get("out_of_supply", 0), body.get("carrier", ""))

    def marked(self, marker: str) -> "Piece":
        return self if marker in self.markers else attrs.evolve(
            self, markers=self.markers + (marker,))

    def unmarked(self, marker: str) -> "Piece":
        return attrs.evolve(self, markers=tuple(m for m in self.markers if m != marker))


class Position:
    """Every piece and the control of every hex, with the indexes the rules ask of them."""

    def __init__(self, pieces: dict[str, Piece], control: dict[Hex, str]):
        self.pieces = dict(pieces)
        self.control = dict(control)
        self._by_hex: dict[Hex, list[str]] | None = None
        self.version = 0  # bumped by every change of a piece: derived sets key on it
        self.derived: dict = {}

    def copy(self) -> "Position":
        return Position(self.pieces, self.control)

    def __getitem__(self, unit_id: str) -> Piece:
        return self.pieces[unit_id]

    def put(self, piece: Piece) -> None:
        """Replace a unit's piece (the indexes follow)."""
        old = self.pieces.get(piece.unit)
        self.pieces[piece.unit] = piece
        if old != piece:
            self.version += 1
            self.derived.clear()
        if self._by_hex is not None and (old is None or old.hex != piece.hex
                                         or old.carrier != piece.carrier
                                         or old.box != piece.box):
            self._by_hex = None

    def _index(self) -> dict[Hex, list[str]]:
        if self._by_hex is None:
            index: dict[Hex, list[str]] = {}
            for unit_id, piece in self.pieces.items():
                if piece.hex and piece.in_play and not piece.carrier:
                    index.setdefault(parse_hex(piece.hex), []).append(unit_id)
            self._by_hex = index
        return self._by_hex

    def cargo(self, lift: str) -> list[str]:
        """The units aboard a lift unit."""
        return [u for u, p in self.pieces.items() if p.carrier == lift and p.in_play]

    def units_at(self, hex_: Hex) -> list[str]:
        """Units standing in a hex, in the order of the set-up."""
        return list(self._index().get(hex_, ()))

    def occupied_hexes(self) -> Iterator[Hex]:
        return iter(self._index())

    def side_pieces(self, side: str) -> Iterator[Piece]:
        return (p for p in self.pieces.values() if p.side == side and p.in_play)

    def controller(self, hex_: Hex) -> str | None:
        return self.control.get(hex_)

    def control_record(self) -> dict[str, str]:
        return {hex_id(h): side for h, side in sorted(self.control.items())}
