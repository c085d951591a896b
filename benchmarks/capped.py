"""``make bench`` (capped part): a batch at the server's limit on running jobs (issue 21).

The emulator caps running jobs at C (a 429 ``too_many_running_tasks`` for a create above it,
as relays do) and its jobs take ``JOB_SECONDS``; the batch runs N prompts with
``--concurrency 32`` and does not know C. Measured in one run, each side in its own process:

* wall time against the ideal ``ceil(N / C) x JOB_SECONDS`` (plus the downloads: the batch
  cannot beat it, and only loses time learning the cap and noticing finished jobs);
* the share of requests that were 429s, items failed and jobs made (must be N: no duplicate);
* client CPU per item against a raw-httpx loop that makes the same requests for the same jobs
  (create, polls at the server's ``openai-poll-after-ms``, download to a file) at exactly C
  jobs at once, with no store, no retries and no checks.

``BENCH_QUICK=1`` runs 40 prompts; ``BENCH_REPEATS`` (default 2) sets the repeats, whose
spread is reported. Results go to ``benchmarks/results/capped.json``.
"""

from __future__ import annotations

import asyncio
import json
import math
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from benchmarks.__main__ import machine_facts, markdown_table, save_results
from benchmarks.batch import emulator, measured

QUICK = os.environ.get("BENCH_QUICK") == "1"
PROMPTS = 40 if QUICK else 200
REPEATS = int(os.environ.get("BENCH_REPEATS", "2"))
JOB_SECONDS, CONCURRENCY, CAPS = 1.5, 32, (2, 8)


def run_batch_process(url: str, prompts: int, out: Path) -> dict[str, Any]:
    """One client process: a whole batch at --concurrency 32; its figures as JSON."""
    from openai_videos import AsyncOpenAIVideos
    from openai_videos._batch import run_batch

    entries = [{"prompt": f"Capped scene {index}"} for index in range(prompts)]

    async def go() -> Any:
        async with AsyncOpenAIVideos(base_url=url, max_retries=5) as client:
            return await run_batch(client, entries, out, concurrency=CONCURRENCY)

    cpu, wall = time.process_time(), time.monotonic()
    report = asyncio.run(go())
    cpu, wall = time.process_time() - cpu, time.monotonic() - wall
    assert report.status is not None
    return {
        "cpu_s": cpu,
        "wall_s": wall,
        "downloaded": len(report.downloaded),
        "failed": len(report.failed) + len(report.uncertain),
        "requests": sum(report.requests.values()),
        "429": report.requests.get("429", 0),
        "learned_cap": report.status.learned_cap,
    }


def run_raw_process(url: str, prompts: int, out: Path, cap: int) -> dict[str, Any]:
    """The floor: plain httpx, exactly ``cap`` jobs at once, the same requests per job."""
    import httpx

    requests = 0

    async def one(client: httpx.AsyncClient, index: int) -> None:
        nonlocal requests
        created = await client.post("/videos", json={"prompt": f"Capped scene {index}"})
        requests += 1
        video = created.json()
        while video["status"] not in ("completed", "failed"):
            await asyncio.sleep(float(created.headers.get("openai-poll-after-ms", 1000)) / 1000)
            created = await client.get(f"/videos/{video['id']}")
            requests += 1
            video = created.json()
        async with client.stream("GET", f"/videos/{video['id']}/content") as response:
            with (out / f"{index:04d}-{video['id']}.mp4").open("wb") as file:
                async for chunk in response.aiter_bytes():
                    file.write(chunk)
        requests += 1

    async def go() -> None:
        headers = {"Authorization": "Bearer sk-emulator"}
        async with httpx.AsyncClient(base_url=url, headers=headers, timeout=60) as client:
            queue = list(range(prompts))

            async def lane() -> None:
                while queue:
                    await one(client, queue.pop(0))

            await asyncio.gather(*(lane() for _ in range(cap)))

    out.mkdir(parents=True, exist_ok=True)
    cpu, wall = time.process_time(), time.monotonic()
    asyncio.run(go())
    cpu, wall = time.process_time() - cpu, time.monotonic() - wall
    return {"cpu_s": cpu, "wall_s": wall, "requests": requests}


def _child(kind: str, url: str, out: Path, cap: int) -> Any:
    import subprocess

    command = [sys.executable, "-m", "benchmarks.capped", kind, url, str(PROMPTS), str(out)]
    return subprocess.Popen([*command, str(cap)], stdout=subprocess.PIPE, text=True)


def one_cap(tmp: Path, cap: int, repeat: int) -> dict[str, Any]:
    process, url = emulator(JOB_SECONDS, "--max-running-jobs", str(cap))
    with process:
        batch = measured(_child("batch", url, tmp / f"batch-{cap}-{repeat}", cap))
        stats = httpx.get(url.removesuffix("/v1") + "/_emulator/stats", timeout=10).json()
        batch["jobs_made"] = stats["jobs_created"]  # more than PROMPTS: a job made twice
    process, url = emulator(JOB_SECONDS, "--max-running-jobs", str(cap))
    with process:
        raw = measured(_child("raw", url, tmp / f"raw-{cap}-{repeat}", cap))
    ideal = math.ceil(PROMPTS / cap) * JOB_SECONDS
    return {"cap": cap, "ideal_s": ideal, "batch": batch, "raw": raw}


def table(results: list[dict[str, Any]]) -> str:
    rows = [("case", "figure (spread over repeats)", "target")]
    for cap in CAPS:
        runs = [r for r in results if r["cap"] == cap]

        def spread(values: list[float], unit: str = "", digits: int = 2) -> str:
            low, high = min(values), max(values)
            middle = statistics.median(values)
            return f"{middle:.{digits}f}{unit} ({low:.{digits}f}-{high:.{digits}f})"

        wall = [r["batch"]["wall_s"] / r["ideal_s"] for r in runs]
        share = [100 * r["batch"]["429"] / r["batch"]["requests"] for r in runs]
        cpu = [r["batch"]["cpu_s"] / r["raw"]["cpu_s"] for r in runs]
        per_item = [1000 * r["batch"]["cpu_s"] / PROMPTS for r in runs]
        raw_item = [1000 * r["raw"]["cpu_s"] / PROMPTS for r in runs]
        failed = sum(r["batch"]["failed"] for r in runs)
        duplicates = sum(r["batch"].get("jobs_made", PROMPTS) - PROMPTS for r in runs)
        learned = sorted({r["batch"]["learned_cap"] for r in runs}, key=str)
        ideal = runs[0]["ideal_s"]
        label = f"cap {cap}, {PROMPTS} prompts, --concurrency {CONCURRENCY}"
        rows += [
            (f"{label}: wall / ideal ({ideal:.0f} s)", spread(wall, "x"), "<= 1.15x"),
            (f"{label}: requests that were 429s", spread(share, " %", 1), "<= 5 %"),
            (f"{label}: items failed, jobs made twice", f"{failed}, {duplicates}", "0, 0"),
            (f"{label}: caps learned", str(learned), "-"),
            (f"{label}: client CPU per item (ms)", spread(per_item, "", 1), "-"),
            (f"{label}: raw-httpx loop CPU per item (ms)", spread(raw_item, "", 1), "-"),
            (f"{label}: CPU, batch / raw loop", spread(cpu, "x"), "<= 1.5x"),
        ]
    return markdown_table(rows)


def main() -> None:
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="openai-videos-capped-") as tmp:
        results = [one_cap(Path(tmp), cap, n) for n in range(REPEATS) for cap in CAPS]
    for result in results:
        if result["batch"]["downloaded"] != PROMPTS or result["batch"]["failed"]:
            raise SystemExit(f"the batch lost items: {result}")
    machine = machine_facts()
    save_results("capped.json", machine, {"prompts": PROMPTS, "job_seconds": JOB_SECONDS,
                                          "runs": results})  # fmt: skip
    print(f"{machine['date']}, Python {machine['python']}, {machine['platform']}, "
          f"{machine['cpus']} CPUs; {REPEATS} repeats, median (min-max)\n")  # fmt: skip
    print(table(results))
    print(f"\n(capped benchmarks took {time.monotonic() - started:.0f} s)")


if __name__ == "__main__":
    if sys.argv[1:2] == ["batch"]:
        print(json.dumps(run_batch_process(sys.argv[2], int(sys.argv[3]), Path(sys.argv[4]))))
    elif sys.argv[1:2] == ["raw"]:
        figures = run_raw_process(sys.argv[2], int(sys.argv[3]), Path(sys.argv[4]),
                                  int(sys.argv[5]))  # fmt: skip
        print(json.dumps(figures))
    else:
        main()
