"""OpenAIVideos and AsyncOpenAIVideos against httpx.MockTransport. Nothing really sleeps."""

from __future__ import annotations

import asyncio
import inspect
import logging
from pathlib import Path
from typing import Any

import httpx
import pytest
from client_harness import BASE, KEY, Clock, Runner, error, make_sync
from conftest import video_payload
from fake_api import FakeAPI

import openai_videos
from openai_videos import (
    APIResponseValidationError,
    AsyncOpenAIVideos,
    OpenAIVideos,
    PollTimeout,
    Video,
    VideoGenerationFailed,
)

# -- configuration ---------------------------------------------------------------------------


def test_defaults_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    monkeypatch.setenv("OPENAI_BASE_URL", "https://gateway.test/v1/")
    monkeypatch.setenv("OPENAI_ORG_ID", "org_1")
    monkeypatch.setenv("OPENAI_PROJECT_ID", "proj_1")
    api = FakeAPI()
    client = OpenAIVideos(http_client=httpx.Client(transport=httpx.MockTransport(api)))
    client.retrieve("video_1")
    request = api.requests[0]
    assert str(request.url) == "https://gateway.test/v1/videos/video_1"
    assert request.headers["authorization"] == f"Bearer {KEY}"
    assert request.headers["openai-organization"] == "org_1"
    assert request.headers["openai-project"] == "proj_1"


def test_default_base_url_is_openai_with_a_warning_that_it_is_gone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    with pytest.warns(DeprecationWarning, match="removed its hosted Videos API"):
        assert OpenAIVideos(api_key=KEY).base_url == "https://api.openai.com/v1"
    with pytest.warns(DeprecationWarning):
        AsyncOpenAIVideos(api_key=KEY)


def test_no_warning_for_any_other_server(recwarn: pytest.WarningsRecorder) -> None:
    OpenAIVideos(api_key=KEY, base_url="https://gateway.example/v1").close()
    OpenAIVideos(api_key=KEY, base_url="https://api.openai.com.evil.example/v1").close()
    assert not recwarn.list


def test_missing_key_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    with pytest.raises(ValueError, match="OPENAI_API_KEY"):
        OpenAIVideos(base_url="https://api.openai.com/v1")
    with pytest.raises(ValueError, match="OPENAI_API_KEY"):
        AsyncOpenAIVideos(base_url="https://gateway.example/v1")


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8000/v1", "http://localhost:9/v1", "http://[::1]:80/v1"]
)
def test_loopback_emulator_needs_no_key(monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    api = FakeAPI()
    client = OpenAIVideos(
        base_url=url, http_client=httpx.Client(transport=httpx.MockTransport(api))
    )
    client.retrieve("video_1")
    assert "authorization" not in api.requests[0].headers


def test_azure_style_api_key_header(api: FakeAPI, clock: Clock) -> None:
    client = make_sync(api, clock, auth_header="api-key")
    client.retrieve("video_1")
    assert api.requests[0].headers["api-key"] == KEY
    assert "authorization" not in api.requests[0].headers


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"max_retries": -1}, "max_retries"),
        ({"timeout": 0}, "timeout"),
        ({"timeout": -5.0}, "timeout"),
    ],
)
def test_bad_options_are_refused(options: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        OpenAIVideos(api_key=KEY, **options)


def test_context_manager_closes_its_own_connections() -> None:
    with OpenAIVideos(api_key=KEY, base_url=BASE) as client:
        http = client._http
    assert http.is_closed


def test_passed_in_http_client_stays_open() -> None:
    http = httpx.Client()
    with OpenAIVideos(api_key=KEY, base_url=BASE, http_client=http):
        pass
    assert not http.is_closed
    http.close()


# -- operations ------------------------------------------------------------------------------


def test_create_sends_json_and_returns_a_video(run: Runner, api: FakeAPI) -> None:
    video = run("create", "A cat", model="sora-2-pro", seconds=8, size="1280x720")
    assert isinstance(video, Video) and video.status == "queued"
    request = api.requests[0]
    assert (request.method, request.url.path) == ("POST", "/v1/videos")
    assert api.json_bodies()[0] == {
        "prompt": "A cat",
        "model": "sora-2-pro",
        "seconds": "8",
        "size": "1280x720",
    }
    assert request.headers["idempotency-key"].startswith("openai-videos-")


def test_create_passes_unknown_values_through(run: Runner, api: FakeAPI) -> None:
    run("create", "A cat", model="veo-3", seconds=20, size="1920x1080")
    assert api.json_bodies()[0] == {
        "prompt": "A cat",
        "model": "veo-3",
        "seconds": "20",
        "size": "1920x1080",
    }


@pytest.mark.parametrize(
    "reference", [{"file_id": "file-1"}, {"image_url": "https://x.test/a.png"}]
)
def test_create_with_reference_object_sends_json(
    run: Runner, api: FakeAPI, reference: dict[str, str]
) -> None:
    run("create", "A cat", input_reference=reference)
    assert api.json_bodies()[0]["input_reference"] == reference


def test_create_with_image_file_uploads_multipart(
    run: Runner, api: FakeAPI, tmp_path: Path
) -> None:
    image = tmp_path / "cat.png"
    image.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    run("create", "A cat", input_reference=image)
    request = api.requests[0]
    assert request.headers["content-type"].startswith("multipart/form-data; boundary=")
    assert b'filename="cat.png"' in request.content and b"image/png" in request.content


def test_retrieve(run: Runner, api: FakeAPI) -> None:
    assert run("retrieve", "video_7").id == "video_7"
    assert api.requests[0].url.path == "/v1/videos/video_7"


def test_delete(run: Runner, api: FakeAPI) -> None:
    api.then(
        httpx.Response(200, json={"object": "video.deleted", "deleted": True, "id": "video_7"})
    )
    deleted = run("delete", "video_7")
    assert deleted.deleted and deleted.id == "video_7"
    assert api.requests[0].method == "DELETE"


def test_delete_understands_a_video_shaped_answer(run: Runner, api: FakeAPI) -> None:
    api.then(httpx.Response(200, json=video_payload(id="video_7", status="deleted")))
    deleted = run("delete", "video_7")
    assert deleted.deleted and deleted.id == "video_7"


def test_remix(run: Runner, api: FakeAPI) -> None:
    api.then(httpx.Response(200, json=video_payload(id="video_9", remixed_from_video_id="video_7")))
    video = run("remix", "video_7", prompt="Take a bow")
    assert video.is_remix
    assert api.requests[0].url.path == "/v1/videos/video_7/remix"
    assert api.json_bodies()[0] == {"prompt": "Take a bow"}
    assert "idempotency-key" in api.requests[0].headers


@pytest.mark.parametrize("video", ["video_7", {"id": "video_7"}])
def test_edit_and_extend_by_id_send_json(run: Runner, api: FakeAPI, video: Any) -> None:
    run("edit", video, prompt="At night")
    run("extend", video, prompt="Keep going", seconds=16)
    assert [r.url.path for r in api.requests] == ["/v1/videos/edits", "/v1/videos/extensions"]
    assert api.json_bodies() == [
        {"video": {"id": "video_7"}, "prompt": "At night"},
        {"video": {"id": "video_7"}, "prompt": "Keep going", "seconds": "16"},
    ]


def test_edit_by_file_uploads_multipart(run: Runner, api: FakeAPI) -> None:
    run("edit", b"\x00\x00\x00\x18ftypmp42rest", prompt="At night")
    assert b'name="video"' in api.requests[0].content and b"video/mp4" in api.requests[0].content


def test_characters(run: Runner, api: FakeAPI) -> None:
    character = {"id": "char_1", "name": "Mochi", "created_at": 1712697600}
    api.then(httpx.Response(200, json=character), httpx.Response(200, json=character))
    created = run("create_character", video=b"\x00\x00\x00\x18ftypmp42rest", name="Mochi")
    fetched = run("get_character", "char_1")
    assert created == fetched and created.name == "Mochi"
    assert [r.url.path for r in api.requests] == [
        "/v1/videos/characters",
        "/v1/videos/characters/char_1",
    ]


def test_download_content_returns_bytes(run: Runner, api: FakeAPI) -> None:
    assert run("download_content", "video_1", variant="thumbnail") == api.content
    assert dict(api.requests[0].url.params) == {"variant": "thumbnail"}


def test_download_content_refuses_json(run: Runner, api: FakeAPI) -> None:
    api.then(httpx.Response(200, json={"video_url": "https://cdn.test/v.mp4"}))
    with pytest.raises(APIResponseValidationError, match=r"https://cdn\.test/v\.mp4"):
        run("download_content", "video_1")


# -- listing ---------------------------------------------------------------------------------


def page(ids: list[str], has_more: bool, last_id: str | None = "auto") -> httpx.Response:
    data = [video_payload(id=i) for i in ids]
    last = ids[-1] if ids and last_id == "auto" else (None if last_id == "auto" else last_id)
    return httpx.Response(
        200,
        json={
            "object": "list",
            "data": data,
            "first_id": ids[0] if ids else None,
            "last_id": last,
            "has_more": has_more,
        },
    )


def collect(run: Runner, **kwargs: Any) -> list[str]:
    pager = run.client.list(**kwargs)
    if run.kind == "sync":
        return [video.id for video in pager]

    async def gather() -> list[str]:
        return [video.id async for video in pager]

    return asyncio.run(gather())


def test_list_pages_with_after_cursor(run: Runner, api: FakeAPI) -> None:
    api.then(page(["a", "b"], True), page(["c", "d"], True), page(["e"], False))
    assert collect(run, limit=2, order="asc") == ["a", "b", "c", "d", "e"]
    params = [dict(r.url.params) for r in api.requests]
    assert params == [
        {"limit": "2", "order": "asc"},
        {"limit": "2", "order": "asc", "after": "b"},
        {"limit": "2", "order": "asc", "after": "d"},
    ]


def test_list_stops_on_repeated_cursor(run: Runner, api: FakeAPI) -> None:
    api.then(page(["a"], True), page(["a"], True), page(["z"], False))
    assert collect(run) == ["a", "a"]
    assert len(api.requests) == 2


def test_list_without_cursor_falls_back_to_last_item(run: Runner, api: FakeAPI) -> None:
    api.then(page(["a", "b"], True, last_id=None), page(["c"], False))
    assert collect(run) == ["a", "b", "c"]
    assert dict(api.requests[1].url.params) == {"after": "b"}


def test_list_first_page_only(api: FakeAPI, clock: Clock) -> None:
    api.then(page(["a", "b"], True))
    first = make_sync(api, clock).list(limit=2).first_page()
    assert [v.id for v in first] == ["a", "b"] and first.has_more
    assert len(api.requests) == 1


def test_list_checks_limit_before_any_request(api: FakeAPI, clock: Clock) -> None:
    with pytest.raises(ValueError, match="limit"):
        make_sync(api, clock).list(limit=1000)
    assert api.requests == []


# -- polling ---------------------------------------------------------------------------------


def progress_replies(
    statuses: list[tuple[str, int]], poll_after_ms: int | None = 250
) -> list[httpx.Response]:
    headers = {"openai-poll-after-ms": str(poll_after_ms)} if poll_after_ms is not None else {}
    return [
        httpx.Response(200, json=video_payload(status=s, progress=p), headers=headers)
        for s, p in statuses
    ]


def test_poll_honours_poll_after_and_reports_progress(
    run: Runner, api: FakeAPI, clock: Clock
) -> None:
    api.then(*progress_replies([("queued", 0), ("in_progress", 40), ("completed", 100)]))
    seen: list[tuple[str, int]] = []
    video = run("poll", "video_123", on_progress=lambda v: seen.append((str(v.status), v.progress)))
    assert video.is_completed
    assert seen == [("queued", 0), ("in_progress", 40), ("completed", 100)]
    assert clock.sleeps == [0.25, 0.25]


def test_poll_defaults_to_one_second(run: Runner, api: FakeAPI, clock: Clock) -> None:
    api.then(*progress_replies([("queued", 0), ("completed", 100)], poll_after_ms=None))
    run("poll", "video_123")
    assert clock.sleeps == [1.0]


def test_poll_raises_for_a_failed_job(run: Runner, api: FakeAPI) -> None:
    failed = video_payload(
        status="failed", error={"code": "moderation_blocked", "message": "Blocked."}
    )
    api.then(httpx.Response(200, json=failed))
    with pytest.raises(VideoGenerationFailed, match="moderation_blocked") as caught:
        run("poll", "video_123")
    assert caught.value.video.error is not None and caught.value.video.error.message == "Blocked."


def test_poll_can_return_a_failed_job(run: Runner, api: FakeAPI) -> None:
    api.then(httpx.Response(200, json=video_payload(status="failed")))
    assert run("poll", "video_123", raise_on_failure=False).is_failed


def test_poll_gives_up_at_its_timeout_even_on_unknown_status(
    run: Runner, api: FakeAPI, clock: Clock
) -> None:
    api.then(*progress_replies([("rendering", 10)] * 20, poll_after_ms=2000))
    with pytest.raises(PollTimeout, match="still 'rendering'") as caught:
        run("poll", "video_123", timeout=5)
    assert caught.value.video.status == "rendering"
    assert sum(clock.sleeps) == pytest.approx(5)
    assert len(api.requests) == 4


def test_create_and_poll(run: Runner, api: FakeAPI, clock: Clock) -> None:
    api.then(httpx.Response(200, json=video_payload(status="queued", progress=0)))
    api.then(*progress_replies([("in_progress", 50), ("completed", 100)]))
    video = run("create_and_poll", "A cat")
    assert video.is_completed
    assert [r.method for r in api.requests] == ["POST", "GET", "GET"]


# -- input checks ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "args", "kwargs", "exc", "message"),
    [
        ("create", ("",), {}, ValueError, "prompt must not be empty"),
        ("create", ("x" * 32001,), {}, ValueError, "at most 32,000"),
        ("create", (5,), {}, TypeError, "prompt must be a string"),
        (
            "create",
            ("A cat",),
            {"input_reference": Path("/no/such/file.png")},
            FileNotFoundError,
            "no such file",
        ),
        (
            "create",
            ("A cat",),
            {"input_reference": b"plain text"},
            ValueError,
            "must be image or video",
        ),
        (
            "create",
            ("A cat",),
            {"input_reference": {"file_id": "f", "image_url": "u"}},
            ValueError,
            "exactly one",
        ),
        ("retrieve", ("",), {}, ValueError, "video_id must be a non-empty string"),
        ("retrieve", ("video_\ud800",), {}, ValueError, "valid Unicode"),
        ("remix", ("video_1",), {"prompt": " "}, ValueError, "prompt must not be empty"),
        ("poll", ("video_1",), {"timeout": 0}, ValueError, "timeout must be a positive"),
        ("create_character", (), {"video": "video_1", "name": "x"}, TypeError, "video file"),
        (
            "create_character",
            (),
            {"video": b"\x00\x00\x00\x18ftypmp42", "name": ""},
            ValueError,
            "name must be",
        ),
    ],
)
def test_bad_arguments_fail_before_any_request(  # noqa: PLR0917 - one parametrize row
    run: Runner,
    api: FakeAPI,
    method: str,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    exc: type[Exception],
    message: str,
) -> None:
    with pytest.raises(exc, match=message):
        run(method, *args, **kwargs)
    assert api.requests == []


# -- secrets ---------------------------------------------------------------------------------


def test_the_key_never_shows(api: FakeAPI, clock: Clock, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    client = make_sync(api, clock)
    api.then(error(401), error(500), error(500), error(500), httpx.ConnectError("refused"))
    captured: list[BaseException] = []
    for _ in range(2):
        try:
            client.retrieve("video_1")
        except openai_videos.APIError as exc:
            captured.append(exc)
    api.then(error(400))
    try:
        client.create("A cat")
    except openai_videos.APIError as exc:
        captured.append(exc)
    texts = [repr(client), str(client), caplog.text]
    for exc in captured:
        texts += [
            str(exc),
            repr(exc),
            repr(exc.args),
            repr(exc.request.headers) if exc.request else "",
        ]
    assert len(captured) == 3
    assert all(KEY not in text for text in texts)


# -- parity ----------------------------------------------------------------------------------


def public_methods(cls: type) -> dict[str, inspect.Signature]:
    return {
        name: inspect.signature(member)
        for name, member in inspect.getmembers(cls, inspect.isfunction)
        if not name.startswith("_")
    }


def test_sync_and_async_clients_have_the_same_methods_and_signatures() -> None:
    sync, asynchronous = public_methods(OpenAIVideos), public_methods(AsyncOpenAIVideos)
    assert list(sync) == list(asynchronous)
    for name, signature in sync.items():
        other = asynchronous[name]
        assert list(signature.parameters) == list(other.parameters), name
        if name != "__init__":
            assert [p.default for p in signature.parameters.values()] == [
                p.default for p in other.parameters.values()
            ]


def test_method_names_match_the_official_sdk() -> None:
    expected = {
        "create", "retrieve", "list", "delete", "download_content", "remix", "edit", "extend",
        "create_character", "get_character", "poll", "create_and_poll",
    }  # fmt: skip
    assert expected <= set(public_methods(OpenAIVideos))
