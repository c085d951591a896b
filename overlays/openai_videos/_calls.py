"""What each operation sends: ``Call`` descriptions built from checked arguments. No I/O.

Each function checks its arguments (before any request), converts them to the generated
request models, and returns a ``Call`` that builds the request and parses the answer through the
generated endpoint module's public seam (``build_request``, ``parse_response``).

Endpoint modules are imported inside the functions, on first use, so that ``import
openai_videos`` stays fast; type checkers still see every name and signature.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from typing import Any, Generic, Protocol, TypeVar

import attrs
import httpx

from openai_videos_api import models
from openai_videos_api.types import UNSET, File, Unset

from ._capabilities import Capabilities
from ._constants import MAX_CHARACTER_NAME_LENGTH
from ._create_request import CreateRequest, Unsupported, plan_create
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
    "extend",
    "get_character",
    "list_page",
    "new_idempotency_key",
    "plan",
    "remix",
    "retrieve",
]

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


@attrs.frozen
class Call(Generic[T]):
    """One API operation, ready to send (again, on retry).

    Attributes:
        name: The operation's name, for logs (e.g. ``"get_video"``).
        build: The httpx request arguments; called once per attempt, so uploads are fresh.
        parse: Reads a 2xx answer into the operation's model.
        parse_body: Reads a decoded JSON answer into the model (None for media), so that a
            dialect can adjust the JSON first.
        creates_job: A job-creating POST: gets an Idempotency-Key reused across its retries.
        idempotency_key: The key to use instead of a fresh one (to resume after a crash).
    """

    name: str
    build: Callable[[], dict[str, Any]]
    parse: Callable[[httpx.Response], T]
    parse_body: Callable[[Any], T] | None = None
    creates_job: bool = False
    idempotency_key: str | None = None


class JsonEndpoint(Protocol[T_co]):
    """A generated endpoint module whose answer is JSON."""

    __name__: str

    def parse_response(self, response: httpx.Response) -> T_co: ...

    def parse_body(self, body: Any) -> T_co: ...


def _json_call(
    endpoint: JsonEndpoint[T],
    build: Callable[[], dict[str, Any]],
    *,
    creates_job: bool = False,
    idempotency_key: str | None = None,
) -> Call[T]:
    """The ``Call`` of ``endpoint``, named after its module, answered in JSON."""
    name = endpoint.__name__.rpartition(".")[2]
    return Call(
        name, build, endpoint.parse_response, endpoint.parse_body, creates_job, idempotency_key
    )


def new_idempotency_key() -> str:
    """A fresh ``Idempotency-Key`` value."""
    return f"openai-videos-{uuid.uuid4()}"


def retrieve(video_id: str) -> Call[models.Video]:
    """GET /videos/{video_id}."""
    from openai_videos_api.api.videos import get_video

    check_id(video_id, "video_id")
    return _json_call(get_video, lambda: get_video.build_request(video_id))


def plan(
    prompt: str,
    *,
    model: VideoModelName | None,
    seconds: VideoSecondsValue | None,
    size: VideoSizeName | None,
    input_reference: ImageReferenceInput | None,
    capabilities: Capabilities,
    fit: str | None = None,
    extras: Mapping[str, Any] | None = None,
    unsupported: Unsupported = "error",
    prefer: str | None = None,
) -> CreateRequest:
    """A create's arguments checked and shaped for the server family (``plan_create``)."""
    check_prompt(prompt)
    fields: dict[str, Any] = {
        "prompt": prompt,
        "model": model,
        "seconds": str(seconds) if seconds is not None else None,
        "size": size,
    }
    if isinstance(input_reference, dict):  # an image the server has, or fetches: JSON as given
        fields["input_reference"] = _image_reference(input_reference).to_dict()
        input_reference = None
    return plan_create(
        capabilities,
        fields,
        image_source=input_reference,
        fit=fit,
        extras=extras,
        unsupported=unsupported,
        prefer=prefer,
    )


def create(
    request: CreateRequest,
    *,
    extra_body: Mapping[str, Any] | None,
    idempotency_key: str | None = None,
) -> Call[models.Video]:
    """POST /videos, as ``request`` says: JSON, or multipart with the image as a file part."""
    from openai_videos_api.api.videos import create_video

    extra = dict(extra_body or {})
    if request.encoding == "json":
        json_body = models.CreateVideoJsonBody.from_dict({**request.json_body(), **extra})
        return _json_call(
            create_video,
            lambda: create_video.build_request(body=json_body),
            creates_job=True,
            idempotency_key=idempotency_key,
        )
    fields = request.form_fields()
    image = request.image
    upload = (
        Upload(image.content, image.file_name(), image.mime_type or "application/octet-stream")
        if image is not None and image.content is not None
        else None
    )
    spec = {name: fields.pop(name, None) for name in ("prompt", "model", "seconds", "size")}

    def build() -> dict[str, Any]:
        body = models.CreateVideoMultipartBody(
            prompt=str(spec["prompt"]),
            model=models.VideoModel(spec["model"]) if spec["model"] is not None else UNSET,
            seconds=models.VideoSeconds(spec["seconds"]) if spec["seconds"] is not None else UNSET,
            size=models.VideoSize(spec["size"]) if spec["size"] is not None else UNSET,
            input_reference=upload.as_file() if upload is not None else UNSET,
            additional_properties={**fields, **extra},
        )
        return create_video.build_request(body=body)

    return _json_call(create_video, build, creates_job=True, idempotency_key=idempotency_key)


def remix(video_id: str, prompt: str) -> Call[models.Video]:
    """POST /videos/{video_id}/remix."""
    from openai_videos_api.api.videos import create_video_remix

    check_id(video_id, "video_id")
    body = models.CreateVideoRemixBody(prompt=check_prompt(prompt))
    return _json_call(
        create_video_remix,
        lambda: create_video_remix.build_request(video_id, body=body),
        creates_job=True,
    )


def edit(video: VideoInput, prompt: str) -> Call[models.Video]:
    """POST /videos/edits: by id (JSON) or file (multipart)."""
    from openai_videos_api.api.videos import create_video_edit

    check_prompt(prompt)
    reference = _video_reference(video)
    if isinstance(reference, models.VideoReference):
        json_body = models.CreateVideoEditJsonBody(video=reference, prompt=prompt)
        return _json_call(
            create_video_edit,
            lambda: create_video_edit.build_request(body=json_body),
            creates_job=True,
        )
    upload = reference
    return _json_call(
        create_video_edit,
        lambda: create_video_edit.build_request(
            body=models.CreateVideoEditMultipartBody(video=upload.as_file(), prompt=prompt)
        ),
        creates_job=True,
    )


def extend(video: VideoInput, prompt: str, seconds: ExtensionSecondsValue) -> Call[models.Video]:
    """POST /videos/extensions: by id (JSON) or file (multipart)."""
    from openai_videos_api.api.videos import create_video_extend

    check_prompt(prompt)
    seconds_ = models.VideoExtensionSeconds(str(seconds))
    reference = _video_reference(video)
    if isinstance(reference, models.VideoReference):
        json_body = models.CreateVideoExtendJsonBody(
            video=reference, prompt=prompt, seconds=seconds_
        )
        return _json_call(
            create_video_extend,
            lambda: create_video_extend.build_request(body=json_body),
            creates_job=True,
        )
    upload = reference
    return _json_call(
        create_video_extend,
        lambda: create_video_extend.build_request(
            body=models.CreateVideoExtendMultipartBody(
                video=upload.as_file(), prompt=prompt, seconds=seconds_
            )
        ),
        creates_job=True,
    )


def list_page(
    limit: int | None, order: SortOrder | None, after: str | None
) -> Call[models.VideoList]:
    """GET /videos, one page."""
    from openai_videos_api.api.videos import list_videos

    if limit is not None and not (isinstance(limit, int) and 0 < limit <= 100):
        msg = f"limit must be a whole number from 1 to 100, but received {limit!r}"
        raise ValueError(msg)
    order_ = models.OrderEnum(order) if order is not None else UNSET
    after_: str | Unset = after if after is not None else UNSET
    limit_: int | Unset = limit if limit is not None else UNSET
    return _json_call(
        list_videos, lambda: list_videos.build_request(limit=limit_, order=order_, after=after_)
    )


def delete(video_id: str) -> Call[models.DeletedVideo]:
    """DELETE /videos/{video_id}."""
    from openai_videos_api.api.videos import delete_video

    check_id(video_id, "video_id")
    return _json_call(delete_video, lambda: delete_video.build_request(video_id))


def content(video_id: str, variant: ContentVariant) -> Call[File]:
    """GET /videos/{video_id}/content."""
    from openai_videos_api.api.videos import retrieve_video_content

    check_id(video_id, "video_id")
    variant_ = models.VideoContentVariant(variant)
    return Call(
        "retrieve_video_content",
        lambda: retrieve_video_content.build_request(video_id, variant=variant_),
        retrieve_video_content.parse_response,
    )


def create_character(video: VideoInput, name: str) -> Call[models.VideoCharacter]:
    """POST /videos/characters (multipart)."""
    from openai_videos_api.api.videos import create_video_character

    if not isinstance(name, str) or not 1 <= len(name) <= MAX_CHARACTER_NAME_LENGTH:
        msg = f"name must be 1 to {MAX_CHARACTER_NAME_LENGTH} characters, but received {name!r}"
        raise ValueError(msg)
    if isinstance(video, str | dict):
        msg = "video must be a video file (path object, bytes or binary file) to create a character"
        raise TypeError(msg)
    upload = read_upload(video, "video", allowed=("video/",))
    return _json_call(
        create_video_character,
        lambda: create_video_character.build_request(
            body=models.CreateCharacterBody(video=upload.as_file(), name=name)
        ),
    )


def get_character(character_id: str) -> Call[models.VideoCharacter]:
    """GET /videos/characters/{character_id}."""
    from openai_videos_api.api.videos import get_video_character

    check_id(character_id, "character_id")
    return _json_call(get_video_character, lambda: get_video_character.build_request(character_id))


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
