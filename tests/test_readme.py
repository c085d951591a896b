"""Every Python block in the README and on the docs site runs, against the emulator, so the
examples cannot rot.

Each block runs on its own, in a fresh namespace and an empty working directory, with
``OPENAI_BASE_URL`` and ``OPENAI_API_KEY`` pointing at an emulator that checks the key. A block
may use top-level ``await`` (it then runs under ``asyncio.run``). A block that can only work
against a real server is preceded by ``<!-- readme-test: skip (REASON) -->`` and is reported as
skipped with that reason.
"""

from __future__ import annotations

import ast
import asyncio
import inspect
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from openai_videos_emulator import EmulatorConfig, run_emulator

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
PAGES = [README, *sorted((ROOT / "docs").glob("*.md"))]
BLOCK = re.compile(
    r"(?:<!-- readme-test: skip \((?P<skip>[^)]*)\) -->\n)?```python\n(?P<code>.*?)```", re.S
)
API_KEY = "sk-readme-test"


def _blocks() -> list[Any]:
    params = []
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        name = page.relative_to(ROOT)
        for match in BLOCK.finditer(text):
            line = text.count("\n", 0, match.start("code")) + 1
            marks = [pytest.mark.skip(reason=match["skip"])] if match["skip"] else []
            params.append(pytest.param(match["code"], id=f"{name}:{line}", marks=marks))
    return params


BLOCKS = _blocks()


@pytest.fixture(scope="module")
def server() -> Iterator[Any]:
    with run_emulator(EmulatorConfig(api_key=API_KEY, job_seconds=0.3, render_fps=4)) as running:
        yield running


def test_the_readme_has_examples() -> None:
    assert len(BLOCKS) >= 4
    assert any(str(block.id).startswith("README.md") for block in BLOCKS)


@pytest.mark.parametrize("code", BLOCKS)
def test_readme_block_runs(
    code: str, server: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
    monkeypatch.setenv("OPENAI_API_KEY", API_KEY)
    compiled = compile(code, "README.md", "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
    result = eval(compiled, {"__name__": "readme"})  # noqa: S307 - our own README
    if inspect.iscoroutine(result):
        asyncio.run(result)
