"""Text that reaches a terminal, a post or a page: control characters are refused where text
enters (labels, reasons, names, orders) and shown as visible escapes where it leaves, so a
crafted label can neither move the cursor, erase a line, nor reorder what a reader sees."""

from __future__ import annotations

import re

# C0 controls but tab and newline, DEL, C1 controls, and the bidirectional overrides and
# isolates that reorder a line on screen ("Trojan source")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e"
                      "\u2066-\u2069]")
_CONTROL_OR_BREAK = re.compile(_CONTROL.pattern[:-1] + "\t\n]")


def first_control(text: str, newlines: bool = False) -> str | None:
    """The first control character of ``text`` as U+XXXX, or None; tab and newline count as
    control characters unless ``newlines``."""
    match = (_CONTROL if newlines else _CONTROL_OR_BREAK).search(text)
    return None if match is None else f"U+{ord(match[0]):04X}"


def control_problem(text: str, newlines: bool = False) -> str | None:
    """A message for text with a control character, or None when it has none."""
    found = first_control(text, newlines)
    if found is None:
        return None
    return f"expected printable text, found the control character {found}"


def shown(text: str, newlines: bool = False) -> str:
    """``text`` with every control character written as a visible escape (``\\x1b``,
    ``\\u202e``); tab and newline too unless ``newlines``."""
    pattern = _CONTROL if newlines else _CONTROL_OR_BREAK
    return pattern.sub(_escape, text)


def _escape(match: re.Match) -> str:
    code = ord(match[0])
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
