"""Injected failures, so clients can be tested against a misbehaving server.

A plan holds scripted sequences (the next requests to a route fail in a given order) and rates
(each request fails with some probability, from a seeded generator). Kinds:

==============  =================================================================
``429``         Too Many Requests with ``Retry-After: 1`` (the request is not acted on)
``500``/``503`` Server error (503 carries ``Retry-After: 1``); not acted on
``drop``        The connection is cut before the request is acted on
``drop_after``  The request is acted on (a job is created), then the connection is cut
``slow``        The answer is delayed by ``slow_seconds`` (for read timeouts)
``drip``        The body trickles out over ``slow_seconds``
``truncate``    Half the body is sent, with the full Content-Length, then the connection is cut
``malformed``   200 with a body that is not JSON
``wrong_type``  200 with ``Content-Type: text/html``
``gzip``        The real answer, gzip-compressed as an honest gateway would (even for media,
                whatever ``Accept-Encoding`` asked), and 201 instead of 200 for a POST
``gzip_broken`` The request is acted on; the answer claims gzip but is not
``cut_chunked`` The request is acted on; half the answer is sent chunked (no length), then cut
``bomb``        200 with a small gzip body that decodes to 32 MiB of JSON; not acted on
``nested``      200 with JSON nested 100,000 levels deep; not acted on
``500_after``   The request is acted on (a job is created), then answered 500
``splice``      The request is acted on; the answer is a 206 of half the body, total ``*``
                and another ETag (a resume that would splice two files)
``empty``       The request is acted on; the answer keeps its status and headers, no body
==============  =================================================================
"""

from __future__ import annotations

import random
import threading
from collections import deque

__all__ = ["FAULT_KINDS", "FaultPlan"]

FAULT_KINDS = frozenset(
    {
        "429",
        "500",
        "503",
        "drop",
        "drop_after",
        "slow",
        "drip",
        "truncate",
        "malformed",
        "wrong_type",
        "gzip",
        "gzip_broken",
        "cut_chunked",
        "bomb",
        "nested",
        "500_after",
        "splice",
        "empty",
    }
)


class FaultPlan:
    """Which requests fail, and how. Thread-safe; consulted once per request."""

    def __init__(self, *, seed: int = 0, slow_seconds: float = 2.0) -> None:
        self.slow_seconds = slow_seconds
        self._scripts: list[tuple[str, str, deque[str]]] = []
        self._rates: list[tuple[str, str, str, float]] = []
        self._rng = random.Random(seed)  # noqa: S311 - test fault injection, not security
        self._lock = threading.Lock()
        self.injected = 0

    def script(self, method: str, path_prefix: str, *kinds: str) -> FaultPlan:
        """The next requests matching ``method`` and ``path_prefix`` fail as ``kinds``, in order
        (``"ok"`` lets one through)."""
        self._check(kinds)
        self._scripts.append((method.upper(), path_prefix, deque(kinds)))
        return self

    def rate(
        self, kind: str, probability: float, *, method: str = "*", path_prefix: str = "/"
    ) -> FaultPlan:
        """Each matching request fails as ``kind`` with ``probability``."""
        self._check((kind,))
        if not 0 <= probability <= 1:
            msg = f"probability must be from 0 to 1, but received {probability!r}"
            raise ValueError(msg)
        self._rates.append((method.upper(), path_prefix, kind, probability))
        return self

    @staticmethod
    def _check(kinds: tuple[str, ...]) -> None:
        unknown = set(kinds) - FAULT_KINDS - {"ok"}
        if unknown:
            msg = f"unknown fault kinds {sorted(unknown)}; known: {sorted(FAULT_KINDS)}"
            raise ValueError(msg)

    def choose(self, method: str, path: str) -> str | None:
        """The fault for this request, if any."""
        with self._lock:
            for script_method, prefix, kinds in self._scripts:
                if kinds and script_method in {"*", method} and path.startswith(prefix):
                    kind = kinds.popleft()
                    return self._count(kind if kind != "ok" else None)
            for rate_method, prefix, kind, probability in self._rates:
                if (
                    rate_method in {"*", method}
                    and path.startswith(prefix)
                    and self._rng.random() < probability
                ):
                    return self._count(kind)
        return None

    def _count(self, kind: str | None) -> str | None:
        if kind is not None:
            self.injected += 1
        return kind

    @classmethod
    def parse(cls, specs: list[str], *, seed: int = 0, slow_seconds: float = 2.0) -> FaultPlan:
        """From command-line specs: ``"POST /v1/videos=429,drop_after"`` (a script) or
        ``"500@0.1"`` / ``"GET /v1/videos=500@0.2"`` (a rate)."""
        plan = cls(seed=seed, slow_seconds=slow_seconds)
        for spec in specs:
            target, _, kinds = spec.rpartition("=")
            method, _, prefix = target.partition(" ") if target else ("*", "", "/")
            prefix = prefix or "/"
            if "@" in kinds:
                kind, _, probability = kinds.partition("@")
                plan.rate(kind, float(probability), method=method, path_prefix=prefix)
            else:
                plan.script(method, prefix, *kinds.split(","))
        return plan
