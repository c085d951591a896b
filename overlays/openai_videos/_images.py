"""Reference images: read their format and pixels from the header (no Pillow needed), check
them against a server's limits, and make them the requested size (``fit``, with Pillow: the
``images`` extra). No network I/O: a URL is passed on, never fetched.
"""

from __future__ import annotations

import base64
import io
import struct
from typing import Any, Literal

import attrs

from ._capabilities import ImageLimits
from ._inputs import read_upload

__all__ = ["Fit", "ImageError", "ReferenceImage", "load_image", "parse_size"]

Fit = Literal["crop", "pad", "stretch"]
FITS = ("crop", "pad", "stretch")


class ImageError(ValueError):
    """A reference image the server would refuse, found before any request."""


@attrs.frozen
class ReferenceImage:
    """An image's bytes with what its header says (or a URL, passed on unread)."""

    content: bytes | None
    mime_type: str | None = None
    width: int | None = None
    height: int | None = None
    url: str | None = None
    name: str | None = None  # the file's name, where it had one

    @property
    def size(self) -> str | None:
        return f"{self.width}x{self.height}" if self.width and self.height else None

    def data_uri(self) -> str:
        """The image inline (``data:image/png;base64,...``), or its URL."""
        if self.content is None:
            return str(self.url)
        return f"data:{self.mime_type};base64,{base64.b64encode(self.content).decode()}"

    def file_name(self) -> str:
        return self.name or "reference." + (self.mime_type or "image/png").split("/")[-1]

    def check(self, limits: ImageLimits, size: str | None, *, inline: bool) -> None:
        """Refuse what the server would: format, bytes (``inline``: as a data URI), pixels.

        Raises:
            ImageError: Which limit it passes, and how to fix it.
        """
        if self.content is None:
            return  # a URL: the server fetches and checks it
        if self.mime_type not in limits.formats:
            allowed = ", ".join(sorted(f.split("/")[-1].upper() for f in limits.formats))
            msg = f"the reference image is {self.mime_type or 'not an image'}; this server takes {allowed}"
            raise ImageError(msg)
        cap = (
            limits.max_data_uri_bytes if inline and limits.max_data_uri_bytes else limits.max_bytes
        )
        if cap is not None and len(self.content) > cap:
            how = " sent inline" if inline and limits.max_data_uri_bytes else ""
            msg = (
                f"the reference image is {len(self.content):,} bytes; this server takes at most "
                f"{cap:,}{how}"
            )
            raise ImageError(msg)
        side = max(self.width or 0, self.height or 0)
        if limits.max_side is not None and side > limits.max_side:
            msg = f"the reference image is {self.size}; this server takes at most {limits.max_side} px a side"
            raise ImageError(msg)
        if limits.exact_size and size is not None and self.size is not None and self.size != size:
            msg = (
                f"the reference image is {self.size} and the video {size}: this server refuses an "
                f"image of another size. Pass fit='crop' (fill, cutting the edges), fit='pad' "
                f"(whole image, bars added) or fit='stretch' (--fit on the command line)"
            )
            raise ImageError(msg)


def parse_size(size: str) -> tuple[int, int]:
    """``"720x1280"`` as (720, 1280).

    Raises:
        ImageError: Not WIDTHxHEIGHT.
    """
    width, _, height = size.lower().partition("x")
    if not (width.isdigit() and height.isdigit()) or not int(width) or not int(height):
        msg = f"size must be WIDTHxHEIGHT (as '720x1280') to fit an image to it, not {size!r}"
        raise ImageError(msg)
    return int(width), int(height)


def load_image(source: Any) -> ReferenceImage:
    """A reference image from a path, bytes, a binary file, a Pillow image or an https URL.

    Raises:
        ImageError: An http (not https) URL.
        FileNotFoundError: A path that names no file.
        TypeError: None of those kinds.
        ValueError: An empty file, or not an image (``read_upload``).
    """
    if isinstance(source, str) and source.startswith(("https://", "http://", "data:")):
        if source.startswith("http://"):
            msg = "a reference image URL must be https (servers refuse plain http)"
            raise ImageError(msg)
        return ReferenceImage(content=None, url=source)
    if _is_pillow_image(source):
        buffer = io.BytesIO()
        source.save(buffer, format="PNG")
        return inspect(buffer.getvalue())
    upload = read_upload(source, "input_reference", allowed=("image/", "video/"))
    found = inspect(upload.content)
    return attrs.evolve(found, mime_type=found.mime_type or upload.mime_type, name=upload.file_name)


def _is_pillow_image(value: object) -> bool:
    return type(value).__module__.startswith("PIL.") and hasattr(value, "save")


def inspect(content: bytes) -> ReferenceImage:
    """The format and pixels from the image's header (PNG, JPEG, WebP; others have none)."""
    for reader in (_png, _jpeg, _webp):
        found = reader(content)
        if found is not None:
            mime, width, height = found
            return ReferenceImage(content, mime, width, height)
    return ReferenceImage(content)


def _png(data: bytes) -> tuple[str, int, int] | None:
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR" or len(data) < 24:
        return None
    width, height = struct.unpack(">II", data[16:24])
    return "image/png", width, height


def _jpeg(data: bytes) -> tuple[str, int, int] | None:
    if data[:2] != b"\xff\xd8":
        return None
    at = 2
    while at + 9 < len(data):
        if data[at] != 0xFF:
            return None
        marker = data[at + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:  # no length
            at += 2
            continue
        (length,) = struct.unpack(">H", data[at + 2 : at + 4])
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):  # a start of frame
            height, width = struct.unpack(">HH", data[at + 5 : at + 9])
            return "image/jpeg", width, height
        at += 2 + length
    return None


def _webp(data: bytes) -> tuple[str, int, int] | None:
    if data[:4] != b"RIFF" or data[8:12] != b"WEBP" or len(data) < 30:
        return None
    chunk = data[12:16]
    if chunk == b"VP8 ":
        width, height = struct.unpack("<HH", data[26:30])
        return "image/webp", width & 0x3FFF, height & 0x3FFF
    if chunk == b"VP8L":
        bits = int.from_bytes(data[21:25], "little")
        return "image/webp", (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8X":
        width = int.from_bytes(data[24:27], "little") + 1
        height = int.from_bytes(data[27:30], "little") + 1
        return "image/webp", width, height
    return None


def fit_image(image: ReferenceImage, size: str, fit: str) -> ReferenceImage:
    """``image`` made exactly ``size`` by ``fit``: ``"crop"`` scales it to cover and cuts the
    centre out, ``"pad"`` scales it to fit and centres it on black, ``"stretch"`` resizes it.
    An image already that size is returned as it is. Needs Pillow (the ``images`` extra).

    Raises:
        ImageError: An unknown ``fit``, a URL (its pixels are not here), a bad ``size``, or
            Pillow missing.
    """
    if fit not in FITS:
        msg = f"fit must be one of {', '.join(FITS)}, not {fit!r}"
        raise ImageError(msg)
    if image.content is None:
        msg = "fit needs the image itself: a URL is sent as it is (pass the file or bytes)"
        raise ImageError(msg)
    width, height = parse_size(size)
    if image.size == f"{width}x{height}":
        return image
    try:
        from PIL import Image, ImageOps  # noqa: PLC0415 - an optional extra
    except ImportError:
        msg = "fit needs Pillow: pip install 'openai-videos[images]'"
        raise ImageError(msg) from None
    with Image.open(io.BytesIO(image.content)) as opened:
        source = opened.convert("RGB")
    resample = Image.Resampling.LANCZOS
    if fit == "crop":
        result = ImageOps.fit(source, (width, height), method=resample)
    elif fit == "pad":
        result = ImageOps.pad(source, (width, height), method=resample, color=(0, 0, 0))
    else:
        result = source.resize((width, height), resample)
    buffer = io.BytesIO()
    result.save(buffer, format="PNG")
    return inspect(buffer.getvalue())
