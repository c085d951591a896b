"""Crash-safe batch runs on the SQLite store: write-ahead steps, resume, SIGKILL at random."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from openai_videos import AsyncOpenAIVideos
from openai_videos._batch import (
    BatchLocked,
    Limits,
    RunMismatch,
    open_store,
    read_prompts,
    run_batch,
)
from openai_videos_emulator import EmulatorConfig, run_emulator
from openai_videos_emulator import probe_video as probe

PROMPTS = [{"prompt": f"Scene {i}"} for i in range(6)] + [{"prompt": "Broken [fail]"}]


def write_prompts(path: Path, entries: list[dict[str, str]]) -> Path:
    path.write_text("".join(json.dumps(entry) + "\n" for entry in entries))
    return path


def batch(
    server: Any, out: Path, entries: list[dict[str, str]] = PROMPTS, concurrency: int = 3
) -> Any:
    async def go() -> Any:
        async with AsyncOpenAIVideos(base_url=server.base_url) as client:
            return await run_batch(client, entries, out, concurrency=concurrency)

    return asyncio.run(go())


@pytest.fixture
def server() -> Any:
    with run_emulator(EmulatorConfig(job_seconds=0.4, render_fps=2)) as running:
        yield running


def test_batch_downloads_every_success_and_reports_failures(server: Any, tmp_path: Path) -> None:
    report = batch(server, tmp_path)
    assert len(report.downloaded) == 6 and not report.ok
    assert [item.prompt for item in report.failed] == ["Broken [fail]"]
    assert report.failed[0].error is not None and "moderation_blocked" in report.failed[0].error
    files = sorted(p.name for p in tmp_path.glob("*.mp4"))
    assert len(files) == 6 and all(probe((tmp_path / f).read_bytes())[0] == 4.0 for f in files)
    assert server.jobs_created == 7


def test_finished_batch_resumes_as_a_no_op(server: Any, tmp_path: Path) -> None:
    batch(server, tmp_path)
    requests_before = (server.jobs_created, server.app.content_requests)
    batch(server, tmp_path)
    assert (server.jobs_created, server.app.content_requests) == requests_before


def _sql(out: Path, statement: str, *params: Any) -> list[Any]:
    import sqlite3

    with contextlib.closing(sqlite3.connect(out / "batch.sqlite3")) as connection, connection:
        return connection.execute(statement, params).fetchall()


def test_a_file_already_complete_is_not_fetched_again(server: Any, tmp_path: Path) -> None:
    batch(server, tmp_path, PROMPTS[:2])
    # as if killed after the atomic rename but before the store said so
    _sql(tmp_path, "UPDATE batch_items SET status = 'completed', file = NULL WHERE idx = 0")
    before = server.app.content_requests
    batch(server, tmp_path, PROMPTS[:2])
    assert server.app.content_requests == before
    assert _sql(tmp_path, "SELECT status FROM batch_items WHERE idx = 0") == [("downloaded",)]


def test_pending_item_resends_its_saved_idempotency_key(server: Any, tmp_path: Path) -> None:
    store = open_store(None, tmp_path)
    store.open_run(PROMPTS[:1], Limits())
    key = next(iter(store.items())).idempotency_key
    store.close()
    # as if killed after the create request reached the server, before its answer was saved
    with __import__("httpx").Client() as http:
        http.post(
            f"{server.base_url}/videos",
            json={"prompt": "Scene 0"},
            headers={"Idempotency-Key": key},
        )
    batch(server, tmp_path, PROMPTS[:1])
    assert server.jobs_created == 1


def test_a_run_of_another_prompt_file_is_refused(server: Any, tmp_path: Path) -> None:
    batch(server, tmp_path, PROMPTS[:1])
    with pytest.raises(RunMismatch, match="belongs to another prompts file"):
        batch(server, tmp_path, PROMPTS[2:4])


def test_a_second_process_on_the_same_directory_is_refused(server: Any, tmp_path: Path) -> None:
    import fcntl

    tmp_path.mkdir(exist_ok=True)
    with (tmp_path / ".batch.lock").open("a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)  # as the first process holds it
        with pytest.raises(BatchLocked, match="another openai-videos batch is running"):
            batch(server, tmp_path, PROMPTS[:1])
    assert server.jobs_created == 0


def test_status_and_retry_operate_a_run(server: Any, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from openai_videos._cli import cli

    batch(server, tmp_path)  # six downloaded, one failed ([fail])
    runner = CliRunner()
    shown = runner.invoke(cli, ["--json", "batch", "status", "--out", str(tmp_path)])
    status = json.loads(shown.stdout)
    assert {k: v for k, v in status["counts"].items() if v} == {"downloaded": 6, "failed": 1}
    assert status["total"] == 7 and status["uncertain"] == []
    assert "moderation_blocked" in status["failures"][0]["error"]
    assert status["per_minute"] > 0 and status["minutes_left"] == 0
    retried = runner.invoke(cli, ["--json", "batch", "retry", "--out", str(tmp_path)])
    assert json.loads(retried.stdout) == {"retried": 1}
    report = batch(server, tmp_path)
    assert server.jobs_created == 8  # the failed job was created once more, with a new key
    assert len(report.failed) == 1  # and failed again ([fail] is in its prompt)


def test_stale_partial_downloads_are_removed(server: Any, tmp_path: Path) -> None:
    stale = tmp_path / ".0000-video_x.mp4.0123456789ab.part"
    stale.parent.mkdir(exist_ok=True)
    stale.write_bytes(b"half")
    batch(server, tmp_path, PROMPTS[:1])
    assert not stale.exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "no prompts"),
        ("{nope\n", "not JSON"),
        ('{"text": "x"}\n', "expected"),
        ('{"prompt": "x", "colour": 1}\n', "unknown fields"),
    ],
)
def test_bad_prompt_files_are_clear_errors(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "p.jsonl"
    path.write_text(text)
    with pytest.raises(ValueError, match=message):
        read_prompts(path)


def jobs_per_prompt(server: Any) -> dict[str, int]:
    """How many jobs the emulator made for each prompt."""
    counts: dict[str, int] = {}
    for job in server.app.store.jobs.values():
        counts[job.prompt] = counts.get(job.prompt, 0) + 1
    return counts


def run_killed_batches(
    tmp_path: Path, kills: int, seed: int, profile: str = "openai"
) -> tuple[Any, int]:
    """Start the batch command again and again, SIGKILL it at random moments, then finish it.

    On a server that honours Idempotency-Key every prompt ends with exactly one job; on one
    that ignores it (``ignores-idempotency``) a create killed in flight may be parked as
    uncertain, but no prompt ever gets a second job. Items parked before the store learned
    that an honest server echoes the key are re-sent with ``retry --uncertain`` (same key).
    """
    rng = random.Random(seed)
    prompts = write_prompts(tmp_path / "prompts.jsonl", PROMPTS)
    out = tmp_path / "out"
    # 1.5-second jobs: a run takes several seconds, so kills land at every stage
    with run_emulator(EmulatorConfig(job_seconds=1.5, render_fps=2, profile=profile)) as server:
        command = [
            sys.executable,
            "-m",
            "openai_videos",
            "--base-url",
            server.base_url,
            "batch",
            str(prompts),
            "--out",
            str(out),
            "--concurrency",
            "3",
        ]
        env = {**os.environ, "OPENAI_API_KEY": ""}
        killed = 0
        for _ in range(kills):
            process = subprocess.Popen(
                command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
            time.sleep(rng.uniform(0.3, 2.0))
            if process.poll() is None:
                process.kill()
                killed += 1
            process.wait(timeout=30)
        final_command = [*command[:3], "--json", *command[3:]]  # --json is a global option
        if profile == "openai":
            retry = [*command[:5], "batch", "retry", "--uncertain", "--out", str(out)]
            subprocess.run(retry, env=env, capture_output=True, timeout=60, check=True)
        final = subprocess.run(
            final_command, env=env, capture_output=True, text=True, timeout=120, check=False
        )
        assert final.returncode == 1, final.stderr  # the [fail] prompt fails
        summary = json.loads(final.stdout)
        assert max(jobs_per_prompt(server).values()) == 1, "a prompt was paid for twice"
        files = sorted(out.glob("*.mp4"))
        uncertain = len(summary["uncertain"])
        assert len(summary["downloaded"]) + uncertain + len(summary["failed"]) == len(PROMPTS)
        assert all("[fail]" in failed["prompt"] for failed in summary["failed"])
        if profile == "openai":
            assert uncertain == 0 and server.jobs_created == len(PROMPTS)
            assert len(summary["downloaded"]) == 6
        assert [f.name for f in files] == sorted(summary["downloaded"])
        assert all(probe(f.read_bytes())[:3] == (4.0, 720, 1280) for f in files)
        assert not list(out.glob(".*.part")) and not list(out.glob(".*.tmp"))
        statuses = [status for (status,) in _sql(out, "SELECT status FROM batch_items")]
        assert statuses.count("downloaded") == len(files)
        return server, killed


def test_sigkill_at_random_points_then_resume(tmp_path: Path) -> None:
    _, killed = run_killed_batches(tmp_path, kills=6, seed=7)
    assert killed >= 3  # most runs really were killed mid-flight


def test_sigkill_against_a_server_ignoring_the_key_never_pays_twice(tmp_path: Path) -> None:
    _, killed = run_killed_batches(tmp_path, kills=6, seed=3, profile="ignores-idempotency")
    assert killed >= 3


@pytest.mark.slow
@pytest.mark.parametrize("profile", ["openai", "ignores-idempotency"])
@pytest.mark.parametrize("seed", range(5))
def test_sigkill_soak(tmp_path: Path, seed: int, profile: str) -> None:
    run_killed_batches(tmp_path, kills=15, seed=seed, profile=profile)
