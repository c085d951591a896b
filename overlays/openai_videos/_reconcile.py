"""Finding the job a failed create may have made: which listed video is it? No I/O.

A create that failed after reaching the server (a 500 after acting, a reset after sending, a
process killed while waiting) may have made a paid job. On a server that honours
``Idempotency-Key`` sending it again with the same key is safe; on one that does not, the
only safe way on is to look: list the server's videos newest first and adopt the one that
matches. The client's ``find_created`` does the listing; this module decides.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence

import attrs

from openai_videos_api.models import Video

__all__ = ["CLOCK_SKEW", "MAX_SEARCHED_VIDEOS", "CreatedSearch", "JobMatch"]

CLOCK_SKEW = 300.0  # seconds a server's clock may be behind ours
MAX_SEARCHED_VIDEOS = 1000


def _same_model(asked: str, shown: str) -> bool:
    """Gateways show ``veo-3.1`` for ``gemini/veo-3.1``: compare without a provider prefix."""
    return asked.rsplit("/", 1)[-1].lower() == shown.rsplit("/", 1)[-1].lower()


def _same_seconds(asked: str, shown: str) -> bool:
    try:
        return math.isclose(float(asked), float(shown))
    except ValueError:
        return asked == shown


@attrs.frozen
class JobMatch:
    """What a create asked for, and when it was sent.

    A listed video matches when its prompt is the same and, where the server shows them, its
    model, seconds and size are too; and it was created no earlier than ``sent_at`` (less
    ``CLOCK_SKEW``). A server that shows no prompt matches nothing: adopting a stranger's job
    would be worse than asking the user.
    """

    prompt: str
    model: str | None = None
    seconds: str | int | None = None
    size: str | None = None
    sent_at: float = 0.0

    @property
    def earliest(self) -> float:
        """The oldest ``created_at`` the job can have."""
        return self.sent_at - CLOCK_SKEW

    def matches(self, video: Video) -> bool:
        """Whether ``video`` can be the job this create made."""
        if video.prompt != self.prompt:
            return False
        if video.created_at is not None and video.created_at < self.earliest:
            return False
        shown = {
            "model": (self.model, str(video.model), _same_model),  # a Video always has one
            "seconds": (self.seconds, video.seconds, _same_seconds),
            "size": (self.size, None if video.size is None else str(video.size), str.__eq__),
        }
        for asked, seen, same in shown.values():
            if asked is not None and seen is not None and not same(str(asked), str(seen)):
                return False
        return True


@attrs.define
class CreatedSearch:
    """Where a search for a created job stands.

    Attributes:
        video: The job found (the oldest match), or None.
        searched: How many listed videos were looked at.
        complete: The search reached videos older than the create (or the list's end): a
            video made by the create would have been seen.
    """

    video: Video | None = None
    searched: int = 0
    complete: bool = False

    def take(
        self, page: Sequence[Video], wanted: JobMatch, exclude: Collection[str], limit: int
    ) -> bool:
        """Look at one page (newest first); True when the search is over."""
        for video in page:
            self.searched += 1
            if video.created_at is not None and video.created_at < wanted.earliest:
                self.complete = True
                return True
            if video.id not in exclude and wanted.matches(video):
                self.video = video  # keep going: the oldest match is the one this create made
            if self.searched >= limit:
                return True
        return False

    def describe(self) -> str:
        """For a person: what was searched and found."""
        found = f"found {self.video.id}" if self.video is not None else "no match"
        reach = "back to the create" if self.complete else "not reaching the create's time"
        return f"searched {self.searched} listed videos ({reach}): {found}"
