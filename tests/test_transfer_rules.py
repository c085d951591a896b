"""The download decisions at their edges (``_download``, no I/O): which 206 is the whole file,
when a transfer is complete (identity and compressed), which lengths are believed, which
answers may continue a file. Written from the mutants a mutation run found unkilled."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path
from typing import Any

import httpx
import pytest

from openai_videos import _download
from openai_videos._download import Transfer, atomic_file, temporary_pattern, whole_body_error

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
        ("bytes 1-3/4", b"abcd", False),  # four bytes, but said to start at the second
        ("bytes 0-2/3", b"abcd", False),  # more bytes than the range
        ("bytes 0-4/4", b"abcd", False),  # a range past its own total
        ("bytes 0-299/300", b"v" * 300, True),  # numbers past the interned small ints
        ("bytes 0-299/300", b"v" * 301, False),
    ],
)
def test_which_206_is_the_whole_file(content_range: str, body: bytes, whole: bool) -> None:
    error = whole_body_error(answer(206, body, content_range=content_range))
    assert (error is None) is whole
    if error is not None:
        assert f"({len(body):,} bytes)" in str(error)


def test_a_200_is_whole_unless_empty() -> None:
    for status in (200, 203, 226):  # any 2xx but 206 is the whole file
        assert whole_body_error(answer(status, b"x", content_range="bytes 0-0/9")) is None
    assert "empty body" in str(whole_body_error(answer(200, b"")))


def transfer(first: httpx.Response, *chunks: bytes) -> Transfer:
    done = Transfer(io.BytesIO(), None)
    done.start(first)
    for chunk in chunks:
        done.write(chunk)
    return done


@pytest.mark.parametrize(
    ("length", "received", "complete"),
    [("4", b"abcd", True), ("5", b"abcd", False), ("3", b"abcd", False), (None, b"abcd", True),
     ("1000", b"v" * 1000, True)],
)  # fmt: skip
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
    for short_or_long in (9, 11):  # more than announced is not the answer it said either
        wire._num_bytes_downloaded = short_or_long  # type: ignore[attr-defined]
        done.end(wire, broken=False)
        assert not done.complete
    large = transfer(answer(200, content_encoding="gzip", content_length="5000"), b"x")
    wire._num_bytes_downloaded = 5000  # type: ignore[attr-defined]
    large.end(wire, broken=False)
    assert large.complete
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


def resumed(first: dict[str, str], second: dict[str, str], received: bytes = b"ab") -> Transfer:
    done = transfer(answer(200, **first), received)
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
        ({"content_length": "4", "last_modified": "Mon"},
         {"content_range": "bytes 2-3/4", "last_modified": "Fri"}, False),  # sorts before
        (STRONG, {"content_range": "bytes 2-3/4", "etag": '"v0"'}, False),  # sorts before
        (STRONG, {"content_range": "bytes 3-3/4", "etag": '"v1"'}, False),  # a gap
        (STRONG, {"content_range": "bytes 2-2/3", "etag": '"v1"'}, False),  # a smaller total
    ],
)  # fmt: skip
def test_which_206_may_continue_a_file(
    first: dict[str, str], second: dict[str, str], continues: bool
) -> None:
    done = resumed(first, second)
    assert done.restart is not continues
    assert done.received == (2 if continues else 0)  # a mismatch empties the file
    assert done.file.getvalue() == (b"ab" if continues else b"")  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("second", "continues"),
    [
        ({"content_range": "bytes 1000-1999/2000", "etag": '"v1"'}, True),
        ({"content_range": "bytes 1000-1999/2001", "etag": '"v1"'}, False),
        ({"content_range": "bytes 1001-1999/2000", "etag": '"v1"'}, False),
    ],
)
def test_a_large_file_continues_by_value_not_identity(
    second: dict[str, str], continues: bool
) -> None:
    done = resumed({"content_length": "2000", "etag": '"v1"'}, second, received=b"v" * 1000)
    assert done.restart is not continues


def test_one_byte_received_is_enough_to_check_the_continuation() -> None:
    done = resumed(STRONG, {"content_range": "bytes 1-3/4", "etag": '"v2"'}, received=b"a")
    assert done.restart and done.received == 0


def test_why_a_transfer_stopped_is_in_its_error() -> None:
    request = httpx.Request("GET", URL)
    known = transfer(answer(200, content_length="4"), b"ab")
    known.end(answer(200), broken=True)
    assert str(known.incomplete_error(request)) == (
        "download of /v1/videos/video_1/content stopped after 2 of 4 bytes"
    )
    unknown = transfer(answer(200), b"ab")
    unknown.end(answer(200), broken=True)
    assert str(unknown.incomplete_error(request)).endswith(
        "stopped after 2 of an unknown number of bytes"
    )
    spliced = resumed(STRONG, {"content_range": "bytes 2-3/4", "etag": '"v2"'})
    assert "parts of another file" in str(spliced.incomplete_error(request))


def test_a_transfer_without_an_answer_is_neither_complete_nor_resumable() -> None:
    done = Transfer(io.BytesIO(), None)
    assert (done.complete, done.restart, done.empty) == (False, False, False)
    assert done.range_header() == {}


@pytest.mark.parametrize("status", [200, 203, 226])
def test_only_a_206_is_a_partial_answer(status: int) -> None:
    done = transfer(answer(status, content_length="4"), b"abcd")
    done.end(answer(status), broken=False)
    assert done.complete and not done.restart and done.total == 4


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


# -- atomic_file ---------------------------------------------------------------------------------


@pytest.fixture
def fsyncs(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The descriptors ``fsync``ed (the real ``fsync`` still runs)."""
    seen: list[int] = []
    real_fsync = os.fsync

    def fsync(descriptor: int) -> None:
        seen.append(descriptor)
        real_fsync(descriptor)

    monkeypatch.setattr(_download.os, "fsync", fsync)
    return seen


def test_a_file_appears_whole_and_durable_by_default(tmp_path: Path, fsyncs: list[int]) -> None:
    target = tmp_path / "video_1.mp4"
    with atomic_file(target) as file:
        file.write(b"bytes")
        (temporary,) = (path for path in tmp_path.iterdir())
        assert temporary_pattern(re.escape(target.name)).fullmatch(temporary.name)
        assert not target.exists()  # nothing at the target until the block completes
    assert target.read_bytes() == b"bytes"
    assert list(tmp_path.iterdir()) == [target]  # the temporary file is gone
    assert len(fsyncs) == 2  # the file, then its directory


def test_a_scratch_file_is_not_flushed(tmp_path: Path, fsyncs: list[int]) -> None:
    with atomic_file(tmp_path / "v.mp4", durable=False) as file:
        file.write(b"bytes")
    assert (tmp_path / "v.mp4").read_bytes() == b"bytes" and fsyncs == []


def test_a_failed_block_leaves_the_target_as_it_was(tmp_path: Path) -> None:
    target = tmp_path / "v.mp4"
    target.write_bytes(b"previous")
    with pytest.raises(RuntimeError), atomic_file(target) as file:
        file.write(b"half")
        raise RuntimeError
    assert target.read_bytes() == b"previous" and list(tmp_path.iterdir()) == [target]


def test_a_missing_directory_is_refused_before_anything_is_made(tmp_path: Path) -> None:
    target = tmp_path / "nope" / "v.mp4"
    with pytest.raises(FileNotFoundError, match=r"directory .*nope.* does not exist"):
        atomic_file(target).__enter__()
    assert list(tmp_path.iterdir()) == []
    with atomic_file(tmp_path / "v.mp4") as file:  # an existing directory is taken
        file.write(b"x")
