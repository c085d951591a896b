"""The docs site builds in MkDocs' strict mode: a broken link, a missing page or anchor, a
docstring reference that does not resolve, fails the build and this test. (Its examples run in
``test_readme.py``.)"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_docs_site_builds_strictly(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": f"{ROOT / 'overlays'}{os.pathsep}{ROOT / 'generated'}"}
    built = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr[-3000:]
    pages = {path.parent.name for path in tmp_path.glob("*/index.html")}
    assert {"guide", "cli", "batch", "servers", "emulator", "reliability", "benchmarks",
            "maintaining", "api"} <= pages  # fmt: skip
    reference = (tmp_path / "cli" / "index.html").read_text(encoding="utf-8")
    assert "--progress-every" in reference and "--server-family" in reference  # from click
    api = (tmp_path / "api" / "index.html").read_text(encoding="utf-8")
    assert "create_and_poll" in api and "UnsupportedParameter" in api  # from the docstrings
