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
)
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

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready description (``batch status --json``)."""
        left = self.minutes_left
        return {
            "run": self.run,
            "total": self.total,
            "counts": {str(state): self.counts.get(state, 0) for state in ItemStatus},
            "per_minute": self.per_minute,
            "minutes_left": round(left, 1) if left is not None else None,
            "failures": [item.to_json() for item in self.failures],
            "uncertain": [item.to_json() for item in self.uncertain],
            "spend": {
                "estimated_usd": round(self.estimated_usd, 6),
                "reported_usd": self.reported_usd,
                "budget_usd": self.budget,
            },
        }


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
