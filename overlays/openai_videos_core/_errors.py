"""The errors this package raises.

::

    OpenAIVideosError
    ├── APIError
    │   ├── APIConnectionError            the request did not get an HTTP answer
    │   │   └── APITimeoutError
    │   ├── APIResponseValidationError    an answer that does not fit the spec
    │   ├── IncompleteDownloadError       fewer bytes than Content-Length, after retries
    │   └── APIStatusError                an HTTP error status
    │       ├── BadRequestError                400
    │       ├── AuthenticationError            401
    │       ├── PermissionDeniedError          403
    │       ├── NotFoundError                  404
    │       ├── MethodNotAllowedError          405 (the server does not offer this operation)
    │       ├── ConflictError                  409
    │       ├── UnprocessableEntityError       422
    │       ├── RateLimitError                 429
    │       └── InternalServerError            5xx
    ├── VideoGenerationFailed             a job ended failed/cancelled/expired
    │   └── ContentPolicyViolation        ... because moderation refused it (never retry as is)
    └── PollTimeout                       a job did not finish within the poll timeout

Argument errors are plain ``ValueError``/``TypeError`` raised before any request.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import httpx

from ._payload import PayloadError

if TYPE_CHECKING:
    from openai_videos_api.models import Video

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "ContentPolicyViolation",
    "IncompleteDownloadError",
    "InternalServerError",
    "MethodNotAllowedError",
    "NotFoundError",
    "OpenAIVideosError",
    "PayloadError",
    "PermissionDeniedError",
    "PollTimeout",
    "RateLimitError",
    "UnprocessableEntityError",
    "VideoGenerationFailed",
    "decode_json",
    "failure_error",
    "redact",
    "status_error",
]


REQUEST_ID_HEADER = "x-request-id"
CREDENTIAL_HEADERS = ("authorization", "proxy-authorization", "api-key", "x-api-key")


def redact(request: httpx.Request | None) -> httpx.Request | None:
    """Blank the credentials of a request that an exception will carry (it was sent already)."""
    if request is not None:
        for name in CREDENTIAL_HEADERS:
            if name in request.headers:
                request.headers[name] = "[redacted]"
    return request


class OpenAIVideosError(Exception):
    """Base of every error this package raises on purpose."""


class APIError(OpenAIVideosError):
    """A request to the API did not give a usable answer.

    Attributes:
        message: What went wrong, for a person.
        request: The request, with its credentials redacted.
        idempotency_key: For a job-creating request, the ``Idempotency-Key`` it was sent with:
            pass it to ``create(..., idempotency_key=...)`` to try again without risking a
            second job on a server that honours the header.
        may_have_acted: Whether the server may have acted on the request before it failed
            (a 500 after the job was made, a connection reset after the request was sent).
            For a create this means a paid job may exist: look for it (``find_created``)
            before sending it again to a server that does not honour ``Idempotency-Key``.
    """

    idempotency_key: str | None = None
    may_have_acted: bool = False

    def __init__(self, message: str, *, request: httpx.Request | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.request = redact(request)


class APIConnectionError(APIError):
    """No HTTP answer: connection refused or reset, DNS failure, TLS error."""


class APITimeoutError(APIConnectionError):
    """The request timed out."""


class APIResponseValidationError(APIError):
    """The server answered 2xx with a body that does not fit the spec (see ``__cause__``)."""

    def __init__(self, message: str, *, response: httpx.Response) -> None:
        super().__init__(message, request=response.request)
        self.response = response
        self.status_code = response.status_code
        self.request_id = response.headers.get(REQUEST_ID_HEADER)


class IncompleteDownloadError(APIError):
    """A download ended before Content-Length bytes arrived, and resuming did not help."""


class APIStatusError(APIError):
    """The server answered with an error status.

    Attributes:
        status_code: The HTTP status.
        request_id: The server's ``x-request-id``, for support requests.
        body: The decoded JSON body, if it was JSON.
        code, type, param: From an OpenAI-style ``{"error": {...}}`` body, when present.
    """

    def __init__(self, message: str, *, response: httpx.Response, body: object) -> None:
        super().__init__(message, request=response.request)
        self.response = response
        self.status_code = response.status_code
        self.request_id = response.headers.get(REQUEST_ID_HEADER)
        self.body = body
        error = body.get("error") if isinstance(body, dict) else None
        details = error if isinstance(error, dict) else {}
        self.code: str | int | None = details.get("code")
        self.type: str | None = details.get("type")
        self.param: str | None = details.get("param")


class BadRequestError(APIStatusError):
    """400: the request was malformed or a parameter is invalid (see ``param``)."""


class AuthenticationError(APIStatusError):
    """401: the API key is missing, wrong or revoked."""


class PermissionDeniedError(APIStatusError):
    """403: the key may not use this resource or model."""


class NotFoundError(APIStatusError):
    """404: no such video or character (or the server has no such route)."""


class MethodNotAllowedError(APIStatusError):
    """405: the server does not offer this operation."""


class ConflictError(APIStatusError):
    """409: the resource is in a state that does not allow this (e.g. still processing)."""


class UnprocessableEntityError(APIStatusError):
    """422: the request was well-formed but cannot be processed."""


class RateLimitError(APIStatusError):
    """429: too many requests, or the quota is used up."""


class InternalServerError(APIStatusError):
    """5xx: the server failed."""


class VideoGenerationFailed(OpenAIVideosError):
    """A video job ended without a video.

    Attributes:
        video: The final state of the job, with ``video.error`` when the server gave one.
    """

    def __init__(self, video: Video) -> None:
        reason = f": {video.error}" if video.error is not None else ""
        super().__init__(f"video {video.id} ended with status {str(video.status)!r}{reason}")
        self.video = video


MODERATION_CODES = frozenset(
    {
        "moderation_blocked",  # OpenAI's Sora jobs, and the emulator
        "content_policy_violation",  # OpenAI and Azure OpenAI request errors
        "content_filter",  # Azure OpenAI
        "responsibleaipolicyviolation",  # Azure OpenAI's innererror code
        "input_moderation",
        "output_moderation",
    }
)


class ContentPolicyViolation(VideoGenerationFailed):
    """The job was refused by moderation: sending the same request again will fail the same way.

    Raised where the server says so with an error code in ``MODERATION_CODES`` (compared
    case-insensitively).
    """


def failure_error(video: Video) -> VideoGenerationFailed:
    """The error for a job that ended without a video: ``ContentPolicyViolation`` where the
    server names moderation as the cause."""
    code = video.error.code if video.error is not None else None
    if isinstance(code, str) and code.strip().lower() in MODERATION_CODES:
        return ContentPolicyViolation(video)
    return VideoGenerationFailed(video)


class PollTimeout(OpenAIVideosError, TimeoutError):
    """A job was still running when the poll timeout ran out. The job itself goes on.

    Attributes:
        video: The last state seen.
    """

    def __init__(self, video: Video, timeout: float) -> None:
        super().__init__(
            f"video {video.id} is still {str(video.status)!r} ({video.progress}%) after "
            f"{timeout:g} s; it keeps running: poll({video.id!r}) again to wait longer"
        )
        self.video = video
        self.timeout = timeout


_STATUS_CLASSES: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    405: MethodNotAllowedError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}

_HINTS: dict[type[APIStatusError], str] = {
    AuthenticationError: "check the API key (api_key= or OPENAI_API_KEY)",
    PermissionDeniedError: "the key's project may not have access to this model or resource",
    NotFoundError: "check the id, and that base_url points at a /v1/videos server",
    MethodNotAllowedError: "this server does not offer this operation",
    RateLimitError: "slow down, or check your quota",
}


def decode_json(content: bytes) -> object:
    """``content`` as JSON, or None where it is not JSON (or nested too deeply to decode)."""
    try:
        return json.loads(content)
    except (ValueError, RecursionError):
        return None


def _server_message(body: object, response: httpx.Response) -> str:
    if isinstance(body, dict):
        error = body.get("error")
        if isinstance(error, dict) and isinstance(error.get("message"), str):
            return str(error["message"])
        if isinstance(error, str):
            return error
        for key in ("detail", "message"):  # FastAPI-style and plain gateways
            if isinstance(body.get(key), str):
                return str(body[key])
    text = response.text.strip()
    return text[:200] if text else response.reason_phrase


def status_error(response: httpx.Response) -> APIStatusError:
    """The exception for an error response: class by status, message a person can act on."""
    status = response.status_code
    cls = _STATUS_CLASSES.get(status, InternalServerError if status >= 500 else APIStatusError)
    body = decode_json(response.content)
    parts = [f"{status} {response.reason_phrase}".strip()]
    request_id = response.headers.get(REQUEST_ID_HEADER)
    if request_id:
        parts.append(f"request id {request_id}")
    hint = _HINTS.get(cls)
    if hint:
        parts.append(hint)
    message = f"{_server_message(body, response)} ({'; '.join(parts)})"
    return cls(message, response=response, body=body)
