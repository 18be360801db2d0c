"""VASSAL 3.7's saved games (.vsav) and logs (.vlog), written and read with the standard
library, as VASSAL's own GameState, BasicCommandEncoder and BasicLogger write them.

A saved game is a ZIP archive: ``savedGame`` (the commands that rebuild the game, obfuscated),
``savedata`` (when and by what it was saved) and ``moduledata`` (the module it belongs to).
The commands are one sequence separated by ESC: ``begin_save``, an ``AddPiece`` per piece
(``+/id/type/state``) and per stack, ``end_save``; a log goes on with ``LOG\\t`` commands,
each one player action (moves ``M/id/map/x/y/...``, changes ``D/id/state``), itself an ESC
sequence nested in the outer one. The obfuscation of 3.7 is ``!VCSK``, a key byte and every
byte XORed with it, all as hex digits; plain text is read too.
"""

from __future__ import annotations

import secrets
import zipfile
from pathlib import Path

import attrs

from wargame.atomic import atomic_path
from wargame.vassal.encoding import decode, encode

HEADER = "!VCSK"
ESC = "\x1b"
SAVED_GAME = "savedGame"
#: The largest savedGame entry read (a Korea game is about 1 MB of hex digits).
MAX_ENTRY = 64 * 1024 * 1024


def obfuscate(text: str, key: int | None = None) -> bytes:
    """``!VCSK``, the key as two hex digits, then each UTF-8 byte XOR the key."""
    key = secrets.randbelow(256) if key is None else key
    data = text.encode("utf-8")
    return (HEADER + f"{key:02x}" + bytes(b ^ key for b in data).hex()).encode("ascii")


def deobfuscate(data: bytes) -> str:
    """The text of a savedGame entry, obfuscated or plain."""
    if not data.startswith(HEADER.encode()):
        return data.decode("utf-8")
    body = data[len(HEADER):].decode("ascii").strip()
    try:
        raw = bytes.fromhex(body)
    except ValueError:
        raise ValueError("the savedGame entry is not hex digits after !VCSK") from None
    if not raw:
        raise ValueError("the savedGame entry has no key")
    key = raw[0]
    return bytes(b ^ key for b in raw[1:]).decode("utf-8")


@attrs.frozen
class SavedPiece:
    """A piece as a saved game places it: its id, type and state (the module's traits)."""

    id: str
    type: str
    state: str


def add_piece(piece: SavedPiece) -> str:
    return "+/" + encode([piece.id, piece.type, piece.state], "/")


def stack(stack_id: str, map_name: str, x: int, y: int, piece_ids: list[str]) -> str:
    """An AddPiece of a stack: its map, position and pieces, bottom first; layer 0."""
    state = encode([map_name, str(x), str(y), *piece_ids, "@@0"], ";")
    return "+/" + encode([stack_id, "stack", state], "/")


#: The module's one TurnTracker, as VASSAL's UniqueIdManager names it (prefix and index).
TURN_TRACKER = "TurnTracker0"


def set_turn(turn: int, turns: int) -> str:
    """The TurnTracker's restore command: ``TURN<id>\t<state>``, the state being the
    current level (0) then the counter level's own ``current;sublevel;loop;limit``."""
    level = encode([str(turn), "0", "true", str(turns)], ";")
    return encode([f"TURN{TURN_TRACKER}", encode(["0", level], "|")], "\t")


def turn_of(commands: list[str]) -> int | None:
    """The turn a saved game's TurnTracker shows, if it says."""
    for command in commands:
        if command.startswith(f"TURN{TURN_TRACKER}\t"):
            state = decode(command, "\t")[1]
            levels = decode(state, "|")
            if len(levels) > 1:
                current = decode(levels[1], ";")[0]
                if current.isdigit():
                    return int(current)
    return None


def saved_game_text(commands: list[str]) -> str:
    """The savedGame text: begin_save, the commands, end_save."""
    return encode(["begin_save", *commands, "end_save"], ESC)


def write_saved_game(target: Path, commands: list[str], module_data: bytes,
                     save_data: bytes) -> None:
    """The .vsav archive, written atomically."""
    with atomic_path(target) as temp:
        with zipfile.ZipFile(temp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(SAVED_GAME, obfuscate(saved_game_text(commands)))
            archive.writestr("savedata", save_data)
            archive.writestr("moduledata", module_data)


def read_commands(path: Path) -> list[str]:
    """Every command of a saved game or log, in order; a logged action's commands follow
    each other, the ``LOG\\t`` taken off."""
    try:
        with zipfile.ZipFile(path) as archive:
            info = archive.getinfo(SAVED_GAME)
            if info.file_size > MAX_ENTRY:
                raise ValueError(f"its savedGame entry is over {MAX_ENTRY // 2**20} MiB")
            text = deobfuscate(archive.read(info))
    except KeyError:
        raise ValueError("it has no savedGame entry: not a VASSAL saved game or log") from None
    except (zipfile.BadZipFile, OSError) as exc:
        raise ValueError(f"not a ZIP archive ({exc})") from None
    out = []
    for command in decode(text, ESC):
        if command.startswith("LOG\t"):
            out += [c for c in decode(command[4:], ESC) if c]
        elif command:
            out.append(command)
    return out


@attrs.frozen
class Move:
    """A MovePiece command: the piece and where it went."""

    piece: str
    map: str
    x: int
    y: int


def moves_of(commands: list[str]) -> list[Move]:
    """The moves among the commands (``M/id/newMap/x/y/under/oldMap/x/y/under/player``)."""
    out = []
    for command in commands:
        if not command.startswith("M/"):
            continue
        fields = decode(command[2:], "/")
        if len(fields) < 4:
            raise ValueError(f"a move command with {len(fields)} fields: {command[:60]}")
        try:
            out.append(Move(fields[0], fields[1], int(fields[2]), int(fields[3])))
        except ValueError:
            raise ValueError(f"a move to a position that is not a number: {command[:60]}") \
                from None
    return out


def added_pieces(commands: list[str]) -> dict[str, SavedPiece]:
    """Every AddPiece that is not a stack, by piece id."""
    out = {}
    for command in commands:
        if command.startswith("+/"):
            fields = decode(command[2:], "/")
            if len(fields) == 3 and fields[1] != "stack":
                out[fields[0]] = SavedPiece(*fields)
    return out
