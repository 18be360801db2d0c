"""The game record: an append-only, hash-chained event log in SQLite.

One transaction per event (BEGIN IMMEDIATE, so two writers queue rather than fork the
chain); triggers refuse any UPDATE or DELETE; WAL keeps a killed process from corrupting
what was committed. A correction is a new event, never an edit.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

import attrs

from wargame.errors import DataError, UsageError
from wargame.pbp.crypto import GENESIS, event_hash

FILE_NAME = "game.sqlite"
SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    turn INTEGER NOT NULL,
    at TEXT NOT NULL,
    body TEXT NOT NULL,
    prev TEXT NOT NULL,
    hash TEXT NOT NULL UNIQUE
);
CREATE TRIGGER IF NOT EXISTS events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'the game record is append-only'); END;
CREATE TRIGGER IF NOT EXISTS events_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'the game record is append-only'); END;
"""


@attrs.frozen
class Event:
    seq: int
    kind: str
    turn: int
    at: str
    body: dict
    prev: str
    hash: str

    def as_dict(self) -> dict:
        return attrs.asdict(self)


class Record:
    """A game's event log. Open with :func:`open_record` or :func:`create_record`."""

    def __init__(self, path: Path, connection: sqlite3.Connection):
        self.path = path
        self.db = connection

    def events(self, after: int = 0) -> list[Event]:
        """Events in order; only those after sequence number ``after`` when given."""
        rows = self.db.execute(
            "SELECT seq, kind, turn, at, body, prev, hash FROM events WHERE seq > ? "
            "ORDER BY seq", (after,)).fetchall()
        return [_event(row, self.path) for row in rows]

    def append(self, kind: str, turn: int | None, body: dict, check=None,
               turn_of=None) -> Event:
        """Append one event in its own transaction (see :meth:`append_all`)."""
        return self.append_all([(kind, body)], turn, check, turn_of)[0]

    def append_all(self, items: list[tuple[str, dict]], turn: int | None, check=None,
                   turn_of=None) -> list[Event]:
        """Append events that belong together (a roll and what it did to the units) in one
        transaction: a killed process leaves all of them or none.

        ``check()`` runs inside the transaction, when the record can no longer change under
        it, and may raise UsageError to refuse: two umpires typing at once cannot both act
        on a stale view. With ``turn`` None, ``turn_of()`` gives it inside the transaction.
        """
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise UsageError(f"{self.path}: the game record is busy (another command is "
                             f"writing); try again ({exc})") from None
        written = []
        try:
            if check is not None:
                check()
            if turn is None:
                turn = turn_of()
            last = self.db.execute(
                "SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1").fetchone()
            seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
            at = datetime.now(timezone.utc).isoformat(timespec="seconds")
            for kind, body in items:
                digest = event_hash(prev, seq, kind, turn, at, body)
                self.db.execute("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?)",
                                (seq, kind, turn, at, json.dumps(body, ensure_ascii=False,
                                                                 sort_keys=True), prev, digest))
                written.append(Event(seq, kind, turn, at, body, prev, digest))
                seq, prev = seq + 1, digest
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        return written

    def close(self) -> None:
        self.db.close()


def _event(row, path: Path | None = None) -> Event:
    seq, kind, turn, at, body, prev, digest = row
    try:
        parsed = json.loads(body)
    except (TypeError, ValueError) as exc:
        raise DataError(f"{path or 'game record'}: event {seq} ({kind}): its content is not "
                        f"readable JSON ({exc}); the record was damaged") from None
    if not isinstance(parsed, dict):
        raise DataError(f"{path or 'game record'}: event {seq} ({kind}): its content is not "
                        "a table; the record was damaged")
    return Event(seq, kind, turn, at, parsed, prev, digest)


def _connect(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(str(path), timeout=10.0, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=FULL")
    connection.execute("PRAGMA busy_timeout=10000")
    return connection


def create_record(folder: Path) -> Record:
    path = folder / FILE_NAME
    if path.exists():
        raise UsageError(f"{path} already exists: a game is already recorded there")
    folder.mkdir(parents=True, exist_ok=True)
    connection = _connect(path)
    connection.executescript(SCHEMA)
    return Record(path, connection)


def open_record(folder: Path) -> Record:
    path = folder / FILE_NAME
    if not path.exists():
        raise UsageError(f"{folder}: no game record here (expected {FILE_NAME}); start one "
                         "with `wargame game new`")
    try:
        connection = _connect(path)
        connection.execute("SELECT count(*) FROM events").fetchone()
    except sqlite3.DatabaseError as exc:
        raise DataError(f"{path}: not a readable game record ({exc})") from None
    return Record(path, connection)
