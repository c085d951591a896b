"""Hand-written (async): the send path every operation of ``AsyncOpenAIVideos`` goes through.

One chain, one concern per hop: ``_send`` / ``_stream`` choose the headers and how the body
is read; ``_send_with_retries`` applies the client's ``RetryPolicy``; ``_attempt`` sends one
request and follows GET redirects (our headers only to the API's own origin); ``_read``
collects a body within its size limit and deadline. ``scripts/unasync.py`` writes the sync
twin of this file.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from types import TracebackType
from typing import Any, Self, TypeVar

import httpx

from .. import _retry
from .._base import BaseVideosClient, log
from .._body import BodyReader
from .._calls import Call
from .._constants import DEFAULT_LIMITS, JSON_HEADERS, MAX_BODY_BYTES, MEDIA_HEADERS
from .._errors import APIError, status_error

__all__ = ["AsyncTransport"]

T = TypeVar("T")


class AsyncTransport(BaseVideosClient):
    """The connections and the send path of a client (see the module docstring)."""

    def __init__(self, *, http_client: httpx.AsyncClient | None, **options: Any) -> None:
        super().__init__(**options)
        self._owns_http = http_client is None
        self._http = http_client or httpx.AsyncClient(
            timeout=self.timeout, limits=DEFAULT_LIMITS, follow_redirects=False
        )
        self._sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
        # A seam for a batch runner: a gate each request passes before it is sent (a shared
        # request ceiling). ``_observe`` (in the base) is told the outcome of every attempt.
        self._before_send: Callable[[httpx.Request], Awaitable[None]] | None = None

    # -- lifecycle ---------------------------------------------------------------------------

    async def close(self) -> None:
        """Close the connections (unless the httpx client was passed in)."""
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    # -- the send path ---------------------------------------------------------------------------

    async def _call(self, call: Call[T]) -> T:
        return self._parse(call, await self._send(call))

    async def _send(
        self, call: Call[Any], *, media: bool = False, deadline: float | None = None
    ) -> httpx.Response:
        """The successful response with its body read.

        Args:
            call: What to send.
            media: The body is media: read whole, at no size limit and with no deadline.
            deadline: A ``monotonic`` time the answer must arrive by, if sooner than the
                client's timeout allows (a poll's).
        """
        headers = MEDIA_HEADERS if media else JSON_HEADERS
        return await self._send_with_retries(
            call, headers, stream=False, media=media, deadline=deadline
        )

    @asynccontextmanager
    async def _stream(
        self, call: Call[Any], extra_headers: dict[str, str]
    ) -> AsyncIterator[httpx.Response]:
        """Send with retries; yield the successful response with its body not yet read."""
        response = await self._send_with_retries(call, extra_headers, stream=True, media=True)
        try:
            yield response
        finally:
            await response.aclose()

    async def _send_with_retries(
        self,
        call: Call[Any],
        extra_headers: dict[str, str],
        *,
        stream: bool,
        media: bool,
        deadline: float | None = None,
    ) -> httpx.Response:
        """The successful response (body unread if ``stream``), after retries by the client's
        ``RetryPolicy``; raises the typed error otherwise, carrying the ``Idempotency-Key`` of
        a job-creating call and whether the server may have acted."""
        key = self._idempotency_key(call)
        acted = False  # whether any attempt may have been acted on by the server
        for attempt in itertools.count():
            attempt_deadline = None if media else self._attempt_deadline(deadline)
            try:
                response = await self._attempt(
                    call, extra_headers, key, stream=stream, media=media, deadline=attempt_deadline
                )
            except httpx.HTTPError as error:
                failure: APIError = self._http_error(error)
                acted = acted or _retry.may_have_acted(error=error)
                method, failed = self._failed_method(error), None
            else:
                if response.is_success:
                    return response
                failure = status_error(response)
                status, headers = response.status_code, response.headers
                acted = acted or _retry.may_have_acted(status=status, headers=headers)
                method, failed = response.request.method, response
            delay = self._retry_delay(
                attempt, method, call.creates_job, acted=acted, response=failed
            )
            if delay is None or (deadline is not None and self._monotonic() + delay > deadline):
                failure.idempotency_key, failure.may_have_acted = key, acted
                raise failure
            log.info("retry %d of %s in %.2f s", attempt + 1, call.name, delay)
            await self._sleep(delay)
        raise AssertionError  # pragma: no cover - itertools.count() never ends

    async def _attempt(
        self,
        call: Call[Any],
        extra_headers: dict[str, str],
        idempotency_key: str | None,
        *,
        stream: bool,
        media: bool,
        deadline: float | None,
    ) -> httpx.Response:
        """One attempt, following GET redirects (our headers only to the API's own origin).

        The body is read here unless it is a successful answer to a ``stream`` request, which
        the caller reads: by ``deadline``, and at most ``MAX_BODY_BYTES`` unless it is media.
        """
        kwargs = call.build()
        method = kwargs.pop("method").upper()
        url = httpx.URL(self.base_url + kwargs.pop("url"))
        headers = {**kwargs.pop("headers", {}), **extra_headers}
        if self._default_query:
            kwargs["params"] = {**self._default_query, **kwargs.get("params", {})}
        for hops in itertools.count():
            all_headers = {**headers, **self._headers(url, idempotency_key)}
            request = self._http.build_request(method, url, headers=all_headers, **kwargs)
            if self._before_send is not None:
                await self._before_send(request)
            try:
                response = await self._http.send(request, stream=True)
            except httpx.HTTPError as error:
                self._tally(None, error)
                raise
            self._tally(response, None)
            self._note_response(response, idempotency_key)
            target = self._redirect_target(response, hops)
            if target is None:
                break
            await response.aclose()
            url = target
            kwargs = {}  # the Location URL is used as given: no params, no body
        if stream and response.is_success:
            return response
        limited = not (media and response.is_success)
        return await self._read(response, deadline=deadline, limited=limited)

    async def _read(
        self, response: httpx.Response, *, deadline: float | None, limited: bool = True
    ) -> httpx.Response:
        """``response`` with its body read: decoded, at most ``MAX_BODY_BYTES`` where
        ``limited``, and complete by ``deadline``."""
        reader = BodyReader(
            response,
            limit=MAX_BODY_BYTES if limited else None,
            deadline=deadline,
            clock=self._monotonic,
        )
        try:
            if response.is_stream_consumed:  # read already (a mock transport, an event hook)
                reader.add_decoded(response.content)
            else:
                async for chunk in response.aiter_raw():
                    reader.add(chunk)
        finally:
            await response.aclose()
        return reader.response()
