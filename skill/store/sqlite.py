"""The embedded default store: SQLite in WAL mode, safe for several threads and processes."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from skill.store.base import TTL_SECONDS, Record, StoreError, VersionedAdapter

_SCHEMA = """
CREATE TABLE IF NOT EXISTS people (
    id TEXT PRIMARY KEY,
    data TEXT NOT NULL,
    version INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
)
"""
# Wait this long for another writer's lock before giving up; far inside Alexa's 8 s.
BUSY_TIMEOUT_SECONDS = 2.0


class SqliteAdapter(VersionedAdapter):
    """SQLite with one connection per thread, as sqlite3 connections must not be shared.

    The version check in every UPDATE makes concurrent writers, in any process, merge
    rather than overwrite each other.
    """

    def __init__(
        self,
        path: Path,
        *,
        ttl_seconds: int = TTL_SECONDS,
        clock: Callable[[], float] | None = None,
        make_folders: bool = False,
    ) -> None:
        super().__init__(ttl_seconds=ttl_seconds, **({"clock": clock} if clock else {}))
        self.path = Path(path)
        # Only the coach's own data folder is made on demand: a mistyped path elsewhere
        # should fail, not scatter folders over the file system.
        self.make_folders = make_folders
        self._local = threading.local()

    def _connection(self) -> sqlite3.Connection:
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is None:
            try:
                if self.make_folders:
                    self.path.parent.mkdir(parents=True, exist_ok=True)
                connection = sqlite3.connect(
                    self.path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None
                )
                connection.execute("PRAGMA journal_mode=WAL")
                connection.execute("PRAGMA synchronous=NORMAL")
                connection.execute(_SCHEMA)
            except (sqlite3.Error, OSError) as exc:
                raise StoreError(f"cannot open the SQLite store: {exc}") from None
            self._local.connection = connection
        return connection

    def _run(self, sql: str, params: tuple[Any, ...]) -> sqlite3.Cursor:
        try:
            return self._connection().execute(sql, params)
        except sqlite3.Error as exc:
            raise StoreError(f"SQLite store failed: {exc}") from None

    def load(self, key: str) -> Record | None:
        row = self._run(
            "SELECT data, version, expires_at FROM people WHERE id = ?", (key,)
        ).fetchone()
        if row is None:
            return None
        try:
            data = json.loads(row[0])
        except ValueError:
            data = {}  # a damaged row reads as a fresh start rather than an error
        return Record(
            data=data if isinstance(data, dict) else {}, version=row[1], expires_at=row[2]
        )

    def store(self, key: str, record: Record, expected: int | None) -> bool:
        data = json.dumps(record.data, separators=(",", ":"))
        if expected is None:
            # Expired records are deleted, not just ignored, as the privacy policy promises:
            # whenever someone new is written, which is rare enough to cost nothing.
            self._run("DELETE FROM people WHERE expires_at <= ?", (int(self.clock()),))
            cursor = self._run(
                "INSERT INTO people (id, data, version, expires_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(id) DO NOTHING",
                (key, data, record.version, record.expires_at),
            )
        else:
            cursor = self._run(
                "UPDATE people SET data = ?, version = ?, expires_at = ? "
                "WHERE id = ? AND version = ?",
                (data, record.version, record.expires_at, key, expected),
            )
        return cursor.rowcount == 1

    def remove(self, key: str) -> None:
        self._run("DELETE FROM people WHERE id = ?", (key,))
