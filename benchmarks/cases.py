"""One benchmark case per process run: ``python -m benchmarks.cases CASE IMPL BASE_URL [ARG]``.

Prints one JSON object. CPU is this process's CPU time (``time.process_time``), so the server,
in another process, never counts. IMPL is ``ours``, ``openai`` (the official SDK) or ``httpx``.
"""

from __future__ import annotations

import asyncio
import json
import os
import resource
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

warnings.simplefilter("ignore", DeprecationWarning)  # the SDK's notice about hosted Sora
KEY = "sk-bench"
WARMUP = 50


def _peak_rss_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _timed(calls: int, function: Callable[[], Any]) -> dict[str, float]:
    for _ in range(WARMUP):
        function()
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(calls):
        function()
    return {
        "cpu_us_per_call": (time.process_time() - cpu) / calls * 1e6,
        "wall_s": time.perf_counter() - wall,
    }


def retrieve_sync(impl: str, base_url: str, calls: int) -> dict[str, float]:
    if impl == "ours":
        from openai_videos import OpenAIVideos

        ours = OpenAIVideos(api_key=KEY, base_url=base_url, max_retries=0)
        return _timed(calls, lambda: ours.retrieve("video_123"))
    if impl == "openai":
        import openai

        sdk = openai.OpenAI(api_key=KEY, base_url=base_url, max_retries=0)
        return _timed(calls, lambda: sdk.videos.retrieve("video_123"))
    import httpx

    raw = httpx.Client(base_url=base_url, headers={"Authorization": f"Bearer {KEY}"})
    return _timed(calls, lambda: raw.get("/videos/video_123").json())


async def _atimed(calls: int, function: Callable[[], Any]) -> dict[str, float]:
    for _ in range(WARMUP):
        await function()
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(calls):
        await function()
    return {
        "cpu_us_per_call": (time.process_time() - cpu) / calls * 1e6,
        "wall_s": time.perf_counter() - wall,
    }


async def _retrieve_async(impl: str, base_url: str, calls: int) -> dict[str, float]:
    if impl == "ours":
        from openai_videos import AsyncOpenAIVideos

        ours = AsyncOpenAIVideos(api_key=KEY, base_url=base_url, max_retries=0)
        return await _atimed(calls, lambda: ours.retrieve("video_123"))
    if impl == "openai":
        import openai

        sdk = openai.AsyncOpenAI(api_key=KEY, base_url=base_url, max_retries=0)
        return await _atimed(calls, lambda: sdk.videos.retrieve("video_123"))
    import httpx

    raw = httpx.AsyncClient(base_url=base_url, headers={"Authorization": f"Bearer {KEY}"})

    async def get() -> Any:
        return (await raw.get("/videos/video_123")).json()

    return await _atimed(calls, get)


def retrieve_async(impl: str, base_url: str, calls: int) -> dict[str, float]:
    return asyncio.run(_retrieve_async(impl, base_url, calls))


def list_all(impl: str, base_url: str, _: int) -> dict[str, float]:
    cpu, wall = time.process_time(), time.perf_counter()
    if impl == "ours":
        from openai_videos import OpenAIVideos

        count = sum(1 for _ in OpenAIVideos(api_key=KEY, base_url=base_url).list(limit=100))
    elif impl == "openai":
        import openai

        count = sum(1 for _ in openai.OpenAI(api_key=KEY, base_url=base_url).videos.list(limit=100))
    else:
        import httpx

        raw = httpx.Client(base_url=base_url)
        count, params = 0, {"limit": "100"}
        while True:
            body = raw.get("/videos", params=params).json()
            count += len(body["data"])
            if not body["has_more"]:
                break
            params = {"limit": "100", "after": body["last_id"]}
    assert count == 10_000, count
    return {"cpu_s": time.process_time() - cpu, "wall_s": time.perf_counter() - wall}


async def _raw_job(http: Any, i: int) -> dict[str, Any]:
    response = await http.post("/videos", json={"prompt": f"job {i}"})
    video: dict[str, Any] = response.json()
    while video["status"] not in {"completed", "failed"}:
        await asyncio.sleep(int(response.headers.get("openai-poll-after-ms", "1000")) / 1000)
        response = await http.get(f"/videos/{video['id']}")
        video = response.json()
    return video


async def _create_and_poll(impl: str, base_url: str, jobs: int) -> dict[str, float]:
    import httpx

    if impl == "ours":
        from openai_videos import AsyncOpenAIVideos

        client: Any = AsyncOpenAIVideos(api_key=KEY, base_url=base_url)
        run = lambda i: client.create_and_poll(f"job {i}")  # noqa: E731
    elif impl == "openai":
        import openai

        client = openai.AsyncOpenAI(api_key=KEY, base_url=base_url)
        run = lambda i: client.videos.create_and_poll(prompt=f"job {i}")  # noqa: E731
    else:  # the floor: a hand-written loop, with the same connection limits as ours
        from openai_videos._constants import DEFAULT_LIMITS

        client = httpx.AsyncClient(
            base_url=base_url, limits=DEFAULT_LIMITS, headers={"Authorization": f"Bearer {KEY}"}
        )
        run = lambda i: _raw_job(client, i)  # noqa: E731
    async with client:
        cpu, wall = time.process_time(), time.perf_counter()
        videos = await asyncio.gather(*(run(i) for i in range(jobs)))
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    statuses = {str(v["status"] if isinstance(v, dict) else v.status) for v in videos}
    assert statuses == {"completed"}, statuses
    return {"cpu_s": cpu, "wall_s": wall}


def create_and_poll(impl: str, base_url: str, jobs: int) -> dict[str, float]:
    return asyncio.run(_create_and_poll(impl, base_url, jobs))


def download(impl: str, base_url: str, size: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory(dir=Path.cwd()) as tmp:
        target = Path(tmp) / "out.mp4"
        if impl in {"ours", "ours-streaming"}:
            from openai_videos import OpenAIVideos

            client: Any = OpenAIVideos(api_key=KEY, base_url=base_url)
            durable = impl == "ours"  # the default: fsync before returning
            run = lambda: client.download_to("video_123", target, durable=durable)  # noqa: E731
        elif impl == "openai":
            import openai

            client = openai.OpenAI(api_key=KEY, base_url=base_url)
            run = lambda: client.videos.download_content("video_123").write_to_file(target)  # noqa: E731
        else:
            import httpx

            client = httpx.Client(base_url=base_url)

            def run() -> None:
                with (
                    client.stream("GET", "/videos/video_123/content") as response,
                    target.open("wb") as file,
                ):
                    for chunk in response.iter_bytes():
                        file.write(chunk)
                    if impl == "httpx-durable":  # the same durability as ours
                        file.flush()
                        os.fsync(file.fileno())

        before = _peak_rss_kib()
        wall = time.perf_counter()
        run()
        elapsed = time.perf_counter() - wall
        assert target.stat().st_size == size
        return {
            "wall_s": elapsed,
            "mib_per_s": size / 2**20 / elapsed,
            "rss_growth_mib": (_peak_rss_kib() - before) / 1024,
        }


CASES = {
    f.__name__: f for f in (retrieve_sync, retrieve_async, list_all, create_and_poll, download)
}

if __name__ == "__main__":
    case, impl, url, argument = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    print(json.dumps(CASES[case](impl, url, argument)))
