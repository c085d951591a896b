"""The public API of openai_videos is exactly this list; every name resolves."""

from __future__ import annotations

import pytest

import openai_videos

EXPECTED = [
    "APIConnectionError", "APIError", "APIResponseValidationError", "APIStatusError", "APITimeoutError",
    "AsyncOpenAIVideos", "AsyncVideoPager", "AuthenticationError", "BadRequestError", "BatchItem",
    "BatchReport", "BudgetExceeded", "ConflictError", "Estimate", "ForeignOutputs", "Rate",
    "RateTable", "RunStopped", "UnknownRate", "estimate", "ContentPolicyViolation", "Dialect", "DeletedVideo", "IncompleteDownloadError", "InternalServerError",
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


def test_the_lazy_table_and_the_type_checking_imports_agree() -> None:
    import ast
    from pathlib import Path

    source = Path(openai_videos.__file__).read_text(encoding="utf-8")
    tree = ast.parse(source)
    guarded = next(
        node
        for node in tree.body
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
    )
    imported = {
        alias.asname or alias.name: ("." * node.level) + (node.module or "")
        for node in guarded.body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }
    assert imported == openai_videos._EXPORTS
    called = {ast.unparse(node.func) for node in ast.walk(tree) if isinstance(node, ast.Call)}
    modules = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
               for alias in node.names}  # fmt: skip
    assert "open" not in called and "re" not in modules  # it never reads its own source
