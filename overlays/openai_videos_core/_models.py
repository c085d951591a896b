"""Behaviour that the generated models inherit: convenience properties and readable reprs.

The generated classes (``openai_videos_api.models.Video`` and friends) list these mixins as
base classes, through the custom model template (``templates/model.py.jinja``). So every
``Video``, whether it comes from the high-level client or straight from a generated endpoint
function, is one and the same class with this behaviour.

This module must not import the generated package: the generated models import it while they
are being defined.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from ._payload import PayloadError

if TYPE_CHECKING:
    from openai_videos_api.models import Video

__all__ = [
    "DIALECT_RECORD_KEY",
    "DeletedVideoMixin",
    "VideoCharacterMixin",
    "VideoErrorMixin",
    "VideoListMixin",
    "VideoMixin",
    "timestamp_to_datetime",
]

# Where the client's dialect records what it rewrote, in ``additional_properties``. The client
# strips this key from every answer before reading it, so no server can write the record.
DIALECT_RECORD_KEY = "openai_videos_dialect"

# Some gateways report milliseconds; seconds will not reach this value until the year 5138.
_MILLISECONDS_THRESHOLD = 100_000_000_000

SUCCESS_STATUSES = frozenset({"completed"})
FAILURE_STATUSES = frozenset({"failed", "cancelled", "canceled", "expired", "deleted", "error"})


def timestamp_to_datetime(
    timestamp: int | float | None, *, model: str = "Video", field: str = "timestamp"
) -> datetime | None:
    """A Unix timestamp as an aware UTC datetime; milliseconds are recognised and scaled.

    Raises:
        PayloadError: The timestamp is outside what a datetime can hold (years 1 to 9999).
    """
    if timestamp is None:
        return None
    seconds = timestamp / 1000 if abs(timestamp) >= _MILLISECONDS_THRESHOLD else timestamp
    try:
        return datetime.fromtimestamp(seconds, tz=UTC)
    except (OverflowError, OSError, ValueError):
        raise PayloadError(model, field, f"timestamp {timestamp!r} is out of range") from None


def _short_repr(obj: object, names: tuple[str, ...]) -> str:
    parts = []
    for name in names:
        value = getattr(obj, name)
        if value is None:
            continue
        shown = str(value) if isinstance(value, str) else value
        parts.append(f"{name}={shown!r}")
    return f"{type(obj).__name__}({', '.join(parts)})"


class VideoMixin:
    """Properties shared by every ``Video``."""

    __slots__ = ()

    @property
    def dialect_record(self) -> dict[str, object] | None:
        """What the client's dialect rewrote to read this answer (``name``, ``rules``,
        ``original`` values), or None when it was read as sent."""
        record = self.additional_properties.get(DIALECT_RECORD_KEY)  # type: ignore[attr-defined]
        return record if isinstance(record, dict) else None

    if TYPE_CHECKING:
        id: str
        status: str
        created_at: int
        completed_at: int | None
        expires_at: int | None
        remixed_from_video_id: str | None

    @property
    def created_at_datetime(self) -> datetime:
        """When the job was created, as an aware UTC datetime."""
        created = timestamp_to_datetime(self.created_at, field="created_at")
        assert created is not None  # noqa: S101 - created_at is a required int
        return created

    @property
    def completed_at_datetime(self) -> datetime | None:
        """When the job finished, as an aware UTC datetime, or None while it runs."""
        return timestamp_to_datetime(self.completed_at, field="completed_at")

    @property
    def expires_at_datetime(self) -> datetime | None:
        """When the downloadable assets expire, as an aware UTC datetime, or None if unset."""
        return timestamp_to_datetime(self.expires_at, field="expires_at")

    @property
    def is_completed(self) -> bool:
        """The job finished and its assets can be downloaded."""
        return self.status in SUCCESS_STATUSES

    @property
    def is_failed(self) -> bool:
        """The job ended without a video (failed, or cancelled/expired on some servers)."""
        return self.status in FAILURE_STATUSES

    @property
    def is_terminal(self) -> bool:
        """The job will not change any more: completed or failed."""
        return self.is_completed or self.is_failed

    @property
    def is_remix(self) -> bool:
        """The video was made by remixing another one."""
        return self.remixed_from_video_id is not None

    def __repr__(self) -> str:
        return _short_repr(self, ("id", "status", "progress", "model", "size", "seconds"))


class VideoErrorMixin:
    """A readable form for the error of a failed job."""

    __slots__ = ()

    if TYPE_CHECKING:
        code: str | int | None
        message: str

    def __str__(self) -> str:
        return f"{self.message} (code: {self.code})" if self.code is not None else self.message

    def __repr__(self) -> str:
        return _short_repr(self, ("code", "message"))


class VideoListMixin:
    """A page of videos iterates over its videos."""

    __slots__ = ()

    if TYPE_CHECKING:
        data: list[Video]
        has_more: bool
        last_id: str | None

    def __iter__(self) -> Iterator[Video]:
        return iter(self.data)

    def __len__(self) -> int:
        return len(self.data)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(videos={len(self.data)}, has_more={self.has_more!r})"


class DeletedVideoMixin:
    """A readable form for a deletion confirmation."""

    __slots__ = ()

    @property
    def dialect_record(self) -> dict[str, object] | None:
        """What the client's dialect rewrote to read this answer (``name``, ``rules``,
        ``original`` values), or None when it was read as sent."""
        record = self.additional_properties.get(DIALECT_RECORD_KEY)  # type: ignore[attr-defined]
        return record if isinstance(record, dict) else None

    def __repr__(self) -> str:
        return _short_repr(self, ("id", "deleted"))


class VideoCharacterMixin:
    """Properties of a character."""

    __slots__ = ()

    if TYPE_CHECKING:
        created_at: int

    @property
    def created_at_datetime(self) -> datetime:
        """When the character was created, as an aware UTC datetime."""
        created = timestamp_to_datetime(self.created_at, model="VideoCharacter", field="created_at")
        assert created is not None  # noqa: S101 - created_at is a required int
        return created

    def __repr__(self) -> str:
        return _short_repr(self, ("id", "name"))
