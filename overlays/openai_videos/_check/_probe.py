"""The requests of ``openai-videos check``, held to the client's own limits: every answer is
read within ``MAX_BODY_BYTES`` (compressed bodies decoded by the client's ``BodyReader``, so a
gzip bomb stops at the limit) and by an overall deadline per request (a server dripping its
answer cannot keep the check running). Whatever goes wrong with one answer is a ``ProbeFailed``
that the check reports as a finding."""

from __future__ import annotations

import time
from typing import Any

import httpx

from .._body import BodyReader
from .._constants import JSON_HEADERS, MAX_BODY_BYTES, MEDIA_HEADERS
from .._errors import APIConnectionError, APIResponseValidationError
from .._options import auth_headers

__all__ = ["Probe", "ProbeFailed"]


class ProbeFailed(Exception):
    """One probe got no usable answer (too large, too slow, broken); the message says which."""


class Probe:
    """The requests of one check, with the configuration found so far."""

    def __init__(
        self, http: httpx.Client, base_url: str, api_key: str | None, *, timeout: float = 30.0
    ) -> None:
        self.http, self.base_url, self.api_key = http, base_url.rstrip("/"), api_key
        self.timeout = timeout
        self.auth_header = "Authorization"
        self.default_query: dict[str, str] = {}
        self.videos_seen: list[dict[str, Any]] = []

    def headers(self) -> dict[str, str]:
        return auth_headers(self.api_key, self.auth_header)  # as the client sends them

    def get(self, path: str | httpx.URL, **options: Any) -> httpx.Response:
        """GET ``path`` (or a full ``httpx.URL``) with the query and credentials found so far."""
        return self.send("GET", path, **options)

    def send(
        self,
        method: str,
        path: str | httpx.URL,
        *,
        params: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        authenticated: bool = True,
        media: bool = False,
        **options: Any,
    ) -> httpx.Response:
        """One request; the answer with its body read (JSON, within the limits) or, for
        ``media``, its headers only.

        Raises:
            ProbeFailed: The answer was too large, too slow, or broken.
            APIConnectionError: The server could not be reached at all.
        """
        url = path if isinstance(path, httpx.URL) else httpx.URL(self.base_url + path)
        sent = {
            **(MEDIA_HEADERS if media else JSON_HEADERS),
            **(self.headers() if authenticated else {}),
            **(headers or {}),
        }
        query = {**self.default_query, **(params or {})}
        request = self.http.build_request(method, url, params=query, headers=sent, **options)
        where = f"{method} {url.path}"
        try:
            response = self.http.send(request, stream=True)
            try:
                return response if media else self._read(response)
            finally:
                response.close()
        except httpx.ConnectError as error:
            msg = f"cannot reach {url.host}:{url.port or url.scheme}: {error}"
            raise APIConnectionError(msg, request=None) from None
        except APIResponseValidationError as error:
            raise ProbeFailed(f"{where}: {error.message}") from None
        except httpx.TimeoutException:
            msg = f"{where}: no complete answer within {self.timeout:g} s"
            raise ProbeFailed(msg) from None
        except httpx.HTTPError as error:
            raise ProbeFailed(f"{where}: {type(error).__name__}: {error}") from None

    def _read(self, response: httpx.Response) -> httpx.Response:
        deadline = time.monotonic() + self.timeout
        reader = BodyReader(response, limit=MAX_BODY_BYTES, deadline=deadline, clock=time.monotonic)
        if response.is_stream_consumed:  # read already (a mock transport, an event hook)
            reader.add_decoded(response.content)
        else:
            for chunk in response.iter_raw():
                reader.add(chunk)
        return reader.response()
