"""Batch runs against a server that caps running jobs (issue 21, first part): the batch learns
the cap from the server's 429s, never fails an item for it, and never makes a job twice."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from openai_videos import AsyncOpenAIVideos
from openai_videos._batch import open_store, run_batch
from openai_videos_emulator import EmulatorConfig, run_emulator


def test_a_batch_learns_the_servers_cap_on_running_jobs(tmp_path: Path) -> None:
    prompts = [{"prompt": f"P{i}"} for i in range(8)]
    config = EmulatorConfig(job_seconds=0.6, render_fps=2, max_running_jobs=2)
    with run_emulator(config) as server:

        async def go() -> Any:
            async with AsyncOpenAIVideos(base_url=server.base_url) as client:
                return await run_batch(client, prompts, tmp_path, concurrency=6)

        report = asyncio.run(go())
        assert server.jobs_created == len(prompts) and server.peak_in_flight <= 2
    assert report.ok and len(report.downloaded) == len(prompts)  # no item failed for the cap
    assert report.requests.get("429", 0) > 0  # the cap was met, and learned from
    store = open_store(None, tmp_path)
    learned = store.learned_cap()
    attempts = [item.attempts for item in store.items()]
    store.close()
    assert learned == 2
    assert max(attempts) <= 2  # a refusal for the cap is not one of the item's attempts
