"""The official openai SDK, unmodified, works end to end against the emulator."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from openai_videos_emulator import EmulatorConfig, run_emulator
from openai_videos_emulator import probe_video as probe

openai = pytest.importorskip("openai")

# The SDK warns that OpenAI's hosted Sora API is deprecated; that is the point of the emulator.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture
def sdk() -> Iterator[tuple[Any, Any]]:
    with (
        run_emulator(
            EmulatorConfig(api_key="sk-emulator", job_seconds=0.3, render_fps=4)
        ) as server,
        openai.OpenAI(base_url=server.base_url, api_key="sk-emulator") as client,
    ):
        yield client, server


def test_official_sdk_end_to_end(sdk: tuple[Any, Any]) -> None:
    client, server = sdk
    video = client.videos.create_and_poll(
        prompt="A calico cat", seconds="4", size="1280x720", poll_interval_ms=50
    )
    assert video.status == "completed" and video.progress == 100
    assert client.videos.retrieve(video.id).id == video.id
    content = client.videos.download_content(video.id)
    assert probe(content.content) == (4.0, 1280, 720, "h264")
    thumbnail = client.videos.download_content(video.id, variant="thumbnail")
    assert thumbnail.content[8:12] == b"WEBP"
    remix = client.videos.remix(video.id, prompt="Take a bow")
    assert remix.remixed_from_video_id == video.id
    assert {v.id for v in client.videos.list()} == {video.id, remix.id}
    deleted = client.videos.delete(video.id)
    assert deleted.deleted and deleted.id == video.id
    assert server.jobs_created == 2


def test_official_sdk_sees_typed_errors(sdk: tuple[Any, Any]) -> None:
    client, _ = sdk
    with pytest.raises(openai.NotFoundError):
        client.videos.retrieve("video_missing")
    with pytest.raises(openai.BadRequestError) as caught:
        client.videos.create(prompt="x", size="1x1")
    assert caught.value.body["param"] == "size"
