"""Batch runs at scale: many prompts in, one MP4 per prompt out, through a job store.

``run_batch`` works through a run kept in a job store (``_store``): SQLite in the output
directory by default, or PostgreSQL shared by any number of workers. Every step is written
before it is acted on, so a worker killed at any moment loses nothing: the run resumes where it
was, re-attaches to created jobs, and re-sends a create only with its saved Idempotency-Key
to a server seen to honour it; elsewhere it looks for the job first (see ``_runner``).
"""

from __future__ import annotations

from ._prompts import read_prompts
from ._provenance import ForeignOutputs
from ._runner import BatchLocked, BatchReport, RunStopped, estimate_prompts, open_store, run_batch
from ._sql import StoreError
from ._store import (
    BatchItem,
    Failure,
    ItemStatus,
    JobStore,
    LeaseLost,
    Limits,
    RunMismatch,
    RunStatus,
)

__all__ = [
    "BatchItem",
    "BatchLocked",
    "BatchReport",
    "Failure",
    "ForeignOutputs",
    "ItemStatus",
    "JobStore",
    "LeaseLost",
    "Limits",
    "RunMismatch",
    "RunStatus",
    "RunStopped",
    "StoreError",
    "estimate_prompts",
    "open_store",
    "read_prompts",
    "run_batch",
]
