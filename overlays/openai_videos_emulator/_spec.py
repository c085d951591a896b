"""The upstream API description the emulator follows: ``upstream-videos.json``.

That file is ``spec/upstream-videos.yaml`` (the slice of OpenAI's published spec, before any of
the client's deviations) as JSON, written by ``make spec`` and checked by CI. The emulator reads
its enums, required fields and length limits from here, never from the client's generated code,
so a wrong client deviation cannot pass on both sides.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

__all__ = ["enum_values", "request_schema", "string_limits"]

SPEC_FILE = Path(__file__).with_name("upstream-videos.json")


@functools.cache
def _schemas() -> dict[str, Any]:
    spec = json.loads(SPEC_FILE.read_text(encoding="utf-8"))
    schemas: dict[str, Any] = spec["components"]["schemas"]
    return schemas


def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref")
    if isinstance(ref, str):
        return _schemas()[ref.rsplit("/", 1)[-1]]  # type: ignore[no-any-return]
    return node


def enum_values(schema: str) -> tuple[str, ...]:
    """The listed values of an enum schema, also where it is ``anyOf: [string, enum]``."""
    node = _schemas()[schema]
    for branch in [node, *node.get("anyOf", []), *node.get("oneOf", [])]:
        if "enum" in branch:
            return tuple(str(value) for value in branch["enum"])
    msg = f"upstream schema {schema} lists no enum values"
    raise LookupError(msg)


def request_schema(schema: str) -> tuple[dict[str, Any], frozenset[str]]:
    """A request body schema's properties (references resolved one level) and required names."""
    node = _schemas()[schema]
    properties = {name: _resolve(prop) for name, prop in node.get("properties", {}).items()}
    return properties, frozenset(node.get("required", ()))


def string_limits(schema: str, field: str) -> tuple[int, int]:
    """``(minLength, maxLength)`` of a string property."""
    prop = _schemas()[schema]["properties"][field]
    return int(prop.get("minLength", 0)), int(prop.get("maxLength", 2**31))
