"""Regeneration against real upstream history: complete feedback, nothing half-written, nothing
silently wrong (issue 12).

The upstream files in ``tests/data/upstream/`` are real, unmodified published versions (see the
README there): one without ``/videos`` and the oldest with it (November 2025).
"""

from __future__ import annotations

import copy
import hashlib
import inspect
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import deviations
import lint
import pytest
import sync

from openai_videos import AsyncOpenAIVideos, OpenAIVideos

DATA = Path(__file__).resolve().parent / "data" / "upstream"
NO_VIDEOS = DATA / "2025-04-29_openai-openapi-498c71d_openapi.yaml.gz"
NOVEMBER_2025 = DATA / "2025-11-12_async-openai-4754c24_openapi.documented.yml.gz"


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Path]]:
    """Copies of the three files ``make spec`` writes, which it is pointed at instead."""
    files = {
        "UPSTREAM_SLICE": sync.UPSTREAM_SLICE,
        "OPENAPI": sync.OPENAPI,
        "EMULATOR_SPEC": sync.EMULATOR_SPEC,
    }
    copies = {}
    for name, path in files.items():
        copies[name] = tmp_path / path.name
        shutil.copyfile(path, copies[name])
        monkeypatch.setattr(sync, name, copies[name])
    monkeypatch.setattr(sync, "ROOT", tmp_path)
    yield copies


def _digests(files: dict[str, Path]) -> dict[str, str]:
    return {name: hashlib.sha256(path.read_bytes()).hexdigest() for name, path in files.items()}


@pytest.fixture(scope="module")
def november_slice() -> dict[str, Any]:
    return sync.extract_videos_slice(sync.load(NOVEMBER_2025))


def test_an_upstream_without_videos_is_refused_and_nothing_is_written(
    workspace: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    before = _digests(workspace)
    assert sync.main(["--upstream", str(NO_VIDEOS)]) == 1
    assert "has no /videos paths" in capsys.readouterr().err
    assert _digests(workspace) == before


def test_the_oldest_upstream_gets_one_complete_report_and_nothing_is_written(
    workspace: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    before = _digests(workspace)
    assert sync.main(["--upstream", str(NOVEMBER_2025)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and "nothing was written" in err
    for expected in (
        "extension_seconds: upstream has no schema CreateVideoExtendJsonBody",
        "multipart_parts_are_files: upstream has no schema CreateVideoMultipartBody",
        "update or drop this deviation",
        # what the lint finds in the same run: the shared create body of early 2026
        "POST /videos (createVideo): the request body offers CreateVideoBody under "
        "application/json and multipart/form-data",
    ):
        assert expected in err, expected
    assert "video_model_is_an_enum" in err.split("nothing to change")[1]  # already plain
    assert _digests(workspace) == before


def test_a_good_upstream_writes_all_three_files_with_provenance(
    workspace: dict[str, Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    upstream = tmp_path / "upstream.yaml"
    upstream.write_text(sync.dump(sync.load(sync.UPSTREAM_SLICE)), encoding="utf-8")
    assert sync.main(["--upstream", str(upstream), "--source", "a/repo@abc1234"]) == 0
    out = capsys.readouterr().out
    assert "no changes" in out
    header = workspace["UPSTREAM_SLICE"].read_text(encoding="utf-8").splitlines()[:4]
    assert "# source: a/repo@abc1234" in header
    assert (
        f"# sha256 of the upstream file: {hashlib.sha256(upstream.read_bytes()).hexdigest()}"
        in (header)
    )
    assert sync.main(["--check"]) == 0


def test_make_spec_says_what_changed_against_the_previous_slice(
    november_slice: dict[str, Any],
) -> None:
    current = sync.load(sync.UPSTREAM_SLICE)
    lines = sync.changes(november_slice, current)
    assert "  + operation POST /videos/edits" in lines
    assert "  + schema CreateVideoJsonBody" in lines
    assert "  - schema CreateVideoBody" in lines
    assert "  ~ operation GET /videos/{video_id}" in lines
    assert sync.changes(current, current) == []


# -- deviations: preconditions, no-ops, patches --------------------------------------------------


def test_every_deviation_applies_to_the_current_upstream() -> None:
    spec = copy.deepcopy(sync.load(sync.UPSTREAM_SLICE))
    outcomes = deviations.apply_deviations(spec)
    assert [o.status for o in outcomes] == ["applied"] * len(deviations.DEVIATIONS)


def test_a_deviation_already_upstream_is_a_reported_no_op() -> None:
    spec = sync.load(sync.OPENAPI)  # every deviation applied already
    before = copy.deepcopy(spec)
    outcomes = deviations.apply_deviations(spec)
    assert {o.status for o in outcomes} == {"already upstream"}
    assert spec == before


def test_every_deviation_fails_with_a_sentence_when_its_target_is_gone() -> None:
    for deviation in deviations.DEVIATIONS:
        empty: dict[str, Any] = {"paths": {}, "components": {"schemas": {}}}
        try:
            deviation(empty)
        except deviations.Problem as problem:
            assert str(problem).startswith("upstream"), (deviation.__name__, problem)
        else:
            assert deviation.__name__ in {"drop_code_samples", "deprecation_is_documented"}


def test_deviations_patch_fields_and_keep_upstream_edits_elsewhere() -> None:
    spec = copy.deepcopy(sync.load(sync.UPSTREAM_SLICE))
    schemas = spec["components"]["schemas"]
    schemas["VideoResource"]["properties"]["size"]["x-new-upstream-field"] = 1
    schemas["Error-2"]["properties"]["code"]["description"] = "A new upstream description."
    prop = schemas["CreateVideoMultipartBody"]["properties"]["input_reference"]
    prop["oneOf"] = [{"$ref": "#/components/schemas/ImageRefParam-2"}, *prop["oneOf"]]
    prop["description"] = "Kept, although the first branch is a $ref."
    content = spec["paths"][deviations.CONTENT_PATH]["get"]["responses"]["200"]["content"]
    content["video/mp4"]["x-upstream-note"] = "kept"
    assert "problem" not in {o.status for o in deviations.apply_deviations(spec)}
    assert schemas["VideoResource"]["properties"]["size"]["x-new-upstream-field"] == 1
    assert schemas["Error-2"]["properties"]["code"]["description"] == "A new upstream description."
    assert prop["description"] == "Kept, although the first branch is a $ref."
    assert content["video/mp4"]["x-upstream-note"] == "kept"


# -- the spec lint -------------------------------------------------------------------------------


def test_the_lint_finds_nothing_in_openapi_yaml() -> None:
    assert lint.lint_spec(sync.load(sync.OPENAPI)) == []


def test_the_lint_names_what_the_generator_would_get_wrong(november_slice: dict[str, Any]) -> None:
    findings = lint.lint_spec(november_slice)
    text = "\n".join(findings)
    assert "POST /videos (createVideo): the request body offers CreateVideoBody" in text
    assert "POST /videos/{video_id}/remix (CreateVideoRemix)" in text
    assert "requestBody.required is not true" in text
    assert "GET /videos/{video_id}/content (RetrieveVideoContent): the 200 answer lists" in text
    current_upstream = sync.load(sync.UPSTREAM_SLICE)  # before deviations: oneOf [binary, object]
    assert any(
        "POST /videos (createVideo): multipart part 'input_reference' may be an object" in f
        for f in lint.lint_spec(current_upstream)
    )
    spec = copy.deepcopy(november_slice)
    spec["components"]["schemas"]["VideoStatus"]["title"] = "Video job"  # as VideoResource's
    assert any("share the title 'Video job'" in f for f in lint.lint_spec(spec))


def test_the_generated_lint_catches_names_that_match_nothing(tmp_path: Path) -> None:
    models = tmp_path / "models"
    models.mkdir()
    (models / "video.py").write_text("class Video(VideoMixin):\n    pass\n")
    (models / "error_2.py").write_text("class Error2:\n    pass\n")
    overrides = {"VideoJob": {"class_name": "Video"}, "Error": {"class_name": "VideoError"}}
    mixins = {"Video": "VideoMixin", "VideoError": "VideoErrorMixin"}
    findings = lint.lint_generated(tmp_path, overrides, mixins)
    assert len(findings) == 2
    assert "class_overrides['Error'] matches no generated class" in findings[0]
    assert "OVERLAY_MIXINS names VideoError, which was not generated" in findings[1]
    real_mixins = lint.overlay_mixins(Path(sync.ROOT) / "templates" / "model.py.jinja")
    assert real_mixins["Video"] == "VideoMixin" and len(real_mixins) == 5


# -- deprecation ----------------------------------------------------------------------------------

METHOD_OPERATIONS = {
    "create": ["create_video"],
    "retrieve": ["get_video"],
    "list": ["list_videos"],
    "delete": ["delete_video"],
    "download_content": ["retrieve_video_content"],
    "download_to": ["retrieve_video_content"],
    "remix": ["create_video_remix"],
    "edit": ["create_video_edit"],
    "extend": ["create_video_extend"],
    "create_character": ["create_video_character"],
    "get_character": ["get_video_character"],
    "poll": ["get_video"],
    "create_and_poll": ["create_video", "get_video"],
}


@pytest.mark.parametrize("method", sorted(METHOD_OPERATIONS))
def test_deprecation_reaches_the_generated_layer_and_the_client(method: str) -> None:
    import importlib

    spec = sync.load(sync.UPSTREAM_SLICE)
    deprecated_ids = {
        op["operationId"] for ops in spec["paths"].values() for op in ops.values()
        if op.get("deprecated")
    }  # fmt: skip
    for name in METHOD_OPERATIONS[method]:
        module = importlib.import_module(f"openai_videos_api.api.videos.{name}")
        operation_id = next(
            op["operationId"] for ops in spec["paths"].values() for op in ops.values()
            if f"{name}.py" == _module_of(op["operationId"])
        )  # fmt: skip
        is_deprecated = operation_id in deprecated_ids
        assert (module.DEPRECATED is not None) == is_deprecated
        assert ("Deprecated upstream" in (module.sync.__doc__ or "")) == is_deprecated
        for client in (OpenAIVideos, AsyncOpenAIVideos):
            doc = inspect.getdoc(getattr(client, method)) or ""
            assert (f"Deprecated upstream (``{', '.join(METHOD_OPERATIONS[method])}``)" in doc) == (
                is_deprecated
            ), (client.__name__, method)


def _module_of(operation_id: str) -> str:
    """The generated module of an operation (the generator snake-cases its operationId)."""
    import re

    return re.sub(r"(?<!^)(?=[A-Z])", "_", operation_id).lower() + ".py"


# -- the type step and the client's parameters ------------------------------------------------------


def test_mypy_sees_the_real_generated_names(tmp_path: Path) -> None:
    from mypy import api

    probe = tmp_path / "probe.py"
    probe.write_text(
        "from openai_videos_api.models import Video, NoSuchModel\n"
        "from openai_videos_api.api.videos import get_video\n"
        "from openai_videos import OpenAIVideos, NoSuchName\n"
        "get_video.build_request(video_id='v', gone=1)\n"
    )
    root = Path(sync.ROOT)
    stdout, _, status = api.run(
        [
            "--config-file", str(root / "pyproject.toml"),
            "--cache-dir", str(tmp_path / "cache"),
            "--no-error-summary",
            str(probe),
        ]
    )  # fmt: skip
    assert status == 1
    assert 'no attribute "NoSuchModel"' in stdout
    assert 'no attribute "NoSuchName"' in stdout
    assert 'Unexpected keyword argument "gone"' in stdout
    assert 'no attribute "Video"' not in stdout
    assert "OpenAIVideos" not in stdout  # re-exported explicitly, also under --strict


REQUEST_SCHEMAS = {
    "create": ["CreateVideoJsonBody", "CreateVideoMultipartBody"],
    "remix": ["CreateVideoRemixBody"],
    "edit": ["CreateVideoEditJsonBody", "CreateVideoEditMultipartBody"],
    "extend": ["CreateVideoExtendJsonBody", "CreateVideoExtendMultipartBody"],
    "create_character": ["CreateVideoCharacterBody"],
}


@pytest.mark.parametrize("method", sorted(REQUEST_SCHEMAS))
def test_the_client_exposes_every_request_field_upstream_has(method: str) -> None:
    schemas = sync.load(sync.UPSTREAM_SLICE)["components"]["schemas"]
    fields = {name for schema in REQUEST_SCHEMAS[method] for name in schemas[schema]["properties"]}
    parameters = set(inspect.signature(getattr(OpenAIVideos, method)).parameters)
    missing = sorted(fields - parameters)
    assert not missing, f"upstream added {missing} to {method}; expose them in _async/_client.py"


def test_the_client_exposes_every_query_parameter_upstream_has() -> None:
    spec = sync.load(sync.UPSTREAM_SLICE)
    for path, method, client_method in (
        ("/videos", "get", "list"),
        ("/videos/{video_id}/content", "get", "download_to"),
    ):
        names = {p["name"] for p in spec["paths"][path][method].get("parameters", [])}
        names = {"variant" if n == "variant" else n for n in names if n != "video_id"}
        parameters = set(inspect.signature(getattr(OpenAIVideos, client_method)).parameters)
        assert names <= parameters, (client_method, sorted(names - parameters))
