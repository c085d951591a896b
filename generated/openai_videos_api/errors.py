"""Errors raised by the generated layer."""


class UnexpectedStatus(Exception):
    """Raised by api functions when the response status an undocumented status and Client.raise_on_unexpected_status is True"""

    def __init__(self, status_code: int, content: bytes):
        self.status_code = status_code
        self.content = content

        super().__init__(
            f"Unexpected status code: {status_code}\n\nResponse content:\n{content.decode(errors='ignore')}"
        )


class PayloadError(ValueError):
    """A JSON payload does not fit the model it was parsed into.

    The one error type every ``from_dict`` raises, whatever was wrong.

    Attributes:
        model: The class being parsed, e.g. ``"Video"``.
        field: The dotted path of the offending field (``"error.message"``), "" for the whole object.
        reason: What was wrong: ``"missing"``, ``"expected str, got int"``, ...
    """

    def __init__(self, model: str, field: str, reason: str) -> None:
        self.model = model
        self.field = field
        self.reason = reason
        where = f"field {field!r}: " if field else ""
        super().__init__(f"invalid {model} payload: {where}{reason}")

    def __reduce__(self) -> tuple[type["PayloadError"], tuple[str, str, str]]:
        return (type(self), (self.model, self.field, self.reason))


__all__ = ["PayloadError", "UnexpectedStatus"]
