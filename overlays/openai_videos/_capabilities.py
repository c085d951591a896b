"""What each family of ``/v1/videos`` servers accepts, as data with a public source per fact.

A client is given one (``capabilities="vllm-omni"``, or a ``Capabilities`` of your own; the
spec's by default); ``create`` checks its arguments against it before any request, writes the
common extras (``seed``, ``negative_prompt``, ``audio``) under the server's own names, and
sends a reference image the way the server takes it. ``openai-videos check`` recommends a
family, or derives one from the server's own OpenAPI document (``_openapi``). No I/O.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any

import attrs

__all__ = [
    "CAPABILITIES",
    "Capabilities",
    "ExtraField",
    "ImageLimits",
    "ImageTransport",
    "Transport",
    "get_capabilities",
]

ALL_OPERATIONS = frozenset(
    {"create", "list", "retrieve", "delete", "content", "remix", "edit", "extend",
     "create_character", "get_character"}
)  # fmt: skip
COMMON_FORMATS = frozenset({"image/jpeg", "image/png", "image/webp"})


class Transport(enum.StrEnum):
    """How a reference image travels in a create."""

    FILE = "file"  # a multipart file part
    OBJECT = "object"  # JSON ``{"image_url": URL or data URI}`` (or ``{"file_id": ...}``)
    STRING = "string"  # JSON string: a URL or a data URI


@attrs.frozen
class ImageTransport:
    """One way the server takes a reference image: the transport and the field's name."""

    kind: Transport
    field: str = "input_reference"


@attrs.frozen
class ImageLimits:
    """What a server accepts as a reference image (None: no known limit)."""

    formats: frozenset[str] = COMMON_FORMATS
    max_bytes: int | None = None  # of the image itself
    max_data_uri_bytes: int | None = None  # of the image sent inline as a data URI
    max_side: int | None = None  # pixels, either side
    exact_size: bool = False  # must be exactly the requested ``size``


@attrs.frozen
class ExtraField:
    """A common extra as one server names it: ``wire`` may be dotted (``metadata.sound``, a
    field inside an object); ``values`` maps ours to the server's (``True`` to ``"on"``)."""

    wire: str
    values: Mapping[Any, Any] | None = None

    def encode(self, value: Any) -> Any:
        return self.values.get(value, value) if self.values else value


@attrs.frozen
class Capabilities:
    """One server family's contract beyond the spec.

    Attributes:
        name: How users choose it (``capabilities="litellm-veo"``).
        description: Which servers it describes.
        operations: The operations it offers.
        encodings: Create bodies it accepts, preferred first: ``"json"``, ``"multipart"``.
        image_transports: How it takes a reference image, preferred first (empty: it takes
            none).
        image: Limits on a reference image.
        sizes: The sizes it makes as asked (None: any; others are changed or refused).
        durations: The seconds it makes as asked (None: any).
        extras: Common extras it honours (``seed``, ``negative_prompt``, ``audio``), with
            its names for them.
        sources: The public source of each fact, by attribute name.
    """

    name: str
    description: str
    operations: frozenset[str] = ALL_OPERATIONS
    encodings: tuple[str, ...] = ("json", "multipart")
    image_transports: tuple[ImageTransport, ...] = (
        ImageTransport(Transport.FILE),
        ImageTransport(Transport.OBJECT),
    )
    image: ImageLimits = ImageLimits()
    sizes: tuple[str, ...] | None = None
    durations: tuple[int, ...] | None = None
    extras: Mapping[str, ExtraField] = attrs.field(factory=dict)
    sources: Mapping[str, str] = attrs.field(factory=dict)

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready description (``check --json``, the README's tables)."""
        return {
            "name": self.name,
            "description": self.description,
            "operations": sorted(self.operations),
            "encodings": list(self.encodings),
            "image_transports": [f"{t.kind} {t.field}" for t in self.image_transports],
            "image": {
                "formats": sorted(self.image.formats),
                "max_bytes": self.image.max_bytes,
                "max_data_uri_bytes": self.image.max_data_uri_bytes,
                "max_side": self.image.max_side,
                "exact_size": self.image.exact_size,
            },
            "sizes": list(self.sizes) if self.sizes is not None else None,
            "durations": list(self.durations) if self.durations is not None else None,
            "extras": {name: field.wire for name, field in self.extras.items()},
            "sources": dict(self.sources),
        }


_LITELLM_VIDEOS = "BerriAI/litellm litellm/llms/{}/videos/transformation.py"

CAPABILITIES: dict[str, Capabilities] = {
    family.name: family
    for family in (
        Capabilities(
            name="openai",
            description="The spec as OpenAI served it (Sora); servers that follow it to the letter",
            image=ImageLimits(exact_size=True),
            sources={
                "operations": "openapi.yaml (the ten /videos operations)",
                "encodings": "openapi.yaml: CreateVideoJsonBody and CreateVideoMultipartBody",
                "image_transports": "openai-python types/video_create_params.py (file, or "
                "{image_url | file_id})",
                "image": "MicrosoftLearning/mslearn-ai-vision#78 ('Inpaint image must match the "
                "requested width and height'); docs.apiyi.com sora-2 image-to-video "
                "(jpeg/png/webp)",
                "extras": "openapi.yaml: no seed, negative prompt or audio field",
            },
        ),
        Capabilities(
            name="litellm-veo",
            description="LiteLLM's proxy in front of Google Veo 3.x (gemini/, vertex_ai/)",
            operations=frozenset({"create", "retrieve", "content", "list"}),
            sizes=("1280x720", "720x1280", "1920x1080", "1080x1920"),
            durations=(4, 6, 8),
            extras={
                "seed": ExtraField("seed"),
                "negative_prompt": ExtraField("negativePrompt"),
                "audio": ExtraField("generateAudio"),
            },
            sources={
                "operations": _LITELLM_VIDEOS.format("gemini") + " (no remix, no delete)",
                "sizes": "BerriAI/litellm#25348 (a size Veo does not know becomes 16:9)",
                "durations": "replicate.com/google/veo-3.1 schema (4, 6 or 8 s; 1080p only at 8)",
                "extras": _LITELLM_VIDEOS.format("gemini")
                + " (negativePrompt, seed, generateAudio pass through)",
                "image": "replicate.com/google/veo-3.1 ('Ideal images are 16:9 or 9:16 and "
                "1280x720 or 720x1280')",
            },
        ),
        Capabilities(
            name="litellm-runway",
            description="LiteLLM's proxy in front of Runway gen4 / gen4.5",
            operations=frozenset({"create", "retrieve", "content", "list"}),
            image_transports=(ImageTransport(Transport.OBJECT),),
            image=ImageLimits(max_bytes=16 * 2**20, max_data_uri_bytes=5 * 2**20),
            extras={"seed": ExtraField("seed")},
            sources={
                "operations": _LITELLM_VIDEOS.format("runwayml"),
                "image_transports": _LITELLM_VIDEOS.format("runwayml")
                + " (promptImage from a URL or data URI)",
                "image": "docs.dev.runwayml.com/assets/inputs/ (URL <= 16 MB, data URI <= 5 MB)",
                "extras": _LITELLM_VIDEOS.format("runwayml") + " (extras pass through)",
            },
        ),
        Capabilities(
            name="litellm-minimax",
            description="LiteLLM's proxy in front of MiniMax Hailuo / H3",
            operations=frozenset({"create", "retrieve", "content", "list"}),
            image=ImageLimits(max_side=4096),
            sources={
                "operations": _LITELLM_VIDEOS.format("minimax") + " (remix unsupported)",
                "image": "unslothai/unsloth#9069 (MiniMax H3: at most 4096 px a side)",
            },
        ),
        Capabilities(
            name="vllm-omni",
            description="vLLM-Omni serving Wan, HunyuanVideo or MiniMax-H3 (and Dynamo before it)",
            operations=frozenset({"create", "list", "retrieve", "delete", "content"}),
            encodings=("json", "multipart"),
            image_transports=(ImageTransport(Transport.OBJECT, "image_reference"),),
            extras={
                "seed": ExtraField("seed"),
                "negative_prompt": ExtraField("negative_prompt"),
                "audio": ExtraField("generate_sound"),
            },
            sources={
                "operations": "vllm-project/vllm-omni entrypoints/openai (no remix, edits, "
                "extensions or characters)",
                "image_transports": "vllm_omni/entrypoints/openai/protocol/videos.py "
                "(image_reference {image_url | file_id})",
                "extras": "vllm_omni/entrypoints/openai/protocol/videos.py (seed, "
                "negative_prompt, generate_sound default false)",
            },
        ),
        Capabilities(
            name="sglang",
            description="SGLang diffusion / FastVideo",
            operations=frozenset({"create", "list", "retrieve", "delete", "content"}),
            encodings=("json",),
            image_transports=(ImageTransport(Transport.OBJECT),),
            sources={
                "encodings": "BerriAI/litellm#36493, #38104, #38148 (self-hosted servers "
                "refusing multipart without a file)",
                "operations": "sgl-project/sglang multimodal_gen openai video routes",
            },
        ),
        Capabilities(
            name="newapi-kling",
            description="New API / one-api gateways in front of Kling (second-hand facts)",
            operations=frozenset({"create", "list", "retrieve", "delete", "content"}),
            encodings=("json",),
            image_transports=(ImageTransport(Transport.STRING, "image"),),
            image=ImageLimits(max_bytes=10 * 2**20),
            durations=tuple(range(3, 16)),
            extras={
                "negative_prompt": ExtraField("metadata.negative_prompt"),
                "audio": ExtraField("metadata.sound", {True: "on", False: "off"}),
            },
            sources={
                "extras": "newapi.pro/en/api/generate-video (vendor fields in metadata); "
                "Kling's sound on/off (reference video-servers-2026-11, Kling row)",
                "durations": "Kling 3.0: 3 to 15 s (huggingface.co/AI-APIs/Kling-API)",
                "image_transports": "novita.ai Kling v3.0 image-to-video ('image': a string)",
                "image": "kie.ai/kling-2-6 (JPEG, PNG, WebP, at most 10 MB)",
                "encodings": "QuantumNous/new-api#2004 (the OpenAI SDK's JSON create)",
            },
        ),
    )
}


def get_capabilities(value: str | Capabilities | None) -> Capabilities:
    """A family by name (None: the spec's), or a ``Capabilities`` as given.

    Raises:
        ValueError: No family has that name.
    """
    if isinstance(value, Capabilities):
        return value
    name = value or "openai"
    try:
        return CAPABILITIES[name]
    except KeyError:
        known = ", ".join(sorted(CAPABILITIES))
        msg = f"no server family is named {name!r}; known: {known} (or pass a Capabilities)"
        raise ValueError(msg) from None
