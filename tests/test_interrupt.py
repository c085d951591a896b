"""Interruption tells the truth (issue 19): Ctrl-C or SIGTERM while a paid job runs prints its
id, its last status and how to pick it up; an interrupted batch says its jobs are kept.

Real processes, real signals, against the emulator on loopback."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from openai_videos._cli import EXIT_INTERRUPTED
from openai_videos_emulator import EmulatorConfig, run_emulator


@pytest.fixture
def slow_server() -> Iterator[Any]:
    with run_emulator(EmulatorConfig(job_seconds=60, render_fps=2)) as server:
        yield server


def start(server: Any, *args: str) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "openai_videos", "--base-url", server.base_url, *args]
    env = {**os.environ, "OPENAI_API_KEY": ""}
    return subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def wait_for_jobs(server: Any, count: int) -> None:
    deadline = time.monotonic() + 20
    while server.jobs_created < count:
        assert time.monotonic() < deadline, "the jobs were never created"
        time.sleep(0.05)
    time.sleep(0.5)  # the answers reach the process, which starts waiting


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_create_wait_interrupted_prints_the_job_as_json(slow_server: Any, signum: int) -> None:
    process = start(slow_server, "--json", "create", "A long one", "--wait")
    wait_for_jobs(slow_server, 1)
    process.send_signal(signum)
    stdout, stderr = process.communicate(timeout=20)
    assert process.returncode == EXIT_INTERRUPTED, stderr
    shown = json.loads(stdout)
    (job_id,) = slow_server.app.store.jobs
    assert shown["interrupted"] is True and shown["id"] == job_id
    assert shown["status"] in {"queued", "in_progress"}
    assert shown["resume"] == f"openai-videos wait {job_id}"


def test_create_wait_interrupted_says_how_to_pick_it_up(slow_server: Any, tmp_path: Path) -> None:
    process = start(slow_server, "create", "A long one", "--download", str(tmp_path))
    wait_for_jobs(slow_server, 1)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=20)
    (job_id,) = slow_server.app.store.jobs
    assert process.returncode == EXIT_INTERRUPTED
    assert f"job {job_id} goes on on the server" in stderr and "billed" in stderr
    assert f"openai-videos wait {job_id} --download {tmp_path}" in " ".join(stderr.split())


def test_an_interrupted_batch_says_its_jobs_are_kept(slow_server: Any, tmp_path: Path) -> None:
    prompts = tmp_path / "prompts.jsonl"
    prompts.write_text("".join(json.dumps({"prompt": f"P{i}"}) + "\n" for i in range(5)))
    out = tmp_path / "out"
    process = start(slow_server, "--json", "batch", str(prompts), "--out", str(out),
                    "--concurrency", "2")  # fmt: skip
    wait_for_jobs(slow_server, 2)
    process.send_signal(signal.SIGTERM)
    stdout, stderr = process.communicate(timeout=30)
    assert process.returncode == EXIT_INTERRUPTED, stderr
    shown = json.loads(stdout)
    assert shown["interrupted"] is True and shown["in_flight"] == 2
    assert "run the same command again" in shown["message"]
    assert slow_server.jobs_created == 2
