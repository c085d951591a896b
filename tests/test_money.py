"""Never pay twice, never pay blind (issue 19), against a server that does NOT honour
Idempotency-Key (the emulator's ``ignores-idempotency`` profile), as many gateways do not."""

from __future__ import annotations

import asyncio
import contextlib
import json
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

from openai_videos import AsyncOpenAIVideos, InternalServerError, OpenAIVideos
from openai_videos._batch import (
    ForeignOutputs,
    Limits,
    RunStopped,
    open_store,
    run_batch,
)
from openai_videos._cli import EXIT_BUDGET, EXIT_JOB_FAILED, cli
from openai_videos._pricing import RateTable, UnknownRate, estimate, parse_rate, reported_cost
from openai_videos_emulator import EmulatorConfig, FaultPlan, run_emulator

PROMPTS = [{"prompt": f"Scene {i}"} for i in range(3)]


@pytest.fixture
def plan() -> FaultPlan:
    return FaultPlan()


@pytest.fixture
def careless(plan: FaultPlan) -> Iterator[Any]:
    """A server that ignores Idempotency-Key, with a fault plan the test scripts."""
    config = EmulatorConfig(
        job_seconds=0.2, render_fps=2, profile="ignores-idempotency", faults=plan
    )
    with run_emulator(config) as server:
        yield server


def batch(server: Any, out: Path, entries: list[dict[str, str]] = PROMPTS, **options: Any) -> Any:
    async def go() -> Any:
        async with AsyncOpenAIVideos(
            base_url=server.base_url, api_key=options.pop("key", None)
        ) as client:
            client._sleep = _no_sleep  # the client's own backoff: decisions, not delays
            return await run_batch(client, entries, out, concurrency=2, **options)

    return asyncio.run(go())


async def _no_sleep(seconds: float) -> None:
    await asyncio.sleep(0)


def statuses(out: Path) -> list[tuple[int, str]]:
    with contextlib.closing(sqlite3.connect(out / "batch.sqlite3")) as connection:
        return connection.execute("SELECT idx, status FROM batch_items ORDER BY idx").fetchall()


# -- 1. ambiguous creates are reconciled, never blindly repeated ----------------------------------


def test_the_profile_really_ignores_the_key(careless: Any) -> None:
    with httpx.Client(base_url=careless.base_url) as http:
        answers = [
            http.post("/videos", json={"prompt": "x"}, headers={"Idempotency-Key": "k"})
            for _ in range(2)
        ]
    assert answers[0].json()["id"] != answers[1].json()["id"]
    assert "idempotency-key" not in answers[0].headers
    assert careless.jobs_created == 2


@pytest.mark.parametrize("fault", ["500_after", "drop_after"])
def test_creates_failing_after_acting_make_one_job_per_prompt(
    careless: Any, plan: FaultPlan, tmp_path: Path, fault: str
) -> None:
    plan.script("POST", "/v1/videos", *[fault] * 4)
    report = batch(careless, tmp_path)
    assert careless.jobs_created == len(PROMPTS), "a prompt was paid for twice"
    assert report.ok and len(report.downloaded) == len(PROMPTS)


def test_the_library_finds_the_job_a_failed_create_made(careless: Any, plan: FaultPlan) -> None:
    plan.script("POST", "/v1/videos", "500_after")
    with OpenAIVideos(base_url=careless.base_url) as client:
        sent_at = time.time()
        with pytest.raises(InternalServerError) as caught:
            client.create("A lone lighthouse", seconds="8")
        assert caught.value.may_have_acted and not client.idempotency_confirmed
        client.create("A lone lighthouse", seconds="4")  # not the same request
        search = client.find_created("A lone lighthouse", seconds="8", sent_at=sent_at)
        assert search.complete and search.video is not None and search.video.seconds == "8"
        assert (
            client.find_created(
                "A lone lighthouse", seconds="8", sent_at=sent_at, exclude={search.video.id}
            ).video
            is None
        )


def test_the_async_library_finds_it_too(careless: Any, plan: FaultPlan) -> None:
    plan.script("POST", "/v1/videos", "drop_after")

    async def go() -> Any:
        async with AsyncOpenAIVideos(base_url=careless.base_url) as client:
            sent_at = time.time()
            with pytest.raises(Exception) as caught:
                await client.create("A red kite")
            assert caught.value.may_have_acted  # type: ignore[attr-defined]
            return await client.find_created("A red kite", sent_at=sent_at)

    assert asyncio.run(go()).video is not None
    assert careless.jobs_created == 1


def test_a_create_refused_before_acting_is_not_ambiguous(careless: Any, plan: FaultPlan) -> None:
    plan.script("POST", "/v1/videos", "429", "429", "429")
    with (
        OpenAIVideos(base_url=careless.base_url, max_retries=0) as client,
        pytest.raises(Exception) as caught,
    ):
        client.create("x")
    assert not caught.value.may_have_acted  # type: ignore[attr-defined]


def as_if_killed_while_creating(out: Path, entries: list[dict[str, str]]) -> Any:
    """The store as a process SIGKILLed right after claiming the first item's create."""
    store = open_store(None, out)
    store.open_run(entries, Limits())
    item = store.claim("killed-worker", lease_seconds=0.01, now=time.time() - 1)
    store.close()
    time.sleep(0.05)  # the dead worker's lease runs out
    return item


def test_a_create_killed_after_sending_is_adopted_on_rerun(careless: Any, tmp_path: Path) -> None:
    item = as_if_killed_while_creating(tmp_path, PROMPTS[:1])
    with httpx.Client(base_url=careless.base_url) as http:  # the create that got through
        http.post("/videos", json={"prompt": item.prompt}, headers={"Idempotency-Key": "x"})
    report = batch(careless, tmp_path, PROMPTS[:1])
    assert report.ok and careless.jobs_created == 1


def test_a_create_that_may_not_have_arrived_is_parked_not_resent(
    careless: Any, tmp_path: Path
) -> None:
    as_if_killed_while_creating(tmp_path, PROMPTS[:1])
    report = batch(careless, tmp_path, PROMPTS[:1])
    assert careless.jobs_created == 0 and not report.ok
    (parked,) = report.uncertain
    assert "searched 0 listed videos (back to the create)" in (parked.error or "")
    runner = CliRunner()
    shown = json.loads(
        runner.invoke(cli, ["--json", "batch", "status", "--out", str(tmp_path)]).stdout
    )
    assert shown["counts"]["uncertain"] == 1 and shown["uncertain"][0]["index"] == 0
    retried = runner.invoke(
        cli, ["--json", "batch", "retry", "--uncertain", "--out", str(tmp_path)]
    )
    assert json.loads(retried.stdout) == {"retried": 1}
    assert batch(careless, tmp_path, PROMPTS[:1]).ok and careless.jobs_created == 1


def test_a_server_that_honours_the_key_gets_the_create_again(tmp_path: Path) -> None:
    with run_emulator(EmulatorConfig(job_seconds=0.2, render_fps=2)) as server:
        batch(server, tmp_path / "warm", PROMPTS[:1])  # the key was echoed: noted in the store
        with contextlib.closing(sqlite3.connect(tmp_path / "warm" / "batch.sqlite3")) as connection:
            assert connection.execute("SELECT honours_key FROM batch_runs").fetchall() == [(1,)]
        item = as_if_killed_while_creating(tmp_path / "cold", PROMPTS[1:2])
        with httpx.Client(base_url=server.base_url) as http:
            http.post(
                "/videos",
                json={"prompt": item.prompt},
                headers={"Idempotency-Key": item.idempotency_key},
            )
        store = open_store(None, tmp_path / "cold")
        store.note_honours_key()
        store.close()
        before = server.jobs_created
        assert batch(server, tmp_path / "cold", PROMPTS[1:2]).ok
        assert server.jobs_created == before  # re-sent with its key: the server's own job


def test_a_list_that_fails_parks_the_item_with_the_reason(
    careless: Any, plan: FaultPlan, tmp_path: Path
) -> None:
    plan.script("POST", "/v1/videos", "500_after")
    plan.rate("500", 1.0, method="GET", path_prefix="/v1/videos")  # every GET fails
    report = batch(careless, tmp_path, PROMPTS[:1])
    assert careless.jobs_created == 1 and report.uncertain
    assert "could not be listed" in (report.uncertain[0].error or "")


# -- 2. the output directory is the last line of defence ------------------------------------------


def test_every_video_has_a_provenance_record(careless: Any, tmp_path: Path) -> None:
    report = batch(careless, tmp_path, PROMPTS[:1])
    (item,) = report.downloaded
    record = json.loads((tmp_path / f"{item.file}.json").read_text())
    video = tmp_path / str(item.file)
    assert record["prompt"] == "Scene 0" and record["video_id"] == item.video_id
    assert record["bytes"] == video.stat().st_size and len(record["sha256"]) == 64
    assert record["server"] == careless.base_url and record["estimated_usd"] == pytest.approx(0.4)


def test_a_lost_store_never_pays_again(careless: Any, tmp_path: Path) -> None:
    batch(careless, tmp_path)
    (tmp_path / "batch.sqlite3").unlink()
    for extra in ("-wal", "-shm"):
        (tmp_path / f"batch.sqlite3{extra}").unlink(missing_ok=True)
    with pytest.raises(ForeignOutputs, match="--adopt-outputs"):
        batch(careless, tmp_path)
    assert careless.jobs_created == len(PROMPTS)
    report = batch(careless, tmp_path, adopt_outputs=True)
    assert report.ok and careless.jobs_created == len(PROMPTS)
    assert len(report.downloaded) == len(PROMPTS)


def test_a_new_store_beside_old_videos_is_refused_by_the_cli(careless: Any, tmp_path: Path) -> None:
    batch(careless, tmp_path, PROMPTS[:1])
    prompts = tmp_path.parent / "prompts.jsonl"
    prompts.write_text(json.dumps(PROMPTS[0]) + "\n")
    result = CliRunner().invoke(
        cli,
        ["--base-url", careless.base_url, "batch", str(prompts), "--out", str(tmp_path),
         "--store", str(tmp_path.parent / "elsewhere.sqlite3")],
    )  # fmt: skip
    assert result.exit_code == 2 and "--adopt-outputs" in result.stderr
    assert careless.jobs_created == 1


# -- 4. fail fast where retrying cannot help --------------------------------------------------------


def test_a_wrong_key_stops_a_large_run_within_a_few_requests(tmp_path: Path) -> None:
    entries = [{"prompt": f"P{i}"} for i in range(1000)]
    with run_emulator(EmulatorConfig(api_key="right", job_seconds=0.2)) as server:
        with pytest.raises(RunStopped, match="refused the API key"):
            batch(server, tmp_path, entries, key="wrong")
        assert server.app.requests_served <= 4 and server.jobs_created == 0
    store = open_store(None, tmp_path)
    items = list(store.items())
    store.close()
    assert {(i.status, i.attempts, i.sent_at) for i in items} == {("pending", 0, None)}


def test_a_refused_parameter_fails_its_item_at_once(careless: Any, tmp_path: Path) -> None:
    entries = [{"prompt": "Fine"}, {"prompt": "Bad", "model": "not-a-model"}]
    served = careless.app.requests_served
    report = batch(careless, tmp_path, entries)
    (failed,) = report.failed
    assert failed.failure == "rejected" and "not-a-model" in (failed.error or "")
    assert report.requests.get("400") == 1  # no retries, no backoff
    assert careless.jobs_created == 1 and careless.app.requests_served - served < 12


# -- 6. cost before you pay, and a budget that holds -----------------------------------------------


def test_estimates_use_dated_sourced_rates() -> None:
    found = estimate(model="sora-2-pro", seconds="8", size="1792x1024")
    assert found.tier == "1024p" and found.usd == pytest.approx(4.0)
    assert found.rate.as_of and "OpenAI" in found.rate.source
    assert estimate().usd == pytest.approx(0.4)  # the spec's defaults: sora-2, 4 s, 720x1280
    veo = estimate(model="gemini/veo-3.1-fast-generate-preview", seconds=8, size="1920x1080")
    assert veo.usd == pytest.approx(0.96)
    with pytest.raises(UnknownRate, match="--rate 'my-model@720p="):
        estimate(model="my-model")
    table = RateTable().with_rates([parse_rate("my-model=0.25")])
    assert table.estimate(model="my-model", seconds=4).usd == pytest.approx(1.0)
    for bad in ("x", "m=abc", "=1", "m=nan", "m=-1"):
        with pytest.raises(ValueError, match="rate"):
            parse_rate(bad)


def test_rates_from_a_file_override_the_built_in_ones(tmp_path: Path) -> None:
    path = tmp_path / "rates.json"
    path.write_text(json.dumps([{"model": "sora-2", "tier": "720p", "usd_per_second": 0.2}]))
    assert RateTable.from_file(path).estimate().usd == pytest.approx(0.8)
    path.write_text('{"not": "a list"}')
    with pytest.raises(ValueError, match="list of rates"):
        RateTable.from_file(path)


def test_reported_cost_is_read_where_servers_put_it() -> None:
    assert reported_cost({"usage": {"provider_reported_cost_usd": 0.42}}) == 0.42
    assert reported_cost({"usage": {"cost": 1}}) == 1.0
    for body in ({}, {"usage": None}, {"usage": {"cost": float("nan")}}, {"usage": {"cost": True}}):
        assert reported_cost(body) is None


def test_create_over_its_budget_sends_nothing(careless: Any) -> None:
    result = CliRunner().invoke(
        cli,
        ["--base-url", careless.base_url, "create", "x", "--seconds", "12", "--max-cost", "1"],
    )
    assert result.exit_code == EXIT_BUDGET and "USD 1.20" in result.stderr
    unknown = CliRunner().invoke(
        cli, ["--base-url", careless.base_url, "create", "x", "--model", "m", "--max-cost", "9"]
    )
    assert unknown.exit_code == EXIT_BUDGET and "no rate for model 'm'" in unknown.stderr
    assert careless.app.requests_served == 0


def test_estimate_command(tmp_path: Path) -> None:
    shown = CliRunner().invoke(
        cli, ["--json", "estimate", "--model", "sora-2-pro", "--seconds", "12", "--count", "3"]
    )
    data = json.loads(shown.stdout)
    assert data["usd"] == pytest.approx(3.6) and data["total_usd"] == pytest.approx(10.8)


def test_dry_run_counts_and_prices_and_sends_nothing(careless: Any, tmp_path: Path) -> None:
    prompts = tmp_path / "prompts.jsonl"
    entries = [*PROMPTS, {"prompt": "odd", "model": "mystery"}]
    prompts.write_text("".join(json.dumps(e) + "\n" for e in entries))
    shown = CliRunner().invoke(
        cli,
        ["--json", "--base-url", careless.base_url, "batch", str(prompts), "--out",
         str(tmp_path / "out"), "--dry-run"],
    )  # fmt: skip
    data = json.loads(shown.stdout)
    assert data["jobs"] == 4 and data["estimated_usd"] == pytest.approx(1.2)
    assert data["unpriced"][0]["prompts"] == 1 and "mystery" in data["unpriced"][0]["reason"]
    assert careless.app.requests_served == 0 and not (tmp_path / "out").exists()


def test_a_budget_of_n_jobs_makes_n_jobs(careless: Any, tmp_path: Path) -> None:
    entries = [{"prompt": f"P{i}"} for i in range(5)]
    report = batch(careless, tmp_path, entries, max_cost=1.0)  # 0.40 a job: two fit
    assert careless.jobs_created == 2 and len(report.downloaded) == 2
    assert {item.failure for item in report.failed} == {"budget"}
    store = open_store(None, tmp_path)
    status = store.status()
    store.close()
    assert status.estimated_usd == pytest.approx(0.8) and status.budget == 1.0


def test_a_budget_with_an_unpriced_model_is_refused_before_anything(
    careless: Any, tmp_path: Path
) -> None:
    with pytest.raises(UnknownRate, match="'mystery'"):
        batch(careless, tmp_path, [{"prompt": "x", "model": "mystery"}], max_cost=5.0)
    assert careless.app.requests_served == 0


def test_budget_and_status_from_the_cli(careless: Any, tmp_path: Path) -> None:
    prompts = tmp_path / "prompts.jsonl"
    prompts.write_text("".join(json.dumps(e) + "\n" for e in PROMPTS))
    out = tmp_path / "out"
    ran = CliRunner().invoke(
        cli,
        ["--base-url", careless.base_url, "batch", str(prompts), "--out", str(out),
         "--max-cost", "0.5"],
    )  # fmt: skip
    assert ran.exit_code == EXIT_JOB_FAILED and careless.jobs_created == 1
    status = json.loads(
        CliRunner().invoke(cli, ["--json", "batch", "status", "--out", str(out)]).stdout
    )
    assert status["spend"] == {"estimated_usd": 0.4, "reported_usd": None, "budget_usd": 0.5}
    assert status["counts"]["failed"] == 2


def test_what_the_server_reports_it_charged_is_recorded(tmp_path: Path) -> None:
    from conftest import video_payload

    def server(request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            return httpx.Response(200, json=video_payload(status="queued", progress=0))
        if request.url.path.endswith("/content"):
            return httpx.Response(200, content=bytes(100), headers={"content-type": "video/mp4"})
        usage = {"usage": {"provider_reported_cost_usd": 0.37}}  # LiteLLM's MiniMax mapping
        return httpx.Response(200, json={**video_payload(), **usage})

    async def go() -> Any:
        http = httpx.AsyncClient(transport=httpx.MockTransport(server))
        async with AsyncOpenAIVideos(base_url="http://127.0.0.1/v1", http_client=http) as client:
            return await run_batch(client, PROMPTS[:1], tmp_path)

    (item,) = asyncio.run(go()).downloaded
    record = json.loads((tmp_path / f"{item.file}.json").read_text())
    assert record["reported_usd"] == 0.37 and record["estimated_usd"] == pytest.approx(0.4)
    store = open_store(None, tmp_path)
    status = store.status()
    store.close()
    assert status.reported_usd == 0.37


def test_an_account_out_of_quota_stops_the_run(tmp_path: Path) -> None:
    body = {"error": {"message": "You exceeded your current quota, please check your plan and "
                      "billing details.", "type": "insufficient_quota", "param": None,
                      "code": "insufficient_quota"}}  # fmt: skip
    seen: list[str] = []

    def server(request: httpx.Request) -> httpx.Response:
        seen.append(request.method)
        return httpx.Response(429, json=body)

    async def go() -> Any:
        http = httpx.AsyncClient(transport=httpx.MockTransport(server))
        async with AsyncOpenAIVideos(base_url="http://127.0.0.1/v1", http_client=http) as client:
            return await run_batch(client, [{"prompt": f"P{i}"} for i in range(50)], tmp_path)

    with pytest.raises(RunStopped, match="no quota left"):
        asyncio.run(go())
    assert len(seen) <= 4  # one refused create per slot, no retries, no waiting
    store = open_store(None, tmp_path)
    items = list(store.items())
    store.close()
    assert {(i.status, i.attempts, i.sent_at) for i in items} == {("pending", 0, None)}
