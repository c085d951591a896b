"""The project's one entry point for developers and CI; needs nothing but Python 3.11+.

Usage::

    python3 scripts/dev.py test     # set up .venv if needed; lint, type-check, check generated/, pytest
    python3 scripts/dev.py demo     # set up .venv if needed, then run the emulator demo
    python3 scripts/dev.py setup    # only create or refresh .venv
    python3 scripts/dev.py run CMD  # run CMD inside .venv (e.g. `run openai-videos --help`)

The virtual environment lives in ``.venv`` and is refreshed whenever ``pyproject.toml`` changes.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".openai-videos-installed"
FORMATTED = ("overlays", "tests", "scripts", "spec", "benchmarks")


def _fingerprint() -> str:
    return hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()


def setup() -> None:
    """Create ``.venv`` and install the project with its dev extras, unless already current."""
    if sys.version_info < (3, 11):  # noqa: UP036 - runs on whatever python3 the user has
        raise SystemExit(f"Python 3.11+ is required, this is {sys.version.split()[0]}")
    if STAMP.exists() and STAMP.read_text() == _fingerprint() and PYTHON.exists():
        return
    if not PYTHON.exists():
        print("creating .venv ...", flush=True)
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    print("installing openai-videos[dev] into .venv (first run only) ...", flush=True)
    pip = [str(PYTHON), "-m", "pip", "--disable-pip-version-check", "--quiet"]
    subprocess.run([*pip, "install", "--upgrade", "pip"], check=True)
    subprocess.run([*pip, "install", "-e", f"{ROOT}[dev]"], check=True)
    STAMP.write_text(_fingerprint())


def _run(*command: str) -> None:
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    print(f"$ {' '.join(command)}", flush=True)
    result = subprocess.run(command, cwd=ROOT, env=env, check=False)
    if result.returncode != 0:
        raise SystemExit(result.returncode)


def test(pytest_args: list[str]) -> None:
    """Everything CI checks, in order of speed."""
    py = str(PYTHON)
    _run(py, "-m", "ruff", "check", ".")
    _run(
        py, "-m", "ruff", "format", "--check", "overlays", "tests", "scripts", "spec", "benchmarks"
    )
    _run(py, "-m", "mypy")
    _run(py, "spec/sync.py", "--check")
    _run(py, "scripts/generate.py", "--check")
    _run(py, "scripts/unasync.py", "--check")
    _run(py, "-m", "pytest", *pytest_args)


def main(argv: list[str]) -> None:
    if not argv or argv[0] in {"-h", "--help"}:
        print(__doc__)
        return
    command, rest = argv[0], argv[1:]
    setup()
    if command == "setup":
        return
    if command == "test":
        test(rest)
    elif command == "demo":
        _run(str(PYTHON), "-m", "openai_videos", "demo", *rest)
    elif command == "run":
        _run(*rest)
    else:
        raise SystemExit(f"unknown command {command!r}; see `python3 scripts/dev.py --help`")


if __name__ == "__main__":
    main(sys.argv[1:])
