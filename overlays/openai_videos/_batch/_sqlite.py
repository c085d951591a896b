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

from ._sql import StoreError
from ._store import SCHEMA, JobStore

__all__ = ["SQLiteStore"]


class SQLiteStore(JobStore):
    """A job store in one SQLite file."""

    placeholder = "?"
    now_sql = "((julianday('now') - 2440587.5) * 86400.0)"

    def __init__(self, path: Path, run: str = "default", *, create: bool = True) -> None:
        """Open (or, with ``create``, make) the store at ``path``.

        Raises:
            StoreError: ``path`` is missing (and not ``create``), or is not a usable store.
        """
        super().__init__(run)
        self.path = path
        if not create and not path.is_file():
            msg = f"no batch store at {path}: check --out (or --store); nothing was created"
            raise StoreError(msg)
        self._lock = threading.Lock()
        try:
            self._connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        except sqlite3.DatabaseError as error:
            raise self._damaged(error) from None
        try:
            self._connection.execute("PRAGMA journal_mode=WAL")
            self._connection.execute("PRAGMA synchronous=FULL")
            self._connection.execute("PRAGMA busy_timeout=10000")
            self._connection.executescript(SCHEMA)
            with self.transaction() as cursor:
                self._add_columns(cursor)
        except sqlite3.DatabaseError as error:
            self._connection.close()
            raise self._damaged(error) from None
        except BaseException:
            self._connection.close()
            raise

    def _damaged(self, error: sqlite3.DatabaseError) -> StoreError:
        return StoreError(
            f"the batch store {self.path} cannot be used ({error}): it is damaged, locked by "
            "another program, or not a store. Nothing was created. Move it aside to start a new "
            "store (the videos beside it keep their records, so none is paid for again), or "
            "restore it from a backup."
        )

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Cursor]:
        """``BEGIN IMMEDIATE`` ... ``COMMIT``: one writer, durable on commit.

        Raises:
            StoreError: The file is damaged or not a store (any ``sqlite3.DatabaseError``).
        """
        with self._lock:
            try:
                cursor = self._connection.cursor()
                cursor.execute("BEGIN IMMEDIATE")
                try:
                    yield cursor
                except BaseException:
                    cursor.execute("ROLLBACK")
                    raise
                cursor.execute("COMMIT")
            except sqlite3.DatabaseError as error:
                raise self._damaged(error) from None

    def close(self) -> None:
        """Close the file."""
        self._connection.close()

    def __repr__(self) -> str:
        return f"SQLiteStore({str(self.path)!r}, run={self.run!r})"
