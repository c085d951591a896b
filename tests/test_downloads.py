"""Downloads: atomic, length-checked, resumed only where the rest is the same file."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from client_harness import KEY, Chunked, Clock, Runner, error, make_sync, media
from fake_api import FakeAPI

from openai_videos import IncompleteDownloadError, NotFoundError

# -- downloads -------------------------------------------------------------------------------


def test_download_to_writes_the_file_and_reports_progress(
    run: Runner, api: FakeAPI, tmp_path: Path
) -> None:
    seen: list[tuple[int, int | None]] = []
    path = run(
        "download_to", "video_1", tmp_path / "out.mp4", on_progress=lambda r, t: seen.append((r, t))
    )
    assert path.read_bytes() == api.content
    assert seen[-1] == (len(api.content), len(api.content))
    assert [p.name for p in tmp_path.iterdir()] == ["out.mp4"]


def test_download_resumes_with_range(run: Runner, api: FakeAPI, tmp_path: Path) -> None:
    data = bytes(range(256)) * 40
    api.then(
        media(data[:3000], len(data), fail=True),
        media(data[3000:], len(data), fail=False, status=206, start=3000),
    )
    path = run("download_to", "video_1", tmp_path / "out.mp4")
    assert path.read_bytes() == data
    assert api.requests[1].headers["range"] == "bytes=3000-"


def test_download_restarts_when_range_is_ignored(run: Runner, api: FakeAPI, tmp_path: Path) -> None:
    data = bytes(range(256)) * 40
    api.then(media(data[:3000], len(data), fail=True), media(data, len(data), fail=False))
    assert run("download_to", "video_1", tmp_path / "out.mp4").read_bytes() == data


def test_interrupted_download_leaves_no_file(run: Runner, api: FakeAPI, tmp_path: Path) -> None:
    data = bytes(5000)
    api.then(*[media(data[:100], len(data), fail=True, ranges=False)] * 3)  # every attempt breaks
    target = tmp_path / "out.mp4"
    with pytest.raises(IncompleteDownloadError, match="100 of 5,000 bytes"):
        run("download_to", "video_1", target)
    assert list(tmp_path.iterdir()) == []


def test_failed_download_keeps_an_existing_file(run: Runner, api: FakeAPI, tmp_path: Path) -> None:
    target = tmp_path / "out.mp4"
    target.write_bytes(b"previous")
    api.then(error(404))
    with pytest.raises(NotFoundError):
        run("download_to", "video_1", target)
    assert target.read_bytes() == b"previous" and len(list(tmp_path.iterdir())) == 1


def test_download_into_a_missing_directory_fails_before_any_request(
    run: Runner, api: FakeAPI, tmp_path: Path
) -> None:
    with pytest.raises(FileNotFoundError, match="does not exist"):
        run("download_to", "video_1", tmp_path / "nope" / "out.mp4")
    assert api.requests == []


def test_redirect_to_another_host_drops_credentials(run: Runner, api: FakeAPI) -> None:
    api.then(
        httpx.Response(302, headers={"location": "https://cdn.other.test/signed?sig=1"}),
        httpx.Response(200, content=b"signed bytes", headers={"content-type": "video/mp4"}),
    )
    assert run("download_content", "video_1") == b"signed bytes"
    first, second = api.requests
    assert first.headers["authorization"] == f"Bearer {KEY}"
    assert str(second.url) == "https://cdn.other.test/signed?sig=1"
    assert "authorization" not in second.headers


@pytest.mark.parametrize(("durable", "flushes"), [(True, 2), (False, 0)])
def test_durable_download_flushes_file_and_directory(  # noqa: PLR0917 - fixtures and parameters
    api: FakeAPI,
    clock: Clock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    durable: bool,
    flushes: int,
) -> None:
    import openai_videos._download as download

    calls: list[int] = []
    monkeypatch.setattr(download.os, "fsync", calls.append)
    path = make_sync(api, clock).download_to("video_1", tmp_path / "v.mp4", durable=durable)
    assert path.read_bytes() == api.content and len(calls) == flushes


# -- resumes that cannot splice two files -------------------------------------------------------

DATA = bytes(range(256)) * 40  # 10,240 bytes
OTHER = bytes(reversed(DATA))  # another file of the same length


def test_a_resume_carries_the_first_answers_etag(run: Runner, api: FakeAPI, tmp_path: Path) -> None:
    api.then(
        media(DATA[:3000], len(DATA), fail=True, etag='"v1"'),
        media(DATA[3000:], len(DATA), fail=False, status=206, start=3000, etag='"v1"'),
    )
    assert run("download_to", "video_1", tmp_path / "out.mp4").read_bytes() == DATA
    assert api.requests[1].headers["range"] == "bytes=3000-"
    assert api.requests[1].headers["if-range"] == '"v1"'


def test_without_an_etag_a_resume_carries_last_modified(
    run: Runner, api: FakeAPI, tmp_path: Path
) -> None:
    stamp = "Wed, 25 Nov 2026 10:00:00 GMT"
    api.then(
        media(DATA[:3000], len(DATA), fail=True, etag='W/"weak"', last_modified=stamp),
        media(DATA[3000:], len(DATA), fail=False, status=206, start=3000, last_modified=stamp),
    )
    assert run("download_to", "video_1", tmp_path / "out.mp4").read_bytes() == DATA
    assert api.requests[1].headers["if-range"] == stamp  # a weak ETag cannot be used


@pytest.mark.parametrize(
    ("why", "second"),
    [
        ("total unknown", {"content_range": f"bytes 3000-{len(DATA) - 1}/*"}),
        ("another total", {"content_range": f"bytes 3000-{len(DATA) - 1}/{len(DATA) + 600}"}),
        ("another etag", {"etag": '"v2"'}),
        ("no etag at all", {"etag": ""}),
        ("wrong start", {"content_range": f"bytes 2000-{len(DATA) - 1}/{len(DATA)}"}),
        ("no content-range", {"content_range": ""}),
    ],
)
def test_a_resume_of_another_file_starts_over(
    run: Runner, api: FakeAPI, tmp_path: Path, why: str, second: dict[str, str]
) -> None:
    api.then(
        media(DATA[:3000], len(DATA), fail=True, etag='"v1"'),
        media(OTHER[3000:], len(DATA), fail=False, status=206, start=3000, **second),
        media(DATA, len(DATA), fail=False, etag='"v1"'),
    )
    saved = run("download_to", "video_1", tmp_path / "out.mp4").read_bytes()
    assert saved == DATA, f"spliced ({why})"
    assert "range" not in api.requests[2].headers  # started over from the first byte


def test_no_resume_is_asked_when_the_total_is_unknown(
    run: Runner, api: FakeAPI, tmp_path: Path
) -> None:
    def chunked(request: httpx.Request) -> httpx.Response:  # no Content-Length: total unknown
        return httpx.Response(
            200, headers={"content-type": "video/mp4"}, stream=Chunked([DATA[:3000]], True)
        )

    api.then(chunked, media(DATA, len(DATA), fail=False))
    assert run("download_to", "video_1", tmp_path / "out.mp4").read_bytes() == DATA
    assert "range" not in api.requests[1].headers


def test_a_server_that_keeps_splicing_saves_nothing(
    run: Runner, api: FakeAPI, tmp_path: Path
) -> None:
    splice = media(OTHER[3000:], len(DATA), fail=False, status=206, start=3000, etag='"v2"')
    api.then(media(DATA[:3000], len(DATA), fail=True, etag='"v1"'), splice, splice, splice)
    with pytest.raises(IncompleteDownloadError, match="another file"):
        run("download_to", "video_1", tmp_path / "out.mp4")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("status", [200, 204])
def test_an_empty_media_answer_is_never_saved(
    run: Runner, api: FakeAPI, tmp_path: Path, status: int
) -> None:
    empty = httpx.Response(status, headers={"content-type": "video/mp4", "content-length": "0"})
    api.then(empty, empty, empty)
    with pytest.raises(IncompleteDownloadError, match="empty body"):
        run("download_to", "video_1", tmp_path / "out.mp4")
    assert list(tmp_path.iterdir()) == []
    api.then(empty)
    with pytest.raises(IncompleteDownloadError, match="empty body"):
        run("download_content", "video_1")


def test_a_206_to_a_plain_request_must_prove_it_is_the_whole_file(
    run: Runner, api: FakeAPI, tmp_path: Path
) -> None:
    whole = media(DATA, len(DATA), fail=False, status=206, etag='"v1"')
    api.then(whole)
    assert run("download_to", "video_1", tmp_path / "b.mp4").read_bytes() == DATA
    api.then(
        media(DATA[:100], len(DATA), fail=False, status=206, start=0, content_range="bytes 0-99/*"),
        media(DATA, len(DATA), fail=False),
    )
    assert run("download_to", "video_1", tmp_path / "c.mp4").read_bytes() == DATA


def test_download_content_refuses_part_of_a_file(run: Runner, api: FakeAPI) -> None:
    part = media(DATA[:100], len(DATA), fail=False, status=206, content_range="bytes 0-99/*")
    api.then(part)
    with pytest.raises(IncompleteDownloadError, match="only part of the file"):
        run("download_content", "video_1")
    api.then(media(DATA, len(DATA), fail=False, status=206))
    assert run("download_content", "video_1") == DATA
