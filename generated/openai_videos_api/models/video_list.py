from __future__ import annotations

from collections.abc import Mapping
from types import NoneType
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field
from openai_videos_core import VideoListMixin

from ..errors import PayloadError
from ..models.video_list_object import VideoListObject
from ..types import freeze, to_enum

if TYPE_CHECKING:
    from ..models.video import Video


T = TypeVar("T", bound="VideoList")


def _to_object_(value: VideoListObject | str) -> VideoListObject:
    """``object_`` as a ``VideoListObject``: a member or its string value (an unknown string is kept)."""
    converted: VideoListObject = to_enum(
        VideoListObject, value, "VideoList.object_", nullable=False
    )
    return converted


@_attrs_define(frozen=True, repr=False)
class VideoList(VideoListMixin):
    """
    Attributes:
        object_ (VideoListObject): The type of object returned, must be `list`. Default: VideoListObject.LIST.
        data (list[Video]): A list of items
        first_id (None | str):
        last_id (None | str):
        has_more (bool): Whether there are more items available. Default: False.
        additional_properties (dict[str, Any]): Fields the spec does not declare, kept as received.
    """

    data: list[Video] = _attrs_field(eq=freeze)
    first_id: None | str
    last_id: None | str
    object_: VideoListObject = _attrs_field(default=VideoListObject.LIST, converter=_to_object_)
    has_more: bool = False
    additional_properties: dict[str, Any] = _attrs_field(factory=dict, kw_only=True, hash=False)

    def to_dict(self) -> dict[str, Any]:
        """The JSON object for this value: declared fields plus the unknown ones it was parsed with."""
        object_ = self.object_.value

        data = []
        for data_item_data in self.data:
            data_item = data_item_data.to_dict()
            data.append(data_item)

        first_id: None | str
        first_id = self.first_id

        last_id: None | str
        last_id = self.last_id

        has_more = self.has_more

        field_dict: dict[str, Any] = dict(self.additional_properties)
        field_dict.update(
            {
                "object": object_,
                "data": data,
                "first_id": first_id,
                "last_id": last_id,
                "has_more": has_more,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        """Parse a JSON object.

        Raises:
            PayloadError: `src_dict` is not an object, or a field is missing or has the wrong type.
        """
        from ..models.video import Video  # noqa: PLC0415

        if not isinstance(src_dict, Mapping):
            raise PayloadError(
                "VideoList", "", f"expected a JSON object, got {type(src_dict).__name__}"
            )
        d = dict(src_dict)
        field = ""
        try:
            field = "object"
            object_ = VideoListObject(d.pop("object", VideoListObject.LIST))

            field = "data"
            _data_items = d.pop("data")
            if not isinstance(_data_items, list):
                raise TypeError(f"expected a list, got {type(_data_items).__name__}")
            data = [Video.from_dict(item) for item in _data_items]

            field = "first_id"
            first_id = d.pop("first_id", None)
            if not isinstance(first_id, (str, NoneType)):
                raise TypeError(f"expected None | str, got {type(first_id).__name__}")

            field = "last_id"
            last_id = d.pop("last_id", None)
            if not isinstance(last_id, (str, NoneType)):
                raise TypeError(f"expected None | str, got {type(last_id).__name__}")

            field = "has_more"
            has_more = d.pop("has_more", False)
            if not isinstance(has_more, bool):
                raise TypeError(f"expected bool, got {type(has_more).__name__}")

        except PayloadError as exc:
            raise PayloadError(
                "VideoList", f"{field}.{exc.field}".rstrip("."), exc.reason
            ) from None
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            reason = "missing" if isinstance(exc, KeyError) else str(exc)
            raise PayloadError("VideoList", field, reason) from None

        return cls(
            object_=object_,
            data=data,
            first_id=first_id,
            last_id=last_id,
            has_more=has_more,
            additional_properties=d,
        )
