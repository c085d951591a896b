"""The download decisions at their edges (``_download``, no I/O): which 206 is the whole file,
when a transfer is complete (identity and compressed), which lengths are believed, which
answers may continue a file. Written from the mutants a mutation run found unkilled."""

from __future__ import annotations

import io
from typing import Any

import httpx
import pytest

from openai_videos._download import Transfer, whole_body_error

URL = "http://127.0.0.1/v1/videos/video_1/content"


def answer(status: int, body: bytes = b"", **headers: str) -> httpx.Response:
    names = {key.replace("_", "-"): value for key, value in headers.items()}
    return httpx.Response(status, content=body, headers=names, request=httpx.Request("GET", URL))


@pytest.mark.parametrize(
    ("content_range", "body", "whole"),
    [
        ("bytes 0-3/4", b"abcd", True),
        ("bytes 0-3/5", b"abcd", False),  # the file is longer
        ("bytes 1-4/5", b"abcd", False),  # not from the start
        ("bytes 0-4/5", b"abcd", False),  # the range says 5 bytes, 4 came
        ("bytes 0-2/4", b"abcd", False),
        ("bytes 0-3/*", b"abcd", False),  # total unknown: cannot prove it is whole
        ("", b"abcd", False),
        ("bytes 0-0/1", b"a", True),
    ],
)
def test_which_206_is_the_whole_file(content_range: str, body: bytes, whole: bool) -> None:
    error = whole_body_error(answer(206, body, content_range=content_range))
    assert (error is None) is whole
    if error is not None:
        assert f"({len(body):,} bytes)" in str(error)


def test_a_200_is_whole_unless_empty() -> None:
    assert whole_body_error(answer(200, b"x")) is None
    assert "empty body" in str(whole_body_error(answer(200, b"")))


def transfer(first: httpx.Response, *chunks: bytes) -> Transfer:
    done = Transfer(io.BytesIO(), None)
    done.start(first)
    for chunk in chunks:
        done.write(chunk)
    return done


@pytest.mark.parametrize(
    ("length", "received", "complete"),
    [("4", b"abcd", True), ("5", b"abcd", False), ("3", b"abcd", False), (None, b"abcd", True)],
)
def test_an_identity_answer_is_complete_at_its_length(
    length: str | None, received: bytes, complete: bool
) -> None:
    headers = {"content_length": length} if length is not None else {}
    done = transfer(answer(200, **headers), received)
    done.end(answer(200), broken=False)
    assert done.complete is complete and done.total == (int(length) if length else None)


@pytest.mark.parametrize("length", ["1" * 21, "-4", "4.0", "0x10", " 4"])
def test_a_length_that_cannot_be_true_is_not_believed(length: str) -> None:
    done = transfer(answer(200, content_length=length), b"abcd")
    assert done.total is None and done.range_header() == {}  # nothing to resume against


def test_twenty_digits_are_still_a_length() -> None:
    assert transfer(answer(200, content_length="9" * 20)).total == int("9" * 20)


def test_a_compressed_answer_is_complete_when_its_wire_bytes_are() -> None:
    wire = httpx.Response(200, headers={"content-encoding": "gzip", "content-length": "10"},
                          request=httpx.Request("GET", URL))  # fmt: skip
    done = transfer(wire, b"decoded bytes, more than ten")
    assert done.total is None and done.range_header() == {}  # never resumed: starts over
    wire._num_bytes_downloaded = 10  # type: ignore[attr-defined]
    done.end(wire, broken=False)
    assert done.complete
    wire._num_bytes_downloaded = 9  # type: ignore[attr-defined]
    done.end(wire, broken=False)
    assert not done.complete
    unknown = transfer(answer(200, content_encoding="br"), b"x")
    unknown.end(answer(200), broken=False)
    assert unknown.complete  # no wire length announced: what arrived is taken


def test_a_broken_or_empty_body_is_never_complete() -> None:
    done = transfer(answer(200, content_length="4"), b"abcd")
    done.end(answer(200), broken=True)
    assert not done.complete and not done.empty
    empty = transfer(answer(200))
    empty.end(answer(200), broken=False)
    assert not empty.complete and empty.empty
    assert "empty body" in str(empty.incomplete_error(httpx.Request("GET", URL)))


def resumed(first: dict[str, str], second: dict[str, str]) -> Transfer:
    done = transfer(answer(200, **first), b"ab")
    done.start(answer(206, **second))
    return done


STRONG = {"content_length": "4", "etag": '"v1"'}


@pytest.mark.parametrize(
    ("first", "second", "continues"),
    [
        (STRONG, {"content_range": "bytes 2-3/4", "etag": '"v1"'}, True),
        (STRONG, {"content_range": "bytes 2-3/4", "etag": '"v2"'}, False),  # another file
        (STRONG, {"content_range": "bytes 2-3/5", "etag": '"v1"'}, False),  # another total
        (STRONG, {"content_range": "bytes 1-3/4", "etag": '"v1"'}, False),  # another start
        (STRONG, {"content_range": "bytes 2-3/*", "etag": '"v1"'}, False),
        ({"content_length": "4", "last_modified": "Mon"},
         {"content_range": "bytes 2-3/4", "last_modified": "Mon"}, True),
        ({"content_length": "4", "last_modified": "Mon"},
         {"content_range": "bytes 2-3/4", "last_modified": "Tue"}, False),
    ],
)  # fmt: skip
def test_which_206_may_continue_a_file(
    first: dict[str, str], second: dict[str, str], continues: bool
) -> None:
    done = resumed(first, second)
    assert done.restart is not continues
    assert done.received == (2 if continues else 0)  # a mismatch empties the file


def test_the_resume_asks_with_the_strong_validator_only() -> None:
    done = transfer(answer(200, content_length="4", etag='"v1"'), b"ab")
    assert done.range_header() == {"Range": "bytes=2-", "If-Range": '"v1"'}
    weak = transfer(answer(200, content_length="4", etag='W/"v1"', last_modified="Mon"), b"ab")
    assert weak.range_header() == {"Range": "bytes=2-", "If-Range": "Mon"}
    bare = transfer(answer(200, content_length="4"), b"ab")
    assert bare.range_header() == {"Range": "bytes=2-"}
    assert transfer(answer(200, content_length="4")).range_header() == {}  # nothing yet


def test_a_206_to_a_fresh_request_must_be_the_whole_file_to_be_taken() -> None:
    done = Transfer(io.BytesIO(), None)
    done.start(answer(206, content_range="bytes 0-3/4", etag='"v1"'))
    assert not done.restart and done.total == 4
    assert done.range_header() == {}  # nothing received yet
    done.write(b"ab")
    assert done.range_header()["If-Range"] == '"v1"'  # its validator was kept


def test_progress_reports_each_write() -> None:
    seen: list[Any] = []
    done = Transfer(io.BytesIO(), lambda got, total: seen.append((got, total)))
    done.start(answer(200, content_length="4"))
    done.write(b"ab")
    done.write(b"cd")
    assert seen == [(2, 4), (4, 4)]
