"""Reading a server's answers for the report: which fields deviate, which dialect rules fire,
what configuration the client needs. Nothing here trusts the shape of what it reads."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import httpx

from openai_videos_core import DIALECT_RECORD_KEY

from .._dialects import DIALECTS
from .._errors import decode_json
from .._types import SPEC_STATUSES
from ._probe import Probe

VIDEO_FIELDS = ("id", "object", "model", "status", "progress", "created_at", "seconds")


def video_notes(videos: list[dict[str, Any]]) -> list[str]:
    notes: dict[str, None] = {}
    for video in videos:
        for field in VIDEO_FIELDS:
            if field not in video:
                notes[f"videos lack {field!r}"] = None
            elif video[field] is None:
                notes[f"{field!r} is null"] = None
        status = video.get("status")
        if isinstance(status, str) and status not in SPEC_STATUSES:
            notes[f"status {status!r} is not one of the spec's"] = None
        size = video.get("size")
        if size is None:
            notes["'size' is null or absent"] = None
        elif isinstance(size, str) and not re.fullmatch(r"[0-9]+x[0-9]+", size):
            notes[f"size {size!r} is not WIDTHxHEIGHT"] = None
        progress = video.get("progress")
        if progress is not None and not (isinstance(progress, int) and 0 <= progress <= 100):
            notes[f"progress {progress!r} is not a whole percent"] = None
        identifier = video.get("id")
        if isinstance(identifier, str) and re.search(r"[^A-Za-z0-9_-]", identifier):
            notes["ids contain characters such as '/', '+', '=' (sent as one encoded segment)"] = (
                None
            )
    return list(notes)


def dialect_rules(videos: list[dict[str, Any]]) -> list[str]:
    fired: dict[str, None] = {}
    for video in videos:
        record = DIALECTS["auto"].video(video)
        dialect = record.get(DIALECT_RECORD_KEY) if isinstance(record, dict) else None
        rules = dialect.get("rules") if isinstance(dialect, dict) else None
        for rule in rules if isinstance(rules, list) else []:
            if isinstance(rule, str):
                fired[rule] = None
    return list(fired)


def configuration(probe: Probe, rules: list[str]) -> dict[str, Any]:
    configuration: dict[str, Any] = {}
    if probe.auth_header != "Authorization":
        configuration["auth_header"] = probe.auth_header
    if probe.default_query:
        configuration["default_query"] = dict(probe.default_query)
    if rules:
        configuration["dialect"] = "auto"  # the default: shown because this server needs it
    return configuration


def first_completed(videos: list[dict[str, Any]]) -> str | None:
    for video in videos:
        normalised = DIALECTS["auto"].video(video)
        if isinstance(normalised, dict) and normalised.get("status") == "completed":
            identifier = normalised.get("id")
            return identifier if isinstance(identifier, str) else None
    return None


def ids(videos: list[Any]) -> set[str]:
    """The string ids among listed items (a server may send anything there)."""
    return {v["id"] for v in videos if isinstance(v, dict) and isinstance(v.get("id"), str)}


def body_of(response: httpx.Response) -> Any:
    return decode_json(response.content)


def error_param(response: httpx.Response) -> str | None:
    body = body_of(response)
    error = body.get("error") if isinstance(body, dict) else None
    param = error.get("param") if isinstance(error, dict) else None
    return param if isinstance(param, str) else None


def guess_query_value(param: str) -> str:
    known: Mapping[str, str] = {"custom_llm_provider": "openai"}
    return known.get(param, "")


def segment(video_id: str) -> str:
    from openai_videos_api.types import path_segment  # noqa: PLC0415 - keeps import light

    return path_segment(video_id, "video_id")


def excerpt(response: httpx.Response) -> str:
    text = response.text.strip().replace("\n", " ")
    return text[:120] or response.reason_phrase
