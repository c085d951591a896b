"""``make bench`` (batch part): the job store at scale, and workers sharing PostgreSQL.

Measured in one run, each client in its own process (its CPU, memory and disk writes alone);
the emulator runs in another process in its fast render mode, so rendering is not what is
measured:

* store cost per item: client CPU and bytes written to the store per item, at 100 prompts and
  at 10,000 (ratios; the target is flat, <= 1.2x);
* 10,000 prompts through one emulator: wall time, CPU per item, peak RSS;
* 1, 2 and 4 worker processes on one PostgreSQL store, against one emulator whose jobs take a
  fixed time, with a global in-flight cap: throughput grows with workers until the cap.

``BENCH_QUICK=1`` runs 1,000 instead of 10,000 prompts and fewer PostgreSQL prompts.
Results go to ``benchmarks/results/batch.json``.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.__main__ import (
    ROOT,
    _free_port,
    _process,
    machine_facts,
    markdown_table,
    save_results,
)

QUICK = os.environ.get("BENCH_QUICK") == "1"
SMALL, LARGE = 100, (1_000 if QUICK else 10_000)
PG_PROMPTS, PG_JOB_SECONDS, PG_CAP, PG_SLOTS = (16 if QUICK else 48), 2.0, 8, 4


def emulator(job_seconds: float, *options: str) -> Any:
    port = _free_port()
    command = [
        sys.executable, "-m", "openai_videos", "serve", "--port", str(port),
        "--job-seconds", str(job_seconds), "--render-fps", "1", "--reuse-renders", *options,
    ]  # fmt: skip
    return _process(command, "Uvicorn running"), f"http://127.0.0.1:{port}/v1"


def worker(url: str, prompts: int, out: Path, *options: str) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "benchmarks.batch", "worker", url, str(prompts), str(out)]
    return subprocess.Popen([*command, *options], cwd=ROOT, stdout=subprocess.PIPE, text=True)


def measured(process: subprocess.Popen[str]) -> dict[str, float]:
    stdout, _ = process.communicate(timeout=3600)
    if process.returncode != 0:
        raise RuntimeError(f"batch worker failed ({process.returncode})")
    return dict(json.loads(stdout))


def run_worker(url: str, prompts: int, out: Path, options: list[str]) -> None:
    """One client process: a whole batch run, then its measurements as JSON."""
    import asyncio

    from openai_videos import AsyncOpenAIVideos
    from openai_videos._batch import run_batch

    store = options[0] if options else None
    cap = int(options[1]) if len(options) > 1 else None
    slots = int(options[2]) if len(options) > 2 else 32
    entries = [{"prompt": f"Benchmark scene {index}"} for index in range(prompts)]

    async def go() -> Any:
        async with AsyncOpenAIVideos(base_url=url, max_retries=5) as client:
            return await run_batch(
                client, entries, out, store=store, concurrency=slots, max_in_flight=cap
            )

    written_before = _written()
    cpu, wall = time.process_time(), time.monotonic()
    report = asyncio.run(go())
    cpu, wall = time.process_time() - cpu, time.monotonic() - wall
    media = sum(path.stat().st_size for path in out.glob("*.mp4"))
    print(json.dumps({
        "prompts": prompts,
        "downloaded": len(report.downloaded),
        "cpu_s": cpu,
        "wall_s": wall,
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "store_bytes_written": max(0, _written() - written_before - media),
    }))  # fmt: skip


def _written() -> int:
    """Bytes this process has caused to be written to storage (Linux)."""
    for line in Path("/proc/self/io").read_text().splitlines():
        if line.startswith("write_bytes:"):
            return int(line.split()[1])
    return 0


def scale(tmp: Path) -> dict[str, Any]:
    process, url = emulator(job_seconds=0.2)
    with process:
        small = measured(worker(url, SMALL, tmp / "small"))
        large = measured(worker(url, LARGE, tmp / "large"))
    return {"small": small, "large": large}


def workers(tmp: Path) -> dict[str, Any]:
    sys.path.insert(0, str(ROOT / "tests"))
    from postgres import running_postgres

    results = {}
    with running_postgres() as database:
        for count in (1, 2, 4):
            process, url = emulator(job_seconds=PG_JOB_SECONDS)
            with process:
                store = f"{database}?application_name=bench{count}"
                import psycopg

                with psycopg.connect(database, autocommit=True) as connection:  # a fresh run
                    connection.execute(
                        "DROP TABLE IF EXISTS batch_items, batch_runs, batch_requests"
                    )
                started = time.monotonic()
                running = [
                    worker(url, PG_PROMPTS, tmp / f"pg{count}", store, str(PG_CAP), str(PG_SLOTS))
                    for _ in range(count)
                ]
                done = [measured(process) for process in running]
                wall = time.monotonic() - started
            results[str(count)] = {
                "wall_s": wall,
                "per_minute": PG_PROMPTS / wall * 60,
                "downloaded": sum(d["downloaded"] for d in done),
            }
    return results


def table(results: dict[str, Any]) -> str:
    small, large = results["scale"]["small"], results["scale"]["large"]
    per_item = {k: v["cpu_s"] / v["prompts"] * 1000 for k, v in (("s", small), ("l", large))}
    store = {k: v["store_bytes_written"] / v["prompts"] for k, v in (("s", small), ("l", large))}
    rows = [
        ("case", "figure", "target"),
        (f"client CPU per item, {SMALL} prompts (ms)", f"{per_item['s']:.2f}", "-"),
        (f"client CPU per item, {LARGE:,} prompts (ms)", f"{per_item['l']:.2f}", "<= 3 ms"),
        ("CPU per item, large / small", f"{per_item['l'] / per_item['s']:.2f}x", "<= 1.2x"),
        (f"store bytes written per item, {SMALL} (KiB)", f"{store['s'] / 1024:.1f}", "-"),
        (f"store bytes written per item, {LARGE:,} (KiB)", f"{store['l'] / 1024:.1f}", "flat"),
        ("store bytes per item, large / small", f"{store['l'] / max(store['s'], 1):.2f}x", "<= 1.2x"),
        (f"{LARGE:,} prompts: wall time (s)", f"{large['wall_s']:.0f}", "-"),
        (f"{LARGE:,} prompts: peak RSS (MiB)", f"{large['peak_rss_mib']:.0f}", "< 200 MiB"),
    ]  # fmt: skip
    for count, figures in results["workers"].items():
        rows.append(
            (
                f"PostgreSQL, {count} worker(s), cap {PG_CAP}, {PG_SLOTS} slots each (videos/min)",
                f"{figures['per_minute']:.0f}",
                "grows until the cap",
            )
        )
    return markdown_table(rows)


def main() -> None:
    import tempfile

    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="openai-videos-bench-") as tmp:
        results = {"scale": scale(Path(tmp)), "workers": workers(Path(tmp))}
    machine = machine_facts()
    save_results("batch.json", machine, results)
    print(f"{machine['date']}, Python {machine['python']}, {machine['platform']}, "
          f"{machine['cpus']} CPUs; one run\n")  # fmt: skip
    print(table(results))
    print(f"\n(batch benchmarks took {time.monotonic() - started:.0f} s)")


if __name__ == "__main__":
    if sys.argv[1:2] == ["worker"]:
        run_worker(sys.argv[2], int(sys.argv[3]), Path(sys.argv[4]), sys.argv[5:])
    else:
        main()
