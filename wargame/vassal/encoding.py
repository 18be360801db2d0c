"""VASSAL's sequence encoding: the format of piece definitions inside a module.

Fields are joined by a delimiter; a delimiter inside a field is preceded by a backslash; a
field that ends with a backslash, or is wrapped in single quotes, gets single quotes around
it. Nested structures (traits inside a piece, keys inside arrays) nest the encoding, so
backslashes pile up level by level.
"""

from __future__ import annotations

import re
from functools import cache


def encode(fields: list[str], delimiter: str) -> str:
    out = []
    for field in fields:
        escaped = field.replace(delimiter, "\\" + delimiter)
        if field.endswith("\\") or (field.startswith("'") and field.endswith("'")):
            escaped = f"'{escaped}'"
        out.append(escaped)
    return delimiter.join(out)


def decode(text: str, delimiter: str) -> list[str]:
    """The fields of an encoded sequence (the inverse of :func:`encode`): split at every
    delimiter not preceded by a backslash, which is then dropped."""
    escaped = "\\" + delimiter
    fields = [f.replace(escaped, delimiter) for f in _splitter(delimiter).split(text)]
    return [f[1:-1] if len(f) > 1 and f.startswith("'") and f.endswith("'") else f
            for f in fields]


@cache
def _splitter(delimiter: str) -> re.Pattern:
    return re.compile(r"(?<!\\)" + re.escape(delimiter))


CTRL = 130  # InputEvent.CTRL_DOWN_MASK | CTRL_MASK, as VASSAL writes Ctrl+key


def key_stroke(char: str) -> str:
    """A Ctrl+<char> key stroke as VASSAL stores it: key code and modifiers."""
    return f"{ord(char.upper())},{CTRL}"


def basic_piece(image: str, name: str) -> str:
    return "piece;" + encode(["", "", image, name], ";")


def layer(images: list[str], level_names: list[str], command: str, key: str,
          name: str) -> str:
    """The Layer ("emb2") trait: images cycled by a command, here a counter's two sides."""
    fields = [
        "", str(CTRL), "",            # activate command, modifiers, key (always active)
        command, str(CTRL), "",       # increase command, modifiers, legacy key
        "", str(CTRL), "",            # decrease command, modifiers, legacy key
        "", "", "1",                  # reset command, key, level
        "false", "0", "0",            # draw underneath when selected, x and y offset
        encode(images, ","), encode(level_names, ","),
        "true", name,                 # loop through levels, layer name
        "", "",                       # random key and text
        "false", "", "1",             # follow property, property, first level value
        "1", "true",                  # version, always active
        "", key_stroke(key), "",      # activate, increase and decrease key strokes
    ]
    return "emb2;" + encode(fields, ";")


def delete(key: str = "D") -> str:
    """The Delete trait: the piece can be removed (Ctrl+D)."""
    return "delete;" + encode(["Delete", key_stroke(key), ""], ";")


def clone(key: str = "C") -> str:
    """The Clone trait: the piece can be duplicated (Ctrl+C)."""
    return "clone;" + encode(["Clone", key_stroke(key), ""], ";")


def movement_markable(image: str, key: str = "M") -> str:
    """The Mark When Moved trait (``markmoved;``, not the plain Marker ``mark;``): shows
    ``image`` on a piece moved this turn, what a map's markMoved setting needs to work."""
    return "markmoved;" + encode([image, "0", "0", "Mark Moved", key_stroke(key), ""], ";")


def properties(names: list[str]) -> str:
    """The Marker trait (``mark;``): fixed properties of the piece, their values in the state
    (the module names each piece's faction this way, for the load check and for filters)."""
    return "mark;" + encode(names, ",")


def report(keys: str, message: str) -> str:
    """The Report Action trait: writes ``message`` to the chat when one of ``keys`` (each a
    Ctrl+letter) is pressed."""
    return "report;" + encode([encode([key_stroke(k) for k in keys], ","), message, "", "",
                               "", "false"], ";")


def piece_definition(traits: list[tuple[str, str]], basic: tuple[str, str]) -> str:
    """The text of a palette slot: ``+/null/<type>/<state>``, traits outermost first and
    the BasicPiece last, each level nested in the next with TAB delimiters."""
    type_, state = basic
    for trait_type, trait_state in reversed(traits):
        type_ = encode([trait_type, type_], "\t")
        state = encode([trait_state, state], "\t")
    return "+/" + encode(["null", type_, state], "/")


def split_piece(definition: str) -> tuple[list[str], list[str]]:
    """(trait types, trait states) of a palette slot, outermost first."""
    if not definition.startswith("+/"):
        raise ValueError("a piece definition starts with '+/'")
    parts = decode(definition[2:], "/")
    if len(parts) != 3:
        raise ValueError(f"expected id/type/state, found {len(parts)} parts")
    return split_chain(parts[1], parts[2])


def split_chain(type_: str, state: str) -> tuple[list[str], list[str]]:
    """(trait types, trait states) of a piece's type and state, outermost first."""
    types, states = [], []
    while True:
        head = decode(type_, "\t")
        heads = decode(state, "\t")
        types.append(head[0])
        states.append(heads[0])
        if len(head) == 1:
            break
        if len(head) != 2:
            raise ValueError("a trait nests more than one inner piece")
        type_, state = head[1], heads[1] if len(heads) > 1 else ""
    return types, states
