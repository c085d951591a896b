from __future__ import annotations

from collections.abc import Mapping
from io import BytesIO
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from .. import types
from ..errors import PayloadError
from ..models.video_extension_seconds import VideoExtensionSeconds
from ..types import File, to_enum

T = TypeVar("T", bound="CreateVideoExtendMultipartBody")


def _to_seconds(value: VideoExtensionSeconds | str) -> VideoExtensionSeconds:
    """``seconds`` as a ``VideoExtensionSeconds``: a member or its string value (an unknown string is kept)."""
    converted: VideoExtensionSeconds = to_enum(
        VideoExtensionSeconds, value, "CreateVideoExtendMultipartBody.seconds", nullable=False
    )
    return converted


@_attrs_define(frozen=True)
class CreateVideoExtendMultipartBody:
    """Multipart parameters for extending an existing generated video.

    Attributes:
        video (File): Reference to the completed video to extend.
        prompt (str): Updated text prompt that directs the extension generation.
        seconds (VideoExtensionSeconds):
        additional_properties (dict[str, Any]): Fields the spec does not declare, kept as received.
    """

    video: File
    prompt: str
    seconds: VideoExtensionSeconds = _attrs_field(converter=_to_seconds)
    additional_properties: dict[str, Any] = _attrs_field(factory=dict, kw_only=True, hash=False)

    def to_dict(self) -> dict[str, Any]:
        """The JSON object for this value: declared fields plus the unknown ones it was parsed with."""
        video = self.video.to_tuple()

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

    def to_multipart(self) -> types.RequestFiles:
        files: types.RequestFiles = []

        files.append(("video", self.video.to_tuple()))

        files.append(("prompt", (None, str(self.prompt).encode(), "text/plain")))

        files.append(("seconds", (None, str(self.seconds.value).encode(), "text/plain")))

        for prop_name, prop in self.additional_properties.items():
            files.append((prop_name, (None, str(prop).encode(), "text/plain")))

        return files

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        """Parse a JSON object.

        Raises:
            PayloadError: `src_dict` is not an object, or a field is missing or has the wrong type.
        """
        if not isinstance(src_dict, Mapping):
            raise PayloadError(
                "CreateVideoExtendMultipartBody",
                "",
                f"expected a JSON object, got {type(src_dict).__name__}",
            )
        d = dict(src_dict)
        field = ""
        try:
            field = "video"
            video = File(payload=BytesIO(d.pop("video")))

            field = "prompt"
            prompt = d.pop("prompt")
            if not isinstance(prompt, str):
                raise TypeError(f"expected str, got {type(prompt).__name__}")

            field = "seconds"
            seconds = VideoExtensionSeconds(d.pop("seconds"))

        except PayloadError as exc:
            raise PayloadError(
                "CreateVideoExtendMultipartBody", f"{field}.{exc.field}".rstrip("."), exc.reason
            ) from None
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            reason = "missing" if isinstance(exc, KeyError) else str(exc)
            raise PayloadError("CreateVideoExtendMultipartBody", field, reason) from None

        return cls(
            video=video,
            prompt=prompt,
            seconds=seconds,
            additional_properties=d,
        )
