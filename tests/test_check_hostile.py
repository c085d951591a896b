"""``openai-videos check`` against servers worse than ours (issue 20, items 1 and 2): the
client's limits hold for it, and whatever a server sends becomes a finding, never a crash."""

from __future__ import annotations

import gzip
import json
import math
import time
import tracemalloc
from typing import Any

import httpx
import pytest
from click.testing import CliRunner
from conftest import video_payload
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openai_videos._check import run_check
from openai_videos._cli import cli

BASE = "https://gateway.test/v1"
JSON = {"content-type": "application/json"}


def check_with(handler: Any, **options: Any) -> Any:
    http = httpx.Client(transport=httpx.MockTransport(handler))
    return run_check(BASE, api_key="sk-test", http_client=http, **options)


def strict(report: Any) -> dict[str, Any]:
    """The report's JSON, which must be one strict JSON document."""
    data: dict[str, Any] = json.loads(json.dumps(report.to_json(), allow_nan=False))
    return data


def test_a_gzip_bomb_is_a_finding_within_bounded_memory() -> None:
    bomb = gzip.compress(b"[" + b" " * (256 * 2**20) + b"]", compresslevel=9)

    def handler(request: httpx.Request) -> httpx.Response:
        headers = {**JSON, "content-encoding": "gzip"}
        return httpx.Response(200, stream=httpx.ByteStream(bomb), headers=headers)

    tracemalloc.start()
    report = check_with(handler)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 96 * 2**20, f"{peak / 2**20:.0f} MiB for a 256 MiB bomb"
    listing = next(op for op in report.operations if op.operation == "list")
    assert listing.outcome == "fails" and "larger than" in listing.notes[0]
    strict(report)


class Drip(httpx.SyncByteStream):
    """A body that arrives one byte at a time, forever (a clock stands in for the wait)."""

    def __iter__(self) -> Any:
        while True:
            time.sleep(0.01)
            yield b" "


def test_a_dripping_server_cannot_keep_check_running() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, stream=Drip(), headers=JSON)

    http = httpx.Client(transport=httpx.MockTransport(handler))
    from openai_videos._check import Probe

    probe = Probe(http, BASE, "sk-test", timeout=0.3)
    started = time.monotonic()
    from openai_videos._check import ProbeFailed

    with pytest.raises(ProbeFailed, match=r"no complete answer within 0\.3 s"):
        probe.get("/videos")
    assert time.monotonic() - started < 2


def test_shapes_that_crashed_check_are_findings() -> None:
    video = video_payload(id=["an", "array"], progress="1e309", dialect="server's own")
    first = {"object": "list", "data": [video], "has_more": True, "last_id": "x"}

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/videos"):  # the second page is an array of numbers
            return httpx.Response(200, json=[1, 2] if "after" in request.url.params else first)
        return httpx.Response(200, content=b'{"id": "v", "progress": NaN}', headers=JSON)

    report = check_with(handler)
    data = strict(report)
    listing = next(op for op in data["operations"] if op["operation"] == "list")
    assert "the page after the first is not a list object with data" in listing["notes"]


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)
VIDEOISH = st.fixed_dictionaries(
    {},
    optional={key: JSON_VALUES for key in ("id", "object", "status", "progress", "size", "seconds",
                                            "model", "created_at", "error", "dialect", "task_id")},
)  # fmt: skip


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    listing=st.one_of(JSON_VALUES, st.fixed_dictionaries({"object": JSON_VALUES, "data": st.lists(VIDEOISH, max_size=3), "has_more": JSON_VALUES, "last_id": JSON_VALUES})),
    video=st.one_of(JSON_VALUES, VIDEOISH),
    error=JSON_VALUES,
    status=st.sampled_from([200, 201, 400, 401, 404, 500]),
)  # fmt: skip
def test_any_json_becomes_a_report(listing: Any, video: Any, error: Any, status: int) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        path = request.url.path
        body = listing if path.endswith("/videos") else error if "does_not_exist" in path else video
        text = json.dumps(body)  # NaN and Infinity as the bare tokens some servers send
        return httpx.Response(status, content=text.encode(), headers=JSON)

    report = check_with(handler)
    data = strict(report)
    assert {op["operation"] for op in data["operations"]} >= {"list", "retrieve", "errors"}
    assert all(not isinstance(x, float) or math.isfinite(x) for x in _numbers(data))
    notes = [note for op in data["operations"] for note in op["notes"]]
    assert not [note for note in notes if note.startswith("unreadable answer")], notes


def _numbers(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [n for item in value.values() for n in _numbers(item)]
    if isinstance(value, list):
        return [n for item in value for n in _numbers(item)]
    return [value]


def test_check_json_is_always_one_document(monkeypatch: pytest.MonkeyPatch) -> None:
    import openai_videos._check as check_module

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200, content=b'{"object": "list", "data": [{"progress": Infinity}]}', headers=JSON
        )

    original = check_module.run_check
    monkeypatch.setattr(
        check_module,
        "run_check",
        lambda base_url, **kw: original(
            base_url, **{**kw, "http_client": httpx.Client(transport=httpx.MockTransport(handler))}
        ),
    )
    result = CliRunner().invoke(cli, ["--json", "--api-key", "k", "--base-url", BASE, "check"])
    json.loads(result.stdout, parse_constant=lambda token: pytest.fail(f"bare {token}"))


@settings(max_examples=200, deadline=None)
@given(video=st.one_of(VIDEOISH, JSON_VALUES))
def test_every_dialect_rule_takes_any_json(video: Any) -> None:
    from openai_videos._dialects import ALL_RULES, DELETION_RULES, DIALECTS

    if isinstance(video, dict):
        for rule in (*ALL_RULES, *DELETION_RULES):
            assert isinstance(rule(dict(video)), dict)
    for dialect in DIALECTS.values():
        for operation in ("get_video", "list_videos", "delete_video", "create_video"):
            body = {"object": "list", "data": [video]} if operation == "list_videos" else video
            dialect.answer(operation, body)  # never raises
