from __future__ import annotations

from collections.abc import Mapping
from io import BytesIO
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from .. import types
from ..errors import PayloadError
from ..models.video_model import VideoModel
from ..models.video_seconds import VideoSeconds
from ..models.video_size import VideoSize
from ..types import UNSET, File, FileTypes, Unset, to_enum

T = TypeVar("T", bound="CreateVideoMultipartBody")


def _to_model(value: VideoModel | str | Unset) -> VideoModel | Unset:
    """``model`` as a ``VideoModel``: a member or its string value (an unknown string is kept)."""
    converted: VideoModel | Unset = to_enum(
        VideoModel, value, "CreateVideoMultipartBody.model", nullable=False
    )
    return converted


def _to_seconds(value: VideoSeconds | str | Unset) -> VideoSeconds | Unset:
    """``seconds`` as a ``VideoSeconds``: a member or its string value (an unknown string is kept)."""
    converted: VideoSeconds | Unset = to_enum(
        VideoSeconds, value, "CreateVideoMultipartBody.seconds", nullable=False
    )
    return converted


def _to_size(value: VideoSize | str | Unset) -> VideoSize | Unset:
    """``size`` as a ``VideoSize``: a member or its string value (an unknown string is kept)."""
    converted: VideoSize | Unset = to_enum(
        VideoSize, value, "CreateVideoMultipartBody.size", nullable=False
    )
    return converted


@_attrs_define(frozen=True)
class CreateVideoMultipartBody:
    """Multipart parameters for creating a new video generation job.

    Attributes:
        prompt (str): Text prompt that describes the video to generate.
        model (VideoModel | Unset):
        input_reference (File | Unset): Optional reference asset upload or reference object that guides generation.
        seconds (VideoSeconds | Unset):
        size (VideoSize | Unset):
        additional_properties (dict[str, Any]): Fields the spec does not declare, kept as received.
    """

    prompt: str
    model: VideoModel | Unset = _attrs_field(default=UNSET, converter=_to_model)
    input_reference: File | Unset = UNSET
    seconds: VideoSeconds | Unset = _attrs_field(default=UNSET, converter=_to_seconds)
    size: VideoSize | Unset = _attrs_field(default=UNSET, converter=_to_size)
    additional_properties: dict[str, Any] = _attrs_field(factory=dict, kw_only=True, hash=False)

    def to_dict(self) -> dict[str, Any]:
        """The JSON object for this value: declared fields plus the unknown ones it was parsed with."""
        prompt = self.prompt

        model: str | Unset = UNSET
        if not isinstance(self.model, Unset):
            model = self.model.value

        input_reference: FileTypes | Unset = UNSET
        if not isinstance(self.input_reference, Unset):
            input_reference = self.input_reference.to_tuple()

        seconds: str | Unset = UNSET
        if not isinstance(self.seconds, Unset):
            seconds = self.seconds.value

        size: str | Unset = UNSET
        if not isinstance(self.size, Unset):
            size = self.size.value

        field_dict: dict[str, Any] = dict(self.additional_properties)
        field_dict.update(
            {
                "prompt": prompt,
            }
        )
        if model is not UNSET:
            field_dict["model"] = model
        if input_reference is not UNSET:
            field_dict["input_reference"] = input_reference
        if seconds is not UNSET:
            field_dict["seconds"] = seconds
        if size is not UNSET:
            field_dict["size"] = size

        return field_dict

    def to_multipart(self) -> types.RequestFiles:
        files: types.RequestFiles = []

        files.append(("prompt", (None, str(self.prompt).encode(), "text/plain")))

        if not isinstance(self.model, Unset):
            files.append(("model", (None, str(self.model.value).encode(), "text/plain")))

        if not isinstance(self.input_reference, Unset):
            files.append(("input_reference", self.input_reference.to_tuple()))

        if not isinstance(self.seconds, Unset):
            files.append(("seconds", (None, str(self.seconds.value).encode(), "text/plain")))

        if not isinstance(self.size, Unset):
            files.append(("size", (None, str(self.size.value).encode(), "text/plain")))

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
                "CreateVideoMultipartBody",
                "",
                f"expected a JSON object, got {type(src_dict).__name__}",
            )
        d = dict(src_dict)
        field = ""
        try:
            field = "prompt"
            prompt = d.pop("prompt")
            if not isinstance(prompt, str):
                raise TypeError(f"expected str, got {type(prompt).__name__}")

            field = "model"
            model = d.pop("model", UNSET)
            if model is not UNSET:
                model = VideoModel(model)

            field = "input_reference"
            input_reference = d.pop("input_reference", UNSET)
            if input_reference is not UNSET:
                _input_reference = input_reference
                input_reference: File | Unset
                if isinstance(_input_reference, Unset):
                    input_reference = UNSET
                else:
                    input_reference = File(payload=BytesIO(_input_reference))

            field = "seconds"
            seconds = d.pop("seconds", UNSET)
            if seconds is not UNSET:
                seconds = VideoSeconds(seconds)

            field = "size"
            size = d.pop("size", UNSET)
            if size is not UNSET:
                size = VideoSize(size)

        except PayloadError as exc:
            raise PayloadError(
                "CreateVideoMultipartBody", f"{field}.{exc.field}".rstrip("."), exc.reason
            ) from None
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            reason = "missing" if isinstance(exc, KeyError) else str(exc)
            raise PayloadError("CreateVideoMultipartBody", field, reason) from None

        return cls(
            prompt=prompt,
            model=model,
            input_reference=input_reference,
            seconds=seconds,
            size=size,
            additional_properties=d,
        )
