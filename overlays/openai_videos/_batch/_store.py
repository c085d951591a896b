"""The job store behind batch runs: one small transaction per step, leases, global limits.

One behaviour, two backends (``SQLiteStore``, the embedded default, and ``PostgresStore``, for
workers on many machines), which differ only in how they connect, lock and spell their SQL.

Every item moves ``pending`` -> ``created`` -> ``completed`` -> ``downloaded`` (or
``failed``), or is parked as ``uncertain`` when a create may have made a job that could not be
found (see ``ItemStatus``). Each step is written before it is acted on or right after it
happened: the Idempotency-Key exists before the create is sent, the time of sending is saved
when the create is claimed (``sent_at``), the job id is saved before waiting on it, a file is
recorded only once it is complete. A worker holds an item through a lease that it renews; when
a worker dies, the lease runs out and another worker takes the item over.

The store also enforces the limits that must hold across workers: at most ``max_in_flight``
jobs running at once, at most ``requests_per_minute`` requests, and a ``budget`` in USD: each
new create reserves its estimate first, in the same transaction that claims it, and an item
whose estimate no longer fits fails as ``budget`` without a request.
"""

from __future__ import annotations

import enum
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
    "Failure",
    "ItemStatus",
    "JobStore",
    "LeaseLost",
    "Limits",
    "RunMismatch",
    "RunStatus",
]


class ItemStatus(enum.StrEnum):
    """Where an item stands; the store's ``status`` column holds these values."""

    PENDING = "pending"  # no job yet (or a create whose outcome is being found out)
    CREATED = "created"  # the job exists: its id is saved
    COMPLETED = "completed"  # the job finished with a video
    DOWNLOADED = "downloaded"  # the file is in the output directory
    FAILED = "failed"  # given up: see ``Failure``
    UNCERTAIN = "uncertain"  # a create may have made a job that could not be found


class Failure(enum.StrEnum):
    """Why a failed item failed; the store's ``failure`` column holds these values."""

    JOB = "job"  # the server ran the job and it failed (retrying pays again)
    TRANSIENT = "transient"  # errors that could pass did not, after MAX_ATTEMPTS claims
    REJECTED = "rejected"  # the server refused the request (400, 404, 422): no job was made
    BUDGET = "budget"  # its estimate did not fit the run's budget: nothing was sent


OPEN_STATUSES = (ItemStatus.PENDING, ItemStatus.CREATED, ItemStatus.COMPLETED)
FINAL_STATUSES = (ItemStatus.DOWNLOADED, ItemStatus.FAILED)
MONEY_EPSILON = 1e-9  # USD: 0.4 five times is 2.0000000000000004, and fits a budget of 2
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
-- columns added since the first release are in ADDED_COLUMNS (stores made earlier get them)
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
ADDED_COLUMNS = (
    ("batch_runs", "honours_key", "INTEGER NOT NULL DEFAULT 0"),
    ("batch_runs", "budget", "DOUBLE PRECISION"),
    ("batch_items", "sent_at", "DOUBLE PRECISION"),
    ("batch_items", "estimate", "DOUBLE PRECISION"),
    ("batch_items", "reserved", "DOUBLE PRECISION NOT NULL DEFAULT 0"),
    ("batch_items", "reported_cost", "DOUBLE PRECISION"),
)
_COLUMNS = (
    "idx, prompt, options, idempotency_key, status, video_id, error, file, attempts, failure, "
    "sent_at, estimate, reported_cost"
)
_OPEN = tuple(str(status) for status in OPEN_STATUSES)


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
    failure: str | None = None  # a ``Failure``
    sent_at: float | None = None  # when a create was first sent, if its outcome is unknown
    estimate: float | None = None  # USD, from the rate table
    reported_cost: float | None = None  # USD, as the server reported it


@attrs.frozen
class Limits:
    """Limits that hold across every worker of a run (None: no limit)."""

    max_in_flight: int | None = None
    requests_per_minute: int | None = None
    budget: float | None = None  # USD, for every job the run creates


@attrs.frozen
class RunStatus:
    """Where a run stands, for ``openai-videos batch status``."""

    run: str
    counts: dict[str, int]
    failures: list[BatchItem]
    per_minute: float
    total: int
    uncertain: list[BatchItem] = attrs.field(factory=list)
    estimated_usd: float = 0.0  # reserved for every create sent (or about to be)
    reported_usd: float | None = None  # what the server reported, where it did
    budget: float | None = None

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

    # -- the run ---------------------------------------------------------------------------------

    def runs(self) -> list[str]:
        """The names of the runs this store holds."""
        with self.transaction() as cursor:
            return [str(name) for (name,) in self._rows(cursor, "SELECT name FROM batch_runs")]

    def open_run(
        self,
        prompts: list[dict[str, str]],
        limits: Limits,
        estimates: Sequence[float | None] | None = None,
    ) -> bool:
        """Start the run with these prompts (each with its Idempotency-Key, saved before any
        request), or join it; the limits (and, given, the estimates in USD, one per prompt)
        are the run's, updated by whoever opens it. Returns whether the run is new.

        Raises:
            RunMismatch: The run exists for another prompts file.
        """
        digest = fingerprint(prompts)
        costs = list(estimates) if estimates is not None else [None] * len(prompts)
        with self.transaction() as cursor:
            created = self._execute(  # waits for a concurrent creator; then does nothing
                cursor,
                "INSERT INTO batch_runs (name, fingerprint, total, max_in_flight, "
                "requests_per_minute, budget, created_at) VALUES (?, ?, ?, ?, ?, ?, NOW()) "
                "ON CONFLICT (name) DO NOTHING",
                (self.run, digest, len(prompts), limits.max_in_flight,
                 limits.requests_per_minute, limits.budget),
            )  # fmt: skip
            if created:
                cursor.executemany(
                    self._sql(
                        "INSERT INTO batch_items (run, idx, prompt, options, idempotency_key, "
                        "status, estimate, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, NOW())"
                    ),
                    [
                        (self.run, index, entry["prompt"], json.dumps(_options(entry)),
                         new_idempotency_key(), ItemStatus.PENDING.value, costs[index])
                        for index, entry in enumerate(prompts)
                    ],
                )  # fmt: skip
                return True
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
                "UPDATE batch_runs SET max_in_flight = ?, requests_per_minute = ?, budget = ? "
                "WHERE name = ?",
                (limits.max_in_flight, limits.requests_per_minute, limits.budget, self.run),
            )
            if estimates is not None:
                cursor.executemany(
                    self._sql("UPDATE batch_items SET estimate = ? WHERE run = ? AND idx = ?"),
                    [(cost, self.run, index) for index, cost in enumerate(costs)],
                )
            return False

    def note_honours_key(self) -> None:
        """Record that the server echoed an Idempotency-Key in this run: a create that may
        have reached it can be sent again with its key."""
        with self.transaction() as cursor:
            self._execute(
                cursor, "UPDATE batch_runs SET honours_key = 1 WHERE name = ?", (self.run,)
            )

    def honours_key(self) -> bool:
        """Whether the server was seen to honour Idempotency-Key in this run."""
        with self.transaction() as cursor:
            rows = self._rows(
                cursor, "SELECT honours_key FROM batch_runs WHERE name = ?", (self.run,)
            )
        return bool(rows and rows[0][0])

    # -- claiming ----------------------------------------------------------------------------------

    def claim(self, worker: str, lease_seconds: float, now: float = 0.0) -> BatchItem | None:
        """One item for ``worker`` to work on, leased for ``lease_seconds``, or None for now.

        Items whose job exists come first (re-attaching costs nothing); a new job is started
        only while fewer than ``max_in_flight`` are running across all workers, and only if its
        estimate fits what is left of the budget: it is reserved here. A pending item's
        ``sent_at`` is set to ``now`` (the caller's clock) if unset; the item returned carries
        the value it had before, so a create whose outcome is unknown is recognised.
        """
        with self.transaction() as cursor:
            run = self._rows(
                cursor,
                f"SELECT max_in_flight, budget FROM batch_runs WHERE name = ?{self.lock_run_sql}",
                (self.run,),
            )
            if not run:
                return None
            cap, budget = run[0]
            free = "(lease_until IS NULL OR lease_until < NOW())"
            rows = self._rows(
                cursor,
                f"SELECT idx, sent_at FROM batch_items WHERE run = ? AND status IN (?, ?) AND {free} "
                f"ORDER BY idx LIMIT 1{self.skip_locked}",
                (self.run, ItemStatus.CREATED.value, ItemStatus.COMPLETED.value),
            )
            if not rows:
                if cap is not None and self._in_flight(cursor) >= cap:
                    return None
                rows = self._pending(cursor, budget, free)
            if not rows:
                return None
            index, sent_at = rows[0]
            reserve = "reserved + COALESCE(estimate, 0)" if sent_at is None else "reserved"
            claimed = self._rows(
                cursor,
                f"UPDATE batch_items SET lease_owner = ?, lease_until = NOW() + ?, "
                f"attempts = attempts + 1, sent_at = COALESCE(sent_at, ?), reserved = "
                f"CASE WHEN status = ? THEN {reserve} ELSE reserved END "
                f"WHERE run = ? AND idx = ? RETURNING {_COLUMNS}",
                (worker, lease_seconds, now, ItemStatus.PENDING.value, self.run, index),
            )
        item = _item(claimed[0])
        item.sent_at = sent_at
        return item

    def _pending(self, cursor: Any, budget: float | None, free: str) -> list[Any]:
        """The next pending item (with its ``sent_at``) whose new create fits the budget;
        pending items that can no longer fit fail as ``budget``."""
        fits = ""
        params: list[Any] = [self.run, ItemStatus.PENDING.value]
        if budget is not None:
            left = budget - self._reserved(cursor) + MONEY_EPSILON  # sums of floats drift
            fits = " AND (sent_at IS NOT NULL OR COALESCE(estimate, 0) <= ?)"
            params.append(left)
        rows = self._rows(
            cursor,
            f"SELECT idx, sent_at FROM batch_items WHERE run = ? AND status = ? AND {free}"
            f"{fits} ORDER BY idx LIMIT 1{self.skip_locked}",
            params,
        )
        if not rows and budget is not None:
            self._execute(
                cursor,
                "UPDATE batch_items SET status = ?, failure = ?, error = ?, updated_at = NOW() "
                "WHERE run = ? AND status = ? AND sent_at IS NULL AND estimate > ? "
                "AND lease_owner IS NULL",
                (ItemStatus.FAILED.value, Failure.BUDGET.value,
                 f"not created: its estimate passes what is left of the USD {budget:g} budget",
                 self.run, ItemStatus.PENDING.value, params[-1]),
            )  # fmt: skip
        return rows

    def _reserved(self, cursor: Any) -> float:
        rows = self._rows(
            cursor, "SELECT COALESCE(SUM(reserved), 0) FROM batch_items WHERE run = ?", (self.run,)
        )
        return float(rows[0][0])

    def _in_flight(self, cursor: Any) -> int:
        """Jobs that may be running: created and not yet seen finished, or being created now
        (a pending item leased, or once sent: its create may have reached the server)."""
        rows = self._rows(
            cursor,
            "SELECT COUNT(*) FROM batch_items WHERE run = ? AND (status = ? OR "
            "(status = ? AND (attempts > 0 OR lease_until >= NOW())))",
            (self.run, ItemStatus.CREATED.value, ItemStatus.PENDING.value),
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
        """Move ``item`` to ``status`` (with ``video_id``, ``error``, ``file`` ...); a final or
        parked status releases the lease.

        Raises:
            LeaseLost: ``worker`` no longer holds the item.
        """
        columns = {"status": str(status), **fields}
        if status not in OPEN_STATUSES:
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
        item.status = str(status)
        for name, value in fields.items():
            setattr(item, name, value)

    def adopt(self, worker: str, item: BatchItem, video_id: str) -> bool:
        """Make ``video_id`` (found on the server) ``item``'s job, unless another item of the
        run owns it already. Returns whether it was adopted.

        Raises:
            LeaseLost: ``worker`` no longer holds the item.
        """
        with self.transaction() as cursor:
            owned = self._rows(
                cursor,
                "SELECT COUNT(*) FROM batch_items WHERE run = ? AND video_id = ? AND idx <> ?",
                (self.run, video_id, item.index),
            )
            if owned[0][0]:
                return False
            changed = self._execute(
                cursor,
                "UPDATE batch_items SET status = ?, video_id = ?, updated_at = NOW() "
                "WHERE run = ? AND idx = ? AND lease_owner = ?",
                (ItemStatus.CREATED.value, video_id, self.run, item.index, worker),
            )
        if changed != 1:
            msg = f"item {item.index} was taken over by another worker"
            raise LeaseLost(msg)
        item.status, item.video_id = ItemStatus.CREATED, video_id
        return True

    def video_ids(self) -> set[str]:
        """Every job id the run's items own."""
        with self.transaction() as cursor:
            rows = self._rows(
                cursor,
                "SELECT video_id FROM batch_items WHERE run = ? AND video_id IS NOT NULL",
                (self.run,),
            )
        return {str(video_id) for (video_id,) in rows}

    def release(
        self,
        worker: str,
        item: BatchItem,
        error: str,
        retry_after: float,
        *,
        unsent: bool = False,
    ) -> None:
        """Give ``item`` back after a transient error: another claim may take it after
        ``retry_after`` seconds; after ``MAX_ATTEMPTS`` claims it fails with the error.

        ``unsent``: the server certainly made no job (the create was refused before acting):
        the next claim is a fresh create, and its reservation is given back.
        """
        if item.attempts >= MAX_ATTEMPTS:
            message = f"gave up after {item.attempts} attempts: {error}"
            self.record(worker, item, ItemStatus.FAILED, error=message, failure=Failure.TRANSIENT)
            return
        with self.transaction() as cursor:
            self._execute(
                cursor,
                "UPDATE batch_items SET lease_owner = NULL, lease_until = NOW() + ?, error = ?, "
                "updated_at = NOW() WHERE run = ? AND idx = ? AND lease_owner = ?",
                (retry_after, error, self.run, item.index, worker),
            )
            if unsent:
                self._forget_send(cursor, item)

    def reject(self, worker: str, item: BatchItem, error: str, *, unsent: bool) -> None:
        """Fail ``item`` at once: the server refused it (400, 404, 422), so retrying cannot
        help; with ``unsent`` no job was made and the reservation is given back.

        Raises:
            LeaseLost: ``worker`` no longer holds the item.
        """
        self.record(worker, item, ItemStatus.FAILED, error=error, failure=Failure.REJECTED)
        if unsent:
            with self.transaction() as cursor:
                self._forget_send(cursor, item)

    def unclaim(self, worker: str, item: BatchItem, *, unsent: bool) -> None:
        """Give ``item`` back as it was before this claim (the run stops: a wrong API key)."""
        with self.transaction() as cursor:
            self._execute(
                cursor,
                "UPDATE batch_items SET lease_owner = NULL, lease_until = NULL, "
                "attempts = attempts - 1 WHERE run = ? AND idx = ? AND lease_owner = ?",
                (self.run, item.index, worker),
            )
            if unsent:
                self._forget_send(cursor, item)

    def _forget_send(self, cursor: Any, item: BatchItem) -> None:
        """The create of this claim made no job: clear ``sent_at`` and its reservation, unless
        an earlier create of the item may have made one (``item.sent_at`` set)."""
        if item.sent_at is not None:
            return
        self._execute(
            cursor,
            "UPDATE batch_items SET sent_at = NULL, reserved = reserved - COALESCE(estimate, 0) "
            "WHERE run = ? AND idx = ? AND sent_at IS NOT NULL",
            (self.run, item.index),
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
        """Items not yet downloaded, failed or parked as uncertain."""
        with self.transaction() as cursor:
            rows = self._rows(
                cursor,
                f"SELECT COUNT(*) FROM batch_items WHERE run = ? AND status IN ({self._in(_OPEN)})",
                (self.run, *_OPEN),
            )
        return int(rows[0][0])

    def status(self) -> RunStatus:
        """Counts by state, failures and uncertain items, spend, throughput over the last ten
        minutes."""
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
                "SELECT COUNT(*) FROM batch_items WHERE run = ? AND status = ? "
                "AND updated_at >= NOW() - 600",
                (self.run, ItemStatus.DOWNLOADED.value),
            )[0][0]
            listed = self._rows(
                cursor,
                f"SELECT {_COLUMNS} FROM batch_items WHERE run = ? AND status IN (?, ?) "
                "ORDER BY idx",
                (self.run, ItemStatus.FAILED.value, ItemStatus.UNCERTAIN.value),
            )
            spend = self._rows(
                cursor,
                "SELECT COALESCE(SUM(reserved), 0), SUM(reported_cost) FROM batch_items "
                "WHERE run = ?",
                (self.run,),
            )[0]
            budget = self._rows(cursor, "SELECT budget FROM batch_runs WHERE name = ?", (self.run,))
        items = [_item(row) for row in listed]
        return RunStatus(
            run=self.run,
            counts={str(k): int(v) for k, v in counts.items()},
            failures=[i for i in items if i.status == ItemStatus.FAILED],
            per_minute=int(recent) / 10,
            total=sum(int(v) for v in counts.values()),
            uncertain=[i for i in items if i.status == ItemStatus.UNCERTAIN],
            estimated_usd=float(spend[0]),
            reported_usd=float(spend[1]) if spend[1] is not None else None,
            budget=budget[0][0] if budget else None,
        )

    def retry_failed(self, *, uncertain: bool = False) -> int:
        """Put failed items back: a failed *job* gets a new Idempotency-Key (a new job, paid
        again); an item that failed on transient errors, was refused or did not fit the budget
        resumes where it was. With ``uncertain``, items parked as uncertain are queued too:
        their create is sent again with its key (on a server that ignores the key, this may
        pay for a second job: the user's call). Returns how many."""
        failed = ItemStatus.FAILED.value
        with self.transaction() as cursor:
            jobs = self._rows(
                cursor,
                "SELECT idx FROM batch_items WHERE run = ? AND status = ? AND failure = ?",
                (self.run, failed, Failure.JOB.value),
            )
            for (index,) in jobs:
                self._execute(
                    cursor,
                    "UPDATE batch_items SET status = ?, video_id = NULL, error = NULL, "
                    "failure = NULL, attempts = 0, sent_at = NULL, idempotency_key = ?, "
                    "updated_at = NOW() WHERE run = ? AND idx = ?",
                    (ItemStatus.PENDING.value, new_idempotency_key(), self.run, index),
                )
            others = self._execute(
                cursor,
                "UPDATE batch_items SET status = CASE WHEN video_id IS NULL THEN ? ELSE ? END, "
                "error = NULL, failure = NULL, attempts = 0, updated_at = NOW() "
                "WHERE run = ? AND status = ? AND failure IN (?, ?, ?)",
                (ItemStatus.PENDING.value, ItemStatus.CREATED.value, self.run, failed,
                 Failure.TRANSIENT.value, Failure.REJECTED.value, Failure.BUDGET.value),
            )  # fmt: skip
            parked = 0
            if uncertain:
                parked = self._execute(
                    cursor,
                    "UPDATE batch_items SET status = ?, error = NULL, attempts = 0, "
                    "sent_at = NULL, updated_at = NOW() WHERE run = ? AND status = ?",
                    (ItemStatus.PENDING.value, self.run, ItemStatus.UNCERTAIN.value),
                )
        return len(jobs) + others + parked

    def adopt_output(self, index: int, video_id: str, file: str) -> None:
        """Record an output found in the directory (a provenance record) as item ``index``'s
        download: rebuilding a lost store without paying again."""
        with self.transaction() as cursor:
            self._execute(
                cursor,
                "UPDATE batch_items SET status = ?, video_id = ?, file = ?, sent_at = NULL, "
                "updated_at = NOW() WHERE run = ? AND idx = ? AND status = ?",
                (ItemStatus.DOWNLOADED.value, video_id, file, self.run, index,
                 ItemStatus.PENDING.value),
            )  # fmt: skip


def _options(entry: dict[str, str]) -> dict[str, str]:
    return {key: entry[key] for key in OPTION_KEYS if key in entry}


def _item(row: Sequence[Any]) -> BatchItem:
    (index, prompt, options, key, status, video_id, error, file, attempts, failure, sent_at,
     estimate, reported_cost) = row  # fmt: skip
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
        sent_at=sent_at,
        estimate=estimate,
        reported_cost=reported_cost,
    )
