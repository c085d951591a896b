from __future__ import annotations

from collections.abc import Mapping
from types import NoneType
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field
from openai_videos_core import VideoMixin

from ..errors import PayloadError
from ..models.video_model import VideoModel
from ..models.video_object import VideoObject
from ..models.video_size import VideoSize
from ..models.video_status import VideoStatus
from ..types import to_enum

if TYPE_CHECKING:
    from ..models.video_error import VideoError


T = TypeVar("T", bound="Video")


def _to_object_(value: VideoObject | str) -> VideoObject:
    """``object_`` as a ``VideoObject``: a member or its string value (an unknown string is kept)."""
    converted: VideoObject = to_enum(VideoObject, value, "Video.object_", nullable=False)
    return converted


def _to_model(value: VideoModel | str) -> VideoModel:
    """``model`` as a ``VideoModel``: a member or its string value (an unknown string is kept)."""
    converted: VideoModel = to_enum(VideoModel, value, "Video.model", nullable=False)
    return converted


def _to_status(value: VideoStatus | str) -> VideoStatus:
    """``status`` as a ``VideoStatus``: a member or its string value (an unknown string is kept)."""
    converted: VideoStatus = to_enum(VideoStatus, value, "Video.status", nullable=False)
    return converted


def _to_size(value: VideoSize | str | None) -> None | VideoSize:
    """``size`` as a ``VideoSize``: a member or its string value (an unknown string is kept)."""
    converted: None | VideoSize = to_enum(VideoSize, value, "Video.size", nullable=True)
    return converted


@_attrs_define(frozen=True, repr=False)
class Video(VideoMixin):
    """Structured information describing a generated video job.

    Attributes:
        id (str): Unique identifier for the video job.
        object_ (VideoObject): The object type, which is always `video`. Default: VideoObject.VIDEO.
        model (VideoModel):
        status (VideoStatus):
        progress (int): Approximate completion percentage for the generation task.
        created_at (int): Unix timestamp (seconds) for when the job was created.
        completed_at (int | None):
        expires_at (int | None):
        prompt (None | str):
        size (None | VideoSize): The resolution of the generated video.
        seconds (str): Duration of the generated clip in seconds. For extensions, this is the stitched total duration.
        remixed_from_video_id (None | str):
        error (None | VideoError):
        additional_properties (dict[str, Any]): Fields the spec does not declare, kept as received.
    """

    id: str
    model: VideoModel = _attrs_field(converter=_to_model)
    status: VideoStatus = _attrs_field(converter=_to_status)
    progress: int
    created_at: int
    completed_at: int | None
    expires_at: int | None
    prompt: None | str
    size: None | VideoSize = _attrs_field(converter=_to_size)
    seconds: str
    remixed_from_video_id: None | str
    error: None | VideoError
    object_: VideoObject = _attrs_field(default=VideoObject.VIDEO, converter=_to_object_)
    additional_properties: dict[str, Any] = _attrs_field(factory=dict, kw_only=True, hash=False)

    def to_dict(self) -> dict[str, Any]:
        """The JSON object for this value: declared fields plus the unknown ones it was parsed with."""
        from ..models.video_error import VideoError  # noqa: PLC0415

        id = self.id

        object_ = self.object_.value

        model = self.model.value

        status = self.status.value

        progress = self.progress

        created_at = self.created_at

        completed_at: int | None
        completed_at = self.completed_at

        expires_at: int | None
        expires_at = self.expires_at

        prompt: None | str
        prompt = self.prompt

        size: None | str
        if isinstance(self.size, VideoSize):
            size = self.size.value
        else:
            size = self.size

        seconds = self.seconds

        remixed_from_video_id: None | str
        remixed_from_video_id = self.remixed_from_video_id

        error: dict[str, Any] | None
        if isinstance(self.error, VideoError):
            error = self.error.to_dict()
        else:
            error = self.error

        field_dict: dict[str, Any] = dict(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "object": object_,
                "model": model,
                "status": status,
                "progress": progress,
                "created_at": created_at,
                "completed_at": completed_at,
                "expires_at": expires_at,
                "prompt": prompt,
                "size": size,
                "seconds": seconds,
                "remixed_from_video_id": remixed_from_video_id,
                "error": error,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        """Parse a JSON object.

        Raises:
            PayloadError: `src_dict` is not an object, or a field is missing or has the wrong type.
        """
        from ..models.video_error import VideoError  # noqa: PLC0415

        if not isinstance(src_dict, Mapping):
            raise PayloadError(
                "Video", "", f"expected a JSON object, got {type(src_dict).__name__}"
            )
        d = dict(src_dict)
        field = ""
        try:
            field = "id"
            id = d.pop("id")
            if not isinstance(id, str):
                raise TypeError(f"expected str, got {type(id).__name__}")

            field = "object"
            object_ = VideoObject(d.pop("object", VideoObject.VIDEO))

            field = "model"
            model = VideoModel(d.pop("model"))

            field = "status"
            status = VideoStatus(d.pop("status"))

            field = "progress"
            progress = d.pop("progress")
            if not isinstance(progress, int) or isinstance(progress, bool):
                raise TypeError(f"expected int, got {type(progress).__name__}")

            field = "created_at"
            created_at = d.pop("created_at")
            if not isinstance(created_at, int) or isinstance(created_at, bool):
                raise TypeError(f"expected int, got {type(created_at).__name__}")

            field = "completed_at"
            completed_at = d.pop("completed_at", None)
            if not isinstance(completed_at, (int, NoneType)):
                raise TypeError(f"expected int | None, got {type(completed_at).__name__}")

            field = "expires_at"
            expires_at = d.pop("expires_at", None)
            if not isinstance(expires_at, (int, NoneType)):
                raise TypeError(f"expected int | None, got {type(expires_at).__name__}")

            field = "prompt"
            prompt = d.pop("prompt", None)
            if not isinstance(prompt, (str, NoneType)):
                raise TypeError(f"expected None | str, got {type(prompt).__name__}")

            field = "size"
            size = d.pop("size", None)
            if size is not None:
                size = VideoSize(size)

            field = "seconds"
            seconds = d.pop("seconds")
            if not isinstance(seconds, str):
                raise TypeError(f"expected str, got {type(seconds).__name__}")

            field = "remixed_from_video_id"
            remixed_from_video_id = d.pop("remixed_from_video_id", None)
            if not isinstance(remixed_from_video_id, (str, NoneType)):
                raise TypeError(f"expected None | str, got {type(remixed_from_video_id).__name__}")

            field = "error"
            error = d.pop("error", None)
            if error is not None:
                error = VideoError.from_dict(error)

        except PayloadError as exc:
            raise PayloadError("Video", f"{field}.{exc.field}".rstrip("."), exc.reason) from None
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            reason = "missing" if isinstance(exc, KeyError) else str(exc)
            raise PayloadError("Video", field, reason) from None

        return cls(
            id=id,
            object_=object_,
            model=model,
            status=status,
            progress=progress,
            created_at=created_at,
            completed_at=completed_at,
            expires_at=expires_at,
            prompt=prompt,
            size=size,
            seconds=seconds,
            remixed_from_video_id=remixed_from_video_id,
            error=error,
            additional_properties=d,
        )
