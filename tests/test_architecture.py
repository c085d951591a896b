"""The seams between the parts hold: one client source, an independent emulator, no private
imports of generated code, no import cycles."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
OVERLAY = ROOT / "overlays" / "openai_videos"
EMULATOR = ROOT / "overlays" / "openai_videos_emulator"
sys.path.insert(0, str(ROOT / "scripts"))

import unasync  # noqa: E402


def _imports(path: Path, package: str) -> list[tuple[str, list[str]]]:
    """(absolute module, imported names) for every import statement in ``path``, anywhere."""
    module_parts = [package, *path.relative_to(ROOT / "overlays" / package).with_suffix("").parts]
    if module_parts[-1] == "__init__":
        module_parts.pop()
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, []) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = module_parts[: len(module_parts) - node.level + (path.stem == "__init__")]
                base = ".".join([*anchor, *([node.module] if node.module else [])])
            found.append((base, [alias.name for alias in node.names]))
    return found


def test_emulator_imports_nothing_from_the_client() -> None:
    for path in EMULATOR.rglob("*.py"):
        for module, _ in _imports(path, "openai_videos_emulator"):
            top = module.split(".")[0]
            assert top not in {"openai_videos", "openai_videos_api"}, (path.name, module)
    code = (
        "import sys, openai_videos_emulator;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('openai_videos', 'openai_videos_api')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def _runtime_imports(path: Path) -> set[str]:
    """Top-level packages ``path`` imports at run time (not under ``if TYPE_CHECKING:``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    guarded = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
        for inner in ast.walk(node)
    }
    tops = set()
    for node in ast.walk(tree):
        if id(node) in guarded or node.__class__ not in {ast.Import, ast.ImportFrom}:
            continue
        if isinstance(node, ast.Import):
            tops |= {alias.name.split(".")[0] for alias in node.names}
        elif not node.level and node.module:
            tops.add(node.module.split(".")[0])
    return tops


def test_generated_code_imports_nothing_hand_written_but_the_core() -> None:
    for path in (ROOT / "generated").rglob("*.py"):
        tops = _imports_of(path)
        assert "openai_videos" not in tops, f"{path.relative_to(ROOT)} imports the client"
        assert "openai_videos_emulator" not in tops, path.name


def _imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    tops = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            tops |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            tops.add(node.module.split(".")[0])
    return tops


def test_the_core_needs_only_httpx_and_the_standard_library() -> None:
    allowed = {"__future__", "httpx", "attrs", *sys.stdlib_module_names}
    for path in (ROOT / "overlays" / "openai_videos_core").rglob("*.py"):
        assert _runtime_imports(path) <= allowed, (path.name, _runtime_imports(path) - allowed)
    code = (
        "import sys, openai_videos_api.api.videos.get_video, openai_videos_api.models;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'openai_videos'))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"  # the generated layer runs without the client


def test_overlay_uses_no_private_names_of_the_generated_layer() -> None:
    for path in OVERLAY.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for module, names in _imports(path, "openai_videos"):
            if module.startswith("openai_videos_api"):
                assert not any(part.startswith("_") for part in module.split(".")), module
                assert not [n for n in names if n.startswith("_")], (path.name, names)
        private_calls = {
            node.attr
            for node in ast.walk(tree)
            if isinstance(node, ast.Attribute) and node.attr in {"_get_kwargs", "_parse_response"}
        }
        assert not private_calls, (path.name, private_calls)


def test_no_import_cycles_in_the_overlay() -> None:
    graph: dict[str, set[str]] = {}
    for path in OVERLAY.rglob("*.py"):
        parts = ["openai_videos", *path.relative_to(OVERLAY).with_suffix("").parts]
        name = ".".join(p for p in parts if p != "__init__")
        graph[name] = set()
        for module, names in _imports(path, "openai_videos"):
            if module.startswith("openai_videos.") or module == "openai_videos":
                candidates = [f"{module}.{n}" for n in names] + [module]
                graph[name].add(next(c for c in candidates if _is_module(c)))
    graph.pop("openai_videos")  # the lazy re-exports name every module, under TYPE_CHECKING

    def visit(node: str, trail: list[str]) -> None:
        assert node not in trail, f"import cycle: {' -> '.join([*trail, node])}"
        for target in graph.get(node, ()):
            visit(target, [*trail, node])

    for start in graph:
        visit(start, [])


def _is_module(dotted: str) -> bool:
    relative = Path(*dotted.split(".")[1:])
    return (OVERLAY / relative).with_suffix(".py").is_file() or (OVERLAY / relative).is_dir()


def test_sync_client_is_generated_from_the_async_one() -> None:
    assert unasync.main(["--check"]) == 0
    sync_text = (OVERLAY / "_sync" / "_client.py").read_text(encoding="utf-8")
    assert sync_text.startswith('"""``OpenAIVideos``: GENERATED by scripts/unasync.py')
    assert "async " not in sync_text and "await " not in sync_text


def test_unasync_check_fails_on_a_hand_edit_and_on_an_unused_substitution(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "_sync"
    target.mkdir()
    for path in (OVERLAY / "_sync").glob("*.py"):
        (target / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr(unasync, "TARGET", target)
    assert unasync.main(["--check"]) == 0
    edited = target / "_client.py"
    edited.write_text(edited.read_text(encoding="utf-8") + "\n# a hand edit\n", encoding="utf-8")
    assert unasync.main(["--check"]) == 1
    assert unasync.main([]) == 0 and unasync.main(["--check"]) == 0  # rewritten
    stale = (*unasync.SUBSTITUTIONS, (r"never_in_the_source", "x"))
    monkeypatch.setattr(unasync, "SUBSTITUTIONS", stale)
    monkeypatch.setattr(unasync, "_COMPILED", [(unasync.re.compile(p), r) for p, r in stale])
    with pytest.raises(SystemExit, match="never_in_the_source"):
        unasync.main(["--check"])


def test_async_docstrings_are_whole() -> None:
    """IDE help for the async client shows the arguments, not a pointer to the sync one."""
    from openai_videos import AsyncOpenAIVideos, OpenAIVideos

    for name in ("create", "download_to", "poll", "edit", "extend"):
        async_doc = getattr(AsyncOpenAIVideos, name).__doc__
        assert "Args:" in async_doc, name
        assert async_doc == getattr(OpenAIVideos, name).__doc__, name
