"""Decision tables for the I/O-free modules whose small changes no other test would notice
(issue 20, item 13): file names from server strings, the body reader, dialects you write."""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path

import httpx
import pytest

from openai_videos import APIResponseValidationError, Dialect, OpenAIVideos
from openai_videos._body import BodyReader, is_media
from openai_videos._paths import MAX_NAME_PART, inside, safe_name

# -- _paths ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("server_string", "cleaned", "hashed"),
    [
        ("video_abc-1.2", "video_abc-1.2", False),  # already safe: unchanged
        (".hidden", "_hidden-", True),  # never a leading dot
        ("..", "_.-", True),
        ("con", "_con-", True),  # Windows device names
        ("NUL.txt", "_NUL.txt-", True),
        ("lpt9", "_lpt9-", True),
        ("console", "console", False),  # only the exact device names
        ("a/b", "a_b-", True),
        ("é", "_-", True),
        ("", "", True),  # empty: the hash alone
    ],
)
def test_safe_name_without_a_prefix(server_string: str, cleaned: str, hashed: bool) -> None:
    name = safe_name(server_string)
    assert name.startswith(cleaned)
    assert len(name) == len(cleaned) + (12 if hashed else 0)
    if hashed:
        assert all(c in "0123456789abcdef" for c in name[-12:])


def test_safe_name_is_bounded_and_keeps_ids_apart() -> None:
    long = "x" * 400
    name = safe_name(long, prefix="0001-", suffix=".mp4")
    assert name.startswith("0001-" + "x" * MAX_NAME_PART + "-") and name.endswith(".mp4")
    assert len(name) == 5 + MAX_NAME_PART + 1 + 12 + 4
    assert safe_name("a/b") != safe_name("a_b") and safe_name("a_b") == "a_b"


@pytest.mark.parametrize(
    "name", ["../x", "a/b", "..", ".", "", "/etc/passwd", "a/../b", "./b", "a/", "b/"]
)
def test_inside_refuses_anything_but_one_plain_segment(tmp_path: Path, name: str) -> None:
    with pytest.raises(ValueError, match="refusing to write outside"):
        inside(tmp_path, name)


def test_inside_accepts_a_plain_name(tmp_path: Path) -> None:
    assert inside(tmp_path, "0001-video_1.mp4") == tmp_path / "0001-video_1.mp4"


# -- _body -------------------------------------------------------------------------------------------


def response(encoding: str | None = None, content_type: str = "application/json") -> httpx.Response:
    headers = {"content-type": content_type}
    if encoding is not None:
        headers["content-encoding"] = encoding
    return httpx.Response(200, headers=headers, request=httpx.Request("GET", "https://x.test/v1"))


@pytest.mark.parametrize(
    ("encoding", "compress"),
    [
        (None, lambda b: b),
        ("identity", lambda b: b),
        ("gzip", gzip.compress),
        ("x-gzip", gzip.compress),
        ("deflate", zlib.compress),
        ("deflate", lambda b: zlib.compress(b)[2:-4]),  # raw deflate, as some servers send it
    ],
)
def test_body_reader_decodes_what_it_asked_for(encoding: str | None, compress: object) -> None:
    body = b'{"id": "video_1"}' * 100
    reader = BodyReader(response(encoding), limit=10_000, deadline=None, clock=lambda: 0.0)
    raw = compress(body)  # type: ignore[operator]
    for start in range(0, len(raw), 7):
        reader.add(raw[start : start + 7])
    assert reader.response().content == body


def test_body_reader_refuses_what_it_did_not_ask_for() -> None:
    with pytest.raises(httpx.DecodingError, match="'br', which was not asked for"):
        BodyReader(response("br"), limit=None, deadline=None, clock=lambda: 0.0)


@pytest.mark.parametrize(("size", "refused"), [(100, False), (101, True)])
def test_body_reader_limit_is_exact(size: int, refused: bool) -> None:
    reader = BodyReader(response("gzip"), limit=100, deadline=None, clock=lambda: 0.0)
    raw = gzip.compress(b"x" * size)
    if refused:
        with pytest.raises(APIResponseValidationError, match="larger than 100 bytes"):
            reader.add(raw)
    else:
        reader.add(raw)
        assert len(reader.response().content) == size


def test_body_reader_deadline() -> None:
    now = [0.0]
    reader = BodyReader(response(), limit=None, deadline=5.0, clock=lambda: now[0])
    reader.add(b"{")
    now[0] = 5.0
    reader.add(b" ")  # at the deadline: still in time
    now[0] = 5.1
    with pytest.raises(httpx.ReadTimeout):
        reader.add(b"}")


@pytest.mark.parametrize(
    ("content_type", "media"),
    [("video/mp4", True), ("image/webp", True), ("application/octet-stream", True),
     ("binary/octet-stream", True), ("VIDEO/MP4", True), ("application/json", False),
     ("text/html", False)],
)  # fmt: skip
def test_what_counts_as_media(content_type: str, media: bool) -> None:
    assert is_media(response(content_type=content_type)) is media


# -- dialects you write ------------------------------------------------------------------------------


def test_a_custom_dialect_is_applied_and_recorded() -> None:
    def state_as_status(video: dict[str, object]) -> dict[str, object]:
        return {"status": video["state"]} if "state" in video else {}

    def answer(request: httpx.Request) -> httpx.Response:
        body = {"id": "v1", "object": "video", "state": "completed", "progress": 100,
                "model": "m", "seconds": "4", "created_at": 1}  # fmt: skip
        return httpx.Response(200, json=body)

    http = httpx.Client(transport=httpx.MockTransport(answer))
    mine = Dialect("mine", (state_as_status,))
    with OpenAIVideos(base_url="http://127.0.0.1/v1", http_client=http, dialect=mine) as client:
        video = client.retrieve("v1")
    assert video.is_completed
    assert video.dialect_record == {
        "name": "mine",
        "rules": ["state_as_status"],
        "original": {"status": None},
    }


def test_the_documented_name_bounds() -> None:
    assert MAX_NAME_PART == 96
    assert len(safe_name("x" * 400)) == 96 + 1 + 12  # cleaned part, "-", hash
    with pytest.raises(TypeError):
        safe_name("x", "0001-")  # type: ignore[misc]  # prefix and suffix are keywords only
