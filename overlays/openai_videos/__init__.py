"""openai-videos: a small, strict client for the OpenAI Videos API (``/v1/videos``).

::

    from openai_videos import OpenAIVideos

    with OpenAIVideos() as client:
        video = client.create_and_poll("A calico cat playing a piano on stage")
        client.download_to(video.id, "cat.mp4")

Names are loaded on first use (``import openai_videos`` stays fast): ``_EXPORTS`` says where
each public name lives. Type checkers read the same names from the ``TYPE_CHECKING`` imports
(``X as X`` marks an explicit re-export); a test keeps the two lists equal.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from openai_videos_api.errors import PayloadError as PayloadError
    from openai_videos_api.models import DeletedVideo as DeletedVideo
    from openai_videos_api.models import Video as Video
    from openai_videos_api.models import VideoCharacter as VideoCharacter
    from openai_videos_api.models import VideoError as VideoError
    from openai_videos_api.models import VideoList as VideoList
    from openai_videos_api.models import VideoModel as VideoModel
    from openai_videos_api.models import VideoSize as VideoSize
    from openai_videos_api.models import VideoStatus as VideoStatus

    from ._async._client import AsyncOpenAIVideos as AsyncOpenAIVideos
    from ._async._pager import AsyncVideoPager as AsyncVideoPager
    from ._batch import BatchItem as BatchItem
    from ._batch import BatchReport as BatchReport
    from ._batch import ForeignOutputs as ForeignOutputs
    from ._batch import RunStopped as RunStopped
    from ._batch import read_prompts as read_prompts
    from ._batch import run_batch as run_batch
    from ._dialects import Dialect as Dialect
    from ._errors import APIConnectionError as APIConnectionError
    from ._errors import APIError as APIError
    from ._errors import APIResponseValidationError as APIResponseValidationError
    from ._errors import APIStatusError as APIStatusError
    from ._errors import APITimeoutError as APITimeoutError
    from ._errors import AuthenticationError as AuthenticationError
    from ._errors import BadRequestError as BadRequestError
    from ._errors import ConflictError as ConflictError
    from ._errors import ContentPolicyViolation as ContentPolicyViolation
    from ._errors import IncompleteDownloadError as IncompleteDownloadError
    from ._errors import InternalServerError as InternalServerError
    from ._errors import MethodNotAllowedError as MethodNotAllowedError
    from ._errors import NotFoundError as NotFoundError
    from ._errors import OpenAIVideosError as OpenAIVideosError
    from ._errors import PermissionDeniedError as PermissionDeniedError
    from ._errors import PollTimeout as PollTimeout
    from ._errors import RateLimitError as RateLimitError
    from ._errors import UnprocessableEntityError as UnprocessableEntityError
    from ._errors import VideoGenerationFailed as VideoGenerationFailed
    from ._pricing import BudgetExceeded as BudgetExceeded
    from ._pricing import Estimate as Estimate
    from ._pricing import Rate as Rate
    from ._pricing import RateTable as RateTable
    from ._pricing import UnknownRate as UnknownRate
    from ._pricing import estimate as estimate
    from ._sync._client import OpenAIVideos as OpenAIVideos
    from ._sync._pager import VideoPager as VideoPager

__version__ = "0.1.0"

_EXPORTS: dict[str, str] = {  # public name -> the module that defines it
    "APIConnectionError": "._errors",
    "APIError": "._errors",
    "APIResponseValidationError": "._errors",
    "APIStatusError": "._errors",
    "APITimeoutError": "._errors",
    "AsyncOpenAIVideos": "._async._client",
    "AsyncVideoPager": "._async._pager",
    "AuthenticationError": "._errors",
    "BadRequestError": "._errors",
    "BatchItem": "._batch",
    "BatchReport": "._batch",
    "BudgetExceeded": "._pricing",
    "ConflictError": "._errors",
    "ContentPolicyViolation": "._errors",
    "DeletedVideo": "openai_videos_api.models",
    "Dialect": "._dialects",
    "Estimate": "._pricing",
    "ForeignOutputs": "._batch",
    "IncompleteDownloadError": "._errors",
    "InternalServerError": "._errors",
    "MethodNotAllowedError": "._errors",
    "NotFoundError": "._errors",
    "OpenAIVideos": "._sync._client",
    "OpenAIVideosError": "._errors",
    "PayloadError": "openai_videos_api.errors",
    "PermissionDeniedError": "._errors",
    "PollTimeout": "._errors",
    "Rate": "._pricing",
    "RateLimitError": "._errors",
    "RateTable": "._pricing",
    "RunStopped": "._batch",
    "UnknownRate": "._pricing",
    "UnprocessableEntityError": "._errors",
    "Video": "openai_videos_api.models",
    "VideoCharacter": "openai_videos_api.models",
    "VideoError": "openai_videos_api.models",
    "VideoGenerationFailed": "._errors",
    "VideoList": "openai_videos_api.models",
    "VideoModel": "openai_videos_api.models",
    "VideoPager": "._sync._pager",
    "VideoSize": "openai_videos_api.models",
    "VideoStatus": "openai_videos_api.models",
    "estimate": "._pricing",
    "read_prompts": "._batch",
    "run_batch": "._batch",
}
__all__ = sorted(_EXPORTS, key=lambda name: (name[0].islower(), name))


if not TYPE_CHECKING:  # type checkers see the imports above: a missing name is an error

    def __getattr__(name: str) -> Any:
        module = _EXPORTS.get(name)
        if module is None:
            msg = f"module 'openai_videos' has no attribute {name!r}"
            raise AttributeError(msg)
        value = getattr(importlib.import_module(module, __name__), name)
        globals()[name] = value
        return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
