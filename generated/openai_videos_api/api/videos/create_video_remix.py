from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.create_video_remix_body import CreateVideoRemixBody
from ...models.video import Video
from ...types import Response, path_segment


def _get_kwargs(
    video_id: str,
    *,
    body: CreateVideoRemixBody,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/videos/{video_id}/remix".format(
            video_id=path_segment(video_id, "video_id"),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Video | None:
    if response.status_code == 200:
        response_200 = Video.from_dict(response.json())

        return response_200

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Video]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    video_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: CreateVideoRemixBody,
) -> Response[Video]:
    """Create a remix of a completed video using a refreshed prompt.

    Args:
        video_id (str):  Example: video_123.
        body (CreateVideoRemixBody): Parameters for remixing an existing generated video.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Video]
    """

    kwargs = _get_kwargs(
        video_id=video_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    video_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: CreateVideoRemixBody,
) -> Video | None:
    """Create a remix of a completed video using a refreshed prompt.

    Args:
        video_id (str):  Example: video_123.
        body (CreateVideoRemixBody): Parameters for remixing an existing generated video.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Video
    """

    return sync_detailed(
        video_id=video_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    video_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: CreateVideoRemixBody,
) -> Response[Video]:
    """Create a remix of a completed video using a refreshed prompt.

    Args:
        video_id (str):  Example: video_123.
        body (CreateVideoRemixBody): Parameters for remixing an existing generated video.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Video]
    """

    kwargs = _get_kwargs(
        video_id=video_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    video_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: CreateVideoRemixBody,
) -> Video | None:
    """Create a remix of a completed video using a refreshed prompt.

    Args:
        video_id (str):  Example: video_123.
        body (CreateVideoRemixBody): Parameters for remixing an existing generated video.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Video
    """

    return (
        await asyncio_detailed(
            video_id=video_id,
            client=client,
            body=body,
        )
    ).parsed
