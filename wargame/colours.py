"""Colour arithmetic for legibility: WCAG contrast, and picking a readable ink."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

#: Contrast ratio wanted for counter text (WCAG's figure for large or bold text).
READABLE = 3.0


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


@cache  # a campaign has a few dozen colours and thousands of counters
def luminance(colour: str) -> float:
    """Relative luminance of '#rrggbb' (0 black .. 1 white)."""
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio between two colours, 1 to 21."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def readable_ink(background: str, preferred: str, fallbacks: Iterable[str] = ()) -> str:
    """``preferred`` if it reads on ``background``; else the first fallback that does, then
    black or white, whichever reads best."""
    for ink in (preferred, *fallbacks):
        if contrast(ink, background) >= READABLE:
            return ink
    return max(("#000000", "#ffffff"), key=lambda ink: contrast(ink, background))
