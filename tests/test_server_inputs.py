"""Inputs that servers accept (issue 22): reference images made the requested size and sent
the way each server takes them, common extras under each server's names, sizes and durations a
server would change refused before any request, the create encoding learned from a refusal,
and ``check`` reading a server's own OpenAPI document or naming another contract."""

from __future__ import annotations

import contextlib
import io
import json
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner
from PIL import Image
from test_compatibility import SETUP

from openai_videos import OpenAIVideos
from openai_videos._capabilities import CAPABILITIES, Capabilities, ImageLimits
from openai_videos._check import run_check
from openai_videos._check._openapi import capabilities_from_openapi
from openai_videos._cli import cli
from openai_videos._create_request import UnsupportedParameter
from openai_videos._errors import BadRequestError
from openai_videos._images import ImageError, inspect
from openai_videos_emulator import PROFILES, EmulatorConfig, run_emulator
from openai_videos_emulator._profiles import VLLMOmniProfile

ROOT = Path(__file__).resolve().parent.parent
# The capabilities a user of each emulated server chooses (``check`` recommends them).
FAMILY = {
    "vllm-omni": "vllm-omni",
    "sglang": "sglang",
    "litellm-runway": "litellm-runway",
    "litellm-veo": "litellm-veo",
}
# How each server takes a reference image (what the emulator records receiving).
TRANSPORT = {"vllm-omni": "image_url", "sglang": "image_url", "litellm-runway": "image_url"}


def picture(width: int, height: int, kind: str = "PNG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 40, 40)).save(buffer, format=kind)
    return buffer.getvalue()


@pytest.fixture
def emulated(request: pytest.FixtureRequest) -> Iterator[tuple[Any, OpenAIVideos]]:
    name = request.param
    setup = SETUP[name]
    config = EmulatorConfig(profile=name, job_seconds=0.2, render_fps=2,
                            api_key=setup.get("server_key"))  # fmt: skip
    options = {**setup["client"], "capabilities": FAMILY.get(name)}
    with run_emulator(config) as server, OpenAIVideos(base_url=server.base_url, **options) as c:
        yield server, c


@pytest.mark.parametrize("emulated", sorted(PROFILES), indirect=True)
def test_a_square_image_padded_to_the_size_makes_a_job_on_every_server(
    emulated: tuple[Any, OpenAIVideos],
) -> None:
    server, client = emulated
    name = server.app.profile.name
    create = {k: v for k, v in SETUP[name]["create"].items() if k != "extra_body"}
    video = client.create(
        "From a square photo", size="720x1280", input_reference=picture(1000, 1000),
        fit="pad", **create,
    )  # fmt: skip
    assert video.id and server.jobs_created == 1
    assert server.app.received_images == [(TRANSPORT.get(name, "file"), 720, 1280)]


def test_without_fit_a_mismatch_is_refused_before_any_request_naming_the_fix() -> None:
    with (
        run_emulator(EmulatorConfig(profile="sora-images")) as server,
        OpenAIVideos(base_url=server.base_url) as client,
        pytest.raises(ImageError, match=r"fit='crop'.*fit='pad'"),
    ):
        client.create("x", size="720x1280", input_reference=picture(1000, 1000))
    assert server.app.requests_served == 0


def test_the_server_refuses_a_mismatch_with_its_own_words() -> None:
    """Without the client's check (a family that does not know the rule), OpenAI's answer."""
    lenient = Capabilities(name="lenient", description="no size rule")
    with (
        run_emulator(EmulatorConfig(profile="sora-images")) as server,
        OpenAIVideos(base_url=server.base_url, capabilities=lenient) as client,
        pytest.raises(BadRequestError, match="Inpaint image must match the requested width"),
    ):
        client.create("x", size="720x1280", input_reference=picture(1000, 1000))
    assert server.jobs_created == 0


@pytest.mark.parametrize(
    ("fit", "corner"),
    [("pad", (0, 0, 0)), ("crop", (200, 40, 40)), ("stretch", (200, 40, 40))],
)
def test_each_fit_makes_the_exact_size(fit: str, corner: tuple[int, int, int]) -> None:
    from openai_videos._images import fit_image

    fitted = fit_image(inspect(picture(1000, 1000)), "720x1280", fit)
    assert (fitted.width, fitted.height, fitted.mime_type) == (720, 1280, "image/png")
    assert fitted.content is not None
    with Image.open(io.BytesIO(fitted.content)) as image:
        assert image.getpixel((0, 0)) == corner  # pad adds black bars; the others fill


def test_image_headers_are_read_without_decoding() -> None:
    for kind, mime in (("PNG", "image/png"), ("JPEG", "image/jpeg"), ("WEBP", "image/webp")):
        found = inspect(picture(640, 360, kind))
        assert (found.mime_type, found.width, found.height) == (mime, 640, 360)
    lossless = io.BytesIO()
    Image.new("RGB", (33, 17)).save(lossless, format="WEBP", lossless=True)
    assert inspect(lossless.getvalue()).size == "33x17"
    assert inspect(b"not an image").size is None


def test_limits_of_each_family_are_checked_before_sending() -> None:
    big = inspect(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + (5000).to_bytes(4, "big") * 2)
    with pytest.raises(ImageError, match="at most 4096 px a side"):
        big.check(CAPABILITIES["litellm-minimax"].image, None, inline=False)
    inline = inspect(picture(64, 64)[:24] + bytes(6 * 2**20))
    with pytest.raises(ImageError, match="at most 5,242,880 sent inline"):
        inline.check(CAPABILITIES["litellm-runway"].image, None, inline=True)
    gif = inspect(b"GIF89a" + bytes(20))
    gif = type(gif)(gif.content, "image/gif")
    with pytest.raises(ImageError, match="takes JPEG, PNG, WEBP"):
        gif.check(ImageLimits(), None, inline=False)


def test_a_url_is_passed_on_and_plain_http_is_refused(api: Any) -> None:
    client = OpenAIVideos(base_url="http://127.0.0.1/v1", http_client=httpx.Client(transport=httpx.MockTransport(api)))  # fmt: skip
    client.create("x", input_reference="https://example.test/cat.png")
    assert api.json_bodies()[0]["input_reference"] == {"image_url": "https://example.test/cat.png"}
    with pytest.raises(ImageError, match="must be https"):
        client.create("x", input_reference="http://example.test/cat.png")
    with pytest.raises(ImageError, match="fit needs the image itself"):
        client.create("x", size="720x1280", input_reference="https://e.test/a.png", fit="crop")
    client.create("x", input_reference=Image.new("RGB", (8, 8)))  # a Pillow image: uploaded
    assert b"image/png" in api.requests[-1].content


def test_a_seed_reaches_a_server_that_takes_it_under_its_own_name() -> None:
    with (
        run_emulator(EmulatorConfig(profile="vllm-omni", job_seconds=0.2)) as server,
        OpenAIVideos(base_url=server.base_url, capabilities="vllm-omni") as client,
    ):
        video = client.create("x", seed=42, negative_prompt="blurry", audio=True)
    shown = video.additional_properties
    assert (shown["seed"], shown["negative_prompt"], shown["generate_sound"]) == (
        42,
        "blurry",
        True,
    )


def test_a_seed_a_server_lacks_raises_before_any_request_or_is_dropped() -> None:
    with (
        run_emulator(EmulatorConfig(job_seconds=0.2)) as server,
        OpenAIVideos(base_url=server.base_url) as client,  # the spec: no seed
    ):
        with pytest.raises(UnsupportedParameter, match="seed is not a parameter of openai"):
            client.create("x", seed=42)
        assert server.app.requests_served == 0
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            client.create("x", seed=42, unsupported="drop")
        assert "dropped" in str(caught[0].message) and server.jobs_created == 1


def test_extras_are_written_where_and_as_the_server_wants_them(api: Any) -> None:
    http = httpx.Client(transport=httpx.MockTransport(api))
    with OpenAIVideos(base_url="http://127.0.0.1/v1", http_client=http,
                      capabilities="newapi-kling") as client:  # fmt: skip
        client.create("x", negative_prompt="fog", audio=True, seconds=5)
    body = api.json_bodies()[0]
    assert body["metadata"] == {"negative_prompt": "fog", "sound": "on"} and body["seconds"] == "5"


def test_a_veo_server_refuses_five_seconds_before_any_request() -> None:
    config = EmulatorConfig(profile="litellm-veo", job_seconds=0.2)
    with run_emulator(config) as server:
        query = {"custom_llm_provider": "gemini"}
        with OpenAIVideos(base_url=server.base_url, capabilities="litellm-veo",
                          default_query=query) as client:  # fmt: skip
            with pytest.raises(UnsupportedParameter, match="seconds: 4, 6, 8"):
                client.create("x", seconds=5)
            with pytest.raises(UnsupportedParameter, match="would not make a 1792x1024"):
                client.create("x", size="1792x1024")
            assert server.app.requests_served == 0
            assert client.create("x", seconds=6).seconds == "6"
        with OpenAIVideos(base_url=server.base_url, default_query=query) as blind:
            changed = blind.create("x", size="1792x1024")  # what a client without the rule gets
        assert changed.size == "1280x720"  # made, and billed, at another size


def test_a_server_refusing_json_gets_multipart_once_with_one_job() -> None:
    with run_emulator(EmulatorConfig(profile="form-only", job_seconds=0.2)) as server:
        with OpenAIVideos(base_url=server.base_url) as client:
            video = client.create("x", size="1280x720")
            assert client.create_encoding == "multipart" and server.jobs_created == 1
            assert server.app.requests_served == 2  # the refused JSON, then the form
            client.create("y")
            assert server.app.requests_served == 3 and server.jobs_created == 2
        assert video.size == "1280x720"


def test_a_refusal_for_a_value_is_not_taken_for_the_encoding() -> None:
    with (
        run_emulator(EmulatorConfig(job_seconds=0.2)) as server,
        OpenAIVideos(base_url=server.base_url) as client,
    ):
        with pytest.raises(BadRequestError, match="seconds"):
            client.create("x", seconds=7)
        assert client.create_encoding is None and server.app.requests_served == 1


def test_check_derives_capabilities_from_the_servers_openapi_document() -> None:
    with run_emulator(EmulatorConfig(profile="vllm-omni", job_seconds=0.2)) as server:
        report = run_check(server.base_url)
    assert report.capabilities is not None
    assert report.capabilities["extras"] == {
        "seed": "seed", "negative_prompt": "negative_prompt", "audio": "generate_sound",
    }  # fmt: skip
    assert report.capabilities["image_transports"] == ["object image_reference"]
    assert report.create_encodings == {"json": "accepted (its OpenAPI)"}


def test_an_openapi_document_of_any_shape_never_breaks_the_reading() -> None:
    document = VLLMOmniProfile().openapi_document()
    assert capabilities_from_openapi(document) is not None
    looping = {"paths": {"/v1/videos": {"post": {"requestBody": {"content": {
        "application/json": {"schema": {"$ref": "#/a"}}}}}}}, "a": {"$ref": "#/a"}}  # fmt: skip
    derived = capabilities_from_openapi(looping)
    assert derived is not None and derived.extras == {}
    junks: list[Any] = [None, [], {"paths": []}, {"paths": {"/v1/videos": {"post": 3}}}]
    for junk in junks:
        assert capabilities_from_openapi(junk) is None


def test_check_names_a_server_of_another_contract() -> None:
    with run_emulator(EmulatorConfig(profile="xai", job_seconds=0.2)) as server:
        report = run_check(server.base_url)
        shown = CliRunner().invoke(cli, ["--base-url", server.base_url, "--json", "check"])
        assert server.jobs_created == 0  # the probe sent no prompt
    assert report.contract is not None and report.contract.startswith("xai")
    assert not report.ok and shown.exit_code == 1
    assert json.loads(shown.stdout)["contract"].startswith("xai")


def test_check_with_create_finds_the_encoding_a_server_takes() -> None:
    with run_emulator(EmulatorConfig(profile="form-only", job_seconds=0.2)) as server:
        report = run_check(server.base_url, create=True, poll_timeout=30)
        assert server.jobs_created == 1
    assert report.create_encodings == {"json": "refused", "multipart": "accepted"}
    assert report.ok


def test_the_readme_shows_every_family_with_its_sources() -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    import capabilities_table

    page = capabilities_table.PAGE.read_text(encoding="utf-8")
    assert capabilities_table.readme_section(page) == capabilities_table.render()


def test_a_batch_run_remembers_the_encoding_for_every_worker(tmp_path: Path) -> None:
    import asyncio

    from openai_videos import AsyncOpenAIVideos
    from openai_videos._batch import open_store, run_batch

    prompts = [{"prompt": f"Form {n}"} for n in range(3)]
    with run_emulator(EmulatorConfig(profile="form-only", job_seconds=0.2)) as server:

        async def worker() -> AsyncOpenAIVideos:
            async with AsyncOpenAIVideos(base_url=server.base_url) as client:
                await run_batch(client, prompts, tmp_path, concurrency=1)
                return client

        first = asyncio.run(worker())
        assert first.create_encoding == "multipart" and server.jobs_created == 3
        later = asyncio.run(worker())  # a second worker of the run: told by the store
        assert later.create_encoding == "multipart" and server.jobs_created == 3
    with contextlib.closing(open_store(None, tmp_path, create=False)) as store:
        assert store.create_encoding() == "multipart"
