"""Hostile and broken servers, round 2 (issue 20): dialects, strict JSON output, the job
stores and the prompts file. One regression test per reported hole, sync and async where both
exist; PostgreSQL cases run against a real server the tests start."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner
from conftest import video_payload
from test_hostile import both, hostile_cli

from openai_videos import (
    APIResponseValidationError,
    AsyncOpenAIVideos,
    Video,
    VideoGenerationFailed,
)
from openai_videos._batch import StoreError, open_store, read_prompts, run_batch
from openai_videos._batch._sql import redact_url
from openai_videos._cli import EXIT_STORE, cli
from openai_videos_emulator import EmulatorConfig, run_emulator

NON_FINITE = ["1e309", "inf", "-Infinity", "NaN"]


def answers(body: bytes) -> Any:
    """A server answering every request with ``body`` as JSON (non-finite tokens allowed)."""

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=body, headers={"content-type": "application/json"})

    return handler


# -- 3. non-finite numbers ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "progress", [*(json.dumps(p) for p in NON_FINITE), "1e400", "Infinity", "NaN"]
)
@pytest.mark.parametrize("operation", ["retrieve", "poll", "create"])
def test_non_finite_progress_is_read_as_unknown(progress: str, operation: str) -> None:
    body = json.dumps(video_payload(status="completed")).replace(
        '"progress": 100', f'"progress": {progress}'
    )
    calls = {
        "retrieve": lambda c: c.retrieve("video_1"),
        "poll": lambda c: c.poll("video_1", poll_interval=0.2),
        "create": lambda c: c.create("x"),
    }
    for result in both(answers(body.encode()), calls[operation]):
        assert isinstance(result, Video), result
        assert result.progress == 100  # unknown, and the job is completed
        assert result.dialect_record["rules"][0] == "progress_as_percent"


@pytest.mark.parametrize("progress", ["1e400", "NaN", '"inf"'])
def test_a_strict_client_gives_a_typed_error_for_non_finite_progress(progress: str) -> None:
    body = json.dumps(video_payload()).replace('"progress": 100', f'"progress": {progress}')
    for result in both(answers(body.encode()), lambda c: c.retrieve("video_1"), dialect="strict"):
        assert isinstance(result, APIResponseValidationError), result
        assert "not valid JSON" not in str(result)


# -- 4. a null status beside an error ------------------------------------------------------------


def test_a_null_status_with_an_error_is_a_failed_job() -> None:
    payload = video_payload(status=None, error={"code": "boom", "message": "it broke"})
    body = json.dumps(payload).encode()
    for result in both(answers(body), lambda c: c.poll("video_1", timeout=5, poll_interval=0.2)):
        assert isinstance(result, VideoGenerationFailed), result
        assert "it broke" in str(result)


# -- 6. everything printed as JSON is strict JSON ------------------------------------------------


def test_cli_json_output_is_strict_even_for_non_finite_numbers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    payload = json.dumps({**video_payload(), "fps": 1.5}).replace("1.5", "NaN")
    page = f'{{"object": "list", "data": [{payload}], "has_more": false, "x": Infinity}}'

    def handler(request: httpx.Request) -> httpx.Response:
        body = page if request.url.path.endswith("/videos") else payload
        return httpx.Response(
            200, content=body.encode(), headers={"content-type": "application/json"}
        )

    runner = hostile_cli(monkeypatch, handler)
    for command in (["--json", "get", "video_1"], ["--json", "list"]):
        result = runner.invoke(cli, command, catch_exceptions=False)
        assert result.exit_code == 0, result.output
        json.loads(result.stdout, parse_constant=lambda token: pytest.fail(f"bare {token}"))


# -- 7, 8, 9, 11. the job stores ------------------------------------------------------------------


def status_of(out: Path, *extra: str) -> Any:
    return CliRunner().invoke(cli, ["batch", "status", "--out", str(out), *extra])


@pytest.mark.parametrize("damage", ["garbage", "half"])
def test_a_damaged_sqlite_store_is_a_clear_error(tmp_path: Path, damage: str) -> None:
    with run_emulator(EmulatorConfig(job_seconds=0.2, render_fps=2)) as server:
        prompts = tmp_path / "p.txt"
        prompts.write_text("A cat\nA dog\n")
        out = tmp_path / "out"
        ran = CliRunner().invoke(
            cli, ["--base-url", server.base_url, "batch", str(prompts), "--out", str(out)]
        )
        assert ran.exit_code == 0, ran.output
        store = out / "batch.sqlite3"
        for extra in ("-wal", "-shm"):
            (out / f"batch.sqlite3{extra}").unlink(missing_ok=True)
        data = store.read_bytes()
        store.write_bytes(os.urandom(len(data)) if damage == "garbage" else data[: len(data) // 2])
        jobs = server.jobs_created
        for command in (
            ["--base-url", server.base_url, "batch", str(prompts), "--out", str(out)],
            ["batch", "status", "--out", str(out)],
        ):
            result = CliRunner().invoke(cli, command)
            assert result.exit_code == EXIT_STORE, result.output
            assert (
                str(store) in " ".join(result.stderr.split()) and "Traceback" not in result.output
            )
            assert "Move it aside" in " ".join(result.stderr.split())
        assert server.jobs_created == jobs


def test_reading_commands_never_create_a_store(tmp_path: Path) -> None:
    typo = tmp_path / "videoss"
    for command in (["batch", "status"], ["batch", "retry"]):
        result = CliRunner().invoke(cli, [*command, "--out", str(typo)])
        assert result.exit_code == EXIT_STORE and "no batch store" in " ".join(
            result.stderr.split()
        )
    assert not typo.exists()


def test_reading_commands_name_an_unknown_run(tmp_path: Path) -> None:
    store = open_store(None, tmp_path)
    store.open_run(
        [{"prompt": "x"}], __import__("openai_videos._batch", fromlist=["Limits"]).Limits()
    )
    store.close()
    result = status_of(tmp_path, "--run", "defualt")
    assert result.exit_code == EXIT_STORE
    shown = " ".join(result.stderr.split())
    assert "no run named 'defualt'" in shown and "'default'" in shown


def test_an_unsupported_store_url_is_named() -> None:
    with pytest.raises(StoreError, match="scheme 'mysql' is not supported"):
        open_store("mysql://x", Path("unused"))


@pytest.fixture(scope="module")
def database() -> Iterator[str]:
    from postgres import running_postgres

    with running_postgres() as url:
        yield url


BAD_STORES = [
    "postgresql://user:hunter2secret@127.0.0.1:1/db",  # nobody listens
    "postgresql://postgres:hunter2secret@{host}/no_such_database",
    "postgresql://user:hunter2secret@127.0.0.1:notaport/db",
    "postgresql://user:hunter2secret@/db?sslmode=bogus",
]


@pytest.mark.parametrize("url", BAD_STORES)
def test_postgres_errors_are_clear_and_never_show_the_password(database: str, url: str) -> None:
    url = url.format(host=database.split("@", 1)[1].split("/", 1)[0])
    result = CliRunner().invoke(cli, ["batch", "status", "--out", "unused", "--store", url])
    assert result.exit_code == EXIT_STORE, result.output
    assert "hunter2secret" not in result.output and "Traceback" not in result.output
    shown = " ".join(result.stderr.split())  # rich wraps long lines
    assert "cannot be used" in shown and "***" in shown
    with pytest.raises(StoreError) as caught:
        open_store(url, Path("unused"))
    assert "hunter2secret" not in str(caught.value) and caught.value.__cause__ is None


def test_redaction_covers_percent_encoded_passwords() -> None:
    url = "postgresql://u:p%40ss@h/db"
    assert redact_url(url) == "postgresql://u:***@h/db"
    assert "p@ss" not in redact_url(url, "connection to p@ss failed")


def test_both_stores_accept_the_same_prompts(database: str, tmp_path: Path) -> None:
    entries = [{"prompt": "tab\tand newline\nand émoji 🎬"}, {"prompt": "a\x00b"}]
    with pytest.raises(ValueError, match="NUL"):
        asyncio_run_batch(entries, tmp_path / "sqlite", None)
    with pytest.raises(ValueError, match="NUL"):
        asyncio_run_batch(entries, tmp_path / "pg", database)
    for store in (None, database):
        report = asyncio_run_batch(entries[:1], tmp_path / f"ok-{store is None}", store)
        assert report.ok


def asyncio_run_batch(entries: list[dict[str, str]], out: Path, store: str | None) -> Any:
    import asyncio

    async def go() -> Any:
        with run_emulator(EmulatorConfig(job_seconds=0.1, render_fps=2)) as server:
            async with AsyncOpenAIVideos(base_url=server.base_url) as client:
                return await run_batch(client, entries, out, store=store, run=out.name)

    return asyncio.run(go())


# -- 10. a recorded file that was deleted ----------------------------------------------------------


def test_a_deleted_file_is_fetched_again_not_reported_as_done(tmp_path: Path) -> None:
    with run_emulator(EmulatorConfig(job_seconds=0.1, render_fps=2)) as server:

        def run() -> Any:
            import asyncio

            async def go() -> Any:
                async with AsyncOpenAIVideos(base_url=server.base_url) as client:
                    return await run_batch(client, [{"prompt": "x"}], tmp_path)

            return asyncio.run(go())

        (item,) = run().downloaded
        (tmp_path / str(item.file)).unlink()
        report = run()
        assert report.ok and (tmp_path / str(report.downloaded[0].file)).is_file()
        assert server.jobs_created == 1  # fetched again, not created again
        server.app.store.delete(next(iter(server.app.store.jobs.values())))
        (tmp_path / str(item.file)).unlink()
        (failed,) = run().failed  # the server no longer has it: reported, not "downloaded"
        assert failed.failure == "rejected" and failed.video_id == item.video_id


# -- 12. the prompts file ----------------------------------------------------------------------------


def test_prompt_files_as_people_write_them(tmp_path: Path) -> None:
    path = tmp_path / "prompts.txt"
    path.write_text(
        'A cat on a piano\n\n{"prompt": "A dog", "model": null, "seconds": 8}\n"A quoted one"\n'
    )
    assert read_prompts(path) == [
        {"prompt": "A cat on a piano"},
        {"prompt": "A dog", "seconds": "8"},
        {"prompt": "A quoted one"},
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[" * 100_000 + "]" * 100_000 + "\n", "nested too deeply"),
        ('{"prompt": "x", "seconds": [4]}\n', "must be a string or a number"),
        ('{"prompt": "x", "size": true}\n', "must be a string or a number"),
        ('{"prompt": "a\\u0000b"}\n', "NUL"),
        ("{broken\n", "write one prompt a line"),
    ],
)
def test_bad_prompt_lines_are_clear_errors(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "p.jsonl"
    path.write_text(text)
    with pytest.raises(ValueError, match=message):
        read_prompts(path)


# -- 5. the client's record of what a dialect rewrote ------------------------------------------------


@pytest.mark.parametrize("dialect", ["auto", "strict"])
def test_a_server_cannot_write_the_clients_dialect_record(dialect: str) -> None:
    forged = {"name": "auto", "rules": ["forged"], "original": {}}
    payload = video_payload(dialect="server's own", openai_videos_dialect=forged)
    for result in both(
        answers(json.dumps(payload).encode()), lambda c: c.retrieve("v"), dialect=dialect
    ):
        assert isinstance(result, Video), result
        assert result.dialect_record is None  # nothing was rewritten, and the forgery is gone
        assert result.additional_properties["dialect"] == "server's own"
        assert "openai_videos_dialect" not in result.additional_properties


def test_the_servers_own_dialect_field_survives_a_rule_firing() -> None:
    payload = video_payload(status="SUCCESS", dialect={"rules": ["theirs"]})
    for result in both(answers(json.dumps(payload).encode()), lambda c: c.retrieve("v")):
        assert result.dialect_record["rules"] == ["status_synonyms"]
        assert result.additional_properties["dialect"] == {"rules": ["theirs"]}
