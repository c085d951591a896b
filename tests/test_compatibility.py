"""The client's main flows against every emulator profile (one per real /v1/videos server)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from openai_videos import (
    APIStatusError,
    ContentPolicyViolation,
    MethodNotAllowedError,
    NotFoundError,
    OpenAIVideos,
    VideoGenerationFailed,
)
from openai_videos_emulator import PROFILES, EmulatorConfig, run_emulator
from openai_videos_emulator import probe_video as probe

# What each server needs from the client, and what it does not offer.
SETUP: dict[str, dict[str, Any]] = {
    "openai": {"client": {}, "create": {}},
    "azure": {
        "client": {"api_key": "azure-key", "auth_header": "api-key"},
        "create": {"model": "my-sora-deployment"},
        "server_key": "azure-key",
    },
    "litellm": {"client": {"default_query": {"custom_llm_provider": "openai"}}, "create": {}},
    "vllm-omni": {
        "client": {},
        "create": {"extra_body": {"seed": 42, "negative_prompt": "blurry"}},
    },
    "sglang": {"client": {}, "create": {}},
    "newapi": {"client": {}, "create": {}},
    "newapi-task": {"client": {}, "create": {}},
    "litellm-runway": {
        "client": {"default_query": {"custom_llm_provider": "runwayml"}},
        "create": {},
    },
    "gateway-nulls": {"client": {}, "create": {}},
    "ignores-idempotency": {"client": {}, "create": {}},
    "sora-images": {"client": {}, "create": {}},
    "form-only": {"client": {}, "create": {}},  # the JSON create is refused, then multipart
    "litellm-veo": {
        "client": {
            "default_query": {"custom_llm_provider": "gemini"},
            "capabilities": "litellm-veo",
        },
        "create": {},
    },
}
NOT_OFFERED = {
    "litellm": {"delete": (MethodNotAllowedError, "Method Not Allowed")},
    "litellm-runway": {"delete": (MethodNotAllowedError, "Method Not Allowed")},
    "litellm-veo": {"delete": (MethodNotAllowedError, "Method Not Allowed")},
    "vllm-omni": {"remix": (NotFoundError, "Not found"), "extend": (NotFoundError, "Not found")},
    "newapi-task": {"remix": (NotFoundError, "Not found"), "extend": (NotFoundError, "Not found")},
}
# What a job-creating call answers with for ``seconds`` where the server leaves it null.
SECONDS_WHILE_RUNNING = {"gateway-nulls": "unknown"}


def test_every_profile_is_covered() -> None:
    assert set(SETUP) == set(PROFILES)


@pytest.fixture(params=sorted(PROFILES))
def server_and_client(request: pytest.FixtureRequest) -> Iterator[tuple[str, OpenAIVideos]]:
    name = request.param
    setup = SETUP[name]
    config = EmulatorConfig(
        profile=name, job_seconds=0.3, render_fps=4, api_key=setup.get("server_key")
    )
    with (
        run_emulator(config) as server,
        OpenAIVideos(base_url=server.base_url, **setup["client"]) as client,
    ):
        yield name, client


def test_create_poll_download(server_and_client: tuple[str, OpenAIVideos], tmp_path: Path) -> None:
    name, client = server_and_client
    video = client.create_and_poll(
        "A cat", size="1280x720", seconds=4, poll_interval=0.05, **SETUP[name]["create"]
    )
    assert video.is_completed
    assert abs(video.created_at_datetime - datetime.now(UTC)) < timedelta(minutes=1)
    path = client.download_to(video.id, tmp_path / "v.mp4")
    assert probe(path.read_bytes()) == (4.0, 1280, 720, "h264")
    assert client.download_content(video.id, variant="thumbnail")[8:12] == b"WEBP"
    assert client.retrieve(video.id) == video


def test_list(server_and_client: tuple[str, OpenAIVideos]) -> None:
    name, client = server_and_client
    ids = {client.create(f"Video {i}", **SETUP[name]["create"]).id for i in range(3)}
    assert {video.id for video in client.list(limit=2)} == ids


def test_delete_or_a_clear_error(server_and_client: tuple[str, OpenAIVideos]) -> None:
    name, client = server_and_client
    video = client.create_and_poll("To delete", poll_interval=0.05, **SETUP[name]["create"])
    expected = NOT_OFFERED.get(name, {}).get("delete")
    if expected:
        with pytest.raises(expected[0], match=expected[1]):
            client.delete(video.id)
        return
    deleted = client.delete(video.id)
    assert deleted.deleted and deleted.id == video.id
    with pytest.raises(NotFoundError):
        client.retrieve(video.id)


@pytest.mark.parametrize("operation", ["remix", "extend"])
def test_remix_and_extend_or_a_clear_error(
    server_and_client: tuple[str, OpenAIVideos], operation: str
) -> None:
    name, client = server_and_client
    source = client.create_and_poll("Source", poll_interval=0.05, **SETUP[name]["create"])
    expected = NOT_OFFERED.get(name, {}).get(operation)

    def run() -> Any:
        if operation == "remix":
            return client.remix(source.id, prompt="Again")
        return client.extend(source.id, prompt="Longer", seconds=8)

    if expected:
        with pytest.raises(expected[0], match=expected[1]) as caught:
            run()
        assert isinstance(caught.value, APIStatusError)
        return
    video = run()
    assert video.remixed_from_video_id == source.id
    expected = SECONDS_WHILE_RUNNING.get(name, "4" if operation == "remix" else "12")
    assert video.seconds == expected


def test_failed_job_is_reported(server_and_client: tuple[str, OpenAIVideos]) -> None:
    name, client = server_and_client
    video = client.create_and_poll(
        "Please [error]", poll_interval=0.05, raise_on_failure=False, **SETUP[name]["create"]
    )
    assert video.is_failed and video.error is not None and video.error.message
    with pytest.raises(VideoGenerationFailed) as caught:
        client.create_and_poll("Again [error]", poll_interval=0.05, **SETUP[name]["create"])
    assert type(caught.value) is VideoGenerationFailed


# Servers whose failed job carries no moderation code (a message only, or a number).
MODERATION_UNSAID = {"sglang", "vllm-omni", "newapi-task"}


def test_moderation_is_its_own_outcome(server_and_client: tuple[str, OpenAIVideos]) -> None:
    name, client = server_and_client
    expected = VideoGenerationFailed if name in MODERATION_UNSAID else ContentPolicyViolation
    with pytest.raises(VideoGenerationFailed) as caught:
        client.create_and_poll("Please [fail]", poll_interval=0.05, **SETUP[name]["create"])
    assert type(caught.value) is expected


def test_unknown_status_does_not_outlive_the_poll_timeout() -> None:
    with (
        run_emulator(EmulatorConfig(profile="newapi", job_seconds=60)) as server,
        OpenAIVideos(base_url=server.base_url) as client,
    ):
        video = client.create("Slow")
        assert str(video.status) == "unknown" and not video.status.is_known
        started = time.monotonic()
        with pytest.raises(Exception, match="still 'unknown'"):
            client.poll(video.id, timeout=0.3, poll_interval=0.05)
        assert time.monotonic() - started < 5


def test_batch(server_and_client: tuple[str, OpenAIVideos], tmp_path: Path) -> None:
    import asyncio

    from openai_videos import AsyncOpenAIVideos, read_prompts, run_batch

    name, client = server_and_client
    prompts = tmp_path / "prompts.jsonl"
    prompts.write_text('"first"\n{"prompt": "second", "seconds": "4"}\n')
    options = SETUP[name]["client"]

    async def go() -> Any:
        async with AsyncOpenAIVideos(base_url=client.base_url, **options) as batch_client:
            return await run_batch(batch_client, read_prompts(prompts), tmp_path / "out")

    report = asyncio.run(go())
    assert len(report.downloaded) == 2 and not report.failed, report
    files = sorted((tmp_path / "out").glob("*.mp4"))
    assert len(files) == 2 and all(path.parent == tmp_path / "out" for path in files)
    assert all(probe(path.read_bytes())[3] == "h264" for path in files)
