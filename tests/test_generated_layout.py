"""The generator produced what generator-config.yaml and the templates ask for.

The generator ignores unknown config keys and unmatched class overrides silently, so the
expected names are pinned here.
"""

from __future__ import annotations

import importlib
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import generate  # noqa: E402

MODELS = {
    "video": "Video",
    "video_list": "VideoList",
    "deleted_video": "DeletedVideo",
    "video_character": "VideoCharacter",
    "video_error": "VideoError",
    "image_reference": "ImageReference",
    "video_reference": "VideoReference",
    "create_video_json_body": "CreateVideoJsonBody",
    "create_video_multipart_body": "CreateVideoMultipartBody",
    "create_video_edit_json_body": "CreateVideoEditJsonBody",
    "create_video_edit_multipart_body": "CreateVideoEditMultipartBody",
    "create_video_extend_json_body": "CreateVideoExtendJsonBody",
    "create_video_extend_multipart_body": "CreateVideoExtendMultipartBody",
    "create_video_remix_body": "CreateVideoRemixBody",
    "create_character_body": "CreateCharacterBody",
    "video_status": "VideoStatus",
    "video_size": "VideoSize",
    "video_seconds": "VideoSeconds",
    "video_extension_seconds": "VideoExtensionSeconds",
    "video_model": "VideoModel",
    "video_content_variant": "VideoContentVariant",
}
ENDPOINTS = [
    "create_video", "list_videos", "get_video", "delete_video", "retrieve_video_content",
    "create_video_remix", "create_video_edit", "create_video_extend", "create_video_character",
    "get_video_character",
]  # fmt: skip


@pytest.mark.parametrize(("module", "name"), MODELS.items())
def test_model_has_its_friendly_name(module: str, name: str) -> None:
    mod = importlib.import_module(f"openai_videos_api.models.{module}")
    assert getattr(mod, name).__name__ == name


def test_no_title_derived_names_remain() -> None:
    names = {p.stem for p in (generate.TARGET / "models").glob("*.py")}
    assert not names & {"video_job", "error_2", "image_ref_param_2", "video_model_type_1"}


@pytest.mark.parametrize("name", ENDPOINTS)
def test_every_operation_has_sync_and_async_functions(name: str) -> None:
    module = importlib.import_module(f"openai_videos_api.api.videos.{name}")
    for function in ("sync", "sync_detailed", "asyncio", "asyncio_detailed"):
        assert callable(getattr(module, function))


def test_generated_code_has_no_fixed_multipart_boundary() -> None:
    sources = "".join(p.read_text() for p in generate.TARGET.rglob("*.py"))
    assert "boundary=+++" not in sources


def test_check_reports_a_hand_edit(tmp_path: Path) -> None:
    copy = tmp_path / "openai_videos_api"
    shutil.copytree(generate.TARGET, copy, ignore=shutil.ignore_patterns("__pycache__"))
    assert generate._differences(copy, generate.TARGET) == []
    edited = copy / "models" / "video.py"
    edited.write_text(edited.read_text() + "\n# hand edit\n")
    (copy / "stray.py").write_text("")
    differences = generate._differences(copy, generate.TARGET)
    assert any(d.endswith("video.py") for d in differences)
    assert "only in openai_videos_api: stray.py" in differences


def test_both_packages_are_typed() -> None:
    assert (generate.TARGET / "py.typed").is_file()
    assert (generate.ROOT / "overlays" / "openai_videos" / "py.typed").is_file()
