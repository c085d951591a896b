"""How each ``/v1/videos`` server bends the wire format, so the emulator can imitate it.

The base ``Profile`` is OpenAI's own behaviour; each subclass overrides the hooks its server
changes. The quirks come from those projects' public code and documentation; the client's
compatibility tests (``tests/test_compatibility.py``) run its main flows against every profile.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from typing import Any, ClassVar

from ._validation import EmulatorError

__all__ = ["OTHER_CONTRACTS", "PROFILES", "Profile", "get_profile"]

CONTENT_TYPES = {"video": "video/mp4", "thumbnail": "image/webp", "spritesheet": "image/jpeg"}
OPERATIONS = frozenset(
    {
        "create",
        "list",
        "retrieve",
        "delete",
        "content",
        "remix",
        "edit",
        "extend",
        "create_character",
        "get_character",
    }
)


class Profile:
    """OpenAI's behaviour, and the hooks other servers override."""

    name: ClassVar[str] = "openai"
    prefix: ClassVar[tuple[str, ...]] = ("v1",)
    auth_header: ClassVar[str] = "authorization"
    offered: ClassVar[frozenset[str]] = OPERATIONS
    known_models_only: ClassVar[bool] = True
    extra_create_fields: ClassVar[frozenset[str]] = frozenset()
    not_ready_status: ClassVar[int] = 400
    paginates: ClassVar[bool] = (
        True  # False: ``limit`` and ``after`` are ignored, all videos come back
    )
    honours_idempotency_key: ClassVar[bool] = True  # False: every create makes a job, no echo
    max_running_jobs: ClassVar[int | None] = None  # a cap on a key's running jobs (429 beyond)
    requests_per_minute: ClassVar[int | None] = None  # a rate limit (429 with Retry-After)
    create_encodings: ClassVar[frozenset[str]] = frozenset({"json", "multipart"})
    durations: ClassVar[tuple[str, ...] | None] = None  # None: the spec's seconds
    sizes: ClassVar[tuple[str, ...] | None] = None  # None: the spec's sizes
    image_must_match_size: ClassVar[bool] = False  # a reference image of another size: 400
    image_fields: ClassVar[frozenset[str]] = frozenset({"input_reference"})
    echoed_extras: ClassVar[frozenset[str]] = frozenset()  # create fields shown on the video
    publishes_openapi: ClassVar[bool] = False  # serves its own /openapi.json (FastAPI apps)

    def size_made(self, size: str) -> str:
        """The size this server really makes for ``size`` (some change it silently)."""
        return size

    def openapi_document(self) -> dict[str, Any]:
        """The server's own OpenAPI document (``publishes_openapi``): its create operation."""
        return {"openapi": "3.1.0", "info": {"title": self.name, "version": "emulated"},
                "paths": {}}  # fmt: skip

    def encoding_refused(self, encoding: str) -> EmulatorError:
        """The answer to a create in an encoding this server does not read."""
        if encoding == "json":  # a form endpoint reads no JSON: FastAPI's "field required"
            return EmulatorError(
                422,
                "prompt: Field required (this endpoint reads multipart/form-data fields)",
                param="prompt",
                code="missing",
            )
        return EmulatorError(415, "Unsupported Media Type: send application/json")

    def video(self, body: dict[str, Any]) -> dict[str, Any]:
        """A video object as this server shows it."""
        return body

    def created(self, video: dict[str, Any]) -> dict[str, Any]:
        """The answer to a job-creating request, given the video as ``video`` shows it."""
        return video

    def video_id_out(self, video_id: str) -> str:
        """The id as this server shows it."""
        return video_id

    def video_id_in(self, video_id: str) -> str:
        """The stored id for an id this server showed (inverse of ``video_id_out``)."""
        return video_id

    def error(self, status: int, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """An error answer: status and JSON body."""
        return status, body

    def not_offered(self, operation: str) -> tuple[int, dict[str, Any]]:
        """The answer to an operation this server does not have."""
        return 404, {
            "error": {
                "message": "Not found",
                "type": "invalid_request_error",
                "param": None,
                "code": None,
            }
        }

    def check_create_request(self, content_type: str, files: Mapping[str, object]) -> None:
        """Refuse create requests this server would refuse before validation."""

    def check_list_request(self, query: dict[str, str]) -> None:
        """Refuse list requests this server would refuse."""

    def deleted(self, video: dict[str, Any]) -> dict[str, Any]:
        """The answer to a deletion."""
        return {"id": video["id"], "object": "video.deleted", "deleted": True}

    def page(self, videos: list[dict[str, Any]], has_more: bool) -> dict[str, Any]:
        """A list answer."""
        return {
            "object": "list",
            "data": videos,
            "first_id": videos[0]["id"] if videos else None,
            "last_id": videos[-1]["id"] if videos else None,
            "has_more": has_more,
        }

    def content_type(self, variant: str) -> str:
        """The Content-Type of a downloaded variant."""
        return CONTENT_TYPES[variant]


class AzureProfile(Profile):
    """Azure OpenAI v1 API: a path prefix, ``api-key`` auth, deployment names as models, error
    bodies with extra fields and ``code`` null."""

    name = "azure"
    prefix = ("openai", "v1")
    auth_header = "api-key"
    known_models_only = False

    def error(self, status: int, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        error = dict(body["error"])
        error["code"] = None
        error["innererror"] = {"code": "ResponsibleAIPolicyViolation" if status == 400 else "Other"}
        return status, {"error": error}


class LiteLLMProfile(Profile):
    """LiteLLM proxy: ids re-encoded as ``video_`` + standard base64 (``+``, ``/``, ``=``), no
    ``prompt``, a ``usage`` block, no DELETE (405 ``{"detail"}``), list needs
    ``custom_llm_provider``, content always labelled ``video/mp4``."""

    name = "litellm"
    offered = OPERATIONS - {"delete"}
    _marker = b"\xfb\xff litellm:openai;"  # makes the encoding start with "+/"

    def video(self, body: dict[str, Any]) -> dict[str, Any]:
        shown = {key: value for key, value in body.items() if key != "prompt"}
        shown["usage"] = {"duration_seconds": float(body["seconds"])}
        return shown

    def video_id_out(self, video_id: str) -> str:
        return "video_" + base64.b64encode(self._marker + video_id.encode()).decode()

    def video_id_in(self, video_id: str) -> str:
        try:
            raw = base64.b64decode(video_id.removeprefix("video_"), validate=True)
        except (binascii.Error, ValueError):
            return video_id
        return raw.removeprefix(self._marker).decode(errors="replace")

    def not_offered(self, operation: str) -> tuple[int, dict[str, Any]]:
        return 405, {"detail": "Method Not Allowed"}

    def check_list_request(self, query: dict[str, str]) -> None:
        if "custom_llm_provider" not in query:
            raise EmulatorError(
                400, "custom_llm_provider is required to list videos", param="custom_llm_provider"
            )

    def content_type(self, variant: str) -> str:
        return "video/mp4"


class VLLMOmniProfile(Profile):
    """vLLM-Omni (and NVIDIA Dynamo in front of it): integer ``error.code``, ``size`` null while
    queued, extra fields, extra create parameters (``seed`` and ``negative_prompt`` shown on the
    video), a reference image as JSON ``image_reference``, its own ``/openapi.json``, no
    remix/edits/extensions/characters (``vllm_omni/entrypoints/openai/protocol/videos.py``)."""

    name = "vllm-omni"
    offered = frozenset({"create", "list", "retrieve", "delete", "content"})
    known_models_only = False
    extra_create_fields = frozenset(
        {"seed", "negative_prompt", "num_inference_steps", "guidance_scale", "fps",
         "generate_sound", "image_reference"}
    )  # fmt: skip
    image_fields = frozenset({"image_reference"})
    echoed_extras = frozenset({"seed", "negative_prompt", "generate_sound"})
    publishes_openapi = True

    def openapi_document(self) -> dict[str, Any]:
        """As FastAPI serves vLLM-Omni's: ``VideoGenerationRequest`` as a JSON body."""
        string, integer = {"type": "string"}, {"type": "integer"}
        request = {
            "type": "object",
            "required": ["prompt"],
            "properties": {
                "prompt": string, "model": string, "seconds": string, "size": string,
                "seed": {"anyOf": [integer, {"type": "null"}]},
                "negative_prompt": {"anyOf": [string, {"type": "null"}]},
                "generate_sound": {"type": "boolean", "default": False},
                "num_inference_steps": integer, "guidance_scale": {"type": "number"},
                "fps": integer,
                "image_reference": {"$ref": "#/components/schemas/ImageReference"},
            },
        }  # fmt: skip
        body = {"$ref": "#/components/schemas/VideoGenerationRequest"}
        return {
            "openapi": "3.1.0",
            "info": {"title": "vLLM-Omni", "version": "emulated"},
            "paths": {
                "/v1/videos": {
                    "post": {"requestBody": {"content": {"application/json": {"schema": body}}}}
                }
            },
            "components": {
                "schemas": {
                    "VideoGenerationRequest": request,
                    "ImageReference": {
                        "type": "object",
                        "properties": {"image_url": string, "file_id": string},
                    },
                }
            },
        }

    def video(self, body: dict[str, Any]) -> dict[str, Any]:
        shown = {**body, "inference_time_s": 1.25, "peak_memory_mb": 20480}
        if body["status"] == "queued":
            shown["size"] = None
        if body["error"]:
            shown["error"] = {"code": 500, "message": body["error"]["message"]}
        return shown


class SGLangProfile(Profile):
    """SGLang diffusion / FastVideo: JSON create only (multipart without a file is refused), no
    ``prompt``, ``size`` may be "", ``error`` without ``code``, lists without cursors, DELETE
    answers with the video (``status: deleted``), content before completion is 404 ``{"detail"}``."""

    name = "sglang"
    known_models_only = False
    not_ready_status = 404
    paginates = False

    def video(self, body: dict[str, Any]) -> dict[str, Any]:
        shown = {key: value for key, value in body.items() if key != "prompt"}
        shown["size"] = ""
        if body["error"]:
            shown["error"] = {"message": body["error"]["message"]}
        return shown

    def error(self, status: int, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        return status, {"detail": body["error"]["message"]}

    def check_create_request(self, content_type: str, files: Mapping[str, object]) -> None:
        if content_type.startswith("multipart/form-data") and not files:
            raise EmulatorError(422, "multipart request without a file; send JSON")

    def deleted(self, video: dict[str, Any]) -> dict[str, Any]:
        return {**video, "status": "deleted"}

    def page(self, videos: list[dict[str, Any]], has_more: bool) -> dict[str, Any]:
        return {"object": "list", "data": videos}


class NewAPIProfile(Profile):
    """New API / one-api gateways: status ``unknown`` at first, absent instead of null fields,
    ``created_at`` in milliseconds, extra ``task_id``, ``usage``, ``metadata``."""

    name = "newapi"
    known_models_only = False

    def video(self, body: dict[str, Any]) -> dict[str, Any]:
        shown = {key: value for key, value in body.items() if value is not None}
        shown["created_at"] = body["created_at"] * 1000
        if body["status"] == "queued":
            shown["status"] = "unknown"
        shown["task_id"] = f"task_{body['id'].removeprefix('video_')[:12]}"
        shown["usage"] = {"total_tokens": 0}
        shown["metadata"] = {"channel": "emulator"}
        return shown


class NewAPITaskProfile(Profile):
    """New API from v1.0.0-rc.30 (QuantumNous/new-api issue 7194): a create is answered with
    ``{"task_id": ...}`` alone (PR 1988); a video is the task shape, ``task_id`` and no ``id``,
    statuses ``NOT_START``/``IN_PROGRESS``/``SUCCESS``/``FAILURE``, ``progress`` as ``"45%"``,
    ``fail_reason``, ``finished_at``; no ``model``, ``seconds``, ``size``; no remix or
    extensions."""

    name = "newapi-task"
    known_models_only = False
    offered = OPERATIONS - {"remix", "extend"}
    _STATUSES: ClassVar[dict[str, str]] = {
        "queued": "NOT_START",
        "in_progress": "IN_PROGRESS",
        "completed": "SUCCESS",
        "failed": "FAILURE",
    }

    def video(self, body: dict[str, Any]) -> dict[str, Any]:
        error = body["error"]
        return {
            "task_id": body["id"],
            "status": self._STATUSES.get(body["status"], "UNKNOWN"),
            "progress": f"{body['progress']}%",
            "fail_reason": error["message"] if error else "",
            "created_at": body["created_at"],
            "finished_at": body["completed_at"] or 0,
            "platform": "1",
        }

    def created(self, video: dict[str, Any]) -> dict[str, Any]:
        return {"task_id": video["task_id"]}

    def deleted(self, video: dict[str, Any]) -> dict[str, Any]:
        return super().deleted({"id": video["task_id"]})

    def page(self, videos: list[dict[str, Any]], has_more: bool) -> dict[str, Any]:
        ids = [video["task_id"] for video in videos]
        return {
            "object": "list",
            "data": videos,
            "first_id": ids[0] if ids else None,
            "last_id": ids[-1] if ids else None,
            "has_more": has_more,
        }

    def video_id_out(self, video_id: str) -> str:
        return "task_" + video_id.removeprefix("video_")

    def video_id_in(self, video_id: str) -> str:
        return "video_" + video_id.removeprefix("task_")


class LiteLLMRunwayProfile(LiteLLMProfile):
    """LiteLLM's proxy in front of Runway, as before BerriAI/litellm PR 38115 (and gateways that
    pass provider values through): ``progress`` is Runway's fraction from 0 to 1."""

    name = "litellm-runway"

    def video(self, body: dict[str, Any]) -> dict[str, Any]:
        return {**super().video(body), "progress": body["progress"] / 100}


class GatewayNullsProfile(Profile):
    """A gateway that leaves fields the spec requires null until the job is done: ``model`` and
    ``seconds`` (reported for gateways fronting other providers)."""

    name = "gateway-nulls"
    known_models_only = False

    def video(self, body: dict[str, Any]) -> dict[str, Any]:
        if body["status"] in {"completed", "failed"}:
            return body
        return {**body, "model": None, "seconds": None}


class IgnoresIdempotencyProfile(Profile):
    """A gateway that ignores ``Idempotency-Key``: it neither echoes the header nor answers a
    repeated create with the job it made, so every create that reaches it is a new paid job.

    Many relays forward only the body; Comfy-Org/comfy-api-proxy PR 7 ("the Idempotency-Key
    header was accepted but unenforced -- a retried submit ran again") is one public case.
    """

    name = "ignores-idempotency"
    honours_idempotency_key = False


class SoraImagesProfile(Profile):
    """OpenAI's own rule for reference images: one of another size than the requested ``size``
    is refused ("Inpaint image must match the requested width and height",
    MicrosoftLearning/mslearn-ai-vision#78)."""

    name = "sora-images"
    image_must_match_size = True


class FormOnlyProfile(Profile):
    """A self-hosted server whose create is a form endpoint: a JSON body is refused as if its
    fields were missing (the refusals BerriAI/litellm#36493, #38104, #38148 report)."""

    name = "form-only"
    create_encodings = frozenset({"multipart"})
    known_models_only = False


class LiteLLMVeoProfile(LiteLLMProfile):
    """LiteLLM's proxy in front of Veo: 4, 6 or 8 seconds (others refused); a size Veo does
    not know is made 16:9 without a word (BerriAI/litellm#25348); ``seed``, ``negativePrompt``
    and ``generateAudio`` pass through."""

    name = "litellm-veo"
    known_models_only = False
    durations = ("4", "6", "8")
    sizes = ("1280x720", "720x1280", "1920x1080", "1080x1920", "1024x1792", "1792x1024")
    extra_create_fields = frozenset({"seed", "negativePrompt", "generateAudio"})
    echoed_extras = extra_create_fields

    def size_made(self, size: str) -> str:
        return size if size in {"1280x720", "720x1280", "1920x1080", "1080x1920"} else "1280x720"


class XAIProfile(Profile):
    """xAI's Grok Imagine: the same ``/v1/videos`` prefix, another contract: ``POST
    /v1/videos/generations`` answers ``{"request_id"}``, ``GET /v1/videos/{request_id}``
    answers ``{"status": "pending" | "done"}``; there is no ``GET /v1/videos`` (reference
    video-servers-2026-11: apidog.com/jp/blog/grok-text-to-video-api)."""

    name = "xai"
    offered = frozenset({"retrieve", "generate"})
    known_models_only = False

    def video(self, body: dict[str, Any]) -> dict[str, Any]:
        done = body["status"] in {"completed", "failed"}
        shown: dict[str, Any] = {"status": "done" if done else "pending"}
        if done:
            shown["video"] = {"url": f"https://vidgen.x.ai/{body['id']}.mp4", "duration": 4}
        return shown


PROFILES: dict[str, type[Profile]] = {
    profile.name: profile
    for profile in (
        Profile,
        AzureProfile,
        LiteLLMProfile,
        VLLMOmniProfile,
        SGLangProfile,
        NewAPIProfile,
        NewAPITaskProfile,
        LiteLLMRunwayProfile,
        GatewayNullsProfile,
        IgnoresIdempotencyProfile,
        SoraImagesProfile,
        FormOnlyProfile,
        LiteLLMVeoProfile,
    )
}


# Servers at the same paths with another contract: the client must tell them apart.
OTHER_CONTRACTS: dict[str, type[Profile]] = {"xai": XAIProfile}


def get_profile(name: str) -> Profile:
    """The profile called ``name``."""
    try:
        return {**PROFILES, **OTHER_CONTRACTS}[name]()
    except KeyError:
        known = ", ".join(sorted({*PROFILES, *OTHER_CONTRACTS}))
        msg = f"unknown profile {name!r}; known: {known}"
        raise ValueError(msg) from None
