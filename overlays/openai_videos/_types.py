"""Argument types: the known values as literals (any other string still passes through)."""

from __future__ import annotations

import os
from typing import IO, Literal, TypeAlias, get_args

VideoModelName: TypeAlias = Literal["sora-2", "sora-2-pro"] | str
VideoSizeName: TypeAlias = Literal["720x1280", "1280x720", "1024x1792", "1792x1024"] | str
VideoSecondsValue: TypeAlias = Literal["4", "8", "12", 4, 8, 12] | str | int
ExtensionSecondsValue: TypeAlias = Literal["4", "8", "12", "16", "20", 4, 8, 12, 16, 20] | str | int
ContentVariant: TypeAlias = Literal["video", "thumbnail", "spritesheet"]
SortOrder: TypeAlias = Literal["asc", "desc"]
VideoStatusName: TypeAlias = Literal["queued", "in_progress", "completed", "failed"]

SPEC_STATUSES: frozenset[str] = frozenset(get_args(VideoStatusName))
"""The four statuses the spec knows (dialects read others into these)."""
VARIANT_SUFFIXES: dict[ContentVariant, str] = {
    "video": ".mp4",
    "thumbnail": ".webp",
    "spritesheet": ".jpg",
}
"""The file suffix of each downloadable variant."""

FileInput: TypeAlias = str | os.PathLike[str] | bytes | IO[bytes]
"""A file to upload: a path, its bytes, or a binary file object."""

ImageReferenceInput: TypeAlias = FileInput | dict[str, str]
"""An image to guide generation: a file, or ``{"file_id": ...}`` / ``{"image_url": ...}``."""

VideoInput: TypeAlias = str | os.PathLike[str] | bytes | IO[bytes] | dict[str, str]
"""A video to edit or extend: an id (``"video_..."`` or ``{"id": ...}``), a path, bytes, a file."""
