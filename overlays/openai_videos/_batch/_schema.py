"""The job store's vocabulary and tables: item states, failure kinds, the schema, the rows'
shape. Shared by both backends; no I/O."""

from __future__ import annotations

import enum
import json
from collections.abc import Sequence
from typing import Any

import attrs

from ._prompts import OPTION_KEYS

__all__ = [
    "ADDED_COLUMNS",
    "COLUMNS",
    "FINAL_STATUSES",
    "MAX_ATTEMPTS",
    "MONEY_EPSILON",
    "OPEN",
    "OPEN_STATUSES",
    "PROBE_AFTER",
    "RAMP_END",
    "RATE_WINDOW",
    "SCHEMA",
    "BatchItem",
    "Failure",
    "ItemStatus",
    "LeaseLost",
    "Limits",
    "RunMismatch",
    "RunStatus",
    "item_from_row",
    "options_of",
    "tightest",
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
    ("batch_runs", "learned_cap", "INTEGER"),
    ("batch_runs", "cap_successes", "INTEGER NOT NULL DEFAULT 0"),
    ("batch_runs", "paused_until", "DOUBLE PRECISION"),  # a 429 with Retry-After, shared
    ("batch_runs", "started_at", "DOUBLE PRECISION"),  # when work last began after a pause
    ("batch_runs", "ramp", "INTEGER"),  # the slow start's allowance of jobs (None: over)
    ("batch_runs", "create_encoding", "TEXT"),  # "json" or "multipart", once the server refused one
)
RAMP_END = 128  # the slow start doubles its allowance per successful create up to this
RATE_WINDOW = 300.0  # seconds of recent downloads that the rate and the time left come from
PROBE_AFTER = 20  # creates that succeed at the learned cap before one more job is tried
COLUMNS = (
    "idx, prompt, options, idempotency_key, status, video_id, error, file, attempts, failure, "
    "sent_at, estimate, reported_cost"
)
OPEN = tuple(str(status) for status in OPEN_STATUSES)  # as SQL parameters


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

    def to_json(self) -> dict[str, Any]:
        """What a person or a script needs to know of the item."""
        return {
            "index": self.index,
            "prompt": self.prompt,
            "video_id": self.video_id,
            "status": self.status,
            "file": self.file,
            "error": self.error,
            "failure": self.failure,
        }


@attrs.frozen
class Limits:
    """Limits that hold across every worker of a run (None: no limit)."""

    max_in_flight: int | None = None
    requests_per_minute: int | None = None
    budget: float | None = None  # USD, for every job the run creates


@attrs.frozen
class RunStatus:
    """Where a run stands, for every worker together: ``batch status``, the live progress of
    ``batch run`` and its final summary all show these numbers."""

    run: str
    counts: dict[str, int]  # items by ``ItemStatus``
    total: int
    in_flight: int = 0  # jobs on the server or being created now (all workers)
    per_minute: float = 0.0  # videos downloaded a minute, over the recent window
    window_seconds: float = 0.0  # how long that window is (shorter just after a start)
    learned_cap: int | None = None  # the server's cap on running jobs, as learned
    max_in_flight: int | None = None  # the user's cap
    failures: list[BatchItem] = attrs.field(factory=list)
    uncertain: list[BatchItem] = attrs.field(factory=list)
    estimated_usd: float = 0.0  # reserved for every create sent (or about to be)
    reported_usd: float | None = None  # what the server reported, where it did
    budget: float | None = None

    def count(self, status: ItemStatus) -> int:
        return self.counts.get(status.value, 0)

    @property
    def remaining(self) -> int:
        """Items not yet downloaded, failed or parked as uncertain."""
        return sum(self.count(status) for status in OPEN_STATUSES)

    @property
    def queued(self) -> int:
        """Open items that nobody works on now."""
        return self.remaining - self.in_flight

    @property
    def cap(self) -> int | None:
        """How many jobs the run keeps in flight at most, across workers (None: no cap)."""
        return tightest(self.learned_cap, self.max_in_flight)

    @property
    def minutes_left(self) -> float | None:
        """An estimate from the recent rate: 0 when nothing is open, None before any
        download in the window."""
        if not self.remaining:
            return 0.0
        return self.remaining / self.per_minute if self.per_minute else None

    def line(self) -> str:
        """One line for a person: counts, cap, rate and time left."""
        parts = [
            f"{self.count(ItemStatus.DOWNLOADED)}/{self.total} done",
            f"{self.count(ItemStatus.FAILED)} failed",
            f"{self.count(ItemStatus.UNCERTAIN)} uncertain",
            f"{self.in_flight} in flight",
            f"{self.queued} queued",
        ]
        if self.cap is not None:
            learned = " (learned from the server)" if self.cap == self.learned_cap else ""
            parts.append(f"cap {self.cap}{learned}")
        left = self.minutes_left
        if self.remaining:
            window = _duration(self.window_seconds / 60)
            parts.append(f"{self.per_minute:.1f} videos/min over the last {window}")
            parts.append(f"about {_duration(left)} left" if left is not None else "no ETA yet")
        return ", ".join(parts)

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready description (``batch status --json``)."""
        left = self.minutes_left
        return {
            "run": self.run,
            "total": self.total,
            "counts": {str(state): self.counts.get(state, 0) for state in ItemStatus},
            "in_flight": self.in_flight,
            "queued": self.queued,
            "cap": self.cap,
            "learned_cap": self.learned_cap,
            "per_minute": round(self.per_minute, 3),
            "window_seconds": round(self.window_seconds, 1),
            "minutes_left": round(left, 1) if left is not None else None,
            "failures": [item.to_json() for item in self.failures],
            "uncertain": [item.to_json() for item in self.uncertain],
            "spend": {
                "estimated_usd": round(self.estimated_usd, 6),
                "reported_usd": self.reported_usd,
                "budget_usd": self.budget,
            },
        }


def _duration(minutes: float) -> str:
    if minutes < 1:
        return f"{max(1, round(minutes * 60))} s"
    if minutes < 90:
        return f"{round(minutes)} min"
    return f"{minutes / 60:.1f} h"


def tightest(*caps: int | None) -> int | None:
    """The smallest of the caps that are set (None: none is)."""
    given = [int(cap) for cap in caps if cap is not None]
    return min(given) if given else None


def options_of(entry: dict[str, str]) -> dict[str, str]:
    return {key: entry[key] for key in OPTION_KEYS if key in entry}


def item_from_row(row: Sequence[Any]) -> BatchItem:
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
