"""Error mapping and the retry rule: which failures are retried, which are raised."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from client_harness import Clock, Runner, error, make_sync
from conftest import video_payload
from fake_api import FakeAPI

from openai_videos import (
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    MethodNotAllowedError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    UnprocessableEntityError,
)

# -- errors ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (405, MethodNotAllowedError),
        (409, ConflictError),
        (422, UnprocessableEntityError),
        (429, RateLimitError),
        (500, InternalServerError),
        (503, InternalServerError),
        (418, APIStatusError),
    ],
)
def test_status_maps_to_its_exception(
    api: FakeAPI, clock: Clock, status: int, cls: type[APIStatusError]
) -> None:
    client = make_sync(api, clock, max_retries=0)
    api.then(error(status, "Something is off"))
    with pytest.raises(cls) as caught:
        client.retrieve("video_1")
    exc = caught.value
    assert type(exc) is cls
    assert (exc.status_code, exc.request_id, exc.code, exc.type, exc.param) == (
        status, "req_42", "bad", "invalid_request_error", "prompt",
    )  # fmt: skip
    assert "Something is off" in str(exc) and "req_42" in str(exc) and str(status) in str(exc)


def test_non_openai_error_bodies_still_give_a_message(api: FakeAPI, clock: Clock) -> None:
    api.then(httpx.Response(405, json={"detail": "Method Not Allowed"}))
    with pytest.raises(MethodNotAllowedError, match="Method Not Allowed") as caught:
        make_sync(api, clock).delete("video_1")
    assert caught.value.code is None


def test_malformed_success_body_is_a_validation_error(run: Runner, api: FakeAPI) -> None:
    api.then(httpx.Response(200, json={"id": 5}))
    with pytest.raises(APIResponseValidationError, match="field 'id'"):
        run("retrieve", "video_1")
    api.then(httpx.Response(200, content=b'{"id": "vid'))
    with pytest.raises(APIResponseValidationError, match="not valid JSON"):
        run("retrieve", "video_1")


# -- retries ---------------------------------------------------------------------------------


def test_get_retries_5xx_with_backoff(run: Runner, api: FakeAPI, clock: Clock) -> None:
    api.then(error(500), error(502))
    assert run("retrieve", "video_1").id == "video_1"
    assert len(api.requests) == 3
    assert 0.375 <= clock.sleeps[0] <= 0.5 and 0.75 <= clock.sleeps[1] <= 1.0


def test_retries_are_bounded(run: Runner, api: FakeAPI, clock: Clock) -> None:
    api.then(*[error(503)] * 10)
    with pytest.raises(InternalServerError):
        run("retrieve", "video_1")
    assert len(api.requests) == 3 and len(clock.sleeps) == 2


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"retry-after": "3"}, 3.0),
        ({"retry-after-ms": "1500"}, 1.5),
        ({"retry-after": "1200"}, None),
    ],
)
def test_retry_after_is_honoured(
    api: FakeAPI, clock: Clock, headers: dict[str, str], expected: float | None
) -> None:
    api.then(error(429, **headers))
    make_sync(api, clock).retrieve("video_1")
    if expected is None:  # unreasonable values fall back to backoff
        assert clock.sleeps[0] <= 0.5
    else:
        assert clock.sleeps == [expected]


def test_create_reuses_its_idempotency_key_across_retries(run: Runner, api: FakeAPI) -> None:
    api.then(error(429, **{"retry-after": "1"}), httpx.ConnectError("refused"))
    run("create", "A cat")
    keys = [r.headers["idempotency-key"] for r in api.requests[1:]]
    assert len(api.requests) == 3 and len(set(keys)) == 1
    assert api.requests[0].headers["idempotency-key"] == keys[0]


def test_two_creates_get_different_keys(run: Runner, api: FakeAPI) -> None:
    run("create", "A cat")
    run("create", "A dog")
    assert api.requests[0].headers["idempotency-key"] != api.requests[1].headers["idempotency-key"]


@pytest.mark.parametrize(
    "failure",
    [
        lambda: error(500),
        lambda: error(408),
        lambda: httpx.ReadTimeout("slow"),
        lambda: httpx.RemoteProtocolError("reset"),
    ],
)
def test_create_is_not_retried_when_the_server_may_have_acted(
    run: Runner, api: FakeAPI, failure: Callable[[], httpx.Response | Exception]
) -> None:
    api.then(failure())
    with pytest.raises((InternalServerError, APIStatusError, APIConnectionError)):
        run("create", "A cat")
    assert len(api.requests) == 1


def test_create_is_retried_after_the_server_confirmed_idempotency(
    run: Runner, api: FakeAPI
) -> None:
    def echo(request: httpx.Request) -> httpx.Response:
        key = request.headers["idempotency-key"]
        return httpx.Response(
            200, json=video_payload(status="queued"), headers={"Idempotency-Key": key}
        )

    api.then(echo, error(500), echo)
    run("create", "A cat")
    run("create", "A dog")
    assert len(api.requests) == 3
    assert api.requests[1].headers["idempotency-key"] == api.requests[2].headers["idempotency-key"]


def test_connection_errors_become_typed_errors(run: Runner, api: FakeAPI, clock: Clock) -> None:
    api.then(*[httpx.ConnectError("refused")] * 3)
    with pytest.raises(APIConnectionError, match="refused"):
        run("retrieve", "video_1")
    api.then(*[httpx.ReadTimeout("too slow")] * 3)
    with pytest.raises(APITimeoutError):
        run("retrieve", "video_1")


def test_server_can_veto_a_retry(run: Runner, api: FakeAPI) -> None:
    api.then(error(500, **{"x-should-retry": "false"}))
    with pytest.raises(InternalServerError):
        run("retrieve", "video_1")
    assert len(api.requests) == 1


def test_an_ambiguous_create_failure_carries_its_key_for_a_safe_retry(
    run: Runner, api: FakeAPI
) -> None:
    api.then(error(500))
    with pytest.raises(InternalServerError) as caught:
        run("create", "A cat")
    key = caught.value.idempotency_key
    assert key is not None and key == api.requests[0].headers["idempotency-key"]
    run("create", "A cat", idempotency_key=key)
    assert api.requests[1].headers["idempotency-key"] == key


def test_errors_of_other_calls_carry_no_key(run: Runner, api: FakeAPI) -> None:
    api.then(error(404))
    with pytest.raises(NotFoundError) as caught:
        run("retrieve", "video_1")
    assert caught.value.idempotency_key is None


# -- the retry rule as a decision table (no transport) ---------------------------------------------

POLICY_TABLE = [
    # attempt, method, creates_job, acted, confirmed, status, headers, retried?
    (0, "GET", False, True, False, 500, {}, True),  # idempotent: always
    (0, "DELETE", False, True, False, 502, {}, True),
    (0, "POST", True, False, False, 429, {}, True),  # refused before acting
    (0, "POST", True, True, False, 500, {}, False),  # may have acted, key not confirmed
    (0, "POST", True, True, True, 500, {}, True),  # ... confirmed: the server dedupes
    (0, "POST", False, True, True, 500, {}, False),  # confirmation covers job creates only
    (0, "POST", True, False, False, None, {}, True),  # before send (connection refused)
    (0, "POST", True, True, False, None, {}, False),  # reset after sending
    (0, "GET", False, True, False, 400, {}, False),  # not a retryable status
    (0, "GET", False, True, False, 404, {}, False),
    (0, "GET", False, True, False, 408, {}, True),
    (0, "GET", False, True, False, 409, {}, True),
    (0, "GET", False, True, False, 504, {}, True),
    (0, "GET", False, True, False, 418, {"x-should-retry": "true"}, True),
    (0, "GET", False, True, False, 503, {"x-should-retry": "false"}, False),
    (2, "GET", False, True, False, 500, {}, False),  # out of retries
    (1, "GET", False, True, False, 500, {}, True),
]


@pytest.mark.parametrize(
    ("attempt", "method", "creates_job", "acted", "confirmed", "status", "headers", "retried"),
    POLICY_TABLE,
)
def test_retry_policy_decisions(  # noqa: PLR0917 - one table row
    attempt: int,
    method: str,
    creates_job: bool,
    acted: bool,
    confirmed: bool,
    status: int | None,
    headers: dict[str, str],
    retried: bool,
) -> None:
    import random

    from openai_videos._retry import RetryPolicy

    policy = RetryPolicy(2, random.Random(1))
    delay = policy.delay(
        attempt,
        method=method,
        creates_job=creates_job,
        acted=acted,
        confirmed=confirmed,
        status=status,
        headers=headers,
    )
    assert (delay is not None) == retried
    if delay is not None:
        assert 0 < delay <= 8.0


def test_retry_policy_waits_as_the_server_asks() -> None:
    import email.utils
    import time

    from openai_videos._retry import RetryPolicy

    policy = RetryPolicy(3)
    decide = lambda **h: policy.delay(  # noqa: E731
        0, method="GET", creates_job=False, acted=False, confirmed=False, status=429, headers=h
    )
    assert decide(**{"retry-after-ms": "1500"}) == 1.5
    assert decide(**{"retry-after": "3"}) == 3.0
    in_ten = email.utils.formatdate(time.time() + 10, usegmt=True)
    assert 8 <= decide(**{"retry-after": in_ten}) <= 10  # an HTTP date
    assert decide(**{"retry-after": "3600"}) <= 0.5  # unreasonable: our own backoff
    assert decide(**{"retry-after": "soon"}) <= 0.5


@pytest.mark.parametrize(
    ("status", "headers", "acted"),
    [(429, {}, False), (503, {"retry-after": "1"}, False), (503, {}, True), (500, {}, True),
     (408, {}, True), (409, {}, True), (400, {}, False), (401, {}, False), (404, {}, False),
     (422, {}, False), (499, {}, False), (504, {}, True)],
)  # fmt: skip
def test_which_answers_may_come_after_acting(
    status: int, headers: dict[str, str], acted: bool
) -> None:
    from openai_videos._retry import may_have_acted

    assert may_have_acted(status=status, headers=headers) is acted


def test_transport_errors_before_sending_did_not_act() -> None:
    from openai_videos._retry import may_have_acted

    request = httpx.Request("POST", "https://api.test/v1/videos")
    assert not may_have_acted(error=httpx.ConnectError("refused", request=request))
    assert may_have_acted(error=httpx.ReadError("reset", request=request))
    assert may_have_acted(error=httpx.ReadTimeout("slow", request=request))


def test_retry_after_edges() -> None:
    from openai_videos._retry import retry_after, server_did_not_act

    assert retry_after({"retry-after": "0.5"}) == 0.5  # under a second is still a hint
    assert retry_after({"retry-after": "0"}) == 0.0
    assert retry_after({"retry-after": "60"}) == 60.0 and retry_after({"retry-after": "61"}) is None
    assert retry_after({"retry-after-ms": "abc", "retry-after": "2"}) == 2.0  # bad ms: seconds
    assert retry_after({"retry-after": "-1"}) is None
    assert server_did_not_act(503, {"retry-after": "1"})
    assert server_did_not_act(429, {}) and not server_did_not_act(428, {})
    assert not server_did_not_act(430, {})
    assert not server_did_not_act(504, {"retry-after": "1"})  # only 503 says "not now"
    assert not server_did_not_act(502, {"retry-after": "1"})


def test_backoff_doubles_with_at_most_a_quarter_of_jitter() -> None:
    import random

    from openai_videos._retry import backoff_delay

    rng = random.Random(7)
    for attempt, base in ((0, 0.5), (1, 1.0), (2, 2.0), (3, 4.0), (4, 8.0), (9, 8.0)):
        delays = [backoff_delay(attempt, rng) for _ in range(200)]
        assert all(0.75 * base <= d <= base for d in delays)
        assert max(delays) - min(delays) > 0.2 * base  # the jitter is really there


def test_jitter_is_spread_evenly_and_reproducible_from_its_seed() -> None:
    import random
    import statistics

    from openai_videos._retry import RetryPolicy, backoff_delay

    delays = [backoff_delay(2, random.Random(seed)) / 2.0 for seed in range(2000)]
    assert 0.865 < statistics.fmean(delays) < 0.885  # uniform over 0.75..1: the mean is 0.875
    quarters = [sum(0.75 + q / 16 <= d < 0.75 + (q + 1) / 16 for d in delays) for q in range(4)]
    assert min(quarters) > 400  # every quarter of the range, about 500 each
    assert backoff_delay(3, random.Random(7)) == backoff_delay(3, random.Random(7))
    assert 3.0 <= backoff_delay(3) <= 4.0  # no seed: the module's own generator

    def delays_of(policy: RetryPolicy) -> list[float | None]:
        return [
            policy.delay(attempt, method="GET", creates_job=False, acted=False, confirmed=False)
            for attempt in range(3)
        ]

    assert delays_of(RetryPolicy(3, random.Random(7))) == delays_of(
        RetryPolicy(3, random.Random(7))
    )
    assert all(delay is not None for delay in delays_of(RetryPolicy(3)))


@pytest.mark.parametrize("attempt", [2, 3, 5, 300])
def test_no_retry_past_the_last_one(attempt: int) -> None:
    from openai_videos._retry import RetryPolicy

    policy = RetryPolicy(2)
    assert (
        policy.delay(attempt, method="GET", creates_job=False, acted=False, confirmed=False) is None
    )
    assert (
        policy.delay(1, method="GET", creates_job=False, acted=False, confirmed=False) is not None
    )
