from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field
from openai_videos_core import DeletedVideoMixin

from ..errors import PayloadError
from ..models.deleted_video_object import DeletedVideoObject
from ..types import to_enum

T = TypeVar("T", bound="DeletedVideo")


def _to_object_(value: DeletedVideoObject | str) -> DeletedVideoObject:
    """``object_`` as a ``DeletedVideoObject``: a member or its string value (an unknown string is kept)."""
    converted: DeletedVideoObject = to_enum(
        DeletedVideoObject, value, "DeletedVideo.object_", nullable=False
    )
    return converted


@_attrs_define(frozen=True, repr=False)
class DeletedVideo(DeletedVideoMixin):
    """Confirmation payload returned after deleting a video.

    Attributes:
        object_ (DeletedVideoObject): The object type that signals the deletion response. Default:
            DeletedVideoObject.VIDEO_DELETED.
        deleted (bool): Indicates that the video resource was deleted.
        id (str): Identifier of the deleted video.
        additional_properties (dict[str, Any]): Fields the spec does not declare, kept as received.
    """

    deleted: bool
    id: str
    object_: DeletedVideoObject = _attrs_field(
        default=DeletedVideoObject.VIDEO_DELETED, converter=_to_object_
    )
    additional_properties: dict[str, Any] = _attrs_field(factory=dict, kw_only=True, hash=False)

    def to_dict(self) -> dict[str, Any]:
        """The JSON object for this value: declared fields plus the unknown ones it was parsed with."""
        object_ = self.object_.value

        deleted = self.deleted

        id = self.id

        field_dict: dict[str, Any] = dict(self.additional_properties)
        field_dict.update(
            {
                "object": object_,
                "deleted": deleted,
                "id": id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        """Parse a JSON object.

        Raises:
            PayloadError: `src_dict` is not an object, or a field is missing or has the wrong type.
        """
        if not isinstance(src_dict, Mapping):
            raise PayloadError(
                "DeletedVideo", "", f"expected a JSON object, got {type(src_dict).__name__}"
            )
        d = dict(src_dict)
        field = ""
        try:
            field = "object"
            object_ = DeletedVideoObject(d.pop("object", DeletedVideoObject.VIDEO_DELETED))

            field = "deleted"
            deleted = d.pop("deleted")
            if not isinstance(deleted, bool):
                raise TypeError(f"expected bool, got {type(deleted).__name__}")

            field = "id"
            id = d.pop("id")
            if not isinstance(id, str):
                raise TypeError(f"expected str, got {type(id).__name__}")

        except PayloadError as exc:
            raise PayloadError(
                "DeletedVideo", f"{field}.{exc.field}".rstrip("."), exc.reason
            ) from None
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            reason = "missing" if isinstance(exc, KeyError) else str(exc)
            raise PayloadError("DeletedVideo", field, reason) from None

        return cls(
            object_=object_,
            deleted=deleted,
            id=id,
            additional_properties=d,
        )
