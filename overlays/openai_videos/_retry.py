"""When to retry, and how long to wait: pure functions, no I/O.

The rule that keeps paid jobs from being created twice:

* A failure *before* the request reached the server (connection refused, connect timeout,
  pool timeout) is always retried: nothing can have happened.
* An answer the server gives *instead of acting* (429, and 503 with Retry-After) is retried.
* Any other failure (408, 409, other 5xx, a reset or read timeout after sending) may come after
  the server acted. It is retried for GET and DELETE, which are idempotent, and for a
  job-creating POST only when the server confirmed that it honours ``Idempotency-Key`` by
  echoing it in a response header. Otherwise the error is raised and nothing is sent again.
"""

from __future__ import annotations

import email.utils
import logging
import random
import time
from collections.abc import Mapping

import httpx

from ._constants import INITIAL_RETRY_DELAY, MAX_RETRY_AFTER, MAX_RETRY_DELAY

log = logging.getLogger("openai_videos")
RETRYABLE_STATUSES = frozenset({408, 409, 429, 500, 502, 503, 504})
# Answers a server gives instead of doing the work.
NOT_ACTED_STATUSES = frozenset({429})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "DELETE"})


def is_before_send(error: httpx.HTTPError) -> bool:
    """Whether an httpx error happened before any byte of the request reached a server."""
    return isinstance(error, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout)


def should_retry_status(status: int, headers: Mapping[str, str]) -> bool:
    """Whether an error status is worth retrying at all (the ladder of the official SDK)."""
    override = headers.get("x-should-retry")
    if override == "true":
        return True
    if override == "false":
        return False
    return status in RETRYABLE_STATUSES


def server_did_not_act(status: int, headers: Mapping[str, str]) -> bool:
    """Whether an error status says the server did not act on the request."""
    return status in NOT_ACTED_STATUSES or (status == 503 and "retry-after" in headers)


def may_have_acted(
    *,
    status: int | None = None,
    headers: Mapping[str, str] | None = None,
    error: httpx.HTTPError | None = None,
) -> bool:
    """Whether a failed request may still have been acted on by the server (a job made).

    An error status that refuses the request (4xx other than 408 and 409) or says the server
    did not act (429, 503 with Retry-After) did not act; other statuses (408, 409, 5xx) may
    come after acting. A transport error may have come after acting unless it happened before
    any byte was sent. Exactly one of ``status`` and ``error`` is given.
    """
    if status is not None:
        if server_did_not_act(status, headers or {}):
            return False
        return status in {408, 409} or status >= 500
    return error is None or not is_before_send(error)


def retry_after(headers: Mapping[str, str], now: float | None = None) -> float | None:
    """Seconds the server asks us to wait: ``retry-after-ms``, then ``Retry-After`` as seconds
    or as an HTTP date. None when absent, unparsable or unreasonable (over a minute)."""
    seconds: float | None = None
    if "retry-after-ms" in headers:
        try:
            seconds = float(headers["retry-after-ms"]) / 1000
        except ValueError:
            seconds = None
    if seconds is None and "retry-after" in headers:
        value = headers["retry-after"]
        try:
            seconds = float(value)
        except ValueError:
            try:
                parsed = email.utils.parsedate_to_datetime(value)
            except (TypeError, ValueError):
                return None
            seconds = parsed.timestamp() - (time.time() if now is None else now)
    if seconds is None or not 0 <= seconds <= MAX_RETRY_AFTER:
        return None
    return seconds


def backoff_delay(attempt: int, rng: random.Random | None = None) -> float:
    """Exponential backoff for retry number ``attempt`` (0-based), with up to 25 % jitter."""
    delay = min(INITIAL_RETRY_DELAY * 2.0**attempt, MAX_RETRY_DELAY)
    jitter = 1 - 0.25 * (rng or random).random()
    return delay * jitter


class RetryPolicy:
    """The rule above as one decision: after a failed attempt, how long to wait, or None.

    Args:
        max_retries: Retries allowed after the first attempt.
        rng: The source of jitter (seeded in tests).
    """

    def __init__(self, max_retries: int, rng: random.Random | None = None) -> None:
        self.max_retries = max_retries
        self._rng = rng or random.Random()  # noqa: S311 - retry jitter, not cryptography

    def delay(
        self,
        attempt: int,
        *,
        method: str,
        creates_job: bool,
        acted: bool,
        confirmed: bool,
        status: int | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> float | None:
        """Seconds to wait before retry ``attempt + 1``, or None to give up.

        Args:
            attempt: How many retries were made already (0 after the first attempt).
            method: The request's method.
            creates_job: The request creates a paid job (create, remix, edit, extend).
            acted: The server may have acted on some attempt (``may_have_acted``).
            confirmed: The server has echoed an ``Idempotency-Key`` to this client.
            status: The error status, if the attempt got an answer.
            headers: That answer's headers.
        """
        headers = headers or {}
        if attempt >= self.max_retries:
            return None
        if status is not None and not should_retry_status(status, headers):
            return None
        if acted and method.upper() not in SAFE_METHODS and not (creates_job and confirmed):
            log.warning(
                "not retrying %s: the server may have acted and has not confirmed "
                "Idempotency-Key support",
                method.upper(),
            )
            return None
        server_delay = retry_after(headers)
        return server_delay if server_delay is not None else self.backoff(attempt)

    def backoff(self, attempt: int) -> float:
        """The backoff before retry ``attempt + 1`` (the server gave no delay)."""
        return backoff_delay(attempt, self._rng)
