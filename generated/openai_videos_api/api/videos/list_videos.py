from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.order_enum import OrderEnum
from ...models.video_list import VideoList
from ...types import UNSET, Response, Unset, to_enum

DEPRECATED: str | None = (
    "Deprecated upstream: the OpenAI spec marks this operation `deprecated: true` (OpenAI's own hosted Videos API was removed on 2026-09-24); gateways and self-hosted /v1/videos servers still serve it."
)
"""The operation's deprecation note from upstream (``None`` while it is not deprecated)."""


def build_request(
    *,
    limit: int | Unset = UNSET,
    order: OrderEnum | str | Unset = UNSET,
    after: str | Unset = UNSET,
) -> dict[str, Any]:
    """The ``httpx`` request arguments (method, url, params, headers, body) of this operation.

    Part of the public seam for clients built on top (``openai_videos``): send them with your own
    ``httpx`` client, then read the answer with ``parse_response``.
    """

    params: dict[str, Any] = {}

    params["limit"] = limit

    order = to_enum(OrderEnum, order, "order")
    json_order: str | Unset = UNSET
    if not isinstance(order, Unset):
        json_order = order.value

    params["order"] = json_order

    params["after"] = after

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/videos",
        "params": params,
    }

    return _kwargs


def parse_response(response: httpx.Response) -> VideoList:
    """The answer as VideoList, or the typed error for an error status.

    Any 2xx status carries the documented body (gateways answer 201 or 202 where the spec says
    200). Raises ``openai_videos.APIStatusError`` subclasses (``NotFoundError``, ``RateLimitError``,
    ...) for error statuses, and ``errors.PayloadError`` for a body that does not fit the model.
    """
    if response.is_success:
        response_200 = VideoList.from_dict(response.json())

        return response_200

    raise errors.status_error(response)


def parse_body(body: Any) -> VideoList:
    """A decoded JSON answer (of any 2xx status) as VideoList.

    For clients that adjust the JSON first (``openai_videos`` reads other servers' dialects).
    Raises ``errors.PayloadError`` for a body that does not fit the model.
    """
    return VideoList.from_dict(body)


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[VideoList]:
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
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = UNSET,
    order: OrderEnum | str | Unset = UNSET,
    after: str | Unset = UNSET,
) -> Response[VideoList]:
    """List recently generated videos for the current project.

     Deprecated upstream: the OpenAI spec marks this operation `deprecated: true` (OpenAI's own hosted
    Videos API was removed on 2026-09-24); gateways and self-hosted /v1/videos servers still serve it.

    Args:
        limit (int | Unset):
        order (OrderEnum | Unset):
        after (str | Unset): Identifier for the last item from the previous pagination request

    Raises:
        openai_videos.APIStatusError: For an error status, unless Client.raise_on_error_status is False.
        errors.PayloadError: If a success body does not fit the model.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[VideoList]
    """

    kwargs = build_request(
        limit=limit,
        order=order,
        after=after,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = UNSET,
    order: OrderEnum | str | Unset = UNSET,
    after: str | Unset = UNSET,
) -> VideoList:
    """List recently generated videos for the current project.

     Deprecated upstream: the OpenAI spec marks this operation `deprecated: true` (OpenAI's own hosted
    Videos API was removed on 2026-09-24); gateways and self-hosted /v1/videos servers still serve it.

    Args:
        limit (int | Unset):
        order (OrderEnum | Unset):
        after (str | Unset): Identifier for the last item from the previous pagination request

    Raises:
        openai_videos.APIStatusError: For an error status (NotFoundError, RateLimitError, ...).
        errors.PayloadError: If a success body does not fit the model.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        VideoList
    """

    kwargs = build_request(
        limit=limit,
        order=order,
        after=after,
    )
    return parse_response(client.get_httpx_client().request(**kwargs))


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = UNSET,
    order: OrderEnum | str | Unset = UNSET,
    after: str | Unset = UNSET,
) -> Response[VideoList]:
    """List recently generated videos for the current project.

     Deprecated upstream: the OpenAI spec marks this operation `deprecated: true` (OpenAI's own hosted
    Videos API was removed on 2026-09-24); gateways and self-hosted /v1/videos servers still serve it.

    Args:
        limit (int | Unset):
        order (OrderEnum | Unset):
        after (str | Unset): Identifier for the last item from the previous pagination request

    Raises:
        openai_videos.APIStatusError: For an error status, unless Client.raise_on_error_status is False.
        errors.PayloadError: If a success body does not fit the model.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[VideoList]
    """

    kwargs = build_request(
        limit=limit,
        order=order,
        after=after,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = UNSET,
    order: OrderEnum | str | Unset = UNSET,
    after: str | Unset = UNSET,
) -> VideoList:
    """List recently generated videos for the current project.

     Deprecated upstream: the OpenAI spec marks this operation `deprecated: true` (OpenAI's own hosted
    Videos API was removed on 2026-09-24); gateways and self-hosted /v1/videos servers still serve it.

    Args:
        limit (int | Unset):
        order (OrderEnum | Unset):
        after (str | Unset): Identifier for the last item from the previous pagination request

    Raises:
        openai_videos.APIStatusError: For an error status (NotFoundError, RateLimitError, ...).
        errors.PayloadError: If a success body does not fit the model.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        VideoList
    """

    kwargs = build_request(
        limit=limit,
        order=order,
        after=after,
    )
    return parse_response(await client.get_async_httpx_client().request(**kwargs))
