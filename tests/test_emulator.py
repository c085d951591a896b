"""The emulator, driven over loopback by the project's client."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from PIL import Image

from openai_videos import (
    AsyncOpenAIVideos,
    AuthenticationError,
    BadRequestError,
    NotFoundError,
    OpenAIVideos,
    VideoGenerationFailed,
)
from openai_videos_emulator import EmulatorConfig, FaultPlan, create_app, run_emulator
from openai_videos_emulator import probe_video as probe

FAST = {"job_seconds": 0.3, "render_fps": 4}


@pytest.fixture
def slow_emulator() -> Iterator[Any]:
    """Jobs that take a minute: still running whenever a test looks, however loaded the machine."""
    with run_emulator(EmulatorConfig(job_seconds=60)) as server:
        yield server


@pytest.fixture
def client_for() -> Iterator[Callable[..., OpenAIVideos]]:
    """Makes clients for a server, and closes them after the test."""
    made: list[OpenAIVideos] = []

    def make(server: Any, **options: Any) -> OpenAIVideos:
        made.append(OpenAIVideos(base_url=server.base_url, **options))
        return made[-1]

    yield make
    for client in made:
        client.close()


def test_job_lifecycle_and_real_assets(
    emulator: Any, tmp_path: Path, client_for: Callable[..., OpenAIVideos]
) -> None:
    client = client_for(emulator)
    statuses: list[str] = []
    video = client.create_and_poll("A cat on a piano", size="1280x720", seconds="4", poll_interval=0.05,
                                   on_progress=lambda v: statuses.append(str(v.status)))  # fmt: skip
    assert video.is_completed and video.progress == 100
    assert video.completed_at is not None and video.expires_at is not None
    assert statuses[0] in {"queued", "in_progress"} and statuses[-1] == "completed"
    mp4 = client.download_to(video.id, tmp_path / "v.mp4")
    assert probe(mp4.read_bytes()) == (4.0, 1280, 720, "h264")
    thumbnail = Image.open(io.BytesIO(client.download_content(video.id, variant="thumbnail")))
    assert (thumbnail.format, thumbnail.size) == ("WEBP", (1280, 720))
    sheet = Image.open(io.BytesIO(client.download_content(video.id, variant="spritesheet")))
    assert sheet.format == "JPEG" and sheet.width > sheet.height


def test_portrait_eight_seconds(emulator: Any, client_for: Callable[..., OpenAIVideos]) -> None:
    client = client_for(emulator)
    video = client.create_and_poll("Tall", size="720x1280", seconds=8, poll_interval=0.05)
    assert probe(client.download_content(video.id))[:3] == (8.0, 720, 1280)


def test_poll_after_header_is_sent(emulator: Any) -> None:
    response = httpx.post(f"{emulator.base_url}/videos", json={"prompt": "x"})
    assert response.status_code == 200 and int(response.headers["openai-poll-after-ms"]) > 0
    assert response.headers["x-request-id"].startswith("req_")


def test_remix_edit_extend_make_new_jobs(
    emulator: Any, client_for: Callable[..., OpenAIVideos]
) -> None:
    client = client_for(emulator)
    source = client.create_and_poll("Base", seconds=8, poll_interval=0.05)
    remix = client.remix(source.id, prompt="Remixed")
    edit = client.edit(source.id, prompt="Edited")
    extension = client.extend({"id": source.id}, prompt="Longer", seconds=12)
    assert {
        remix.remixed_from_video_id,
        edit.remixed_from_video_id,
        extension.remixed_from_video_id,
    } == {source.id}
    assert (remix.seconds, edit.seconds, extension.seconds) == ("8", "8", "20")
    assert len({source.id, remix.id, edit.id, extension.id}) == 4
    assert emulator.jobs_created == 4


def test_edit_an_uploaded_file(emulator: Any, client_for: Callable[..., OpenAIVideos]) -> None:
    client = client_for(emulator)
    source = client.create_and_poll("Base", size="1280x720", poll_interval=0.05)
    edited = client.edit(client.download_content(source.id), prompt="Edited")
    assert (edited.seconds, edited.size, edited.remixed_from_video_id) == ("4", "1280x720", None)


def test_remix_of_unfinished_video_is_refused(
    slow_emulator: Any, client_for: Callable[..., OpenAIVideos]
) -> None:
    client = client_for(slow_emulator)
    video = client.create("Base")
    with pytest.raises(BadRequestError, match="not completed") as caught:
        client.remix(video.id, prompt="Too early")
    assert caught.value.param == "video_id"


def test_content_before_completion_is_refused(
    slow_emulator: Any, client_for: Callable[..., OpenAIVideos]
) -> None:
    client = client_for(slow_emulator)
    video = client.create("Base")
    with pytest.raises(BadRequestError) as caught:
        client.download_content(video.id)
    assert caught.value.code == "video_not_ready"


def test_list_pages_and_delete(emulator: Any, client_for: Callable[..., OpenAIVideos]) -> None:
    client = client_for(emulator)
    ids = [client.create(f"Video {i}").id for i in range(5)]
    assert [v.id for v in client.list(limit=2, order="asc")] == ids
    assert [v.id for v in client.list(limit=2)] == ids[::-1]
    page = client.list(limit=2, order="asc").first_page()
    assert page.has_more and page.last_id == ids[1]
    done = client.poll(ids[0], poll_interval=0.05)
    assert client.delete(done.id).deleted
    with pytest.raises(NotFoundError):
        client.retrieve(done.id)
    assert len(list(client.list())) == 4


def test_delete_of_running_job_is_refused(
    slow_emulator: Any, client_for: Callable[..., OpenAIVideos]
) -> None:
    client = client_for(slow_emulator)
    with pytest.raises(BadRequestError, match="still"):
        client.delete(client.create("Running").id)


def test_fail_marker_fails_the_job(emulator: Any, client_for: Callable[..., OpenAIVideos]) -> None:
    client = client_for(emulator)
    with pytest.raises(VideoGenerationFailed) as caught:
        client.create_and_poll("Please [fail]", poll_interval=0.05)
    video = caught.value.video
    assert video.is_failed and video.error is not None and video.error.code == "moderation_blocked"


def test_characters(emulator: Any, client_for: Callable[..., OpenAIVideos]) -> None:
    client = client_for(emulator)
    video = client.create_and_poll("Mochi", poll_interval=0.05)
    character = client.create_character(video=client.download_content(video.id), name="Mochi")
    assert character.id.startswith("char_") and client.get_character(character.id) == character


@pytest.mark.parametrize(
    ("body", "param"),
    [
        ({}, "prompt"),
        ({"prompt": ""}, "prompt"),
        ({"prompt": "x" * 32001}, "prompt"),
        ({"prompt": "x", "size": "1x1"}, "size"),
        ({"prompt": "x", "seconds": "5"}, "seconds"),
        ({"prompt": "x", "seconds": 8}, "seconds"),
        ({"prompt": "x", "model": "dall-e"}, "model"),
        ({"prompt": "x", "colour": "red"}, "colour"),
        ({"prompt": "x", "input_reference": {"file_id": "a", "image_url": "b"}}, "input_reference"),
    ],
)
def test_invalid_create_requests_are_400_with_param(
    emulator: Any, body: dict[str, Any], param: str
) -> None:
    response = httpx.post(f"{emulator.base_url}/videos", json=body)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["param"] == param and error["type"] == "invalid_request_error" and error["message"]
    assert emulator.jobs_created == 0


def test_unknown_id_is_404_and_wrong_method_405(
    emulator: Any, client_for: Callable[..., OpenAIVideos]
) -> None:
    with pytest.raises(NotFoundError):
        client_for(emulator).retrieve("video_nope")
    response = httpx.put(f"{emulator.base_url}/videos/video_nope")
    assert response.status_code == 405
    assert response.json()["error"]["message"] == "Method PUT not allowed; use GET, DELETE"


def test_auth_is_checked_when_configured(client_for: Callable[..., OpenAIVideos]) -> None:
    with run_emulator(EmulatorConfig(api_key="sk-emulator", **FAST)) as server:
        with pytest.raises(AuthenticationError, match="Incorrect API key"):
            client_for(server, api_key="sk-wrong").create("x")
        assert client_for(server, api_key="sk-emulator").create("x").status == "queued"
        assert httpx.get(f"{server.base_url}/videos").status_code == 401


def test_idempotency_key_replays_the_same_job(emulator: Any) -> None:
    headers = {"Idempotency-Key": "key-1"}
    first = httpx.post(f"{emulator.base_url}/videos", json={"prompt": "x"}, headers=headers)
    second = httpx.post(f"{emulator.base_url}/videos", json={"prompt": "x"}, headers=headers)
    assert first.json()["id"] == second.json()["id"]
    assert second.headers["idempotency-key"] == "key-1"
    assert emulator.jobs_created == 1


def test_range_requests(emulator: Any, client_for: Callable[..., OpenAIVideos]) -> None:
    client = client_for(emulator)
    video = client.create_and_poll("Range", poll_interval=0.05)
    whole = client.download_content(video.id)
    url = f"{emulator.base_url}/videos/{video.id}/content"
    part = httpx.get(url, headers={"Range": "bytes=10-19"})
    assert part.status_code == 206 and part.content == whole[10:20]
    assert part.headers["content-range"] == f"bytes 10-19/{len(whole)}"
    tail = httpx.get(url, headers={"Range": "bytes=-5"})
    assert tail.content == whole[-5:]
    assert httpx.get(url, headers={"Range": f"bytes={len(whole)}-"}).status_code == 416


def test_data_dir_persists_jobs_and_assets(
    tmp_path: Path, client_for: Callable[..., OpenAIVideos]
) -> None:
    config = EmulatorConfig(data_dir=tmp_path, **FAST)
    with run_emulator(config) as server:
        client = client_for(server)
        video = client.create_and_poll("Persist", poll_interval=0.05)
        content = client.download_content(video.id)
    with run_emulator(config) as server:
        client = client_for(server)
        assert client.retrieve(video.id) == video
        assert client.download_content(video.id) == content
        assert server.jobs_created == 1


def test_scripted_faults_are_retried_without_duplicates(
    client_for: Callable[..., OpenAIVideos],
) -> None:
    plan = FaultPlan().script("POST", "/v1/videos", "429", "503")
    with run_emulator(EmulatorConfig(faults=plan, **FAST)) as server:
        client = client_for(server)
        client._sleep = lambda seconds: None
        client.create("Retry me")
        assert server.jobs_created == 1 and plan.injected == 2


def test_plain_asgi_app_in_process() -> None:
    app = create_app(EmulatorConfig(**FAST))

    async def scenario() -> str:
        http = httpx.AsyncClient(transport=httpx.ASGITransport(app=app))
        async with (
            http,
            AsyncOpenAIVideos(base_url="http://localhost/v1", http_client=http) as client,
        ):
            return str((await client.create("In process")).status)

    assert asyncio.run(scenario()) == "queued"
    assert app.store.jobs_created == 1


def test_async_client_against_the_emulator(emulator: Any) -> None:
    async def scenario() -> tuple[str, bytes]:
        async with AsyncOpenAIVideos(base_url=emulator.base_url) as client:
            videos = await asyncio.gather(
                *(client.create_and_poll(f"Async {i}", poll_interval=0.05) for i in range(3))
            )
            return str(videos[0].status), await client.download_content(
                videos[0].id, variant="thumbnail"
            )

    status, thumbnail = asyncio.run(scenario())
    assert status == "completed" and thumbnail[8:12] == b"WEBP"
    assert emulator.jobs_created == 3


@pytest.mark.parametrize(
    "video_id",
    [
        "a/remix",
        "../characters/x",
        "%2F",
        "a?limit=1",
        "a#b",
        "a b",
        "vidéo",
        "..",
        ".",
        "x" * 5000,
    ],
)
def test_hostile_ids_stay_in_their_segment(
    emulator: Any, video_id: str, client_for: Callable[..., OpenAIVideos]
) -> None:
    client = client_for(emulator)
    with pytest.raises(NotFoundError) as caught:
        client.retrieve(video_id)
    assert caught.value.body["error"]["message"] == f"Video with id '{video_id}' not found."


def test_the_emulator_can_cap_running_jobs_like_a_relay() -> None:
    import httpx

    clock = [1000.0]
    config = EmulatorConfig(job_seconds=10, max_running_jobs=2, clock=lambda: clock[0])
    with run_emulator(config) as server, httpx.Client(base_url=server.base_url) as http:
        first = http.post("/videos", json={"prompt": "a"}, headers={"Idempotency-Key": "k1"})
        assert http.post("/videos", json={"prompt": "b"}).status_code == 200
        refused = http.post("/videos", json={"prompt": "c"})
        assert refused.status_code == 429
        assert refused.json()["error"]["code"] == "too_many_running_tasks"
        replay = http.post("/videos", json={"prompt": "a"}, headers={"Idempotency-Key": "k1"})
        assert replay.status_code == 200 and replay.json()["id"] == first.json()["id"]
        clock[0] += 10  # both finished
        assert http.post("/videos", json={"prompt": "c"}).status_code == 200
        assert server.jobs_created == 3


def test_the_emulator_can_limit_requests_per_minute() -> None:
    import httpx

    clock = [1000.0]
    config = EmulatorConfig(requests_per_minute=3, clock=lambda: clock[0])
    with run_emulator(config) as server, httpx.Client(base_url=server.base_url) as http:
        assert [http.get("/videos").status_code for _ in range(3)] == [200, 200, 200]
        clock[0] += 20
        limited = http.get("/videos")
        assert limited.status_code == 429 and limited.headers["retry-after"] == "40"
        assert limited.json()["error"]["code"] == "rate_limit_exceeded"
        clock[0] += 40
        assert http.get("/videos").status_code == 200
