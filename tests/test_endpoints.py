"""Each generated endpoint function against httpx.MockTransport: request shape and parsed result."""

from __future__ import annotations

import json
from collections.abc import Callable
from io import BytesIO
from typing import Any

import httpx
import pytest
from conftest import video_payload

from openai_videos_api import AuthenticatedClient
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
from openai_videos_api.models import (
    CreateCharacterBody,
    CreateVideoEditJsonBody,
    CreateVideoEditMultipartBody,
    CreateVideoExtendJsonBody,
    CreateVideoJsonBody,
    CreateVideoMultipartBody,
    CreateVideoRemixBody,
    DeletedVideo,
    ImageReference,
    OrderEnum,
    Video,
    VideoCharacter,
    VideoContentVariant,
    VideoExtensionSeconds,
    VideoList,
    VideoReference,
    VideoSeconds,
    VideoSize,
)
from openai_videos_api.types import File

Handler = Callable[[httpx.Request], httpx.Response]


class Recorder:
    """A MockTransport handler that records requests and answers with a fixed response."""

    def __init__(self, response: httpx.Response) -> None:
        self.response = response
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        return self.response

    @property
    def request(self) -> httpx.Request:
        assert len(self.requests) == 1
        return self.requests[0]


def make_client(recorder: Recorder) -> AuthenticatedClient:
    client = AuthenticatedClient(base_url="https://api.test/v1", token="sk-test")
    client.set_httpx_client(
        httpx.Client(
            base_url="https://api.test/v1",
            headers={"Authorization": "Bearer sk-test"},
            transport=httpx.MockTransport(recorder),
        )
    )
    return client


def json_response(payload: Any) -> httpx.Response:
    return httpx.Response(200, json=payload)


def multipart_fields(request: httpx.Request) -> dict[str, tuple[str | None, bytes]]:
    """Parse a multipart body into {name: (filename, content)} using the request's boundary."""
    content_type = request.headers["content-type"]
    assert content_type.startswith("multipart/form-data; boundary=")
    boundary = content_type.split("boundary=", 1)[1].encode()
    assert boundary != b"+++"
    fields = {}
    for part in request.content.split(b"--" + boundary)[1:-1]:
        head, _, body = part.strip(b"\r\n").partition(b"\r\n\r\n")
        disposition = head.split(b"\r\n")[0].decode()
        name = disposition.split('name="', 1)[1].split('"', 1)[0]
        filename = (
            disposition.split('filename="', 1)[1].split('"', 1)[0]
            if "filename=" in disposition
            else None
        )
        fields[name] = (filename, body)
    return fields


def test_create_video_json() -> None:
    recorder = Recorder(json_response(video_payload(status="queued", progress=0)))
    body = CreateVideoJsonBody(
        prompt="A cat",
        seconds=VideoSeconds.SECONDS_8,
        size=VideoSize.SIZE_1280X720,
        input_reference=ImageReference(image_url="https://example.test/cat.png"),
    )
    video = create_video.sync(client=make_client(recorder), body=body)
    request = recorder.request
    assert (request.method, request.url.path) == ("POST", "/v1/videos")
    assert request.headers["content-type"] == "application/json"
    assert request.headers["authorization"] == "Bearer sk-test"
    assert json.loads(request.content) == {
        "prompt": "A cat",
        "seconds": "8",
        "size": "1280x720",
        "input_reference": {"image_url": "https://example.test/cat.png"},
    }
    assert isinstance(video, Video) and video.status == "queued"


def test_create_video_multipart_uploads_the_reference_file() -> None:
    recorder = Recorder(json_response(video_payload(status="queued")))
    image = b"\x89PNG\r\n--+++\r\nnot a boundary"
    body = CreateVideoMultipartBody(
        prompt="A cat",
        input_reference=File(payload=BytesIO(image), file_name="cat.png", mime_type="image/png"),
    )
    video = create_video.sync(client=make_client(recorder), body=body)
    fields = multipart_fields(recorder.request)
    assert fields["prompt"] == (None, b"A cat")
    assert fields["input_reference"] == ("cat.png", image)
    assert isinstance(video, Video)


def test_list_videos_sends_query_and_parses_page() -> None:
    page = {"object": "list", "data": [video_payload()], "first_id": "video_123",
            "last_id": "video_123", "has_more": True}  # fmt: skip
    recorder = Recorder(json_response(page))
    result = list_videos.sync(
        client=make_client(recorder), limit=10, order=OrderEnum.ASC, after="video_0"
    )
    request = recorder.request
    assert (request.method, request.url.path) == ("GET", "/v1/videos")
    assert dict(request.url.params) == {"limit": "10", "order": "asc", "after": "video_0"}
    assert isinstance(result, VideoList) and result.has_more and result.data[0].id == "video_123"


def test_list_videos_without_query() -> None:
    page = {"object": "list", "data": [], "first_id": None, "last_id": None, "has_more": False}
    recorder = Recorder(json_response(page))
    result = list_videos.sync(client=make_client(recorder))
    assert recorder.request.url.query == b""
    assert isinstance(result, VideoList) and len(result) == 0


def test_get_video() -> None:
    recorder = Recorder(json_response(video_payload()))
    video = get_video.sync("video_123", client=make_client(recorder))
    assert (recorder.request.method, recorder.request.url.path) == ("GET", "/v1/videos/video_123")
    assert video == Video.from_dict(video_payload())


@pytest.mark.parametrize(
    ("video_id", "raw_path"),
    [
        ("a/b", b"/v1/videos/a%2Fb"),
        ("..", b"/v1/videos/%2E%2E"),
        (".", b"/v1/videos/%2E"),
        ("../x", b"/v1/videos/..%2Fx"),
        ("a?b=1", b"/v1/videos/a%3Fb%3D1"),
        ("a#b", b"/v1/videos/a%23b"),
        ("a b", b"/v1/videos/a%20b"),
        ("%2F", b"/v1/videos/%252F"),
        ("vidéo", b"/v1/videos/vid%C3%A9o"),
    ],
)
def test_video_id_is_one_percent_encoded_path_segment(video_id: str, raw_path: bytes) -> None:
    recorder = Recorder(json_response(video_payload()))
    get_video.sync(video_id, client=make_client(recorder))
    assert recorder.request.url.raw_path == raw_path
    assert recorder.request.url.params == httpx.QueryParams()


def test_delete_video() -> None:
    recorder = Recorder(
        json_response({"object": "video.deleted", "deleted": True, "id": "video_123"})
    )
    deleted = delete_video.sync("video_123", client=make_client(recorder))
    assert (recorder.request.method, recorder.request.url.path) == (
        "DELETE",
        "/v1/videos/video_123",
    )
    assert isinstance(deleted, DeletedVideo) and deleted.deleted


@pytest.mark.parametrize(
    ("variant", "media_type", "content"),
    [
        (VideoContentVariant.VIDEO, "video/mp4", b"\x00\x00\x00\x18ftypmp42" + bytes(range(256))),
        (VideoContentVariant.THUMBNAIL, "image/webp", b"RIFF\x00\x00\x00\x00WEBPVP8 "),
        (VideoContentVariant.SPRITESHEET, "image/jpeg", b"\xff\xd8\xff\xe0{not json"),
    ],
)
def test_content_returns_the_exact_bytes_served(
    variant: VideoContentVariant, media_type: str, content: bytes
) -> None:
    recorder = Recorder(httpx.Response(200, content=content, headers={"content-type": media_type}))
    file = retrieve_video_content.sync("video_123", client=make_client(recorder), variant=variant)
    request = recorder.request
    assert (request.method, request.url.path) == ("GET", "/v1/videos/video_123/content")
    assert dict(request.url.params) == {"variant": variant.value}
    assert isinstance(file, File) and file.payload.read() == content


def test_remix_json() -> None:
    recorder = Recorder(
        json_response(video_payload(id="video_456", remixed_from_video_id="video_123"))
    )
    video = create_video_remix.sync(
        "video_123", client=make_client(recorder), body=CreateVideoRemixBody(prompt="Take a bow")
    )
    request = recorder.request
    assert (request.method, request.url.path) == ("POST", "/v1/videos/video_123/remix")
    assert json.loads(request.content) == {"prompt": "Take a bow"}
    assert isinstance(video, Video) and video.is_remix


def test_edit_json_by_id_and_multipart_by_file() -> None:
    recorder = Recorder(json_response(video_payload(id="video_789")))
    body = CreateVideoEditJsonBody(video=VideoReference(id="video_123"), prompt="Make it night")
    video = create_video_edit.sync(client=make_client(recorder), body=body)
    assert recorder.request.url.path == "/v1/videos/edits"
    assert json.loads(recorder.request.content) == {
        "video": {"id": "video_123"},
        "prompt": "Make it night",
    }
    assert isinstance(video, Video)

    recorder = Recorder(json_response(video_payload(id="video_790")))
    upload = File(payload=BytesIO(b"mp4 bytes"), file_name="in.mp4", mime_type="video/mp4")
    body_mp = CreateVideoEditMultipartBody(video=upload, prompt="Make it night")
    create_video_edit.sync(client=make_client(recorder), body=body_mp)
    fields = multipart_fields(recorder.request)
    assert fields["video"] == ("in.mp4", b"mp4 bytes") and fields["prompt"] == (
        None,
        b"Make it night",
    )


def test_extend_accepts_twenty_seconds() -> None:
    recorder = Recorder(json_response(video_payload(seconds="28")))
    body = CreateVideoExtendJsonBody(
        video=VideoReference(id="video_123"),
        prompt="Keep going",
        seconds=VideoExtensionSeconds.SECONDS_20,
    )
    video = create_video_extend.sync(client=make_client(recorder), body=body)
    assert recorder.request.url.path == "/v1/videos/extensions"
    assert json.loads(recorder.request.content)["seconds"] == "20"
    assert isinstance(video, Video) and video.seconds == "28"


def test_create_character_multipart() -> None:
    recorder = Recorder(json_response({"id": "char_1", "name": "Mochi", "created_at": 1712697600}))
    upload = File(payload=BytesIO(b"clip"), file_name="mochi.mp4", mime_type="video/mp4")
    character = create_video_character.sync(
        client=make_client(recorder), body=CreateCharacterBody(video=upload, name="Mochi")
    )
    request = recorder.request
    assert (request.method, request.url.path) == ("POST", "/v1/videos/characters")
    assert multipart_fields(request) == {"video": ("mochi.mp4", b"clip"), "name": (None, b"Mochi")}
    assert isinstance(character, VideoCharacter) and character.name == "Mochi"


def test_get_character() -> None:
    recorder = Recorder(json_response({"id": "char_1", "name": None, "created_at": 1712697600}))
    character = get_video_character.sync("char_1", client=make_client(recorder))
    assert recorder.request.url.path == "/v1/videos/characters/char_1"
    assert isinstance(character, VideoCharacter) and character.name is None


def test_async_endpoint_functions_share_the_behaviour() -> None:
    import asyncio

    recorder = Recorder(json_response(video_payload()))
    client = AuthenticatedClient(base_url="https://api.test/v1", token="sk-test")
    client.set_async_httpx_client(
        httpx.AsyncClient(base_url="https://api.test/v1", transport=httpx.MockTransport(recorder))
    )
    video = asyncio.run(get_video.asyncio("video_123", client=client))
    assert video == Video.from_dict(video_payload())


def test_error_status_opt_out_gives_none_with_raw_response_kept() -> None:
    recorder = Recorder(httpx.Response(404, json={"error": {"message": "nope"}}))
    client = make_client(recorder)
    client.raise_on_error_status = False
    response = get_video.sync_detailed("missing", client=client)
    assert response.status_code == 404 and response.parsed is None
    assert json.loads(response.content) == {"error": {"message": "nope"}}


def test_token_is_not_in_the_client_repr() -> None:
    client = AuthenticatedClient(base_url="https://api.test/v1", token="sk-very-secret")
    client.get_httpx_client()
    assert "sk-very-secret" not in repr(client)


def test_empty_video_id_is_refused_before_any_request() -> None:
    recorder = Recorder(json_response(video_payload()))
    with pytest.raises(ValueError, match="video_id must be a non-empty string"):
        get_video.sync("", client=make_client(recorder))
    assert recorder.requests == []
