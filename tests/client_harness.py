"""The client test harness: a fake clock, clients on httpx.MockTransport, and a runner that
plays one scenario on the sync or the async client. Nothing really sleeps."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable, Iterator
from typing import Any

import httpx
from fake_api import FakeAPI

from openai_videos import AsyncOpenAIVideos, OpenAIVideos

KEY = "sk-test-0123456789abcdef"
BASE = "https://api.test/v1"


class Clock:
    """A fake clock: sleeping advances time instantly and is recorded."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    async def asleep(self, seconds: float) -> None:
        self.sleep(seconds)


def make_sync(api: FakeAPI, clock: Clock, **options: Any) -> OpenAIVideos:
    http = httpx.Client(transport=httpx.MockTransport(api))
    client = OpenAIVideos(api_key=KEY, base_url=BASE, http_client=http, **options)
    client._sleep = clock.sleep
    client._monotonic = lambda: clock.now
    return client


def make_async(api: FakeAPI, clock: Clock, **options: Any) -> AsyncOpenAIVideos:
    http = httpx.AsyncClient(transport=httpx.MockTransport(api))
    client = AsyncOpenAIVideos(api_key=KEY, base_url=BASE, http_client=http, **options)
    client._sleep = clock.asleep
    client._monotonic = lambda: clock.now
    return client


class Runner:
    """Runs the same scenario on the sync or the async client."""

    def __init__(self, kind: str, api: FakeAPI, clock: Clock, **options: Any) -> None:
        self.kind = kind
        self.client: OpenAIVideos | AsyncOpenAIVideos = (
            make_sync(api, clock, **options)
            if kind == "sync"
            else make_async(api, clock, **options)
        )

    def __call__(self, method: str, *args: Any, **kwargs: Any) -> Any:
        result = getattr(self.client, method)(*args, **kwargs)
        return asyncio.run(result) if inspect.isawaitable(result) else result


def error(status: int, message: str = "boom", **headers: str) -> httpx.Response:
    body = {
        "error": {
            "message": message,
            "type": "invalid_request_error",
            "param": "prompt",
            "code": "bad",
        }
    }
    return httpx.Response(status, json=body, headers={"x-request-id": "req_42", **headers})


class Chunked(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A body that yields some chunks and then breaks like a reset connection."""

    def __init__(self, chunks: list[bytes], fail: bool) -> None:
        self.chunks, self.fail = chunks, fail

    def __iter__(self) -> Iterator[bytes]:
        yield from self.chunks
        if self.fail:
            raise httpx.RemoteProtocolError("peer closed connection")

    async def __aiter__(self) -> Any:
        for chunk in self.chunks:
            yield chunk
        if self.fail:
            raise httpx.RemoteProtocolError("peer closed connection")


def media(
    body: bytes,
    total: int,
    *,
    fail: bool,
    status: int = 200,
    start: int = 0,
    ranges: bool = True,
    **headers: str,
) -> Callable[[httpx.Request], httpx.Response]:
    """A media answer with ``body`` of a ``total``-byte file (a 206 from ``start``), cut off
    after ``body`` if ``fail``; extra ``headers`` (``etag``, ``content_range``) as given."""
    sent = {"content-type": "video/mp4", "content-length": str(total - start)}
    if ranges:
        sent["accept-ranges"] = "bytes"
    if status == 206:
        sent["content-range"] = f"bytes {start}-{total - 1}/{total}"
    sent.update({name.replace("_", "-"): value for name, value in headers.items()})
    return lambda request: httpx.Response(status, headers=sent, stream=Chunked([body], fail))
