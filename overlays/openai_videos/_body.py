"""Reading an answer's body we hold in memory: within a size limit and a deadline, decoding
``gzip`` and ``deflate`` ourselves; and telling media from pages. No I/O.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable

import httpx

from ._errors import APIResponseValidationError, decode_json

__all__ = ["DECODE_STEP", "BodyReader", "decode_step", "is_media", "not_media_error"]

_MEDIA_PREFIXES = ("video/", "image/", "application/octet-stream", "binary/")
# Content-Encoding -> zlib window bits (None: as it is). Requests ask for these only (JSON_HEADERS).
_DECODERS: dict[str, int | None] = {
    "identity": None,
    "": None,
    "gzip": zlib.MAX_WBITS | 16,
    "x-gzip": zlib.MAX_WBITS | 16,
    "deflate": zlib.MAX_WBITS,
}
DECODE_STEP = 2**20
"""The most decoded bytes one step of decompression may produce: the memory a step holds."""


def decode_step(limit: int | None, size: int) -> int:
    """How many decoded bytes the next step may produce, with ``size`` bytes taken so far:
    one more than the ``limit`` still allows (enough to tell that a body is over it, never
    a large allocation past it), at most ``DECODE_STEP`` and at least one."""
    if limit is None:
        return DECODE_STEP
    return max(1, min(limit - size + 1, DECODE_STEP))


def is_media(response: httpx.Response) -> bool:
    """Whether an answer of ``/content`` is media bytes (not a JSON or HTML page)."""
    content_type = response.headers.get("content-type", "application/octet-stream").lower()
    return bool(content_type.startswith(_MEDIA_PREFIXES))


def not_media_error(response: httpx.Response) -> APIResponseValidationError:
    """The error for a ``/content`` answer (body read) that is not media; some relays answer
    with a link, which the message shows."""
    content_type = response.headers.get("content-type", "")
    body = decode_json(response.content)
    hint = ""
    if isinstance(body, dict):
        url = body.get("video_url") or body.get("url")
        if isinstance(url, str):
            hint = f"; the server sent a link instead: {url}"
    msg = f"expected media bytes from {response.request.url.path}, got {content_type}{hint}"
    return APIResponseValidationError(msg, response=response)


class BodyReader:
    """Collects a body we read into memory, within a size limit and a deadline. No I/O.

    It is fed the raw bytes from the wire and decodes ``gzip`` and ``deflate`` itself, never
    producing more than the limit allows: a small compressed chunk cannot expand into a large
    allocation (a gzip bomb), which decoding a whole chunk at once would allow.

    Args:
        response: The answer whose body this collects (for its encoding and for errors).
        limit: The most decoded bytes to accept, or None for no limit.
        deadline: A ``monotonic`` time by which the body must be complete, or None.
        clock: The clock ``deadline`` is measured on.

    Raises (from ``add`` and ``response``):
        APIResponseValidationError: The body is larger than the limit.
        httpx.ReadTimeout: The deadline has passed (a server dripping its answer).
        httpx.DecodingError: The body is not valid for its ``Content-Encoding``, or uses one
            we did not ask for.
    """

    def __init__(
        self,
        response: httpx.Response,
        *,
        limit: int | None,
        deadline: float | None,
        clock: Callable[[], float],
    ) -> None:
        self._response, self._limit, self._deadline, self._clock = response, limit, deadline, clock
        self._chunks: list[bytes] = []
        self._size = 0
        encoding = response.headers.get("content-encoding", "identity").strip().lower()
        if encoding not in _DECODERS:
            msg = f"the answer uses Content-Encoding {encoding!r}, which was not asked for"
            raise httpx.DecodingError(msg, request=response.request)
        self._wbits = _DECODERS[encoding]
        self._decoder = zlib.decompressobj(self._wbits) if self._wbits is not None else None
        self._started = False

    def add(self, raw: bytes) -> None:
        """Take one chunk as it came off the wire."""
        if self._decoder is None:
            self._take(raw)
        else:
            self._inflate(raw)
        self._started = self._started or bool(raw)
        if self._deadline is not None and self._clock() > self._deadline:
            msg = "the answer did not arrive in time (its body was still coming at the deadline)"
            raise httpx.ReadTimeout(msg, request=self._response.request)

    def add_decoded(self, body: bytes) -> None:
        """Take a whole body that httpx has read and decoded already."""
        self._decoder = None
        self._take(body)

    def _inflate(self, raw: bytes) -> None:
        assert self._decoder is not None  # noqa: S101 - only called with a decoder
        data = raw
        while data:
            try:
                out = self._decoder.decompress(data, decode_step(self._limit, self._size))
            except zlib.error as error:
                if self._wbits == zlib.MAX_WBITS and not self._started:  # raw deflate, then
                    self._wbits = -zlib.MAX_WBITS
                    self._decoder = zlib.decompressobj(self._wbits)
                    continue
                msg = f"the answer's compressed body is broken: {error}"
                raise httpx.DecodingError(msg, request=self._response.request) from None
            self._take(out)
            data = self._decoder.unconsumed_tail

    def _take(self, data: bytes) -> None:
        self._size += len(data)
        if self._limit is not None and self._size > self._limit:
            request = self._response.request
            msg = (
                f"the answer to {request.method} {request.url.path} is larger than "
                f"{self._limit:,} bytes (decoded), the limit for a JSON or error body"
            )
            raise APIResponseValidationError(msg, response=self._response)
        if data:
            self._chunks.append(data)

    def response(self) -> httpx.Response:
        """The response read, now holding its collected body (decoded).

        The body is stored where httpx's own ``read()`` stores it, so ``.content``, ``.text``
        and ``.json()`` work as after a plain read (building a second response cost 20 us).
        """
        if self._decoder is not None:
            self._take(self._decoder.flush())
        self._response._content = b"".join(self._chunks)
        return self._response
