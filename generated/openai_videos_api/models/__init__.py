"""Contains all the data models used in inputs/outputs.

Each model is imported on first use (PEP 562): loading one endpoint module loads only the
models it needs, which keeps ``import`` fast.
"""

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .create_character_body import CreateCharacterBody
    from .create_video_edit_json_body import CreateVideoEditJsonBody
    from .create_video_edit_multipart_body import CreateVideoEditMultipartBody
    from .create_video_extend_json_body import CreateVideoExtendJsonBody
    from .create_video_extend_multipart_body import CreateVideoExtendMultipartBody
    from .create_video_json_body import CreateVideoJsonBody
    from .create_video_multipart_body import CreateVideoMultipartBody
    from .create_video_remix_body import CreateVideoRemixBody
    from .deleted_video import DeletedVideo
    from .deleted_video_object import DeletedVideoObject
    from .image_reference import ImageReference
    from .order_enum import OrderEnum
    from .video import Video
    from .video_character import VideoCharacter
    from .video_content_variant import VideoContentVariant
    from .video_error import VideoError
    from .video_extension_seconds import VideoExtensionSeconds
    from .video_list import VideoList
    from .video_list_object import VideoListObject
    from .video_model import VideoModel
    from .video_object import VideoObject
    from .video_reference import VideoReference
    from .video_seconds import VideoSeconds
    from .video_size import VideoSize
    from .video_status import VideoStatus

_MODULES = {
    "CreateCharacterBody": ".create_character_body",
    "CreateVideoEditJsonBody": ".create_video_edit_json_body",
    "CreateVideoEditMultipartBody": ".create_video_edit_multipart_body",
    "CreateVideoExtendJsonBody": ".create_video_extend_json_body",
    "CreateVideoExtendMultipartBody": ".create_video_extend_multipart_body",
    "CreateVideoJsonBody": ".create_video_json_body",
    "CreateVideoMultipartBody": ".create_video_multipart_body",
    "CreateVideoRemixBody": ".create_video_remix_body",
    "DeletedVideo": ".deleted_video",
    "DeletedVideoObject": ".deleted_video_object",
    "ImageReference": ".image_reference",
    "OrderEnum": ".order_enum",
    "Video": ".video",
    "VideoCharacter": ".video_character",
    "VideoContentVariant": ".video_content_variant",
    "VideoError": ".video_error",
    "VideoExtensionSeconds": ".video_extension_seconds",
    "VideoList": ".video_list",
    "VideoListObject": ".video_list_object",
    "VideoModel": ".video_model",
    "VideoObject": ".video_object",
    "VideoReference": ".video_reference",
    "VideoSeconds": ".video_seconds",
    "VideoSize": ".video_size",
    "VideoStatus": ".video_status",
}

__all__ = (
    "CreateCharacterBody",
    "CreateVideoEditJsonBody",
    "CreateVideoEditMultipartBody",
    "CreateVideoExtendJsonBody",
    "CreateVideoExtendMultipartBody",
    "CreateVideoJsonBody",
    "CreateVideoMultipartBody",
    "CreateVideoRemixBody",
    "DeletedVideo",
    "DeletedVideoObject",
    "ImageReference",
    "OrderEnum",
    "Video",
    "VideoCharacter",
    "VideoContentVariant",
    "VideoError",
    "VideoExtensionSeconds",
    "VideoList",
    "VideoListObject",
    "VideoModel",
    "VideoObject",
    "VideoReference",
    "VideoSeconds",
    "VideoSize",
    "VideoStatus",
)


if not TYPE_CHECKING:  # type checkers see the imports above: a missing model is an error

    def __getattr__(name: str) -> Any:
        module = _MODULES.get(name)
        if module is None:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module, __name__), name)
        globals()[name] = value
        return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
