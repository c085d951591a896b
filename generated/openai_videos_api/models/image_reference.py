from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import PayloadError
from ..types import UNSET, Unset

T = TypeVar("T", bound="ImageReference")


@_attrs_define(frozen=True)
class ImageReference:
    """
    Attributes:
        image_url (str | Unset): A fully qualified URL or base64-encoded data URL.
        file_id (str | Unset):  Example: file-123.
        additional_properties (dict[str, Any]): Fields the spec does not declare, kept as received.
    """

    image_url: str | Unset = UNSET
    file_id: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(factory=dict, kw_only=True, hash=False)

    def to_dict(self) -> dict[str, Any]:
        """The JSON object for this value: declared fields plus the unknown ones it was parsed with."""
        image_url = self.image_url

        file_id = self.file_id

        field_dict: dict[str, Any] = dict(self.additional_properties)
        if image_url is not UNSET:
            field_dict["image_url"] = image_url
        if file_id is not UNSET:
            field_dict["file_id"] = file_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        """Parse a JSON object.

        Raises:
            PayloadError: `src_dict` is not an object, or a field is missing or has the wrong type.
        """
        if not isinstance(src_dict, Mapping):
            raise PayloadError(
                "ImageReference", "", f"expected a JSON object, got {type(src_dict).__name__}"
            )
        d = dict(src_dict)
        field = ""
        try:
            field = "image_url"
            image_url = d.pop("image_url", UNSET)
            if image_url is not UNSET:
                image_url = image_url
                if not isinstance(image_url, str):
                    raise TypeError(f"expected str | Unset, got {type(image_url).__name__}")

            field = "file_id"
            file_id = d.pop("file_id", UNSET)
            if file_id is not UNSET:
                file_id = file_id
                if not isinstance(file_id, str):
                    raise TypeError(f"expected str | Unset, got {type(file_id).__name__}")

        except PayloadError as exc:
            raise PayloadError(
                "ImageReference", f"{field}.{exc.field}".rstrip("."), exc.reason
            ) from None
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            reason = "missing" if isinstance(exc, KeyError) else str(exc)
            raise PayloadError("ImageReference", field, reason) from None

        return cls(
            image_url=image_url,
            file_id=file_id,
            additional_properties=d,
        )
