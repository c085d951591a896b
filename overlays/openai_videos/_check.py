"""``openai-videos check``: a conformance report for any ``/v1/videos`` server.

By default it makes no request that can cost money: list, retrieve of a video it found and of an
unknown id, ``Range`` on existing content, and authentication. ``create=True`` opts in to exactly
one minimal job, which is polled, downloaded in all three variants and deleted where allowed.
The report says, per operation, whether it works and what deviates from the spec, which dialect
rules the client needs, and the client configuration to use.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any, Literal

import attrs
import httpx

from ._dialects import DIALECTS
from ._errors import APIConnectionError, decode_json
from ._options import auth_headers
from ._paths import safe_name
from ._probe import Probe, ProbeFailed
from ._types import SPEC_STATUSES

__all__ = ["CheckReport", "OperationReport", "run_check"]

Outcome = Literal["ok", "deviates", "fails", "not offered", "not checked"]
REQUIRED = ("list", "retrieve")
UNKNOWN_ID = "video_openai_videos_check_does_not_exist"
VIDEO_FIELDS = ("id", "object", "model", "status", "progress", "created_at", "seconds")
MINIMAL_JOB = {"prompt": "openai-videos check: a test pattern", "seconds": "4", "size": "720x1280"}


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

    @property
    def ok(self) -> bool:
        """No operation fails, and the required ones (list, retrieve) are offered."""
        return not any(
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
        }


def run_check(
    base_url: str,
    *,
    api_key: str | None = None,
    create: bool = False,
    http_client: httpx.Client | None = None,
    poll_timeout: float = 600.0,
    on_step: Callable[[str], None] | None = None,
) -> CheckReport:
    """Probe ``base_url`` and report how it speaks ``/v1/videos``.

    Args:
        base_url: The server, e.g. ``http://localhost:4000/v1``.
        api_key: Sent as a bearer token (or in ``api-key`` if the server wants that).
        create: Also create one minimal job (this may cost money), poll it, download its three
            variants and delete it.
        http_client: Your own ``httpx.Client`` (proxies, transports).
        poll_timeout: With ``create``, how long to wait for the job.
        on_step: Called with a short description before each step.

    Raises:
        APIConnectionError: The server could not be reached (or broke off an answer).
    """
    step = on_step or (lambda text: None)
    report = CheckReport(base_url=base_url)
    http = http_client or httpx.Client(timeout=30.0, follow_redirects=False)
    probe = Probe(http, base_url, api_key)
    try:
        for name, check in (
            ("authentication", _check_auth),
            ("list", _check_list),
            ("errors", _check_error_shape),
        ):
            step(name)
            report.operations.append(_finding(name, check, probe))
        created: list[OperationReport] = []
        finished: str | None = None
        if create:
            try:
                created, finished = _create_and_poll(probe, report, poll_timeout, step)
            except ProbeFailed as failure:
                created = [OperationReport("create", "fails", [str(failure)])]
        step("retrieve")
        report.operations.append(_finding("retrieve", _check_retrieve, probe))
        step("content")
        finished = finished or _finished(probe.videos_seen)
        report.operations.append(_finding("content", _check_content, probe, finished))
        report.operations += created
        if create and finished is not None:
            try:
                report.operations += _download_and_delete(probe, finished, step)
            except ProbeFailed as failure:
                report.operations.append(OperationReport("delete", "fails", [str(failure)]))
        if not create:
            report.operations.append(
                OperationReport("create", "not checked", ["run with --create to try one job"])
            )
    finally:
        if http_client is None:
            http.close()
    report.dialect_rules = _dialect_rules(probe.videos_seen)
    report.configuration = _configuration(probe, report.dialect_rules)
    return report


def _finding(name: str, check: Callable[..., OperationReport], *args: Any) -> OperationReport:
    """``check(*args)``; an answer it cannot read is a failed operation in the report, never a
    crash of the check (it exists to describe broken servers)."""
    try:
        return check(*args)
    except ProbeFailed as failure:
        return OperationReport(name, "fails", [str(failure)])
    except APIConnectionError:
        raise
    except Exception as error:  # a shape no probe foresaw: still a finding
        return OperationReport(
            name, "fails", [f"unreadable answer ({type(error).__name__}: {error})"]
        )


# -- the probes ------------------------------------------------------------------------------------


def _check_auth(probe: Probe) -> OperationReport:
    result = OperationReport("authentication")
    anonymous = probe.get("/videos", params={"limit": 1}, authenticated=False)
    if anonymous.status_code < 400:
        result.notes.append("answers requests without an API key")
    if not probe.api_key:
        result.outcome = "not checked" if anonymous.status_code in {401, 403} else "ok"
        if result.outcome == "not checked":
            result.notes.append("the server wants a key: pass --api-key")
        return result
    if probe.get("/videos", params={"limit": 1}).status_code in {401, 403}:
        probe.auth_header = "api-key"
        if probe.get("/videos", params={"limit": 1}).status_code in {401, 403}:
            probe.auth_header = "Authorization"
            result.outcome = "fails"
            result.notes.append("the key is refused as a bearer token and as api-key")
            return result
        result.deviates("wants the key in an api-key header, not Authorization: Bearer")
    wrong = probe.get(
        "/videos",
        params={"limit": 1},
        headers=auth_headers("sk-wrong", probe.auth_header),
        authenticated=False,
    )
    if wrong.status_code not in {401, 403}:
        result.notes.append(f"a wrong key gets {wrong.status_code}, not 401")
    return result


def _check_list(probe: Probe) -> OperationReport:
    result = OperationReport("list")
    response = probe.get("/videos", params={"limit": 2})
    param = _error_param(response)
    if response.status_code == 400 and param and param not in {"limit", "order", "after"}:
        probe.default_query[param] = _guess_query_value(param)
        result.deviates(f"refuses a list without the query parameter {param!r}")
        response = probe.get("/videos", params={"limit": 2})
    if response.status_code in {404, 405}:
        result.outcome = "not offered"
        return result
    body = _json(response)
    if response.status_code != 200 or not isinstance(body, dict):
        result.outcome = "fails"
        result.notes.append(f"answered {response.status_code}: {_excerpt(response)}")
        return result
    if body.get("object") != "list":
        result.deviates(f"object is {body.get('object')!r}, not 'list'")
    data = body.get("data")
    if not isinstance(data, list):
        result.outcome = "fails"
        result.notes.append("no data array")
        return result
    missing = [key for key in ("has_more", "first_id", "last_id") if key not in body]
    if missing:
        result.deviates(f"no {', '.join(missing)} (pagination ends after one page)")
    videos = [item for item in data if isinstance(item, dict)]
    probe.videos_seen += videos
    for note in _video_notes(videos):
        result.deviates(note)
    if not videos:
        result.notes.append("no videos yet: shapes of a video not checked (try --create)")
    elif body.get("has_more") and body.get("last_id"):
        after = _json(probe.get("/videos", params={"limit": 2, "after": body["last_id"]}))
        page = after.get("data") if isinstance(after, dict) else None
        if not isinstance(page, list):
            result.deviates("the page after the first is not a list object with data")
        elif _ids(page) & _ids(videos):
            result.deviates("the 'after' cursor returns the same videos again")
    return result


def _check_retrieve(probe: Probe) -> OperationReport:
    result = OperationReport("retrieve")
    known = next((v.get("id") or v.get("task_id") for v in probe.videos_seen), None)
    if not isinstance(known, str):
        result.outcome = "not checked"
        result.notes.append("no video to retrieve (try --create)")
        return result
    response = probe.get(f"/videos/{_segment(known)}")
    body = _json(response)
    if response.status_code != 200 or not isinstance(body, dict):
        result.outcome = "fails"
        result.notes.append(f"answered {response.status_code}: {_excerpt(response)}")
        return result
    probe.videos_seen.append(body)
    for note in _video_notes([body]):
        result.deviates(note)
    if "openai-poll-after-ms" not in response.headers:
        result.notes.append("sends no openai-poll-after-ms (the client polls every second)")
    return result


def _check_error_shape(probe: Probe) -> OperationReport:
    result = OperationReport("errors")
    response = probe.get(f"/videos/{UNKNOWN_ID}")
    if response.status_code != 404:
        result.deviates(f"an unknown id gets {response.status_code}, not 404")
    body = _json(response)
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        keys = sorted(body) if isinstance(body, dict) else type(body).__name__
        result.deviates(f"error body is not {{'error': {{...}}}} but {keys}")
    else:
        absent = [k for k in ("message", "type", "param", "code") if k not in error]
        if absent:
            result.deviates(f"error object lacks {', '.join(absent)}")
        elif error.get("code") is None:
            result.notes.append("error.code is null")
    return result


def _check_content(probe: Probe, video_id: str | None) -> OperationReport:
    result = OperationReport("content")
    if video_id is None:
        result.outcome = "not checked"
        result.notes.append("no completed video to download (try --create)")
        return result
    response = probe.get(
        f"/videos/{_segment(video_id)}/content", headers={"Range": "bytes=0-0"}, media=True
    )
    if response.is_redirect:
        location = response.headers.get("location", "")
        result.notes.append(f"redirects to {httpx.URL(location).host or 'the same host'}")
        target = response.url.join(location)
        response = probe.send(
            "GET", target, headers={"Range": "bytes=0-0"}, authenticated=False, media=True
        )
    if response.status_code == 206:
        result.notes.append("supports Range (downloads resume)")
    elif response.status_code == 200:
        result.deviates("ignores Range (a broken download starts over)")
    else:
        result.outcome = "fails"
        result.notes.append(f"answered {response.status_code}: {_excerpt(response)}")
        return result
    media = response.headers.get("content-type", "")
    if not media.startswith(("video/", "application/octet-stream")):
        result.deviates(f"content type {media!r}, not video/mp4")
    return result


def _client(probe: Probe) -> Any:
    from ._sync._client import OpenAIVideos  # noqa: PLC0415 - only with --create

    return OpenAIVideos(
        api_key=probe.api_key,
        base_url=probe.base_url,
        auth_header=probe.auth_header,
        default_query=probe.default_query,
        http_client=probe.http,
    )


def _create_and_poll(
    probe: Probe, report: CheckReport, poll_timeout: float, step: Callable[[str], None]
) -> tuple[list[OperationReport], str | None]:
    """The one job of ``--create``: created, then polled; its id once completed."""
    create, poll = OperationReport("create"), OperationReport("poll")
    step("create (1 job: 4 s, 720x1280)")
    key = "openai-videos-check-" + safe_name(probe.base_url)[-24:]
    response = probe.send("POST", "/videos", json=MINIMAL_JOB, headers={"Idempotency-Key": key})
    report.jobs_created = 1 if response.is_success else 0
    body = _json(response)
    if not response.is_success or not isinstance(body, dict):
        create.outcome = "fails"
        create.notes.append(f"answered {response.status_code}: {_excerpt(response)}")
        return [create], None
    if response.status_code != 200:
        create.notes.append(f"answers {response.status_code} (the spec says 200)")
    probe.videos_seen.append(body)
    for note in _video_notes([body]):
        create.deviates(note)
    echoed = response.headers.get("idempotency-key") == key
    create.notes.append(
        "echoes Idempotency-Key (creates are retried safely)"
        if echoed
        else "does not echo Idempotency-Key (a create that fails after reaching it is looked "
        "for among the videos, never re-sent blindly)"
    )
    step("poll")
    video_id = str(body.get("id") or body.get("task_id"))
    try:
        video = _client(probe).poll(video_id, timeout=poll_timeout, raise_on_failure=False)
    except Exception as error:
        poll.outcome = "fails"
        poll.notes.append(f"{type(error).__name__}: {error}")
        return [create, poll], None
    if not video.is_completed:
        poll.outcome = "fails"
        poll.notes.append(f"the job ended {video.status}: {video.error}")
        return [create, poll], None
    return [create, poll], video.id


def _download_and_delete(
    probe: Probe, video_id: str, step: Callable[[str], None]
) -> list[OperationReport]:
    download, delete = OperationReport("download"), OperationReport("delete")
    step("download (video, thumbnail, spritesheet)")
    client = _client(probe)
    for variant in ("video", "thumbnail", "spritesheet"):
        _check_variant(client, video_id, variant, download)
    step("delete")
    _check_delete(probe, video_id, delete)
    return [download, delete]


def _check_variant(client: Any, video_id: str, variant: str, result: OperationReport) -> None:
    try:
        data = client.download_content(video_id, variant=variant)
    except Exception as error:
        result.deviates(f"{variant}: {type(error).__name__}: {error}")
        return
    if variant != "video":
        return
    try:
        from openai_videos_emulator import probe_video  # noqa: PLC0415 - optional (PyAV)
    except ImportError:
        result.notes.append(f"video: {len(data):,} bytes (install PyAV to decode it)")
        return
    try:
        seconds, width, height, codec = probe_video(data)
    except Exception:
        result.outcome = "fails"
        result.notes.append("video: does not decode as a video")
        return
    result.notes.append(f"video decodes: {seconds:g} s, {width}x{height}, {codec}")


def _check_delete(probe: Probe, video_id: str, result: OperationReport) -> None:
    response = probe.send("DELETE", f"/videos/{_segment(video_id)}")
    if response.status_code in {404, 405}:
        result.outcome = "not offered"
        result.notes.append(f"answered {response.status_code}: {_excerpt(response)}")
    elif not response.is_success:
        result.outcome = "fails"
        result.notes.append(f"answered {response.status_code}: {_excerpt(response)}")
    elif (_json(response) or {}).get("deleted") is not True:
        result.deviates("answers with the video instead of {'deleted': true}")


# -- reading answers -------------------------------------------------------------------------------


def _video_notes(videos: list[dict[str, Any]]) -> list[str]:
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


def _dialect_rules(videos: list[dict[str, Any]]) -> list[str]:
    fired: dict[str, None] = {}
    for video in videos:
        record = DIALECTS["auto"].video(video)
        dialect = record.get("dialect") if isinstance(record, dict) else None
        rules = dialect.get("rules") if isinstance(dialect, dict) else None
        for rule in rules if isinstance(rules, list) else []:
            if isinstance(rule, str):
                fired[rule] = None
    return list(fired)


def _configuration(probe: Probe, rules: list[str]) -> dict[str, Any]:
    configuration: dict[str, Any] = {}
    if probe.auth_header != "Authorization":
        configuration["auth_header"] = probe.auth_header
    if probe.default_query:
        configuration["default_query"] = dict(probe.default_query)
    if rules:
        configuration["dialect"] = "auto"  # the default: shown because this server needs it
    return configuration


def _finished(videos: list[dict[str, Any]]) -> str | None:
    for video in videos:
        normalised = DIALECTS["auto"].video(video)
        if isinstance(normalised, dict) and normalised.get("status") == "completed":
            identifier = normalised.get("id")
            return identifier if isinstance(identifier, str) else None
    return None


def _ids(videos: list[Any]) -> set[str]:
    """The string ids among listed items (a server may send anything there)."""
    return {v["id"] for v in videos if isinstance(v, dict) and isinstance(v.get("id"), str)}


def _json(response: httpx.Response) -> Any:
    return decode_json(response.content)


def _error_param(response: httpx.Response) -> str | None:
    body = _json(response)
    error = body.get("error") if isinstance(body, dict) else None
    param = error.get("param") if isinstance(error, dict) else None
    return param if isinstance(param, str) else None


def _guess_query_value(param: str) -> str:
    known: Mapping[str, str] = {"custom_llm_provider": "openai"}
    return known.get(param, "")


def _segment(video_id: str) -> str:
    from openai_videos_api.types import path_segment  # noqa: PLC0415 - keeps import light

    return path_segment(video_id, "video_id")


def _excerpt(response: httpx.Response) -> str:
    text = response.text.strip().replace("\n", " ")
    return text[:120] or response.reason_phrase
