"""openapi.yaml is the upstream slice plus the deviations in spec/deviations.py, nothing else."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import deviations
import pytest
from sync import OPENAPI, UPSTREAM_SLICE, build_openapi, extract_videos_slice, load

FULL_UPSTREAM = (
    Path(__file__).resolve().parents[2] / "shared" / "reference" / "openai-openapi-full.yaml"
)


@pytest.fixture(scope="module")
def upstream() -> dict[str, Any]:
    return load(UPSTREAM_SLICE)


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    return load(OPENAPI)


def test_openapi_yaml_is_upstream_plus_deviations(upstream: dict[str, Any]) -> None:
    assert OPENAPI.read_text(encoding="utf-8") == build_openapi(upstream)


def test_all_ten_videos_operations_are_present(spec: dict[str, Any]) -> None:
    operation_ids = {op["operationId"] for ops in spec["paths"].values() for op in ops.values()}
    assert operation_ids == {
        "createVideo", "ListVideos", "GetVideo", "DeleteVideo", "RetrieveVideoContent",
        "CreateVideoRemix", "CreateVideoEdit", "CreateVideoExtend", "CreateVideoCharacter",
        "GetVideoCharacter",
    }  # fmt: skip


def test_every_reference_resolves(spec: dict[str, Any]) -> None:
    refs = list(__import__("sync")._refs(spec))
    assert refs
    for ref in refs:
        section, name = ref.removeprefix("#/components/").split("/", 1)
        assert name in spec["components"][section], ref


def test_extraction_is_a_closed_slice_of_a_synthetic_spec() -> None:
    full = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/videos": {"get": {"responses": {"200": {"$ref": "#/components/schemas/A"}}}},
            "/videosx": {"get": {"responses": {"200": {"$ref": "#/components/schemas/C"}}}},
            "/images": {"get": {"responses": {"200": {"$ref": "#/components/schemas/C"}}}},
        },
        "components": {
            "schemas": {
                "A": {"properties": {"b": {"$ref": "#/components/schemas/B"}}},
                "B": {"items": {"$ref": "#/components/schemas/A"}},
                "C": {"type": "string"},
            }
        },
    }
    sliced = extract_videos_slice(full)
    assert list(sliced["paths"]) == ["/videos"]
    assert set(sliced["components"]["schemas"]) == {"A", "B"}


@pytest.mark.skipif(not FULL_UPSTREAM.exists(), reason="full upstream spec not beside the repo")
def test_checked_in_slice_is_what_make_spec_extracts(upstream: dict[str, Any]) -> None:
    assert extract_videos_slice(load(FULL_UPSTREAM)) == upstream


# One test per deviation: its effect is present in openapi.yaml and absent upstream.


def test_content_endpoint_lists_only_binary_media(
    spec: dict[str, Any], upstream: dict[str, Any]
) -> None:
    path = deviations.CONTENT_PATH
    assert "application/json" in upstream["paths"][path]["get"]["responses"]["200"]["content"]
    content = spec["paths"][path]["get"]["responses"]["200"]["content"]
    assert set(content) == set(deviations.MEDIA_TYPES)
    assert all(media["schema"]["format"] == "binary" for media in content.values())


def test_extension_seconds_accept_sixteen_and_twenty(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    assert schemas["VideoExtensionSeconds"]["enum"] == ["4", "8", "12", "16", "20"]
    assert schemas["VideoSeconds"]["enum"] == ["4", "8", "12"]
    ref = schemas["CreateVideoExtendJsonBody"]["properties"]["seconds"]["$ref"]
    assert ref.endswith("/VideoExtensionSeconds")
    assert schemas["VideoResource"]["properties"]["seconds"]["type"] == "string"


def test_video_model_is_a_plain_enum(spec: dict[str, Any], upstream: dict[str, Any]) -> None:
    assert "anyOf" in upstream["components"]["schemas"]["VideoModel"]
    model = spec["components"]["schemas"]["VideoModel"]
    assert model["type"] == "string"
    assert "sora-2" in model["enum"]


def test_multipart_references_are_files(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    assert (
        schemas["CreateVideoMultipartBody"]["properties"]["input_reference"]["format"] == "binary"
    )
    assert schemas["CreateVideoEditMultipartBody"]["properties"]["video"]["format"] == "binary"


def test_post_bodies_are_required(spec: dict[str, Any]) -> None:
    posts = [ops["post"] for ops in spec["paths"].values() if "post" in ops]
    assert len(posts) == 5
    assert all(post["requestBody"]["required"] is True for post in posts)


def test_size_and_error_code_are_lenient(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    size_types = schemas["VideoResource"]["properties"]["size"]["anyOf"]
    assert {"type": "null"} in size_types
    code_types = [t["type"] for t in schemas["Error-2"]["properties"]["code"]["anyOf"]]
    assert code_types == ["string", "integer", "null"]


def test_code_samples_are_dropped(spec: dict[str, Any]) -> None:
    assert all("x-oaiMeta" not in op for ops in spec["paths"].values() for op in ops.values())


def test_deviations_do_not_touch_their_input() -> None:
    original = load(UPSTREAM_SLICE)
    kept = copy.deepcopy(original)
    build_openapi(original)
    assert original == kept


def test_numeric_enums_have_member_names(spec: dict[str, Any]) -> None:
    size = spec["components"]["schemas"]["VideoSize"]
    assert size["x-enum-varnames"] == [
        "SIZE_720X1280",
        "SIZE_1280X720",
        "SIZE_1024X1792",
        "SIZE_1792X1024",
    ]


def test_remix_is_json_only(spec: dict[str, Any], upstream: dict[str, Any]) -> None:
    path = "/videos/{video_id}/remix"
    assert "multipart/form-data" in upstream["paths"][path]["post"]["requestBody"]["content"]
    assert list(spec["paths"][path]["post"]["requestBody"]["content"]) == ["application/json"]


def test_list_has_more_defaults_to_false(spec: dict[str, Any], upstream: dict[str, Any]) -> None:
    assert (
        "default"
        not in upstream["components"]["schemas"]["VideoListResource"]["properties"]["has_more"]
    )
    assert (
        spec["components"]["schemas"]["VideoListResource"]["properties"]["has_more"]["default"]
        is False
    )
