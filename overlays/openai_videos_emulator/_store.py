"""Jobs, characters and assets of the emulator, in memory or persisted to a data directory.

A job's status follows from the time since it was created: ``queued`` for the first tenth of
``job_seconds``, then ``in_progress`` with rising ``progress``, then ``completed`` (or
``failed``, when its prompt carried the fail marker). Nothing runs in the background.
"""

from __future__ import annotations

import json
import os
import secrets
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs

from ._media import Assets, render

__all__ = ["Character", "Job", "JobStore"]

ASSET_LIFETIME = 24 * 3600
FAILURES = {
    "moderation": {
        "code": "moderation_blocked",
        "message": "The prompt was flagged by the emulator's fail marker.",
    },
    "error": {"code": "internal_error", "message": "The emulator failed to render (error marker)."},
}
VARIANTS = ("video", "thumbnail", "spritesheet")


@attrs.define
class Job:
    """One video job, as stored."""

    id: str
    model: str
    prompt: str | None
    size: str
    seconds: str
    created_at: float
    remixed_from_video_id: str | None = None
    will_fail: bool = False
    deleted: bool = False
    failure: str = "moderation"  # how a failing job fails: "moderation" or "error"
    extras: dict[str, Any] = attrs.field(factory=dict)  # create fields the server shows back

    def state(self, now: float, job_seconds: float) -> tuple[str, int]:
        """Status and progress at ``now``."""
        elapsed = now - self.created_at
        if elapsed >= job_seconds:
            return ("failed", 100) if self.will_fail else ("completed", 100)
        if elapsed < job_seconds / 10:
            return "queued", 0
        return "in_progress", min(99, int(100 * elapsed / job_seconds))

    def to_json(self, now: float, job_seconds: float) -> dict[str, Any]:
        """The job as the API shows it."""
        status, progress = self.state(now, job_seconds)
        done_at = int(self.created_at + job_seconds) if status in {"completed", "failed"} else None
        error = None
        if status == "failed":
            error = FAILURES.get(self.failure, FAILURES["error"])
        return {
            "id": self.id,
            "object": "video",
            "model": self.model,
            "status": status,
            "progress": progress,
            "created_at": int(self.created_at),
            "completed_at": done_at,
            "expires_at": done_at + ASSET_LIFETIME if done_at and status == "completed" else None,
            "prompt": self.prompt,
            "size": self.size,
            "seconds": self.seconds,
            "remixed_from_video_id": self.remixed_from_video_id,
            "error": error,
            **self.extras,
        }


@attrs.define
class Character:
    """A character made from an uploaded video."""

    id: str
    name: str
    created_at: int

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "created_at": self.created_at}


class JobStore:
    """Thread-safe storage; writes ``state.json`` atomically after every change when persisted."""

    def __init__(
        self,
        clock: Callable[[], float],
        data_dir: Path | None = None,
        *,
        reuse_renders: bool = False,
    ) -> None:
        self.clock = clock
        self.data_dir = data_dir
        self.reuse_renders = reuse_renders
        self._renders: dict[tuple[str, str, int], Assets] = {}
        self.jobs: dict[str, Job] = {}
        self.characters: dict[str, Character] = {}
        self.idempotency: dict[str, str] = {}
        self.jobs_created = 0
        self._assets: dict[str, Assets] = {}
        self._lock = threading.RLock()
        self._render_locks: dict[str, threading.Lock] = {}
        if data_dir is not None:
            (data_dir / "assets").mkdir(parents=True, exist_ok=True)
            self._load()

    # -- jobs ------------------------------------------------------------------------------------

    def create_job(
        self,
        *,
        model: str,
        prompt: str | None,
        size: str,
        seconds: str,
        will_fail: bool,
        failure: str = "moderation",
        remixed_from_video_id: str | None = None,
        idempotency_key: str | None = None,
        extras: dict[str, Any] | None = None,
    ) -> tuple[Job, bool]:
        """A new job, or the one already made for ``idempotency_key``; the flag says if new."""
        with self._lock:
            if idempotency_key and idempotency_key in self.idempotency:
                return self.jobs[self.idempotency[idempotency_key]], False
            job = Job(
                id=f"video_{secrets.token_hex(16)}",
                model=model,
                prompt=prompt,
                size=size,
                seconds=seconds,
                created_at=self.clock(),
                remixed_from_video_id=remixed_from_video_id,
                will_fail=will_fail,
                failure=failure,
                extras=dict(extras or {}),
            )
            self.jobs[job.id] = job
            self.jobs_created += 1
            if idempotency_key:
                self.idempotency[idempotency_key] = job.id
            self._save()
            return job, True

    def get(self, video_id: str) -> Job | None:
        """A job that exists and is not deleted."""
        job = self.jobs.get(video_id)
        return job if job is not None and not job.deleted else None

    def running(self, now: float, job_seconds: float) -> int:
        """How many jobs are queued or in progress at ``now``."""
        with self._lock:
            return sum(
                1
                for job in self.jobs.values()
                if not job.deleted and now - job.created_at < job_seconds
            )

    def peak_in_flight(self, job_seconds: float) -> int:
        """The most jobs that were running (created, not yet finished) at any one moment."""
        with self._lock:
            starts = sorted(job.created_at for job in self.jobs.values())
        events = sorted([(start, 1) for start in starts] + [(s + job_seconds, -1) for s in starts])
        peak = running = 0
        for _, change in events:  # at a tie, a finish (-1) sorts before a start (+1)
            running += change
            peak = max(peak, running)
        return peak

    def page(self, *, order: str, after: str | None, limit: int) -> tuple[list[Job], bool]:
        """Jobs by creation time (``desc`` newest first) after the cursor; and whether more follow."""
        with self._lock:
            jobs = [job for job in self.jobs.values() if not job.deleted]
        if order == "desc":
            jobs.reverse()
        if after is not None:
            ids = [job.id for job in jobs]
            jobs = jobs[ids.index(after) + 1 :] if after in ids else []
        return jobs[:limit], len(jobs) > limit

    def delete(self, job: Job) -> None:
        """Mark deleted and drop its assets."""
        with self._lock:
            job.deleted = True
            self._assets.pop(job.id, None)
            self._save()
        if self.data_dir is not None:
            for variant in VARIANTS:
                (self.data_dir / "assets" / f"{job.id}.{variant}").unlink(missing_ok=True)

    # -- assets ----------------------------------------------------------------------------------

    def asset(self, job: Job, variant: str, fps: int) -> bytes:
        """One variant of a completed job, rendered on first request and cached."""
        with self._lock:
            lock = self._render_locks.setdefault(job.id, threading.Lock())
        with lock:
            assets = self._assets.get(job.id) or self._load_assets(job.id)
            if assets is None and self.reuse_renders:
                assets = self._renders.get((job.size, job.seconds, fps))
            if assets is None:
                width, height = (int(n) for n in job.size.split("x"))
                prompt = "" if self.reuse_renders else job.prompt or ""
                assets = render(prompt, width, height, float(job.seconds), fps)
                self._save_assets(job.id, assets)
                if self.reuse_renders:
                    self._renders[(job.size, job.seconds, fps)] = assets
            self._assets[job.id] = assets
        data: bytes = getattr(assets, variant)
        return data

    def _load_assets(self, video_id: str) -> Assets | None:
        if self.data_dir is None:
            return None
        paths = [self.data_dir / "assets" / f"{video_id}.{variant}" for variant in VARIANTS]
        if not all(path.exists() for path in paths):
            return None
        return Assets(*(path.read_bytes() for path in paths))

    def _save_assets(self, video_id: str, assets: Assets) -> None:
        if self.data_dir is None:
            return
        for variant in VARIANTS:
            _atomic_write(
                self.data_dir / "assets" / f"{video_id}.{variant}", getattr(assets, variant)
            )

    # -- characters ------------------------------------------------------------------------------

    def create_character(self, name: str) -> Character:
        with self._lock:
            character = Character(
                id=f"char_{secrets.token_hex(12)}", name=name, created_at=int(self.clock())
            )
            self.characters[character.id] = character
            self._save()
            return character

    # -- persistence -----------------------------------------------------------------------------

    def _save(self) -> None:
        if self.data_dir is None:
            return
        state = {
            "jobs": [attrs.asdict(job) for job in self.jobs.values()],
            "characters": [attrs.asdict(c) for c in self.characters.values()],
            "idempotency": self.idempotency,
            "jobs_created": self.jobs_created,
        }
        _atomic_write(self.data_dir / "state.json", json.dumps(state).encode())

    def _load(self) -> None:
        assert self.data_dir is not None  # noqa: S101 - only called when persisting
        path = self.data_dir / "state.json"
        if not path.exists():
            return
        state = json.loads(path.read_text())
        self.jobs = {job["id"]: Job(**job) for job in state["jobs"]}
        self.characters = {c["id"]: Character(**c) for c in state["characters"]}
        self.idempotency = state["idempotency"]
        self.jobs_created = state["jobs_created"]


def _atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file, fsync'd, then renamed into place."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}.part")
    try:
        with temporary.open("wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
