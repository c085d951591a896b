"""The one error a model's ``from_dict`` raises for a body that does not fit it."""

from __future__ import annotations

__all__ = ["PayloadError"]


class PayloadError(ValueError):
    """A JSON payload does not fit the model it was parsed into.

    The one error type every ``from_dict`` raises, whatever was wrong.

    Attributes:
        model: The class being parsed, e.g. ``"Video"``.
        field: The dotted path of the offending field (``"error.message"``), "" for the whole
            object.
        reason: What was wrong: ``"missing"``, ``"expected str, got int"``, ...
    """

    def __init__(self, model: str, field: str, reason: str) -> None:
        self.model = model
        self.field = field
        self.reason = reason
        where = f"field {field!r}: " if field else ""
        super().__init__(f"invalid {model} payload: {where}{reason}")

    def __reduce__(self) -> tuple[type[PayloadError], tuple[str, str, str]]:
        return (type(self), (self.model, self.field, self.reason))
