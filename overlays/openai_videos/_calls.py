"""What each operation sends: ``Call`` descriptions built from checked arguments. No I/O.

Each function checks its arguments (before any request), converts them to the generated
request models, and returns a ``Call`` whose endpoint module builds the request.
"""

from __future__ import annotations

import importlib
import uuid
from collections.abc import Callable, Mapping
from types import ModuleType
from typing import Any

import attrs

from openai_videos_api import models
from openai_videos_api.types import UNSET, File, Unset

from ._constants import MAX_CHARACTER_NAME_LENGTH
from ._inputs import Upload, check_id, check_prompt, read_upload
from ._types import (
    ContentVariant,
    ExtensionSecondsValue,
    ImageReferenceInput,
    SortOrder,
    VideoInput,
    VideoModelName,
    VideoSecondsValue,
    VideoSizeName,
)

__all__ = [
    "Call",
    "content",
    "create",
    "create_character",
    "delete",
    "edit",
    "endpoint",
    "extend",
    "get_character",
    "list_page",
    "new_idempotency_key",
    "remix",
    "retrieve",
]

KwargsFactory = Callable[[ModuleType], dict[str, Any]]


def endpoint(name: str) -> ModuleType:
    """A generated endpoint module, imported on first use (``import openai_videos`` stays fast)."""
    module = _ENDPOINTS.get(name)
    if module is None:
        module = _ENDPOINTS[name] = importlib.import_module(f"openai_videos_api.api.videos.{name}")
    return module


_ENDPOINTS: dict[str, ModuleType] = {}


@attrs.frozen
class Call:
    """One API operation, ready to send (again, on retry).

    Attributes:
        endpoint: The generated endpoint module that builds the request and parses the answer
            (given by name, e.g. ``"get_video"``).
        kwargs: Builds the httpx request arguments with the endpoint module's ``_get_kwargs``;
            called once per attempt, so uploads are fresh.
        creates_job: A job-creating POST: gets an Idempotency-Key reused across its retries.
        idempotency_key: The key to use instead of a fresh one (to resume after a crash).
    """

    endpoint: ModuleType = attrs.field(converter=endpoint)
    kwargs: KwargsFactory
    creates_job: bool = False
    idempotency_key: str | None = None

    def build(self) -> dict[str, Any]:
        """The httpx request arguments for one attempt."""
        return self.kwargs(self.endpoint)


def _with_upload(
    endpoint_name: str,
    upload: Upload,
    make_body: Callable[[File], Any],
    *,
    creates_job: bool = True,
    idempotency_key: str | None = None,
) -> Call:
    """A multipart Call: each attempt builds its body around a fresh file object."""
    return Call(
        endpoint_name,
        lambda ep: ep._get_kwargs(body=make_body(upload.as_file())),
        creates_job,
        idempotency_key,
    )


def new_idempotency_key() -> str:
    """A fresh ``Idempotency-Key`` value."""
    return f"openai-videos-{uuid.uuid4()}"


def retrieve(video_id: str) -> Call:
    """GET /videos/{video_id}."""
    check_id(video_id, "video_id")
    return Call("get_video", lambda ep: ep._get_kwargs(video_id))


def create(
    prompt: str,
    *,
    model: VideoModelName | None,
    seconds: VideoSecondsValue | None,
    size: VideoSizeName | None,
    input_reference: ImageReferenceInput | None,
    extra_body: Mapping[str, Any] | None,
    idempotency_key: str | None = None,
) -> Call:
    """POST /videos: JSON, or multipart when a file is uploaded."""
    check_prompt(prompt)
    extra = dict(extra_body or {})
    model_ = models.VideoModel(model) if model is not None else UNSET
    seconds_ = models.VideoSeconds(str(seconds)) if seconds is not None else UNSET
    size_ = models.VideoSize(size) if size is not None else UNSET
    if input_reference is None or isinstance(input_reference, dict):
        reference = _image_reference(input_reference) if input_reference else UNSET
        json_body = models.CreateVideoJsonBody(
            prompt=prompt,
            model=model_,
            seconds=seconds_,
            size=size_,
            input_reference=reference,
            additional_properties=extra,
        )
        return Call(
            "create_video", lambda ep: ep._get_kwargs(body=json_body), True, idempotency_key
        )
    upload = read_upload(input_reference, "input_reference", allowed=("image/", "video/"))
    return _with_upload(
        "create_video",
        upload,
        lambda file: models.CreateVideoMultipartBody(
            prompt=prompt,
            model=model_,
            seconds=seconds_,
            size=size_,
            input_reference=file,
            additional_properties=extra,
        ),
        idempotency_key=idempotency_key,
    )


def remix(video_id: str, prompt: str) -> Call:
    """POST /videos/{video_id}/remix."""
    check_id(video_id, "video_id")
    body = models.CreateVideoRemixBody(prompt=check_prompt(prompt))
    return Call("create_video_remix", lambda ep: ep._get_kwargs(video_id, body=body), True)


def edit(video: VideoInput, prompt: str) -> Call:
    """POST /videos/edits: by id (JSON) or file (multipart)."""
    check_prompt(prompt)
    reference = _video_reference(video)
    if isinstance(reference, models.VideoReference):
        json_body = models.CreateVideoEditJsonBody(video=reference, prompt=prompt)
        return Call("create_video_edit", lambda ep: ep._get_kwargs(body=json_body), True)
    return _with_upload(
        "create_video_edit",
        reference,
        lambda file: models.CreateVideoEditMultipartBody(video=file, prompt=prompt),
    )


def extend(video: VideoInput, prompt: str, seconds: ExtensionSecondsValue) -> Call:
    """POST /videos/extensions: by id (JSON) or file (multipart)."""
    check_prompt(prompt)
    seconds_ = models.VideoExtensionSeconds(str(seconds))
    reference = _video_reference(video)
    if isinstance(reference, models.VideoReference):
        json_body = models.CreateVideoExtendJsonBody(
            video=reference, prompt=prompt, seconds=seconds_
        )
        return Call("create_video_extend", lambda ep: ep._get_kwargs(body=json_body), True)
    return _with_upload(
        "create_video_extend",
        reference,
        lambda file: models.CreateVideoExtendMultipartBody(
            video=file, prompt=prompt, seconds=seconds_
        ),
    )


def list_page(limit: int | None, order: SortOrder | None, after: str | None) -> Call:
    """GET /videos, one page."""
    if limit is not None and not (isinstance(limit, int) and 0 < limit <= 100):
        msg = f"limit must be a whole number from 1 to 100, but received {limit!r}"
        raise ValueError(msg)
    order_ = models.OrderEnum(order) if order is not None else UNSET
    after_: str | Unset = after if after is not None else UNSET
    limit_: int | Unset = limit if limit is not None else UNSET
    return Call("list_videos", lambda ep: ep._get_kwargs(limit=limit_, order=order_, after=after_))


def delete(video_id: str) -> Call:
    """DELETE /videos/{video_id}."""
    check_id(video_id, "video_id")
    return Call("delete_video", lambda ep: ep._get_kwargs(video_id))


def content(video_id: str, variant: ContentVariant) -> Call:
    """GET /videos/{video_id}/content."""
    check_id(video_id, "video_id")
    variant_ = models.VideoContentVariant(variant)
    return Call(
        "retrieve_video_content",
        lambda ep: ep._get_kwargs(video_id, variant=variant_),
    )


def create_character(video: VideoInput, name: str) -> Call:
    """POST /videos/characters (multipart)."""
    if not isinstance(name, str) or not 1 <= len(name) <= MAX_CHARACTER_NAME_LENGTH:
        msg = f"name must be 1 to {MAX_CHARACTER_NAME_LENGTH} characters, but received {name!r}"
        raise ValueError(msg)
    if isinstance(video, str | dict):
        msg = "video must be a video file (path object, bytes or binary file) to create a character"
        raise TypeError(msg)
    upload = read_upload(video, "video", allowed=("video/",))
    return _with_upload(
        "create_video_character",
        upload,
        lambda file: models.CreateCharacterBody(video=file, name=name),
        creates_job=False,
    )


def get_character(character_id: str) -> Call:
    """GET /videos/characters/{character_id}."""
    check_id(character_id, "character_id")
    return Call("get_video_character", lambda ep: ep._get_kwargs(character_id))


def _image_reference(reference: dict[str, str]) -> models.ImageReference:
    keys = set(reference)
    if keys not in ({"file_id"}, {"image_url"}):
        msg = f'input_reference must have exactly one of "file_id" or "image_url", but has {sorted(keys)}'
        raise ValueError(msg)
    return models.ImageReference.from_dict(reference)


def _video_reference(video: VideoInput) -> models.VideoReference | Upload:
    if isinstance(video, str):
        return models.VideoReference(id=check_id(video, "video"))
    if isinstance(video, dict):
        if set(video) != {"id"}:
            msg = f'video as a dict must be {{"id": ...}}, but has {sorted(video)}'
            raise ValueError(msg)
        return models.VideoReference(id=check_id(video["id"], "video"))
    return read_upload(video, "video", allowed=("video/",))
