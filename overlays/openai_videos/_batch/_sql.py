"""What both job-store backends share below the behaviour: spelling SQL for the backend,
running it, and bringing an older store's tables up to date."""

from __future__ import annotations

import urllib.parse
from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import Any

from ._schema import ADDED_COLUMNS

__all__ = ["SQLStore", "StoreError", "redact_url"]


class StoreError(RuntimeError):
    """The job store cannot be used: missing, damaged, unreachable, or not a store at all.
    The message says which store (never its password) and what the user can do."""


def redact_url(url: str, text: str | None = None) -> str:
    """``text`` (default: ``url`` itself) with the URL's password replaced by ``***``."""
    shown = url if text is None else text
    try:
        password = urllib.parse.urlsplit(url).password
    except ValueError:  # a malformed URL: hide everything between "://" and "@"
        password = url.split("://", 1)[-1].rsplit("@", 1)[0] if "@" in url else None
    for secret in {password, urllib.parse.unquote(password or "")} - {None, ""}:
        shown = shown.replace(str(secret), "***")
    return shown


class SQLStore:
    """A store of one run in a SQL database; subclasses connect and adjust the SQL dialect
    (``placeholder``, ``now_sql``, ``lock_run_sql``, ``skip_locked``)."""

    placeholder = "?"
    now_sql = ""
    lock_run_sql = ""
    skip_locked = ""

    def __init__(self, run: str = "default") -> None:
        self.run = run

    # -- for subclasses ------------------------------------------------------------------------

    def transaction(self) -> AbstractContextManager[Any]:
        """A context manager giving a cursor; commits (durably) on success."""
        raise NotImplementedError

    def close(self) -> None:
        """Release the connection."""
        raise NotImplementedError

    def _sql(self, text: str) -> str:
        return text.replace("?", self.placeholder).replace("NOW()", self.now_sql)

    def _rows(self, cursor: Any, text: str, params: Sequence[Any] = ()) -> list[Any]:
        cursor.execute(self._sql(text), params)
        return list(cursor.fetchall())

    def _execute(self, cursor: Any, text: str, params: Sequence[Any] = ()) -> int:
        cursor.execute(self._sql(text), params)
        return int(cursor.rowcount)

    def _add_columns(self, cursor: Any) -> None:
        """Give a store made by an earlier release the columns added since (``ADDED_COLUMNS``)."""
        for table in {table for table, _, _ in ADDED_COLUMNS}:
            cursor.execute(f"SELECT * FROM {table} LIMIT 0")
            present = {column[0] for column in cursor.description}
            for owner, name, kind in ADDED_COLUMNS:
                if owner == table and name not in present:
                    cursor.execute(f"ALTER TABLE {table} ADD COLUMN {name} {kind}")

    def _in(self, values: Sequence[str]) -> str:
        return ", ".join("?" for _ in values)
