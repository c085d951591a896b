"""openai-videos: a small, strict client for the OpenAI Videos API (``/v1/videos``).

::

    from openai_videos import OpenAIVideos

    with OpenAIVideos() as client:
        video = client.create_and_poll("A calico cat playing a piano on stage")
        client.download_to(video.id, "cat.mp4")

Names are loaded on first use: the generated models import this package's ``_models`` while
they are being defined, so nothing here may import them eagerly (and ``import openai_videos``
stays fast). Each public name is written once, in the ``TYPE_CHECKING`` block below, which type
checkers read as it is; at run time the same block is read as a table of where each name lives.
"""

from __future__ import annotations

import importlib
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the list of public names: see the module docstring
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

    from ._async._client import AsyncOpenAIVideos, AsyncVideoPager
    from ._batch import BatchItem, BatchReport, read_prompts, run_batch
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
    from ._sync._client import OpenAIVideos, VideoPager

__version__ = "0.1.0"


def _exports() -> dict[str, str]:
    """Public name -> the module that defines it, read from the ``TYPE_CHECKING`` block."""
    with open(__file__, encoding="utf-8") as file:  # pathlib would cost import time
        source = file.read()
    block = source.split("if TYPE_CHECKING:", 1)[1].split("\n__version__", 1)[0]
    table: dict[str, str] = {}
    for module, names in re.findall(r"from (\S+) import (\([^)]*\)|.*)", block):
        absolute = f"openai_videos{module}" if module.startswith(".") else module
        for name in names.strip("()").replace(",", " ").split():
            table[name] = absolute
    return table


_EXPORTS = _exports()
__all__ = sorted(_EXPORTS, key=lambda name: (name[0].islower(), name))


if not TYPE_CHECKING:  # type checkers see the imports above: a missing name is an error

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
