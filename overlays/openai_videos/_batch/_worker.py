"""One process's part of a batch run: its slots, its leases, its thread for the store, and
what each error means for an item.

A create that fails after it may have reached the server is sent again only where the server
was seen to honour ``Idempotency-Key`` (recorded in the store); elsewhere the job is looked for
among the server's videos (``find_created``) and adopted, or the item is parked as
``uncertain``. A refused key stops the run; a refused request fails its item at once; errors
that can pass are retried after a backoff.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import functools
import logging
import os
import random
import re
import socket
import time
import urllib.parse
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

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
    RateLimitError,
    UnprocessableEntityError,
)
from .._paths import inside, safe_name
from .._pricing import reported_cost
from .._retry import retry_after
from ._provenance import record_path, write_record
from ._store import BatchItem, Failure, ItemStatus, JobStore, LeaseLost, RunStatus

__all__ = ["RunStopped", "Worker"]

T = TypeVar("T")
log = logging.getLogger("openai_videos.batch")
# Answers that retrying cannot change: the item fails at once (no job was made by a create).
_REFUSALS = (BadRequestError, NotFoundError, MethodNotAllowedError, UnprocessableEntityError)
# Answers that no item can get past: the whole run stops, every item left as it was.
_FATAL = (AuthenticationError, PermissionDeniedError)


class RunStopped(APIError):
    """The server refused the API key, its permissions (401, 403) or the account's quota (a
    429 saying so): the run stopped at once, with every item left as it was; fix the key or
    the account and run the same command again."""


class Worker:
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
        self._encoding_noted = False  # the store knows the server's create encoding
        self._waiters: collections.deque[asyncio.Future[None]] = collections.deque()
        self._polling = False  # an idle slot is polling the store for other workers' news
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
        on_progress: Callable[[RunStatus], None] | None = None,
        progress_every: float = 1.0,
    ) -> None:
        """Run ``concurrency`` slots until the run has nothing open (or must stop); with
        ``gate_requests``, every request this client sends first takes a token from the
        store's ceiling. Every attempt's outcome is counted in ``requests``; every
        ``progress_every`` seconds ``on_progress`` gets the whole run's status."""
        saved = self.client._before_send, self.client._observe
        self.client._observe = self._count
        self.client._retry_refused_creates = False  # a create's 429 comes to _create
        if gate_requests:
            self.client._before_send = self._take_request
        learned = await self.call(self.store.create_encoding)
        if learned is not None and self.client._create_encoding is None:  # another worker's
            self.client._create_encoding = learned
        self._encoding_noted = learned is not None
        renewer = asyncio.create_task(self._renew_leases())
        reporter = (
            asyncio.create_task(self._report(on_progress, progress_every))
            if on_progress is not None
            else None
        )
        try:
            async with asyncio.TaskGroup() as slots:  # one slot's error cancels the others
                for _ in range(concurrency):
                    slots.create_task(self._slot(on_item))
        except BaseExceptionGroup as group:  # the first error, as a plain exception
            raise group.exceptions[0] from None
        finally:
            renewer.cancel()
            if reporter is not None:
                reporter.cancel()
            self.client._before_send, self.client._observe = saved
            self.client._retry_refused_creates = True

    def _count(self, outcome: str) -> None:
        self.requests[outcome] += 1

    async def _take_request(self, request: httpx.Request) -> None:
        # a token from the store, which other processes share: nothing here could signal it
        while (wait := await self.call(self.store.take_request)) > 0:  # noqa: ASYNC110
            await asyncio.sleep(wait)

    async def _report(self, on_progress: Callable[[RunStatus], None], every: float) -> None:
        """The run's status to ``on_progress``, read and handed over on the store's thread:
        no store call of this process runs in between, so the figures are the store's."""

        def report() -> None:
            status = self.store.status(details=False)
            try:
                on_progress(status)
            except Exception:  # a display's error must not stop the run
                log.exception("the progress callback failed")

        while True:
            await self.call(report)
            await asyncio.sleep(every)

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
                    self._wake_idle(len(self._waiters))  # they end too
                    return
                await self._idle(idle * random.uniform(0.5, 1.5))  # noqa: S311 - jitter
                idle = min(idle * 2, 2.0)
                continue
            idle = 0.05
            if self._waiters and not self._polling:  # one idle slot must keep polling
                self._wake_idle()
            self.held.add(item.index)
            try:
                await self._settle(item, claimed_at)
            finally:
                self.held.discard(item.index)
                self._refused.discard(item.index)
                self._wake_idle()
            if on_item is not None and item.status in {ItemStatus.DOWNLOADED, ItemStatus.FAILED}:
                on_item(item)
        self._wake_idle(len(self._waiters))  # the run stops: so do they

    async def _idle(self, seconds: float) -> None:
        """Wait, with nothing to claim, until another slot of this process may have made room
        (a job finished, a create succeeded, an item was given back). One idle slot at a
        time also claims again after ``seconds``, for what no slot here announces (other
        workers' work, a deferred item's time): idle slots cost no store calls."""
        if self.stopped is not None:
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.append(future)
        polling, self._polling = not self._polling, True
        try:
            if polling:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(future, seconds)
            else:
                await future
        finally:
            with contextlib.suppress(ValueError):
                self._waiters.remove(future)
            if polling:  # hand polling on: a waiter claims, and polls if it finds nothing
                self._polling = False
                self._wake_idle()

    def _wake_idle(self, count: int = 1) -> None:
        """Let ``count`` idle slots claim again (all of them: ``len(self._waiters)``)."""
        while count > 0 and self._waiters:
            future = self._waiters.popleft()
            if not future.done():
                future.set_result(None)
                count -= 1

    async def _settle(self, item: BatchItem, claimed_at: float) -> None:
        """Take ``item`` as far as it goes; decide what an error means for it."""
        try:
            await self._process(item, claimed_at)
        except LeaseLost:
            pass
        except RunStopped as stopped:
            self.stopped = self.stopped or stopped
            await self.call(functools.partial(self.store.unclaim, self.name, item, unsent=True))
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
            self._wake_idle()  # its job no longer runs: room for a create while this downloads
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
        except RateLimitError as error:  # refused before acting: nothing was made
            self._refused.add(item.index)
            if _out_of_quota(error):
                raise _stopped(error) from error  # no item can pass: the run stops
            if not _too_many_running(error):
                wait = retry_after(error.response.headers) or 1.0
                await self.call(self.store.defer, self.name, item, wait)
                return
            learned = await self.call(self.store.lower_cap, self.name, item)
            if learned is None:  # nothing else running: not a cap, an error like any other
                raise
            log.info("the server caps running jobs: keeping %d in flight", learned)
            return
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
        if self.client.create_encoding is not None and not self._encoding_noted:
            self._encoding_noted = True  # every worker of the run sends it so from now on
            await self.call(self.store.note_create_encoding, self.client.create_encoding)
        await self._record(item, ItemStatus.CREATED, video_id=video.id)
        self._wake_idle()  # the slow start may allow more jobs now

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


_RUNNING_CAP = re.compile(r"running|concurren|in progress|parallel|in flight|simultaneous", re.I)


_QUOTA = re.compile(r"quota|billing|credit|balance|insufficient", re.I)


def _out_of_quota(error: RateLimitError) -> bool:
    """Whether a 429 says the account has no quota or money left (OpenAI's
    ``insufficient_quota``): no retry or wait helps."""
    return error.code == "insufficient_quota" or bool(_QUOTA.search(_server_text(error)))


def _server_text(error: RateLimitError) -> str:
    """The server's own words in an error body (not the client's hints)."""
    body = error.body if isinstance(error.body, dict) else {}
    inner = body.get("error")
    if isinstance(inner, dict) and isinstance(inner.get("message"), str):
        return str(inner["message"])
    text = body.get("message") or body.get("detail")
    return text if isinstance(text, str) else ""


def _too_many_running(error: RateLimitError) -> bool:
    """Whether a 429 says the key has too many jobs running (not a request rate): its code or
    message says so, or it gives no Retry-After (a rate limit says when to come back)."""
    if error.code in {"too_many_running_tasks", "concurrency_limit_exceeded"}:
        return True
    running = bool(_RUNNING_CAP.search(_server_text(error)))
    return running or "retry-after" not in error.response.headers


def _stopped(error: APIError) -> RunStopped:
    if isinstance(error, RateLimitError):
        what = "request: the account has no quota left"
    elif isinstance(error, AuthenticationError):
        what = "API key"
    else:
        what = "API key's permissions"
    status = getattr(error, "status_code", "")
    message = (
        f"the server refused the {what} ({status}: {error}); the run stopped at once and every "
        "item is as it was. Fix the key or the account (--api-key or OPENAI_API_KEY) and run "
        "the same command again."
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
