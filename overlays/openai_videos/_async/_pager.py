"""Hand-written (async): paging through ``list``, one page at a time as you iterate."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Protocol

from openai_videos_api.models import Video, VideoList

from .. import _calls as calls
from .._calls import Call
from .._types import SortOrder

__all__ = ["AsyncVideoPager"]


class _Lister(Protocol):
    """What a pager needs of its client (``AsyncOpenAIVideos``): sending one call."""

    async def _call(self, call: Call[VideoList]) -> VideoList: ...


class AsyncVideoPager:
    """Iterates over every video, fetching pages on demand; ``pages()`` yields whole pages."""

    def __init__(
        self,
        client: _Lister,
        limit: int | None,
        order: SortOrder | None,
        after: str | None,
    ) -> None:
        self._client = client
        self._limit, self._order, self._after = limit, order, after

    async def first_page(self) -> VideoList:
        """Just the first page."""
        return await self._client._call(calls.list_page(self._limit, self._order, self._after))

    async def pages(self) -> AsyncIterator[VideoList]:
        """Every page in turn; stops when the server says there is no more, sends no cursor, or
        repeats a cursor."""
        after, seen = self._after, set[str]()
        while True:
            page = await self._client._call(calls.list_page(self._limit, self._order, after))
            yield page
            after = page.last_id or (page.data[-1].id if page.data else None)
            if not page.has_more or not page.data or after is None or after in seen:
                return
            seen.add(after)

    async def __aiter__(self) -> AsyncIterator[Video]:
        async for page in self.pages():
            for video in page.data:
                yield video
