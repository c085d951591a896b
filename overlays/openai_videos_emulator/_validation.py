"""Request checks against the upstream spec; a failure is an ``EmulatorError`` with the OpenAI
error shape.

Enum values, required fields and length limits come from the upstream slice (``_spec``). Where
the emulator knowingly goes beyond it, the constant below says so and why.
"""

from __future__ import annotations

from typing import Any

from . import _spec

__all__ = [
    "EXTENSION_SECONDS",
    "MAX_NAME",
    "EmulatorError",
    "check_create",
    "check_enum",
    "check_prompt",
    "check_reference",
]

MAX_PROMPT = _spec.string_limits("CreateVideoJsonBody", "prompt")[1]
MAX_NAME = _spec.string_limits("CreateVideoCharacterBody", "name")[1]
MODELS = _spec.enum_values("VideoModel")
SECONDS = _spec.enum_values("VideoSeconds")
SIZES = _spec.enum_values("VideoSize")
EXTENSION_SECONDS = (*SECONDS, "16", "20")
"""Server behaviour beyond the schema: upstream types extension ``seconds`` as ``VideoSeconds``
(4, 8, 12), while its own description of the field says "allowed values: 4, 8, 12, 16, 20"."""


class EmulatorError(Exception):
    """An error answer: status plus the fields of ``{"error": {...}}``."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        param: str | None = None,
        code: str | None = None,
        type: str = "invalid_request_error",  # the field's name in the API
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status, self.message, self.param, self.code, self.type = (
            status,
            message,
            param,
            code,
            type,
        )
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        return {
            "error": {
                "message": self.message,
                "type": self.type,
                "param": self.param,
                "code": self.code,
            }
        }


def check_prompt(value: object, param: str = "prompt", limit: int = MAX_PROMPT) -> str:
    if value is None:
        raise EmulatorError(
            400,
            f"Missing required parameter: '{param}'.",
            param=param,
            code="missing_required_parameter",
        )
    if not isinstance(value, str) or not 1 <= len(value) <= limit:
        raise EmulatorError(
            400,
            f"'{param}' must be a string of 1 to {limit} characters.",
            param=param,
            code="invalid_value",
        )
    return value


def check_enum(value: object, param: str, allowed_values: tuple[str, ...]) -> str:
    if not isinstance(value, str) or value not in allowed_values:
        allowed = ", ".join(repr(member) for member in allowed_values)
        raise EmulatorError(
            400,
            f"Invalid value for '{param}': {value!r}. Supported values are: {allowed}.",
            param=param,
            code="invalid_value",
        )
    return value


def check_reference(value: object, param: str) -> dict[str, str]:
    """An ``{"image_url"}`` / ``{"file_id"}`` object (create) or a ``{"id"}`` object (edit/extend)."""
    if (
        not isinstance(value, dict)
        or len(value) != 1
        or not all(isinstance(v, str) and v for v in value.values())
    ):
        raise EmulatorError(
            400,
            f"'{param}' must be an object with exactly one non-empty string field.",
            param=param,
            code="invalid_value",
        )
    return value


def check_create(
    fields: dict[str, Any],
    *,
    extra_fields: frozenset[str] = frozenset(),
    known_models_only: bool = True,
    seconds_allowed: tuple[str, ...] | None = None,
    sizes_allowed: tuple[str, ...] | None = None,
) -> dict[str, str]:
    """The create parameters with defaults applied; unknown parameters are refused.

    Upstream lets any model name through (``anyOf: [string, enum]``); OpenAI itself refused the
    names it did not list, which ``known_models_only`` imitates.
    """
    properties, _ = _spec.request_schema("CreateVideoJsonBody")
    known = {*properties, *extra_fields}
    for name in fields:
        if name not in known:
            raise EmulatorError(
                400,
                f"Unrecognized request argument supplied: {name}",
                param=name,
                code="unknown_parameter",
            )
    seconds, sizes = seconds_allowed or SECONDS, sizes_allowed or SIZES
    model = fields.get("model", "sora-2")
    if known_models_only:
        check_enum(model, "model", MODELS)
    elif not isinstance(model, str) or not model:
        raise EmulatorError(
            400, "'model' must be a non-empty string.", param="model", code="invalid_value"
        )
    return {
        "prompt": check_prompt(fields.get("prompt")),
        "model": model,
        "seconds": check_enum(fields.get("seconds", seconds[0]), "seconds", seconds),
        "size": check_enum(fields.get("size", sizes[0]), "size", sizes),
    }
