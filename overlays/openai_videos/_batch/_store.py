"""The job store behind batch runs: one small transaction per step, leases, global limits.

One behaviour, two backends (``SQLiteStore``, the embedded default, and ``PostgresStore``, for
workers on many machines), which differ only in how they connect, lock and spell their SQL.

Every item moves ``pending`` -> ``created`` -> ``completed`` -> ``downloaded`` (or
``failed``). Each step is written before it is acted on or right after it happened: the
Idempotency-Key exists before the create is sent, the job id is saved before waiting on it, a
file is recorded only once it is complete. A worker holds an item through a lease that it
renews; when a worker dies, the lease runs out and another worker takes the item over.

The store also enforces the limits that must hold across workers: at most ``max_in_flight``
jobs running at once, and at most ``requests_per_minute`` requests.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from typing import Any

import attrs

from .._calls import new_idempotency_key
from ._prompts import OPTION_KEYS, fingerprint

__all__ = [
    "OPEN_STATUSES",
    "BatchItem",
    "JobStore",
    "LeaseLost",
    "Limits",
    "RunMismatch",
    "RunStatus",
]

OPEN_STATUSES = ("pending", "created", "completed")
MAX_ATTEMPTS = 5  # claims of one item before its transient errors count as a failure
SCHEMA = """
CREATE TABLE IF NOT EXISTS batch_runs (
    name TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL,
    total INTEGER NOT NULL,
    max_in_flight INTEGER,
    requests_per_minute INTEGER,
    created_at DOUBLE PRECISION NOT NULL
);
CREATE TABLE IF NOT EXISTS batch_items (
    run TEXT NOT NULL,
    idx INTEGER NOT NULL,
    prompt TEXT NOT NULL,
    options TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    status TEXT NOT NULL,
    video_id TEXT,
    error TEXT,
    failure TEXT,
    file TEXT,
    lease_owner TEXT,
    lease_until DOUBLE PRECISION,
    attempts INTEGER NOT NULL DEFAULT 0,
    updated_at DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (run, idx)
);
CREATE INDEX IF NOT EXISTS batch_items_by_status ON batch_items (run, status, idx);
CREATE TABLE IF NOT EXISTS batch_requests (run TEXT NOT NULL, at DOUBLE PRECISION NOT NULL);
CREATE INDEX IF NOT EXISTS batch_requests_by_time ON batch_requests (run, at);
"""
_COLUMNS = "idx, prompt, options, idempotency_key, status, video_id, error, file, attempts, failure"


class RunMismatch(ValueError):
    """The store holds this run for another prompts file."""


class LeaseLost(RuntimeError):
    """Another worker took the item over (this worker was too slow to renew its lease)."""


@attrs.define
class BatchItem:
    """One prompt and how far it got."""

    index: int
    prompt: str
    options: dict[str, str]
    idempotency_key: str
    status: str = "pending"
    video_id: str | None = None
    error: str | None = None
    file: str | None = None
    attempts: int = 0
    failure: str | None = None  # "job" (the server failed it) or "transient" (we gave up)


@attrs.frozen
class Limits:
    """Limits that hold across every worker of a run (None: no limit)."""

    max_in_flight: int | None = None
    requests_per_minute: int | None = None


@attrs.frozen
class RunStatus:
    """Where a run stands, for ``openai-videos batch status``."""

    run: str
    counts: dict[str, int]
    failures: list[BatchItem]
    per_minute: float
    total: int

    @property
    def remaining(self) -> int:
        """Items not yet downloaded or failed."""
        return sum(self.counts.get(status, 0) for status in OPEN_STATUSES)

    @property
    def minutes_left(self) -> float | None:
        """An estimate from the throughput of the last ten minutes (None before any)."""
        return self.remaining / self.per_minute if self.per_minute else None


class JobStore:
    """The behaviour every backend shares; subclasses connect and adjust the SQL dialect.

    Methods are blocking and short; the runner calls them off the event loop. Each is one
    transaction.
    """

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

    # -- the run ---------------------------------------------------------------------------------

    def open_run(self, prompts: list[dict[str, str]], limits: Limits) -> None:
        """Start the run with these prompts (each with its Idempotency-Key, saved before any
        request), or join it; the limits are the run's, updated by whoever opens it.

        Raises:
            RunMismatch: The run exists for another prompts file.
        """
        digest = fingerprint(prompts)
        with self.transaction() as cursor:
            created = self._execute(  # waits for a concurrent creator; then does nothing
                cursor,
                "INSERT INTO batch_runs VALUES (?, ?, ?, ?, ?, NOW()) ON CONFLICT (name) DO NOTHING",
                (self.run, digest, len(prompts), limits.max_in_flight, limits.requests_per_minute),
            )
            if created:
                cursor.executemany(
                    self._sql(
                        "INSERT INTO batch_items (run, idx, prompt, options, idempotency_key, "
                        "status, updated_at) VALUES (?, ?, ?, ?, ?, 'pending', NOW())"
                    ),
                    [
                        (self.run, index, entry["prompt"], json.dumps(_options(entry)),
                         new_idempotency_key())
                        for index, entry in enumerate(prompts)
                    ],
                )  # fmt: skip
                return
            rows = self._rows(
                cursor,
                f"SELECT fingerprint, total FROM batch_runs WHERE name = ?{self.lock_run_sql}",
                (self.run,),
            )
            if rows[0][0] != digest:
                msg = (
                    f"run {self.run!r} in this store belongs to another prompts file "
                    f"({rows[0][1]} prompts); use its prompts file, another --run, or another store"
                )
                raise RunMismatch(msg)
            self._execute(
                cursor,
                "UPDATE batch_runs SET max_in_flight = ?, requests_per_minute = ? WHERE name = ?",
                (limits.max_in_flight, limits.requests_per_minute, self.run),
            )

    # -- claiming ----------------------------------------------------------------------------------

    def claim(self, worker: str, lease_seconds: float) -> BatchItem | None:
        """One item for ``worker`` to work on, leased for ``lease_seconds``, or None for now.

        Items whose job exists come first (re-attaching costs nothing); a new job is started
        only while fewer than ``max_in_flight`` are running across all workers.
        """
        with self.transaction() as cursor:
            run = self._rows(
                cursor,
                f"SELECT max_in_flight FROM batch_runs WHERE name = ?{self.lock_run_sql}",
                (self.run,),
            )
            if not run:
                return None
            free = "(lease_until IS NULL OR lease_until < NOW())"
            rows = self._rows(
                cursor,
                f"SELECT idx FROM batch_items WHERE run = ? AND status IN ('created', "
                f"'completed') AND {free} ORDER BY idx LIMIT 1{self.skip_locked}",
                (self.run,),
            )
            if not rows:
                cap = run[0][0]
                if cap is not None and self._in_flight(cursor) >= cap:
                    return None
                rows = self._rows(
                    cursor,
                    f"SELECT idx FROM batch_items WHERE run = ? AND status = 'pending' "
                    f"AND {free} ORDER BY idx LIMIT 1{self.skip_locked}",
                    (self.run,),
                )
            if not rows:
                return None
            claimed = self._rows(
                cursor,
                f"UPDATE batch_items SET lease_owner = ?, lease_until = NOW() + ?, "
                f"attempts = attempts + 1 WHERE run = ? AND idx = ? RETURNING {_COLUMNS}",
                (worker, lease_seconds, self.run, rows[0][0]),
            )
        return _item(claimed[0])

    def _in_flight(self, cursor: Any) -> int:
        """Jobs that may be running: created and not yet seen finished, or being created now
        (a pending item leased, or once sent: its create may have reached the server)."""
        rows = self._rows(
            cursor,
            "SELECT COUNT(*) FROM batch_items WHERE run = ? AND (status = 'created' OR "
            "(status = 'pending' AND (attempts > 0 OR lease_until >= NOW())))",
            (self.run,),
        )
        return int(rows[0][0])

    def renew(self, worker: str, indexes: Sequence[int], lease_seconds: float) -> None:
        """Extend ``worker``'s leases on ``indexes``."""
        if not indexes:
            return
        with self.transaction() as cursor:
            for index in indexes:
                self._execute(
                    cursor,
                    "UPDATE batch_items SET lease_until = NOW() + ? "
                    "WHERE run = ? AND idx = ? AND lease_owner = ?",
                    (lease_seconds, self.run, index, worker),
                )

    # -- steps -------------------------------------------------------------------------------------

    def record(self, worker: str, item: BatchItem, status: str, **fields: Any) -> None:
        """Move ``item`` to ``status`` (with ``video_id``, ``error`` or ``file``); a final
        status releases the lease.

        Raises:
            LeaseLost: ``worker`` no longer holds the item.
        """
        final = status in {"downloaded", "failed"}
        columns = {"status": status, **fields}
        if final:
            columns.update(lease_owner=None, lease_until=None)
        assignments = ", ".join(f"{name} = ?" for name in columns)
        with self.transaction() as cursor:
            changed = self._execute(
                cursor,
                f"UPDATE batch_items SET {assignments}, updated_at = NOW() "
                "WHERE run = ? AND idx = ? AND lease_owner = ?",
                (*columns.values(), self.run, item.index, worker),
            )
        if changed != 1:
            msg = f"item {item.index} was taken over by another worker"
            raise LeaseLost(msg)
        item.status = status
        for name, value in fields.items():
            setattr(item, name, value)

    def release(self, worker: str, item: BatchItem, error: str, retry_after: float) -> None:
        """Give ``item`` back after a transient error: another claim may take it after
        ``retry_after`` seconds; after ``MAX_ATTEMPTS`` claims it fails with the error."""
        if item.attempts >= MAX_ATTEMPTS:
            message = f"gave up after {item.attempts} attempts: {error}"
            self.record(worker, item, "failed", error=message, failure="transient")
            return
        with self.transaction() as cursor:
            self._execute(
                cursor,
                "UPDATE batch_items SET lease_owner = NULL, lease_until = NOW() + ?, error = ?, "
                "updated_at = NOW() WHERE run = ? AND idx = ? AND lease_owner = ?",
                (retry_after, error, self.run, item.index, worker),
            )

    # -- the global request ceiling -------------------------------------------------------------

    def take_request(self) -> float:
        """Count one request against the run's ceiling: 0 to go now, else seconds to wait."""
        with self.transaction() as cursor:
            run = self._rows(
                cursor,
                f"SELECT requests_per_minute FROM batch_runs WHERE name = ?{self.lock_run_sql}",
                (self.run,),
            )
            ceiling = run[0][0] if run else None
            if ceiling is None:
                return 0.0
            self._execute(
                cursor, "DELETE FROM batch_requests WHERE run = ? AND at < NOW() - 60", (self.run,)
            )
            rows = self._rows(
                cursor,
                "SELECT COUNT(*), MIN(at), NOW() FROM batch_requests WHERE run = ?",
                (self.run,),
            )
            count, oldest, now = rows[0]
            if count >= ceiling:
                return max(0.01, float(oldest) + 60 - float(now))
            self._execute(cursor, "INSERT INTO batch_requests VALUES (?, NOW())", (self.run,))
            return 0.0

    # -- operating a run ------------------------------------------------------------------------

    def items(self) -> Iterator[BatchItem]:
        """Every item, in order."""
        with self.transaction() as cursor:
            rows = self._rows(
                cursor,
                f"SELECT {_COLUMNS} FROM batch_items WHERE run = ? ORDER BY idx",
                (self.run,),
            )
        return (_item(row) for row in rows)

    def open_count(self) -> int:
        """Items not yet downloaded or failed."""
        with self.transaction() as cursor:
            rows = self._rows(
                cursor,
                "SELECT COUNT(*) FROM batch_items WHERE run = ? AND status IN "
                "('pending', 'created', 'completed')",
                (self.run,),
            )
        return int(rows[0][0])

    def status(self) -> RunStatus:
        """Counts by state, failures, throughput over the last ten minutes."""
        with self.transaction() as cursor:
            counts = dict(
                self._rows(
                    cursor,
                    "SELECT status, COUNT(*) FROM batch_items WHERE run = ? GROUP BY status",
                    (self.run,),
                )
            )
            recent = self._rows(
                cursor,
                "SELECT COUNT(*) FROM batch_items WHERE run = ? AND status = 'downloaded' "
                "AND updated_at >= NOW() - 600",
                (self.run,),
            )[0][0]
            failures = self._rows(
                cursor,
                f"SELECT {_COLUMNS} FROM batch_items WHERE run = ? AND status = 'failed' "
                "ORDER BY idx",
                (self.run,),
            )
        return RunStatus(
            run=self.run,
            counts={str(k): int(v) for k, v in counts.items()},
            failures=[_item(row) for row in failures],
            per_minute=int(recent) / 10,
            total=sum(int(v) for v in counts.values()),
        )

    def retry_failed(self) -> int:
        """Put failed items back: a failed *job* gets a new Idempotency-Key (a new job, paid
        again); an item that failed on transient errors resumes where it was. Returns how many."""
        with self.transaction() as cursor:
            jobs = self._rows(
                cursor,
                "SELECT idx FROM batch_items WHERE run = ? AND status = 'failed' "
                "AND failure = 'job'",
                (self.run,),
            )
            for (index,) in jobs:
                self._execute(
                    cursor,
                    "UPDATE batch_items SET status = 'pending', video_id = NULL, error = NULL, "
                    "failure = NULL, attempts = 0, idempotency_key = ?, updated_at = NOW() "
                    "WHERE run = ? AND idx = ?",
                    (new_idempotency_key(), self.run, index),
                )
            transient = self._execute(
                cursor,
                "UPDATE batch_items SET status = CASE WHEN video_id IS NULL THEN 'pending' "
                "ELSE 'created' END, error = NULL, failure = NULL, attempts = 0, "
                "updated_at = NOW() WHERE run = ? AND status = 'failed' AND failure = 'transient'",
                (self.run,),
            )
        return len(jobs) + transient


def _options(entry: dict[str, str]) -> dict[str, str]:
    return {key: entry[key] for key in OPTION_KEYS if key in entry}


def _item(row: Sequence[Any]) -> BatchItem:
    index, prompt, options, key, status, video_id, error, file, attempts, failure = row
    return BatchItem(
        index=int(index),
        prompt=prompt,
        options=json.loads(options),
        idempotency_key=key,
        status=status,
        video_id=video_id,
        error=error,
        file=file,
        attempts=int(attempts),
        failure=failure,
    )
