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

import json
from collections.abc import Sequence
from typing import Any

from .._calls import new_idempotency_key
from ._operations import RunOperations
from ._prompts import fingerprint
from ._schema import (
    COLUMNS,
    MAX_ATTEMPTS,
    MONEY_EPSILON,
    OPEN_STATUSES,
    PROBE_AFTER,
    RAMP_END,
    SCHEMA,
    BatchItem,
    Failure,
    ItemStatus,
    LeaseLost,
    Limits,
    RunMismatch,
    RunStatus,
    item_from_row,
    options_of,
    tightest,
)

__all__ = [
    "OPEN_STATUSES",
    "SCHEMA",
    "BatchItem",
    "Failure",
    "ItemStatus",
    "JobStore",
    "LeaseLost",
    "Limits",
    "RunMismatch",
    "RunStatus",
]


class JobStore(RunOperations):
    """The behaviour every backend shares: one small transaction per step of an item.

    Methods are blocking and short; the runner calls them off the event loop. Each is one
    transaction.
    """

    # -- the run ---------------------------------------------------------------------------------

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
                "requests_per_minute, budget, created_at, started_at, ramp) "
                "VALUES (?, ?, ?, ?, ?, ?, NOW(), NOW(), 1) "
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
                        (self.run, index, entry["prompt"], json.dumps(options_of(entry)),
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
            self._execute(  # nobody works on the run now: this is a new start (for the rate)
                cursor,
                "UPDATE batch_runs SET started_at = NOW() WHERE name = ? AND NOT EXISTS "
                "(SELECT 1 FROM batch_items WHERE run = ? AND lease_owner IS NOT NULL "
                "AND lease_until >= NOW())",
                (self.run, self.run),
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

    def note_create_encoding(self, encoding: str) -> None:
        """Record the create encoding the server was seen to need (it refused the other), for
        every worker of the run."""
        with self.transaction() as cursor:
            self._execute(
                cursor,
                "UPDATE batch_runs SET create_encoding = ? WHERE name = ?",
                (encoding, self.run),
            )

    def create_encoding(self) -> str | None:
        """The create encoding learned in this run, if any."""
        with self.transaction() as cursor:
            rows = self._rows(
                cursor, "SELECT create_encoding FROM batch_runs WHERE name = ?", (self.run,)
            )
        return str(rows[0][0]) if rows and rows[0][0] else None

    def honours_key(self) -> bool:
        """Whether the server was seen to honour Idempotency-Key in this run."""
        with self.transaction() as cursor:
            rows = self._rows(
                cursor, "SELECT honours_key FROM batch_runs WHERE name = ?", (self.run,)
            )
        return bool(rows and rows[0][0])

    # -- claiming ----------------------------------------------------------------------------------

    def claim(self, worker: str, lease_seconds: float, now: float) -> BatchItem | None:
        """One item for ``worker`` to work on, leased for ``lease_seconds``, or None for now.

        Items whose job exists (or may: a create whose outcome is unknown) come first, whatever
        the caps, since they add no job; a new job is started
        only while fewer than ``max_in_flight`` are running across all workers, and only if its
        estimate fits what is left of the budget: it is reserved here. A pending item's
        ``sent_at`` is set to ``now`` (the caller's clock) if unset; the item returned carries
        the value it had before, so a create whose outcome is unknown is recognised.
        """
        with self.transaction() as cursor:
            run = self._rows(
                cursor,
                f"SELECT max_in_flight, budget, learned_cap, ramp, "
                f"COALESCE(paused_until, 0) > NOW() FROM batch_runs "
                f"WHERE name = ?{self.lock_run_sql}",
                (self.run,),
            )
            if not run:
                return None
            given, budget, learned, ramp, paused = run[0]
            cap = tightest(given, learned, ramp)
            free = "(lease_until IS NULL OR lease_until < NOW())"
            rows = self._rows(  # jobs that exist, or may: they count in flight already
                cursor,
                f"SELECT idx, sent_at FROM batch_items WHERE run = ? AND (status IN (?, ?) OR "
                f"(status = ? AND sent_at IS NOT NULL)) AND {free} "
                f"ORDER BY idx LIMIT 1{self.skip_locked}",
                (self.run, ItemStatus.CREATED.value, ItemStatus.COMPLETED.value,
                 ItemStatus.PENDING.value),
            )  # fmt: skip
            if not rows:
                if paused or (cap is not None and self._in_flight(cursor) >= cap):
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
                f"WHERE run = ? AND idx = ? RETURNING {COLUMNS}",
                (worker, lease_seconds, now, ItemStatus.PENDING.value, self.run, index),
            )
        item = item_from_row(claimed[0])
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
            if changed == 1 and status == ItemStatus.CREATED:
                self._probe_higher(cursor)
        if changed != 1:
            msg = f"item {item.index} was taken over by another worker"
            raise LeaseLost(msg)
        item.status = str(status)
        for name, value in fields.items():
            setattr(item, name, value)

    # -- the server's cap on running jobs, learned -----------------------------------------------

    def lower_cap(self, worker: str, item: BatchItem) -> int | None:
        """The server refused ``item``'s create for too many running jobs: keep one job fewer
        in flight than there are now, across every worker, and give the item back as it was
        (the refusal is not one of its attempts). Returns the learned cap; None, changing
        nothing, when no other job of the run was running (then the refusal cannot be a cap,
        and the caller treats it as an error).

        Each refusal sets the cap to what was running without it (never higher than the cap
        already learned, at least 1); ``PROBE_AFTER`` creates that succeed at it raise it by
        one, to find a cap that grew.
        """
        with self.transaction() as cursor:
            rows = self._rows(
                cursor,
                f"SELECT learned_cap FROM batch_runs WHERE name = ?{self.lock_run_sql}",
                (self.run,),
            )
            running = self._in_flight(cursor) - 1  # without the refused create
            if running < 1:
                return None
            learned = running if rows[0][0] is None else min(int(rows[0][0]), running)
            self._execute(
                cursor,
                "UPDATE batch_runs SET learned_cap = ?, cap_successes = 0, ramp = NULL "
                "WHERE name = ?",
                (learned, self.run),
            )
            self._unclaim(cursor, worker, item, after=0.5, unsent=True)
        return learned

    def defer(self, worker: str, item: BatchItem, seconds: float) -> None:
        """The server limits requests (a 429 with Retry-After): give ``item`` back as it was,
        and send no new create for ``seconds``, from any worker of the run (jobs already made
        are still followed); the refusal is not one of the item's attempts."""
        with self.transaction() as cursor:
            self._unclaim(cursor, worker, item, after=seconds, unsent=True)
            self._execute(
                cursor,
                "UPDATE batch_runs SET paused_until = NOW() + ? WHERE name = ? "
                "AND COALESCE(paused_until, 0) < NOW() + ?",
                (seconds, self.run, seconds),
            )

    def _probe_higher(self, cursor: Any) -> None:
        """One more create succeeded. While no cap is known, the slow start doubles how many
        jobs may be in flight (from one, to ``RAMP_END``: a server with a cap of C refuses
        about one create, not ``concurrency - C``); after ``PROBE_AFTER`` successes at a
        learned cap, one more job is allowed (up to ``max_in_flight``)."""
        self._execute(
            cursor,
            "UPDATE batch_runs SET ramp = CASE WHEN ramp * 2 > ? THEN NULL ELSE ramp * 2 END "
            "WHERE name = ? AND ramp IS NOT NULL",
            (RAMP_END, self.run),
        )
        self._execute(
            cursor,
            "UPDATE batch_runs SET cap_successes = cap_successes + 1 "
            "WHERE name = ? AND learned_cap IS NOT NULL",
            (self.run,),
        )
        self._execute(
            cursor,
            "UPDATE batch_runs SET learned_cap = learned_cap + 1, cap_successes = 0 "
            "WHERE name = ? AND cap_successes >= ? "
            "AND (max_in_flight IS NULL OR learned_cap < max_in_flight)",
            (self.run, PROBE_AFTER),
        )

    def learned_cap(self) -> int | None:
        """The server's cap on running jobs as this run learned it (None: never refused)."""
        with self.transaction() as cursor:
            rows = self._rows(
                cursor, "SELECT learned_cap FROM batch_runs WHERE name = ?", (self.run,)
            )
        return int(rows[0][0]) if rows and rows[0][0] is not None else None

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
            self._unclaim(cursor, worker, item, after=0.0, unsent=unsent)

    def _unclaim(
        self, cursor: Any, worker: str, item: BatchItem, *, after: float, unsent: bool
    ) -> None:
        """Release ``worker``'s claim on ``item`` as if it had not been made (the attempt is
        not counted), claimable again ``after`` seconds from now; with ``unsent``, no job was
        made (see ``_forget_send``)."""
        self._execute(
            cursor,
            "UPDATE batch_items SET lease_owner = NULL, lease_until = NOW() + ?, "
            "attempts = attempts - 1 WHERE run = ? AND idx = ? AND lease_owner = ?",
            (after, self.run, item.index, worker),
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
                return ceiling_wait(float(oldest), float(now))
            self._execute(cursor, "INSERT INTO batch_requests VALUES (?, NOW())", (self.run,))
            return 0.0


def ceiling_wait(oldest: float, now: float) -> float:
    """Seconds until the oldest of the last minute's requests leaves the minute, at ``now``:
    never 0, which ``take_request`` answers only when the request was counted."""
    return max(0.01, oldest + 60 - now)
