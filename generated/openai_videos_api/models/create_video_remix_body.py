from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import PayloadError

T = TypeVar("T", bound="CreateVideoRemixBody")


@_attrs_define(frozen=True)
class CreateVideoRemixBody:
    """Parameters for remixing an existing generated video.

    Attributes:
        prompt (str): Updated text prompt that directs the remix generation.
        additional_properties (dict[str, Any]): Fields the spec does not declare, kept as received.
    """

    prompt: str
    additional_properties: dict[str, Any] = _attrs_field(factory=dict, kw_only=True, hash=False)

    def to_dict(self) -> dict[str, Any]:
        """The JSON object for this value: declared fields plus the unknown ones it was parsed with."""
        prompt = self.prompt

        field_dict: dict[str, Any] = dict(self.additional_properties)
        field_dict.update(
            {
                "prompt": prompt,
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
                "CreateVideoRemixBody", "", f"expected a JSON object, got {type(src_dict).__name__}"
            )
        d = dict(src_dict)
        field = ""
        try:
            field = "prompt"
            prompt = d.pop("prompt")
            if not isinstance(prompt, str):
                raise TypeError(f"expected str, got {type(prompt).__name__}")

        except PayloadError as exc:
            raise PayloadError(
                "CreateVideoRemixBody", f"{field}.{exc.field}".rstrip("."), exc.reason
            ) from None
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            reason = "missing" if isinstance(exc, KeyError) else str(exc)
            raise PayloadError("CreateVideoRemixBody", field, reason) from None

        return cls(
            prompt=prompt,
            additional_properties=d,
        )
