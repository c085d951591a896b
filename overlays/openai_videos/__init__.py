"""openai-videos: a small, strict client for the OpenAI Videos API (``/v1/videos``).

::

    from openai_videos import OpenAIVideos

    with OpenAIVideos() as client:
        video = client.create_and_poll("A calico cat playing a piano on stage")
        client.download_to(video.id, "cat.mp4")

Names are loaded on first use: the generated models import this package's ``_models`` while
they are being defined, so nothing here may import them eagerly (and ``import openai_videos``
stays fast).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from openai_videos_api.errors import PayloadError
    from openai_videos_api.models import (
        DeletedVideo,
        Video,
        VideoCharacter,
        VideoError,
        VideoList,
        VideoModel,
        VideoSize,
        VideoStatus,
    )

    from ._batch import BatchItem, BatchReport, read_prompts, run_batch
    from ._client import AsyncOpenAIVideos, AsyncVideoPager, OpenAIVideos, VideoPager
    from ._errors import (
        APIConnectionError,
        APIError,
        APIResponseValidationError,
        APIStatusError,
        APITimeoutError,
        AuthenticationError,
        BadRequestError,
        ConflictError,
        IncompleteDownloadError,
        InternalServerError,
        MethodNotAllowedError,
        NotFoundError,
        OpenAIVideosError,
        PermissionDeniedError,
        PollTimeout,
        RateLimitError,
        UnprocessableEntityError,
        VideoGenerationFailed,
    )

__version__ = "0.1.0"

_EXPORTS: dict[str, str] = {
    "APIConnectionError": "openai_videos._errors",
    "APIError": "openai_videos._errors",
    "APIResponseValidationError": "openai_videos._errors",
    "APIStatusError": "openai_videos._errors",
    "APITimeoutError": "openai_videos._errors",
    "AsyncOpenAIVideos": "openai_videos._client",
    "AsyncVideoPager": "openai_videos._client",
    "AuthenticationError": "openai_videos._errors",
    "BatchItem": "openai_videos._batch",
    "BatchReport": "openai_videos._batch",
    "BadRequestError": "openai_videos._errors",
    "ConflictError": "openai_videos._errors",
    "DeletedVideo": "openai_videos_api.models",
    "IncompleteDownloadError": "openai_videos._errors",
    "InternalServerError": "openai_videos._errors",
    "MethodNotAllowedError": "openai_videos._errors",
    "NotFoundError": "openai_videos._errors",
    "OpenAIVideos": "openai_videos._client",
    "OpenAIVideosError": "openai_videos._errors",
    "PayloadError": "openai_videos_api.errors",
    "PermissionDeniedError": "openai_videos._errors",
    "PollTimeout": "openai_videos._errors",
    "RateLimitError": "openai_videos._errors",
    "read_prompts": "openai_videos._batch",
    "run_batch": "openai_videos._batch",
    "UnprocessableEntityError": "openai_videos._errors",
    "Video": "openai_videos_api.models",
    "VideoCharacter": "openai_videos_api.models",
    "VideoError": "openai_videos_api.models",
    "VideoGenerationFailed": "openai_videos._errors",
    "VideoList": "openai_videos_api.models",
    "VideoModel": "openai_videos_api.models",
    "VideoPager": "openai_videos._client",
    "VideoSize": "openai_videos_api.models",
    "VideoStatus": "openai_videos_api.models",
}

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncOpenAIVideos",
    "AsyncVideoPager",
    "AuthenticationError",
    "BadRequestError",
    "BatchItem",
    "BatchReport",
    "ConflictError",
    "DeletedVideo",
    "IncompleteDownloadError",
    "InternalServerError",
    "MethodNotAllowedError",
    "NotFoundError",
    "OpenAIVideos",
    "OpenAIVideosError",
    "PayloadError",
    "PermissionDeniedError",
    "PollTimeout",
    "RateLimitError",
    "UnprocessableEntityError",
    "Video",
    "VideoCharacter",
    "VideoError",
    "VideoGenerationFailed",
    "VideoList",
    "VideoModel",
    "VideoPager",
    "VideoSize",
    "VideoStatus",
    "read_prompts",
    "run_batch",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        msg = f"module 'openai_videos' has no attribute {name!r}"
        raise AttributeError(msg)
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
