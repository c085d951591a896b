"""Real media for emulated jobs: an H.264 MP4, a WebP thumbnail and a JPEG sprite sheet.

Each frame shows slowly shifting colours, a moving disc, the prompt text and a running clock,
so a person can tell at a glance that the video plays and what it was asked for. Needs the
``server`` extra (PyAV, Pillow).
"""

from __future__ import annotations

import colorsys
import io
import math
import textwrap
from fractions import Fraction
from typing import IO

import av
from av.video.stream import VideoStream
from PIL import Image, ImageDraw, ImageFont

__all__ = ["Assets", "probe", "render"]

H264_ENCODERS = ("libx264", "libopenh264")
SPRITE_COLUMNS = 5
SPRITE_ROWS = 5
SPRITE_WIDTH = 160


class Assets:
    """The three downloadable variants of one video."""

    __slots__ = ("spritesheet", "thumbnail", "video")

    def __init__(self, video: bytes, thumbnail: bytes, spritesheet: bytes) -> None:
        self.video = video
        self.thumbnail = thumbnail
        self.spritesheet = spritesheet


def h264_encoder() -> str:
    """The H.264 encoder this PyAV build has: libx264, else libopenh264."""
    for name in H264_ENCODERS:
        if name in av.codecs_available:
            return name
    msg = f"this PyAV build has no H.264 encoder (tried {', '.join(H264_ENCODERS)})"
    raise RuntimeError(msg)


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=size)


def _frame(width: int, height: int, t: float, duration: float, prompt: str) -> Image.Image:
    hue = (t / max(duration, 1.0)) * 0.8
    top = tuple(int(c * 255) for c in colorsys.hsv_to_rgb(hue % 1, 0.55, 0.95))
    bottom = tuple(int(c * 255) for c in colorsys.hsv_to_rgb((hue + 0.35) % 1, 0.75, 0.55))
    gradient = Image.linear_gradient("L").resize((width, height))
    image = Image.composite(
        Image.new("RGB", (width, height), bottom), Image.new("RGB", (width, height), top), gradient
    )
    draw = ImageDraw.Draw(image)
    unit = min(width, height)
    radius = unit // 8
    cx = width / 2 + math.cos(t * 1.7) * (width / 2 - radius)
    cy = height / 2 + math.sin(t * 1.1) * (height / 3)
    draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), fill=(255, 255, 255))
    text_size = max(12, unit // 18)
    lines = textwrap.wrap(prompt, width=max(10, int(width / (text_size * 0.55))))[:6]
    draw.multiline_text(
        (unit // 20, unit // 20), "\n".join(lines), font=_font(text_size), fill=(15, 15, 30)
    )
    draw.text(
        (unit // 20, height - unit // 8),
        f"{t:05.2f} s",
        font=_font(text_size),
        fill=(255, 255, 255),
    )
    return image


def render(prompt: str, width: int, height: int, seconds: float, fps: int = 24) -> Assets:
    """Encode the video (true size and duration; ``fps`` trades smoothness for speed)."""
    even_width, even_height = width - width % 2, height - height % 2
    frame_count = max(1, round(seconds * fps))
    frames: list[Image.Image] = []
    buffer = io.BytesIO()
    with av.open(buffer, mode="w", format="mp4") as container:
        encoder = h264_encoder()
        stream = container.add_stream(encoder, rate=fps)
        assert isinstance(stream, VideoStream)  # noqa: S101 - an H.264 encoder makes a video stream
        stream.width, stream.height = even_width, even_height
        stream.pix_fmt = "yuv420p"
        if encoder == "libx264":
            stream.options = {"preset": "ultrafast", "tune": "stillimage"}
        stream.time_base = Fraction(1, fps)
        sample_every = max(1, frame_count // (SPRITE_COLUMNS * SPRITE_ROWS))
        for index in range(frame_count):
            image = _frame(even_width, even_height, index / fps, seconds, prompt)
            if index % sample_every == 0:
                frames.append(image)
            frame = av.VideoFrame.from_image(image)  # type: ignore[no-untyped-call]
            frame.pts = index
            container.mux(stream.encode(frame))
        container.mux(stream.encode(None))
    return Assets(buffer.getvalue(), _thumbnail(frames[len(frames) // 2]), _spritesheet(frames))


def _thumbnail(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="WEBP", quality=80)
    return out.getvalue()


def _spritesheet(frames: list[Image.Image]) -> bytes:
    tiles = frames[: SPRITE_COLUMNS * SPRITE_ROWS]
    tile_height = round(SPRITE_WIDTH * tiles[0].height / tiles[0].width)
    rows = math.ceil(len(tiles) / SPRITE_COLUMNS)
    sheet = Image.new("RGB", (SPRITE_WIDTH * SPRITE_COLUMNS, tile_height * rows))
    for index, tile in enumerate(tiles):
        x, y = index % SPRITE_COLUMNS, index // SPRITE_COLUMNS
        sheet.paste(tile.resize((SPRITE_WIDTH, tile_height)), (x * SPRITE_WIDTH, y * tile_height))
    out = io.BytesIO()
    sheet.save(out, format="JPEG", quality=80)
    return out.getvalue()


def probe(data: bytes | IO[bytes]) -> tuple[float, int, int, str]:
    """Duration in seconds, width, height and codec name of an encoded video (its bytes, or a
    binary file positioned at its start)."""
    source = io.BytesIO(data) if isinstance(data, bytes) else data
    with av.open(source, mode="r") as container:
        stream = container.streams.video[0]
        duration = float(container.duration / av.time_base) if container.duration else 0.0
        return (
            duration,
            stream.codec_context.width,
            stream.codec_context.height,
            stream.codec_context.name,
        )
