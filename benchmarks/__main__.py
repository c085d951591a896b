"""``make bench``: every case, for this client, the official SDK and raw httpx, in one run.

Prints a table of medians with ratios, and writes ``benchmarks/results/latest.json``.
Set ``BENCH_QUICK=1`` for a fast smoke run (fewer calls and repeats, a 64 MiB download).
"""

from __future__ import annotations

import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
QUICK = os.environ.get("BENCH_QUICK") == "1"
REPEATS = 1 if QUICK else 3
CALLS = 300 if QUICK else 3000
JOBS = 20 if QUICK else 100
DOWNLOAD_BYTES = 64 * 2**20 if QUICK else 2**30
IMPORT_RUNS = 3 if QUICK else 9


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def _process(
    command: list[str], ready: str | None, env: dict[str, str] | None = None
) -> Iterator[None]:
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env
    )
    try:
        if ready is not None:
            assert process.stdout is not None
            for line in process.stdout:
                if ready in line:
                    break
        # keep reading, or the server blocks once the pipe is full of its logs
        threading.Thread(
            target=lambda: process.stdout and process.stdout.read(), daemon=True
        ).start()
        yield
    finally:
        process.terminate()
        process.wait(timeout=10)


@contextmanager
def fast_server() -> Iterator[str]:
    port = _free_port()
    env = {**os.environ, "BENCH_CONTENT_BYTES": str(DOWNLOAD_BYTES)}
    with _process([sys.executable, "-m", "benchmarks.fast_server", str(port)], "ready", env):
        yield f"http://127.0.0.1:{port}/v1"


@contextmanager
def emulator() -> Iterator[str]:
    port = _free_port()
    command = [
        sys.executable,
        "-m",
        "openai_videos",
        "serve",
        "--port",
        str(port),
        "--job-seconds",
        "1",
        "--render-fps",
        "1",
    ]
    with _process(command, "Uvicorn running"):
        yield f"http://127.0.0.1:{port}/v1"


def _case(case: str, impl: str, url: str, argument: int) -> dict[str, float]:
    command = [sys.executable, "-m", "benchmarks.cases", case, impl, url, str(argument)]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"{case}/{impl} failed:\n{result.stderr}")
    return dict(json.loads(result.stdout))


def _median(
    case: str, impl: str, url: str, argument: int, repeats: int = REPEATS
) -> dict[str, float]:
    runs = [_case(case, impl, url, argument) for _ in range(repeats)]
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


def clean_venv(name: str, requirement: str) -> Path:
    """A venv with only ``requirement`` and its dependencies: what a user's install imports.

    (The dev venv has the cli extra, and httpx imports click and rich when they are present.)
    """
    venv = ROOT / "benchmarks" / ".venvs" / name
    python = venv / "bin" / "python"
    stamp = venv / "requirement.txt"
    if not (stamp.exists() and stamp.read_text() == requirement):
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
        pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        subprocess.run([*pip, requirement], check=True)
        stamp.write_text(requirement)
    return python


def import_time(python: Path, statement: str) -> float:
    """Median milliseconds to run ``statement`` in a fresh interpreter (start-up excluded)."""
    code = f"import time; t = time.perf_counter(); {statement}; print(time.perf_counter() - t)"
    runs = [
        float(
            subprocess.run(
                [str(python), "-c", code], capture_output=True, text=True, check=True
            ).stdout
        )
        for _ in range(IMPORT_RUNS)
    ]
    return statistics.median(runs) * 1000


def run_all() -> dict[str, Any]:
    results: dict[str, Any] = {}
    import openai

    ours = clean_venv("ours", str(ROOT))
    sdk = clean_venv("openai", f"openai=={openai.__version__}")
    results["import_ms"] = {
        "ours": import_time(ours, "from openai_videos import OpenAIVideos; OpenAIVideos"),
        "openai": import_time(sdk, "from openai import OpenAI"),
        "httpx": import_time(ours, "import httpx"),
    }
    impls = ("ours", "openai", "httpx")
    with fast_server() as url:
        results["retrieve_sync"] = {
            impl: _median("retrieve_sync", impl, url, CALLS) for impl in impls
        }
        results["retrieve_async"] = {
            impl: _median("retrieve_async", impl, url, CALLS) for impl in impls
        }
        results["list_10k"] = {impl: _median("list_all", impl, url, 0) for impl in impls}
        downloads = ("ours", "ours-streaming", "openai", "httpx", "httpx-durable")
        results["download"] = {
            impl: _median(
                "download", impl, url, DOWNLOAD_BYTES, repeats=1 if impl == "openai" else REPEATS
            )
            for impl in downloads
        }
    with emulator() as url:  # a fresh emulator: 1-second jobs, so about ten polls per job
        results["create_and_poll"] = {
            impl: _median("create_and_poll", impl, url, JOBS, repeats=1) for impl in impls
        }
    return results


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}x" if b else "-"


def table(results: dict[str, Any]) -> str:
    r = results
    rows = [
        ("case", "this client", "official SDK", "raw httpx", "vs SDK", "vs httpx", "target"),
        (
            "import (ms)",
            *(f"{r['import_ms'][i]:.1f}" for i in ("ours", "openai", "httpx")),
            _ratio(r["import_ms"]["ours"], r["import_ms"]["openai"]),
            _ratio(r["import_ms"]["ours"], r["import_ms"]["httpx"]),
            "<= 0.3x SDK",
        ),
    ]
    for case, label in (
        ("retrieve_sync", "retrieve sync (CPU us/call)"),
        ("retrieve_async", "retrieve async (CPU us/call)"),
    ):
        v = {i: r[case][i]["cpu_us_per_call"] for i in ("ours", "openai", "httpx")}
        rows.append(
            (
                label,
                f"{v['ours']:.0f}",
                f"{v['openai']:.0f}",
                f"{v['httpx']:.0f}",
                _ratio(v["ours"], v["openai"]),
                _ratio(v["ours"], v["httpx"]),
                "<= 0.6x SDK, <= 1.15x httpx",
            )
        )
    v = {i: r["list_10k"][i]["cpu_s"] for i in ("ours", "openai", "httpx")}
    rows.append(
        (
            "list 10,000 videos (CPU s)",
            *(f"{v[i]:.2f}" for i in ("ours", "openai", "httpx")),
            _ratio(v["ours"], v["openai"]),
            _ratio(v["ours"], v["httpx"]),
            "-",
        )
    )
    speed = {impl: v["mib_per_s"] for impl, v in r["download"].items()}
    size = DOWNLOAD_BYTES // 2**20
    rows.append(
        (
            f"download {size} MiB, streaming (MiB/s)",
            *(f"{speed[i]:.0f}" for i in ("ours-streaming", "openai", "httpx")),
            _ratio(speed["ours-streaming"], speed["openai"]),
            _ratio(speed["ours-streaming"], speed["httpx"]),
            ">= 0.9x httpx",
        )
    )
    rows.append(
        (
            f"download {size} MiB, durable (MiB/s)",
            f"{speed['ours']:.0f}",
            "-",
            f"{speed['httpx-durable']:.0f}",
            "-",
            _ratio(speed["ours"], speed["httpx-durable"]),
            "both fsync",
        )
    )
    d = r["download"]
    rows.append(
        (
            "download peak RSS growth (MiB)",
            *(f"{d[i]['rss_growth_mib']:.0f}" for i in ("ours", "openai", "httpx")),
            "-",
            "-",
            "< 64 MiB",
        )
    )
    c = r["create_and_poll"]
    rows.append(
        (
            f"create_and_poll x{JOBS} async (CPU s)",
            *(f"{c[i]['cpu_s']:.2f}" for i in ("ours", "openai", "httpx")),
            _ratio(c["ours"]["cpu_s"], c["openai"]["cpu_s"]),
            _ratio(c["ours"]["cpu_s"], c["httpx"]["cpu_s"]),
            "< 1 s total",
        )
    )
    return markdown_table(rows)


def markdown_table(rows: list[tuple[str, ...]]) -> str:
    """``rows`` (the first is the header) as an aligned Markdown table."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [
        "| " + " | ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) + " |"
        for row in rows
    ]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def machine_facts() -> dict[str, Any]:
    """When and where a benchmark ran."""
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d"),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "quick": QUICK,
    }


def save_results(name: str, machine: dict[str, Any], results: dict[str, Any]) -> None:
    """Write ``benchmarks/results/NAME``."""
    out = ROOT / "benchmarks" / "results"
    out.mkdir(exist_ok=True)
    (out / name).write_text(json.dumps({"machine": machine, "results": results}, indent=2) + "\n")


def main() -> None:
    started = time.monotonic()
    results = run_all()
    import httpx
    import openai

    machine = {**machine_facts(), "httpx": httpx.__version__, "openai": openai.__version__}
    save_results("latest.json", machine, results)
    print(f"{machine['date']}, Python {machine['python']}, {machine['platform']}, {machine['cpus']} CPUs, "
          f"openai {machine['openai']}, httpx {machine['httpx']}; medians of {REPEATS} runs\n")  # fmt: skip
    print(table(results))
    print(
        f"\n(benchmarks took {time.monotonic() - started:.0f} s; results in benchmarks/results/latest.json)"
    )


if __name__ == "__main__":
    main()
