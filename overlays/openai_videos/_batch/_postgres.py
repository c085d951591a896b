"""The job store for many workers on many machines: PostgreSQL (psycopg 3, the ``postgres``
extra).

PostgreSQL is the coordinator: claims lock the run's row (``FOR UPDATE``) so the in-flight cap
is counted by one claimer at a time, and pick items with ``FOR UPDATE SKIP LOCKED``; leases
are timestamps on the database's clock, so workers on machines with skewed clocks agree.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from ._sql import StoreError, redact_url
from ._store import SCHEMA, JobStore

__all__ = ["PostgresStore"]


class PostgresStore(JobStore):
    """A job store in a PostgreSQL database, given as a ``postgresql://`` URL."""

    placeholder = "%s"
    now_sql = "EXTRACT(EPOCH FROM clock_timestamp())::float8"
    lock_run_sql = " FOR UPDATE"
    skip_locked = " FOR UPDATE SKIP LOCKED"

    def __init__(self, url: str, run: str = "default") -> None:
        """Connect to the database at ``url`` and make the tables if they are missing.

        Raises:
            StoreError: psycopg is not installed, or the database cannot be reached or used
                (the message never holds the URL's password).
        """
        super().__init__(run)
        try:
            import psycopg  # noqa: PLC0415 - the postgres extra, needed only here
        except ImportError:
            msg = "a postgresql:// store needs the postgres extra: pip install 'openai-videos[postgres]'"
            raise StoreError(msg) from None
        self._url = url
        self._errors: tuple[type[BaseException], ...] = (psycopg.Error,)
        self._lock = threading.Lock()
        try:
            self._connection: Any = psycopg.connect(url, autocommit=True, connect_timeout=10)
        except psycopg.Error as error:
            raise self._unusable(error) from None
        try:
            with self._lock, self._connection.transaction():
                self._connection.execute("SELECT pg_advisory_xact_lock(727272)")  # one creator
                self._connection.execute(SCHEMA)
                with self._connection.cursor() as cursor:
                    self._add_columns(cursor)
        except psycopg.Error as error:
            self._connection.close()
            raise self._unusable(error) from None

    def _unusable(self, error: BaseException) -> StoreError:
        reason = redact_url(self._url, str(error).strip().splitlines()[0] if str(error) else "")
        return StoreError(
            f"the PostgreSQL store {redact_url(self._url)} cannot be used ({reason}). Nothing "
            "was created; check the URL, that the server is up and the database exists."
        )

    @contextmanager
    def transaction(self) -> Iterator[Any]:
        """One transaction; committed (durably, by PostgreSQL's own rules) on success.

        Raises:
            StoreError: The database failed (connection lost, server down).
        """
        with self._lock:
            try:
                with self._connection.transaction(), self._connection.cursor() as cursor:
                    yield cursor
            except self._errors as error:
                raise self._unusable(error) from None

    def close(self) -> None:
        """Close the connection."""
        self._connection.close()

    def __repr__(self) -> str:  # the URL may hold a password: never shown
        return f"PostgresStore(run={self.run!r})"
