"""Reading what a client sends, within limits: bodies (JSON or multipart, uploads spooled),
declared and streamed lengths, uploaded images and videos, ``Range`` headers."""

from __future__ import annotations

import base64
import io
import re
import tempfile
from typing import IO, Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException
from starlette.requests import Request
from starlette.types import Message, Receive

from ._media import probe
from ._validation import EmulatorError

__all__ = [
    "MAX_FIELD_BYTES",
    "MAX_UPLOAD_SECONDS",
    "check_declared_length",
    "check_image",
    "decode_data_uri",
    "image_dimensions",
    "limited",
    "parse_range",
    "probe_upload",
    "read_body",
    "refuse_files",
]

_RANGE = re.compile(r"bytes=([0-9]{0,18})-([0-9]{0,18})")  # longer numbers: no valid range
_IMAGE_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"RIFF")
MAX_FIELD_BYTES = 1 * 2**20  # a text field of a multipart body (a prompt is at most 32,000 chars)
MAX_UPLOAD_SECONDS = 60  # an uploaded source video; the API's own clips are at most 20 s
MIN_SIDE, MAX_SIDE = 16, 1920  # pixels: the encoder needs some, rendering more costs too much


async def read_body(request: Request) -> tuple[dict[str, Any], dict[str, IO[bytes]]]:
    """Fields and uploaded files of a JSON or multipart body. Uploads are copied in chunks into
    spooled temporary files (in memory up to 1 MiB, on disk beyond), never read whole."""
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("application/json"):
        try:
            body = await request.json()
        except (ValueError, RecursionError):
            raise EmulatorError(400, "The request body is not valid JSON.") from None
        if not isinstance(body, dict):
            raise EmulatorError(400, "The request body must be a JSON object.")
        return body, {}
    if content_type.startswith("multipart/form-data"):
        fields: dict[str, Any] = {}
        files: dict[str, IO[bytes]] = {}
        try:
            async with request.form(max_part_size=MAX_FIELD_BYTES) as form:
                for key, value in form.multi_items():
                    if isinstance(value, UploadFile):
                        files[key] = await spool(value)
                        request.state.uploads.append(files[key])
                    else:
                        fields[key] = value
        except MultiPartException as exc:
            raise EmulatorError(400, f"Malformed multipart body: {exc.message}") from None
        return fields, files
    raise EmulatorError(
        400,
        f"Unsupported Content-Type {content_type!r}; send application/json or multipart/form-data.",
    )


async def spool(upload: UploadFile) -> IO[bytes]:
    copy = tempfile.SpooledTemporaryFile(max_size=2**20)  # noqa: SIM115 - closed by _respond
    while chunk := await upload.read(2**16):
        copy.write(chunk)
    copy.seek(0)
    return copy


def refuse_files(files: dict[str, IO[bytes]]) -> None:
    if files:
        name = next(iter(files))
        raise EmulatorError(400, f"Unexpected file field '{name}'.", param=name)


def check_image(upload: IO[bytes], param: str) -> None:
    head = upload.read(16)
    upload.seek(0)
    if not head.startswith(_IMAGE_MAGIC):
        raise EmulatorError(
            400, f"'{param}' must be a JPEG, PNG or WebP image.", param=param, code="invalid_image"
        )


def image_dimensions(content: bytes, param: str) -> tuple[int, int]:
    """Width and height of an uploaded image (400 if it is none)."""
    from PIL import Image, UnidentifiedImageError  # noqa: PLC0415 - with the server extra

    try:
        with Image.open(io.BytesIO(content)) as image:
            return image.size
    except (UnidentifiedImageError, OSError):
        raise EmulatorError(
            400, f"'{param}' must be a JPEG, PNG or WebP image.", param=param, code="invalid_image"
        ) from None


def decode_data_uri(url: str, param: str) -> bytes:
    """The bytes of a ``data:image/...;base64,`` URI (400 if malformed)."""
    head, _, data = url.partition(",")
    try:
        if not head.endswith(";base64"):
            raise ValueError(head)
        return base64.b64decode(data, validate=True)
    except ValueError:
        raise EmulatorError(
            400, f"'{param}' must be a base64 data URI.", param=param, code="invalid_image"
        ) from None


async def probe_upload(upload: IO[bytes], param: str) -> tuple[float, int, int, str]:
    """Duration, size and codec of an uploaded video, refused (400) outside what the emulator
    will render: at most ``MAX_UPLOAD_SECONDS`` long, sides from ``MIN_SIDE`` to ``MAX_SIDE``."""
    try:
        duration, width, height, codec = await run_in_threadpool(probe, upload)
    except Exception:  # any decoding failure means "not a video"
        raise EmulatorError(
            400, f"'{param}' must be a video file (MP4).", param=param, code="invalid_video"
        ) from None
    if not 0 <= duration <= MAX_UPLOAD_SECONDS:
        raise EmulatorError(
            400,
            f"'{param}' is {duration:g} s long; at most {MAX_UPLOAD_SECONDS} s are accepted.",
            param=param,
            code="invalid_video",
        )
    if not (MIN_SIDE <= width <= MAX_SIDE and MIN_SIDE <= height <= MAX_SIDE):
        raise EmulatorError(
            400,
            f"'{param}' is {width}x{height}; each side must be {MIN_SIDE} to {MAX_SIDE} pixels.",
            param=param,
            code="invalid_video",
        )
    return duration, width, height, codec


def limited(receive: Receive, limit: int) -> Receive:
    """``receive``, failing with 413 once the request body passes ``limit`` bytes."""
    received = 0

    async def receive_within_limit() -> Message:
        nonlocal received
        message = await receive()
        if message["type"] == "http.request":
            received += len(message.get("body", b""))
            if received > limit:
                raise too_large(limit)
        return message

    return receive_within_limit


def check_declared_length(request: Request, limit: int) -> None:
    declared = request.headers.get("content-length")
    if declared is None:
        return
    if not (declared.isascii() and declared.isdigit()):
        raise EmulatorError(400, "Invalid Content-Length header.")
    if len(declared) > 18 or int(declared) > limit:
        raise too_large(limit)


def too_large(limit: int) -> EmulatorError:
    return EmulatorError(
        413, f"The request body is larger than {limit:,} bytes.", code="request_too_large"
    )


def parse_range(header: str | None, size: int) -> tuple[int, int] | None:
    if not header:
        return None
    match = _RANGE.fullmatch(header.strip())
    if not match or not (match.group(1) or match.group(2)):
        return None
    first, last = match.groups()
    if not first:  # suffix range: the last N bytes
        start, end = max(0, size - int(last)), size - 1
    else:
        start, end = int(first), min(int(last), size - 1) if last else size - 1
    if start >= size or start > end:
        raise EmulatorError(
            416, f"Range {header!r} is not satisfiable for {size} bytes.", param="range"
        )
    return start, end
