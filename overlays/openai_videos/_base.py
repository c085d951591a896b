"""What the sync and async clients share, with no I/O: their options (``_options``), the
decisions of their send path (retry: ``_retry``; redirects; deadlines; typed errors), poll
waits, and reading an answer into its model through the dialect.

Requests are built and parsed by the generated endpoint modules' public seam
(``build_request``, ``parse_response``, wrapped in ``_calls.Call``); what each operation sends
is in ``_calls``, how a body is read in ``_body``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import httpx

from openai_videos_api import models
from openai_videos_api.errors import PayloadError

from . import _retry
from ._calls import Call, new_idempotency_key
from ._capabilities import Capabilities, get_capabilities
from ._constants import IDEMPOTENCY_HEADER, MIN_POLL_INTERVAL, POLL_AFTER_HEADER
from ._create_request import CreateRequest, refused_for_encoding
from ._dialects import Dialect, get_dialect
from ._errors import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    PollTimeout,
    failure_error,
)
from ._options import ClientOptions

log = logging.getLogger("openai_videos")
T = TypeVar("T")

_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
MAX_REDIRECTS = 5
_FAILURES: dict[type[httpx.HTTPError], str] = {
    httpx.DecodingError: "failed: the answer's body could not be decoded",
    httpx.RemoteProtocolError: "failed: the server broke the HTTP exchange",
}


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
        capabilities: str | Capabilities | None = None,
    ) -> None:
        self._options = ClientOptions.resolve(
            api_key=api_key,
            base_url=base_url,
            organization=organization,
            project=project,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            default_query=default_query,
            auth_header=auth_header,
        )
        self.base_url = self._options.base_url
        self.timeout: httpx.Timeout = self._options.timeout
        self.max_retries = max_retries
        self._default_query = self._options.default_query
        self._dialect = get_dialect(dialect)
        self.capabilities = get_capabilities(capabilities)
        self._create_encoding: str | None = None  # learned from a refusal of the other one
        self._retry = _retry.RetryPolicy(max_retries)
        self._monotonic: Callable[[], float] = time.monotonic
        self._idempotency_confirmed = False
        self._observe: Callable[[str], None] | None = None  # told each attempt's outcome
        # A seam for a batch runner: False hands a create's 429 straight back to it.
        self._retry_refused_creates = True

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r}, max_retries={self.max_retries})"

    @property
    def create_encoding(self) -> str | None:
        """The create encoding this server was seen to need (``"json"`` or ``"multipart"``),
        once it refused the other; None before."""
        return self._create_encoding

    def _encoding_fallback(self, error: APIError, request: CreateRequest) -> CreateRequest | None:
        """The create to send once more after ``error``: the same in the other encoding when
        the server refused the encoding itself (a validation error that made no job), and no
        encoding was learned yet. None: raise ``error``."""
        if self._create_encoding is not None or error.may_have_acted:
            return None
        if not isinstance(error, APIStatusError):
            return None
        if not refused_for_encoding(error.status_code, f"{error.body} {error}"):
            return None
        other = request.in_other_encoding()
        if other is not None:
            self._create_encoding = other.encoding
            log.info("the server refused a %s create; sending %s", request.encoding, other.encoding)
        return other

    @property
    def idempotency_confirmed(self) -> bool:
        """Whether this server has echoed an ``Idempotency-Key`` to this client: only then is
        re-sending a create that may have reached it known not to make a second job."""
        return self._idempotency_confirmed

    # -- the send path's decisions ---------------------------------------------------------------

    def _headers(self, url: httpx.URL | None, idempotency_key: str | None) -> dict[str, str]:
        return self._options.headers(url, idempotency_key)

    @staticmethod
    def _idempotency_key(call: Call[Any]) -> str | None:
        if not call.creates_job:
            return None
        return call.idempotency_key or new_idempotency_key()

    def _retry_delay(
        self,
        attempt: int,
        method: str,
        creates_job: bool,
        *,
        acted: bool,
        response: httpx.Response | None = None,
    ) -> float | None:
        """Seconds to wait before trying again, or None to give up (``_retry.RetryPolicy``)."""
        refused = response is not None and response.status_code == 429
        if refused and creates_job and not self._retry_refused_creates:
            return None  # the caller (a batch) decides: it learns the server's limits
        return self._retry.delay(
            attempt,
            method=method,
            creates_job=creates_job,
            acted=acted,
            confirmed=self._idempotency_confirmed,
            status=None if response is None else response.status_code,
            headers={} if response is None else response.headers,
        )

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
        return self._retry.backoff(attempt)

    def _tally(self, response: httpx.Response | None, error: httpx.HTTPError | None) -> None:
        """Tell the observer (if any) how one attempt went: ``"ok"``, the status (``"429"``),
        ``"timeout"`` or ``"connection"``."""
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
        where = ""
        if request is not None:  # the host and port too: a wrong base URL shows at once
            url = request.url
            port = url.port or {"https": 443, "http": 80}.get(url.scheme)
            where = f"{request.method} {url.scheme}://{url.host}:{port}{url.path} "
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
