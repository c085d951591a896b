"""Contains all the data models used in inputs/outputs"""

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
