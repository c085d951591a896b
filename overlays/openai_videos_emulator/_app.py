"""The emulator's ASGI application: the ten ``/v1/videos`` operations.

Routing works on the raw, still percent-encoded path, split into segments before decoding, so
an id such as ``a%2Fremix`` stays one segment and can never reach another route.
"""

from __future__ import annotations

import asyncio
import math
import re
import secrets
import threading
import urllib.parse
from collections import deque
from collections.abc import Awaitable, Callable
from typing import IO, Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import Receive, Scope, Send

from ._config import EmulatorConfig
from ._injection import AFTER_ACTING, BEFORE_ACTING
from ._injection import capture as _capture
from ._profiles import get_profile
from ._requests import (
    check_declared_length,
    check_image,
    decode_data_uri,
    image_dimensions,
    limited,
    parse_range,
    probe_upload,
    read_body,
    refuse_files,
)
from ._store import Job, JobStore
from ._validation import (
    EXTENSION_SECONDS,
    MAX_NAME,
    EmulatorError,
    check_create,
    check_enum,
    check_prompt,
    check_reference,
)

__all__ = ["EmulatorApp", "create_app"]

Handler = Callable[[Request, list[str]], Awaitable[Response]]
_SMALL_NUMBER = re.compile(r"[0-9]{1,6}")


def create_app(config: EmulatorConfig | None = None) -> EmulatorApp:
    """A new emulator application (plain ASGI: serve it with any ASGI server)."""
    return EmulatorApp(config or EmulatorConfig())


class EmulatorApp:
    """ASGI app. ``store`` holds the jobs; ``store.jobs_created`` counts them for tests."""

    def __init__(self, config: EmulatorConfig) -> None:
        self.config = config
        self.profile = get_profile(config.profile)
        self.store = JobStore(config.clock, config.data_dir, reuse_renders=config.reuse_renders)
        self.requests_served = 0
        self.content_requests = 0
        self._window: deque[float] = deque()  # times of recent API requests (rate limit)
        self._window_lock = threading.Lock()
        self._routes: list[tuple[str, tuple[str | None, ...], str, Handler]] = [
            ("POST", ("videos",), "create", self._create),
            ("GET", ("videos",), "list", self._list),
            ("POST", ("videos", "edits"), "edit", self._edit),
            ("POST", ("videos", "extensions"), "extend", self._extend),
            ("POST", ("videos", "characters"), "create_character", self._create_character),
            ("GET", ("videos", "characters", None), "get_character", self._get_character),
            ("GET", ("videos", None), "retrieve", self._retrieve),
            ("DELETE", ("videos", None), "delete", self._delete),
            ("GET", ("videos", None, "content"), "content", self._content),
            ("POST", ("videos", None, "remix"), "remix", self._remix),
            ("POST", ("videos", "generations"), "generate", self._generate),
        ]
        self.received_images: list[tuple[str, int, int]] = []  # (transport, width, height)

    # -- ASGI ------------------------------------------------------------------------------------

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            return
        if scope["type"] != "http":  # pragma: no cover - websockets are not part of the API
            return
        self.requests_served += 1
        fault = self.config.faults.choose(scope["method"], scope["path"])
        if fault is None:
            await self._respond(scope, receive, send)
            return
        await self._inject(fault, scope, receive, send)

    async def _respond(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, limited(receive, self.config.max_request_bytes))
        request.state.uploads = []
        try:
            check_declared_length(request, self.config.max_request_bytes)
            response = await self._dispatch(request)
        except EmulatorError as error:
            status, body = self.profile.error(error.status, error.body())
            response = JSONResponse(body, status_code=status, headers=error.headers)
        finally:
            for upload in request.state.uploads:
                upload.close()
        response.headers["x-request-id"] = f"req_{secrets.token_hex(8)}"
        await response(scope, receive, send)

    async def _dispatch(self, request: Request) -> Response:
        raw_path = request.scope.get("raw_path") or request.scope["path"].encode()
        raw = raw_path.split(b"?", 1)[0].decode("latin-1")
        segments = [urllib.parse.unquote(part) for part in raw.split("/")[1:]]
        if segments == ["_emulator", "stats"]:
            self._authenticate(request)
            return JSONResponse(
                {
                    "jobs_created": self.store.jobs_created,
                    "requests": self.requests_served,
                    "peak_in_flight": self.store.peak_in_flight(self.config.job_seconds),
                }
            )
        if segments == ["openapi.json"] and self.profile.publishes_openapi:
            return JSONResponse(self.profile.openapi_document())
        prefix = list(self.profile.prefix)
        if segments[: len(prefix)] != prefix:
            raise EmulatorError(
                404, f"Unknown path {raw}; the API lives under /{'/'.join(prefix)}/videos"
            )
        segments = segments[len(prefix) :]
        allowed = []
        for method, pattern, operation, handler in self._routes:
            if len(pattern) != len(segments) or any(
                p is not None and p != s for p, s in zip(pattern, segments, strict=True)
            ):
                continue
            if method != request.method:
                allowed.append(method)
                continue
            self._authenticate(request)
            self._count_request()
            if operation not in self.profile.offered:
                status, body = self.profile.not_offered(operation)
                return JSONResponse(body, status_code=status)
            params = [segments[i] for i, p in enumerate(pattern) if p is None]
            return await handler(request, params)
        if allowed:
            raise EmulatorError(
                405, f"Method {request.method} not allowed; use {', '.join(allowed)}"
            )
        raise EmulatorError(404, f"Unknown path {raw}")

    def _count_request(self) -> None:
        """One API request against the requests-per-minute limit, or 429 with Retry-After."""
        limit = self.config.requests_per_minute or self.profile.requests_per_minute
        if limit is None:
            return
        now = self.config.clock()
        with self._window_lock:
            while self._window and self._window[0] <= now - 60:
                self._window.popleft()
            if len(self._window) >= limit:
                wait = max(1, math.ceil(self._window[0] + 60 - now))
                raise EmulatorError(
                    429,
                    f"Rate limit reached: {limit} requests per minute. Try again in {wait} s.",
                    code="rate_limit_exceeded",
                    type="requests",
                    headers={"retry-after": str(wait)},
                )
            self._window.append(now)

    def _check_running_cap(self, request: Request) -> None:
        """A new job beyond the running-jobs cap gets 429 (a replayed key does not count)."""
        cap = self.config.max_running_jobs or self.profile.max_running_jobs
        key = self._idempotency_key(request)
        if cap is None or (key and key in self.store.idempotency):
            return
        running = self.store.running(self.config.clock(), self.config.job_seconds)
        if running >= cap:
            raise EmulatorError(
                429,
                f"Too many running tasks: {running} videos are generating for this key, at most "
                f"{cap} at once. Wait for one to finish.",
                code="too_many_running_tasks",
                type="requests",
            )

    def _authenticate(self, request: Request) -> None:
        expected = self.config.api_key
        if not expected:
            return
        given = request.headers.get(self.profile.auth_header, "")
        if self.profile.auth_header == "authorization":
            given = given.removeprefix("Bearer ")
        if not secrets.compare_digest(given.encode(), expected.encode()):
            raise EmulatorError(401, "Incorrect API key provided.", code="invalid_api_key")

    # -- responses -------------------------------------------------------------------------------

    def _video_json(self, job: Job) -> dict[str, Any]:
        body = job.to_json(self.config.clock(), self.config.job_seconds)
        body["id"] = self.profile.video_id_out(job.id)
        if body["remixed_from_video_id"]:
            body["remixed_from_video_id"] = self.profile.video_id_out(body["remixed_from_video_id"])
        return self.profile.video(body)

    def _video_response(self, job: Job, request: Request) -> JSONResponse:
        poll_after = max(50, min(1000, int(self.config.job_seconds * 100)))
        headers = {"openai-poll-after-ms": str(poll_after)}
        key = self._idempotency_key(request)
        body = self._video_json(job)
        if request.method == "POST":
            body = self.profile.created(body)
            if key:
                headers["Idempotency-Key"] = key
        return JSONResponse(body, headers=headers)

    def _idempotency_key(self, request: Request) -> str | None:
        """The request's ``Idempotency-Key``, if this server honours the header."""
        if not self.profile.honours_idempotency_key:
            return None
        return request.headers.get("idempotency-key")

    def _job(self, shown_id: str, param: str = "video_id") -> Job:
        job = self.store.get(self.profile.video_id_in(shown_id))
        if job is None:
            raise EmulatorError(
                404, f"Video with id '{shown_id}' not found.", param=param, code="video_not_found"
            )
        return job

    def _completed(self, shown_id: str, param: str, not_ready_status: int = 400) -> Job:
        job = self._job(shown_id, param)
        status, _ = job.state(self.config.clock(), self.config.job_seconds)
        if status != "completed":
            raise EmulatorError(
                not_ready_status,
                f"Video '{shown_id}' is not completed (status: {status}).",
                param=param,
                code="video_not_ready",
            )
        return job

    # -- operations ------------------------------------------------------------------------------

    async def _create(self, request: Request, _: list[str]) -> Response:
        content_type = request.headers.get("content-type", "")
        encoding = "multipart" if content_type.startswith("multipart/") else "json"
        if encoding not in self.profile.create_encodings:
            raise self.profile.encoding_refused(encoding)
        fields, files = await read_body(request)
        self.profile.check_create_request(content_type, files)
        image = self._reference_image(fields, files)
        refuse_files(files)
        params = check_create(
            fields,
            extra_fields=self.profile.extra_create_fields,
            known_models_only=self.profile.known_models_only,
            seconds_allowed=self.profile.durations,
            sizes_allowed=self.profile.sizes,
        )
        if image is not None:
            self._check_image_size(image, params["size"])
        extras = {name: fields[name] for name in self.profile.echoed_extras if name in fields}
        return self._new_job(
            request,
            prompt=params["prompt"],
            model=params["model"],
            seconds=params["seconds"],
            size=self.profile.size_made(params["size"]),
            extras=extras,
        )

    async def _generate(self, request: Request, _: list[str]) -> Response:
        """Another contract's create (xAI): ``{"request_id"}`` for a JSON ``prompt``."""
        fields, _files = await read_body(request)
        job, _new = self.store.create_job(
            model="grok-imagine-video", prompt=check_prompt(fields.get("prompt")),
            size="1280x720", seconds="4", will_fail=False,
        )  # fmt: skip
        return JSONResponse({"request_id": job.id})

    def _reference_image(
        self, fields: dict[str, Any], files: dict[str, IO[bytes]]
    ) -> tuple[str, int, int] | None:
        """The reference image as received (transport, width, height), recorded for tests;
        None without one (or one known only by URL or file id)."""
        for name in self.profile.image_fields:
            if name in files:
                upload = files.pop(name)
                check_image(upload, name)
                found = ("file", *image_dimensions(upload.read(), name))
                upload.seek(0)
                self.received_images.append(found)
                return found
            if name in fields:
                value = fields.pop(name)
                url = (
                    value
                    if isinstance(value, str)
                    else check_reference(value, name).get("image_url")
                )
                if isinstance(url, str) and url.startswith("data:"):
                    kind = "string" if isinstance(value, str) else "image_url"
                    found = (kind, *image_dimensions(decode_data_uri(url, name), name))
                    self.received_images.append(found)
                    return found
                return None
        for name in ("input_reference", "image_reference", "image"):
            if name in fields or name in files:
                raise EmulatorError(
                    400,
                    f"Unrecognized request argument supplied: {name} (this server takes a "
                    f"reference image as {', '.join(sorted(self.profile.image_fields))})",
                    param=name,
                    code="unknown_parameter",
                )
        return None

    def _check_image_size(self, image: tuple[str, int, int], size: str) -> None:
        if self.profile.image_must_match_size and f"{image[1]}x{image[2]}" != size:
            raise EmulatorError(
                400,
                "Inpaint image must match the requested width and height",
                param="input_reference",
                code="invalid_value",
            )

    async def _list(self, request: Request, _: list[str]) -> Response:
        query = request.query_params
        self.profile.check_list_request(dict(query))
        limit_text = query.get("limit", "20")
        if not _SMALL_NUMBER.fullmatch(limit_text) or not 0 <= int(limit_text) <= 100:
            raise EmulatorError(
                400, f"Invalid 'limit': {limit_text!r}; expected 0 to 100.", param="limit"
            )
        order = query.get("order", "desc")
        if order not in {"asc", "desc"}:
            raise EmulatorError(
                400, f"Invalid 'order': {order!r}; expected 'asc' or 'desc'.", param="order"
            )
        after = query.get("after")
        after_id = self.profile.video_id_in(after) if after else None
        if self.profile.paginates:
            jobs, has_more = self.store.page(order=order, after=after_id, limit=int(limit_text))
        else:
            jobs = self.store.page(order=order, after=None, limit=len(self.store.jobs))[0]
            has_more = False
        return JSONResponse(self.profile.page([self._video_json(job) for job in jobs], has_more))

    async def _retrieve(self, request: Request, params: list[str]) -> Response:
        return self._video_response(self._job(params[0]), request)

    async def _delete(self, request: Request, params: list[str]) -> Response:
        job = self._job(params[0])
        status, _ = job.state(self.config.clock(), self.config.job_seconds)
        if status not in {"completed", "failed"}:
            raise EmulatorError(
                400,
                f"Video '{params[0]}' is still {status}; only finished videos can be deleted.",
                param="video_id",
            )
        shown = self._video_json(job)
        self.store.delete(job)
        return JSONResponse(self.profile.deleted(shown))

    async def _content(self, request: Request, params: list[str]) -> Response:
        job = self._completed(params[0], "video_id", self.profile.not_ready_status)
        self.content_requests += 1
        variant = request.query_params.get("variant", "video")
        if variant not in {"video", "thumbnail", "spritesheet"}:
            raise EmulatorError(400, f"Invalid 'variant': {variant!r}.", param="variant")
        data = await run_in_threadpool(self.store.asset, job, variant, self.config.render_fps)
        etag = f'"{job.id}-{variant}-{len(data)}"'
        headers = {
            "accept-ranges": "bytes",
            "content-type": self.profile.content_type(variant),
            "etag": etag,
        }
        byte_range = parse_range(request.headers.get("range"), len(data))
        if_range = request.headers.get("if-range")
        if byte_range is None or (if_range is not None and if_range != etag):
            return Response(data, headers=headers)
        start, end = byte_range
        headers["content-range"] = f"bytes {start}-{end}/{len(data)}"
        return Response(data[start : end + 1], status_code=206, headers=headers)

    async def _remix(self, request: Request, params: list[str]) -> Response:
        fields, _ = await read_body(request)
        prompt = check_prompt(fields.get("prompt"))
        source = self._completed(params[0], "video_id")
        return self._new_job(
            request,
            prompt=prompt,
            model=source.model,
            seconds=source.seconds,
            size=source.size,
            source=source,
        )

    async def _edit(self, request: Request, _: list[str]) -> Response:
        fields, files = await read_body(request)
        prompt = check_prompt(fields.get("prompt"))
        source, seconds, size = await self._source_video(fields, files)
        model = source.model if source else "sora-2"
        return self._new_job(
            request, prompt=prompt, model=model, seconds=seconds, size=size, source=source
        )

    async def _extend(self, request: Request, _: list[str]) -> Response:
        fields, files = await read_body(request)
        prompt = check_prompt(fields.get("prompt"))
        extra = check_enum(fields.get("seconds"), "seconds", EXTENSION_SECONDS)
        source, seconds, size = await self._source_video(fields, files)
        total = str(round(float(seconds)) + int(extra))
        model = source.model if source else "sora-2"
        return self._new_job(
            request, prompt=prompt, model=model, seconds=total, size=size, source=source
        )

    async def _create_character(self, request: Request, _: list[str]) -> Response:
        fields, files = await read_body(request)
        name = check_prompt(fields.get("name"), "name", limit=MAX_NAME)
        if "video" not in files:
            raise EmulatorError(
                400, "Missing required parameter: 'video' (a video file).", param="video"
            )
        await probe_upload(files["video"], "video")
        return JSONResponse(self.store.create_character(name).to_json())

    async def _get_character(self, request: Request, params: list[str]) -> Response:
        character = self.store.characters.get(params[0])
        if character is None:
            raise EmulatorError(
                404, f"Character with id '{params[0]}' not found.", param="character_id"
            )
        return JSONResponse(character.to_json())

    # -- helpers ---------------------------------------------------------------------------------

    def _new_job(
        self,
        request: Request,
        *,
        prompt: str,
        model: str,
        seconds: str,
        size: str,
        source: Job | None = None,
        extras: dict[str, Any] | None = None,
    ) -> Response:
        self._check_running_cap(request)
        job, _ = self.store.create_job(
            model=model,
            prompt=prompt,
            size=size,
            seconds=seconds,
            extras=extras or {},
            will_fail=_marked(prompt, self.config.fail_marker, self.config.error_marker),
            failure="error" if _marked(prompt, self.config.error_marker) else "moderation",
            remixed_from_video_id=source.id if source else None,
            idempotency_key=self._idempotency_key(request),
        )
        return self._video_response(job, request)

    async def _source_video(
        self, fields: dict[str, Any], files: dict[str, IO[bytes]]
    ) -> tuple[Job | None, str, str]:
        """The video to edit or extend: a completed job by id, or an uploaded file."""
        if "video" in files:
            duration, width, height, _ = await probe_upload(files["video"], "video")
            return None, str(round(duration) or 4), f"{width - width % 2}x{height - height % 2}"
        reference = check_reference(fields.get("video"), "video")
        if "id" not in reference:
            raise EmulatorError(
                400, "'video' must be {\"id\": ...} or an uploaded file.", param="video"
            )
        source = self._completed(reference["id"], "video")
        return source, source.seconds, source.size

    # -- faults ----------------------------------------------------------------------------------

    async def _inject(self, fault: str, scope: Scope, receive: Receive, send: Send) -> None:
        slow = self.config.faults.slow_seconds
        if fault == "slow":
            await asyncio.sleep(slow)
            await self._respond(scope, receive, send)
        elif fault in BEFORE_ACTING:
            await BEFORE_ACTING[fault](send)
        else:
            answer = await _capture(self._respond, scope, receive)
            await AFTER_ACTING[fault](send, answer, scope["method"], slow)


async def _lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


def _marked(prompt: str, *markers: str) -> bool:
    """Whether ``prompt`` contains any of the (non-empty) ``markers``."""
    return any(marker and marker in prompt for marker in markers)
