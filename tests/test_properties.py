"""Property tests: any JSON into any model parses or raises PayloadError; values round-trip;
equal values hash equally; hostile ids stay in their path segment."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import attrs
import pytest
from conftest import video_payload
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openai_videos import NotFoundError, OpenAIVideos
from openai_videos._paths import inside, safe_name
from openai_videos_api.errors import PayloadError
from openai_videos_api.models import DeletedVideo, Video, VideoCharacter, VideoError, VideoList
from openai_videos_emulator import EmulatorConfig, run_emulator

MODELS = [Video, VideoList, DeletedVideo, VideoCharacter, VideoError]
EXAMPLES = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(), children, max_size=4)
    ),
    max_leaves=12,
)
text = st.text(min_size=1, max_size=30)
nullable_int = st.none() | st.integers(min_value=0, max_value=2**40)


@st.composite
def videos(draw: st.DrawFn) -> dict[str, Any]:
    """Valid Video payloads, with unknown enum values and unknown fields mixed in."""
    extras = draw(
        st.dictionaries(
            st.text(min_size=1).filter(lambda k: k not in video_payload()), json_values, max_size=3
        )
    )
    return {
        **extras,
        "id": draw(text),
        "object": "video",
        "model": draw(st.sampled_from(["sora-2", "sora-2-pro"]) | text),
        "status": draw(st.sampled_from(["queued", "in_progress", "completed", "failed"]) | text),
        "progress": draw(st.integers(min_value=0, max_value=100)),
        "created_at": draw(st.integers(min_value=0, max_value=2**40)),
        "completed_at": draw(nullable_int),
        "expires_at": draw(nullable_int),
        "prompt": draw(st.none() | st.text()),
        "size": draw(st.none() | st.sampled_from(["720x1280", "1280x720"]) | text),
        "seconds": draw(st.sampled_from(["4", "8", "12", "16", "20"]) | text),
        "remixed_from_video_id": draw(st.none() | text),
        "error": draw(
            st.none()
            | st.fixed_dictionaries(
                {"code": st.none() | st.integers() | text, "message": st.text()}
            )
        ),
    }


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
@EXAMPLES
@given(payload=json_values)
def test_any_json_parses_or_raises_payload_error(model: Any, payload: Any) -> None:
    try:
        model.from_dict(payload)
    except PayloadError as exc:
        assert exc.model == model.__name__ and exc.reason


@EXAMPLES
@given(payload=videos(), field=st.sampled_from(sorted(video_payload())), value=json_values)
def test_one_bad_field_is_named(payload: dict[str, Any], field: str, value: Any) -> None:
    payload[field] = value
    try:
        Video.from_dict(payload)
    except PayloadError as exc:
        assert exc.field.split(".")[0] == field


@EXAMPLES
@given(payload=videos())
def test_video_round_trips_with_unknown_values_and_fields(payload: dict[str, Any]) -> None:
    video = Video.from_dict(payload)
    assert video.to_dict() == payload
    assert Video.from_dict(video.to_dict()) == video
    assert hash(Video.from_dict(video.to_dict())) == hash(video)


@EXAMPLES
@given(a=videos(), b=videos())
def test_equal_values_hash_equally(a: dict[str, Any], b: dict[str, Any]) -> None:
    first, second = Video.from_dict(a), Video.from_dict(b)
    assert (first == second) == (a == b)
    if first == second:
        assert hash(first) == hash(second)
    rebuilt = attrs.evolve(first, status=str(first.status), model=str(first.model))  # plain strings
    assert rebuilt == first and hash(rebuilt) == hash(first)


@EXAMPLES
@given(pages=st.lists(videos(), max_size=3), has_more=st.booleans(), cursor=st.none() | text)
def test_video_list_round_trips(
    pages: list[dict[str, Any]], has_more: bool, cursor: str | None
) -> None:
    payload = {
        "object": "list",
        "data": pages,
        "first_id": cursor,
        "last_id": cursor,
        "has_more": has_more,
    }
    page = VideoList.from_dict(payload)
    assert page.to_dict() == payload and VideoList.from_dict(page.to_dict()) == page
    assert hash(VideoList.from_dict(page.to_dict())) == hash(page)  # every model is hashable


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
@EXAMPLES
@given(payload=json_values)
def test_whatever_parses_is_hashable(model: Any, payload: Any) -> None:
    try:
        value = model.from_dict(payload)
    except PayloadError:
        return
    assert hash(value) == hash(model.from_dict(value.to_dict()))


ids = st.text(min_size=1, max_size=600) | st.sampled_from(
    ["..", ".", "../../x", "/etc/passwd", "CON", "nul.mp4", "a\x00b", "x" * 1000, "é/è"]
)


@EXAMPLES
@given(first=ids, second=ids, index=st.integers(0, 99_999))
def test_server_ids_become_one_safe_file_name(first: str, second: str, index: int) -> None:
    directory = Path("/chosen/directory")  # only joined, never written
    name = safe_name(first, prefix=f"{index:04d}-", suffix=".mp4")
    path = inside(directory, name)
    assert path.parent == directory and path.name == name
    assert name.isascii() and name.isprintable() and not name.startswith(".")
    assert len(name.encode()) <= 140 and "/" not in name and "\\" not in name
    assert name.split(".")[0].upper() not in {"CON", "PRN", "AUX", "NUL"}
    if first != second:
        assert name != safe_name(second, prefix=f"{index:04d}-", suffix=".mp4")


def test_hostile_ids_reach_only_their_own_route() -> None:
    with (
        run_emulator(EmulatorConfig(job_seconds=0.05)) as server,
        OpenAIVideos(base_url=server.base_url, max_retries=0) as client,
    ):

        @settings(max_examples=200, deadline=None)
        @given(video_id=st.text(min_size=1, max_size=200))
        def check(video_id: str) -> None:
            try:
                client.retrieve(video_id)
            except NotFoundError as exc:
                # the server saw exactly this id, as one segment of /videos/{video_id}
                assert exc.body["error"]["message"] == f"Video with id '{video_id}' not found."
            except ValueError as exc:
                assert "valid Unicode" in str(exc)

        check()
        assert server.jobs_created == 0
