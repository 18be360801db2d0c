"""Verifiable dice: every face derived from HMAC-SHA256 of a key and a roll label.

The byte stream for label ``L`` is HMAC(key, "L:0") || HMAC(key, "L:1") || ...; a die of n
sides reads k bytes (k = 1 up to 256 sides, else 2) as a big-endian x and accepts it only if
x < 256^k - (256^k mod n), so every face has exactly the same number of preimages. This is
the only way the toolkit makes dice: a seed typed on the command line is hashed into a key,
and play-by-post turns derive keys from committed seeds. ``random`` is never used.
"""

from __future__ import annotations

import hashlib
import hmac
import os


class HmacFaces:
    """Faces for one labelled roll, drawn from the HMAC byte stream of (key, label)."""

    def __init__(self, key: bytes, label: str):
        if not label:
            raise ValueError("a verifiable roll needs a label")
        self.key = key
        self.label = label
        self._counter = 0
        self._buffer = b""
        self.drawn: list[int] = []  # faces handed out, in order (for explanations)

    def _take(self, count: int) -> bytes:
        while len(self._buffer) < count:
            message = f"{self.label}:{self._counter}".encode()
            self._buffer += hmac.new(self.key, message, hashlib.sha256).digest()
            self._counter += 1
        taken, self._buffer = self._buffer[:count], self._buffer[count:]
        return taken

    def face(self, sides: int) -> int:
        """One face, 1..sides, exactly uniform (rejection sampling, no modulo bias)."""
        if not 1 <= sides <= 65536:
            raise ValueError(f"cannot roll a die of {sides} sides")
        width = 1 if sides <= 256 else 2
        space = 256 ** width
        limit = space - space % sides
        while True:
            value = int.from_bytes(self._take(width), "big")
            if value < limit:
                face = value % sides + 1
                self.drawn.append(face)
                return face


def seed_key(seed: str) -> bytes:
    """The HMAC key for a seed typed by a user: the same seed always gives the same dice."""
    return hashlib.sha256(b"wargame/seed/v1\0" + seed.encode("utf-8")).digest()


def new_seed() -> str:
    """A fresh random seed, printed so that the roll can be reproduced."""
    return os.urandom(8).hex()  # what secrets.token_hex does, without importing random


def seeded_faces(seed: str, label: str = "roll") -> HmacFaces:
    """Faces for ``label`` under a user's seed."""
    return HmacFaces(seed_key(seed), label)


class EnteredFaces:
    """Faces a player rolled at the table and typed in, handed out in order.

    For face-to-face play: the engine applies a physical roll instead of a seeded one, and
    every face is checked against the die it stands for.
    """

    entered = True

    def __init__(self, faces: list[int]):
        self.faces = list(faces)
        self.drawn: list[int] = []

    def face(self, sides: int) -> int:
        from wargame.errors import UsageError

        if len(self.drawn) >= len(self.faces):
            raise UsageError(f"--dice: the roll needs more dice than the {len(self.faces)} "
                             "entered")
        value = self.faces[len(self.drawn)]
        if not 1 <= value <= sides:
            raise UsageError(f"--dice: die {len(self.drawn) + 1} has {sides} sides; "
                             f"{value} cannot be rolled on it")
        self.drawn.append(value)
        return value

    def check_all_used(self) -> None:
        from wargame.errors import UsageError

        if len(self.drawn) != len(self.faces):
            raise UsageError(f"--dice: the roll uses {len(self.drawn)} "
                             f"{'die' if len(self.drawn) == 1 else 'dice'}, "
                             f"{len(self.faces)} were entered")


class EnteredTotal:
    """A total read off dice rolled at the table (``--roll 7`` on 2d6): the table needs no
    more than the total, so no faces are invented for it."""

    entered = True

    def __init__(self, total: int):
        self.total_read = total
        self.drawn: list[int] = []

    def face(self, sides: int) -> int:
        from wargame.errors import UsageError

        raise UsageError("--roll: this roll reads each die; give them with --dice A,B")

    def check_all_used(self) -> None:
        return None
