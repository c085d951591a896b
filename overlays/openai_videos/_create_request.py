"""A create as one server family takes it: checked against its capabilities, extras under its
names, the reference image fitted and sent its way, in JSON or multipart. No I/O."""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Mapping
from typing import Any, Literal

import attrs

from ._capabilities import Capabilities, ImageTransport, Transport
from ._images import ImageError, ReferenceImage, fit_image, load_image

__all__ = ["CreateRequest", "UnsupportedParameter", "plan_create", "refused_for_encoding"]

Unsupported = Literal["error", "drop"]
ENCODINGS = ("json", "multipart")


class UnsupportedParameter(ValueError):
    """The chosen server family does not take this parameter (or value): nothing was sent."""


@attrs.frozen
class CreateRequest:
    """What a create sends, but for the envelope: ``fields`` (prompt, model, seconds, size and
    extras, nested where the server nests them), the reference image and how it travels, and
    the body's encoding."""

    fields: dict[str, Any]
    encoding: str
    image: ReferenceImage | None = None
    transport: ImageTransport | None = None

    def json_body(self) -> dict[str, Any]:
        body = dict(self.fields)
        if self.image is not None and self.transport is not None:
            if self.transport.kind == Transport.STRING:
                body[self.transport.field] = self.image.data_uri()
            else:
                body[self.transport.field] = {"image_url": self.image.data_uri()}
        return body

    def form_fields(self) -> dict[str, str]:
        """The non-file parts of a multipart body, each as text."""
        return {name: _as_text(value) for name, value in self.fields.items()}

    def in_other_encoding(self) -> CreateRequest | None:
        """The same create in the other encoding (None: it cannot travel so, as an image
        known only by URL cannot be a file part)."""
        if self.encoding == "json":
            if self.image is not None and self.image.content is None:
                return None
            transport = ImageTransport(Transport.FILE) if self.image is not None else None
            return attrs.evolve(self, encoding="multipart", transport=transport)
        transport = ImageTransport(Transport.OBJECT) if self.image is not None else None
        return attrs.evolve(self, encoding="json", transport=transport)


_ENCODING_WORDS = re.compile(
    r"multipart|form-data|form data|content.?type|media type|expected a file|expected an object"
    r"|send json|json body|not valid json|json decode",
    re.IGNORECASE,
)


def refused_for_encoding(status: int, text: str) -> bool:
    """Whether an error answer refuses the create's encoding rather than its values: 415, words
    about the body's type, or a FastAPI-style "prompt: field required" (the prompt was sent,
    so the server did not read the body)."""
    if status == 415:
        return True
    if status not in (400, 422):
        return False
    missing_prompt = "prompt" in text and bool(re.search(r"missing|required", text, re.I))
    return bool(_ENCODING_WORDS.search(text)) or missing_prompt


def _as_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value)  # true, 42, {"sound": "on"}: JSON, not Python's repr


def plan_create(
    capabilities: Capabilities,
    fields: dict[str, Any],
    *,
    image_source: Any = None,
    fit: str | None = None,
    extras: Mapping[str, Any] | None = None,
    unsupported: Unsupported = "error",
    prefer: str | None = None,
) -> CreateRequest:
    """Check a create against ``capabilities`` and shape it, before any request.

    ``fields`` holds prompt, model, seconds and size as the spec names them (None left out);
    ``extras`` the common extras (``seed``, ``negative_prompt``, ``audio``); ``prefer`` an
    encoding learned from the server.

    Raises:
        UnsupportedParameter: A size, duration or extra the family does not take (extras
            only with ``unsupported="error"``).
        ImageError: A reference image the server would refuse, or that cannot be fitted.
    """
    _check_geometry(capabilities, fields)
    shaped = {key: value for key, value in fields.items() if value is not None}
    for name, value in (extras or {}).items():
        if value is None:
            continue
        field = capabilities.extras.get(name)
        if field is None:
            message = (
                f"{name} is not a parameter of {capabilities.name} servers (their extras: "
                f"{', '.join(sorted(capabilities.extras)) or 'none'})"
            )
            if unsupported == "error":
                raise UnsupportedParameter(
                    f"{message}; nothing was sent. Pass unsupported='drop' to create without "
                    "it, or choose the capabilities of your server"
                )
            warnings.warn(f"{message}: dropped", stacklevel=3)
            continue
        _put(shaped, field.wire, field.encode(value))
    if image_source is None:
        return CreateRequest(shaped, _encoding(capabilities, prefer))
    image = load_image(image_source)
    if fit is not None:
        size = fields.get("size")
        if size is None:
            msg = "fit needs the video's size (size='720x1280'): the image is made that size"
            raise ImageError(msg)
        image = fit_image(image, str(size), fit)
    transport = _transport(capabilities, image, prefer)
    encoding = "multipart" if transport.kind == Transport.FILE else "json"
    image.check(capabilities.image, fields.get("size"), inline=encoding == "json")
    return CreateRequest(shaped, encoding, image, transport)


def _check_geometry(capabilities: Capabilities, fields: Mapping[str, Any]) -> None:
    size, seconds = fields.get("size"), fields.get("seconds")
    if capabilities.sizes is not None and size is not None and size not in capabilities.sizes:
        msg = (
            f"{capabilities.name} servers would not make a {size} video as asked (they change "
            f"or refuse it); sizes: {', '.join(capabilities.sizes)}. Nothing was sent"
        )
        raise UnsupportedParameter(msg)
    if capabilities.durations is not None and seconds is not None:
        try:
            whole = float(seconds)
        except ValueError:
            whole = -1.0
        if whole not in capabilities.durations:
            allowed = ", ".join(str(d) for d in capabilities.durations)
            msg = (
                f"{capabilities.name} servers do not make {seconds}-second videos; seconds: "
                f"{allowed}. Nothing was sent"
            )
            raise UnsupportedParameter(msg)


def _put(body: dict[str, Any], path: str, value: Any) -> None:
    """``body[a][b] = value`` for the dotted ``path`` ``"a.b"``."""
    *parents, last = path.split(".")
    for name in parents:
        body = body.setdefault(name, {})
    body[last] = value


def _encoding(capabilities: Capabilities, prefer: str | None) -> str:
    """The encoding of a create without an image file: the one learned, else the family's
    first."""
    return prefer if prefer in ENCODINGS and prefer is not None else capabilities.encodings[0]


def _transport(
    capabilities: Capabilities, image: ReferenceImage, prefer: str | None
) -> ImageTransport:
    """The first way the server takes the image that this image can travel (a URL is no file
    part), preferring the learned encoding."""
    usable = [
        transport
        for transport in capabilities.image_transports
        if not (transport.kind == Transport.FILE and image.content is None)
    ]
    if prefer is not None:
        wanted = Transport.FILE if prefer == "multipart" else None
        usable.sort(key=lambda t: (t.kind == Transport.FILE) != (wanted == Transport.FILE))
    if not usable:
        how = "a file part" if image.content is None else "any way this client can send it"
        msg = f"{capabilities.name} servers take no reference image as {how}"
        if image.content is None:
            msg += ": pass the image itself (a path or bytes), not its URL"
        raise ImageError(msg)
    return usable[0]
