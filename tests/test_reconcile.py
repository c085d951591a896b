"""The rules that decide which listed video a failed create made (``_reconcile``, no I/O):
every clause of a match, the time bound, the oldest match, the limits of a search."""

from __future__ import annotations

import json
from typing import Any

import attrs
import httpx
import pytest
from client_harness import Runner
from conftest import video_payload
from fake_api import FakeAPI

from openai_videos._reconcile import CLOCK_SKEW, CreatedSearch, JobMatch
from openai_videos_api.models import Video

SENT = 1_800_000_000.0
WANTED = JobMatch("a fox", model="sora-2", seconds="8", size="720x1280", sent_at=SENT)


def listed(video_id: str = "video_a", **fields: Any) -> Video:
    payload = video_payload(
        id=video_id, prompt="a fox", model="sora-2", seconds="8", size="720x1280",
        created_at=int(SENT) + 5,
    )  # fmt: skip
    payload.update(fields)
    return Video.from_dict(payload)


def test_the_earliest_creation_time_allows_for_clock_skew() -> None:
    assert WANTED.earliest == SENT - CLOCK_SKEW == SENT - 300


@pytest.mark.parametrize(
    ("fields", "matches"),
    [
        ({}, True),
        ({"prompt": "a fox "}, False),  # the prompt must be the same, exactly
        ({"prompt": "A fox"}, False),
        ({"model": "sora-2-pro"}, False),
        ({"model": "openai/SORA-2"}, True),  # a gateway's provider prefix, another case
        ({"seconds": "8.0"}, True),  # the same number, written otherwise
        ({"seconds": "4"}, False),
        ({"size": "1280x720"}, False),
        ({"created_at": int(SENT - CLOCK_SKEW)}, True),  # at the bound: could be it
        ({"created_at": int(SENT - CLOCK_SKEW) - 1}, False),  # older than the create
    ],
)
def test_a_listed_video_matches_only_what_was_asked(fields: dict[str, Any], matches: bool) -> None:
    assert WANTED.matches(listed(**fields)) is matches


def unshown(video: Video, *names: str) -> Video:
    """``video`` as a server that leaves these fields out would show it."""
    return attrs.evolve(video, **dict.fromkeys(names))


def test_what_the_server_does_not_show_is_not_held_against_a_video() -> None:
    bare = unshown(listed(seconds="1", size="1x1"), "seconds", "size")
    assert WANTED.matches(bare)
    assert JobMatch("a fox").matches(listed(model="any", seconds="1", size="1x1"))  # not asked
    assert not WANTED.matches(unshown(listed(), "prompt"))  # no prompt: never adopted


def test_a_model_shown_with_a_provider_prefix_matches_the_bare_name() -> None:
    assert JobMatch("a fox", model="gemini/veo-3.1").matches(listed(model="veo-3.1"))
    assert not JobMatch("a fox", model="gemini/veo-3.1").matches(listed(model="veo-3"))


def test_seconds_that_are_not_numbers_compare_as_text() -> None:
    assert JobMatch("a fox", seconds="eight").matches(listed(seconds="eight"))
    assert not JobMatch("a fox", seconds="eight").matches(listed(seconds="nine"))
    assert not JobMatch("a fox", seconds="eight").matches(listed(seconds="8"))


def test_strings_are_compared_by_value_not_identity() -> None:
    """A server's strings are parsed into objects of their own: equal to ours, never ours."""
    sent = json.dumps(video_payload(id="video_a", prompt="a fox", seconds="eight"))
    wanted = JobMatch("".join(["a ", "fox"]), seconds="".join(["eig", "ht"]), sent_at=0.0)
    assert wanted.matches(Video.from_dict(json.loads(sent)))


def test_a_long_search_stops_exactly_at_its_limit() -> None:
    search = CreatedSearch()
    page = [listed(f"video_{n}", prompt="another") for n in range(400)]
    assert search.take(page, WANTED, exclude=(), limit=300) is True
    assert search.searched == 300 and not search.complete
    assert repr(search).startswith("CreatedSearch(video=None, searched=300, complete=False")


def test_a_search_looks_at_a_thousand_videos_by_default(run: Runner, api: FakeAPI) -> None:
    def page(request: httpx.Request) -> httpx.Response:
        start = int(request.url.params.get("after", "video_-1").removeprefix("video_")) + 1
        data = [
            video_payload(id=f"video_{n}", prompt="another", created_at=int(SENT) + 9_000 - n)
            for n in range(start, start + 100)
        ]
        return httpx.Response(200, json={"object": "list", "data": data, "has_more": True})

    api.then(*[page] * 11)
    search = run("find_created", "a fox", sent_at=SENT)
    assert (search.searched, search.complete, search.video) == (1000, False, None)
    assert len(api.requests) == 10


def test_a_search_looks_at_one_video_at_least(run: Runner, api: FakeAPI) -> None:
    with pytest.raises(ValueError, match="max_videos must be at least 1, not 0"):
        run("find_created", "a fox", sent_at=SENT, max_videos=0)
    assert api.requests == []


def test_the_oldest_match_of_a_page_is_the_one_the_create_made() -> None:
    search = CreatedSearch()
    page = [listed("video_new", created_at=int(SENT) + 50), listed("video_old")]
    assert search.take(page, WANTED, exclude=(), limit=100) is False  # not reached the create
    assert search.video is not None and search.video.id == "video_old"
    assert search.searched == 2 and not search.complete


def test_videos_other_requests_own_are_skipped() -> None:
    search = CreatedSearch()
    page = [listed("video_new", created_at=int(SENT) + 50), listed("video_old")]
    search.take(page, WANTED, exclude={"video_old"}, limit=100)
    assert search.video is not None and search.video.id == "video_new"


def test_a_video_older_than_the_create_ends_the_search_complete() -> None:
    search = CreatedSearch()
    old = listed("video_before", created_at=int(SENT - CLOCK_SKEW) - 10)
    after = listed("video_never_seen")
    assert search.take([old, after], WANTED, exclude=(), limit=100) is True
    assert search.complete and search.video is None and search.searched == 1
    assert search.describe() == "searched 1 listed videos (back to the create): no match"


def test_the_search_stops_at_its_limit_incomplete() -> None:
    search = CreatedSearch()
    page = [listed(f"video_{n}", prompt="other") for n in range(5)]
    assert search.take(page, WANTED, exclude=(), limit=3) is True
    assert search.searched == 3 and not search.complete
    assert search.describe() == (
        "searched 3 listed videos (not reaching the create's time): no match"
    )
    found = CreatedSearch()
    found.take([listed("video_x")], WANTED, exclude=(), limit=1)
    assert found.describe().endswith(": found video_x")


def test_a_video_with_no_creation_time_neither_ends_nor_fails_the_search() -> None:
    search = CreatedSearch()
    untimed = unshown(listed("video_u"), "created_at")
    assert search.take([untimed], WANTED, exclude=(), limit=10) is False
    assert search.video is not None and search.video.id == "video_u" and not search.complete


def test_a_video_created_exactly_at_the_bound_is_still_a_candidate() -> None:
    search = CreatedSearch()
    at_bound = listed("video_edge", created_at=int(SENT - CLOCK_SKEW))
    assert search.take([at_bound], WANTED, exclude=(), limit=10) is False
    assert search.video is not None and not search.complete
