"""Defaults, in one place."""

from __future__ import annotations

import httpx

DEFAULT_BASE_URL = "https://api.openai.com/v1"
DEFAULT_TIMEOUT = httpx.Timeout(60.0, connect=10.0)
DEFAULT_MAX_RETRIES = 2
# A small pool, all kept alive: polling many jobs at once costs far less CPU than with httpx's
# default (100 connections, 20 kept alive), whose pool bookkeeping grows with its size.
DEFAULT_LIMITS = httpx.Limits(max_connections=10, max_keepalive_connections=10)

# Backoff between retries: 0.5 s doubling up to 8 s, with jitter (as the official SDK).
INITIAL_RETRY_DELAY = 0.5
MAX_RETRY_DELAY = 8.0
# A server-directed Retry-After is honoured up to this many seconds.
MAX_RETRY_AFTER = 60.0

# Polling: the server's openai-poll-after-ms wins; else this interval. Give up after the timeout.
DEFAULT_POLL_INTERVAL = 1.0
DEFAULT_POLL_TIMEOUT = 3600.0
# A server's openai-poll-after-ms may lengthen the wait, but shorten it only down to this.
MIN_POLL_INTERVAL = 0.2
# The last look at a job, when the poll timeout runs out, may take this much longer.
POLL_GRACE = 2.0

# The decoded size of a JSON or error body we read into memory (a gzip bomb stops here).
MAX_BODY_BYTES = 16 * 2**20
# Media is asked for as it is stored: compressed answers would break Content-Length and Range.
MEDIA_HEADERS = {"Accept-Encoding": "identity"}
# JSON may come compressed, in the encodings the client decodes itself within MAX_BODY_BYTES.
JSON_HEADERS = {"Accept-Encoding": "gzip, deflate"}

MAX_PROMPT_LENGTH = 32_000
MAX_CHARACTER_NAME_LENGTH = 80

POLL_AFTER_HEADER = "openai-poll-after-ms"
IDEMPOTENCY_HEADER = "Idempotency-Key"
REQUEST_ID_HEADER = "x-request-id"  # also openai_videos_core._errors.REQUEST_ID_HEADER
