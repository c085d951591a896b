from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.video_character import VideoCharacter
from ...types import Response, path_segment


def _get_kwargs(
    character_id: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/videos/characters/{character_id}".format(
            character_id=path_segment(character_id, "character_id"),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> VideoCharacter | None:
    if response.status_code == 200:
        response_200 = VideoCharacter.from_dict(response.json())

        return response_200

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[VideoCharacter]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    character_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[VideoCharacter]:
    """Fetch a character.

    Args:
        character_id (str):  Example: char_123.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[VideoCharacter]
    """

    kwargs = _get_kwargs(
        character_id=character_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    character_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> VideoCharacter | None:
    """Fetch a character.

    Args:
        character_id (str):  Example: char_123.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        VideoCharacter
    """

    return sync_detailed(
        character_id=character_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    character_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[VideoCharacter]:
    """Fetch a character.

    Args:
        character_id (str):  Example: char_123.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[VideoCharacter]
    """

    kwargs = _get_kwargs(
        character_id=character_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    character_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> VideoCharacter | None:
    """Fetch a character.

    Args:
        character_id (str):  Example: char_123.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        VideoCharacter
    """

    return (
        await asyncio_detailed(
            character_id=character_id,
            client=client,
        )
    ).parsed
