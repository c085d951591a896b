"""What the sync and async clients share: configuration, headers, retry and poll decisions,
response parsing. Nothing here does I/O (what each operation sends is in ``_calls``).

Requests are built and parsed by the generated endpoint modules' public seam
(``build_request``, ``parse_response``, wrapped in ``_calls.Call``); the clients only add
headers, retries, streaming and error mapping.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import random
import time
import urllib.parse
import warnings
import zlib
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import httpx

from openai_videos_api import models
from openai_videos_api.errors import PayloadError

from . import _retry
from ._calls import Call, new_idempotency_key
from ._constants import (
    DEFAULT_BASE_URL,
    DEFAULT_TIMEOUT,
    IDEMPOTENCY_HEADER,
    MIN_POLL_INTERVAL,
    POLL_AFTER_HEADER,
)
from ._dialects import Dialect, get_dialect
from ._errors import (
    APIConnectionError,
    APIResponseValidationError,
    APITimeoutError,
    PollTimeout,
    decode_json,
    failure_error,
)
from ._inputs import check_positive

log = logging.getLogger("openai_videos")
T = TypeVar("T")


_LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain"})
OPENAI_HOST = "api.openai.com"
HOSTED_API_REMOVED = (
    "OpenAI removed its hosted Videos API on 2026-09-24 (the spec marks every /videos operation "
    "deprecated): requests to api.openai.com will fail. Point base_url (or OPENAI_BASE_URL) at a "
    "gateway or server that serves /v1/videos."
)
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
MAX_REDIRECTS = 5
_MEDIA_PREFIXES = ("video/", "image/", "application/octet-stream", "binary/")
# Content-Encoding -> zlib window bits (None: as it is). Requests ask for these only (JSON_HEADERS).
_DECODERS: dict[str, int | None] = {
    "identity": None,
    "": None,
    "gzip": zlib.MAX_WBITS | 16,
    "x-gzip": zlib.MAX_WBITS | 16,
    "deflate": zlib.MAX_WBITS,
}
_FAILURES: dict[type[httpx.HTTPError], str] = {
    httpx.DecodingError: "failed: the answer's body could not be decoded",
    httpx.RemoteProtocolError: "failed: the server broke the HTTP exchange",
}


def is_loopback(base_url: str) -> bool:
    """Whether ``base_url`` points at this machine (a local emulator, say)."""
    host = urllib.parse.urlsplit(base_url).hostname or ""
    if host in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _same_origin(a: httpx.URL, b: httpx.URL) -> bool:
    return (a.scheme, a.host, a.port) == (b.scheme, b.host, b.port)


def poll_delay(headers: Mapping[str, str], default: float) -> float:
    """The server's ``openai-poll-after-ms`` in seconds, else ``default``.

    A hint may lengthen the wait as far as ten minutes, and shorten it only down to
    ``MIN_POLL_INTERVAL``: a server asking for 0 ms cannot turn polling into a busy loop.
    """
    try:
        milliseconds = float(headers[POLL_AFTER_HEADER])
    except (KeyError, ValueError):
        return default
    if not 0 <= milliseconds <= 600_000:  # also refuses NaN
        return default
    return max(milliseconds / 1000, min(default, MIN_POLL_INTERVAL))


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
            room = 2**20 if self._limit is None else self._limit - self._size + 1
            try:
                out = self._decoder.decompress(data, max(1, min(room, 2**20)))
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


class BaseVideosClient:
    """Configuration and I/O-free logic shared by ``OpenAIVideos`` and ``AsyncOpenAIVideos``."""

    def __init__(
        self,
        *,
        api_key: str | None,
        base_url: str | None,
        organization: str | None,
        project: str | None,
        timeout: float | httpx.Timeout | None,
        max_retries: int,
        default_headers: Mapping[str, str] | None,
        default_query: Mapping[str, str] | None,
        auth_header: str,
        dialect: str | Dialect = "auto",
    ) -> None:
        base_url = base_url or os.environ.get("OPENAI_BASE_URL") or DEFAULT_BASE_URL
        api_key = api_key if api_key is not None else os.environ.get("OPENAI_API_KEY")
        if not api_key and not is_loopback(base_url):
            msg = (
                "no API key: pass api_key=... or set OPENAI_API_KEY "
                f"(only a loopback base_url, such as the local emulator, may go without; got {base_url})"
            )
            raise ValueError(msg)
        if not isinstance(max_retries, int) or max_retries < 0:
            msg = f"max_retries must be a whole number >= 0, but received {max_retries!r}"
            raise ValueError(msg)
        if isinstance(timeout, int | float):
            check_positive(timeout, "timeout")
        self.base_url = base_url.rstrip("/")
        self._origin = httpx.URL(self.base_url)
        if self._origin.host == OPENAI_HOST:
            warnings.warn(HOSTED_API_REMOVED, DeprecationWarning, stacklevel=3)
        self.max_retries = max_retries
        self.timeout: httpx.Timeout = (
            timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout)
        ) if timeout is not None else DEFAULT_TIMEOUT  # fmt: skip
        organization = organization or os.environ.get("OPENAI_ORG_ID")
        project = project or os.environ.get("OPENAI_PROJECT_ID")
        self._default_headers: dict[str, str] = dict(default_headers or {})
        self._default_query: dict[str, str] = dict(default_query or {})
        if organization:
            self._default_headers["OpenAI-Organization"] = organization
        if project:
            self._default_headers["OpenAI-Project"] = project
        # Credentials live only here, are sent per request, and never reach a repr or a log.
        self._auth_headers: dict[str, str] = {}
        if api_key:
            is_bearer = auth_header.lower() == "authorization"
            self._auth_headers[auth_header] = f"Bearer {api_key}" if is_bearer else api_key
        self._dialect = get_dialect(dialect)
        self._monotonic: Callable[[], float] = time.monotonic
        self._idempotency_confirmed = False
        self._rng = random.Random()  # noqa: S311 - retry jitter, not cryptography
        self._observe: Callable[[str], None] | None = None

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r}, max_retries={self.max_retries})"

    # -- headers -------------------------------------------------------------------------------

    def _headers(self, url: httpx.URL | None, idempotency_key: str | None) -> dict[str, str]:
        """Our headers for a request to ``url``: none at all for another origin (a redirect to
        a CDN gets neither credentials nor organisation, project or default headers)."""
        if url is not None and not _same_origin(url, self._origin):
            return {}
        headers = {**self._default_headers, **self._auth_headers}
        if idempotency_key:
            headers[IDEMPOTENCY_HEADER] = idempotency_key
        return headers

    @staticmethod
    def _idempotency_key(call: Call[Any]) -> str | None:
        if not call.creates_job:
            return None
        return call.idempotency_key or new_idempotency_key()

    # -- polling ---------------------------------------------------------------------------------

    def _poll_wait(
        self,
        video: models.Video,
        response: httpx.Response,
        *,
        deadline: float,
        timeout: float,
        poll_interval: float,
        raise_on_failure: bool,
    ) -> float | None:
        """After one poll: None when ``video`` is the answer, else seconds to wait before the next.

        Raises:
            VideoGenerationFailed: The job failed and ``raise_on_failure`` is set.
            PollTimeout: ``deadline`` has passed (whatever the status, known or not).
        """
        if video.is_completed:
            return None
        if video.is_failed:
            if raise_on_failure:
                raise failure_error(video)
            return None
        remaining = deadline - self._monotonic()
        if remaining <= 0:
            raise PollTimeout(video, timeout)
        return min(poll_delay(response.headers, poll_interval), remaining)

    # -- retries ---------------------------------------------------------------------------------

    def _retry_delay(
        self,
        attempt: int,
        method: str,
        creates_job: bool,
        *,
        acted: bool,
        response: httpx.Response | None = None,
    ) -> float | None:
        """Seconds to wait before trying again, or None to give up (rule: ``_retry``).

        ``acted`` says whether the failed attempt may have been acted on by the server; an
        error status comes with its ``response``.
        """
        if attempt >= self.max_retries:
            return None
        headers: Mapping[str, str] = {}
        if response is not None:
            headers = response.headers
            if not _retry.should_retry_status(response.status_code, headers):
                return None
        unsafe = acted and method.upper() not in _retry.SAFE_METHODS
        if unsafe and not (creates_job and self._idempotency_confirmed):
            log.warning(
                "not retrying %s: the server may have acted and has not confirmed "
                "Idempotency-Key support",
                method.upper(),
            )
            return None
        server_delay = _retry.retry_after(headers)
        return (
            server_delay if server_delay is not None else _retry.backoff_delay(attempt, self._rng)
        )

    @property
    def idempotency_confirmed(self) -> bool:
        """Whether this server has echoed an ``Idempotency-Key`` to this client: only then is
        re-sending a create that may have reached it known not to make a second job."""
        return self._idempotency_confirmed

    def _attempt_deadline(self, deadline: float | None) -> float | None:
        """When one attempt must be complete: the client's timeout from now, as an overall
        deadline (a server dripping its answer cannot stretch it), or ``deadline`` if sooner."""
        own = self.timeout.read
        if own is None:
            return deadline
        mine = self._monotonic() + own
        return mine if deadline is None else min(mine, deadline)

    @staticmethod
    def _failed_method(error: httpx.HTTPError) -> str:
        """The method of the request an httpx error belongs to ("POST", the cautious answer,
        where it has none)."""
        try:
            return error.request.method
        except RuntimeError:
            return "POST"

    def _backoff(self, attempt: int) -> float:
        return _retry.backoff_delay(attempt, self._rng)

    def _tally(self, response: httpx.Response | None, error: httpx.HTTPError | None) -> None:
        """Tell the observer (if any) how one attempt went: ``"ok"``, the status (``"429"``),
        or ``"connection"``."""
        if self._observe is None:
            return
        if response is None:
            self._observe("timeout" if isinstance(error, httpx.TimeoutException) else "connection")
        else:
            self._observe("ok" if response.is_success else str(response.status_code))

    def _note_response(self, response: httpx.Response, idempotency_key: str | None) -> None:
        if idempotency_key and response.headers.get(IDEMPOTENCY_HEADER) == idempotency_key:
            self._idempotency_confirmed = True
        log.debug(
            "%s %s -> %s", response.request.method, response.request.url.path, response.status_code
        )

    @staticmethod
    def _http_error(error: httpx.HTTPError) -> APIConnectionError:
        """The typed error for any httpx error (its request's credentials redacted)."""
        try:
            request: httpx.Request | None = error.request
        except RuntimeError:  # an httpx error raised before a request existed
            request = None
        kind = APITimeoutError if isinstance(error, httpx.TimeoutException) else APIConnectionError
        what = "timed out" if kind is APITimeoutError else _FAILURES.get(type(error), "failed")
        where = f"{request.method} {request.url.path} " if request is not None else ""
        message = f"{where}{what}: {error!s}".rstrip(": ")
        return kind(message, request=request)

    @staticmethod
    def _redirect_target(response: httpx.Response, hops: int) -> httpx.URL | None:
        if response.status_code not in _REDIRECT_STATUSES or response.request.method != "GET":
            return None
        location = response.headers.get("location")
        if not location or hops >= MAX_REDIRECTS:
            return None
        return response.request.url.join(location)

    # -- parsing ---------------------------------------------------------------------------------

    def _parse(self, call: Call[T], response: httpx.Response) -> T:
        """A successful answer read into the operation's model (through the client's dialect
        for JSON), or a validation error."""
        try:
            if call.parse_body is None:
                return call.parse(response)
            return call.parse_body(self._dialect.answer(call.name, response.json()))
        except PayloadError as exc:
            raise APIResponseValidationError(str(exc), response=response) from exc
        except (ValueError, RecursionError) as exc:  # not JSON, or nested beyond decoding
            reason = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)
            msg = f"the server's answer to {response.request.url.path} is not valid JSON: {reason}"
            raise APIResponseValidationError(msg, response=response) from None

    def _parse_deleted(
        self, call: Call[models.DeletedVideo], response: httpx.Response
    ) -> models.DeletedVideo:
        """Deletion answers come as ``{deleted: true}`` or, on some servers, the video itself."""
        body = decode_json(response.content)
        if isinstance(body, dict) and "deleted" not in body and body.get("object") == "video":
            from openai_videos_api.api.videos import get_video  # noqa: PLC0415 - lazy, see _calls

            as_video = Call("get_video", call.build, get_video.parse_response, get_video.parse_body)
            video = self._parse(as_video, response)
            return models.DeletedVideo(id=video.id, deleted=str(video.status) == "deleted")
        return self._parse(call, response)
