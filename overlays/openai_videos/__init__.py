"""openai-videos: a small, strict client for the OpenAI Videos API (``/v1/videos``).

::

    from openai_videos import OpenAIVideos

    with OpenAIVideos() as client:
        video = client.create_and_poll("A calico cat playing a piano on stage")
        client.download_to(video.id, "cat.mp4")

Names are loaded on first use: the generated models import this package's ``_models`` while
they are being defined, so nothing here may import them eagerly (and ``import openai_videos``
stays fast). Each public name is listed once, in the ``TYPE_CHECKING`` block below (``X as X``
marks an explicit re-export for type checkers); at run time the same block is read as a table
of where each name lives, and ``__all__`` is made from it.
"""

from __future__ import annotations

import importlib
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the list of public names: see the module docstring
    from openai_videos_api.errors import PayloadError as PayloadError
    from openai_videos_api.models import (
        DeletedVideo as DeletedVideo,
    )
    from openai_videos_api.models import (
        Video as Video,
    )
    from openai_videos_api.models import (
        VideoCharacter as VideoCharacter,
    )
    from openai_videos_api.models import (
        VideoError as VideoError,
    )
    from openai_videos_api.models import (
        VideoList as VideoList,
    )
    from openai_videos_api.models import (
        VideoModel as VideoModel,
    )
    from openai_videos_api.models import (
        VideoSize as VideoSize,
    )
    from openai_videos_api.models import (
        VideoStatus as VideoStatus,
    )

    from ._async._client import (
        AsyncOpenAIVideos as AsyncOpenAIVideos,
    )
    from ._async._client import (
        AsyncVideoPager as AsyncVideoPager,
    )
    from ._batch import (
        BatchItem as BatchItem,
    )
    from ._batch import (
        BatchReport as BatchReport,
    )
    from ._batch import (
        read_prompts as read_prompts,
    )
    from ._batch import (
        run_batch as run_batch,
    )
    from ._dialects import Dialect as Dialect
    from ._errors import (
        APIConnectionError as APIConnectionError,
    )
    from ._errors import (
        APIError as APIError,
    )
    from ._errors import (
        APIResponseValidationError as APIResponseValidationError,
    )
    from ._errors import (
        APIStatusError as APIStatusError,
    )
    from ._errors import (
        APITimeoutError as APITimeoutError,
    )
    from ._errors import (
        AuthenticationError as AuthenticationError,
    )
    from ._errors import (
        BadRequestError as BadRequestError,
    )
    from ._errors import (
        ConflictError as ConflictError,
    )
    from ._errors import (
        ContentPolicyViolation as ContentPolicyViolation,
    )
    from ._errors import (
        IncompleteDownloadError as IncompleteDownloadError,
    )
    from ._errors import (
        InternalServerError as InternalServerError,
    )
    from ._errors import (
        MethodNotAllowedError as MethodNotAllowedError,
    )
    from ._errors import (
        NotFoundError as NotFoundError,
    )
    from ._errors import (
        OpenAIVideosError as OpenAIVideosError,
    )
    from ._errors import (
        PermissionDeniedError as PermissionDeniedError,
    )
    from ._errors import (
        PollTimeout as PollTimeout,
    )
    from ._errors import (
        RateLimitError as RateLimitError,
    )
    from ._errors import (
        UnprocessableEntityError as UnprocessableEntityError,
    )
    from ._errors import (
        VideoGenerationFailed as VideoGenerationFailed,
    )
    from ._sync._client import OpenAIVideos as OpenAIVideos
    from ._sync._client import VideoPager as VideoPager

__version__ = "0.1.0"


def _exports() -> dict[str, str]:
    """Public name -> the module that defines it, read from the ``TYPE_CHECKING`` block."""
    with open(__file__, encoding="utf-8") as file:  # pathlib would cost import time
        source = file.read()
    block = source.split("if TYPE_CHECKING:", 1)[1].split("\n__version__", 1)[0]
    table: dict[str, str] = {}
    for module, names in re.findall(r"from (\S+) import (\([^)]*\)|.*)", block):
        absolute = f"openai_videos{module}" if module.startswith(".") else module
        for entry in names.strip("()").split(","):
            if entry.strip():
                table[entry.split(" as ")[-1].strip()] = absolute
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
