"""The one job of ``openai-videos check --create``: created, polled, downloaded, deleted."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .._create_request import refused_for_encoding
from .._paths import safe_name
from ._probe import Probe
from ._read import body_of, excerpt, segment, video_notes
from ._report import CheckReport, OperationReport

MINIMAL_JOB = {"prompt": "openai-videos check: a test pattern", "seconds": "4", "size": "720x1280"}


def _client(probe: Probe) -> Any:
    from .._sync._client import OpenAIVideos  # noqa: PLC0415 - only with --create

    return OpenAIVideos(
        api_key=probe.api_key,
        base_url=probe.base_url,
        auth_header=probe.auth_header,
        default_query=probe.default_query,
        http_client=probe.http,
    )


def create_and_poll(
    probe: Probe, report: CheckReport, poll_timeout: float, step: Callable[[str], None]
) -> tuple[list[OperationReport], str | None]:
    """The one job of ``--create``: created, then polled; its id once completed."""
    create, poll = OperationReport("create"), OperationReport("poll")
    step("create (1 job: 4 s, 720x1280)")
    key = "openai-videos-check-" + safe_name(probe.base_url)[-24:]
    response = probe.send("POST", "/videos", json=MINIMAL_JOB, headers={"Idempotency-Key": key})
    report.create_encodings["json"] = "accepted" if response.is_success else "refused"
    if refused_for_encoding(response.status_code, excerpt(response)):  # no job was made
        create.deviates(f"refuses a JSON create ({response.status_code}: {excerpt(response)})")
        form = [(name, (None, value)) for name, value in MINIMAL_JOB.items()]
        response = probe.send("POST", "/videos", files=form, headers={"Idempotency-Key": key})
        report.create_encodings["multipart"] = "accepted" if response.is_success else "refused"
        if response.is_success:
            create.notes.append("takes multipart creates (the client switches by itself)")
    report.jobs_created = 1 if response.is_success else 0
    body = body_of(response)
    if not response.is_success or not isinstance(body, dict):
        create.outcome = "fails"
        create.notes.append(f"answered {response.status_code}: {excerpt(response)}")
        return [create], None
    if response.status_code != 200:
        create.notes.append(f"answers {response.status_code} (the spec says 200)")
    probe.videos_seen.append(body)
    for note in video_notes([body]):
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


def download_and_delete(
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
    response = probe.send("DELETE", f"/videos/{segment(video_id)}")
    if response.status_code in {404, 405}:
        result.outcome = "not offered"
        result.notes.append(f"answered {response.status_code}: {excerpt(response)}")
    elif not response.is_success:
        result.outcome = "fails"
        result.notes.append(f"answered {response.status_code}: {excerpt(response)}")
    elif (body_of(response) or {}).get("deleted") is not True:
        result.deviates("answers with the video instead of {'deleted': true}")
