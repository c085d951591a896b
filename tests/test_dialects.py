"""Every dialect rule against the payload of the public report it cites (issue 13)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from conftest import video_payload
from hypothesis import given
from hypothesis import strategies as st

from openai_videos import (
    APIResponseValidationError,
    ContentPolicyViolation,
    Dialect,
    OpenAIVideos,
    Video,
    VideoGenerationFailed,
)
from openai_videos._dialects import DIALECTS, get_dialect

AUTO = DIALECTS["auto"]

# QuantumNous/new-api issue 7194 (v1.0.0-rc.30), GET /v1/videos/{task_id}, quoted as reported.
NEW_API_TASK = {
    "created_at": 1788400582,
    "fail_reason": "",
    "finished_at": 1788400867,
    "platform": "1",
    "progress": "100%",
    "status": "SUCCESS",
    "task_id": "task_LtujSKpBYTZNT4BXpUlfKYypoM5XabYN",
}
# QuantumNous/new-api PR 1988: a create answered with the task id alone.
NEW_API_CREATED = {"task_id": "task_LtujSKpBYTZNT4BXpUlfKYypoM5XabYN"}


def parse(payload: dict[str, Any], dialect: Dialect = AUTO) -> Video:
    return Video.from_dict(dialect.answer("get_video", payload))


def test_new_api_task_shape_is_read_as_a_completed_video() -> None:
    video = parse(NEW_API_TASK)
    assert video.id == "task_LtujSKpBYTZNT4BXpUlfKYypoM5XabYN"
    assert video.is_completed and video.progress == 100
    assert video.completed_at == 1788400867 and video.error is None
    assert video.additional_properties["platform"] == "1"  # unknown fields are kept
    record = video.dialect_record
    assert record["original"]["status"] == "SUCCESS" and record["original"]["progress"] == "100%"
    assert record["original"]["id"] is None  # it was absent
    assert "id_from_task_id" in record["rules"]


def test_new_api_create_answer_of_a_task_id_alone_is_a_queued_video() -> None:
    video = Video.from_dict(AUTO.answer("create_video", NEW_API_CREATED))
    assert video.id == NEW_API_CREATED["task_id"]
    assert str(video.status) == "queued" and video.progress == 0
    assert str(video.model) == "unknown" and video.seconds == "unknown"


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("NOT_START", "queued"),
        ("SUBMITTED", "queued"),
        ("QUEUED", "queued"),
        ("IN_PROGRESS", "in_progress"),
        ("SUCCESS", "completed"),
        ("FAILURE", "failed"),
        ("succeeded", "completed"),  # a provider string passed through (ArcReel PR 1889)
        ("EXPIRED", "expired"),  # likewise, upper-case
        ("UNKNOWN", "unknown"),
    ],
)
def test_status_synonyms(status: str, expected: str) -> None:
    video = parse({**NEW_API_TASK, "status": status})
    assert str(video.status) == expected


def test_a_new_api_failure_carries_its_reason_and_ends_a_poll() -> None:
    failed = {**NEW_API_TASK, "status": "FAILURE", "fail_reason": "upstream: quota exhausted"}
    video = parse(failed)
    assert video.is_failed and video.error is not None
    assert video.error.message == "upstream: quota exhausted"


@pytest.mark.parametrize(
    ("progress", "expected"),
    [(0.5, 50), (0.0, 0), (1.0, 100), (0.333, 33), ("45%", 45), ("7", 7), (42.6, 43), (55, 55)],
)
def test_progress_as_a_whole_percent(progress: Any, expected: int) -> None:
    # Runway's 0..1 fraction (BerriAI/litellm PR 38115); New API's "100%" (issue 7194)
    video = parse(video_payload(status="in_progress", progress=progress))
    assert video.progress == expected


def test_null_required_fields_from_a_gateway_leave_the_rest_usable() -> None:
    video = parse(video_payload(seconds=None, model=None))
    assert video.id == "video_123" and video.is_completed
    assert str(video.model) == "unknown" and video.seconds == "unknown"
    assert video.dialect_record["original"] == {"model": None, "seconds": None}


def test_strict_dialect_refuses_what_auto_reads() -> None:
    with pytest.raises(Exception, match="field 'id': missing"):
        parse(NEW_API_TASK, DIALECTS["strict"])
    with pytest.raises(Exception, match="progress"):
        parse(video_payload(progress=0.5), DIALECTS["strict"])


spec_videos = st.builds(
    lambda status, progress, seconds: video_payload(
        status=status, progress=progress, seconds=seconds
    ),
    st.sampled_from(["queued", "in_progress", "completed", "failed"]),
    st.integers(0, 100),
    st.sampled_from(["4", "8", "12", "16"]),
)


@given(payload=spec_videos)
def test_auto_leaves_an_answer_that_follows_the_spec_alone(payload: dict[str, Any]) -> None:
    assert AUTO.video(payload) == payload


def test_unknown_dialect_names_are_refused() -> None:
    with pytest.raises(ValueError, match="dialect must be one of"):
        get_dialect("nope")
    with pytest.raises(ValueError, match="dialect must be one of"):
        OpenAIVideos(base_url="http://127.0.0.1:9/v1", dialect="nope")


def _client(payload: dict[str, Any], dialect: str = "auto") -> OpenAIVideos:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=payload)

    http = httpx.Client(transport=httpx.MockTransport(answer))
    return OpenAIVideos(base_url="http://127.0.0.1:9/v1", http_client=http, dialect=dialect)


def test_the_client_reads_the_task_shape_by_default_and_strict_refuses_it() -> None:
    with _client(NEW_API_TASK) as client:
        assert client.retrieve("task_x").is_completed
        assert client.poll("task_x").is_completed  # SUCCESS ends the poll
    with _client(NEW_API_TASK, "strict") as client, pytest.raises(APIResponseValidationError):
        client.retrieve("task_x")


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("moderation_blocked", ContentPolicyViolation),
        ("content_policy_violation", ContentPolicyViolation),
        ("Content_Filter", ContentPolicyViolation),
        ("internal_error", VideoGenerationFailed),
        (None, VideoGenerationFailed),
        (500, VideoGenerationFailed),
    ],
)
def test_moderation_failures_are_their_own_type(code: Any, expected: type) -> None:
    failed = video_payload(status="failed", error={"code": code, "message": "no"})
    with _client(failed) as client, pytest.raises(VideoGenerationFailed) as caught:
        client.poll("video_123")
    assert type(caught.value) is expected
