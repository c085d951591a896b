"""Every deliberate deviation of ``openapi.yaml`` from the upstream OpenAI videos slice.

This module is the one place where they are listed. Each deviation is a function that edits the
parsed spec in place; its docstring says what changes on the wire or in the generated code, and
why. ``spec/sync.py`` applies them in the order of ``DEVIATIONS``; ``tests/test_spec.py`` checks
that ``openapi.yaml`` is exactly upstream + these functions, and tests each one's effect.

Behaviour that a spec edit cannot express lives in the custom generator templates
(``templates/README.md``): lenient enums, absent nullable fields parsed as ``None``, typed parse
errors, frozen value models.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Spec = dict[str, Any]

CONTENT_PATH = "/videos/{video_id}/content"
MEDIA_TYPES = ("video/mp4", "image/webp", "image/jpeg", "image/png")
EXTENSION_SECONDS = ["4", "8", "12", "16", "20"]
JOB_CREATING_POSTS = ("/videos", "/videos/edits", "/videos/extensions", "/videos/{video_id}/remix")


def _schemas(spec: Spec) -> dict[str, Any]:
    schemas: dict[str, Any] = spec["components"]["schemas"]
    return schemas


def drop_code_samples(spec: Spec) -> None:
    """Remove ``x-oaiMeta`` blocks (SDK code samples in five languages).

    Documentation only, no wire meaning; they made up a third of the file. The two example
    responses they hold are still tested, from ``spec/upstream-videos.yaml``.
    """
    for operations in spec["paths"].values():
        for operation in operations.values():
            operation.pop("x-oaiMeta", None)


def content_is_binary(spec: Spec) -> None:
    """The content endpoint answers with media bytes only.

    Upstream lists ``application/json`` (type string) beside ``video/mp4`` and ``image/webp``;
    the generator picks the first type it understands, JSON, and would call ``response.json()``
    on an MP4. We drop the JSON entry and list the sprite-sheet image types, all mapped to bytes
    by ``content_type_overrides`` in ``generator-config.yaml``.
    """
    response = spec["paths"][CONTENT_PATH]["get"]["responses"]["200"]
    binary = {"schema": {"type": "string", "format": "binary"}}
    response["content"] = {media_type: dict(binary) for media_type in MEDIA_TYPES}


def extension_seconds(spec: Spec) -> None:
    """Extension requests take 4, 8, 12, 16 or 20 seconds.

    Upstream reuses ``VideoSeconds`` (4, 8, 12) for them although its own description says
    "allowed values: 4, 8, 12, 16, 20". A separate ``VideoExtensionSeconds`` keeps create
    requests at 4/8/12. ``Video.seconds`` itself stays a free string: for an extension it is
    the stitched total ("16", "20", ...).
    """
    _schemas(spec)["VideoExtensionSeconds"] = {"type": "string", "enum": list(EXTENSION_SECONDS)}
    for name in ("CreateVideoExtendJsonBody", "CreateVideoExtendMultipartBody"):
        seconds = _schemas(spec)[name]["properties"]["seconds"]
        seconds["$ref"] = "#/components/schemas/VideoExtensionSeconds"


def video_model_is_an_enum(spec: Spec) -> None:
    """``VideoModel`` is a plain string enum instead of ``anyOf: [string, enum]``.

    The ``anyOf`` only existed to let unknown model names through; every generated enum now
    tolerates unknown values (templates/str_enum.py.jinja), so ``Video.model`` gets one type,
    ``VideoModel``, instead of ``str | VideoModelType1``.
    """
    schemas = _schemas(spec)
    known = schemas["VideoModel"]["anyOf"][1]["enum"]
    schemas["VideoModel"] = {"type": "string", "enum": list(known)}


def multipart_parts_are_files(spec: Spec) -> None:
    """In multipart bodies, ``input_reference`` and ``video`` are file uploads only.

    Upstream allows ``oneOf: [binary, object]`` there; the generator sends the object as a JSON
    part, which servers are not known to accept. References by id or URL go in the JSON body,
    which every operation also offers (and which the official SDK uses when nothing is
    uploaded).
    """
    binary = {"type": "string", "format": "binary"}
    schemas = _schemas(spec)
    targets = {
        "CreateVideoMultipartBody": "input_reference",
        "CreateVideoEditMultipartBody": "video",
        "CreateVideoExtendMultipartBody": "video",
    }
    for schema_name, prop in targets.items():
        description = schemas[schema_name]["properties"][prop]["oneOf"][0].get("description", "")
        schemas[schema_name]["properties"][prop] = {**binary, "description": description}


def request_bodies_are_required(spec: Spec) -> None:
    """Every POST requires its body.

    Upstream leaves ``requestBody.required`` unset, so the generator typed ``body`` as optional
    although ``prompt`` (or ``video`` and ``name``) is required inside it.
    """
    for operations in spec["paths"].values():
        post = operations.get("post")
        if post is not None and "requestBody" in post:
            post["requestBody"]["required"] = True


def lenient_video_fields(spec: Spec) -> None:
    """Accept what real ``/v1/videos`` servers send for ``size`` and ``error``.

    - ``Video.size`` may be ``null`` (vLLM-Omni) or absent; upstream makes it a required enum.
    - ``VideoError.code`` may be ``null`` or absent (Azure, SGLang) or an integer (vLLM-Omni);
      upstream requires a string. The raw value is kept; nothing is coerced.
    """
    schemas = _schemas(spec)
    schemas["VideoResource"]["properties"]["size"] = {
        "anyOf": [{"$ref": "#/components/schemas/VideoSize"}, {"type": "null"}],
        "description": "The resolution of the generated video.",
    }
    error = schemas["Error-2"]
    error["properties"]["code"] = {
        "anyOf": [{"type": "string"}, {"type": "integer"}, {"type": "null"}],
        "description": "A machine-readable error code that was returned.",
    }


def readable_enum_member_names(spec: Spec) -> None:
    """Name the members of numeric-looking enums (``x-enum-varnames``, no wire change).

    Without names the generator calls them ``VALUE_0``, ``VALUE_1``...; with them it is
    ``VideoSize.SIZE_1280X720`` and ``VideoSeconds.SECONDS_8``.
    """
    prefixes = {
        "VideoSize": "SIZE_",
        "VideoSeconds": "SECONDS_",
        "VideoExtensionSeconds": "SECONDS_",
    }
    for name, prefix in prefixes.items():
        schema = _schemas(spec)[name]
        schema["x-enum-varnames"] = [prefix + value.upper() for value in schema["enum"]]


def remix_body_is_json(spec: Spec) -> None:
    """Remix requests are sent as JSON only.

    Upstream offers the same schema as multipart and JSON; with one model for both, the
    generated code matched both ``isinstance`` branches and sent a multipart *and* a JSON body.
    A prompt-only body gains nothing from multipart.
    """
    content = spec["paths"]["/videos/{video_id}/remix"]["post"]["requestBody"]["content"]
    content.pop("multipart/form-data")


def list_has_more_defaults_to_false(spec: Spec) -> None:
    """``VideoList.has_more`` defaults to ``false`` when absent.

    SGLang and FastVideo send ``{"object": "list", "data": [...]}`` with no cursors at all; the
    cursors are nullable already, so an absent ``has_more`` meaning "no more pages" lets those
    lists parse (and end pagination) instead of failing.
    """
    _schemas(spec)["VideoListResource"]["properties"]["has_more"]["default"] = False


DEVIATIONS: tuple[Callable[[Spec], None], ...] = (
    drop_code_samples,
    content_is_binary,
    extension_seconds,
    video_model_is_an_enum,
    multipart_parts_are_files,
    request_bodies_are_required,
    lenient_video_fields,
    readable_enum_member_names,
    remix_body_is_json,
    list_has_more_defaults_to_false,
)


def apply_deviations(spec: Spec) -> Spec:
    """Apply every deviation, in order, to ``spec`` (edited in place) and return it."""
    for deviation in DEVIATIONS:
        deviation(spec)
    return spec
