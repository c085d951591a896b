"""How each injected fault answers (``_faults`` decides which request gets which fault).

Faults in ``BEFORE_ACTING`` answer instead of the emulator: the request is not acted on. Faults
in ``AFTER_ACTING`` let the emulator act (a job is created) and then spoil its answer.
"""

from __future__ import annotations

import asyncio
import functools
import gzip
import json
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.types import Message, Receive, Scope, Send

__all__ = ["AFTER_ACTING", "BEFORE_ACTING", "Answer", "capture"]

Answer = tuple[int, list[Any], bytes]
"""A captured answer: status, ASGI headers, body."""

JSON = (b"content-type", b"application/json")


async def capture(
    app: Callable[[Scope, Receive, Send], Awaitable[None]], scope: Scope, receive: Receive
) -> Answer:
    """Run ``app`` (so the request is acted on) and collect its answer instead of sending it."""
    parts: dict[str, Any] = {"status": 500, "headers": [], "body": b""}

    async def collect(message: Message) -> None:
        if message["type"] == "http.response.start":
            parts["status"], parts["headers"] = message["status"], message.get("headers", [])
        elif message["type"] == "http.response.body":
            parts["body"] += message.get("body", b"")

    await app(scope, receive, collect)
    return parts["status"], parts["headers"], parts["body"]


def _without_length(headers: list[Any]) -> list[Any]:
    return [(k, v) for k, v in headers if k.lower() != b"content-length"]


async def send_whole(send: Send, status: int, headers: list[Any], body: bytes) -> None:
    """Send ``body`` as the whole answer, with its length."""
    start = [*_without_length(headers), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": start})
    await send({"type": "http.response.body", "body": body, "more_body": False})


async def cut(
    send: Send, *, total: int, partial: bytes, status: int = 200, headers: list[Any] | None = None
) -> None:
    """Announce ``total`` bytes (or, with ``total`` -1, no length: chunked), send ``partial``,
    then end: the server drops the connection."""
    start = _without_length(headers or [])
    if total >= 0:
        start.append((b"content-length", str(total).encode()))
    await send({"type": "http.response.start", "status": status, "headers": start})
    await send({"type": "http.response.body", "body": partial, "more_body": True})
    raise ConnectionAbortedError("emulator fault: connection cut")


def _error(code: int) -> Callable[[Send], Awaitable[None]]:
    async def answer(send: Send) -> None:
        kind = "rate_limit_exceeded" if code == 429 else "server_error"
        body = {"error": {"message": f"Injected fault {code}.", "type": kind, "param": None}}
        body["error"]["code"] = kind
        headers = [JSON, *([(b"retry-after", b"1")] if code in {429, 503} else [])]
        await send_whole(send, code, headers, json.dumps(body).encode())

    return answer


@functools.cache
def _gzip_bomb() -> bytes:
    """About 32 KB of gzip that decodes to a 32 MiB JSON array."""
    return gzip.compress(b"[" + b" " * (32 * 2**20) + b"]", compresslevel=9)


async def _drop(send: Send) -> None:
    await cut(send, total=100, partial=b"")


async def _bomb(send: Send) -> None:
    await send_whole(send, 200, [JSON, (b"content-encoding", b"gzip")], _gzip_bomb())


async def _nested(send: Send) -> None:
    await send_whole(send, 200, [JSON], b"[" * 100_000 + b"]" * 100_000)


BEFORE_ACTING: dict[str, Callable[[Send], Awaitable[None]]] = {
    "429": _error(429),
    "500": _error(500),
    "503": _error(503),
    "drop": _drop,
    "bomb": _bomb,
    "nested": _nested,
}


async def _drop_after(send: Send, answer: Answer, method: str, slow: float) -> None:
    await cut(send, total=100, partial=b"")


async def _truncate(send: Send, answer: Answer, method: str, slow: float) -> None:
    status, headers, body = answer
    await cut(send, total=len(body), partial=body[: len(body) // 2], status=status, headers=headers)


async def _cut_chunked(send: Send, answer: Answer, method: str, slow: float) -> None:
    status, headers, body = answer
    await cut(send, total=-1, partial=body[: len(body) // 2], status=status, headers=headers)


async def _malformed(send: Send, answer: Answer, method: str, slow: float) -> None:
    await send_whole(send, 200, [JSON], b'{"id": "video_')


async def _wrong_type(send: Send, answer: Answer, method: str, slow: float) -> None:
    await send_whole(send, 200, [(b"content-type", b"text/html")], b"<html>gateway</html>")


async def _gzip(send: Send, answer: Answer, method: str, slow: float) -> None:
    status, headers, body = answer
    status = 201 if method == "POST" and status == 200 else status  # as some gateways answer
    await send_whole(send, status, [*headers, (b"content-encoding", b"gzip")], gzip.compress(body))


async def _gzip_broken(send: Send, answer: Answer, method: str, slow: float) -> None:
    status, headers, _ = answer
    await send_whole(send, status, [*headers, (b"content-encoding", b"gzip")], b"\x1f\x8bnot gzip")


async def _drip(send: Send, answer: Answer, method: str, slow: float) -> None:
    status, headers, body = answer
    await send({"type": "http.response.start", "status": status, "headers": headers})
    pieces = [body[i : i + 64] for i in range(0, len(body), 64)] or [b""]
    for piece in pieces:
        await asyncio.sleep(slow / len(pieces))
        await send({"type": "http.response.body", "body": piece, "more_body": True})
    await send({"type": "http.response.body", "body": b"", "more_body": False})


async def _error_after(send: Send, answer: Answer, method: str, slow: float) -> None:
    await _error(500)(send)


async def _splice(send: Send, answer: Answer, method: str, slow: float) -> None:
    """A 206 of half of another representation: unknown total, another validator."""
    status, headers, body = answer
    kept = [(k, v) for k, v in headers if k.lower() not in {b"etag", b"content-range"}]
    half = body[: max(1, len(body) // 2)]
    spliced = [
        *kept,
        (b"etag", b'"another-file"'),
        (b"content-range", f"bytes 0-{len(half) - 1}/*".encode()),
    ]
    await send_whole(send, 206 if status == 200 else status, spliced, half)


async def _empty(send: Send, answer: Answer, method: str, slow: float) -> None:
    status, headers, _ = answer
    await send_whole(send, status, headers, b"")


AFTER_ACTING: dict[str, Callable[[Send, Answer, str, float], Awaitable[None]]] = {
    "drop_after": _drop_after,
    "truncate": _truncate,
    "cut_chunked": _cut_chunked,
    "malformed": _malformed,
    "wrong_type": _wrong_type,
    "gzip": _gzip,
    "gzip_broken": _gzip_broken,
    "drip": _drip,
    "500_after": _error_after,
    "splice": _splice,
    "empty": _empty,
}
