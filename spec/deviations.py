"""Every deliberate deviation of ``openapi.yaml`` from the upstream OpenAI videos slice.

This module is the one place where they are listed. Each deviation is a function that edits the
parsed spec in place; its docstring says what changes on the wire or in the generated code, and
why. ``spec/sync.py`` applies them in the order of ``DEVIATIONS``; ``tests/test_spec.py`` checks
that ``openapi.yaml`` is exactly upstream + these functions, and tests each one's effect.

Each deviation follows the same contract, so that a new upstream gets complete feedback:

* it first checks that upstream has what it expects, and otherwise raises ``Problem`` with a
  sentence a maintainer can act on (nothing is edited then);
* it patches only the fields it means to change, never replaces a whole node, so an upstream
  edit elsewhere in that node survives;
* it returns False where upstream already has the wanted form (reported as "already upstream",
  a hint that the deviation may be retired), True where it changed something.

``apply_deviations`` runs every deviation and collects every problem, so one run tells all.

Behaviour that a spec edit cannot express lives in the custom generator templates
(``templates/README.md``): lenient enums, absent nullable fields parsed as ``None``, typed parse
errors, frozen value models.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

Spec = dict[str, Any]

CONTENT_PATH = "/videos/{video_id}/content"
REMIX_PATH = "/videos/{video_id}/remix"
MEDIA_TYPES = ("video/mp4", "image/webp", "image/jpeg", "image/png")
EXTENSION_SECONDS = ["4", "8", "12", "16", "20"]
EXTENSION_SECONDS_REF = "#/components/schemas/VideoExtensionSeconds"
BINARY = {"type": "string", "format": "binary"}
DEPRECATION_NOTE = (
    "Deprecated upstream: the OpenAI spec marks this operation `deprecated: true` (OpenAI's own "
    "hosted Videos API was removed on 2026-09-24); gateways and self-hosted /v1/videos servers "
    "still serve it."
)


class Problem(Exception):
    """Upstream is not what a deviation expects; the message says what is missing or changed."""


@dataclass(frozen=True)
class Outcome:
    """What one deviation did with one upstream."""

    name: str
    status: Literal["applied", "already upstream", "problem"]
    detail: str = ""


# -- lookups that explain what is missing ------------------------------------------------------


def _schema(spec: Spec, name: str) -> dict[str, Any]:
    schemas = spec.get("components", {}).get("schemas", {})
    if name not in schemas:
        msg = f"upstream has no schema {name}"
        raise Problem(msg)
    schema: dict[str, Any] = schemas[name]
    return schema


def _property(spec: Spec, schema: str, name: str) -> dict[str, Any]:
    properties = _schema(spec, schema).get("properties", {})
    if name not in properties:
        msg = f"upstream schema {schema} has no property {name!r}"
        raise Problem(msg)
    prop: dict[str, Any] = properties[name]
    return prop


def _operation(spec: Spec, path: str, method: str) -> dict[str, Any]:
    operation = spec.get("paths", {}).get(path, {}).get(method)
    if operation is None:
        msg = f"upstream has no operation {method.upper()} {path}"
        raise Problem(msg)
    result: dict[str, Any] = operation
    return result


def _operations(spec: Spec) -> list[dict[str, Any]]:
    return [op for ops in spec.get("paths", {}).values() for op in ops.values()]


def _is_binary(node: dict[str, Any]) -> bool:
    return node.get("type") == "string" and node.get("format") == "binary"


# -- the deviations ------------------------------------------------------------------------------


def drop_code_samples(spec: Spec) -> bool:
    """Remove ``x-oaiMeta`` blocks (SDK code samples in five languages).

    Documentation only, no wire meaning; they made up a third of the file. The two example
    responses they hold are still tested, from ``spec/upstream-videos.yaml``.
    """
    found = [op for op in _operations(spec) if "x-oaiMeta" in op]
    for operation in found:
        del operation["x-oaiMeta"]
    return bool(found)


def content_is_binary(spec: Spec) -> bool:
    """The content endpoint answers with media bytes only.

    Upstream lists ``application/json`` (type string) beside ``video/mp4`` and ``image/webp``;
    the generator picks the first type it understands, JSON, and would call ``response.json()``
    on an MP4. We drop the JSON entry and list the sprite-sheet image types, all mapped to bytes
    by ``content_type_overrides`` in ``generator-config.yaml``. Other fields of each entry are
    kept.
    """
    responses = _operation(spec, CONTENT_PATH, "get").get("responses", {})
    if "200" not in responses:
        msg = f"upstream GET {CONTENT_PATH} documents no 200 answer"
        raise Problem(msg)
    content = responses["200"].setdefault("content", {})
    changed = content.pop("application/json", None) is not None
    for media_type in MEDIA_TYPES:
        schema = content.setdefault(media_type, {}).setdefault("schema", {})
        if not _is_binary(schema):
            schema.update(BINARY)
            changed = True
    return changed


def extension_seconds(spec: Spec) -> bool:
    """Extension requests take 4, 8, 12, 16 or 20 seconds.

    Upstream reuses ``VideoSeconds`` (4, 8, 12) for them although its own description says
    "allowed values: 4, 8, 12, 16, 20". A separate ``VideoExtensionSeconds`` keeps create
    requests at 4/8/12. ``Video.seconds`` itself stays a free string: for an extension it is
    the stitched total ("16", "20", ...).
    """
    bodies = ("CreateVideoExtendJsonBody", "CreateVideoExtendMultipartBody")
    seconds = [_property(spec, body, "seconds") for body in bodies]
    for body, prop in zip(bodies, seconds, strict=True):
        if "$ref" not in prop:
            msg = f"upstream {body}.seconds is no longer a $ref to an enum: {prop}"
            raise Problem(msg)
    schemas = spec["components"]["schemas"]
    existing = schemas.get("VideoExtensionSeconds")
    if existing is not None and existing.get("enum") != EXTENSION_SECONDS:
        msg = f"upstream now has its own VideoExtensionSeconds ({existing.get('enum')})"
        raise Problem(msg)
    changed = existing is None
    schemas.setdefault("VideoExtensionSeconds", {"type": "string", "enum": list(EXTENSION_SECONDS)})
    for prop in seconds:
        changed = changed or prop["$ref"] != EXTENSION_SECONDS_REF
        prop["$ref"] = EXTENSION_SECONDS_REF
    return changed


def video_model_is_an_enum(spec: Spec) -> bool:
    """``VideoModel`` is a plain string enum instead of ``anyOf: [string, enum]``.

    The ``anyOf`` only existed to let unknown model names through; every generated enum now
    tolerates unknown values (templates/str_enum.py.jinja), so ``Video.model`` gets one type,
    ``VideoModel``, instead of ``str | VideoModelType1``.
    """
    model = _schema(spec, "VideoModel")
    if model.get("type") == "string" and "enum" in model and "anyOf" not in model:
        return False
    branches = model.get("anyOf", [])
    enums = [branch["enum"] for branch in branches if "enum" in branch]
    if len(enums) != 1 or any(branch.get("type") != "string" for branch in branches):
        msg = f"expected VideoModel as a string enum or anyOf [string, string enum], found {model}"
        raise Problem(msg)
    del model["anyOf"]
    model.update(type="string", enum=list(enums[0]))
    return True


def multipart_parts_are_files(spec: Spec) -> bool:
    """In multipart bodies, ``input_reference`` and ``video`` are file uploads only.

    Upstream allows ``oneOf: [binary, object]`` there; the generator sends the object as a JSON
    part, which servers are not known to accept. References by id or URL go in the JSON body,
    which every operation also offers (and which the official SDK uses when nothing is
    uploaded). The property's own description is kept (or the first branch's that has one).
    """
    targets = {
        "CreateVideoMultipartBody": "input_reference",
        "CreateVideoEditMultipartBody": "video",
        "CreateVideoExtendMultipartBody": "video",
    }
    props = {schema: _property(spec, schema, name) for schema, name in targets.items()}
    for schema, prop in props.items():
        branches = prop.get("oneOf", [])
        if not _is_binary(prop) and not any(_is_binary(branch) for branch in branches):
            msg = f"upstream {schema}.{targets[schema]} offers no binary (file) form: {prop}"
            raise Problem(msg)
    changed = False
    for prop in props.values():
        if _is_binary(prop) and "oneOf" not in prop:
            continue
        branches = prop.pop("oneOf", [])
        descriptions = [b["description"] for b in branches if b.get("description")]
        if "description" not in prop and descriptions:
            prop["description"] = descriptions[0]
        prop.update(BINARY)
        changed = True
    return changed


def request_bodies_are_required(spec: Spec) -> bool:
    """Every POST requires its body.

    Upstream leaves ``requestBody.required`` unset, so the generator typed ``body`` as optional
    although ``prompt`` (or ``video`` and ``name``) is required inside it.
    """
    bodies = [
        ops["post"]["requestBody"]
        for ops in spec.get("paths", {}).values()
        if "requestBody" in ops.get("post", {})
    ]
    if not bodies:
        msg = "upstream has no POST operation with a request body"
        raise Problem(msg)
    changed = any(body.get("required") is not True for body in bodies)
    for body in bodies:
        body["required"] = True
    return changed


def lenient_video_fields(spec: Spec) -> bool:
    """Accept what real ``/v1/videos`` servers send for ``size`` and ``error``.

    - ``Video.size`` may be ``null`` (vLLM-Omni) or absent; upstream makes it a required enum.
    - ``VideoError.code`` may be ``null`` or absent (Azure, SGLang) or an integer (vLLM-Omni);
      upstream requires a string. The raw value is kept; nothing is coerced.
    Descriptions and other fields of both properties are kept.
    """
    size = _property(spec, "VideoResource", "size")
    code = _property(spec, "Error-2", "code")
    size_is_nullable = {"type": "null"} in size.get("anyOf", [])
    if not size_is_nullable and "$ref" not in size:
        msg = f"expected VideoResource.size as a $ref to VideoSize, found {size}"
        raise Problem(msg)
    code_types = [branch.get("type") for branch in code.get("anyOf", [])]
    code_is_lenient = {"string", "integer", "null"} <= set(code_types)
    if not code_is_lenient and code.get("type") != "string":
        msg = f"expected Error-2.code as a string, found {code}"
        raise Problem(msg)
    if not size_is_nullable:
        size["anyOf"] = [{"$ref": size.pop("$ref")}, {"type": "null"}]
    if not code_is_lenient:
        del code["type"]
        code["anyOf"] = [{"type": "string"}, {"type": "integer"}, {"type": "null"}]
    return not (size_is_nullable and code_is_lenient)


def readable_enum_member_names(spec: Spec) -> bool:
    """Name the members of numeric-looking enums (``x-enum-varnames``, no wire change).

    Without names the generator calls them ``VALUE_0``, ``VALUE_1``...; with them it is
    ``VideoSize.SIZE_1280X720`` and ``VideoSeconds.SECONDS_8``.
    """
    prefixes = {
        "VideoSize": "SIZE_",
        "VideoSeconds": "SECONDS_",
        "VideoExtensionSeconds": "SECONDS_",
    }
    schemas = {name: _schema(spec, name) for name in prefixes}
    for name, schema in schemas.items():
        if not isinstance(schema.get("enum"), list):
            msg = f"upstream {name} is no longer a plain enum: {schema}"
            raise Problem(msg)
    changed = False
    for name, schema in schemas.items():
        names = [prefixes[name] + str(value).upper() for value in schema["enum"]]
        changed = changed or schema.get("x-enum-varnames") != names
        schema["x-enum-varnames"] = names
    return changed


def remix_body_is_json(spec: Spec) -> bool:
    """Remix requests are sent as JSON only.

    Upstream offers the same schema as multipart and JSON; with one model for both, the
    generated code matched both ``isinstance`` branches and sent a multipart *and* a JSON body.
    A prompt-only body gains nothing from multipart.
    """
    content = _operation(spec, REMIX_PATH, "post").get("requestBody", {}).get("content", {})
    if "application/json" not in content:
        msg = f"upstream POST {REMIX_PATH} offers no application/json body: {sorted(content)}"
        raise Problem(msg)
    return content.pop("multipart/form-data", None) is not None


def list_has_more_defaults_to_false(spec: Spec) -> bool:
    """``VideoList.has_more`` defaults to ``false`` when absent.

    SGLang and FastVideo send ``{"object": "list", "data": [...]}`` with no cursors at all; the
    cursors are nullable already, so an absent ``has_more`` meaning "no more pages" lets those
    lists parse (and end pagination) instead of failing.
    """
    has_more = _property(spec, "VideoListResource", "has_more")
    if has_more.get("default") is False:
        return False
    has_more["default"] = False
    return True


def deprecation_is_documented(spec: Spec) -> bool:
    """A deprecated operation says so in its description.

    The generator drops ``deprecated: true``; its description reaches the generated function's
    docstring and the endpoint module's ``DEPRECATED`` constant (templates/endpoint_module.py.jinja
    reads the note's first paragraph). No runtime warning: the same operations are alive on the
    gateways and servers this client is for.
    """
    changed = False
    for operation in _operations(spec):
        if operation.get("deprecated") is True:
            description = operation.get("description", "")
            if not description.startswith(DEPRECATION_NOTE):
                operation["description"] = f"{DEPRECATION_NOTE}\n\n{description}".rstrip()
                changed = True
    return changed


DEVIATIONS: tuple[Callable[[Spec], bool], ...] = (
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
    deprecation_is_documented,
)


def apply_deviations(spec: Spec) -> list[Outcome]:
    """Apply every deviation, in order, to ``spec`` (edited in place); the outcome of each.

    A deviation whose precondition fails edits nothing and is reported as a problem; the others
    still run, so a single run reports every problem.
    """
    outcomes = []
    for deviation in DEVIATIONS:
        try:
            changed = deviation(spec)
        except Problem as problem:
            outcomes.append(Outcome(deviation.__name__, "problem", str(problem)))
        else:
            outcomes.append(
                Outcome(deviation.__name__, "applied" if changed else "already upstream")
            )
    return outcomes
