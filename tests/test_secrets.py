"""The API key appears in no repr, str, exception (nor the request it carries), log record at any
level, CLI or progress output, or batch store."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

from openai_videos import APIError, AsyncOpenAIVideos, OpenAIVideos
from openai_videos._batch import run_batch
from openai_videos._cli import cli
from openai_videos_api import AuthenticatedClient
from openai_videos_emulator import EmulatorConfig, FaultPlan, run_emulator

KEY = "sk-proj-SECRET-4f9c2e7d1a"


def texts_of(exc: BaseException) -> list[str]:
    """Everything an exception can show: text, repr, args, attributes, and its request."""
    shown = [str(exc), repr(exc), repr(exc.args), repr(vars(exc))]
    request = getattr(exc, "request", None)
    if request is not None:
        shown += [repr(request), repr(request.headers), str(dict(request.headers))]
    response = getattr(exc, "response", None)
    if response is not None:
        shown += [repr(response), str(dict(response.request.headers))]
    return shown


@pytest.mark.parametrize("auth_header", ["Authorization", "api-key"])
def test_no_key_in_errors_logs_or_reprs(
    auth_header: str, caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    caplog.set_level(logging.DEBUG)  # every logger, every level: ours, httpx, httpcore, uvicorn
    profile = (
        "openai" if auth_header == "Authorization" else "azure"
    )  # Azure authenticates by api-key
    prefix = "/v1" if profile == "openai" else "/openai/v1"
    plan = FaultPlan().script("GET", f"{prefix}/videos/video_x", "500", "500", "500")
    plan.script("POST", f"{prefix}/videos", "malformed")
    config = EmulatorConfig(
        api_key=KEY, job_seconds=0.05, render_fps=1, faults=plan, profile=profile
    )
    seen: list[str] = [repr(config)]
    with run_emulator(config) as server:
        profile_auth = {"auth_header": auth_header}
        wrong = OpenAIVideos(api_key="sk-wrong-key", base_url=server.base_url, **profile_auth)
        with OpenAIVideos(api_key=KEY, base_url=server.base_url, **profile_auth) as client:
            client._sleep = lambda seconds: None
            seen += [repr(client), str(client)]
            failures: list[BaseException] = []
            for action in (
                lambda: client.retrieve("video_x"),  # 500 three times: retried, then raised
                lambda: client.create("x"),  # malformed answer
                lambda: client.retrieve("video_missing"),  # 404
                lambda: client.download_to("video_missing", tmp_path / "x.mp4"),
            ):
                with pytest.raises(APIError) as caught:
                    action()
                failures.append(caught.value)
            video = client.create_and_poll("ok", poll_interval=0.02)
            client.download_to(
                video.id, tmp_path / "ok.mp4", on_progress=lambda r, t: seen.append(f"{r}/{t}")
            )
        with pytest.raises(APIError) as caught:
            wrong.retrieve(video.id)  # 401
        failures.append(caught.value)
        wrong.close()
    refused = OpenAIVideos(api_key=KEY, base_url="http://127.0.0.1:9/v1", max_retries=0)
    with pytest.raises(APIError) as caught:
        refused.retrieve("video_1")
    failures.append(caught.value)
    refused.close()
    for failure in failures:
        seen += texts_of(failure)
    seen += [caplog.text, *(repr(record.args) for record in caplog.records)]
    assert all(KEY not in text for text in seen)
    assert len(failures) == 6


def test_no_key_in_generated_client_repr() -> None:
    api = AuthenticatedClient(base_url="https://api.test/v1", token=KEY)
    api.get_httpx_client()
    api.get_async_httpx_client()
    assert KEY not in repr(api)


def test_no_key_in_async_client_repr() -> None:
    async def make() -> str:
        async with AsyncOpenAIVideos(api_key=KEY, base_url="https://gateway.example/v1") as client:
            return repr(client) + str(client)

    assert KEY not in asyncio.run(make())


def test_no_key_in_cli_or_progress_output(tmp_path: Path) -> None:
    with run_emulator(EmulatorConfig(api_key=KEY, job_seconds=0.05, render_fps=1)) as server:
        runner = CliRunner()
        base = ["--api-key", KEY, "--base-url", server.base_url]
        outputs = [
            runner.invoke(cli, [*base, "create", "x", "--wait", "--download", str(tmp_path)]),
            runner.invoke(cli, [*base, "get", "video_missing"]),
            runner.invoke(cli, ["--api-key", "sk-bad", "--base-url", server.base_url, "list"]),
            runner.invoke(cli, [*base, "--json", "list"]),
        ]
        prompts = tmp_path / "p.jsonl"
        prompts.write_text('{"prompt": "a"}\n')
        outputs.append(
            runner.invoke(cli, [*base, "batch", str(prompts), "--out", str(tmp_path / "batch")])
        )
    assert [result.exit_code for result in outputs] == [0, 3, 3, 0, 0]
    for result in outputs:
        assert KEY not in result.output and KEY not in result.stderr
    store = tmp_path / "batch" / "batch.sqlite3"
    assert KEY.encode() not in _all_bytes(store)
    with contextlib.closing(sqlite3.connect(store)) as connection:
        assert connection.execute("SELECT status FROM batch_items").fetchall() == [("downloaded",)]


def _all_bytes(store: Path) -> bytes:
    """The store and its write-ahead log, as they are on disk."""
    return b"".join(p.read_bytes() for p in store.parent.glob(store.name + "*"))


def test_library_batch_store_has_no_key(tmp_path: Path) -> None:
    async def go() -> Any:
        async with AsyncOpenAIVideos(api_key=KEY, base_url=server.base_url) as client:
            return await run_batch(client, [{"prompt": "a"}], tmp_path)

    with run_emulator(EmulatorConfig(api_key=KEY, job_seconds=0.05, render_fps=1)) as server:
        assert asyncio.run(go()).ok
    assert KEY.encode() not in _all_bytes(tmp_path / "batch.sqlite3")


def test_redirect_does_not_carry_the_key_to_another_host() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.host == "api.test":
            return httpx.Response(302, headers={"location": "https://cdn.elsewhere.test/file.mp4"})
        return httpx.Response(200, content=b"mp4", headers={"content-type": "video/mp4"})

    http = httpx.Client(transport=httpx.MockTransport(handler))
    with OpenAIVideos(api_key=KEY, base_url="https://api.test/v1", http_client=http) as client:
        assert client.download_content("video_1") == b"mp4"
    assert KEY not in str(dict(seen[1].headers))
    http.close()
