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
import functools
import logging
import os
import random
import re
import socket
import time
import urllib.parse
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import IO, Any, TypeVar

import attrs
import httpx

from .._async._client import AsyncOpenAIVideos
from .._errors import (
    APIError,
    AuthenticationError,
    BadRequestError,
    MethodNotAllowedError,
    NotFoundError,
    PermissionDeniedError,
    PollTimeout,
    UnprocessableEntityError,
)
from .._paths import inside, safe_name
from .._pricing import RateTable, UnknownRate, reported_cost
from ._postgres import PostgresStore
from ._provenance import (
    ForeignOutputs,
    foreign_outputs,
    match_records,
    read_records,
    record_path,
    write_record,
)
from ._sqlite import SQLiteStore
from ._store import OPEN_STATUSES, BatchItem, Failure, ItemStatus, JobStore, LeaseLost, Limits

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
_PART = re.compile(r"^\.\d{4,}-.+\.mp4(\.json)?\.[0-9a-f]{12}\.part$")
# Answers that retrying cannot change: the item fails at once (no job was made by a create).
_REFUSALS = (BadRequestError, NotFoundError, MethodNotAllowedError, UnprocessableEntityError)
# Answers that no item can get past: the whole run stops, every item left as it was.
_FATAL = (AuthenticationError, PermissionDeniedError)


class BatchLocked(RuntimeError):
    """Another process is running a batch in this output directory (without a shared store)."""


class RunStopped(APIError):
    """The server refused the API key or its permissions (401, 403): the run stopped at
    once, with every item left as it was; fix the key and run the same command again."""


@attrs.frozen
class BatchReport:
    """What a run achieved.

    Attributes:
        downloaded: Items whose video is in the output directory.
        failed: Items that failed, each with its ``error`` and ``failure`` kind.
        uncertain: Items whose create may have made a job that could not be found.
        requests: This process's requests by outcome (``"ok"``, ``"429"``, ``"connection"``
            ...), retries included.
    """

    downloaded: list[BatchItem]
    failed: list[BatchItem]
    uncertain: list[BatchItem] = attrs.field(factory=list)
    requests: dict[str, int] = attrs.field(factory=dict)

    @property
    def ok(self) -> bool:
        """Every prompt produced a file."""
        return not self.failed and not self.uncertain


def _is_shared(store: object) -> bool:
    return isinstance(store, str) and store.startswith(("postgresql://", "postgres://"))


def open_store(store: str | Path | None, out_dir: Path, run: str = "default") -> JobStore:
    """The job store: ``None`` for ``OUT_DIR/batch.sqlite3``, a ``postgresql://`` URL, or the
    path of a SQLite file."""
    if isinstance(store, str) and _is_shared(store):
        return PostgresStore(store, run)
    out_dir.mkdir(parents=True, exist_ok=True)
    return SQLiteStore(Path(store) if store else out_dir / SQLITE_NAME, run)


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
    estimates, missing = estimate_prompts(prompts, rates)
    if max_cost is not None and missing:
        raise UnknownRate("; ".join(f"{text} ({n} prompts)" for text, n in missing.items()))
    limits = Limits(max_in_flight, requests_per_minute, max_cost)
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
            foreign = await worker.call(_foreign_outputs, opened, out_dir)
            if foreign and not adopt_outputs:
                raise ForeignOutputs(_foreign_message(out_dir, foreign))
            await worker.call(opened.open_run, prompts, limits, estimates)
            if foreign:
                await worker.call(_adopt_outputs, opened, prompts, out_dir)
            if owned:  # no other process writes here: every leftover is stale
                await asyncio.to_thread(_remove_stale_parts, out_dir)
            await worker.work(concurrency, on_item, gate_requests=requests_per_minute is not None)
            items = await worker.call(lambda: list(opened.items()))
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
    )


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
        self.requests: collections.Counter[str] = collections.Counter()
        self.stopped: RunStopped | None = None
        self._refused: set[int] = set()  # items whose create this claim was refused unacted
        self._honours_key = False
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
        """Run ``concurrency`` slots until the run has nothing open (or must stop); with
        ``gate_requests``, every request this client sends first takes a token from the
        store's ceiling. Every attempt's outcome is counted in ``requests``."""
        saved = self.client._before_send, self.client._observe
        self.client._observe = self._count
        if gate_requests:
            self.client._before_send = self._take_request
        renewer = asyncio.create_task(self._renew_leases())
        try:
            async with asyncio.TaskGroup() as slots:  # one slot's error cancels the others
                for _ in range(concurrency):
                    slots.create_task(self._slot(on_item))
        except BaseExceptionGroup as group:  # the first error, as a plain exception
            raise group.exceptions[0] from None
        finally:
            renewer.cancel()
            self.client._before_send, self.client._observe = saved

    def _count(self, outcome: str) -> None:
        self.requests[outcome] += 1

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
        while self.stopped is None:
            claimed_at = time.time()
            item = await self.call(self.store.claim, self.name, self.lease_seconds, claimed_at)
            if item is None:
                if await self.call(self.store.open_count) == 0:
                    return
                await asyncio.sleep(idle * random.uniform(0.5, 1.5))  # noqa: S311 - jitter
                idle = min(idle * 2, 2.0)
                continue
            idle = 0.05
            self.held.add(item.index)
            try:
                await self._settle(item, claimed_at)
            finally:
                self.held.discard(item.index)
                self._refused.discard(item.index)
            if on_item is not None and item.status in {ItemStatus.DOWNLOADED, ItemStatus.FAILED}:
                on_item(item)

    async def _settle(self, item: BatchItem, claimed_at: float) -> None:
        """Take ``item`` as far as it goes; decide what an error means for it."""
        unsent = False
        try:
            await self._process(item, claimed_at)
        except LeaseLost:
            pass
        except _FATAL as error:
            unsent = item.index in self._refused
            self.stopped = self.stopped or _stopped(error)
            await self.call(functools.partial(self.store.unclaim, self.name, item, unsent=unsent))
        except _REFUSALS as error:
            unsent = item.index in self._refused
            reject = functools.partial(
                self.store.reject, self.name, item, str(error), unsent=unsent
            )
            await self.call(reject)
        except (APIError, PollTimeout) as error:
            await self._give_back(item, str(error), unsent=item.index in self._refused)
        except Exception as error:  # one item's surprise must not stop the others
            log.exception("batch item %d failed unexpectedly", item.index)
            await self._give_back(item, f"{type(error).__name__}: {error}", unsent=False)

    async def _give_back(self, item: BatchItem, error: str, *, unsent: bool) -> None:
        """Release ``item`` after a failed attempt, to be tried again after a backoff."""
        backoff = min(60.0, 2.0**item.attempts)
        release = functools.partial(
            self.store.release, self.name, item, error, backoff, unsent=unsent
        )
        await self.call(release)

    async def _process(self, item: BatchItem, claimed_at: float) -> None:
        if item.status == ItemStatus.PENDING:
            await self._create(item, claimed_at)
            if item.status != ItemStatus.CREATED:
                return
        assert item.video_id is not None  # noqa: S101 - saved when created
        if item.status == ItemStatus.CREATED:
            video = await self.client.poll(
                item.video_id, raise_on_failure=False, timeout=self.poll_timeout
            )
            cost = reported_cost(video.additional_properties)
            if not video.is_completed:
                error = str(video.error or f"status {video.status}")
                await self._record(
                    item, ItemStatus.FAILED, error=error, failure=Failure.JOB, reported_cost=cost
                )
                return
            await self._record(item, ItemStatus.COMPLETED, reported_cost=cost)
        if item.status == ItemStatus.COMPLETED:
            name = safe_name(item.video_id, prefix=f"{item.index:0{self.width}d}-", suffix=".mp4")
            target = inside(self.out_dir, name)
            if not target.exists():  # present means complete: downloads are atomic
                await self.client.download_to(item.video_id, target)
            if not record_path(target).exists():
                await asyncio.to_thread(write_record, target, self._provenance(item))
            await self._record(item, ItemStatus.DOWNLOADED, file=target.name)

    async def _create(self, item: BatchItem, claimed_at: float) -> None:
        """Create ``item``'s job, or find the one an earlier create may have made.

        An item claimed with ``sent_at`` set had a create whose outcome is unknown (a process
        killed while waiting, a failure after the server may have acted): it is sent again
        only to a server seen to honour Idempotency-Key; elsewhere the job is looked for.
        """
        if item.sent_at is not None and not await self._server_honours_key():
            await self._find_or_park(item, item.sent_at, "an earlier create was interrupted")
            return
        sent_at = item.sent_at if item.sent_at is not None else claimed_at
        try:
            video = await self.client.create(
                item.prompt, idempotency_key=item.idempotency_key, **_create_options(item)
            )
        except APIError as error:
            if not error.may_have_acted:
                self._refused.add(item.index)
                raise
            if await self._server_honours_key():
                raise  # given back: the next claim sends it again with the same key
            await self._find_or_park(item, sent_at, str(error))
            return
        if self.client.idempotency_confirmed and not self._honours_key:
            self._honours_key = True
            await self.call(self.store.note_honours_key)
        await self._record(item, ItemStatus.CREATED, video_id=video.id)

    async def _server_honours_key(self) -> bool:
        if not self._honours_key:
            self._honours_key = self.client.idempotency_confirmed or await self.call(
                self.store.honours_key
            )
        return self._honours_key

    async def _find_or_park(self, item: BatchItem, sent_at: float, cause: str) -> None:
        """Adopt the job the create made, found among the server's videos, or park the item
        as ``uncertain`` with what was searched."""
        try:
            owned = await self.call(self.store.video_ids)
            search = await self.client.find_created(
                item.prompt, **_create_options(item), sent_at=sent_at, exclude=owned
            )
        except _FATAL:
            raise
        except APIError as error:
            await self._park(item, f"{cause}; the server's videos could not be listed: {error}")
            return
        if search.video is not None:
            adopt = functools.partial(self.store.adopt, self.name, item, search.video.id)
            if await self.call(adopt):
                log.info("item %d: adopted %s, found on the server", item.index, search.video.id)
                return
        await self._park(item, f"{cause}; {search.describe()}")

    async def _park(self, item: BatchItem, reason: str) -> None:
        message = (
            f"the create may have made a job that was not found ({reason}). The server has not "
            "confirmed Idempotency-Key, so it is not sent again; `batch retry --uncertain` "
            "re-sends it (a second, paid job is possible)"
        )
        await self._record(item, ItemStatus.UNCERTAIN, error=message)

    def _provenance(self, item: BatchItem) -> dict[str, Any]:
        return {
            "prompt": item.prompt,
            "options": item.options,
            "video_id": item.video_id,
            "run": self.store.run,
            "server": _without_credentials(self.client.base_url),
            "index": item.index,
            "estimated_usd": item.estimate,
            "reported_usd": item.reported_cost,
        }

    async def _record(self, item: BatchItem, status: str, **fields: Any) -> None:
        await self.call(functools.partial(self.store.record, self.name, item, status, **fields))


def _stopped(error: APIError) -> RunStopped:
    what = "API key" if isinstance(error, AuthenticationError) else "API key's permissions"
    status = getattr(error, "status_code", "")
    message = (
        f"the server refused the {what} ({status}: {error}); the run stopped at once and every "
        "item is as it was. Fix the key (--api-key or OPENAI_API_KEY) and run the same "
        "command again."
    )
    stopped = RunStopped(message, request=error.request)
    stopped.__cause__ = error
    return stopped


def _without_credentials(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def _create_options(item: BatchItem) -> dict[str, Any]:
    return {key: item.options.get(key) for key in ("model", "seconds", "size")}


def _remove_stale_parts(out_dir: Path) -> None:
    """Temporary files of batch downloads and records that a killed process left (only those:
    their names follow the batch's pattern); called only while no download of the run is
    under way."""
    for path in out_dir.glob(".*.part"):
        if _PART.match(path.name):
            path.unlink(missing_ok=True)
