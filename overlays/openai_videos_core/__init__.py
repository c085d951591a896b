"""What the generated layer and the client share: the error tree and the model mixins.

The dependency runs one way: ``openai_videos`` (the client) -> ``openai_videos_api`` (the
generated layer) -> ``openai_videos_core`` (this package), which imports only httpx and the
standard library at run time. The generated templates target this package, so a service that
vendors the generated layer alone copies it and this, and depends on httpx, attrs and
python-dateutil; nothing generated imports the client.
"""

from __future__ import annotations

from ._errors import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    ContentPolicyViolation,
    IncompleteDownloadError,
    InternalServerError,
    MethodNotAllowedError,
    NotFoundError,
    OpenAIVideosError,
    PayloadError,
    PermissionDeniedError,
    PollTimeout,
    RateLimitError,
    UnprocessableEntityError,
    VideoGenerationFailed,
    decode_json,
    failure_error,
    redact,
    status_error,
)
from ._models import (
    DIALECT_RECORD_KEY,
    DeletedVideoMixin,
    VideoCharacterMixin,
    VideoErrorMixin,
    VideoListMixin,
    VideoMixin,
    timestamp_to_datetime,
)

__all__ = [
    "DIALECT_RECORD_KEY",
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "ContentPolicyViolation",
    "DeletedVideoMixin",
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
    "VideoCharacterMixin",
    "VideoErrorMixin",
    "VideoGenerationFailed",
    "VideoListMixin",
    "VideoMixin",
    "decode_json",
    "failure_error",
    "redact",
    "status_error",
    "timestamp_to_datetime",
]
