"""The embedded job store: a SQLite file in the output directory (standard library only).

WAL mode with ``synchronous=FULL``: each step is one small transaction, durable when it
returns, and its cost does not grow with the number of items. One process uses a store at a
time (the runner locks the output directory).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ._store import SCHEMA, JobStore

__all__ = ["SQLiteStore"]


class SQLiteStore(JobStore):
    """A job store in one SQLite file."""

    placeholder = "?"
    now_sql = "((julianday('now') - 2440587.5) * 86400.0)"

    def __init__(self, path: Path, run: str = "default") -> None:
        super().__init__(run)
        self.path = path
        self._connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._lock = threading.Lock()
        self._connection.execute("PRAGMA journal_mode=WAL")
        self._connection.execute("PRAGMA synchronous=FULL")
        self._connection.execute("PRAGMA busy_timeout=10000")
        self._connection.executescript(SCHEMA)
        with self.transaction() as cursor:
            self._add_columns(cursor)

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Cursor]:
        """``BEGIN IMMEDIATE`` ... ``COMMIT``: one writer, durable on commit."""
        with self._lock:
            cursor = self._connection.cursor()
            cursor.execute("BEGIN IMMEDIATE")
            try:
                yield cursor
            except BaseException:
                cursor.execute("ROLLBACK")
                raise
            cursor.execute("COMMIT")

    def close(self) -> None:
        """Close the file."""
        self._connection.close()

    def __repr__(self) -> str:
        return f"SQLiteStore({str(self.path)!r}, run={self.run!r})"
