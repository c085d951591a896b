"""The checks that cost nothing: authentication, list, error shape, retrieve, content."""

from __future__ import annotations

from typing import Any

import httpx

from .._options import auth_headers
from ._probe import Probe
from ._read import body_of, error_param, excerpt, guess_query_value, ids, segment, video_notes
from ._report import OperationReport

UNKNOWN_ID = "video_openai_videos_check_does_not_exist"


def check_auth(probe: Probe) -> OperationReport:
    result = OperationReport("authentication")
    anonymous = probe.get("/videos", params={"limit": 1}, authenticated=False)
    if anonymous.status_code < 400:
        result.notes.append("answers requests without an API key")
    if not probe.api_key:
        result.outcome = "not checked" if anonymous.status_code in {401, 403} else "ok"
        if result.outcome == "not checked":
            result.notes.append("the server wants a key: pass --api-key")
        return result
    if probe.get("/videos", params={"limit": 1}).status_code in {401, 403}:
        probe.auth_header = "api-key"
        if probe.get("/videos", params={"limit": 1}).status_code in {401, 403}:
            probe.auth_header = "Authorization"
            result.outcome = "fails"
            result.notes.append("the key is refused as a bearer token and as api-key")
            return result
        result.deviates("wants the key in an api-key header, not Authorization: Bearer")
    wrong = probe.get(
        "/videos",
        params={"limit": 1},
        headers=auth_headers("sk-wrong", probe.auth_header),
        authenticated=False,
    )
    if wrong.status_code not in {401, 403}:
        result.notes.append(f"a wrong key gets {wrong.status_code}, not 401")
    return result


def check_list(probe: Probe) -> OperationReport:
    result = OperationReport("list")
    response = probe.get("/videos", params={"limit": 2})
    param = error_param(response)
    if response.status_code == 400 and param and param not in {"limit", "order", "after"}:
        probe.default_query[param] = guess_query_value(param)
        result.deviates(f"refuses a list without the query parameter {param!r}")
        response = probe.get("/videos", params={"limit": 2})
    if response.status_code in {404, 405}:
        result.outcome = "not offered"
        return result
    body = body_of(response)
    if response.status_code != 200 or not isinstance(body, dict):
        result.outcome = "fails"
        result.notes.append(f"answered {response.status_code}: {excerpt(response)}")
        return result
    if body.get("object") != "list":
        result.deviates(f"object is {body.get('object')!r}, not 'list'")
    data = body.get("data")
    if not isinstance(data, list):
        result.outcome = "fails"
        result.notes.append("no data array")
        return result
    missing = [key for key in ("has_more", "first_id", "last_id") if key not in body]
    if missing:
        result.deviates(f"no {', '.join(missing)} (pagination ends after one page)")
    videos = [item for item in data if isinstance(item, dict)]
    probe.videos_seen += videos
    for note in video_notes(videos):
        result.deviates(note)
    if not videos:
        result.notes.append("no videos yet: shapes of a video not checked (try --create)")
    elif body.get("has_more") and body.get("last_id"):
        after = body_of(probe.get("/videos", params={"limit": 2, "after": body["last_id"]}))
        page = after.get("data") if isinstance(after, dict) else None
        if not isinstance(page, list):
            result.deviates("the page after the first is not a list object with data")
        elif ids(page) & ids(videos):
            result.deviates("the 'after' cursor returns the same videos again")
    return result


def check_retrieve(probe: Probe) -> OperationReport:
    result = OperationReport("retrieve")
    known = next((v.get("id") or v.get("task_id") for v in probe.videos_seen), None)
    if not isinstance(known, str):
        result.outcome = "not checked"
        result.notes.append("no video to retrieve (try --create)")
        return result
    response = probe.get(f"/videos/{segment(known)}")
    body = body_of(response)
    if response.status_code != 200 or not isinstance(body, dict):
        result.outcome = "fails"
        result.notes.append(f"answered {response.status_code}: {excerpt(response)}")
        return result
    probe.videos_seen.append(body)
    for note in video_notes([body]):
        result.deviates(note)
    if "openai-poll-after-ms" not in response.headers:
        result.notes.append("sends no openai-poll-after-ms (the client polls every second)")
    return result


def check_error_shape(probe: Probe) -> OperationReport:
    result = OperationReport("errors")
    response = probe.get(f"/videos/{UNKNOWN_ID}")
    if response.status_code != 404:
        result.deviates(f"an unknown id gets {response.status_code}, not 404")
    body = body_of(response)
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        keys = sorted(body) if isinstance(body, dict) else type(body).__name__
        result.deviates(f"error body is not {{'error': {{...}}}} but {keys}")
    else:
        absent = [k for k in ("message", "type", "param", "code") if k not in error]
        if absent:
            result.deviates(f"error object lacks {', '.join(absent)}")
        elif error.get("code") is None:
            result.notes.append("error.code is null")
    return result


def check_content(probe: Probe, video_id: str | None) -> OperationReport:
    result = OperationReport("content")
    if video_id is None:
        result.outcome = "not checked"
        result.notes.append("no completed video to download (try --create)")
        return result
    response = probe.get(
        f"/videos/{segment(video_id)}/content", headers={"Range": "bytes=0-0"}, media=True
    )
    if response.is_redirect:
        location = response.headers.get("location", "")
        result.notes.append(f"redirects to {httpx.URL(location).host or 'the same host'}")
        target = response.url.join(location)
        response = probe.send(
            "GET", target, headers={"Range": "bytes=0-0"}, authenticated=False, media=True
        )
    if response.status_code == 206:
        result.notes.append("supports Range (downloads resume)")
    elif response.status_code == 200:
        result.deviates("ignores Range (a broken download starts over)")
    else:
        result.outcome = "fails"
        result.notes.append(f"answered {response.status_code}: {excerpt(response)}")
        return result
    media = response.headers.get("content-type", "")
    if not media.startswith(("video/", "application/octet-stream")):
        result.deviates(f"content type {media!r}, not video/mp4")
    return result


def read_openapi(probe: Probe) -> Any:
    """The server's own OpenAPI document (``/openapi.json`` at its root, where FastAPI apps
    serve it, then beside the API), or None. Read within the probe's limits."""
    url = httpx.URL(probe.base_url)
    for candidate in (url.copy_with(path="/openapi.json", query=None),
                      httpx.URL(probe.base_url + "/openapi.json")):  # fmt: skip
        response = probe.get(candidate)
        if response.status_code == 200:
            document = body_of(response)
            if isinstance(document, dict) and "paths" in document:
                return document
    return None


def other_contract(probe: Probe) -> str | None:
    """A name for another API at the same paths, or None. xAI serves ``POST
    /videos/generations`` (``request_id``, ``pending``/``done``); asked with an empty body (no
    prompt: no job can be made) it refuses the body, where a ``/v1/videos`` server has no
    such route."""
    response = probe.send("POST", "/videos/generations", json={})
    if response.status_code in {400, 422}:
        return (
            "xai: another API lives at /videos (POST /videos/generations, request_id, "
            "pending/done; xAI Grok Imagine); this client does not speak it"
        )
    return None
