from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.order_enum import OrderEnum
from ...models.video_list import VideoList
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    limit: int | Unset = UNSET,
    order: OrderEnum | Unset = UNSET,
    after: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["limit"] = limit

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


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> VideoList | None:
    if response.status_code == 200:
        response_200 = VideoList.from_dict(response.json())

        return response_200

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[VideoList]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = UNSET,
    order: OrderEnum | Unset = UNSET,
    after: str | Unset = UNSET,
) -> Response[VideoList]:
    """List recently generated videos for the current project.

    Args:
        limit (int | Unset):
        order (OrderEnum | Unset):
        after (str | Unset): Identifier for the last item from the previous pagination request

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[VideoList]
    """

    kwargs = _get_kwargs(
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
    order: OrderEnum | Unset = UNSET,
    after: str | Unset = UNSET,
) -> VideoList | None:
    """List recently generated videos for the current project.

    Args:
        limit (int | Unset):
        order (OrderEnum | Unset):
        after (str | Unset): Identifier for the last item from the previous pagination request

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        VideoList
    """

    return sync_detailed(
        client=client,
        limit=limit,
        order=order,
        after=after,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = UNSET,
    order: OrderEnum | Unset = UNSET,
    after: str | Unset = UNSET,
) -> Response[VideoList]:
    """List recently generated videos for the current project.

    Args:
        limit (int | Unset):
        order (OrderEnum | Unset):
        after (str | Unset): Identifier for the last item from the previous pagination request

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[VideoList]
    """

    kwargs = _get_kwargs(
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
    order: OrderEnum | Unset = UNSET,
    after: str | Unset = UNSET,
) -> VideoList | None:
    """List recently generated videos for the current project.

    Args:
        limit (int | Unset):
        order (OrderEnum | Unset):
        after (str | Unset): Identifier for the last item from the previous pagination request

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        VideoList
    """

    return (
        await asyncio_detailed(
            client=client,
            limit=limit,
            order=order,
            after=after,
        )
    ).parsed
