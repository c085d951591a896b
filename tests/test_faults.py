"""Every operation against every injected fault: success or the documented typed error, within
bounded time and attempts, never a duplicate job, never a partial file.

The faults (the emulator's ``FAULT_KINDS``) include hostile and broken answers: compressed
bodies (honest and broken), chunked answers cut off with no length, gzip bombs, JSON nested
100,000 deep, answers dripped a chunk at a time."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from openai_videos import APIError, OpenAIVideos
from openai_videos_emulator import FAULT_KINDS, EmulatorConfig, FaultPlan, run_emulator

FAULTS = sorted(FAULT_KINDS)  # every kind the emulator can inject
TYPED_ERRORS = (APIError,)  # the documented base of every request failure
READ_TIMEOUT = 0.4
SLOW = 0.8
MAX_RETRIES = 2
JOB_CREATING = {"create", "remix", "edit", "extend"}
READS = {"retrieve", "list", "download_content", "get_character"}
# Faults that one retry cures for a read (GET is idempotent): the right answer is success.
RECOVERABLE_READ = frozenset(
    {"429", "500", "503", "500_after", "drop", "drop_after", "slow", "truncate", "cut_chunked",
     "gzip"}
)  # fmt: skip
MUST_RECOVER = {
    "download_to": RECOVERABLE_READ | {"splice", "empty"},  # resumed or started over
    "create": frozenset({"429", "503", "gzip"}),  # refused before acting: sent again
    "check": frozenset(FAULT_KINDS),  # a report whatever happens
}


class World:
    """One emulator, a completed source video, and a fault plan the tests script."""

    def __init__(self, server: Any, plan: FaultPlan, source_id: str, clip: bytes) -> None:
        self.server, self.plan, self.source_id, self.clip = server, plan, source_id, clip

    def client(self) -> OpenAIVideos:
        client = OpenAIVideos(
            base_url=self.server.base_url, timeout=READ_TIMEOUT, max_retries=MAX_RETRIES
        )
        client._sleep = lambda seconds: (
            None
        )  # retries at once: the matrix checks decisions, not delays
        return client

    def finished_video(self, client: OpenAIVideos) -> str:
        return client.create_and_poll("Fresh", poll_interval=0.02).id


@pytest.fixture(scope="module")
def world() -> Iterator[World]:
    plan = FaultPlan(slow_seconds=SLOW)
    with run_emulator(EmulatorConfig(job_seconds=0.05, render_fps=1, faults=plan)) as server:
        with OpenAIVideos(base_url=server.base_url) as client:
            source = client.create_and_poll("Source", poll_interval=0.02)
            clip = client.download_content(source.id)
        yield World(server, plan, source.id, clip)


Operation = Callable[[OpenAIVideos, World, Path], tuple[str, str, Any]]


def op_create(c: OpenAIVideos, w: World, _: Path) -> tuple[str, str, Any]:
    return "POST", "/v1/videos", lambda: c.create("Faulty")


def op_retrieve(c: OpenAIVideos, w: World, _: Path) -> tuple[str, str, Any]:
    return "GET", f"/v1/videos/{w.source_id}", lambda: c.retrieve(w.source_id)


def op_list(c: OpenAIVideos, w: World, _: Path) -> tuple[str, str, Any]:
    return "GET", "/v1/videos", lambda: c.list(limit=5).first_page()


def op_delete(c: OpenAIVideos, w: World, _: Path) -> tuple[str, str, Any]:
    video_id = w.finished_video(c)
    return "DELETE", f"/v1/videos/{video_id}", lambda: c.delete(video_id)


def op_download_content(c: OpenAIVideos, w: World, _: Path) -> tuple[str, str, Any]:
    return "GET", f"/v1/videos/{w.source_id}/content", lambda: c.download_content(w.source_id)


def op_download_to(c: OpenAIVideos, w: World, tmp: Path) -> tuple[str, str, Any]:
    return (
        "GET",
        f"/v1/videos/{w.source_id}/content",
        lambda: c.download_to(w.source_id, tmp / "out.mp4"),
    )


def op_remix(c: OpenAIVideos, w: World, _: Path) -> tuple[str, str, Any]:
    return "POST", f"/v1/videos/{w.source_id}/remix", lambda: c.remix(w.source_id, prompt="Again")


def op_edit(c: OpenAIVideos, w: World, _: Path) -> tuple[str, str, Any]:
    return "POST", "/v1/videos/edits", lambda: c.edit(w.source_id, prompt="Edited")


def op_extend(c: OpenAIVideos, w: World, _: Path) -> tuple[str, str, Any]:
    return (
        "POST",
        "/v1/videos/extensions",
        lambda: c.extend(w.source_id, prompt="Longer", seconds=4),
    )


def op_create_character(c: OpenAIVideos, w: World, _: Path) -> tuple[str, str, Any]:
    return "POST", "/v1/videos/characters", lambda: c.create_character(video=w.clip, name="Mochi")


def op_get_character(c: OpenAIVideos, w: World, _: Path) -> tuple[str, str, Any]:
    character_id = c.create_character(video=w.clip, name="Mochi").id
    return "GET", f"/v1/videos/characters/{character_id}", lambda: c.get_character(character_id)


def op_check(c: OpenAIVideos, w: World, _: Path) -> tuple[str, str, Any]:
    from openai_videos._check import run_check

    def check() -> Any:
        report = run_check(w.server.base_url)
        json.dumps(report.to_json(), allow_nan=False)  # whatever the fault: one strict report
        return report

    return "GET", "/v1/videos", check


OPERATIONS = [
    op_create,
    op_retrieve,
    op_list,
    op_delete,
    op_download_content,
    op_download_to,
    op_remix,
    op_edit,
    op_extend,
    op_create_character,
    op_get_character,
    op_check,
]


@pytest.mark.parametrize("fault", FAULTS)
@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: op.__name__.removeprefix("op_"))
def test_fault_matrix(world: World, tmp_path: Path, operation: Operation, fault: str) -> None:
    name = operation.__name__.removeprefix("op_")
    with world.client() as client:
        method, path, call = operation(client, world, tmp_path)
        jobs_before = world.server.jobs_created
        world.plan.script(method, path, fault)
        injected_before = world.plan.injected
        started = time.monotonic()
        try:
            result = call()
        except TYPED_ERRORS:
            result = None
        elapsed = time.monotonic() - started
    assert world.plan.injected == injected_before + 1, "the fault was not reached"
    # bounded: every attempt ends within the read timeout plus the injected delay
    assert elapsed < (MAX_RETRIES + 1) * (READ_TIMEOUT + SLOW) + 2
    if fault == "gzip":  # an honest gateway: compressed answers (201 for a create) must work
        assert result is not None, f"{name} failed on a gzip-compressed answer"
    if fault in MUST_RECOVER.get(name, RECOVERABLE_READ if name in READS else ()):
        assert result is not None, f"{name} gave up on {fault}, which a retry or resume cures"
    created = world.server.jobs_created - jobs_before
    if name in JOB_CREATING:
        assert created <= 1, f"{created} jobs created for one {name}"
        if result is not None:
            assert created == 1
    else:
        assert created == 0
    if name == "download_to":
        leftovers = sorted(p.name for p in tmp_path.iterdir())
        assert leftovers == (["out.mp4"] if result is not None else [])
        if result is not None:
            assert (tmp_path / "out.mp4").read_bytes() == world.clip
    if name == "download_content" and result is not None:
        assert result == world.clip
    world.plan._scripts.clear()  # a fault the call never reached must not leak into the next test


def test_every_fault_kind_has_an_answer() -> None:
    from openai_videos_emulator._injection import AFTER_ACTING, BEFORE_ACTING

    assert {*BEFORE_ACTING, *AFTER_ACTING, "slow"} == set(FAULT_KINDS)
