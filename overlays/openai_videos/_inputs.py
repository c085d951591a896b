"""Checks and conversions of user arguments, all before any request is made."""

from __future__ import annotations

import mimetypes
import os
from io import BytesIO
from pathlib import Path
from typing import IO

from openai_videos_api.types import File

from ._constants import MAX_PROMPT_LENGTH
from ._types import FileInput

__all__ = ["Upload", "check_id", "check_positive", "check_prompt", "read_upload"]


class Upload:
    """File contents read once, so a retried request can send them again."""

    __slots__ = ("content", "file_name", "mime_type")

    def __init__(self, content: bytes, file_name: str, mime_type: str) -> None:
        self.content = content
        self.file_name = file_name
        self.mime_type = mime_type

    def as_file(self) -> File:
        """A fresh generated-layer File over the contents."""
        return File(
            payload=BytesIO(self.content), file_name=self.file_name, mime_type=self.mime_type
        )

    def __repr__(self) -> str:
        return f"Upload({self.file_name!r}, {len(self.content)} bytes, {self.mime_type!r})"


def check_prompt(prompt: object, name: str = "prompt") -> str:
    """A prompt of 1 to 32,000 characters."""
    if not isinstance(prompt, str):
        msg = f"{name} must be a string, but received {type(prompt).__name__}"
        raise TypeError(msg)
    if not prompt.strip():
        msg = f"{name} must not be empty"
        raise ValueError(msg)
    if len(prompt) > MAX_PROMPT_LENGTH:
        msg = f"{name} is {len(prompt):,} characters long; the API accepts at most {MAX_PROMPT_LENGTH:,}"
        raise ValueError(msg)
    return prompt


def check_id(value: object, name: str) -> str:
    """A non-empty id string (any characters: it is percent-encoded into one path segment)."""
    if not isinstance(value, str) or not value:
        msg = f"{name} must be a non-empty string, but received {value!r}"
        raise ValueError(msg)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        msg = f"{name} must be valid Unicode text, but received {value!r}"
        raise ValueError(msg) from None
    return value


def check_positive(value: float | None, name: str) -> float | None:
    """None, or a number above zero."""
    if value is not None and not value > 0:
        msg = f"{name} must be a positive number of seconds, but received {value!r}"
        raise ValueError(msg)
    return value


def _guess_mime(file_name: str, content: bytes) -> str:
    signatures = {
        b"\x89PNG": "image/png",
        b"\xff\xd8\xff": "image/jpeg",
        b"GIF8": "image/gif",
    }
    for magic, mime in signatures.items():
        if content.startswith(magic):
            return mime
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "image/webp"
    if content[4:8] == b"ftyp":
        return "video/mp4"
    return mimetypes.guess_type(file_name)[0] or "application/octet-stream"


def read_upload(source: FileInput, name: str, *, allowed: tuple[str, ...]) -> Upload:
    """Read a path, bytes or binary file object, and check it is one of the ``allowed`` kinds
    (MIME prefixes such as ``"image/"``)."""
    file_name = "upload"
    if isinstance(source, bytes | bytearray | memoryview):
        content = bytes(source)
    elif isinstance(source, str | os.PathLike):
        path = Path(source)
        if not path.is_file():
            msg = f"{name}: no such file: {str(path)!r}"
            raise FileNotFoundError(msg)
        try:
            content = path.read_bytes()
        except OSError as exc:
            msg = f"{name}: cannot read {str(path)!r}: {exc.strerror}"
            raise ValueError(msg) from None
        file_name = path.name
    elif hasattr(source, "read"):
        stream: IO[bytes] = source
        content = stream.read()
        if not isinstance(content, bytes):
            msg = f"{name} must be opened in binary mode ('rb')"
            raise TypeError(msg)
        file_name = Path(str(getattr(source, "name", file_name))).name
    else:
        msg = f"{name} must be a path, bytes or a binary file, but received {type(source).__name__}"
        raise TypeError(msg)
    if not content:
        msg = f"{name} is empty"
        raise ValueError(msg)
    mime = _guess_mime(file_name, content)
    if not mime.startswith(allowed):
        kinds = " or ".join(a.rstrip("/") for a in allowed)
        msg = f"{name} must be {kinds}, but {file_name!r} looks like {mime}"
        raise ValueError(msg)
    return Upload(content, file_name, mime)
