"""The report of ``openai-videos check``: an outcome and notes per operation."""

from __future__ import annotations

from typing import Any, Literal

import attrs

__all__ = ["REQUIRED", "CheckReport", "OperationReport", "Outcome"]

Outcome = Literal["ok", "deviates", "fails", "not offered", "not checked"]
REQUIRED = ("list", "retrieve")


@attrs.define
class OperationReport:
    """What one probe found."""

    operation: str
    outcome: Outcome = "ok"
    notes: list[str] = attrs.field(factory=list)

    def deviates(self, note: str) -> None:
        """Record a deviation from the spec (the operation still works)."""
        self.notes.append(note)
        if self.outcome == "ok":
            self.outcome = "deviates"


@attrs.define
class CheckReport:
    """The whole report; ``to_json()`` for CI, ``ok`` for the exit code."""

    base_url: str
    operations: list[OperationReport] = attrs.field(factory=list)
    dialect_rules: list[str] = attrs.field(factory=list)
    configuration: dict[str, Any] = attrs.field(factory=dict)
    jobs_created: int = 0
    contract: str | None = None  # another contract at the same paths (e.g. xAI's)
    capabilities: dict[str, Any] | None = None  # derived from the server's /openapi.json
    create_encodings: dict[str, str] = attrs.field(factory=dict)  # "json": "accepted", ...
    verdict: str | None = None  # when nothing answers as a /v1/videos server: why, the fix

    @property
    def ok(self) -> bool:
        """No operation fails, the required ones (list, retrieve) are offered, and the server
        speaks this contract."""
        return self.contract is None and not any(
            op.outcome == "fails" or (op.outcome == "not offered" and op.operation in REQUIRED)
            for op in self.operations
        )

    def to_json(self) -> dict[str, Any]:
        """The report as JSON data."""
        return {
            "base_url": self.base_url,
            "ok": self.ok,
            "operations": [attrs.asdict(op) for op in self.operations],
            "dialect_rules": self.dialect_rules,
            "configuration": self.configuration,
            "jobs_created": self.jobs_created,
            "contract": self.contract,
            "capabilities": self.capabilities,
            "create_encodings": self.create_encodings,
            "verdict": self.verdict,
        }
