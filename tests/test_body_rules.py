"""The body reader's decisions at their edges (``_body``, no I/O): how much one decompression
step may produce, which bytes get the raw-deflate second reading, and what a ``/content``
answer that is not media says. Written from the mutants a mutation run found unkilled."""

from __future__ import annotations

import gzip
import json
import zlib

import httpx
import pytest

from openai_videos._body import DECODE_STEP, BodyReader, decode_step, not_media_error

MiB = 2**20


def reader(encoding: str, limit: int | None = None) -> BodyReader:
    answer = httpx.Response(
        200,
        headers={"content-type": "application/json", "content-encoding": encoding},
        request=httpx.Request("GET", "https://x.test/v1/videos"),
    )
    return BodyReader(answer, limit=limit, deadline=None, clock=lambda: 0.0)


@pytest.mark.parametrize(
    ("limit", "size", "step"),
    [
        (None, 0, MiB),  # no limit: one MiB a step, whatever came before
        (None, 50 * MiB, MiB),
        (100, 0, 101),  # one past the limit: enough to tell the body is over it
        (100, 60, 41),
        (100, 100, 1),
        (100, 101, 1),  # never zero (zlib reads 0 as "no bound")
        (100, 10**9, 1),
        (MiB - 2, 0, MiB - 1),
        (MiB - 1, 0, MiB),
        (MiB, 0, MiB),  # a large limit: still one MiB a step
        (16 * MiB, 3, MiB),
    ],
)
def test_how_much_one_decompression_step_may_produce(
    limit: int | None, size: int, step: int
) -> None:
    assert decode_step(limit, size) == step <= DECODE_STEP


def test_a_body_of_many_steps_is_decoded_whole() -> None:
    body = reader("gzip")
    body.add(gzip.compress(b"\0" * (3 * MiB + 5)))
    decoded = body.response().content
    assert len(decoded) == 3 * MiB + 5 and not decoded.strip(b"\0")


def deflate_parts(data: bytes) -> tuple[bytes, bytes]:
    """A zlib-wrapped deflate stream, as (everything but the checksum, the checksum)."""
    stream = zlib.compress(data)
    return stream[:-4], stream[-4:]


def test_a_wrong_checksum_after_the_first_bytes_is_refused() -> None:
    """The raw-deflate second reading is for a body's first bytes only: ``\\x03\\x00`` is an
    empty raw-deflate stream, which must not pass for the checksum of a started zlib one."""
    body, checksum = deflate_parts(b"ab")
    assert checksum != b"\x03\x00\x00\x00"
    decoder = reader("deflate")
    decoder.add(body)
    with pytest.raises(httpx.DecodingError, match="compressed body is broken"):
        decoder.add(b"\x03\x00\x00\x00")


@pytest.mark.parametrize("encoding", ["gzip", "x-gzip"])
def test_gzip_has_no_second_reading(encoding: str) -> None:
    raw_deflate = zlib.compress(b'{"id": "video_1"}')[2:-4]
    decoder = reader(encoding)
    with pytest.raises(httpx.DecodingError, match="compressed body is broken"):
        decoder.add(raw_deflate)


def test_deflate_that_is_neither_reading_is_refused_once() -> None:
    decoder = reader("deflate")
    with pytest.raises(httpx.DecodingError, match="compressed body is broken"):
        decoder.add(b"\xff\xff\xff\xff")


def test_an_empty_first_chunk_keeps_the_second_reading_open() -> None:
    decoder = reader("deflate")
    decoder.add(b"")
    decoder.add(zlib.compress(b"[1]")[2:-4])
    assert decoder.response().content == b"[1]"


def content_answer(body: bytes, content_type: str = "application/json") -> httpx.Response:
    return httpx.Response(
        200,
        content=body,
        headers={"content-type": content_type},
        request=httpx.Request("GET", "https://x.test/v1/videos/video_1/content"),
    )


@pytest.mark.parametrize(
    ("body", "link"),
    [
        ({"video_url": "https://cdn.test/a.mp4"}, "https://cdn.test/a.mp4"),
        ({"url": "https://cdn.test/b.mp4"}, "https://cdn.test/b.mp4"),
        ({"video_url": "https://cdn.test/a.mp4", "url": "https://cdn.test/b.mp4"},
         "https://cdn.test/a.mp4"),
        ({"video_url": "", "url": "https://cdn.test/b.mp4"}, "https://cdn.test/b.mp4"),
        ({"url": 5}, None),
        ({"video_url": ["https://cdn.test/a.mp4"]}, None),
        (["https://cdn.test/a.mp4"], None),
        ("https://cdn.test/a.mp4", None),
    ],
)  # fmt: skip
def test_a_page_instead_of_media_names_the_link_it_carries(body: object, link: str | None) -> None:
    error = not_media_error(content_answer(json.dumps(body).encode()))
    message = str(error)
    assert message.startswith(
        "expected media bytes from /v1/videos/video_1/content, got application/json"
    )
    if link is None:
        assert "link" not in message
    else:
        assert message.endswith(f"; the server sent a link instead: {link}")


def test_an_html_page_instead_of_media_says_what_came() -> None:
    error = not_media_error(content_answer(b"<html>Sign in</html>", "text/html; charset=utf-8"))
    assert str(error) == (
        "expected media bytes from /v1/videos/video_1/content, got text/html; charset=utf-8"
    )
