from __future__ import annotations

from collections.abc import Mapping
from types import NoneType
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field
from openai_videos_core import VideoCharacterMixin

from ..errors import PayloadError

T = TypeVar("T", bound="VideoCharacter")


@_attrs_define(frozen=True, repr=False)
class VideoCharacter(VideoCharacterMixin):
    """
    Attributes:
        id (None | str):
        name (None | str):
        created_at (int): Unix timestamp (in seconds) when the character was created.
        additional_properties (dict[str, Any]): Fields the spec does not declare, kept as received.
    """

    id: None | str
    name: None | str
    created_at: int
    additional_properties: dict[str, Any] = _attrs_field(factory=dict, kw_only=True, hash=False)

    def to_dict(self) -> dict[str, Any]:
        """The JSON object for this value: declared fields plus the unknown ones it was parsed with."""
        id: None | str
        id = self.id

        name: None | str
        name = self.name

        created_at = self.created_at

        field_dict: dict[str, Any] = dict(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "created_at": created_at,
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
                "VideoCharacter", "", f"expected a JSON object, got {type(src_dict).__name__}"
            )
        d = dict(src_dict)
        field = ""
        try:
            field = "id"
            id = d.pop("id", None)
            if not isinstance(id, (str, NoneType)):
                raise TypeError(f"expected None | str, got {type(id).__name__}")

            field = "name"
            name = d.pop("name", None)
            if not isinstance(name, (str, NoneType)):
                raise TypeError(f"expected None | str, got {type(name).__name__}")

            field = "created_at"
            created_at = d.pop("created_at")
            if not isinstance(created_at, int) or isinstance(created_at, bool):
                raise TypeError(f"expected int, got {type(created_at).__name__}")

        except PayloadError as exc:
            raise PayloadError(
                "VideoCharacter", f"{field}.{exc.field}".rstrip("."), exc.reason
            ) from None
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            reason = "missing" if isinstance(exc, KeyError) else str(exc)
            raise PayloadError("VideoCharacter", field, reason) from None

        return cls(
            id=id,
            name=name,
            created_at=created_at,
            additional_properties=d,
        )
