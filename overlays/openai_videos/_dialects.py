"""Dialects: what real ``/v1/videos`` servers send, read into the spec's shapes before parsing.

The generated models stay strict; tolerance lives here, one small rule per deviation seen in the
wild, each with its source. A rule only fires on a shape the spec never produces, so the default
dialect, ``"auto"``, applies all of them: an answer that follows the spec passes unchanged.
``"strict"`` applies none. A named dialect applies the rules of one server family.

Nothing is lost: every field a rule rewrote or filled in is recorded, with its original value
(None where it was absent), in ``video.dialect_record``, e.g.
``{"name": "auto", "rules": ["status_synonyms"], "original": {"status": "SUCCESS"}}`` (kept in
``additional_properties`` under ``DIALECT_RECORD_KEY``, which is stripped from every answer
before it is read: a server cannot write the record, and its own fields, ``dialect`` among
them, stay as it sent them).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

import attrs

from openai_videos_core import DIALECT_RECORD_KEY

from ._types import SPEC_STATUSES

__all__ = ["DIALECTS", "Dialect", "get_dialect"]

Payload = dict[str, Any]
Rule = Callable[[Payload], Payload]
"""Looks at a video object; returns the fields to set (empty when the rule does not apply)."""


def id_from_task_id(video: Payload) -> Payload:
    """``task_id`` stands in for a missing ``id``.

    Source: New API answers a create with ``{"task_id": "..."}`` (QuantumNous/new-api PR 1988)
    and, from v1.0.0-rc.30, ``GET /v1/videos/{id}`` with the task shape, ``task_id`` and no
    ``id`` (QuantumNous/new-api issue 7194).
    """
    task_id = video.get("task_id")
    if video.get("id") is None and isinstance(task_id, str) and task_id:
        return {"id": task_id}
    return {}


_STATUS_SYNONYMS = {
    "not_start": "queued",
    "submitted": "queued",
    "pending": "queued",
    "queued": "queued",
    "in_progress": "in_progress",
    "processing": "in_progress",
    "running": "in_progress",
    "success": "completed",
    "succeeded": "completed",
    "completed": "completed",
    "failure": "failed",
    "failed": "failed",
}


def status_synonyms(video: Payload) -> Payload:
    """Task statuses of other systems become the spec's four.

    Source: New API's task statuses ``NOT_START``, ``SUBMITTED``, ``QUEUED``, ``IN_PROGRESS``,
    ``SUCCESS``, ``FAILURE``, ``UNKNOWN`` (its ``model/task.go``; ``"status": "SUCCESS"`` in
    QuantumNous/new-api issue 7194); gateways passing provider strings through, such as
    ``succeeded`` and upper-case ``EXPIRED`` (ArcReel/ArcReel PR 1889). Any other string is
    only lower-cased (``EXPIRED`` -> ``expired``, which ends a poll as a failure); ``unknown``
    stays unknown, so a poll goes on until its timeout.
    """
    status = video.get("status")
    if not isinstance(status, str) or status in SPEC_STATUSES:
        return {}
    key = status.strip().lower()
    normalised = _STATUS_SYNONYMS.get(key, key)
    return {} if normalised == status else {"status": normalised}


def progress_as_percent(video: Payload) -> Payload:
    """``progress`` as a whole percent: ``"100%"`` and ``"45"`` as numbers, fractions scaled.

    Source: New API's ``"progress": "100%"`` (QuantumNous/new-api issue 7194, PR 2018); Runway's
    0..1 fractions, which LiteLLM's proxy failed on until it scaled them (BerriAI/litellm PR
    38115) and which gateways passing provider values through still send. A float from 0 to 1
    is read as a fraction (the spec's percent is an integer, so a float is never one of its
    values); a larger float is a percent, rounded.
    """
    progress = video.get("progress")
    if isinstance(progress, int):  # the spec's own form (a bool is refused when parsing)
        return {}
    if isinstance(progress, str):
        text = progress.strip().removesuffix("%").strip()
        try:
            number = float(text)
        except ValueError:
            return {}
        return {"progress": _percent(number)}
    if isinstance(progress, float):
        return {"progress": _percent(progress * 100 if 0 <= progress <= 1 else progress)}
    return {}


def _percent(number: float) -> int | None:
    """A whole percent from 0 to 100; None (unknown) for NaN and the infinities, which some
    servers send as ``"1e309"``, ``"inf"`` or ``Infinity``."""
    if not math.isfinite(number):
        return None
    return _clamp(round(number))


def _clamp(percent: int) -> int:
    return max(0, min(100, percent))


def completed_at_from_finished_at(video: Payload) -> Payload:
    """``finished_at`` stands in for a missing ``completed_at``.

    Source: New API's task shape (QuantumNous/new-api issue 7194).
    """
    finished = video.get("finished_at")
    if video.get("completed_at") is None and isinstance(finished, int) and finished > 0:
        return {"completed_at": finished}
    return {}


def error_from_fail_reason(video: Payload) -> Payload:
    """A non-empty ``fail_reason`` becomes ``error`` (``code`` None, ``message`` the reason).

    Source: New API's task shape, ``"fail_reason": ""`` while all is well (QuantumNous/new-api
    issue 7194).
    """
    reason = video.get("fail_reason")
    if video.get("error") is None and isinstance(reason, str) and reason.strip():
        return {"error": {"code": None, "message": reason}}
    return {}


_PLACEHOLDERS: Mapping[str, object] = {
    "object": "video",
    "model": "unknown",
    "seconds": "unknown",
    "created_at": 0,
}


def tolerable_nulls(video: Payload) -> Payload:
    """Required fields a gateway leaves null or out get placeholders, so the rest is usable.

    ``status`` becomes ``queued`` (a fresh job), or ``failed`` when an ``error`` is there,
    ``progress`` 0 (100 once completed), ``model``
    and ``seconds`` ``"unknown"``, ``created_at`` 0 (``created_at_datetime`` is then the epoch).
    Source: gateways that leave ``seconds`` or ``model`` null (reported for LiteLLM and New API
    fronting other providers), a create answered with ``{"id": ...}`` alone (Runway's task
    answer, as mapped by api7/aisix PR 817), and New API's task shape, which has no ``model``,
    ``seconds`` or ``size`` (QuantumNous/new-api issue 7194).
    """
    changes: Payload = {
        name: value for name, value in _PLACEHOLDERS.items() if video.get(name) is None
    }
    if video.get("status") is None:  # with an error the job has failed, whatever else it says
        changes["status"] = "failed" if video.get("error") else "queued"
    if video.get("progress") is None:
        changes["progress"] = 100 if video.get("status") == "completed" else 0
    return changes


def deleted_from_video(body: Payload) -> Payload:
    """A deletion answered with the deleted video itself reads as the spec's
    ``{"id", "object": "video.deleted", "deleted"}``; ``deleted`` is whether its status says so.

    Source: SGLang's diffusion server answers ``DELETE /v1/videos/{id}`` with the video object,
    ``"status": "deleted"`` (the emulator's ``sglang`` profile plays it).
    """
    if "deleted" in body or body.get("object") != "video":
        return {}
    return {"object": "video.deleted", "deleted": body.get("status") == "deleted"}


@attrs.frozen
class Dialect:
    """A set of rules applied, in order, to every video object a server sends.

    Attributes:
        name: Shown in ``dialect_record`` and by ``openai-videos check``.
        rules: The rules, applied in order; each sees the previous ones' result.
        deletion_rules: Rules for the answer to a deletion, applied the same way.
    """

    name: str
    rules: tuple[Rule, ...]
    deletion_rules: tuple[Rule, ...] = ()

    def video(self, payload: object) -> object:
        """``payload`` (a video object) in the spec's shape; anything else unchanged."""
        return self._apply(self.rules, payload)

    def _apply(self, rules: tuple[Rule, ...], payload: object) -> object:
        if not isinstance(payload, dict):
            return payload
        if DIALECT_RECORD_KEY in payload:  # only the client writes its record
            payload = {k: v for k, v in payload.items() if k != DIALECT_RECORD_KEY}
        if not rules:
            return payload
        result = dict(payload)
        fired: list[str] = []
        original: Payload = {}
        for rule in rules:
            changes = rule(result)
            if not changes:
                continue
            fired.append(rule.__name__)
            for key, value in changes.items():
                original.setdefault(key, payload.get(key))
                result[key] = value
        if fired:
            record = {"name": self.name, "rules": fired, "original": original}
            result[DIALECT_RECORD_KEY] = record
        return result

    def answer(self, operation: str, body: object) -> object:
        """The body of ``operation``'s answer with every video object in it normalised."""
        if operation == "list_videos" and isinstance(body, dict):
            data = body.get("data")
            if isinstance(data, list):
                return {**body, "data": [self.video(item) for item in data]}
            return body
        if operation in _VIDEO_OPERATIONS:
            return self.video(body)
        if operation == "delete_video":
            return self._apply(self.deletion_rules, body)
        return body


_VIDEO_OPERATIONS = frozenset(
    {"create_video", "get_video", "create_video_remix", "create_video_edit", "create_video_extend"}
)
ALL_RULES: tuple[Rule, ...] = (
    id_from_task_id,
    status_synonyms,
    progress_as_percent,
    completed_at_from_finished_at,
    error_from_fail_reason,
    tolerable_nulls,
)
DELETION_RULES: tuple[Rule, ...] = (deleted_from_video,)
DIALECTS: dict[str, Dialect] = {
    "auto": Dialect("auto", ALL_RULES, DELETION_RULES),
    "strict": Dialect("strict", ()),
    "newapi": Dialect("newapi", ALL_RULES, DELETION_RULES),
    "litellm": Dialect("litellm", (status_synonyms, progress_as_percent, tolerable_nulls)),
}


def get_dialect(dialect: str | Dialect) -> Dialect:
    """The dialect called ``dialect`` (or ``dialect`` itself).

    Raises:
        ValueError: No dialect has that name.
    """
    if isinstance(dialect, Dialect):
        return dialect
    try:
        return DIALECTS[dialect]
    except (KeyError, TypeError):
        msg = f"dialect must be one of {sorted(DIALECTS)} or a Dialect, but received {dialect!r}"
        raise ValueError(msg) from None
