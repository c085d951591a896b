from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import PayloadError
from ..models.video_extension_seconds import VideoExtensionSeconds
from ..types import to_enum

if TYPE_CHECKING:
    from ..models.video_reference import VideoReference


T = TypeVar("T", bound="CreateVideoExtendJsonBody")


def _to_seconds(value: VideoExtensionSeconds | str) -> VideoExtensionSeconds:
    """``seconds`` as a ``VideoExtensionSeconds``: a member or its string value (an unknown string is kept)."""
    converted: VideoExtensionSeconds = to_enum(
        VideoExtensionSeconds, value, "CreateVideoExtendJsonBody.seconds", nullable=False
    )
    return converted


@_attrs_define(frozen=True)
class CreateVideoExtendJsonBody:
    """JSON parameters for extending an existing generated video.

    Attributes:
        video (VideoReference): Reference to the completed video.
        prompt (str): Updated text prompt that directs the extension generation.
        seconds (VideoExtensionSeconds):
        additional_properties (dict[str, Any]): Fields the spec does not declare, kept as received.
    """

    video: VideoReference
    prompt: str
    seconds: VideoExtensionSeconds = _attrs_field(converter=_to_seconds)
    additional_properties: dict[str, Any] = _attrs_field(factory=dict, kw_only=True, hash=False)

    def to_dict(self) -> dict[str, Any]:
        """The JSON object for this value: declared fields plus the unknown ones it was parsed with."""
        video = self.video.to_dict()

        prompt = self.prompt

        seconds = self.seconds.value

        field_dict: dict[str, Any] = dict(self.additional_properties)
        field_dict.update(
            {
                "video": video,
                "prompt": prompt,
                "seconds": seconds,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        """Parse a JSON object.

        Raises:
            PayloadError: `src_dict` is not an object, or a field is missing or has the wrong type.
        """
        from ..models.video_reference import VideoReference  # noqa: PLC0415

        if not isinstance(src_dict, Mapping):
            raise PayloadError(
                "CreateVideoExtendJsonBody",
                "",
                f"expected a JSON object, got {type(src_dict).__name__}",
            )
        d = dict(src_dict)
        field = ""
        try:
            field = "video"
            video = VideoReference.from_dict(d.pop("video"))

            field = "prompt"
            prompt = d.pop("prompt")
            if not isinstance(prompt, str):
                raise TypeError(f"expected str, got {type(prompt).__name__}")

            field = "seconds"
            seconds = VideoExtensionSeconds(d.pop("seconds"))

        except PayloadError as exc:
            raise PayloadError(
                "CreateVideoExtendJsonBody", f"{field}.{exc.field}".rstrip("."), exc.reason
            ) from None
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            reason = "missing" if isinstance(exc, KeyError) else str(exc)
            raise PayloadError("CreateVideoExtendJsonBody", field, reason) from None

        return cls(
            video=video,
            prompt=prompt,
            seconds=seconds,
            additional_properties=d,
        )
