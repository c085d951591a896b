"""Running a batch: workers claim items from the job store, one step at a time.

Any number of processes, on one machine or many, can run the same batch against one
PostgreSQL store; with the SQLite default one process owns the output directory. Store calls
run on one worker thread, so durable writes never block the event loop.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import fcntl
import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any, TypeVar

import attrs

from .._async._client import AsyncOpenAIVideos
from .._download import temporary_pattern
from .._pricing import RateTable, UnknownRate
from ._postgres import PostgresStore
from ._prompts import check_entry
from ._provenance import (
    ForeignOutputs,
    foreign_outputs,
    match_records,
    read_records,
)
from ._sql import StoreError
from ._sqlite import SQLiteStore
from ._store import OPEN_STATUSES, BatchItem, ItemStatus, JobStore, Limits, RunStatus
from ._worker import RunStopped, Worker

__all__ = [
    "BatchLocked",
    "BatchReport",
    "RunStopped",
    "estimate_prompts",
    "open_store",
    "run_batch",
]

T = TypeVar("T")
log = logging.getLogger("openai_videos.batch")
SQLITE_NAME = "batch.sqlite3"
LOCK_NAME = ".batch.lock"
# temporary files of our downloads and records (``_download.atomic_file`` names them)
_PART = temporary_pattern(r"\d{4,}-.+\.mp4(?:\.json)?")


class BatchLocked(RuntimeError):
    """Another process is running a batch in this output directory (without a shared store)."""


@attrs.frozen
class BatchReport:
    """What a run achieved.

    Attributes:
        downloaded: Items whose video is in the output directory.
        failed: Items that failed, each with its ``error`` and ``failure`` kind.
        uncertain: Items whose create may have made a job that could not be found.
        requests: This process's requests by outcome (``"ok"``, ``"429"``, ``"connection"``
            ...), retries included.
        status: The whole run's status at the end, every worker's items included: what
            ``batch status`` shows.
    """

    downloaded: list[BatchItem]
    failed: list[BatchItem]
    uncertain: list[BatchItem] = attrs.field(factory=list)
    requests: dict[str, int] = attrs.field(factory=dict)
    status: RunStatus | None = None

    @property
    def ok(self) -> bool:
        """Every prompt produced a file."""
        return not self.failed and not self.uncertain

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready summary (``batch --json``)."""
        return {
            "downloaded": [item.file for item in self.downloaded],
            "failed": [item.to_json() for item in self.failed],
            "uncertain": [item.to_json() for item in self.uncertain],
            "requests": self.requests,
            "status": self.status.to_json() if self.status is not None else None,
        }


def _is_shared(store: object) -> bool:
    return isinstance(store, str) and store.startswith(("postgresql://", "postgres://"))


def open_store(
    store: str | Path | None, out_dir: Path, run: str = "default", *, create: bool = True
) -> JobStore:
    """The job store: ``None`` for ``OUT_DIR/batch.sqlite3``, a ``postgresql://`` URL, or the
    path of a SQLite file. Without ``create`` (commands that only read or re-queue) nothing is
    made: a missing store or run is an error.

    Raises:
        StoreError: The store (or, without ``create``, the run) cannot be used: the message
            says why and never holds a password.
    """
    if isinstance(store, str) and "://" in store and not _is_shared(store):
        scheme = store.split("://", 1)[0]
        msg = (
            f"a --store of scheme {scheme!r} is not supported: use postgresql://USER@HOST/DB, "
            "or the path of a SQLite file"
        )
        raise StoreError(msg)
    opened: JobStore
    if isinstance(store, str) and _is_shared(store):
        opened = PostgresStore(store, run)
    else:
        if create:
            out_dir.mkdir(parents=True, exist_ok=True)
        opened = SQLiteStore(Path(store) if store else out_dir / SQLITE_NAME, run, create=create)
    if not create and run not in (runs := opened.runs()):
        opened.close()
        known = ", ".join(repr(name) for name in runs) or "none"
        msg = f"the store holds no run named {run!r} (its runs: {known}); check --run"
        raise StoreError(msg)
    return opened


def estimate_prompts(
    prompts: list[dict[str, str]], rates: RateTable | None = None
) -> tuple[list[float | None], dict[str, int]]:
    """Each prompt's estimated cost in USD (None where no rate is known), and the missing
    rates' messages with how many prompts each concerns."""
    table = rates or RateTable()
    estimates: list[float | None] = []
    missing: collections.Counter[str] = collections.Counter()
    for entry in prompts:
        try:
            found = table.estimate(
                model=entry.get("model"), seconds=entry.get("seconds"), size=entry.get("size")
            )
        except (UnknownRate, ValueError) as error:
            estimates.append(None)
            missing[str(error)] += 1
        else:
            estimates.append(found.usd)
    return estimates, dict(missing)


@contextlib.contextmanager
def _directory_lock(out_dir: Path) -> Iterator[None]:
    """Hold ``out_dir`` (which exists) for this process, or raise ``BatchLocked``."""
    handle: IO[str] = (out_dir / LOCK_NAME).open("a+")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            msg = (
                f"another openai-videos batch is running in {out_dir}; wait for it, use another "
                "--out, or share a PostgreSQL --store between the workers"
            )
            raise BatchLocked(msg) from None
        yield
    finally:
        handle.close()


async def run_batch(
    client: AsyncOpenAIVideos,
    prompts: list[dict[str, str]],
    out_dir: Path,
    *,
    concurrency: int = 4,
    on_item: Callable[[BatchItem], None] | None = None,
    store: str | Path | JobStore | None = None,
    run: str = "default",
    max_in_flight: int | None = None,
    requests_per_minute: int | None = None,
    lease_seconds: float = 30.0,
    poll_timeout: float = 3600.0,
    max_cost: float | None = None,
    rates: RateTable | None = None,
    adopt_outputs: bool = False,
    on_progress: Callable[[RunStatus], None] | None = None,
    progress_every: float = 1.0,
) -> BatchReport:
    """Generate and download a video per prompt, resuming whatever the store already holds.

    Never pays twice for a prompt: a create that failed after it may have reached the server
    is sent again only where the server was seen to honour ``Idempotency-Key``; elsewhere the
    job is looked for among the server's videos and adopted, or the item is parked as
    ``uncertain`` for the user to decide (``retry_failed(uncertain=True)``).

    Args:
        client: The client to use (its retries and backoff apply to every request).
        prompts: From ``read_prompts``.
        out_dir: Where the MP4s and their provenance records go (and, by default, the SQLite
            store).
        concurrency: How many items this process works on at once.
        on_item: Called whenever one of this process's items reaches a final state.
        store: ``None`` (SQLite in ``out_dir``), a ``postgresql://`` URL shared by any number of
            workers, a SQLite path, or an open ``JobStore``.
        run: The run's name in the store (a store can hold many runs).
        max_in_flight: At most this many jobs running at once, across every worker.
        requests_per_minute: At most this many requests a minute, across every worker.
        lease_seconds: How long a dead worker's items wait before another worker takes them.
        poll_timeout: How long one job may run before its item is given back to the queue.
        max_cost: A budget in USD for every job the run creates, across every worker: each
            create reserves its estimate first; items that do not fit fail as ``budget``.
        rates: The rate table for estimates (the built-in one by default).
        adopt_outputs: When the store does not know the videos in ``out_dir`` (it was lost),
            rebuild it from their provenance records instead of refusing to start.
        on_progress: Called every ``progress_every`` seconds with the whole run's status
            (all workers, from the store), on the store's thread.

    Returns:
        The downloaded, failed and uncertain items of the whole run, and this process's
        requests by outcome.

    Raises:
        RunMismatch: The store holds this run for another prompts file.
        BatchLocked: Another process runs a batch in ``out_dir`` with the SQLite store.
        ForeignOutputs: ``out_dir`` holds videos the store does not know (and not
            ``adopt_outputs``): nothing was created.
        UnknownRate: ``max_cost`` is set and a prompt's model has no known rate.
        RunStopped: The server refused the API key (401) or its permissions (403).
    """
    for name, value in (("concurrency", concurrency), ("max_in_flight", max_in_flight)):
        if value is not None and value < 1:
            msg = f"{name} must be at least 1, but received {value!r}"
            raise ValueError(msg)
    prompts = [check_entry(entry, f"prompt {n}") for n, entry in enumerate(prompts)]
    estimates, missing = estimate_prompts(prompts, rates)
    if max_cost is not None and missing:
        raise UnknownRate("; ".join(f"{text} ({n} prompts)" for text, n in missing.items()))
    limits = Limits(max_in_flight, requests_per_minute, max_cost)
    await asyncio.to_thread(out_dir.mkdir, parents=True, exist_ok=True)
    owned = not _is_shared(store) and not isinstance(store, JobStore)  # this process owns out_dir
    with _directory_lock(out_dir) if owned else contextlib.nullcontext():
        opened = store if isinstance(store, JobStore) else open_store(store, out_dir, run)
        worker = Worker(
            client,
            opened,
            out_dir,
            total=len(prompts),
            lease_seconds=lease_seconds,
            poll_timeout=poll_timeout,
        )
        try:
            foreign = await worker.call(_foreign_outputs, opened, out_dir)
            if foreign and not adopt_outputs:
                raise ForeignOutputs(_foreign_message(out_dir, foreign))
            await worker.call(opened.open_run, prompts, limits, estimates)
            if foreign:
                await worker.call(_adopt_outputs, opened, prompts, out_dir)
            if owned:  # no other process writes here: every leftover is stale
                await asyncio.to_thread(_remove_stale_parts, out_dir)
                await worker.call(_reopen_missing, opened, out_dir)  # deleted since: fetch again
            await worker.work(
                concurrency,
                on_item,
                gate_requests=requests_per_minute is not None,
                on_progress=on_progress,
                progress_every=progress_every,
            )
            items = await worker.call(lambda: list(opened.items()))
            final = await worker.call(opened.status)
            if not any(item.status in OPEN_STATUSES for item in items):  # nobody downloads now
                await asyncio.to_thread(_remove_stale_parts, out_dir)
        finally:
            worker.shutdown()  # first: no store call may still be running when it closes
            if not isinstance(store, JobStore):
                opened.close()
    if worker.stopped is not None:
        raise worker.stopped
    return BatchReport(
        downloaded=[item for item in items if item.status == ItemStatus.DOWNLOADED],
        failed=[item for item in items if item.status == ItemStatus.FAILED],
        uncertain=[item for item in items if item.status == ItemStatus.UNCERTAIN],
        requests=dict(worker.requests),
        status=final,
    )


def _reopen_missing(store: JobStore, out_dir: Path) -> int:
    return store.reopen_missing({path.name for path in out_dir.glob("*.mp4")})


def _foreign_outputs(store: JobStore, out_dir: Path) -> list[str]:
    return foreign_outputs(out_dir, store.runs())


def _foreign_message(out_dir: Path, foreign: list[str]) -> str:
    shown = ", ".join(foreign[:3]) + (f" and {len(foreign) - 3} more" if len(foreign) > 3 else "")
    return (
        f"{out_dir} holds {len(foreign)} videos that this store does not know ({shown}): its "
        "store was deleted or is another one, and starting afresh would pay for those prompts "
        "again. Nothing was created. Run the same command with --adopt-outputs to rebuild the "
        "store from the provenance records (*.mp4.json), or choose another --out."
    )


def _adopt_outputs(store: JobStore, prompts: list[dict[str, str]], out_dir: Path) -> None:
    for index, record in match_records(prompts, read_records(out_dir)).items():
        store.adopt_output(index, str(record.get("video_id", "")), str(record["file"]))


def _remove_stale_parts(out_dir: Path) -> None:
    """Temporary files of batch downloads and records that a killed process left (only those:
    their names follow the batch's pattern); called only while no download of the run is
    under way."""
    for path in out_dir.glob(".*.part"):
        if _PART.match(path.name):
            path.unlink(missing_ok=True)
