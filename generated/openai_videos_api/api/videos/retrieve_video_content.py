from http import HTTPStatus
from io import BytesIO
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.video_content_variant import VideoContentVariant
from ...types import UNSET, File, Response, Unset, path_segment, to_enum

DEPRECATED: str | None = (
    "Deprecated upstream: the OpenAI spec marks this operation `deprecated: true` (OpenAI's own hosted Videos API was removed on 2026-09-24); gateways and self-hosted /v1/videos servers still serve it."
)
"""The operation's deprecation note from upstream (``None`` while it is not deprecated)."""


def build_request(
    video_id: str,
    *,
    variant: VideoContentVariant | str | Unset = UNSET,
) -> dict[str, Any]:
    """The ``httpx`` request arguments (method, url, params, headers, body) of this operation.

    Part of the public seam for clients built on top (``openai_videos``): send them with your own
    ``httpx`` client, then read the answer with ``parse_response``.
    """

    params: dict[str, Any] = {}

    variant = to_enum(VideoContentVariant, variant, "variant")
    json_variant: str | Unset = UNSET
    if not isinstance(variant, Unset):
        json_variant = variant.value

    params["variant"] = json_variant

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/videos/{video_id}/content".format(
            video_id=path_segment(video_id, "video_id"),
        ),
        "params": params,
    }

    return _kwargs


def parse_response(response: httpx.Response) -> File:
    """The answer as File, or the typed error for an error status.

    Any 2xx status carries the documented body (gateways answer 201 or 202 where the spec says
    200). Raises ``openai_videos.APIStatusError`` subclasses (``NotFoundError``, ``RateLimitError``,
    ...) for error statuses, and ``errors.PayloadError`` for a body that does not fit the model.
    """
    if response.is_success:
        response_200 = File(payload=BytesIO(response.content))

        return response_200

    raise errors.status_error(response)


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[File]:
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
    variant: VideoContentVariant | str | Unset = UNSET,
) -> Response[File]:
    """Download the generated video bytes or a derived preview asset.

    Streams the rendered video content for the specified video job.

     Deprecated upstream: the OpenAI spec marks this operation `deprecated: true` (OpenAI's own hosted
    Videos API was removed on 2026-09-24); gateways and self-hosted /v1/videos servers still serve it.

    Args:
        video_id (str):  Example: video_123.
        variant (VideoContentVariant | Unset):

    Raises:
        openai_videos.APIStatusError: For an error status, unless Client.raise_on_error_status is False.
        errors.PayloadError: If a success body does not fit the model.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[File]
    """

    kwargs = build_request(
        video_id=video_id,
        variant=variant,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    video_id: str,
    *,
    client: AuthenticatedClient | Client,
    variant: VideoContentVariant | str | Unset = UNSET,
) -> File:
    """Download the generated video bytes or a derived preview asset.

    Streams the rendered video content for the specified video job.

     Deprecated upstream: the OpenAI spec marks this operation `deprecated: true` (OpenAI's own hosted
    Videos API was removed on 2026-09-24); gateways and self-hosted /v1/videos servers still serve it.

    Args:
        video_id (str):  Example: video_123.
        variant (VideoContentVariant | Unset):

    Raises:
        openai_videos.APIStatusError: For an error status (NotFoundError, RateLimitError, ...).
        errors.PayloadError: If a success body does not fit the model.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        File
    """

    kwargs = build_request(
        video_id=video_id,
        variant=variant,
    )
    return parse_response(client.get_httpx_client().request(**kwargs))


async def asyncio_detailed(
    video_id: str,
    *,
    client: AuthenticatedClient | Client,
    variant: VideoContentVariant | str | Unset = UNSET,
) -> Response[File]:
    """Download the generated video bytes or a derived preview asset.

    Streams the rendered video content for the specified video job.

     Deprecated upstream: the OpenAI spec marks this operation `deprecated: true` (OpenAI's own hosted
    Videos API was removed on 2026-09-24); gateways and self-hosted /v1/videos servers still serve it.

    Args:
        video_id (str):  Example: video_123.
        variant (VideoContentVariant | Unset):

    Raises:
        openai_videos.APIStatusError: For an error status, unless Client.raise_on_error_status is False.
        errors.PayloadError: If a success body does not fit the model.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[File]
    """

    kwargs = build_request(
        video_id=video_id,
        variant=variant,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    video_id: str,
    *,
    client: AuthenticatedClient | Client,
    variant: VideoContentVariant | str | Unset = UNSET,
) -> File:
    """Download the generated video bytes or a derived preview asset.

    Streams the rendered video content for the specified video job.

     Deprecated upstream: the OpenAI spec marks this operation `deprecated: true` (OpenAI's own hosted
    Videos API was removed on 2026-09-24); gateways and self-hosted /v1/videos servers still serve it.

    Args:
        video_id (str):  Example: video_123.
        variant (VideoContentVariant | Unset):

    Raises:
        openai_videos.APIStatusError: For an error status (NotFoundError, RateLimitError, ...).
        errors.PayloadError: If a success body does not fit the model.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        File
    """

    kwargs = build_request(
        video_id=video_id,
        variant=variant,
    )
    return parse_response(await client.get_async_httpx_client().request(**kwargs))
