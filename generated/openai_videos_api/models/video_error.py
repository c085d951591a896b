from __future__ import annotations

from collections.abc import Mapping
from types import NoneType
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field
from openai_videos_core import VideoErrorMixin

from ..errors import PayloadError

T = TypeVar("T", bound="VideoError")


@_attrs_define(frozen=True, repr=False)
class VideoError(VideoErrorMixin):
    """An error that occurred while generating the response.

    Attributes:
        code (int | None | str): A machine-readable error code that was returned.
        message (str): A human-readable description of the error that was returned.
        additional_properties (dict[str, Any]): Fields the spec does not declare, kept as received.
    """

    code: int | None | str
    message: str
    additional_properties: dict[str, Any] = _attrs_field(factory=dict, kw_only=True, hash=False)

    def to_dict(self) -> dict[str, Any]:
        """The JSON object for this value: declared fields plus the unknown ones it was parsed with."""
        code: int | None | str
        code = self.code

        message = self.message

        field_dict: dict[str, Any] = dict(self.additional_properties)
        field_dict.update(
            {
                "code": code,
                "message": message,
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
                "VideoError", "", f"expected a JSON object, got {type(src_dict).__name__}"
            )
        d = dict(src_dict)
        field = ""
        try:
            field = "code"
            code = d.pop("code", None)
            if not isinstance(code, (str, int, NoneType)):
                raise TypeError(f"expected int | None | str, got {type(code).__name__}")

            field = "message"
            message = d.pop("message")
            if not isinstance(message, str):
                raise TypeError(f"expected str, got {type(message).__name__}")

        except PayloadError as exc:
            raise PayloadError(
                "VideoError", f"{field}.{exc.field}".rstrip("."), exc.reason
            ) from None
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            reason = "missing" if isinstance(exc, KeyError) else str(exc)
            raise PayloadError("VideoError", field, reason) from None

        return cls(
            code=code,
            message=message,
            additional_properties=d,
        )
