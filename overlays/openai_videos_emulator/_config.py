"""Emulator settings."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import attrs

from ._faults import FaultPlan

__all__ = ["EmulatorConfig"]


@attrs.frozen(kw_only=True)
class EmulatorConfig:
    """How the emulator behaves.

    Attributes:
        api_key: If set, every request must carry it (``Authorization: Bearer ...``) or gets 401.
        job_seconds: Time a job takes from ``queued`` to ``completed`` (fast by default).
        render_fps: Frame rate of rendered MP4s; size and duration are always the job's own.
        fail_marker: A prompt containing this text makes the job fail as moderation refusals do
            (``error.code`` ``moderation_blocked``).
        error_marker: A prompt containing this text makes the job fail for another reason
            (``error.code`` ``internal_error``).
        data_dir: Persist jobs and assets here across restarts (in memory when None).
        profile: Which server to imitate: ``openai`` or one of ``PROFILES`` (compatibility tests).
        faults: Injected failures (rates or scripted sequences); none by default.
        clock: Wall-clock seconds, injectable for tests.
        max_request_bytes: The largest request body accepted; larger ones get 413.
        reuse_renders: Render each (size, seconds) once, without the prompt text, and serve it
            to every job of that shape: a fast mode for load tests of thousands of jobs.
        max_running_jobs: At most this many jobs queued or in progress at once; a create
            beyond gets 429 ``too_many_running_tasks`` (as relays refuse a key's fourth
            concurrent task, TheSmallHanCat/sora2api issue 46). None: the profile's setting.
        requests_per_minute: At most this many API requests in any 60 s; beyond, 429
            ``rate_limit_exceeded`` with ``Retry-After``. None: the profile's setting.
    """

    api_key: str | None = None
    job_seconds: float = 3.0
    render_fps: int = 12
    fail_marker: str = "[fail]"
    error_marker: str = "[error]"
    data_dir: Path | None = None
    profile: str = "openai"
    faults: FaultPlan = attrs.field(factory=FaultPlan)
    clock: Callable[[], float] = time.time
    max_request_bytes: int = 64 * 2**20
    reuse_renders: bool = False
    max_running_jobs: int | None = None
    requests_per_minute: int | None = None

    def __attrs_post_init__(self) -> None:
        if self.job_seconds < 0:
            msg = f"job_seconds must be >= 0, but received {self.job_seconds!r}"
            raise ValueError(msg)
        if not 1 <= self.render_fps <= 60:
            msg = f"render_fps must be from 1 to 60, but received {self.render_fps!r}"
            raise ValueError(msg)

    def __repr__(self) -> str:  # never show the key
        shown = "'***'" if self.api_key else "None"
        return f"EmulatorConfig(api_key={shown}, job_seconds={self.job_seconds}, profile={self.profile!r})"
