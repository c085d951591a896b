"""Batch runs shared by many workers through a real PostgreSQL server (issue 14).

The server is started by the tests themselves (``tests/postgres.py``); nothing is mocked.
"""

from __future__ import annotations

import asyncio
import collections
import json
import os
import random
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from postgres import running_postgres

from openai_videos import AsyncOpenAIVideos
from openai_videos._batch import Limits, open_store, run_batch
from openai_videos_emulator import EmulatorConfig, FaultPlan, run_emulator
from openai_videos_emulator import probe_video as probe


@pytest.fixture(scope="module")
def database() -> Iterator[str]:
    with running_postgres() as url:
        yield url


@pytest.fixture
def run_name(request: pytest.FixtureRequest) -> str:
    return request.node.name.replace("[", "-").rstrip("]")


def prompts(count: int) -> list[dict[str, str]]:
    return [{"prompt": f"Scene {index}"} for index in range(count)]


async def worker(server: Any, out: Path, database: str, run: str, **options: Any) -> Any:
    async with AsyncOpenAIVideos(base_url=server.base_url) as client:
        return await run_batch(client, PROMPTS_12, out, store=database, run=run, **options)


PROMPTS_12 = prompts(12)


def test_workers_share_one_run_without_duplicates(
    database: str, run_name: str, tmp_path: Path
) -> None:
    with run_emulator(EmulatorConfig(job_seconds=0.3, render_fps=2)) as server:

        async def three_workers() -> list[Any]:
            return await asyncio.gather(
                *(worker(server, tmp_path, database, run_name, concurrency=3) for _ in range(3))
            )

        reports = asyncio.run(three_workers())
        assert server.jobs_created == 12
    assert all(len(report.downloaded) == 12 and report.ok for report in reports)
    files = sorted(tmp_path.glob("*.mp4"))
    assert len(files) == 12 and all(probe(f.read_bytes())[3] == "h264" for f in files)


def test_the_in_flight_cap_holds_across_workers(
    database: str, run_name: str, tmp_path: Path
) -> None:
    with run_emulator(EmulatorConfig(job_seconds=0.5, render_fps=2)) as server:

        async def three_workers() -> list[Any]:
            return await asyncio.gather(
                *(
                    worker(server, tmp_path, database, run_name, concurrency=4, max_in_flight=2)
                    for _ in range(3)
                )
            )

        reports = asyncio.run(three_workers())
        assert server.jobs_created == 12
        assert server.peak_in_flight == 2  # reached, never exceeded
    assert all(report.ok for report in reports)


def test_the_request_ceiling_is_shared_by_workers(database: str, run_name: str) -> None:
    first, second = (open_store(database, Path("unused"), run_name) for _ in range(2))
    try:
        first.open_run(prompts(2), Limits(requests_per_minute=5))
        second.open_run(prompts(2), Limits(requests_per_minute=5))
        waits = [store.take_request() for store in (first, second) * 3]
        assert waits[:5] == [0.0] * 5
        assert 55 < waits[5] <= 60  # the sixth request of the minute waits for the first
    finally:
        first.close()
        second.close()


def test_a_dead_workers_item_is_taken_over_after_its_lease(
    database: str, run_name: str, tmp_path: Path
) -> None:
    with run_emulator(EmulatorConfig(job_seconds=0.3, render_fps=2)) as server:
        dead = open_store(database, tmp_path, run_name)
        dead.open_run(prompts(1), Limits())
        item = dead.claim("dead-worker", lease_seconds=1.0, now=time.time())
        assert item is not None
        with __import__("httpx").Client() as http:  # it created the job, then died
            answer = http.post(
                f"{server.base_url}/videos",
                json={"prompt": item.prompt},
                headers={"Idempotency-Key": item.idempotency_key},
            ).json()
        dead.record("dead-worker", item, "created", video_id=answer["id"])
        dead.close()

        async def survivor() -> Any:
            async with AsyncOpenAIVideos(base_url=server.base_url) as client:
                return await run_batch(
                    client, prompts(1), tmp_path, store=database, run=run_name, lease_seconds=2
                )

        started = time.monotonic()
        report = asyncio.run(survivor())
        assert time.monotonic() - started >= 0.5  # it waited for the lease to run out
        assert server.jobs_created == 1  # re-attached to the saved job, no second one
    assert report.ok and report.downloaded[0].video_id == answer["id"]


def run_killed_workers(
    database: str,
    run: str,
    out: Path,
    *,
    seed: int,
    workers: int,
    kills: int,
    cap: int,
    profile: str = "openai",
) -> tuple[Any, int]:
    """Workers SIGKILLed at random moments and restarted, until the run is done.

    No prompt ever gets a second job. On a server that honours Idempotency-Key every prompt
    ends with a file (creates parked before the run saw the key echoed are re-sent with their
    key by ``retry --uncertain``); on one that ignores it, every item ends downloaded or
    uncertain.
    """
    rng = random.Random(seed)
    prompts_file = out.parent / "prompts.jsonl"
    entries = prompts(15)
    prompts_file.write_text("".join(json.dumps(entry) + "\n" for entry in entries))
    env = {**os.environ, "OPENAI_API_KEY": ""}
    with run_emulator(EmulatorConfig(job_seconds=1.0, render_fps=2, profile=profile)) as server:
        command = [
            sys.executable, "-m", "openai_videos", "--base-url", server.base_url, "batch",
            str(prompts_file), "--out", str(out), "--store", database, "--run", run,
            "--concurrency", "3", "--max-in-flight", str(cap), "--lease-seconds", "2",
        ]  # fmt: skip

        def start() -> subprocess.Popen[bytes]:
            return subprocess.Popen(
                command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )

        running = [start() for _ in range(workers)]
        killed = 0
        for _ in range(kills):
            time.sleep(rng.uniform(0.2, 1.2))
            victim = rng.randrange(workers)
            if running[victim].poll() is None:
                running[victim].kill()
                killed += 1
            running[victim].wait(timeout=30)
            running[victim] = start()
        codes = [process.wait(timeout=180) for process in running]
        assert set(codes) <= {0, 1}  # 1: some items are uncertain
        if profile == "openai" and 1 in codes:
            retry = [*command[:5], "batch", "retry", "--uncertain", "--out", str(out),
                     "--store", database, "--run", run]  # fmt: skip
            subprocess.run(retry, env=env, capture_output=True, timeout=60, check=True)
            assert start().wait(timeout=180) == 0
        per_prompt = collections.Counter(job.prompt for job in server.app.store.jobs.values())
        assert max(per_prompt.values()) == 1, "a prompt was paid for twice"
        if profile == "openai":
            assert server.jobs_created == len(entries), "a job was never created"
        assert server.peak_in_flight <= cap
    store = open_store(database, out, run)
    states = collections.Counter(item.status for item in store.items())
    store.close()
    files = sorted(out.glob("*.mp4"))
    assert states["downloaded"] == len(files) and states["downloaded"] + states["uncertain"] == 15
    if profile == "openai":
        assert len(files) == len(entries)
    assert len({int(f.name.split("-", 1)[0]) for f in files}) == len(files)
    assert all(probe(f.read_bytes())[:3] == (4.0, 720, 1280) for f in files)
    assert not list(out.glob(".*.part"))
    return server, killed


def test_workers_killed_at_random_lose_nothing(
    database: str, run_name: str, tmp_path: Path
) -> None:
    _, killed = run_killed_workers(
        database, run_name, tmp_path / "out", seed=11, workers=3, kills=8, cap=4
    )
    assert killed >= 4  # most kills hit a live worker


def test_workers_killed_against_a_server_ignoring_the_key_never_pay_twice(
    database: str, run_name: str, tmp_path: Path
) -> None:
    _, killed = run_killed_workers(
        database, run_name, tmp_path / "out", seed=5, workers=3, kills=8, cap=4,
        profile="ignores-idempotency",
    )  # fmt: skip
    assert killed >= 4


def test_three_workers_reconcile_creates_that_fail_after_acting(
    database: str, run_name: str, tmp_path: Path
) -> None:
    plan = (
        FaultPlan(seed=4)
        .rate("500_after", 0.3, method="POST")
        .rate("drop_after", 0.2, method="POST")
    )
    config = EmulatorConfig(
        job_seconds=0.3, render_fps=2, profile="ignores-idempotency", faults=plan
    )
    with run_emulator(config) as server:

        async def three_workers() -> list[Any]:
            return await asyncio.gather(
                *(worker(server, tmp_path, database, run_name, concurrency=3) for _ in range(3))
            )

        reports = asyncio.run(three_workers())
        assert plan.injected >= 3 and server.jobs_created == 12
    assert all(len(report.downloaded) == 12 and report.ok for report in reports)


def test_a_budget_holds_across_workers(database: str, run_name: str, tmp_path: Path) -> None:
    with run_emulator(EmulatorConfig(job_seconds=0.3, render_fps=2)) as server:

        async def three_workers() -> list[Any]:
            return await asyncio.gather(
                *(
                    worker(server, tmp_path, database, run_name, concurrency=4, max_cost=2.0)
                    for _ in range(3)
                )
            )

        reports = asyncio.run(three_workers())
        assert server.jobs_created == 5  # USD 0.40 a job: five fit in 2.00, never a sixth
    assert all(len(report.downloaded) == 5 for report in reports)
    store = open_store(database, tmp_path, run_name)
    status = store.status()
    store.close()
    assert status.estimated_usd == pytest.approx(2.0) and status.counts["failed"] == 7


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(4))
def test_workers_killed_at_random_soak(
    database: str, run_name: str, tmp_path: Path, seed: int
) -> None:
    run_killed_workers(database, run_name, tmp_path / "out", seed=seed, workers=3, kills=25, cap=3)


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(3))
def test_workers_killed_against_a_careless_server_soak(
    database: str, run_name: str, tmp_path: Path, seed: int
) -> None:
    run_killed_workers(
        database, run_name, tmp_path / "out", seed=seed, workers=3, kills=25, cap=3,
        profile="ignores-idempotency",
    )  # fmt: skip


def test_workers_opening_one_run_at_once_agree(database: str, run_name: str) -> None:
    import threading

    stores = [open_store(database, Path("unused"), run_name) for _ in range(6)]
    barrier = threading.Barrier(len(stores))
    errors: list[BaseException] = []

    def open_it(store: Any) -> None:
        barrier.wait()
        try:
            store.open_run(prompts(50), Limits())
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=open_it, args=(store,)) for store in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        assert errors == []
        keys = [item.idempotency_key for item in stores[0].items()]
        assert len(keys) == 50 == len(set(keys))  # one set of items, each with its own key
    finally:
        for store in stores:
            store.close()


def test_workers_share_the_cap_they_learn(database: str, run_name: str, tmp_path: Path) -> None:
    config = EmulatorConfig(job_seconds=0.6, render_fps=2, max_running_jobs=2)
    with run_emulator(config) as server:

        async def three_workers() -> list[Any]:
            return await asyncio.gather(
                *(worker(server, tmp_path, database, run_name, concurrency=3) for _ in range(3))
            )

        reports = asyncio.run(three_workers())
        assert server.jobs_created == 12 and server.peak_in_flight <= 2
    assert all(report.ok for report in reports)
    store = open_store(database, tmp_path, run_name)
    learned = store.learned_cap()
    store.close()
    assert learned == 2  # one cap for the run, whichever worker met the refusals
