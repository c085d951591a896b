"""The generated layer used directly: plain strings for enum fields, typed errors by default."""

from __future__ import annotations

import asyncio
import importlib
import pkgutil
from collections.abc import Callable
from io import BytesIO
from typing import Any

import attrs
import httpx
import pytest
from conftest import video_payload

import openai_videos
from openai_videos_api import AuthenticatedClient, Client, models
from openai_videos_api.api.videos import (
    create_video,
    create_video_character,
    create_video_edit,
    create_video_extend,
    create_video_remix,
    delete_video,
    get_video,
    get_video_character,
    list_videos,
    retrieve_video_content,
)
from openai_videos_api.types import File

SAMPLES: dict[str, Callable[[], Any]] = {
    "CreateVideoJsonBody": lambda: models.CreateVideoJsonBody(prompt="a dog"),
    "CreateVideoMultipartBody": lambda: models.CreateVideoMultipartBody(prompt="a dog"),
    "CreateVideoExtendJsonBody": lambda: models.CreateVideoExtendJsonBody(
        video=models.VideoReference(id="video_1"), prompt="on", seconds="8"
    ),
    "CreateVideoExtendMultipartBody": lambda: models.CreateVideoExtendMultipartBody(
        video=File(payload=BytesIO(b"mp4")), prompt="on", seconds="8"
    ),
    "DeletedVideo": lambda: models.DeletedVideo(id="video_1", deleted=True),
    "Video": lambda: models.Video.from_dict(video_payload()),
    "VideoList": lambda: models.VideoList(data=[], first_id=None, last_id=None),
}


def _enum_fields() -> list[tuple[type[Any], attrs.Attribute[Any], type[Any]]]:
    """(model class, field, enum class) for every enum-typed field of every generated model."""
    found = []
    for info in pkgutil.iter_modules(models.__path__):
        module = importlib.import_module(f"openai_videos_api.models.{info.name}")
        for cls in vars(module).values():
            if not (attrs.has(cls) and cls.__module__ == module.__name__):
                continue
            for field in attrs.fields(cls):
                if field.converter is not None:
                    enum = field.converter.__annotations__["value"].split(" | ")[0]
                    found.append((cls, field, getattr(models, enum)))
    return found


ENUM_FIELDS = _enum_fields()


def test_every_model_with_enum_fields_has_a_sample() -> None:
    assert {cls.__name__ for cls, _, _ in ENUM_FIELDS} == set(SAMPLES)
    assert len(ENUM_FIELDS) >= 12  # seconds, size, model, status, object ... on 7 models


@pytest.mark.parametrize(
    ("cls", "field", "enum"), ENUM_FIELDS, ids=[f"{c.__name__}.{f.name}" for c, f, _ in ENUM_FIELDS]
)
def test_enum_field_takes_its_plain_string_value(cls: type, field: Any, enum: type) -> None:
    member = next(iter(enum))
    value = attrs.evolve(SAMPLES[cls.__name__](), **{field.name: member.value})
    assert getattr(value, field.name) is member
    wire_name = field.name.rstrip("_")
    assert value.to_dict()[wire_name] == member.value

    unknown = attrs.evolve(value, **{field.name: "from-a-newer-server"})
    assert not getattr(unknown, field.name).is_known
    assert unknown.to_dict()[wire_name] == "from-a-newer-server"

    with pytest.raises(TypeError, match=rf"{cls.__name__}\.{field.name} must be a {enum.__name__}"):
        attrs.evolve(value, **{field.name: 8})


def test_the_readme_example_that_failed_now_works(emulator: Any) -> None:
    with Client(base_url=emulator.base_url) as api:
        body = models.CreateVideoJsonBody(prompt="a dog", seconds="4")
        video = create_video.sync(client=api, body=body)
    assert video.seconds == "4" and video.status == "queued"


def test_enum_query_parameters_take_strings() -> None:
    assert list_videos.build_request(order="asc")["params"] == {"order": "asc"}
    request = retrieve_video_content.build_request("video_1", variant="thumbnail")
    assert request["params"] == {"variant": "thumbnail"}
    with pytest.raises(TypeError, match="order must be a OrderEnum"):
        list_videos.build_request(order=1)  # type: ignore[arg-type]


# -- error statuses ------------------------------------------------------------------------------

ERRORS = {
    400: openai_videos.BadRequestError,
    401: openai_videos.AuthenticationError,
    403: openai_videos.PermissionDeniedError,
    404: openai_videos.NotFoundError,
    405: openai_videos.MethodNotAllowedError,
    409: openai_videos.ConflictError,
    422: openai_videos.UnprocessableEntityError,
    429: openai_videos.RateLimitError,
    500: openai_videos.InternalServerError,
    503: openai_videos.InternalServerError,
}

CALLS: dict[str, tuple[Any, dict[str, Any]]] = {
    "get_video": (get_video, {"video_id": "video_1"}),
    "list_videos": (list_videos, {"order": "desc"}),
    "delete_video": (delete_video, {"video_id": "video_1"}),
    "retrieve_video_content": (retrieve_video_content, {"video_id": "video_1"}),
    "create_video": (create_video, {"body": models.CreateVideoJsonBody(prompt="a dog")}),
    "create_video_remix": (
        create_video_remix,
        {"video_id": "video_1", "body": models.CreateVideoRemixBody(prompt="again")},
    ),
    "create_video_edit": (
        create_video_edit,
        {
            "body": models.CreateVideoEditJsonBody(
                video=models.VideoReference(id="video_1"), prompt="rain"
            )
        },
    ),
    "create_video_extend": (create_video_extend, {"body": SAMPLES["CreateVideoExtendJsonBody"]()}),
    "create_video_character": (
        create_video_character,
        {
            "body": models.CreateCharacterBody(
                video=File(payload=BytesIO(b"mp4"), file_name="a.mp4"), name="Mochi"
            )
        },
    ),
    "get_video_character": (get_video_character, {"character_id": "char_1"}),
}


def _error_client(status: int) -> AuthenticatedClient:
    def answer(request: httpx.Request) -> httpx.Response:
        body = {"error": {"message": "no", "type": "t", "param": "p", "code": "c"}}
        return httpx.Response(status, json=body, headers={"x-request-id": "req_9"})

    client = AuthenticatedClient(base_url="https://api.test/v1", token="sk-secret-token")
    transport = httpx.MockTransport(answer)
    client.set_httpx_client(
        httpx.Client(base_url="https://api.test/v1", transport=transport, headers=client._headers)
    )
    client.set_async_httpx_client(
        httpx.AsyncClient(base_url="https://api.test/v1", transport=transport)
    )
    client.get_httpx_client().headers["Authorization"] = "Bearer sk-secret-token"
    return client


def _check(error: openai_videos.APIStatusError, status: int) -> None:
    assert type(error) is ERRORS[status]
    assert (error.status_code, error.request_id) == (status, "req_9")
    assert (error.code, error.param, error.type) == ("c", "p", "t")
    assert "sk-secret-token" not in str(error.request.headers) if error.request else True


@pytest.mark.parametrize("status", sorted(ERRORS))
@pytest.mark.parametrize("operation", sorted(CALLS))
def test_every_error_status_raises_its_typed_error(operation: str, status: int) -> None:
    module, kwargs = CALLS[operation]
    client = _error_client(status)
    for call in (
        lambda: module.sync(client=client, **kwargs),
        lambda: module.sync_detailed(client=client, **kwargs),
        lambda: asyncio.run(module.asyncio(client=client, **kwargs)),
        lambda: asyncio.run(module.asyncio_detailed(client=client, **kwargs)),
    ):
        with pytest.raises(openai_videos.APIStatusError) as caught:
            call()
        _check(caught.value, status)


def test_opting_out_returns_error_answers_from_the_detailed_functions() -> None:
    client = _error_client(404)
    client.raise_on_error_status = False
    response = get_video.sync_detailed("video_1", client=client)
    assert response.status_code == 404 and response.parsed is None
    with pytest.raises(openai_videos.NotFoundError):  # sync() has no None to return
        get_video.sync("video_1", client=client)


def test_an_undocumented_2xx_carries_the_documented_body() -> None:
    response = httpx.Response(202, json=video_payload(status="queued"))
    assert create_video.parse_response(response).status == "queued"
