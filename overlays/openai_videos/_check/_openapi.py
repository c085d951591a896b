"""A server's own OpenAPI document (FastAPI apps publish ``/openapi.json``: vLLM-Omni, SGLang,
LiteLLM's proxy) read into ``Capabilities``: the create operation's encodings and fields give
the extras it honours, how it takes an image, the sizes and durations it lists. No I/O; the
document is untrusted JSON, so every step checks the shape it walks."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._capabilities import Capabilities, ExtraField, ImageTransport, Transport

__all__ = ["capabilities_from_openapi"]

_CONTENT = {"application/json": "json", "multipart/form-data": "multipart"}
# our extra -> its names on the servers we know, first found wins
_EXTRAS = {
    "seed": ("seed",),
    "negative_prompt": ("negative_prompt", "negativePrompt"),
    "audio": ("generate_audio", "generateAudio", "generate_sound", "sound"),
}
_MAX_REFS = 32  # $ref hops: a document may loop


def capabilities_from_openapi(document: object, name: str = "from-openapi") -> Capabilities | None:
    """The server's capabilities from its OpenAPI ``document`` (None: no create operation for
    ``.../videos`` in it)."""
    if not isinstance(document, Mapping):
        return None
    operation = _create_operation(document)
    if operation is None:
        return None
    content = _get(operation, "requestBody", "content")
    encodings: list[str] = []
    fields: dict[str, Any] = {}
    for media_type, encoding in _CONTENT.items():
        body = content.get(media_type) if isinstance(content, Mapping) else None
        if isinstance(body, Mapping):
            encodings.append(encoding)
            schema = _resolve(document, body.get("schema"))
            properties = schema.get("properties") if isinstance(schema, Mapping) else None
            if isinstance(properties, Mapping):
                fields.update({str(key): value for key, value in properties.items()})
    if not encodings:
        return None
    extras: dict[str, ExtraField] = {}
    for ours, names in _EXTRAS.items():
        theirs = next((name for name in names if name in fields), None)
        if theirs is not None:
            extras[ours] = ExtraField(theirs)
    transports = []
    for field_name in ("input_reference", "image_reference"):
        if field_name in fields:
            if "multipart" in encodings and field_name == "input_reference":
                transports.append(ImageTransport(Transport.FILE, field_name))
            if "json" in encodings:
                transports.append(ImageTransport(Transport.OBJECT, field_name))
    return Capabilities(
        name=name,
        description="derived from the server's own OpenAPI document",
        encodings=tuple(encodings),
        image_transports=tuple(transports),
        sizes=_enum(document, fields.get("size")),
        durations=_durations(_enum(document, fields.get("seconds"))),
        extras=extras,
        sources={"all": "the server's /openapi.json"},
    )


def _create_operation(document: Mapping[str, Any]) -> Mapping[str, Any] | None:
    paths = document.get("paths")
    if not isinstance(paths, Mapping):
        return None
    for path, item in paths.items():
        if isinstance(path, str) and path.rstrip("/").endswith("/videos"):
            post = item.get("post") if isinstance(item, Mapping) else None
            if isinstance(post, Mapping):
                return post
    return None


def _get(value: Any, *keys: str) -> Any:
    for key in keys:
        value = value.get(key) if isinstance(value, Mapping) else None
    return value


def _resolve(document: Mapping[str, Any], schema: Any) -> Any:
    """``schema`` with its ``$ref`` (and a lone ``allOf``/``anyOf`` member) followed."""
    for _ in range(_MAX_REFS):
        if not isinstance(schema, Mapping):
            return None
        ref = schema.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/"):
            schema = _get(document, *ref[2:].split("/"))
            continue
        for combined in ("allOf", "anyOf"):
            members = schema.get(combined)
            if isinstance(members, list) and members and "properties" not in schema:
                schema = next((m for m in members if _get(m, "type") != "null"), members[0])
                break
        else:
            return schema
    return None


def _enum(document: Mapping[str, Any], schema: Any) -> tuple[str, ...] | None:
    found = _resolve(document, schema)
    values = found.get("enum") if isinstance(found, Mapping) else None
    if isinstance(values, list) and values and all(isinstance(v, str | int) for v in values):
        return tuple(str(value) for value in values)
    return None


def _durations(values: tuple[str, ...] | None) -> tuple[int, ...] | None:
    if values is None or not all(value.isdigit() for value in values):
        return None
    return tuple(int(value) for value in values)
