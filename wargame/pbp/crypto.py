"""Hashing with unambiguous encodings: every field is length-prefixed, JSON is canonical."""

from __future__ import annotations

import hashlib
import hmac
import json

PROTOCOL = "wargame-pbp/3"  # 3: order rounds, each with its own sheet and seed


def canonical(value) -> bytes:
    """One byte string per value: sorted keys, no spaces, UTF-8."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode("utf-8")


def _bytes(field) -> bytes:
    if isinstance(field, bytes):
        return field
    if isinstance(field, str):
        return field.encode("utf-8")
    if isinstance(field, int):
        return str(field).encode()
    return canonical(field)


def digest(tag: str, *fields) -> bytes:
    """SHA-256 of a tag and fields, each prefixed by its length (no two inputs collide)."""
    h = hashlib.sha256()
    for field in (tag, *fields):
        data = _bytes(field)
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.digest()


def hexdigest(tag: str, *fields) -> str:
    return digest(tag, *fields).hex()


def chain_from(secret: bytes, length: int) -> list[bytes]:
    """Seeds s_0..s_length where s_length = secret and s_(k-1) = H("chain", s_k)."""
    seeds = [secret]
    for _ in range(length):
        seeds.append(digest("chain", seeds[-1]))
    return list(reversed(seeds))


def order_commitment(game: str, turn: int, round_: int, side: str, orders: str,
                     salt: bytes) -> str:
    """The commitment to a side's orders for one round of one turn of one game: a
    commitment posted for another game, turn, round or side never matches."""
    return hexdigest("orders", PROTOCOL, game, turn, round_, side, orders, salt)


def nonce_commitment(game: str, turn: int, round_: int, side: str, nonce: bytes) -> str:
    return hexdigest("nonce", PROTOCOL, game, turn, round_, side, nonce)


def seed_index(turn: int, round_: int, rounds_per_turn: int) -> int:
    """Where a round's seed lies in the chain (the anchor is index 0)."""
    return (turn - 1) * rounds_per_turn + round_ + 1


def round_key(seed: bytes, game: str, turn: int, round_: int, sheet_hash: str,
              nonces: dict[str, bytes]) -> bytes:
    """K = HMAC(seed, H(game, turn, round, sheet hash, H(nonces sorted by side)))."""
    nonce_digest = digest("nonces", *[f for side in sorted(nonces)
                                      for f in (side, nonces[side])])
    message = digest("round-key", PROTOCOL, game, turn, round_, sheet_hash, nonce_digest)
    return hmac.new(seed, message, hashlib.sha256).digest()


def body_digest(body) -> str:
    """The digest of an event's content. The event hash covers this digest, not the content
    itself, so an export can leave the content out (a side's hidden orders) and still be
    checked link by link."""
    return hexdigest("body", canonical(body))


def redacted(body) -> str | None:
    """The digest a redacted content stands for, or None when the content is all there."""
    if isinstance(body, dict) and "redacted" in body and set(body) <= {"redacted", "side"} \
            and isinstance(body["redacted"], str):
        return body["redacted"]
    return None


def event_hash(prev: str, seq: int, kind: str, turn: int, at: str, body) -> str:
    content = redacted(body) or body_digest(body)
    return hexdigest("event", PROTOCOL, prev, seq, kind, turn, at, content)


GENESIS = "0" * 64
