"""The public API of openai_videos is exactly this list; every name resolves."""

from __future__ import annotations

import pytest

import openai_videos

EXPECTED = [
    "APIConnectionError", "APIError", "APIResponseValidationError", "APIStatusError", "APITimeoutError",
    "AsyncOpenAIVideos", "AsyncVideoPager", "AuthenticationError", "BadRequestError", "BatchItem",
    "BatchReport", "ConflictError", "ContentPolicyViolation", "Dialect", "DeletedVideo", "IncompleteDownloadError", "InternalServerError",
    "MethodNotAllowedError", "NotFoundError", "OpenAIVideos", "OpenAIVideosError", "PayloadError",
    "PermissionDeniedError", "PollTimeout", "RateLimitError", "UnprocessableEntityError", "Video",
    "VideoCharacter", "VideoError", "VideoGenerationFailed", "VideoList", "VideoModel", "VideoPager",
    "VideoSize", "VideoStatus", "read_prompts", "run_batch",
]  # fmt: skip


def test_all_is_pinned_and_sorted() -> None:
    assert openai_videos.__all__ == sorted(EXPECTED)


def test_every_exported_name_resolves() -> None:
    for name in openai_videos.__all__:
        assert getattr(openai_videos, name) is not None


def test_video_is_the_generated_class() -> None:
    from openai_videos_api.models import Video

    assert openai_videos.Video is Video


def test_unknown_names_raise_attribute_error() -> None:
    with pytest.raises(AttributeError, match="NoSuchThing"):
        openai_videos.NoSuchThing  # noqa: B018
