"""A batch's progress tells the truth (issue 21): it counts the whole run from the store (every
worker, resumed items included), equals the store at every report, shows up as plain lines
without a terminal, agrees with ``batch status``; a server's request limit pauses every
worker's creates, not only the refused one."""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import time
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from openai_videos import AsyncOpenAIVideos
from openai_videos._batch import RunStatus, open_store, run_batch
from openai_videos._batch._sqlite import SQLiteStore
from openai_videos._batch._store import ItemStatus, Limits
from openai_videos._cli import cli
from openai_videos_emulator import EmulatorConfig, run_emulator

PROMPTS = [{"prompt": f"Scene {i}"} for i in range(6)]


def _run(url: str, out: Path, **options: Any) -> Any:
    async def go() -> Any:
        async with AsyncOpenAIVideos(base_url=url) as client:
            return await run_batch(client, PROMPTS, out, **options)

    return asyncio.run(go())


def test_every_report_equals_the_store_at_that_moment(tmp_path: Path) -> None:
    reports: list[tuple[RunStatus, RunStatus]] = []

    def on_progress(status: RunStatus) -> None:
        # a second connection, as `batch status` in another terminal would read it
        with contextlib.closing(SQLiteStore(tmp_path / "batch.sqlite3", "default")) as other:
            reports.append((status, other.status(details=False)))

    config = EmulatorConfig(job_seconds=0.5, render_fps=2)
    with run_emulator(config) as server:
        report = _run(server.base_url, tmp_path, concurrency=3, on_progress=on_progress,
                      progress_every=0.05)  # fmt: skip
    assert report.ok and len(reports) >= 5
    for shown, stored in reports:
        assert shown.counts == stored.counts and shown.in_flight == stored.in_flight
        assert shown.total == len(PROMPTS) == sum(shown.counts.values())
        assert shown.queued >= 0 and shown.in_flight <= 3
    done = [shown.count(ItemStatus.DOWNLOADED) for shown, _ in reports]
    assert done == sorted(done)  # never goes back
    assert any(shown.in_flight > 0 for shown, _ in reports)  # it saw work under way


def test_a_resumed_run_counts_what_earlier_runs_did(tmp_path: Path) -> None:
    with run_emulator(EmulatorConfig(job_seconds=0.1, render_fps=2)) as server:
        _run(server.base_url, tmp_path)
        seen: list[RunStatus] = []
        report = _run(server.base_url, tmp_path, on_progress=seen.append)
        assert server.jobs_created == len(PROMPTS)
    assert seen and all(s.count(ItemStatus.DOWNLOADED) == len(PROMPTS) for s in seen)
    assert report.status is not None and report.status.remaining == 0
    assert report.status.line().startswith(f"{len(PROMPTS)}/{len(PROMPTS)} done, 0 failed")


def test_without_a_terminal_progress_is_plain_lines_and_agrees_with_status(
    tmp_path: Path,
) -> None:
    prompts = tmp_path / "prompts.jsonl"
    prompts.write_text("".join(json.dumps(p) + "\n" for p in PROMPTS), encoding="utf-8")
    out = tmp_path / "out"
    runner = CliRunner()
    with run_emulator(EmulatorConfig(job_seconds=0.8, render_fps=2)) as server:
        ran = runner.invoke(
            cli,
            ["--base-url", server.base_url, "batch", "run", str(prompts), "--out", str(out),
             "--concurrency", "2", "--progress-every", "0.2"],
        )  # fmt: skip
    assert ran.exit_code == 0, ran.output
    lines = [line for line in ran.stderr.splitlines() if line.startswith("batch default: ")]
    assert len(lines) >= 3  # steady lines while it ran, then the summary
    assert any(" in flight" in line and "queued" in line for line in lines)
    pattern = re.compile(
        r"(\d+)/6 done, (\d+) failed, (\d+) uncertain, (\d+) in flight, (\d+) queued"
    )
    for line in lines:
        found = pattern.search(line)
        assert found is not None and sum(int(n) for n in found.groups()) == 6
    status = runner.invoke(cli, ["batch", "status", "--out", str(out)])
    final = lines[-1].removeprefix("batch default: ")
    assert final == "6/6 done, 0 failed, 0 uncertain, 0 in flight, 0 queued"
    assert final in status.stdout
    assert f"this process downloaded 6 into {out}" in ran.stderr


def test_the_rate_is_over_the_time_the_run_has_worked(tmp_path: Path) -> None:
    """Four videos in a few seconds are a few dozen a minute, not 0.4 (an average over a
    fixed ten minutes)."""
    with run_emulator(EmulatorConfig(job_seconds=0.1, render_fps=2)) as server:
        report = _run(server.base_url, tmp_path)
    assert report.status is not None
    assert report.status.window_seconds < 60
    assert report.status.per_minute > 10


def test_a_request_limit_pauses_every_workers_creates(tmp_path: Path) -> None:
    """A 429 with Retry-After for one worker's create holds back the next create of every
    worker (they share the store), while jobs already made are still followed."""
    prompts = [{"prompt": f"P{i}"} for i in range(3)]
    with contextlib.closing(SQLiteStore(tmp_path / "s.sqlite3", "run")) as store:
        store.open_run(prompts, Limits())
        made = store.claim("worker-b", 30.0, time.time())
        assert made is not None
        store.record("worker-b", made, ItemStatus.CREATED, video_id="video_b")
        refused = store.claim("worker-a", 30.0, time.time())
        assert refused is not None and refused.status == ItemStatus.PENDING
        store.release("worker-b", made, "poll later", 0.0)
        store.defer("worker-a", refused, 30.0)  # the server said: come back in 30 s
        time.sleep(0.05)  # the released item's lease is over
        again = store.claim("worker-c", 30.0, time.time())
        assert again is not None and again.index == made.index  # its job is followed
        assert store.claim("worker-c", 30.0, time.time()) is None  # but no new create, from anyone
        status = store.status()
        assert status.in_flight == 1 and status.queued == 2  # a deferred create is queued


def test_the_cli_status_shows_the_learned_cap(tmp_path: Path) -> None:
    config = EmulatorConfig(job_seconds=0.6, render_fps=2, max_running_jobs=2)
    prompts = [{"prompt": f"P{i}"} for i in range(6)]
    with run_emulator(config) as server:

        async def go() -> Any:
            async with AsyncOpenAIVideos(base_url=server.base_url) as client:
                return await run_batch(client, prompts, tmp_path, concurrency=5)

        asyncio.run(go())
    shown = CliRunner().invoke(cli, ["--json", "batch", "status", "--out", str(tmp_path)])
    data = json.loads(shown.stdout)
    assert data["learned_cap"] == 2 and data["cap"] == 2 and data["queued"] == 0
    with contextlib.closing(open_store(None, tmp_path, create=False)) as store:
        assert store.status().cap == 2
