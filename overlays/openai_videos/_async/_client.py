"""``AsyncOpenAIVideos``: the hand-written source of both clients.

``scripts/unasync.py`` turns this file into ``openai_videos/_sync/_client.py``
(``OpenAIVideos``): fix things here, then run ``make generate``. Method names follow the
official SDK's ``client.videos`` so that switching is one import.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Collection, Mapping
from pathlib import Path
from typing import Any, TypeVar

import httpx

from openai_videos_api.models import DeletedVideo, Video, VideoCharacter

from .. import _calls as calls
from .._base import log
from .._body import is_media, not_media_error
from .._calls import Call
from .._capabilities import Capabilities
from .._constants import (
    DEFAULT_MAX_RETRIES,
    DEFAULT_POLL_INTERVAL,
    DEFAULT_POLL_TIMEOUT,
    MEDIA_HEADERS,
    POLL_GRACE,
)
from .._create_request import Unsupported
from .._dialects import Dialect
from .._download import ProgressCallback, Transfer, atomic_file, whole_body_error
from .._errors import (
    APIError,
    APITimeoutError,
    PollTimeout,
)
from .._images import Fit
from .._inputs import check_positive
from .._reconcile import MAX_SEARCHED_VIDEOS, CreatedSearch, JobMatch
from .._types import (
    ContentVariant,
    ExtensionSecondsValue,
    ImageReferenceInput,
    SortOrder,
    VideoInput,
    VideoModelName,
    VideoSecondsValue,
    VideoSizeName,
)
from ._pager import AsyncVideoPager
from ._transport import AsyncTransport

__all__ = ["AsyncOpenAIVideos", "AsyncVideoPager"]

T = TypeVar("T")
VideoCallback = Callable[[Video], None]
_RESUMABLE_ERRORS = (httpx.ReadError, httpx.RemoteProtocolError, httpx.ReadTimeout)


class AsyncOpenAIVideos(AsyncTransport):
    """A client for ``/v1/videos`` (asyncio: await its methods).

    Args:
        api_key: Defaults to ``OPENAI_API_KEY``. May be omitted only for a loopback ``base_url``.
        base_url: Defaults to ``OPENAI_BASE_URL``, else ``https://api.openai.com/v1``. Any
            server that speaks ``/v1/videos`` works (gateways, the local emulator).
        organization: Defaults to ``OPENAI_ORG_ID``; sent as ``OpenAI-Organization``.
        project: Defaults to ``OPENAI_PROJECT_ID``; sent as ``OpenAI-Project``.
        timeout: Per request, in seconds or as an ``httpx.Timeout`` (default 60 s, 10 s connect).
            For a JSON answer it is an overall deadline (its ``read`` value), however slowly
            the server sends; media downloads apply it to each read.
        max_retries: Retries of a failed request (default 2); see ``_retry`` for which are safe.
        http_client: Your own ``httpx.AsyncClient`` (proxies, transports); closed by you, not
            by us.
        default_headers: Extra headers for every request.
        default_query: Extra query parameters for every request (e.g. a gateway's provider hint).
        auth_header: ``"Authorization"`` (Bearer, the default) or e.g. ``"api-key"`` (Azure).
        dialect: How to read servers that stray from the spec: ``"auto"`` (the default: every
            rule of ``_dialects``, each firing only on shapes the spec never produces),
            ``"strict"`` (none), ``"newapi"``, ``"litellm"``, or your own ``Dialect``.
        capabilities: The server family whose contract ``create`` checks and follows
            (``_capabilities.CAPABILITIES``: ``"openai"``, the default, ``"litellm-veo"``,
            ``"vllm-omni"``, ...) or your own ``Capabilities``; ``openai-videos check``
            recommends one.
    """

    def __init__(
        self,
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        organization: str | None = None,
        project: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int = DEFAULT_MAX_RETRIES,
        http_client: httpx.AsyncClient | None = None,
        default_headers: Mapping[str, str] | None = None,
        default_query: Mapping[str, str] | None = None,
        auth_header: str = "Authorization",
        dialect: str | Dialect = "auto",
        capabilities: str | Capabilities | None = None,
    ) -> None:
        super().__init__(
            http_client=http_client,
            api_key=api_key,
            base_url=base_url,
            organization=organization,
            project=project,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            default_query=default_query,
            auth_header=auth_header,
            dialect=dialect,
            capabilities=capabilities,
        )

    # -- operations ----------------------------------------------------------------------------

    async def create(
        self,
        prompt: str,
        *,
        model: VideoModelName | None = None,
        seconds: VideoSecondsValue | None = None,
        size: VideoSizeName | None = None,
        input_reference: ImageReferenceInput | Any | None = None,
        fit: Fit | None = None,
        seed: int | None = None,
        negative_prompt: str | None = None,
        audio: bool | None = None,
        unsupported: Unsupported = "error",
        extra_body: Mapping[str, Any] | None = None,
        idempotency_key: str | None = None,
    ) -> Video:
        """Start a video generation job.

        Deprecated upstream (``create_video``): OpenAI removed its hosted Videos API on 2026-09-24;
        gateways and self-hosted servers still serve it.

        Everything is checked against the client's ``capabilities`` (the server family) before
        any request. A create refused for its encoding (JSON or multipart) with a validation
        error, which made no job, is sent once more in the other, and the client keeps to it.

        Args:
            prompt: What to generate (1 to 32,000 characters).
            model: ``"sora-2"`` (server default), ``"sora-2-pro"``, or any name the server knows.
            seconds: 4, 8 or 12 (server default 4); others where the server family takes them.
            size: ``"720x1280"`` (server default), ``"1280x720"``, ... or any size the server knows.
            input_reference: An image to start from: a path, bytes, a binary file, a Pillow
                image or an https URL (sent as the server takes it), or ``{"file_id": ...}`` /
                ``{"image_url": ...}`` (sent as JSON, as given).
            fit: Make the image exactly ``size``: ``"crop"``, ``"pad"`` or ``"stretch"``
                (needs Pillow: the ``images`` extra). Without it, a server that needs the
                image's size to match refuses a mismatch here.
            seed: A seed, sent under the server's own name (where it takes one).
            negative_prompt: What to keep out, under the server's own name.
            audio: Sound on or off, under the server's own name (and values).
            unsupported: ``"error"`` (an extra the server family lacks raises) or ``"drop"``
                (it is left out, with a warning).
            extra_body: Extra request fields, sent as given.
            idempotency_key: Reuse the key of an earlier attempt (``exc.idempotency_key``), so a
                server that honours it answers with the job already created.

        Returns:
            The new job, usually ``queued``.

        Raises:
            UnsupportedParameter: A size, duration or extra the server family does not take.
            ImageError: A reference image the server would refuse (format, bytes, pixels,
                another size without ``fit``).
            APIStatusError: The server refused the create (subclasses by status).
        """
        request = calls.plan(
            prompt,
            model=model,
            seconds=seconds,
            size=size,
            input_reference=input_reference,
            capabilities=self.capabilities,
            fit=fit,
            extras={"seed": seed, "negative_prompt": negative_prompt, "audio": audio},
            unsupported=unsupported,
            prefer=self._create_encoding,
        )
        call = calls.create(request, extra_body=extra_body, idempotency_key=idempotency_key)
        try:
            return await self._call(call)
        except APIError as error:
            other = self._encoding_fallback(error, request)
            if other is None:
                raise
        key = f"{idempotency_key}-{other.encoding}" if idempotency_key else None
        return await self._call(calls.create(other, extra_body=extra_body, idempotency_key=key))

    async def retrieve(self, video_id: str) -> Video:
        """The current state of a job.

        Deprecated upstream (``get_video``): OpenAI removed its hosted Videos API on 2026-09-24;
        gateways and self-hosted servers still serve it.
        """
        return await self._call(calls.retrieve(video_id))

    def list(
        self, *, limit: int | None = None, order: SortOrder | None = None, after: str | None = None
    ) -> AsyncVideoPager:
        """All videos, fetched page by page as you iterate (``limit`` is the page size).

        Deprecated upstream (``list_videos``): OpenAI removed its hosted Videos API on 2026-09-24;
        gateways and self-hosted servers still serve it.

        Iterating goes through every page; ``.first_page()`` gives one, ``.pages()`` each page.

        Args:
            limit: Videos per page (1 to 100; the server's default otherwise).
            order: ``"asc"`` or ``"desc"`` by creation time.
            after: Start after this video id (a cursor from an earlier page).
        """
        calls.list_page(limit, order, after)  # checks the arguments now, not at iteration
        return AsyncVideoPager(self, limit, order, after)

    async def delete(self, video_id: str) -> DeletedVideo:
        """Delete a finished job and its assets.

        Deprecated upstream (``delete_video``): OpenAI removed its hosted Videos API on 2026-09-24;
        gateways and self-hosted servers still serve it.
        """
        return await self._call(calls.delete(video_id))

    async def download_content(self, video_id: str, *, variant: ContentVariant = "video") -> bytes:
        """The bytes of the video (or ``"thumbnail"``, ``"spritesheet"``), held in memory.

        Deprecated upstream (``retrieve_video_content``): OpenAI removed its hosted Videos API on 2026-09-24;
        gateways and self-hosted servers still serve it.

        For large files prefer ``download_to``, which streams to disk.
        """
        response = await self._send(calls.content(video_id, variant), media=True)
        if not is_media(response):
            raise not_media_error(response)
        error = whole_body_error(response)
        if error is not None:
            raise error
        return response.content

    async def download_to(
        self,
        video_id: str,
        path: str | Path,
        *,
        variant: ContentVariant = "video",
        on_progress: ProgressCallback | None = None,
        durable: bool = True,
    ) -> Path:
        """Stream an asset to ``path``: atomic, length-checked, resumed with Range after a break.

        Deprecated upstream (``retrieve_video_content``): OpenAI removed its hosted Videos API on 2026-09-24;
        gateways and self-hosted servers still serve it.

        Args:
            video_id: The job whose asset to fetch.
            path: Where to write. Nothing appears there unless the download completes.
            variant: ``"video"`` (MP4), ``"thumbnail"`` or ``"spritesheet"``.
            on_progress: Called as ``on_progress(received_bytes, total_bytes_or_None)``.
            durable: ``fsync`` the file and its directory before returning (the default), so a
                power cut cannot leave a truncated file at ``path``. ``False`` is faster on
                slow disks, for scratch files.

        Returns:
            ``path``, as a ``Path``.

        Raises:
            IncompleteDownloadError: The transfer broke and could not be resumed.
        """
        call = calls.content(video_id, variant)
        target = Path(path)
        with atomic_file(target, durable=durable) as file:
            transfer = Transfer(file, on_progress)
            for attempt in itertools.count():
                request = await self._download_once(call, transfer)
                if transfer.complete:
                    break
                if attempt >= self.max_retries:
                    raise transfer.incomplete_error(request)
                await self._sleep(self._backoff(attempt))  # then resume, or start over
        return target

    async def _download_once(self, call: Call[Any], transfer: Transfer) -> httpx.Request:
        """One (re)started transfer into ``transfer``; a break leaves it incomplete."""
        headers = {**MEDIA_HEADERS, **transfer.range_header()}
        async with self._stream(call, headers) as response:
            try:
                if not is_media(response):
                    raise not_media_error(await self._read(response, deadline=None))
                transfer.start(response)
                if transfer.restart:
                    log.info("download of %s: the answer does not continue the file", call.name)
                    return response.request
                broken = False
                try:
                    async for chunk in response.aiter_bytes():
                        transfer.write(chunk)
                except _RESUMABLE_ERRORS as error:
                    log.info("download of %s broke: %s", call.name, type(error).__name__)
                    broken = True
                transfer.end(response, broken=broken)
            except httpx.HTTPError as error:
                raise self._http_error(error) from None
        return response.request

    async def remix(self, video_id: str, *, prompt: str) -> Video:
        """Start a new job that remixes a completed video with a new prompt.

        Deprecated upstream (``create_video_remix``): OpenAI removed its hosted Videos API on 2026-09-24;
        gateways and self-hosted servers still serve it.
        """
        return await self._call(calls.remix(video_id, prompt))

    async def edit(self, video: VideoInput, *, prompt: str) -> Video:
        """Start a job that edits a video.

        Deprecated upstream (``create_video_edit``): OpenAI removed its hosted Videos API on 2026-09-24;
        gateways and self-hosted servers still serve it.

        Args:
            video: An id (``"video_..."`` or ``{"id": ...}``), or a file (``Path``, bytes or
                binary file object), uploaded as multipart.
            prompt: What to change.
        """
        return await self._call(calls.edit(video, prompt))

    async def extend(
        self, video: VideoInput, *, prompt: str, seconds: ExtensionSecondsValue
    ) -> Video:
        """Start a job that extends a video.

        Deprecated upstream (``create_video_extend``): OpenAI removed its hosted Videos API on 2026-09-24;
        gateways and self-hosted servers still serve it.

        Args:
            video: An id (``"video_..."`` or ``{"id": ...}``) or a video file.
            prompt: What happens next.
            seconds: How much longer: 4, 8, 12, 16 or 20.
        """
        return await self._call(calls.extend(video, prompt, seconds))

    async def create_character(self, *, video: VideoInput, name: str) -> VideoCharacter:
        """Create a character from a video file.

        Deprecated upstream (``create_video_character``): OpenAI removed its hosted Videos API on 2026-09-24;
        gateways and self-hosted servers still serve it.

        Args:
            video: A video file (``Path``, bytes or binary file object).
            name: The character's name (1 to 80 characters).
        """
        return await self._call(calls.create_character(video, name))

    async def get_character(self, character_id: str) -> VideoCharacter:
        """Fetch a character.

        Deprecated upstream (``get_video_character``): OpenAI removed its hosted Videos API on 2026-09-24;
        gateways and self-hosted servers still serve it.
        """
        return await self._call(calls.get_character(character_id))

    async def find_created(
        self,
        prompt: str,
        *,
        model: VideoModelName | None = None,
        seconds: VideoSecondsValue | None = None,
        size: VideoSizeName | None = None,
        sent_at: float,
        exclude: Collection[str] = (),
        max_videos: int = MAX_SEARCHED_VIDEOS,
    ) -> CreatedSearch:
        """Look for the job a failed ``create`` may have made (reconciliation).

        When a create raised an error with ``may_have_acted`` set and the server does not
        honour ``Idempotency-Key`` (``idempotency_confirmed`` is False), sending it again may
        pay for a second job. This lists the server's videos newest first, back to ``sent_at``,
        and returns the oldest one that matches the request (prompt, and model, seconds and
        size where the server shows them) and is not in ``exclude``.

        Args:
            prompt: What the create asked for (and ``model``, ``seconds``, ``size``, where
                given).
            model: As the create sent it.
            seconds: As the create sent it.
            size: As the create sent it.
            sent_at: When the create was sent (``time.time()``); older videos are not it.
            exclude: Ids already accounted for (other requests' jobs).
            max_videos: Give up (``complete`` False) after looking at this many.

        Returns:
            The search: ``video`` (None if no match), how many videos were looked at, and
            whether the search reached ``sent_at`` (``complete``): only a complete search that
            found nothing says the job does not exist (on a server whose list is current).

        Raises:
            APIError: Listing failed (some servers offer no list).
            ValueError: ``max_videos`` is less than 1.
        """
        if max_videos < 1:
            msg = f"max_videos must be at least 1, not {max_videos}"
            raise ValueError(msg)
        wanted = JobMatch(prompt, model=model, seconds=seconds, size=size, sent_at=sent_at)
        search = CreatedSearch()
        async for page in self.list(order="desc", limit=100).pages():
            if search.take(page.data, wanted, exclude, max_videos):
                break
        else:
            search.complete = True
        return search

    async def poll(
        self,
        video_id: str,
        *,
        timeout: float = DEFAULT_POLL_TIMEOUT,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        on_progress: VideoCallback | None = None,
        raise_on_failure: bool = True,
    ) -> Video:
        """Wait until a job is completed or failed.

        Deprecated upstream (``get_video``): OpenAI removed its hosted Videos API on 2026-09-24;
        gateways and self-hosted servers still serve it.

        Args:
            video_id: The job.
            timeout: Give up after this many seconds (the job goes on): ``PollTimeout``.
            poll_interval: Seconds between checks when the server sends no
                ``openai-poll-after-ms``.
            on_progress: Called with every state seen.
            raise_on_failure: Raise ``VideoGenerationFailed`` for a failed job (default), or
                return it.
        """
        check_positive(timeout, "timeout")
        check_positive(poll_interval, "poll_interval")
        call = calls.retrieve(video_id)
        deadline = self._monotonic() + timeout
        video: Video | None = None
        while True:
            try:
                response = await self._send(call, deadline=deadline + POLL_GRACE)
            except APITimeoutError:
                if video is None or self._monotonic() < deadline:
                    raise
                raise PollTimeout(video, timeout) from None
            video = self._parse(call, response)
            if on_progress is not None:
                on_progress(video)
            wait = self._poll_wait(
                video,
                response,
                deadline=deadline,
                timeout=timeout,
                poll_interval=poll_interval,
                raise_on_failure=raise_on_failure,
            )
            if wait is None:
                return video
            await self._sleep(wait)

    async def create_and_poll(
        self,
        prompt: str,
        *,
        model: VideoModelName | None = None,
        seconds: VideoSecondsValue | None = None,
        size: VideoSizeName | None = None,
        input_reference: ImageReferenceInput | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: float = DEFAULT_POLL_TIMEOUT,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        on_progress: VideoCallback | None = None,
        raise_on_failure: bool = True,
    ) -> Video:
        """``create`` then ``poll``: returns the completed job.

        Deprecated upstream (``create_video, get_video``): OpenAI removed its hosted Videos API on 2026-09-24;
        gateways and self-hosted servers still serve it.

        Every argument is checked before the job is created. The arguments are those of
        ``create`` and ``poll``.
        """
        check_positive(timeout, "timeout")
        check_positive(poll_interval, "poll_interval")
        video = await self.create(
            prompt,
            model=model,
            seconds=seconds,
            size=size,
            input_reference=input_reference,
            extra_body=extra_body,
        )
        return await self.poll(
            video.id,
            timeout=timeout,
            poll_interval=poll_interval,
            on_progress=on_progress,
            raise_on_failure=raise_on_failure,
        )
