"""Shared fixtures: sample payloads and the upstream spec's own examples."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "spec"))

from sync import load  # noqa: E402


def video_payload(**overrides: Any) -> dict[str, Any]:
    """A complete Video JSON object as the OpenAI API sends it."""
    payload: dict[str, Any] = {
        "id": "video_123",
        "object": "video",
        "model": "sora-2",
        "status": "completed",
        "progress": 100,
        "created_at": 1712697600,
        "completed_at": 1712697660,
        "expires_at": 1712784000,
        "prompt": "A calico cat playing a piano on stage",
        "size": "720x1280",
        "seconds": "8",
        "remixed_from_video_id": None,
        "error": None,
    }
    payload.update(overrides)
    return payload


@pytest.fixture(scope="session")
def upstream_examples() -> dict[str, dict[str, Any]]:
    """The example responses embedded in the upstream spec, keyed by operationId."""
    spec = load(ROOT / "spec" / "upstream-videos.yaml")
    examples = {}
    for operations in spec["paths"].values():
        for operation in operations.values():
            response = operation.get("x-oaiMeta", {}).get("examples", {}).get("response")
            if response:
                examples[operation["operationId"]] = json.loads(response)
    return examples


@pytest.fixture
def emulator() -> Iterator[Any]:
    """A fresh emulator on a free loopback port: fast jobs, low frame rate, no auth."""
    from openai_videos_emulator import EmulatorConfig, run_emulator

    with run_emulator(EmulatorConfig(job_seconds=0.3, render_fps=4)) as server:
        yield server


@pytest.fixture
def api() -> Any:
    """A scripted in-memory server (``fake_api.FakeAPI``)."""
    from fake_api import FakeAPI

    return FakeAPI()


@pytest.fixture
def clock() -> Any:
    """A fake clock: sleeping advances it at once."""
    from client_harness import Clock

    return Clock()


@pytest.fixture(params=["sync", "async"])
def run(request: pytest.FixtureRequest, api: Any, clock: Any) -> Any:
    """One scenario on the sync client, then on the async one."""
    from client_harness import Runner

    return Runner(request.param, api, clock)
