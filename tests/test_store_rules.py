"""The job store's decisions, on SQLite and without a server. The steps of a run
(``_batch/_store``): opening and joining it, which item a claim gives, the caps (given,
learned, the slow start), the budget's reservations, the shared pause, attempts and leases,
the request ceiling. Operating a run from outside (``_batch/_operations``): what is in flight,
the rate, the spend, what ``retry`` puts back, outputs adopted, files gone.

Time passes here the way the store sees it: a lease or a pause is ended by writing its end
into the past (``expire``), since the store reads the time from the database."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from openai_videos._batch._prompts import fingerprint
from openai_videos._batch._schema import (
    RAMP_END,
    RunStatus,
    options_of,
    tightest,
)
from openai_videos._batch._sqlite import SQLiteStore
from openai_videos._batch._store import (
    BatchItem,
    ItemStatus,
    LeaseLost,
    Limits,
    RunMismatch,
    ceiling_wait,
)

CREATED, DOWNLOADED = ItemStatus.CREATED, ItemStatus.DOWNLOADED
# As docs/batch.md promises: an item is given up after five claims with transient errors, and
# a learned cap is raised by one after 20 creates succeed at it.
MAX_ATTEMPTS, PROBE_AFTER = 5, 20
NOW = 1_700_000_000.0  # the worker's clock, which a claim saves as the time a create was sent


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SQLiteStore]:
    with contextlib.closing(SQLiteStore(tmp_path / "store.sqlite3", "run")) as opened:
        yield opened


def prompts(count: int) -> list[dict[str, str]]:
    return [{"prompt": f"P{index}"} for index in range(count)]


def query(store: SQLiteStore, sql: str, *params: Any) -> list[Any]:
    with store.transaction() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def run_value(store: SQLiteStore, column: str) -> Any:
    sql = f"SELECT {column} FROM batch_runs WHERE name = ?"  # noqa: S608 - our own names
    return query(store, sql, store.run)[0][0]


def item_value(store: SQLiteStore, index: int, column: str) -> Any:
    sql = f"SELECT {column} FROM batch_items WHERE run = ? AND idx = ?"  # noqa: S608
    return query(store, sql, store.run, index)[0][0]


def expire(store: SQLiteStore) -> None:
    """Every lease and the run's pause are over."""
    query(store, "UPDATE batch_items SET lease_until = 0 WHERE lease_until IS NOT NULL")
    query(store, "UPDATE batch_runs SET paused_until = NULL")


def claimed(store: SQLiteStore, worker: str = "a", now: float = NOW) -> BatchItem:
    item = store.claim(worker, 30.0, now)
    assert item is not None
    return item


def made(store: SQLiteStore, worker: str = "a") -> BatchItem:
    """Claim the next item and record its job as made."""
    item = claimed(store, worker)
    store.record(worker, item, CREATED, video_id=f"video_{item.index}")
    return item


def reserved(store: SQLiteStore) -> float:
    return store.status().estimated_usd


# -- the run -------------------------------------------------------------------------------------


def test_a_run_is_opened_once_and_joined_after(store: SQLiteStore) -> None:
    assert store.open_run(prompts(3), Limits(max_in_flight=2)) is True
    keys = [item.idempotency_key for item in store.items()]
    assert len(set(keys)) == 3 and all(keys)
    assert [item.status for item in store.items()] == ["pending"] * 3
    limits = Limits(max_in_flight=5, requests_per_minute=7, budget=1.5)
    assert store.open_run(prompts(3), limits, [0.1, 0.2, 0.3]) is False
    columns = ("max_in_flight", "requests_per_minute", "budget")
    assert [run_value(store, column) for column in columns] == [5, 7, 1.5]  # the joiner's
    assert [item.estimate for item in store.items()] == [0.1, 0.2, 0.3]
    assert store.open_run(prompts(3), Limits()) is False  # joined without estimates
    assert [item.estimate for item in store.items()] == [0.1, 0.2, 0.3]  # they stay
    assert [item.idempotency_key for item in store.items()] == keys  # as do the keys


def test_estimates_given_at_the_start_are_kept(store: SQLiteStore) -> None:
    store.open_run(prompts(2), Limits(), [0.5, None])
    assert [item.estimate for item in store.items()] == [0.5, None]


def test_a_run_of_another_prompts_file_is_refused(store: SQLiteStore) -> None:
    store.open_run(prompts(3), Limits())
    others = [prompts(count) for count in (1, 2, 4, 5)]
    ours = fingerprint(prompts(3))
    assert {fingerprint(other) < ours for other in others} == {True, False}  # both sides
    for other in others:
        with pytest.raises(RunMismatch, match=r"another prompts file \(3 prompts\)"):
            store.open_run(other, Limits())


def test_what_the_run_learns_is_kept(store: SQLiteStore) -> None:
    store.open_run(prompts(1), Limits())
    assert (store.honours_key(), store.create_encoding(), store.learned_cap()) == (
        False, None, None)  # fmt: skip
    store.note_honours_key()
    store.note_create_encoding("multipart")
    assert (store.honours_key(), store.create_encoding()) == (True, "multipart")


def test_a_store_without_the_run_has_nothing_to_give(store: SQLiteStore) -> None:
    assert store.claim("a", 30.0, NOW) is None
    assert (store.honours_key(), store.create_encoding(), store.learned_cap()) == (
        False, None, None)  # fmt: skip
    assert store.take_request() == 0.0


# -- claiming ----------------------------------------------------------------------------------


def test_a_claim_leases_the_item_and_counts_the_attempt(store: SQLiteStore) -> None:
    store.open_run(prompts(2), Limits())
    item = claimed(store, "a", now=1234.5)
    assert (item.index, item.attempts, item.sent_at) == (0, 1, None)  # sent_at as it was
    assert item_value(store, 0, "lease_owner") == "a"
    assert item_value(store, 0, "sent_at") == 1234.5  # the create is about to be sent
    assert 29 < item_value(store, 0, "lease_until") - time.time() <= 30


def test_jobs_that_exist_come_before_new_creates(store: SQLiteStore) -> None:
    store.open_run(prompts(3), Limits())
    first = made(store)
    store.release("a", first, "poll later", 0.0)
    expire(store)
    again = claimed(store, "b")
    assert (again.index, again.video_id, again.attempts) == (0, "video_0", 2)


def test_the_slow_start_doubles_with_each_job_made(store: SQLiteStore) -> None:
    store.open_run(prompts(10), Limits())
    first = claimed(store)
    assert store.claim("b", 30.0, NOW) is None  # one create at a time, at first
    store.record("a", first, CREATED, video_id="video_0")
    ramps = [run_value(store, "ramp")]
    while ramps[-1] is not None:
        item = claimed(store)
        store.record("a", item, "created", video_id=f"video_{item.index}")  # a str will do
        ramps.append(run_value(store, "ramp"))
    assert ramps == [2, 4, 8, 16, 32, 64, RAMP_END, None]


def test_only_a_job_made_moves_the_slow_start(store: SQLiteStore) -> None:
    store.open_run(prompts(2), Limits())
    item = claimed(store)
    store.record("a", item, ItemStatus.COMPLETED, video_id="video_0")
    assert run_value(store, "ramp") == 1


def test_a_given_cap_holds_back_new_creates_not_jobs_that_exist(store: SQLiteStore) -> None:
    store.open_run(prompts(3), Limits(max_in_flight=1))
    first = made(store)
    assert store.claim("b", 30.0, NOW) is None  # its job runs: no second create
    store.release("a", first, "poll later", 0.0)
    expire(store)
    assert claimed(store, "b").index == 0  # the job is followed
    store.record("b", first, DOWNLOADED, file="0.mp4")
    assert claimed(store, "b").index == 1  # done: room for the next create


def test_a_create_of_unknown_outcome_is_claimed_whatever_the_caps(store: SQLiteStore) -> None:
    store.open_run(prompts(2), Limits(max_in_flight=1))
    sent = claimed(store, now=99.0)
    store.release("a", sent, "timed out after sending", 0.0)  # it may have made a job
    expire(store)
    query(store, "UPDATE batch_runs SET paused_until = ?", time.time() + 30)  # and a pause
    again = claimed(store, "b")
    assert (again.index, again.sent_at) == (0, 99.0)  # recognised as sent before
    assert store.claim("c", 30.0, NOW) is None  # it holds the cap's one place


# -- the budget ----------------------------------------------------------------------------------


def test_each_create_reserves_its_estimate_and_what_does_not_fit_fails(
    store: SQLiteStore,
) -> None:
    store.open_run(prompts(3), Limits(budget=1.0), [0.4, 0.4, 0.4])
    made(store)
    made(store)
    assert reserved(store) == pytest.approx(0.8)
    assert store.claim("a", 30.0, NOW) is None
    last = list(store.items())[2]
    assert (last.status, last.failure) == ("failed", "budget")
    assert last.error is not None and "USD 1 budget" in last.error


def test_a_budget_of_exactly_the_estimates_fits_them_all(store: SQLiteStore) -> None:
    store.open_run(prompts(5), Limits(budget=2.0), [0.4] * 5)  # 0.4 summed five times drifts
    for _ in range(5):
        made(store)
    assert reserved(store) == pytest.approx(2.0)
    assert all(item.status == "created" for item in store.items())


def test_what_does_not_fit_now_waits_while_something_fits(store: SQLiteStore) -> None:
    """An item is failed for the budget only when no pending item fits: money held by a
    create in flight may come back (a refusal that made no job)."""
    store.open_run(prompts(3), Limits(budget=1.0), [0.5, 0.1, 0.6])
    query(store, "UPDATE batch_runs SET ramp = NULL")  # past the slow start
    first = claimed(store)
    assert claimed(store).index == 1  # 0.6 of 1.0 reserved: item 2 does not fit now
    assert item_value(store, 2, "status") == "pending"
    store.release("a", first, "400 before acting", 30.0, unsent=True)  # its 0.5 comes back
    assert claimed(store).index == 2


def test_a_create_claimed_again_is_not_reserved_twice(store: SQLiteStore) -> None:
    store.open_run(prompts(1), Limits(budget=1.0), [0.4])
    first = claimed(store)
    store.release("a", first, "timed out after sending", 0.0)  # may have made a job
    expire(store)
    second = claimed(store)
    assert reserved(store) == pytest.approx(0.4)
    store.release("a", second, "refused", 0.0, unsent=True)  # this one made none, but the
    assert reserved(store) == pytest.approx(0.4)  # first may have: its reservation stays
    assert item_value(store, 0, "sent_at") is not None


def test_a_create_that_made_no_job_gives_its_reservation_back(store: SQLiteStore) -> None:
    store.open_run(prompts(2), Limits(budget=1.0), [0.6, 0.6])
    item = claimed(store)
    store.release("a", item, "503", 0.0, unsent=True)
    assert reserved(store) == 0.0 and item_value(store, 0, "sent_at") is None
    expire(store)
    rejected = claimed(store)
    store.reject("a", rejected, "400: bad size", unsent=True)
    assert reserved(store) == 0.0
    assert claimed(store).index == 1  # the money is there for the next one


def test_a_rejected_create_that_may_have_acted_keeps_its_reservation(store: SQLiteStore) -> None:
    store.open_run(prompts(1), Limits(budget=1.0), [0.6])
    store.reject("a", claimed(store), "422 after sending", unsent=False)
    assert reserved(store) == pytest.approx(0.6)
    item = next(iter(store.items()))
    assert (item.status, item.failure, item.error) == ("failed", "rejected", "422 after sending")


# -- steps and leases ----------------------------------------------------------------------------


def test_a_step_needs_the_lease(store: SQLiteStore) -> None:
    store.open_run(prompts(1), Limits())
    item = claimed(store)
    with pytest.raises(LeaseLost, match="item 0 was taken over"):
        store.record("b", item, CREATED, video_id="video_x")
    assert (item.status, item.video_id) == ("pending", None)  # unchanged
    assert (item_value(store, 0, "status"), run_value(store, "ramp")) == ("pending", 1)
    store.record("a", item, CREATED, video_id="video_0")
    assert (item.status, item.video_id) == ("created", "video_0")
    assert item_value(store, 0, "lease_owner") == "a"  # an open status keeps the lease
    store.record("a", item, ItemStatus.FAILED, error="job failed", failure="job")
    assert item_value(store, 0, "lease_owner") is None  # a final one gives it up


def test_renewing_keeps_an_item_from_other_workers(store: SQLiteStore) -> None:
    store.open_run(prompts(1), Limits())
    item = store.claim("a", -1.0, NOW)  # a lease that is over at once
    assert item is not None
    store.renew("a", [], 30.0)  # nothing to renew
    store.renew("b", [0], 30.0)  # not b's
    assert item_value(store, 0, "lease_until") < time.time()
    store.renew("a", [0], 30.0)
    assert 29 < item_value(store, 0, "lease_until") - time.time() <= 30
    assert store.claim("b", 30.0, NOW) is None


def test_after_the_last_attempt_a_transient_error_fails_the_item(store: SQLiteStore) -> None:
    store.open_run(prompts(1), Limits())
    for attempt in range(1, MAX_ATTEMPTS + 1):
        item = claimed(store)
        assert item.attempts == attempt
        store.release("a", item, "502", 0.0)
        expire(store)
        expected = "failed" if attempt == MAX_ATTEMPTS else "pending"
        assert item_value(store, 0, "status") == expected
    final = next(iter(store.items()))
    assert (final.failure, final.error) == (
        "transient",
        f"gave up after {MAX_ATTEMPTS} attempts: 502",
    )


def test_claims_by_workers_that_died_count_as_attempts(store: SQLiteStore) -> None:
    store.open_run(prompts(1), Limits())
    for _ in range(MAX_ATTEMPTS + 1):  # each worker died holding it: its lease ran out
        last = claimed(store)
        expire(store)
    assert last.attempts == MAX_ATTEMPTS + 1
    last = claimed(store)
    store.release("a", last, "502", 0.0)
    assert item_value(store, 0, "status") == "failed"


def test_a_release_waits_its_retry_after(store: SQLiteStore) -> None:
    store.open_run(prompts(1), Limits())
    store.release("a", claimed(store), "busy", 7.0)
    assert item_value(store, 0, "lease_owner") is None
    assert 6 < item_value(store, 0, "lease_until") - time.time() <= 7
    assert item_value(store, 0, "error") == "busy"


def test_an_unclaim_gives_the_item_back_as_it_was(store: SQLiteStore) -> None:
    store.open_run(prompts(2), Limits())
    item = claimed(store)
    store.unclaim("a", item, unsent=False)  # the create may have gone out
    assert (item_value(store, 0, "attempts"), item_value(store, 0, "lease_owner")) == (0, None)
    assert item_value(store, 0, "sent_at") is not None
    time.sleep(0.01)  # the store's clock counts milliseconds
    again = claimed(store, "b")  # at once, by anyone
    store.unclaim("b", again, unsent=True)
    assert item_value(store, 0, "sent_at") is not None  # an earlier create may have acted


def test_an_unclaim_of_a_create_never_sent_forgets_it(store: SQLiteStore) -> None:
    store.open_run(prompts(1), Limits(budget=1.0), [0.5])
    store.unclaim("a", claimed(store), unsent=True)
    assert item_value(store, 0, "sent_at") is None and reserved(store) == 0.0


def test_a_job_found_on_the_server_is_adopted_once(store: SQLiteStore) -> None:
    store.open_run(prompts(3), Limits())
    made(store)  # item 0 owns video_0
    item = claimed(store)
    assert store.adopt("a", item, "video_0") is False  # another item's job
    assert item.status == "pending"
    with pytest.raises(LeaseLost):
        store.adopt("b", item, "video_9")
    assert store.adopt("a", item, "video_9") is True
    assert (item.status, item.video_id) == ("created", "video_9")
    assert item_value(store, 1, "video_id") == "video_9"
    assert store.video_ids() == {"video_0", "video_9"}


# -- the server's cap, learned; the shared pause -------------------------------------------------


def in_flight(store: SQLiteStore, count: int) -> list[BatchItem]:
    """``count`` creates in flight: all but the last recorded as made."""
    items = [made(store) for _ in range(count - 1)]
    return [*items, claimed(store)]


def test_a_refusal_for_running_jobs_caps_the_run_at_what_ran(store: SQLiteStore) -> None:
    store.open_run(prompts(6), Limits())
    *_, refused = in_flight(store, 3)
    assert store.lower_cap("a", refused) == 2
    assert (store.learned_cap(), run_value(store, "ramp")) == (2, None)  # the slow start ends
    assert item_value(store, refused.index, "attempts") == 0  # the refusal is no attempt
    assert item_value(store, refused.index, "lease_owner") is None
    assert item_value(store, refused.index, "sent_at") is None
    assert 0.3 < item_value(store, refused.index, "lease_until") - time.time() <= 0.5
    query(store, "UPDATE batch_items SET lease_until = 0 WHERE idx = ?", refused.index)
    assert store.claim("b", 30.0, NOW) is None  # two run: the cap is reached
    assert store.status().cap == 2


def test_a_refusal_with_nothing_else_running_is_not_a_cap(store: SQLiteStore) -> None:
    store.open_run(prompts(2), Limits())
    item = claimed(store)
    assert store.lower_cap("a", item) is None
    assert store.learned_cap() is None and run_value(store, "ramp") == 1
    assert item_value(store, 0, "lease_owner") == "a"  # nothing changed


def test_a_refusal_never_raises_a_cap_learned_before(store: SQLiteStore) -> None:
    store.open_run(prompts(6), Limits())
    *_, refused = in_flight(store, 3)
    query(store, "UPDATE batch_runs SET learned_cap = 1")  # another worker learned 1
    assert store.lower_cap("a", refused) == 1
    query(store, "UPDATE batch_items SET lease_until = 0 WHERE idx = ?", refused.index)
    assert store.claim("b", 30.0, NOW) is None  # two run, more than the cap: no new create


def test_creates_that_succeed_at_the_cap_try_one_more(store: SQLiteStore) -> None:
    store.open_run(prompts(PROBE_AFTER + 3), Limits())
    *_, refused = in_flight(store, 2)
    assert store.lower_cap("a", refused) == 1
    first = next(iter(store.items()))
    store.record("a", first, DOWNLOADED, file="0.mp4")
    expire(store)
    for done in range(1, PROBE_AFTER + 1):
        item = made(store)
        assert store.learned_cap() == (1 if done < PROBE_AFTER else 2)
        store.record("a", item, DOWNLOADED, file=f"{item.index}.mp4")


def test_the_probe_stays_within_the_users_cap(store: SQLiteStore) -> None:
    store.open_run(prompts(PROBE_AFTER + 3), Limits(max_in_flight=1))
    query(store, "UPDATE batch_runs SET learned_cap = 1, ramp = NULL")
    for _ in range(PROBE_AFTER + 1):
        item = made(store)
        store.record("a", item, DOWNLOADED, file=f"{item.index}.mp4")
    assert store.learned_cap() == 1


def test_a_request_limit_pauses_new_creates_and_a_shorter_one_does_not_end_it(
    store: SQLiteStore,
) -> None:
    store.open_run(prompts(2), Limits())
    item = claimed(store)
    store.defer("a", item, 30.0)
    assert (item_value(store, 0, "attempts"), item_value(store, 0, "sent_at")) == (0, None)
    assert 29 < run_value(store, "paused_until") - time.time() <= 30
    store.defer("b", item, 1.0)
    assert 29 < run_value(store, "paused_until") - time.time() <= 30
    query(store, "UPDATE batch_items SET lease_until = 0")
    assert store.claim("a", 30.0, NOW) is None  # paused
    query(store, "UPDATE batch_runs SET paused_until = 0")
    assert claimed(store).index == 0


# -- the request ceiling -------------------------------------------------------------------------


def test_without_a_ceiling_every_request_goes_now(store: SQLiteStore) -> None:
    store.open_run(prompts(1), Limits())
    assert [store.take_request() for _ in range(5)] == [0.0] * 5


def test_a_ceiling_makes_the_next_request_wait_for_the_oldest_to_age(store: SQLiteStore) -> None:
    store.open_run(prompts(1), Limits(requests_per_minute=2))
    assert [store.take_request(), store.take_request()] == [0.0, 0.0]
    wait = store.take_request()
    assert 59 < wait <= 60
    query(store, "UPDATE batch_requests SET at = at - 59.5")
    assert 0 < store.take_request() <= 0.5  # until the oldest is a minute old
    query(store, "UPDATE batch_requests SET at = at - 61")
    assert store.take_request() == 0.0  # a minute old: they no longer count


@pytest.mark.parametrize(
    ("oldest", "now", "wait"),
    [(100.0, 130.0, 30.0), (100.0, 159.5, 0.5), (100.0, 160.0, 0.01), (100.0, 175.0, 0.01)],
)
def test_a_wait_for_the_ceiling_is_never_a_go(oldest: float, now: float, wait: float) -> None:
    assert ceiling_wait(oldest, now) == pytest.approx(wait)


def test_a_ceiling_lowered_by_a_joining_worker_holds_at_once(store: SQLiteStore) -> None:
    store.open_run(prompts(1), Limits(requests_per_minute=3))
    assert [store.take_request() for _ in range(3)] == [0.0] * 3
    store.open_run(prompts(1), Limits(requests_per_minute=2))
    assert store.take_request() > 59


# -- operating a run (``batch status``, ``batch retry``, rebuilding a store) ----------------------


def set_item(store: SQLiteStore, index: int, **columns: Any) -> None:
    """Put item ``index`` in a state directly (the steps that lead there are tested above)."""
    names = ", ".join(f"{name} = ?" for name in columns)
    sql = f"UPDATE batch_items SET {names} WHERE run = ? AND idx = ?"  # noqa: S608 - ours
    query(store, sql, *columns.values(), store.run, index)


def test_a_store_lists_its_runs_and_their_items(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite3"
    with (
        contextlib.closing(SQLiteStore(path, "first")) as first,
        contextlib.closing(SQLiteStore(path, "second")) as second,
    ):
        first.open_run(prompts(3), Limits())
        second.open_run(prompts(1), Limits())
        assert set(first.runs()) == set(second.runs()) == {"first", "second"}
        assert [item.index for item in first.items()] == [0, 1, 2]
        assert [item.prompt for item in second.items()] == ["P0"]


def test_open_items_are_those_still_to_finish(store: SQLiteStore) -> None:
    store.open_run(prompts(6), Limits())
    for index, status in enumerate(["pending", "created", "completed", "downloaded", "failed"]):
        set_item(store, index, status=status)
    set_item(store, 5, status="uncertain")
    assert store.open_count() == 3


def test_jobs_in_flight_are_those_that_may_run_on_the_server(store: SQLiteStore) -> None:
    store.open_run(prompts(7), Limits())
    future = time.time() + 60
    set_item(store, 0, status="created")  # a job
    set_item(store, 1, status="completed")  # being downloaded
    set_item(store, 2, sent_at=1.0)  # a create that may have made one
    set_item(store, 3, lease_owner="w", lease_until=future)  # being created now
    set_item(store, 4, lease_until=future)  # deferred: waits, not in flight
    set_item(store, 5, lease_owner="dead", lease_until=1.0)  # its worker died before sending
    status = store.status()
    assert status.in_flight == 4
    assert status.queued == status.remaining - 4 == 3


def test_the_status_counts_every_state_and_the_spend(store: SQLiteStore) -> None:
    store.open_run(prompts(5), Limits(max_in_flight=3, budget=2.0))
    set_item(store, 0, status="failed", failure="job", error="moderation", reserved=0.4)
    set_item(store, 1, status="uncertain", reserved=0.4, reported_cost=0.25)
    set_item(store, 2, status="downloaded", file="2.mp4", reserved=0.4, reported_cost=0.5)
    query(store, "UPDATE batch_runs SET learned_cap = 2")
    status = store.status()
    assert status.counts == {"failed": 1, "uncertain": 1, "downloaded": 1, "pending": 2}
    assert (status.total, status.remaining) == (5, 2)
    assert [item.index for item in status.failures] == [0]
    assert [item.index for item in status.uncertain] == [1]
    assert (status.learned_cap, status.max_in_flight, status.cap) == (2, 3, 2)
    assert status.estimated_usd == pytest.approx(1.2)
    assert status.reported_usd == pytest.approx(0.75)
    assert status.budget == 2.0
    brief = store.status(details=False)
    assert (brief.failures, brief.uncertain, brief.estimated_usd) == ([], [], 0.0)
    assert brief.counts == status.counts


def test_nothing_reported_is_no_reported_spend(store: SQLiteStore) -> None:
    store.open_run(prompts(1), Limits())
    status = store.status()
    assert (status.reported_usd, status.learned_cap, status.max_in_flight) == (None, None, None)


@pytest.mark.parametrize(
    ("since_start", "window"),
    [(0.0, 1.0), (120.0, 120.0), (1_000.0, 300.0)],  # at least a second, at most five minutes
)
def test_the_rate_is_over_the_recent_window(
    store: SQLiteStore, since_start: float, window: float
) -> None:
    store.open_run(prompts(4), Limits())
    query(store, "UPDATE batch_runs SET started_at = started_at - ?", since_start)
    now = time.time()
    set_item(store, 0, status="downloaded", updated_at=now - min(since_start, 60))
    set_item(store, 1, status="downloaded", updated_at=now)
    set_item(store, 2, status="downloaded", updated_at=now - 400)  # before the window
    status = store.status()
    assert status.window_seconds == pytest.approx(window, abs=0.5)
    assert status.per_minute == pytest.approx(2 * 60 / window, rel=0.01)  # the two recent


def test_a_store_without_the_run_has_an_empty_status(store: SQLiteStore) -> None:
    status = store.status()
    assert (status.total, status.in_flight, status.budget, status.window_seconds) == (
        0, 0, None, 1.0)  # fmt: skip


def test_retry_puts_failed_items_back_each_as_it_should(store: SQLiteStore) -> None:
    store.open_run(prompts(7), Limits())
    keys = [item.idempotency_key for item in store.items()]
    set_item(store, 0, status="failed", failure="job", video_id="video_0", attempts=2, sent_at=9.0)
    set_item(store, 1, status="failed", failure="transient", video_id="video_1", attempts=5)
    set_item(store, 2, status="failed", failure="transient", attempts=5)
    set_item(store, 3, status="failed", failure="rejected", attempts=1)
    set_item(store, 4, status="failed", failure="budget")
    set_item(store, 5, status="uncertain", attempts=1, sent_at=9.0)
    set_item(store, 6, status="downloaded", file="6.mp4")
    assert store.retry_failed() == 5
    items = list(store.items())
    assert items[0].status == "pending" and items[0].video_id is None  # a new job, paid again
    assert items[0].idempotency_key != keys[0] and items[0].sent_at is None
    assert (items[1].status, items[1].video_id) == ("created", "video_1")  # its job goes on
    assert [item.status for item in items[2:5]] == ["pending"] * 3
    assert all(item.attempts == 0 and item.failure is None for item in items[:5])
    assert [item.idempotency_key for item in items[1:]] == keys[1:]
    assert (items[5].status, items[6].status) == ("uncertain", "downloaded")  # untouched
    assert store.retry_failed(uncertain=True) == 1  # on the user's word
    parked = list(store.items())[5]
    assert (parked.status, parked.sent_at, parked.attempts) == ("pending", None, 0)
    assert parked.idempotency_key == keys[5]  # the same key: a server that honours it dedups


def test_retry_counts_every_item_it_put_back(store: SQLiteStore) -> None:
    store.open_run(prompts(3), Limits())
    set_item(store, 0, status="failed", failure="job")
    set_item(store, 1, status="failed", failure="transient")
    set_item(store, 2, status="uncertain")
    assert store.retry_failed() == 2
    assert store.retry_failed(uncertain=True) == 1
    set_item(store, 1, status="failed", failure="transient")
    set_item(store, 2, status="uncertain")
    assert store.retry_failed(uncertain=True) == 2  # one of each kind at once


def test_outputs_found_in_the_directory_are_adopted_as_downloads(store: SQLiteStore) -> None:
    store.open_run(prompts(2), Limits())
    set_item(store, 1, status="failed", failure="job")
    store.adopt_output(0, "video_0", "0000-video_0.mp4")
    store.adopt_output(1, "video_1", "0001-video_1.mp4")  # only a pending item takes one
    first, second = store.items()
    assert (first.status, first.video_id, first.file) == (
        "downloaded",
        "video_0",
        "0000-video_0.mp4",
    )
    assert (second.status, second.video_id) == ("failed", None)


def test_downloads_whose_files_are_gone_are_fetched_again(store: SQLiteStore) -> None:
    store.open_run(prompts(3), Limits())
    for index in range(3):
        set_item(store, index, status="downloaded", file=f"{index}.mp4", video_id=f"v{index}")
    set_item(store, 2, attempts=3)
    assert store.reopen_missing({"0.mp4"}) == 2
    kept, *gone = store.items()
    assert (kept.status, kept.file) == ("downloaded", "0.mp4")
    assert all(item.status == "completed" and item.file is None for item in gone)
    assert all(
        item.attempts == 0 and item.error == "its file was deleted; fetched again" for item in gone
    )
    assert store.reopen_missing({"0.mp4"}) == 0


# -- the status a person reads (``_batch/_schema``, no I/O) ---------------------------------------


def run_status(**fields: Any) -> RunStatus:
    counts = {"downloaded": 3, "failed": 1, "pending": 6}
    return RunStatus(**{"run": "r", "counts": counts, "total": 10, **fields})


@pytest.mark.parametrize(
    ("caps", "tightest_cap"),
    [
        ((None, None), None),
        ((3, None, 5), 3),
        ((None, 2), 2),
        ((0, 4), 0),
        (("7", 9), 7),
        ((), None),
    ],
)
def test_the_tightest_cap_is_the_smallest_set(
    caps: tuple[Any, ...], tightest_cap: int | None
) -> None:
    assert tightest(*caps) == tightest_cap


@pytest.mark.parametrize(
    ("fields", "line"),
    [
        ({"in_flight": 3, "per_minute": 4.0, "window_seconds": 300.0, "learned_cap": 2,
          "max_in_flight": 4},
         "3/10 done, 1 failed, 0 uncertain, 3 in flight, 3 queued, "
         "cap 2 (learned from the server), 4.0 videos/min over the last 5 min, about 2 min left"),
        ({"max_in_flight": 4, "per_minute": 4.0, "window_seconds": 90.0},
         "3/10 done, 1 failed, 0 uncertain, 0 in flight, 6 queued, cap 4, "
         "4.0 videos/min over the last 2 min, about 2 min left"),
        ({"max_in_flight": 4, "learned_cap": 5, "per_minute": 0.2, "window_seconds": 30.0},
         "3/10 done, 1 failed, 0 uncertain, 0 in flight, 6 queued, cap 4, "
         "0.2 videos/min over the last 30 s, about 30 min left"),
        ({"per_minute": 0.0, "window_seconds": 1.0},
         "3/10 done, 1 failed, 0 uncertain, 0 in flight, 6 queued, "
         "0.0 videos/min over the last 1 s, no ETA yet"),
        ({"per_minute": 0.05, "window_seconds": 300.0},
         "3/10 done, 1 failed, 0 uncertain, 0 in flight, 6 queued, "
         "0.1 videos/min over the last 5 min, about 2.0 h left"),
        ({"counts": {"downloaded": 9, "uncertain": 1}, "per_minute": 3.0},
         "9/10 done, 0 failed, 1 uncertain, 0 in flight, 0 queued"),
    ],
)  # fmt: skip
def test_the_status_line_says_where_the_run_stands(fields: dict[str, Any], line: str) -> None:
    assert run_status(**fields).line() == line


@pytest.mark.parametrize(
    ("minutes", "shown"),
    [(0.001, "1 s"), (0.5, "30 s"), (0.99, "59 s"), (1.0, "1 min"), (89.4, "89 min"),
     (90.0, "1.5 h"), (150.0, "2.5 h"), (270.0, "4.5 h")],
)  # fmt: skip
def test_times_left_are_shown_in_the_unit_that_reads_best(minutes: float, shown: str) -> None:
    status = run_status(counts={"pending": 1}, total=1, per_minute=1 / minutes)
    assert status.line().endswith(f"about {shown} left")


def test_the_time_left_comes_from_the_recent_rate() -> None:
    assert run_status(per_minute=4.0).minutes_left == 1.5  # six open items at four a minute
    assert run_status(per_minute=0.0).minutes_left is None
    assert run_status(counts={"downloaded": 10}, per_minute=0.0).minutes_left == 0.0


def test_the_status_as_json_has_every_state_and_rounds_for_people() -> None:
    failed = BatchItem(index=4, prompt="P4", options={}, idempotency_key="k", status="failed",
                       error="moderation", failure="job")  # fmt: skip
    assert failed.attempts == 0  # a new item has had no attempt
    status = run_status(
        in_flight=1, per_minute=1.23456, window_seconds=12.345, learned_cap=3, failures=[failed],
        estimated_usd=0.1234567, reported_usd=0.5, budget=2.0,
    )  # fmt: skip
    shown = status.to_json()
    assert shown["counts"] == {"pending": 6, "created": 0, "completed": 0, "downloaded": 3,
                               "failed": 1, "uncertain": 0}  # fmt: skip
    assert (shown["total"], shown["in_flight"], shown["queued"], shown["cap"]) == (10, 1, 5, 3)
    assert (shown["per_minute"], shown["window_seconds"], shown["minutes_left"]) == (
        1.235,
        12.3,
        4.9,
    )
    assert shown["failures"] == [failed.to_json()] and shown["uncertain"] == []
    assert shown["failures"][0] == {"index": 4, "prompt": "P4", "video_id": None, "status": "failed",
                                    "file": None, "error": "moderation", "failure": "job"}  # fmt: skip
    assert shown["spend"] == {"estimated_usd": 0.123457, "reported_usd": 0.5, "budget_usd": 2.0}
    assert run_status(per_minute=0.0).to_json()["minutes_left"] is None


def test_a_status_made_without_figures_shows_none() -> None:
    bare = RunStatus(run="r", counts={}, total=0).to_json()
    assert (bare["in_flight"], bare["per_minute"], bare["window_seconds"]) == (0, 0.0, 0.0)
    assert (bare["cap"], bare["learned_cap"], bare["failures"], bare["uncertain"]) == (
        None, None, [], [])  # fmt: skip
    assert bare["spend"] == {"estimated_usd": 0.0, "reported_usd": None, "budget_usd": None}


def test_an_entry_keeps_only_the_options_a_create_takes() -> None:
    entry = {"prompt": "P", "model": "sora-2", "size": "720x1280", "note": "mine"}
    assert options_of(entry) == {"model": "sora-2", "size": "720x1280"}
    assert options_of({"prompt": "P"}) == {}
