"""A client's options: read from the arguments and the environment, checked, and turned into
the headers every request to the API's own origin carries. No I/O.

``openai-videos check`` builds its requests from the same ``ClientOptions``, so a key, a base
URL and an auth header mean the same thing to both.
"""

from __future__ import annotations

import ipaddress
import os
import urllib.parse
import warnings
from collections.abc import Mapping

import attrs
import httpx

from ._constants import DEFAULT_BASE_URL, DEFAULT_TIMEOUT, IDEMPOTENCY_HEADER
from ._inputs import check_positive

__all__ = ["HOSTED_API_REMOVED", "OPENAI_HOST", "ClientOptions", "auth_headers", "is_loopback"]

_LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain"})
OPENAI_HOST = "api.openai.com"
HOSTED_API_REMOVED = (
    "OpenAI removed its hosted Videos API on 2026-09-24 (the spec marks every /videos operation "
    "deprecated): requests to api.openai.com will fail. Point base_url (or OPENAI_BASE_URL) at a "
    "gateway or server that serves /v1/videos."
)


def is_loopback(base_url: str) -> bool:
    """Whether ``base_url`` points at this machine (a local emulator, say)."""
    host = urllib.parse.urlsplit(base_url).hostname or ""
    if host in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def auth_headers(api_key: str | None, auth_header: str = "Authorization") -> dict[str, str]:
    """The credential header: ``Authorization: Bearer KEY``, or the key as it is in another
    header (``api-key`` for Azure); none without a key."""
    if not api_key:
        return {}
    is_bearer = auth_header.lower() == "authorization"
    return {auth_header: f"Bearer {api_key}" if is_bearer else api_key}


@attrs.frozen(repr=False)
class ClientOptions:
    """What a client was configured with, checked (see ``resolve``).

    Credentials live only in ``credentials``, are sent per request to the API's own origin,
    and never reach a repr or a log.
    """

    base_url: str
    timeout: httpx.Timeout
    max_retries: int
    default_headers: dict[str, str]
    default_query: dict[str, str]
    credentials: dict[str, str]
    origin: httpx.URL  # the API's own origin: only requests to it carry our headers

    def __repr__(self) -> str:
        return f"ClientOptions(base_url={self.base_url!r}, max_retries={self.max_retries})"

    @classmethod
    def resolve(
        cls,
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        organization: str | None = None,
        project: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int = 2,
        default_headers: Mapping[str, str] | None = None,
        default_query: Mapping[str, str] | None = None,
        auth_header: str = "Authorization",
    ) -> ClientOptions:
        """The options from the arguments, else ``OPENAI_BASE_URL``, ``OPENAI_API_KEY``,
        ``OPENAI_ORG_ID`` and ``OPENAI_PROJECT_ID``, else the defaults. Warns (a
        ``DeprecationWarning``) for ``api.openai.com``, which no longer serves the API.

        Raises:
            ValueError: No API key for a server that is not on this machine, a base URL
                that cannot be right (``check_base_url``), or a bad ``max_retries`` or
                ``timeout``.
        """
        base_url = check_base_url(base_url or os.environ.get("OPENAI_BASE_URL") or DEFAULT_BASE_URL)
        api_key = api_key if api_key is not None else os.environ.get("OPENAI_API_KEY")
        if not api_key and not is_loopback(base_url):
            msg = (
                "no API key: pass api_key=... or set OPENAI_API_KEY "
                f"(only a loopback base_url, such as the local emulator, may go without; got {base_url})"
            )
            raise ValueError(msg)
        if not isinstance(max_retries, int) or max_retries < 0:
            msg = f"max_retries must be a whole number >= 0, but received {max_retries!r}"
            raise ValueError(msg)
        if isinstance(timeout, int | float):
            check_positive(timeout, "timeout")
        if httpx.URL(base_url).host == OPENAI_HOST:
            warnings.warn(HOSTED_API_REMOVED, DeprecationWarning, stacklevel=4)
        headers = dict(default_headers or {})
        organization = organization or os.environ.get("OPENAI_ORG_ID")
        project = project or os.environ.get("OPENAI_PROJECT_ID")
        if organization:
            headers["OpenAI-Organization"] = organization
        if project:
            headers["OpenAI-Project"] = project
        return cls(
            base_url=base_url.rstrip("/"),
            origin=httpx.URL(base_url.rstrip("/")),
            timeout=_timeout(timeout),
            max_retries=max_retries,
            default_headers=headers,
            default_query=dict(default_query or {}),
            credentials=auth_headers(api_key, auth_header),
        )

    def headers(self, url: httpx.URL | None, idempotency_key: str | None) -> dict[str, str]:
        """Our headers for a request to ``url``: none at all for another origin (a redirect to
        a CDN gets neither credentials nor organisation, project or default headers)."""
        if url is not None and not same_origin(url, self.origin):
            return {}
        headers = {**self.default_headers, **self.credentials}
        if idempotency_key:
            headers[IDEMPOTENCY_HEADER] = idempotency_key
        return headers


def same_origin(a: httpx.URL, b: httpx.URL) -> bool:
    """Whether two URLs share scheme, host and port."""
    return (a.scheme, a.host, a.port) == (b.scheme, b.host, b.port)


def _timeout(timeout: float | httpx.Timeout | None) -> httpx.Timeout:
    if timeout is None:
        return DEFAULT_TIMEOUT
    return timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout)


def check_base_url(base_url: str) -> str:
    """``base_url`` if it can be a server's API root; the usual slips are refused with the
    likely fix: no scheme (``localhost:8000/v1``), or the operation's path included
    (``.../v1/videos``, which would make every request ``/v1/videos/videos``).

    Raises:
        ValueError: Which slip, and the URL that was probably meant.
    """
    stripped = base_url.strip().rstrip("/")
    if "://" not in stripped:
        scheme = "http" if is_loopback(f"http://{stripped}") else "https"
        msg = f"base URL {base_url!r} has no scheme: did you mean '{scheme}://{stripped}'?"
        raise ValueError(msg)
    if stripped.endswith("/videos"):  # a gateway may have /videos/ inside its own prefix
        root = stripped.removesuffix("/videos")
        msg = (
            f"base URL {base_url!r} includes the operation's path: the client adds /videos "
            f"itself; did you mean {root!r}?"
        )
        raise ValueError(msg)
    return base_url
