"""A hostile or broken server: each hole a security review found, closed (issue 11).

The whole classes (compressed, cut-off, oversized, nested and dripped answers against every
operation) are in ``test_faults.py``; hostile ids as paths are a property in
``test_properties.py``. Here: one regression test per reported case, sync and async.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import socket
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner
from conftest import video_payload

from openai_videos import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APITimeoutError,
    AsyncOpenAIVideos,
    IncompleteDownloadError,
    NotFoundError,
    OpenAIVideos,
    PollTimeout,
    Video,
    VideoList,
)
from openai_videos._cli import cli
from openai_videos_api.errors import PayloadError
from openai_videos_emulator import EmulatorConfig, FaultPlan, run_emulator

KEY = "sk-hostile-test-key"
BASE = "https://api.test/v1"
Handler = Callable[[httpx.Request], httpx.Response]


def sync_client(handler: Handler, **options: Any) -> OpenAIVideos:
    http = httpx.Client(transport=httpx.MockTransport(handler))
    client = OpenAIVideos(api_key=KEY, base_url=BASE, http_client=http, **options)
    client._sleep = lambda seconds: None
    return client


def async_client(handler: Handler, **options: Any) -> AsyncOpenAIVideos:
    http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    client = AsyncOpenAIVideos(api_key=KEY, base_url=BASE, http_client=http, **options)

    async def no_sleep(seconds: float) -> None:
        return None

    client._sleep = no_sleep
    return client


def both(handler: Handler, call: Callable[[Any], Any], **options: Any) -> list[Any]:
    """``call(client)`` with the sync and the async client; the results (or raised errors)."""
    results: list[Any] = []
    with sync_client(handler, **options) as client:
        try:
            results.append(call(client))
        except Exception as error:
            results.append(error)

    async def run_async() -> Any:
        async with async_client(handler, **options) as client:
            return await call(client)

    try:
        results.append(asyncio.run(run_async()))
    except Exception as error:
        results.append(error)
    return results


@pytest.fixture
def server() -> Iterator[Any]:
    plan = FaultPlan(slow_seconds=3.0)
    with run_emulator(EmulatorConfig(job_seconds=0.05, render_fps=2, faults=plan)) as running:
        yield running


def completed(server: Any) -> str:
    with OpenAIVideos(base_url=server.base_url) as client:
        return client.create_and_poll("source", poll_interval=0.02).id


# -- 1. a cut-off download of unknown length is not complete -----------------------------------


@pytest.mark.parametrize("variant", ["sync", "async"])
def test_chunked_download_cut_off_is_resumed_not_saved_short(
    server: Any, tmp_path: Path, variant: str
) -> None:
    video_id = completed(server)
    with OpenAIVideos(base_url=server.base_url) as client:
        whole = client.download_content(video_id)
    server.app.config.faults.script("GET", f"/v1/videos/{video_id}/content", "cut_chunked")
    target = tmp_path / "out.mp4"
    if variant == "sync":
        with OpenAIVideos(base_url=server.base_url) as client:
            client.download_to(video_id, target)
    else:

        async def download() -> None:
            async with AsyncOpenAIVideos(base_url=server.base_url) as client:
                await client.download_to(video_id, target)

        asyncio.run(download())
    assert target.read_bytes() == whole


def test_chunked_download_cut_off_without_retries_leaves_nothing(
    server: Any, tmp_path: Path
) -> None:
    video_id = completed(server)
    server.app.config.faults.script("GET", f"/v1/videos/{video_id}/content", "cut_chunked")
    with (
        OpenAIVideos(base_url=server.base_url, max_retries=0) as client,
        pytest.raises(IncompleteDownloadError, match="unknown number of bytes"),
    ):
        client.download_to(video_id, tmp_path / "out.mp4")
    assert list(tmp_path.iterdir()) == []


# -- 3. every httpx error is a typed, redacted APIError --------------------------------------


def test_gzip_201_create_parses_once() -> None:
    body = gzip.compress(json.dumps(video_payload(status="queued")).encode())
    headers = {"content-encoding": "gzip", "content-type": "application/json"}
    for result in both(
        lambda request: httpx.Response(201, content=body, headers=headers),
        lambda client: client.create("a dog"),
    ):
        assert isinstance(result, Video) and result.status == "queued"


def test_broken_gzip_is_a_typed_error_with_the_key_redacted_and_the_idempotency_key() -> None:
    headers = {"content-encoding": "gzip", "content-type": "application/json"}
    for error in both(
        lambda request: httpx.Response(200, content=b"\x1f\x8bgarbage", headers=headers),
        lambda client: client.create("a dog"),
    ):
        assert isinstance(error, APIConnectionError), error
        assert "could not be decoded" in str(error)
        assert error.idempotency_key and error.idempotency_key.startswith("openai-videos-")
        assert KEY not in str(error.request.headers)


@pytest.mark.parametrize("fault", ["truncate", "cut_chunked"])
def test_cut_off_error_answer_during_download_is_typed(
    server: Any, tmp_path: Path, fault: str
) -> None:
    server.app.config.faults.script("GET", "/v1/videos/video_nope/content", fault, fault, fault)
    with OpenAIVideos(base_url=server.base_url) as client, pytest.raises(APIError) as caught:
        client.download_to("video_nope", tmp_path / "x.mp4")
    assert not isinstance(caught.value, httpx.HTTPError)
    assert list(tmp_path.iterdir()) == []


def test_cut_off_non_media_answer_during_download_is_typed(tmp_path: Path) -> None:
    class CutOff(httpx.SyncByteStream, httpx.AsyncByteStream):
        """A body that breaks after its first chunk, for both kinds of client."""

        def __init__(self, request: httpx.Request) -> None:
            self.request = request

        def __iter__(self) -> Iterator[bytes]:
            yield b'{"video_url": "https://cdn'
            raise httpx.RemoteProtocolError("peer closed connection", request=self.request)

        async def __aiter__(self) -> Any:
            for chunk in self:
                yield chunk

    def handler(request: httpx.Request) -> httpx.Response:
        headers = {"content-type": "application/json"}
        return httpx.Response(200, stream=CutOff(request), headers=headers)

    for error in both(handler, lambda client: client.download_to("video_1", tmp_path / "x.mp4")):
        assert isinstance(error, APIConnectionError), error
    assert list(tmp_path.iterdir()) == []


# -- 4. bounded body size and an overall deadline ----------------------------------------------


class Chunked(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A body that arrives in 64 KiB pieces, as from the network (not read up front)."""

    def __init__(self, body: bytes) -> None:
        self.body = body

    def __iter__(self) -> Iterator[bytes]:
        for start in range(0, len(self.body), 2**16):
            yield self.body[start : start + 2**16]

    async def __aiter__(self) -> Any:
        for chunk in self:
            yield chunk


def test_gzip_bomb_is_refused_within_bounded_memory() -> None:
    bomb = gzip.compress(b"[" + b" " * (256 * 2**20) + b"]", compresslevel=9)
    headers = {"content-encoding": "gzip", "content-type": "application/json"}
    client = sync_client(lambda request: httpx.Response(200, stream=Chunked(bomb), headers=headers))
    tracemalloc.start()
    try:
        with client, pytest.raises(APIResponseValidationError, match="larger than 16,777,216"):
            client.retrieve("video_1")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 64 * 2**20, f"peak {peak / 2**20:.0f} MiB while refusing a bomb"


def test_a_dripping_server_cannot_stretch_a_call_past_its_timeout(server: Any) -> None:
    with OpenAIVideos(base_url=server.base_url) as client:
        for _ in range(4):
            client.create("a prompt long enough to make the page a few hundred bytes longer")
    # the page trickles out 64 bytes at a time, each well within the 1 s read timeout
    server.app.config.faults.slow_seconds = 12.0
    server.app.config.faults.rate("drip", 1.0, method="GET", path_prefix="/v1/videos")
    with (
        OpenAIVideos(base_url=server.base_url, timeout=1.0, max_retries=0) as client,
        pytest.raises(APITimeoutError, match="did not arrive in time"),
    ):
        client.list().first_page()


def test_a_dripping_server_cannot_stretch_a_poll_past_its_timeout(server: Any) -> None:
    with OpenAIVideos(base_url=server.base_url) as client:
        video = client.create("slow")
    server.app.config.faults.rate("drip", 1.0, method="GET", path_prefix=f"/v1/videos/{video.id}")
    with (
        OpenAIVideos(base_url=server.base_url, max_retries=0) as client,
        pytest.raises((PollTimeout, APITimeoutError)),
    ):
        client.poll(video.id, timeout=0.5, poll_interval=0.1)


# -- 6. deeply nested JSON ---------------------------------------------------------------------


def test_deeply_nested_json_is_a_typed_error() -> None:
    nested = b"[" * 200_000 + b"]" * 200_000
    for operation in (
        lambda client: client.retrieve("video_1"),
        lambda client: client.download_content("video_1"),
    ):
        for error in both(
            lambda request: httpx.Response(
                200, content=nested, headers={"content-type": "application/json"}
            ),
            operation,
        ):
            assert isinstance(error, APIResponseValidationError), error


def test_deeply_nested_error_body_still_gives_the_status_error() -> None:
    nested = b"[" * 200_000 + b"]" * 200_000
    for error in both(
        lambda request: httpx.Response(404, content=nested), lambda c: c.retrieve("video_1")
    ):
        assert isinstance(error, NotFoundError)


# -- 7. cross-origin redirects carry none of our headers --------------------------------------


def test_cross_origin_redirect_drops_every_header_of_ours() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.host == "api.test":
            return httpx.Response(302, headers={"location": "https://cdn.example/v.mp4?sig=1"})
        return httpx.Response(200, content=b"mp4", headers={"content-type": "video/mp4"})

    options = {
        "default_headers": {"x-api-key": "secret-too", "X-Trace": "t"},
        "organization": "org-1",
        "project": "proj-1",
    }
    both(handler, lambda client: client.download_content("video_1"), **options)
    cdn = [request for request in seen if request.url.host == "cdn.example"]
    assert len(cdn) == 2
    for request in cdn:
        names = {name.lower() for name in request.headers}
        for ours in ("authorization", "x-api-key", "x-trace", "openai-organization"):
            assert ours not in names, ours
        assert "openai-project" not in names
    assert all("x-api-key" in request.headers for request in seen if request.url.host == "api.test")


# -- 8. a floor under the server's poll hint --------------------------------------------------


def test_zero_poll_hint_cannot_make_a_busy_loop() -> None:
    states = iter(["queued"] * 5 + ["completed"])

    def handler(request: httpx.Request) -> httpx.Response:
        payload = video_payload(status=next(states), progress=0)
        return httpx.Response(200, json=payload, headers={"openai-poll-after-ms": "0"})

    waits: list[float] = []
    with sync_client(handler) as client:
        client._sleep = waits.append
        client.poll("video_123", poll_interval=1.0)
    assert waits and min(waits) >= 0.2


# -- 9. arguments are checked before any money is spent --------------------------------------


@pytest.mark.parametrize("bad", [{"poll_interval": 0}, {"timeout": -1}])
def test_create_and_poll_checks_every_argument_before_creating(bad: dict[str, float]) -> None:
    requests: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return httpx.Response(200, json=video_payload())

    for error in both(handler, lambda client: client.create_and_poll("a dog", **bad)):
        assert isinstance(error, ValueError)
    assert requests == []


# -- 10. out-of-range timestamps ----------------------------------------------------------------


@pytest.mark.parametrize("value", [10**18, -(10**18), 10**30])
def test_out_of_range_timestamp_is_a_payload_error(value: int) -> None:
    video = Video.from_dict(video_payload(created_at=value))
    with pytest.raises(PayloadError, match="created_at"):
        _ = video.created_at_datetime


# -- 11. every model is a hashable value --------------------------------------------------------


def test_video_list_is_hashable_and_hash_follows_equality() -> None:
    page = {"object": "list", "data": [video_payload()], "first_id": None, "last_id": None}
    first, second = VideoList.from_dict(page), VideoList.from_dict(page)
    assert first == second and hash(first) == hash(second)
    assert first != VideoList.from_dict({**page, "data": []})


# -- 2, 10, 12. the CLI against a hostile server ---------------------------------------------


def hostile_cli(monkeypatch: pytest.MonkeyPatch, handler: Handler) -> CliRunner:
    from openai_videos._cli import _app

    monkeypatch.setattr(_app.Context, "client", lambda self, **_: sync_client(handler))
    return CliRunner()


HOSTILE_IDS = ["../../../x", "/etc/passwd", "a/../../b", "con", "\x00nul", "..", "x" * 400]


@pytest.mark.parametrize("video_id", HOSTILE_IDS)
def test_cli_download_stays_inside_the_chosen_directory(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, video_id: str
) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/content"):
            return httpx.Response(200, content=b"mp4", headers={"content-type": "video/mp4"})
        return httpx.Response(200, json=video_payload(id=video_id))

    chosen = tmp_path / "inside" / "deeper"
    runner = hostile_cli(monkeypatch, handler)
    result = runner.invoke(cli, ["create", "a dog", "--download", str(chosen)])
    assert result.exit_code == 0, result.output
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert len(written) == 1 and written[0].parent == chosen, written
    assert len(written[0].name) <= 140 and written[0].read_bytes() == b"mp4"


def test_cli_shows_server_text_as_text(monkeypatch: pytest.MonkeyPatch) -> None:
    nasty = "[/x] [bold]loud[/bold] \x1b[2J\x1b]0;pwned\x07 \u202eevil"
    payload = video_payload(id="video_[/x]", prompt=nasty, created_at=10**18)

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/videos"):
            page = {"object": "list", "data": [payload], "first_id": None, "last_id": None}
            return httpx.Response(200, json=page)
        return httpx.Response(200, json=payload)

    runner = hostile_cli(monkeypatch, handler)
    for command in (["get", "video_1"], ["list"]):
        result = runner.invoke(cli, command, catch_exceptions=False)
        assert result.exit_code == 0, result.output
        assert "\x1b" not in result.output and "\x07" not in result.output
        assert "\u202e" not in result.output
    shown = runner.invoke(cli, ["get", "video_1"]).output
    assert "[/x] [bold]loud[/bold]" in shown
    assert "(out of range)" in shown


def test_cli_error_messages_are_text(monkeypatch: pytest.MonkeyPatch) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(404, json={"error": {"message": "[/x] gone \x1b[2J"}})

    result = hostile_cli(monkeypatch, handler).invoke(cli, ["get", "video_1"])
    assert result.exit_code == 3
    assert "[/x] gone" in result.output and "\x1b" not in result.output


# -- emulator: 13 to 16 -----------------------------------------------------------------------


def _video_file(tmp_path: Path, *, width: int, height: int, seconds: float) -> bytes:
    import av

    path = tmp_path / "clip.mp4"
    with av.open(str(path), mode="w") as container:
        stream = container.add_stream("libx264", rate=1)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        for index, pts in enumerate((0, int(seconds))):
            frame = av.VideoFrame(width, height, "yuv420p")
            frame.pts = pts
            for packet in stream.encode(frame):
                container.mux(packet)
            assert index < 2
        for packet in stream.encode():
            container.mux(packet)
    return path.read_bytes()


@pytest.mark.parametrize(
    ("shape", "reason"),
    [((64, 64, 100_000), "at most 60 s"), ((2, 2, 2), "each side must be 16")],
)
def test_emulator_refuses_uploads_it_should_not_render(
    server: Any, tmp_path: Path, shape: tuple[int, int, int], reason: str
) -> None:
    width, height, seconds = shape
    clip = _video_file(tmp_path, width=width, height=height, seconds=seconds)
    with (
        OpenAIVideos(base_url=server.base_url) as client,
        pytest.raises(APIError, match=reason) as caught,
    ):
        client.edit(clip, prompt="edit it")
    assert getattr(caught.value, "status_code", None) == 400
    assert server.jobs_created == 0


def test_emulator_limits_request_bodies(tmp_path: Path) -> None:
    config = EmulatorConfig(max_request_bytes=2**20)
    with run_emulator(config) as running, httpx.Client() as http:

        def stream() -> Iterator[bytes]:
            for _ in range(64):  # 16 MiB, chunked: no length announced
                yield b"x" * 2**18

        url = f"{running.base_url}/videos"
        streamed = http.post(url, content=stream(), headers={"content-type": "application/json"})
        assert streamed.status_code == 413
        assert _status_of_raw_request(running.port, f"Content-Length: {2**40}") == 413
        field = http.post(url, files={"prompt": (None, "p" * (2 * 2**19 + 10))})
        assert field.status_code in {400, 413}


def _status_of_raw_request(port: int, header: str) -> int:
    """The status a raw POST with ``header`` (and no body yet) gets: httpx will not send a
    Content-Length it does not mean."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(f"POST /v1/videos HTTP/1.1\r\nHost: x\r\n{header}\r\n\r\n".encode())
        return int(sock.recv(200).split(b" ", 2)[1])


def test_emulator_answers_malformed_input_with_4xx(server: Any) -> None:
    video_id = completed(server)
    with httpx.Client(base_url=server.base_url) as http:
        assert http.get("/videos", params={"limit": "\u00b2"}).status_code == 400
        ranged = http.get(f"/videos/{video_id}/content", headers={"range": "bytes=" + "9" * 5000})
        assert ranged.status_code in {200, 416}
        too_big = http.post("/videos", files={"prompt": (None, "p" * (2 * 2**20))})
        assert too_big.status_code == 400


def test_emulator_stats_need_the_key() -> None:
    with run_emulator(EmulatorConfig(api_key="sk-stats")) as running, httpx.Client() as http:
        stats = running.base_url.rsplit("/v1", 1)[0] + "/_emulator/stats"
        assert http.get(stats).status_code == 401
        authorised = http.get(stats, headers={"authorization": "Bearer sk-stats"})
        assert authorised.status_code == 200 and "jobs_created" in authorised.json()
