"""Running a batch: workers claim items from the job store, one step at a time.

Any number of processes, on one machine or many, can run the same batch against one
PostgreSQL store; with the SQLite default one process owns the output directory. Store calls
run on one worker thread, so durable writes never block the event loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import functools
import logging
import os
import random
import re
import socket
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import IO, Any, TypeVar

import attrs
import httpx

from .._async._client import AsyncOpenAIVideos
from .._errors import APIError, PollTimeout
from .._paths import inside, safe_name
from ._postgres import PostgresStore
from ._sqlite import SQLiteStore
from ._store import OPEN_STATUSES, BatchItem, JobStore, LeaseLost, Limits

__all__ = ["BatchLocked", "BatchReport", "open_store", "run_batch"]

T = TypeVar("T")
log = logging.getLogger("openai_videos.batch")
SQLITE_NAME = "batch.sqlite3"
LOCK_NAME = ".batch.lock"
_PART = re.compile(r"^\.\d{4,}-.+\.mp4\.[0-9a-f]{12}\.part$")  # our downloads' temporary files


class BatchLocked(RuntimeError):
    """Another process is running a batch in this output directory (without a shared store)."""


@attrs.frozen
class BatchReport:
    """What a run achieved."""

    downloaded: list[BatchItem]
    failed: list[BatchItem]

    @property
    def ok(self) -> bool:
        """Every prompt produced a file."""
        return not self.failed


def _is_shared(store: object) -> bool:
    return isinstance(store, str) and store.startswith(("postgresql://", "postgres://"))


def open_store(store: str | Path | None, out_dir: Path, run: str = "default") -> JobStore:
    """The job store: ``None`` for ``OUT_DIR/batch.sqlite3``, a ``postgresql://`` URL, or the
    path of a SQLite file."""
    if isinstance(store, str) and _is_shared(store):
        return PostgresStore(store, run)
    out_dir.mkdir(parents=True, exist_ok=True)
    return SQLiteStore(Path(store) if store else out_dir / SQLITE_NAME, run)


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
) -> BatchReport:
    """Generate and download a video per prompt, resuming whatever the store already holds.

    Args:
        client: The client to use (its retries and backoff apply to every request).
        prompts: From ``read_prompts``.
        out_dir: Where the MP4s go (and, by default, the SQLite store).
        concurrency: How many items this process works on at once.
        on_item: Called whenever one of this process's items reaches a final state.
        store: ``None`` (SQLite in ``out_dir``), a ``postgresql://`` URL shared by any number of
            workers, a SQLite path, or an open ``JobStore``.
        run: The run's name in the store (a store can hold many runs).
        max_in_flight: At most this many jobs running at once, across every worker.
        requests_per_minute: At most this many requests a minute, across every worker.
        lease_seconds: How long a dead worker's items wait before another worker takes them.
        poll_timeout: How long one job may run before its item is given back to the queue.

    Returns:
        The downloaded and the failed items of the whole run; a failed item carries its error.

    Raises:
        RunMismatch: The store holds this run for another prompts file.
        BatchLocked: Another process runs a batch in ``out_dir`` with the SQLite store.
    """
    for name, value in (("concurrency", concurrency), ("max_in_flight", max_in_flight)):
        if value is not None and value < 1:
            msg = f"{name} must be at least 1, but received {value!r}"
            raise ValueError(msg)
    await asyncio.to_thread(out_dir.mkdir, parents=True, exist_ok=True)
    owned = not _is_shared(store) and not isinstance(store, JobStore)  # this process owns out_dir
    with _directory_lock(out_dir) if owned else contextlib.nullcontext():
        opened = store if isinstance(store, JobStore) else open_store(store, out_dir, run)
        worker = _Worker(
            client,
            opened,
            out_dir,
            total=len(prompts),
            lease_seconds=lease_seconds,
            poll_timeout=poll_timeout,
        )
        try:
            await worker.call(opened.open_run, prompts, Limits(max_in_flight, requests_per_minute))
            if owned:  # no other process writes here: every leftover is stale
                await asyncio.to_thread(_remove_stale_parts, out_dir)
            await worker.work(concurrency, on_item, gate_requests=requests_per_minute is not None)
            items = await worker.call(lambda: list(opened.items()))
            if not any(item.status in OPEN_STATUSES for item in items):  # nobody downloads now
                await asyncio.to_thread(_remove_stale_parts, out_dir)
        finally:
            if not isinstance(store, JobStore):
                opened.close()
            worker.shutdown()
    return BatchReport(
        downloaded=[item for item in items if item.status == "downloaded"],
        failed=[item for item in items if item.status != "downloaded"],
    )


class _Worker:
    """One process's part of a run: its slots, its leases, its thread for the store."""

    def __init__(
        self,
        client: AsyncOpenAIVideos,
        store: JobStore,
        out_dir: Path,
        *,
        total: int,
        lease_seconds: float,
        poll_timeout: float,
    ) -> None:
        self.client, self.store, self.out_dir = client, store, out_dir
        self.name = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.width = max(4, len(str(total - 1)))
        self.lease_seconds, self.poll_timeout = lease_seconds, poll_timeout
        self.held: set[int] = set()
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="batch-store")

    async def call(self, function: Callable[..., T], *args: Any) -> T:
        """``function(*args)`` on the store's thread."""
        return await asyncio.get_running_loop().run_in_executor(self._thread, function, *args)

    def shutdown(self) -> None:
        self._thread.shutdown(wait=True)

    async def work(
        self,
        concurrency: int,
        on_item: Callable[[BatchItem], None] | None,
        *,
        gate_requests: bool,
    ) -> None:
        """Run ``concurrency`` slots until the run has nothing open; with ``gate_requests``,
        every request this client sends first takes a token from the store's ceiling."""
        hooks = self.client._http.event_hooks
        if gate_requests:
            hooks["request"] = [*hooks.get("request", []), self._take_request]
            self.client._http.event_hooks = hooks
        renewer = asyncio.create_task(self._renew_leases())
        try:
            await asyncio.gather(*(self._slot(on_item) for _ in range(concurrency)))
        finally:
            renewer.cancel()
            hooks["request"] = [h for h in hooks.get("request", []) if h != self._take_request]
            self.client._http.event_hooks = hooks

    async def _take_request(self, request: httpx.Request) -> None:
        # a token from the store, which other processes share: nothing here could signal it
        while (wait := await self.call(self.store.take_request)) > 0:  # noqa: ASYNC110
            await asyncio.sleep(wait)

    async def _renew_leases(self) -> None:
        while True:
            await asyncio.sleep(self.lease_seconds / 3)
            await self.call(self.store.renew, self.name, sorted(self.held), self.lease_seconds)

    async def _slot(self, on_item: Callable[[BatchItem], None] | None) -> None:
        idle = 0.05
        while True:
            item = await self.call(self.store.claim, self.name, self.lease_seconds)
            if item is None:
                if await self.call(self.store.open_count) == 0:
                    return
                await asyncio.sleep(idle * random.uniform(0.5, 1.5))  # noqa: S311 - jitter
                idle = min(idle * 2, 2.0)
                continue
            idle = 0.05
            self.held.add(item.index)
            try:
                await self._process(item)
            except LeaseLost:
                pass
            except (APIError, PollTimeout) as error:
                await self._give_back(item, str(error))
            except Exception as error:  # one item's surprise must not stop the others
                log.exception("batch item %d failed unexpectedly", item.index)
                await self._give_back(item, f"{type(error).__name__}: {error}")
            finally:
                self.held.discard(item.index)
            if on_item is not None and item.status in {"downloaded", "failed"}:
                on_item(item)

    async def _give_back(self, item: BatchItem, error: str) -> None:
        """Release ``item`` after a failed attempt, to be tried again after a backoff."""
        backoff = min(60.0, 2.0**item.attempts)
        await self.call(self.store.release, self.name, item, error, backoff)

    async def _process(self, item: BatchItem) -> None:
        if item.status == "pending":
            video = await self.client.create(
                item.prompt, idempotency_key=item.idempotency_key, **_create_options(item)
            )
            await self._record(item, "created", video_id=video.id)
        assert item.video_id is not None  # noqa: S101 - saved when created
        if item.status == "created":
            video = await self.client.poll(
                item.video_id, raise_on_failure=False, timeout=self.poll_timeout
            )
            if not video.is_completed:
                error = str(video.error or f"status {video.status}")
                await self._record(item, "failed", error=error, failure="job")
                return
            await self._record(item, "completed")
        if item.status == "completed":
            name = safe_name(item.video_id, prefix=f"{item.index:0{self.width}d}-", suffix=".mp4")
            target = inside(self.out_dir, name)
            if not target.exists():  # present means complete: downloads are atomic
                await self.client.download_to(item.video_id, target)
            await self._record(item, "downloaded", file=target.name)

    async def _record(self, item: BatchItem, status: str, **fields: Any) -> None:
        await self.call(functools.partial(self.store.record, self.name, item, status, **fields))


def _create_options(item: BatchItem) -> dict[str, Any]:
    return {key: item.options.get(key) for key in ("model", "seconds", "size")}


def _remove_stale_parts(out_dir: Path) -> None:
    """Temporary files of batch downloads that a killed process left (only those: their names
    follow the batch's pattern); called only while no download of the run is under way."""
    for path in out_dir.glob(".*.part"):
        if _PART.match(path.name):
            path.unlink(missing_ok=True)
