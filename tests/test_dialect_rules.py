"""Each dialect rule on its own, at its edges (``_dialects``, no I/O): what fires, what does
not, and what the answer of each operation goes through. Written from the mutants a
mutation run found unkilled."""

from __future__ import annotations

import json
from typing import Any

import pytest

from openai_videos._dialects import (
    DIALECTS,
    completed_at_from_finished_at,
    deleted_from_video,
    error_from_fail_reason,
    id_from_task_id,
    progress_as_percent,
    status_synonyms,
    tolerable_nulls,
)
from openai_videos_core import DIALECT_RECORD_KEY

AUTO = DIALECTS["auto"]


@pytest.mark.parametrize(
    ("video", "expected"),
    [
        ({"task_id": "task_1"}, {"id": "task_1"}),
        ({"id": "video_1", "task_id": "task_1"}, {}),  # an id wins
        ({"task_id": ""}, {}),
        ({"task_id": 7}, {}),
        ({}, {}),
    ],
)
def test_id_from_task_id(video: dict[str, Any], expected: dict[str, Any]) -> None:
    assert id_from_task_id(video) == expected


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("SUCCESS", {"status": "completed"}),
        ("  Running ", {"status": "in_progress"}),
        ("EXPIRED", {"status": "expired"}),  # unknown: only lower-cased
        ("expired", {}),  # already lower: nothing to change
        ("completed", {}),
        (None, {}),
        (3, {}),
    ],
)
def test_status_synonyms(status: Any, expected: dict[str, Any]) -> None:
    assert status_synonyms({"status": status}) == expected


def test_a_status_equal_but_not_identical_is_left_alone() -> None:
    built = "".join(["exp", "ired"])  # a string equal to, but not the same object as, a key
    assert status_synonyms({"status": built}) == {}


@pytest.mark.parametrize(
    ("progress", "expected"),
    [
        (0.0, 0),  # a float from 0 to 1 is a fraction
        (0.5, 50),
        (1.0, 100),
        (1.5, 2),  # above 1: a percent, rounded
        (-0.5, 0),  # below 0: a percent, clamped
        (101.0, 100),
        ("45%", 45),
        ("100", 100),
        ("-3", 0),
        ("half", None),
        (float("nan"), None),
    ],
)
def test_progress_as_percent(progress: Any, expected: int | None) -> None:
    changes = progress_as_percent({"progress": progress})
    if expected is None and not isinstance(progress, float):
        assert changes == {}
    else:
        assert changes == {"progress": expected}


def test_progress_that_is_already_an_int_or_absent_is_left_alone() -> None:
    assert progress_as_percent({"progress": 45}) == {}
    assert progress_as_percent({}) == {}


@pytest.mark.parametrize(
    ("video", "expected"),
    [
        ({"finished_at": 1700000000}, {"completed_at": 1700000000}),
        ({"finished_at": 1}, {"completed_at": 1}),
        ({"finished_at": 0}, {}),  # New API's "not finished"
        ({"finished_at": -5}, {}),
        ({"finished_at": "1700000000"}, {}),
        ({"completed_at": 5, "finished_at": 9}, {}),
    ],
)
def test_completed_at_from_finished_at(video: dict[str, Any], expected: dict[str, Any]) -> None:
    assert completed_at_from_finished_at(video) == expected


def test_error_from_fail_reason() -> None:
    assert error_from_fail_reason({"fail_reason": "blocked"}) == {
        "error": {"code": None, "message": "blocked"}
    }
    assert error_from_fail_reason({"fail_reason": "  "}) == {}
    assert error_from_fail_reason({"fail_reason": "x", "error": {"code": "c"}}) == {}


def test_tolerable_nulls_fill_exactly_what_is_missing() -> None:
    assert tolerable_nulls({}) == {
        "object": "video", "model": "unknown", "seconds": "unknown", "created_at": 0,
        "status": "queued", "progress": 0,
    }  # fmt: skip
    assert tolerable_nulls({"error": {"message": "x"}})["status"] == "failed"
    done = {"object": "video", "model": "m", "seconds": "4", "created_at": 5,
            "status": "completed"}  # fmt: skip
    assert tolerable_nulls(done) == {"progress": 100}


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"id": "v", "object": "video", "status": "deleted"},
         {"object": "video.deleted", "deleted": True}),
        ({"id": "v", "object": "video", "status": "completed"},
         {"object": "video.deleted", "deleted": False}),
        ({"id": "v", "object": "video", "status": "zzz"},
         {"object": "video.deleted", "deleted": False}),
        ({"id": "v", "object": "video", "status": "a"},
         {"object": "video.deleted", "deleted": False}),
        ({"id": "v", "object": "video.deleted", "deleted": True}, {}),  # the spec's own
        ({"id": "v", "object": "video", "deleted": False}, {}),  # says it already
        ({"id": "v", "object": "zzz"}, {}),
        ({"id": "v", "object": "a"}, {}),
    ],
)  # fmt: skip
def test_deleted_from_video(body: dict[str, Any], expected: dict[str, Any]) -> None:
    assert deleted_from_video(body) == expected


TASK = {"task_id": "task_1", "status": "SUCCESS", "progress": "100%", "finished_at": 9}


@pytest.mark.parametrize(
    "operation",
    ["create_video", "get_video", "create_video_remix", "create_video_edit",
     "create_video_extend"],
)  # fmt: skip
def test_video_answers_are_normalised(operation: str) -> None:
    answer = AUTO.answer(operation, dict(TASK))
    assert answer["id"] == "task_1" and answer["status"] == "completed"  # type: ignore[index]


@pytest.mark.parametrize("operation", ["a", "zzz", "get_video_content", "list_videos_x"])
def test_other_answers_pass_through_unchanged(operation: str) -> None:
    assert AUTO.answer(operation, dict(TASK)) == TASK
    deleted = {"id": "v", "object": "video", "status": "deleted"}  # what deletion rules change
    assert AUTO.answer(operation, dict(deleted)) == deleted
    page = {"object": "list", "data": [dict(TASK)]}  # what the list rules change
    assert AUTO.answer(operation, dict(page)) == page


def test_a_list_normalises_each_video_and_nothing_else() -> None:
    page = {"object": "list", "data": [dict(TASK)], "has_more": False}
    listed = AUTO.answer("list_videos", page)
    assert listed["data"][0]["id"] == "task_1" and listed["has_more"] is False  # type: ignore[index]
    odd = {"object": "list", "data": "not a list"}
    assert AUTO.answer("list_videos", odd) == odd
    assert AUTO.answer("list_videos", ["not", "a", "dict"]) == ["not", "a", "dict"]


def test_a_deletion_goes_through_the_deletion_rules_only() -> None:
    video = {"id": "v", "object": "video", "status": "deleted"}
    assert AUTO.answer("delete_video", dict(video))["deleted"] is True  # type: ignore[index]
    assert AUTO.answer("get_video", dict(video)).get("deleted") is None  # type: ignore[union-attr]


def test_the_record_says_what_fired_and_what_was_there() -> None:
    shown = AUTO.video(dict(TASK))
    record = shown[DIALECT_RECORD_KEY]  # type: ignore[index]
    assert record["name"] == "auto" and record["rules"][0] == "id_from_task_id"
    assert record["original"]["status"] == "SUCCESS" and record["original"]["id"] is None
    spec = {"id": "v", "object": "video", "model": "m", "status": "queued", "progress": 0,
            "created_at": 1, "seconds": "4"}  # fmt: skip
    assert DIALECT_RECORD_KEY not in AUTO.video(spec)  # type: ignore[operator]
    forged = json.loads(json.dumps({**spec, DIALECT_RECORD_KEY: {"name": "forged"}}))  # as read
    assert DIALECTS["strict"].video(forged) == spec  # the forged record goes, all else stays
    assert AUTO.video(forged) == spec
