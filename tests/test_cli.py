"""The openai-videos command: help everywhere, output, exit codes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from openai_videos._cli import EXIT_API_ERROR, EXIT_JOB_FAILED, EXIT_STORE, EXIT_USAGE, cli, main

COMMANDS = [
    [], ["create"], ["get"], ["list"], ["delete"], ["download"], ["remix"], ["edit"], ["extend"],
    ["character"], ["character", "create"], ["character", "get"], ["serve"], ["demo"],
]  # fmt: skip


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "top")
def test_help_everywhere(command: list[str]) -> None:
    result = CliRunner().invoke(cli, [*command, "--help"])
    assert result.exit_code == 0
    assert result.output.startswith("Usage: ")
    assert "--help" in result.output


def run(emulator: Any, *args: str) -> Any:
    return CliRunner().invoke(cli, ["--base-url", emulator.base_url, *args], catch_exceptions=False)


def test_create_wait_json_then_get_list_download_delete(emulator: Any, tmp_path: Path) -> None:
    created = run(emulator, "--json", "create", "A cat", "--size", "1280x720", "--wait")
    assert created.exit_code == 0, created.output
    video = json.loads(created.stdout)
    assert video["status"] == "completed" and video["size"] == "1280x720"
    listed = json.loads(run(emulator, "--json", "list").stdout)
    assert [v["id"] for v in listed] == [video["id"]]
    target = tmp_path / "thumb.webp"
    downloaded = run(
        emulator, "--json", "download", video["id"], "--variant", "thumbnail", "-o", str(target)
    )
    assert (
        json.loads(downloaded.stdout)["path"] == str(target)
        and target.read_bytes()[8:12] == b"WEBP"
    )
    shown = run(emulator, "get", video["id"])
    assert video["id"] in shown.stdout and "completed" in shown.stdout
    assert run(emulator, "delete", video["id"]).exit_code == 0


def test_create_download_directory(emulator: Any, tmp_path: Path) -> None:
    result = run(emulator, "create", "A dog", "--download", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert len(list(tmp_path.glob("video_*.mp4"))) == 1


def test_remix_extend_and_characters(emulator: Any, tmp_path: Path) -> None:
    source = json.loads(run(emulator, "--json", "create", "Base", "--wait").stdout)
    remix = json.loads(run(emulator, "--json", "remix", source["id"], "Again").stdout)
    extended = json.loads(
        run(emulator, "--json", "extend", source["id"], "More", "--seconds", "8").stdout
    )
    assert remix["remixed_from_video_id"] == source["id"] and extended["seconds"] == "12"
    clip = tmp_path / "clip.mp4"
    run(emulator, "download", source["id"], "-o", str(clip))
    character = json.loads(
        run(emulator, "--json", "character", "create", str(clip), "--name", "Mochi").stdout
    )
    assert (
        json.loads(run(emulator, "--json", "character", "get", character["id"]).stdout) == character
    )


def test_api_error_exit_code(emulator: Any) -> None:
    result = run(emulator, "get", "video_missing")
    assert result.exit_code == EXIT_API_ERROR
    assert "not found" in result.stderr


def test_failed_job_exit_code(emulator: Any) -> None:
    result = run(emulator, "create", "Please [fail]", "--wait")
    assert result.exit_code == EXIT_JOB_FAILED
    assert "moderation_blocked" in result.stderr


def test_usage_errors_exit_code(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    with pytest.raises(SystemExit) as caught:
        main(["get", "video_1"])
    assert caught.value.code == EXIT_USAGE and "OPENAI_API_KEY" in capsys.readouterr().err
    with pytest.raises(SystemExit) as caught:
        main(["list", "--limit", "500"])
    assert caught.value.code == EXIT_USAGE


def test_the_key_never_reaches_cli_output(emulator: Any) -> None:
    key = "sk-cli-secret-0123456789"
    result = CliRunner().invoke(
        cli, ["--api-key", key, "--base-url", emulator.base_url, "get", "video_missing"]
    )
    assert result.exit_code == EXIT_API_ERROR
    assert key not in result.output and key not in result.stderr


def test_demo_makes_and_inspects_real_files(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["demo", "--output", str(tmp_path), "--size", "720x1280", "--seconds", "4"]
    )
    assert result.exit_code == 0, result.output
    assert "4.00 s, 720x1280, h264" in result.stdout
    assert "WEBP, 720x1280" in result.stdout and "JPEG" in result.stdout
    (folder,) = tmp_path.iterdir()
    assert sorted(p.name for p in folder.iterdir()) == [
        "spritesheet.jpg",
        "thumbnail.webp",
        "video.mp4",
    ]


def test_an_error_never_breaks_a_long_path_across_lines(tmp_path: Path) -> None:
    """A path or URL longer than the terminal stays one piece, to be copied: the terminal
    wraps the line, not the CLI."""
    out = tmp_path / ("a-directory-name-long-enough-to-pass-any-terminal-width-" * 2)
    out.mkdir()
    result = CliRunner().invoke(cli, ["batch", "status", "--out", str(out)])
    assert result.exit_code == EXIT_STORE
    assert f"no batch store at {out / 'batch.sqlite3'}" in result.stderr
