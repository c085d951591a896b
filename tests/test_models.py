"""The Video overlay and the other response models: properties, value semantics, parsing."""

from __future__ import annotations

import pickle
from datetime import UTC, datetime
from typing import Any

import attrs
import pytest
from conftest import video_payload

from openai_videos_api.errors import PayloadError
from openai_videos_api.models import (
    DeletedVideo,
    Video,
    VideoCharacter,
    VideoError,
    VideoList,
    VideoModel,
    VideoSize,
    VideoStatus,
)


def test_upstream_example_responses_parse(upstream_examples: dict[str, dict[str, Any]]) -> None:
    created = Video.from_dict(upstream_examples["createVideo"])
    assert created.status is VideoStatus.QUEUED
    assert created.completed_at is None and created.error is None  # omitted upstream
    assert created.additional_properties == {"quality": "standard"}
    remix = Video.from_dict(upstream_examples["CreateVideoRemix"])
    assert remix.is_remix and remix.remixed_from_video_id == "video_123"


def test_upstream_list_example_parses_despite_omitted_fields(
    upstream_examples: dict[str, dict[str, Any]],
) -> None:
    example = upstream_examples["ListVideos"]
    # The upstream example omits required non-nullable fields of each video; fill them in and
    # keep the omitted list cursors, which are nullable.
    example["data"] = [video_payload(**item) for item in example["data"]]
    page = VideoList.from_dict({**example, "has_more": False})
    assert [video.id for video in page] == ["video_123"]
    assert page.first_id is None and page.last_id is None


def test_fields_are_typed() -> None:
    video = Video.from_dict(video_payload())
    assert video.model is VideoModel.SORA_2
    assert video.size is VideoSize.SIZE_720X1280
    assert video.seconds == "8"
    assert video.prompt == "A calico cat playing a piano on stage"


def test_timestamps_are_aware_utc_datetimes() -> None:
    video = Video.from_dict(video_payload())
    assert video.created_at_datetime == datetime(2024, 4, 9, 21, 20, tzinfo=UTC)
    assert video.completed_at_datetime == datetime(2024, 4, 9, 21, 21, tzinfo=UTC)
    assert video.expires_at_datetime is not None
    assert video.expires_at_datetime.tzinfo is UTC


def test_null_timestamps_give_none() -> None:
    video = Video.from_dict(video_payload(status="queued", completed_at=None, expires_at=None))
    assert video.completed_at_datetime is None
    assert video.expires_at_datetime is None


def test_millisecond_timestamps_are_recognised() -> None:
    video = Video.from_dict(video_payload(created_at=1712697600123))
    assert video.created_at_datetime == datetime(2024, 4, 9, 21, 20, 0, 123000, tzinfo=UTC)


@pytest.mark.parametrize(
    ("status", "completed", "failed"),
    [
        ("queued", False, False),
        ("in_progress", False, False),
        ("completed", True, False),
        ("failed", False, True),
        ("some_future_status", False, False),
    ],
)
def test_status_predicates(status: str, completed: bool, failed: bool) -> None:
    video = Video.from_dict(video_payload(status=status))
    assert (video.is_completed, video.is_failed) == (completed, failed)


def test_is_remix() -> None:
    assert not Video.from_dict(video_payload()).is_remix
    assert Video.from_dict(video_payload(remixed_from_video_id="video_1")).is_remix


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("status", "cancelled_by_moderator"),
        ("size", "1920x1080"),
        ("model", "veo-3"),
        ("seconds", "20"),
    ],
)
def test_unknown_values_parse_and_round_trip(field: str, value: str) -> None:
    payload = video_payload(**{field: value})
    video = Video.from_dict(payload)
    assert getattr(video, field) == value
    assert video.to_dict() == payload
    assert Video.from_dict(video.to_dict()) == video


def test_unknown_enum_value_is_marked_unknown() -> None:
    video = Video.from_dict(video_payload(status="paused"))
    assert video.status.value == "paused"
    assert not video.status.is_known
    assert VideoStatus.COMPLETED.is_known


def test_round_trip_keeps_unknown_fields() -> None:
    payload = video_payload(quality="high", usage={"seconds": 8}, tags=["a", "b"])
    video = Video.from_dict(payload)
    assert video.additional_properties == {
        "quality": "high",
        "usage": {"seconds": 8},
        "tags": ["a", "b"],
    }
    assert video.to_dict() == payload


def test_omitted_nullable_fields_parse_as_none() -> None:
    payload = video_payload()
    for key in ("completed_at", "expires_at", "prompt", "remixed_from_video_id", "error", "size"):
        del payload[key]
    video = Video.from_dict(payload)
    assert video.completed_at is None and video.prompt is None and video.size is None


def test_object_discriminator_defaults_when_absent() -> None:
    payload = video_payload()
    del payload["object"]
    assert Video.from_dict(payload).object_ == "video"


def test_equality_and_hash_cover_every_field() -> None:
    a = Video.from_dict(video_payload())
    b = Video.from_dict(video_payload())
    assert a == b and hash(a) == hash(b)
    assert a != Video.from_dict(video_payload(progress=99))
    assert a != Video.from_dict(video_payload(extra="x"))
    assert len({a, b}) == 1


def test_hash_agrees_with_plain_string_fields() -> None:
    parsed = Video.from_dict(video_payload())
    built = attrs.evolve(parsed, status="completed")  # type: ignore[arg-type]
    assert parsed == built and hash(parsed) == hash(built)


def test_assignment_raises() -> None:
    video = Video.from_dict(video_payload())
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        video.status = VideoStatus.FAILED  # type: ignore[misc]


def test_evolve_keeps_unknown_fields() -> None:
    video = Video.from_dict(video_payload(quality="high"))
    assert attrs.evolve(video, progress=5).additional_properties == {"quality": "high"}


def test_pickle_round_trip() -> None:
    video = Video.from_dict(video_payload(status="new_status", extra=1))
    assert pickle.loads(pickle.dumps(video)) == video


def test_repr_is_short_and_readable() -> None:
    video = Video.from_dict(video_payload())
    assert repr(video) == (
        "Video(id='video_123', status='completed', progress=100, model='sora-2', "
        "size='720x1280', seconds='8')"
    )


def test_failed_video_exposes_its_error() -> None:
    error = {"code": "moderation_blocked", "message": "Your request was blocked."}
    video = Video.from_dict(video_payload(status="failed", error=error))
    assert isinstance(video.error, VideoError)
    assert str(video.error) == "Your request was blocked. (code: moderation_blocked)"


@pytest.mark.parametrize(
    ("payload", "field", "reason"),
    [
        ([], "", "expected a JSON object, got list"),
        ("video", "", "expected a JSON object, got str"),
        ({k: v for k, v in video_payload().items() if k != "id"}, "id", "missing"),
        (video_payload(id=5), "id", "expected str, got int"),
        (video_payload(progress="50"), "progress", "expected int, got str"),
        (video_payload(progress=True), "progress", "expected int, got bool"),
        (video_payload(created_at=None), "created_at", "expected int, got NoneType"),
        (video_payload(completed_at="soon"), "completed_at", "expected int | None, got str"),
        (video_payload(status=3), "status", "3 is not a valid VideoStatus"),
        (video_payload(error="boom"), "error", "expected a JSON object, got str"),
        (video_payload(error={"code": "x"}), "error.message", "missing"),
    ],
)
def test_bad_payloads_raise_payload_error_naming_the_field(
    payload: Any, field: str, reason: str
) -> None:
    with pytest.raises(PayloadError) as caught:
        Video.from_dict(payload)
    assert (caught.value.model, caught.value.field, caught.value.reason) == ("Video", field, reason)
    assert isinstance(caught.value, ValueError)


def test_nested_list_errors_name_the_path() -> None:
    page = {"object": "list", "data": [video_payload(), {"id": 1}], "has_more": False}
    with pytest.raises(PayloadError, match=r"invalid VideoList payload: field 'data.id'"):
        VideoList.from_dict(page)


def test_video_list_iterates_and_has_cursors() -> None:
    page = VideoList.from_dict(
        {
            "object": "list",
            "data": [video_payload(id="a"), video_payload(id="b")],
            "first_id": "a",
            "last_id": "b",
            "has_more": True,
        }
    )
    assert [v.id for v in page] == ["a", "b"] and len(page) == 2
    assert page.last_id == "b" and page.has_more
    assert repr(page) == "VideoList(videos=2, has_more=True)"


def test_deleted_video_and_character() -> None:
    deleted = DeletedVideo.from_dict({"object": "video.deleted", "deleted": True, "id": "video_1"})
    assert deleted.deleted and repr(deleted) == "DeletedVideo(id='video_1', deleted=True)"
    character = VideoCharacter.from_dict(
        {"id": "char_1", "name": "Mochi", "created_at": 1712697600}
    )
    assert character.created_at_datetime == datetime(2024, 4, 9, 21, 20, tzinfo=UTC)
    assert repr(character) == "VideoCharacter(id='char_1', name='Mochi')"
    with pytest.raises(PayloadError, match="deleted"):
        DeletedVideo.from_dict({"object": "video.deleted", "deleted": "yes", "id": "v"})


@pytest.mark.parametrize("code", ["bad_request", 500, None])
def test_error_code_may_be_string_integer_or_null(code: object) -> None:
    error = VideoError.from_dict({"code": code, "message": "m"})
    assert error.code == code
