from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.deleted_video import DeletedVideo
from ...types import Response, path_segment

DEPRECATED: str | None = (
    "Deprecated upstream: the OpenAI spec marks this operation `deprecated: true` (OpenAI's own hosted Videos API was removed on 2026-09-24); gateways and self-hosted /v1/videos servers still serve it."
)
"""The operation's deprecation note from upstream (``None`` while it is not deprecated)."""


def build_request(
    video_id: str,
) -> dict[str, Any]:
    """The ``httpx`` request arguments (method, url, params, headers, body) of this operation.

    Part of the public seam for clients built on top (``openai_videos``): send them with your own
    ``httpx`` client, then read the answer with ``parse_response``.
    """

    _kwargs: dict[str, Any] = {
        "method": "delete",
        "url": "/videos/{video_id}".format(
            video_id=path_segment(video_id, "video_id"),
        ),
    }

    return _kwargs


def parse_response(response: httpx.Response) -> DeletedVideo:
    """The answer as DeletedVideo, or the typed error for an error status.

    Any 2xx status carries the documented body (gateways answer 201 or 202 where the spec says
    200). Raises ``openai_videos.APIStatusError`` subclasses (``NotFoundError``, ``RateLimitError``,
    ...) for error statuses, and ``errors.PayloadError`` for a body that does not fit the model.
    """
    if response.is_success:
        response_200 = DeletedVideo.from_dict(response.json())

        return response_200

    raise errors.status_error(response)


def parse_body(body: Any) -> DeletedVideo:
    """A decoded JSON answer (of any 2xx status) as DeletedVideo.

    For clients that adjust the JSON first (``openai_videos`` reads other servers' dialects).
    Raises ``errors.PayloadError`` for a body that does not fit the model.
    """
    return DeletedVideo.from_dict(body)


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[DeletedVideo]:
    parsed = (
        parse_response(response) if response.is_success or client.raise_on_error_status else None
    )
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=parsed,
    )


def sync_detailed(
    video_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[DeletedVideo]:
    """Permanently delete a completed or failed video and its stored assets.

     Deprecated upstream: the OpenAI spec marks this operation `deprecated: true` (OpenAI's own hosted
    Videos API was removed on 2026-09-24); gateways and self-hosted /v1/videos servers still serve it.

    Args:
        video_id (str):  Example: video_123.

    Raises:
        openai_videos.APIStatusError: For an error status, unless Client.raise_on_error_status is False.
        errors.PayloadError: If a success body does not fit the model.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DeletedVideo]
    """

    kwargs = build_request(
        video_id=video_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    video_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> DeletedVideo:
    """Permanently delete a completed or failed video and its stored assets.

     Deprecated upstream: the OpenAI spec marks this operation `deprecated: true` (OpenAI's own hosted
    Videos API was removed on 2026-09-24); gateways and self-hosted /v1/videos servers still serve it.

    Args:
        video_id (str):  Example: video_123.

    Raises:
        openai_videos.APIStatusError: For an error status (NotFoundError, RateLimitError, ...).
        errors.PayloadError: If a success body does not fit the model.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DeletedVideo
    """

    kwargs = build_request(
        video_id=video_id,
    )
    return parse_response(client.get_httpx_client().request(**kwargs))


async def asyncio_detailed(
    video_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[DeletedVideo]:
    """Permanently delete a completed or failed video and its stored assets.

     Deprecated upstream: the OpenAI spec marks this operation `deprecated: true` (OpenAI's own hosted
    Videos API was removed on 2026-09-24); gateways and self-hosted /v1/videos servers still serve it.

    Args:
        video_id (str):  Example: video_123.

    Raises:
        openai_videos.APIStatusError: For an error status, unless Client.raise_on_error_status is False.
        errors.PayloadError: If a success body does not fit the model.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DeletedVideo]
    """

    kwargs = build_request(
        video_id=video_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    video_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> DeletedVideo:
    """Permanently delete a completed or failed video and its stored assets.

     Deprecated upstream: the OpenAI spec marks this operation `deprecated: true` (OpenAI's own hosted
    Videos API was removed on 2026-09-24); gateways and self-hosted /v1/videos servers still serve it.

    Args:
        video_id (str):  Example: video_123.

    Raises:
        openai_videos.APIStatusError: For an error status (NotFoundError, RateLimitError, ...).
        errors.PayloadError: If a success body does not fit the model.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DeletedVideo
    """

    kwargs = build_request(
        video_id=video_id,
    )
    return parse_response(await client.get_async_httpx_client().request(**kwargs))
