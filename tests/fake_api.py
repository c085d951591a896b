"""A scripted in-memory /v1/videos server for httpx.MockTransport (client unit tests)."""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Callable
from typing import Any

import httpx
from conftest import video_payload

Reply = httpx.Response | Exception | Callable[[httpx.Request], httpx.Response]


class FakeAPI:
    """Answers from a script first (responses or exceptions to raise), then from a default router.

    Records every request, and every body sent, so tests can count and inspect them.
    """

    def __init__(self) -> None:
        self.script: deque[Reply] = deque()
        self.requests: list[httpx.Request] = []
        self.videos: dict[str, dict[str, Any]] = {}
        self.content = b"\x00\x00\x00\x18ftypmp42" + bytes(1000)

    def then(self, *replies: Reply) -> FakeAPI:
        self.script.extend(replies)
        return self

    def __call__(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        if self.script:
            reply = self.script.popleft()
            if isinstance(reply, Exception):
                raise reply
            return reply(request) if callable(reply) else reply
        return self.route(request)

    def route(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path.removeprefix("/v1")
        if request.method == "POST":  # every job-creating route answers with a new job
            video = video_payload(id=f"video_{len(self.videos) + 1}", status="queued", progress=0)
            self.videos[video["id"]] = video
            return httpx.Response(200, json=video)
        if request.method == "GET" and path.endswith("/content"):
            return httpx.Response(200, content=self.content, headers={"content-type": "video/mp4"})
        if request.method == "GET" and path.startswith("/videos/"):
            return httpx.Response(200, json=video_payload(id=path.rsplit("/", 1)[1]))
        return httpx.Response(
            404, json={"error": {"message": "no route", "type": "invalid_request_error"}}
        )

    def json_bodies(self) -> list[Any]:
        return [json.loads(r.content) if r.content else None for r in self.requests]
