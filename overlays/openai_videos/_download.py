"""Atomic downloads: a temporary file beside the target, renamed into place only when complete.

A failed or interrupted download leaves nothing at the target path (and removes its temporary
file). The I/O-free bookkeeping of a resumable transfer lives in ``Transfer``.
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import httpx

from ._errors import IncompleteDownloadError

ProgressCallback = Callable[[int, int | None], None]
"""Called as ``on_progress(received_bytes, total_bytes_or_None)`` after every chunk."""

_CONTENT_RANGE = re.compile(r"bytes (\d+)-(\d+)/(\d+|\*)")
PART_SUFFIX = ".part"


def temporary_pattern(names: str) -> re.Pattern[str]:
    """What the temporary files of ``atomic_file`` look like for targets whose names match the
    regex ``names`` (``.NAME.<12 hex>.part``): a sweep of stale ones can match exactly ours."""
    return re.compile(rf"^\.(?:{names})\.[0-9a-f]{{12}}{re.escape(PART_SUFFIX)}$")


@contextmanager
def atomic_file(target: Path, *, durable: bool = True) -> Iterator[IO[bytes]]:
    """A binary file that appears at ``target`` only if the block completes without error.

    ``durable`` flushes the file and the directory entry to disk (``fsync``) before returning,
    so the file survives a power cut too; without it the data may still be in the OS cache.
    """
    if not target.parent.is_dir():
        msg = f"cannot download to {str(target)!r}: directory {str(target.parent)!r} does not exist"
        raise FileNotFoundError(msg)
    temporary = target.with_name(f".{target.name}.{uuid.uuid4().hex[:12]}{PART_SUFFIX}")
    try:
        with temporary.open("wb") as file:
            yield file
            file.flush()
            if durable:
                os.fsync(file.fileno())
        os.replace(temporary, target)
        if durable:
            fsync_directory(target.parent)
    finally:
        temporary.unlink(missing_ok=True)


def fsync_directory(directory: Path) -> None:
    """Make a rename or a new file in ``directory`` durable."""
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


class Transfer:
    """Where a (possibly resumed) download stands. No I/O.

    Completeness is judged on what arrived: the decoded bytes against ``Content-Length`` for an
    identity-encoded answer; for a compressed one (a server that ignored ``Accept-Encoding:
    identity``), the bytes received on the wire against its ``Content-Length``. A body that
    broke off is never complete, whether or not a length was announced, and neither is an
    empty one (no video is zero bytes long).

    A resume can never splice two files: it is asked for only when the total length is known,
    with ``If-Range`` carrying the first answer's validator (a strong ``ETag``, else
    ``Last-Modified``), and a ``206`` is taken only if its start, its total and its validator
    match what the first answer said. Any mismatch starts the download over (``restart``).
    """

    def __init__(self, file: IO[bytes], on_progress: ProgressCallback | None) -> None:
        self.file = file
        self.on_progress = on_progress
        self.received = 0
        self.total: int | None = None
        self.complete = False
        self.restart = False  # the last answer could not continue this file: start over
        self.empty = False
        self._encoded = False
        self._wire_length: int | None = None
        self._etag: str | None = None
        self._last_modified: str | None = None

    def range_header(self) -> dict[str, str]:
        """Headers that ask for the rest of the content after a break: none when nothing
        arrived, when the total is unknown (a resumed answer could not be checked), or for a
        compressed answer (its byte ranges would count compressed bytes): it starts over."""
        if not self.received or self._encoded or self.total is None:
            return {}
        headers = {"Range": f"bytes={self.received}-"}
        validator = self._etag or self._last_modified
        if validator:
            headers["If-Range"] = validator
        return headers

    def start(self, response: httpx.Response) -> None:
        """Take in the headers of a (re)started response; sets ``restart`` when it cannot
        continue what this file holds (its body must then not be written)."""
        self.complete = self.restart = self.empty = False
        if response.status_code == 206:
            self._start_partial(response)
            return
        self._reset_file()
        length = response.headers.get("content-length", "")
        encoding = response.headers.get("content-encoding", "identity").strip().lower()
        self._encoded = encoding not in {"", "identity"}
        announced = int(length) if length.isdigit() and len(length) <= 20 else None
        self.total = None if self._encoded else announced
        self._wire_length = announced if self._encoded else None
        self._etag, self._last_modified = _validators(response)

    def _start_partial(self, response: httpx.Response) -> None:
        match = _CONTENT_RANGE.fullmatch(response.headers.get("content-range", "").strip())
        asked = self.received > 0
        etag, last_modified = _validators(response)
        if (
            match is None
            or match.group(3) == "*"
            or int(match.group(1)) != self.received
            or (asked and int(match.group(3)) != self.total)
            or (asked and self._etag is not None and etag != self._etag)
            or (asked and self._etag is None and last_modified != self._last_modified)
        ):
            self._reset_file()
            self.total, self._etag, self._last_modified = None, None, None
            self.restart = True
            return
        self.total = int(match.group(3))
        if not asked:  # a 206 to a request without Range: it must prove to be the whole file
            self._etag, self._last_modified = etag, last_modified
        self._encoded, self._wire_length = False, None

    def _reset_file(self) -> None:
        if self.received:  # the server ignored Range, or we start over
            self.file.seek(0)
            self.file.truncate()
            self.received = 0

    def write(self, chunk: bytes) -> None:
        """Append a chunk and report progress."""
        self.file.write(chunk)
        self.received += len(chunk)
        if self.on_progress is not None:
            self.on_progress(self.received, self.total)

    def end(self, response: httpx.Response, *, broken: bool) -> None:
        """The body of ``response`` ended, cleanly or (``broken``) with an error."""
        if broken:
            self.complete = False
        elif self.received == 0:
            self.complete, self.empty = False, True
        elif self._encoded:
            wire = self._wire_length
            self.complete = wire is None or response.num_bytes_downloaded == wire
        else:
            self.complete = self.total is None or self.received == self.total

    def incomplete_error(self, request: httpx.Request) -> IncompleteDownloadError:
        """The error for a transfer that could not be completed."""
        if self.empty:
            msg = f"download of {request.url.path}: the server sent an empty body, not media"
            return IncompleteDownloadError(msg, request=request)
        if self.restart:
            msg = (
                f"download of {request.url.path}: the server kept answering with parts of "
                "another file (Content-Range or validator did not match); nothing was saved"
            )
            return IncompleteDownloadError(msg, request=request)
        expected = f"{self.total:,}" if self.total is not None else "an unknown number of"
        msg = f"download of {request.url.path} stopped after {self.received:,} of {expected} bytes"
        return IncompleteDownloadError(msg, request=request)


def whole_body_error(response: httpx.Response) -> IncompleteDownloadError | None:
    """For a media answer read whole (``download_content``): an error unless its body is the
    whole file, i.e. not empty and, for a ``206``, the range ``0-(N-1)/N`` with N bytes."""
    path = response.request.url.path
    if not response.content:
        return IncompleteDownloadError(
            f"download of {path}: the server sent an empty body", request=response.request
        )
    if response.status_code != 206:
        return None
    match = _CONTENT_RANGE.fullmatch(response.headers.get("content-range", "").strip())
    size = len(response.content)
    if match and match.group(3) != "*":
        first, last, total = (int(part) for part in match.groups())
        if first == 0 and last == total - 1 == size - 1:
            return None
    msg = f"download of {path}: the server sent only part of the file ({size:,} bytes)"
    return IncompleteDownloadError(msg, request=response.request)


def _validators(response: httpx.Response) -> tuple[str | None, str | None]:
    """The answer's strong ``ETag`` and its ``Last-Modified`` (a weak ETag cannot be used in
    ``If-Range``)."""
    etag = response.headers.get("etag")
    if etag is not None and etag.strip().startswith("W/"):
        etag = None
    return etag, response.headers.get("last-modified")
