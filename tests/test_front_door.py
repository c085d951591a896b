"""The way from the quick start to daily use (issue 23, first part): global options before or
after the command, base URL slips told with their fix, the retired default host named, the
emulator quiet on request."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from openai_videos import OpenAIVideos
from openai_videos._cli import cli
from openai_videos._cli._app import hoist_global_options
from openai_videos_emulator import EmulatorConfig, run_emulator

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("given", "parsed"),
    [
        (["batch", "status", "--json", "--out", "x"], ["--json", "batch", "status", "--out", "x"]),
        (["--base-url", "U", "list", "--json"], ["--base-url", "U", "--json", "list"]),
        (["check", "--base-url=U"], ["--base-url=U", "check"]),
        (["create", "p", "--api-key", "k"], ["--api-key", "k", "create", "p"]),
        (["serve", "--api-key", "k"], ["serve", "--api-key", "k"]),  # the server's own key
        (["create", "p", "--", "--json"], ["create", "p", "--", "--json"]),
    ],
)
def test_global_options_work_after_the_command(given: list[str], parsed: list[str]) -> None:
    assert hoist_global_options(given) == parsed


def test_trailing_global_options_reach_the_server() -> None:
    with run_emulator(EmulatorConfig(job_seconds=0.2)) as server:
        result = CliRunner().invoke(cli, ["list", "--base-url", server.base_url, "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == []


@pytest.mark.parametrize(
    ("base_url", "fix"),
    [
        ("localhost:8000/v1", "did you mean 'http://localhost:8000/v1'"),
        ("api.example.com/v1", "did you mean 'https://api.example.com/v1'"),
        ("http://127.0.0.1:8000/v1/videos", "did you mean 'http://127.0.0.1:8000/v1'"),
        ("http://127.0.0.1:8000/v1/videos/", "the client adds /videos itself"),
    ],
)
def test_base_url_slips_are_told_with_their_fix(base_url: str, fix: str) -> None:
    with pytest.raises(ValueError, match=fix):
        OpenAIVideos(base_url=base_url, api_key="k")
    shown = CliRunner().invoke(cli, ["--base-url", base_url, "--api-key", "k", "list"])
    assert shown.exit_code == 2 and fix.split("'", maxsplit=1)[0] in shown.stderr


def test_the_retired_default_host_is_named(capsys: pytest.CaptureFixture[str]) -> None:
    from openai_videos._cli._app import Context

    client = Context("k", "https://api.openai.com/v1", as_json=False).client()  # sends nothing
    client.close()
    shown = capsys.readouterr().err
    assert "warning:" in shown and "2026-09-24" in shown and "--base-url" in shown


def test_serve_quiet_logs_no_requests(tmp_path: Path) -> None:
    port = 8000 + os.getpid() % 1000
    command = [sys.executable, "-m", "openai_videos", "serve", "--quiet", "--port", str(port)]
    process = subprocess.Popen(command, cwd=ROOT, stderr=subprocess.PIPE, text=True)
    try:
        for _ in range(100):
            try:
                httpx.get(f"http://127.0.0.1:{port}/v1/videos", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        httpx.get(f"http://127.0.0.1:{port}/v1/videos", timeout=5)
    finally:
        process.terminate()
        _, logged = process.communicate(timeout=10)
    assert "emulator on http://127.0.0.1" in logged
    assert "GET /v1/videos" not in logged


def test_list_pages_with_after_and_all() -> None:
    runner = CliRunner()
    with run_emulator(EmulatorConfig(job_seconds=0.2)) as server:
        with OpenAIVideos(base_url=server.base_url) as client:
            made = [client.create(f"Clip {n}").id for n in range(5)][::-1]  # newest first

        def listed(*options: str) -> list[str]:
            result = runner.invoke(cli, ["--base-url", server.base_url, "list", *options, "--json"])
            assert result.exit_code == 0, result.output
            return [video["id"] for video in json.loads(result.stdout)]

        assert listed("--limit", "2") == made[:2]
        assert listed("--limit", "2", "--after", made[1]) == made[2:4]
        assert listed("--limit", "2", "--all") == made


def test_the_list_table_is_readable_at_80_columns() -> None:
    from rich.console import Console

    from openai_videos._cli._render import video_table
    from openai_videos_api.models import Video

    video = Video.from_dict({
        "id": "video_68d7512d07848190b3e45da0ecbebcde", "object": "video", "model": "sora-2",
        "status": "completed", "progress": 100, "created_at": 1795700000,
        "expires_at": 1795786400, "size": "720x1280", "seconds": "8",
        "prompt": "A very long prompt about a cat on a piano " * 4,
    })  # fmt: skip
    for width in (80, 140):
        console = Console(width=width, record=True)
        console.print(video_table([video], width))
        text = console.export_text()
        assert all(len(line) <= width for line in text.splitlines())
        assert "video_68d7512d07848190b3e45da0ecbebcde" in text  # the id is never cut
        assert "11-26 13:33" in text and "A very" in text  # created, a start of the prompt
        assert ("720x1280" in text) is (width == 140)  # size gives way first


def test_get_shows_when_content_expires_and_warns_before() -> None:
    from openai_videos._cli._render import _expiry
    from openai_videos_api.models import Video

    video = Video.from_dict({"id": "v", "object": "video", "model": "sora-2",
                             "status": "completed", "progress": 100, "created_at": 0,
                             "expires_at": 10_000, "size": "720x1280", "seconds": "4"})  # fmt: skip
    assert _expiry(video, now=0).startswith("1970-01-01T02:46:40")
    assert "download it now" in _expiry(video, now=10_000 - 600)
    assert "expired" in _expiry(video, now=10_001)


def test_a_connection_error_names_the_host_and_port() -> None:
    shown = CliRunner().invoke(cli, ["--base-url", "http://127.0.0.1:9/v1", "list"])
    assert shown.exit_code == 3 and "http://127.0.0.1:9/v1/videos" in shown.stderr


def test_check_takes_the_server_as_an_argument_and_says_when_it_is_none() -> None:
    with run_emulator(EmulatorConfig(job_seconds=0.2)) as server:
        right = CliRunner().invoke(cli, ["check", server.base_url, "--json"])
        root = server.base_url.removesuffix("/v1")
        wrong = CliRunner().invoke(cli, ["check", root, "--json"])
    assert right.exit_code == 0 and json.loads(right.stdout)["verdict"] is None
    verdict = json.loads(wrong.stdout)["verdict"]
    assert wrong.exit_code == 1 and "does not look like a /v1/videos server" in verdict
    assert f"try {root}/v1" in verdict


def test_serve_refuses_a_busy_port_before_announcing_it() -> None:
    import socket

    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        shown = CliRunner().invoke(cli, ["serve", "--port", str(port)])
    assert shown.exit_code == 1 and f"cannot listen on 127.0.0.1:{port}" in shown.stderr
    assert "emulator on" not in shown.stderr


@pytest.mark.parametrize("command", [["demo"], ["serve"]])
def test_without_the_server_extra_the_message_says_what_to_install(
    command: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "openai_videos_emulator", None)  # as if not installed
    shown = CliRunner().invoke(cli, command)
    assert shown.exit_code == 1 and "pip install 'openai-videos[server]'" in shown.stderr
    assert "Traceback" not in shown.output


def test_cli_errors_speak_of_flags_not_arguments(monkeypatch: pytest.MonkeyPatch) -> None:
    with run_emulator(EmulatorConfig(job_seconds=0.2)) as server:
        missing = CliRunner().invoke(cli, ["--base-url", server.base_url, "get", "video_nope"])
    assert missing.exit_code == 3 and "that --base-url points" in " ".join(missing.stderr.split())
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    keyless = CliRunner().invoke(cli, ["--base-url", "https://gateway.example/v1", "list"])
    assert keyless.exit_code == 2 and "--api-key" in keyless.stderr
    assert "api_key" not in keyless.stderr


def test_a_gateway_prefix_containing_videos_is_accepted() -> None:
    with OpenAIVideos(base_url="https://gw.example/videos/v1", api_key="k") as client:
        assert client.base_url == "https://gw.example/videos/v1"
