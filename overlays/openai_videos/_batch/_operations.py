"""Operating a run from outside it: what it holds, where it stands, what to queue again."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from .._calls import new_idempotency_key
from ._schema import (
    COLUMNS,
    OPEN,
    RATE_WINDOW,
    BatchItem,
    Failure,
    ItemStatus,
    RunStatus,
    item_from_row,
)
from ._sql import SQLStore

__all__ = ["RunOperations"]


class RunOperations(SQLStore):
    """Reading a run, and putting its failed or uncertain items back (``batch status``,
    ``batch retry``)."""

    def runs(self) -> list[str]:
        """The names of the runs this store holds."""
        with self.transaction() as cursor:
            return [str(name) for (name,) in self._rows(cursor, "SELECT name FROM batch_runs")]

    def items(self) -> Iterator[BatchItem]:
        """Every item, in order."""
        with self.transaction() as cursor:
            rows = self._rows(
                cursor,
                f"SELECT {COLUMNS} FROM batch_items WHERE run = ? ORDER BY idx",
                (self.run,),
            )
        return (item_from_row(row) for row in rows)

    def open_count(self) -> int:
        """Items not yet downloaded, failed or parked as uncertain."""
        with self.transaction() as cursor:
            rows = self._rows(
                cursor,
                f"SELECT COUNT(*) FROM batch_items WHERE run = ? AND status IN ({self._in(OPEN)})",
                (self.run, *OPEN),
            )
        return int(rows[0][0])

    def status(self, *, details: bool = True) -> RunStatus:
        """Where the run stands across every worker, read in one transaction: counts by
        state, jobs in flight, the learned cap, the download rate over the recent window
        (``RATE_WINDOW``, or since work began if later) and, with ``details``, the failed and
        uncertain items and the spend."""
        with self.transaction() as cursor:
            counts = dict(
                self._rows(
                    cursor,
                    "SELECT status, COUNT(*) FROM batch_items WHERE run = ? GROUP BY status",
                    (self.run,),
                )
            )
            run = self._rows(
                cursor,
                "SELECT budget, learned_cap, max_in_flight, NOW() - COALESCE(started_at, "
                "created_at) FROM batch_runs WHERE name = ?",
                (self.run,),
            )
            budget, learned, given, since_start = run[0] if run else (None, None, None, 0.0)
            window = max(1.0, min(RATE_WINDOW, float(since_start)))
            recent = self._rows(
                cursor,
                "SELECT COUNT(*) FROM batch_items WHERE run = ? AND status = ? "
                "AND updated_at >= NOW() - ?",
                (self.run, ItemStatus.DOWNLOADED.value, window),
            )[0][0]
            running = self._in_flight(cursor)  # and completed ones are being downloaded
            listed: list[Any] = []
            spend: Sequence[Any] = (0.0, None)
            if details:
                listed = self._rows(
                    cursor,
                    f"SELECT {COLUMNS} FROM batch_items WHERE run = ? AND status IN (?, ?) "
                    "ORDER BY idx",
                    (self.run, ItemStatus.FAILED.value, ItemStatus.UNCERTAIN.value),
                )
                spend = self._rows(
                    cursor,
                    "SELECT COALESCE(SUM(reserved), 0), SUM(reported_cost) FROM batch_items "
                    "WHERE run = ?",
                    (self.run,),
                )[0]
        items = [item_from_row(row) for row in listed]
        return RunStatus(
            run=self.run,
            counts={str(k): int(v) for k, v in counts.items()},
            total=sum(int(v) for v in counts.values()),
            in_flight=running + int(counts.get(ItemStatus.COMPLETED.value, 0)),
            per_minute=int(recent) * 60 / window,
            window_seconds=window,
            learned_cap=int(learned) if learned is not None else None,
            max_in_flight=int(given) if given is not None else None,
            failures=[i for i in items if i.status == ItemStatus.FAILED],
            uncertain=[i for i in items if i.status == ItemStatus.UNCERTAIN],
            estimated_usd=float(spend[0]),
            reported_usd=float(spend[1]) if spend[1] is not None else None,
            budget=budget,
        )

    def _in_flight(self, cursor: Any) -> int:
        """Jobs that may be running on the server: created and not yet seen finished, or
        being created now (a pending item claimed by a worker, or once sent: its create may
        have reached the server). An item given back to wait (a deferred create) is not one."""
        rows = self._rows(
            cursor,
            "SELECT COUNT(*) FROM batch_items WHERE run = ? AND (status = ? OR (status = ? AND "
            "(sent_at IS NOT NULL OR (lease_owner IS NOT NULL AND lease_until >= NOW()))))",
            (self.run, ItemStatus.CREATED.value, ItemStatus.PENDING.value),
        )
        return int(rows[0][0])

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
                "UPDATE batch_items SET status = ?, video_id = ?, file = ?, sent_at = NULL "
                "WHERE run = ? AND idx = ? AND status = ?",  # not a download now: no rate
                (ItemStatus.DOWNLOADED.value, video_id, file, self.run, index,
                 ItemStatus.PENDING.value),
            )  # fmt: skip

    def reopen_missing(self, present: set[str]) -> int:
        """Items recorded as downloaded whose file is not among ``present`` (deleted since)
        go back to ``completed``, to be fetched again while the server still has the video.
        Returns how many."""
        with self.transaction() as cursor:
            rows = self._rows(
                cursor,
                "SELECT idx, file FROM batch_items WHERE run = ? AND status = ?",
                (self.run, ItemStatus.DOWNLOADED.value),
            )
            missing = [index for index, file in rows if file not in present]
            for index in missing:
                self._execute(
                    cursor,
                    "UPDATE batch_items SET status = ?, file = NULL, attempts = 0, error = ?, "
                    "updated_at = NOW() WHERE run = ? AND idx = ?",
                    (ItemStatus.COMPLETED.value, "its file was deleted; fetched again",
                     self.run, index),
                )  # fmt: skip
        return len(missing)
