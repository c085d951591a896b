"""The project's one entry point for developers and CI; needs nothing but Python 3.11+.

Usage::

    python3 scripts/dev.py test     # set up .venv if needed; lint, type-check, check generated/,
                                    # pytest; build and install the wheel; pytest on a newer Python
    python3 scripts/dev.py demo     # set up .venv if needed, then run the emulator demo
    python3 scripts/dev.py setup    # only create or refresh .venv
    python3 scripts/dev.py run CMD  # run CMD inside .venv (e.g. `run openai-videos --help`)

The virtual environment lives in ``.venv`` and is refreshed whenever ``pyproject.toml`` changes.
"""

from __future__ import annotations

import glob
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
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


DEMO_EXTRAS = "cli,server"  # what the demo needs: about half of what the dev extras bring


def setup(python: str | None = None, target: Path = VENV, extras: str = "dev") -> Path:
    """Create a virtual environment (``.venv`` by default, with ``python`` if given) and install
    the project with ``extras`` (the dev extras by default), unless already current (the dev
    extras include the demo's). Returns its Python."""
    if sys.version_info < (3, 11):  # noqa: UP036 - runs on whatever python3 the user has
        raise SystemExit(f"Python 3.11+ is required, this is {sys.version.split()[0]}")
    bin_dir = target / ("Scripts" if os.name == "nt" else "bin")
    interpreter = bin_dir / ("python.exe" if os.name == "nt" else "python")
    stamp = target / ".openai-videos-installed"
    wanted = {f"{_fingerprint()} dev", f"{_fingerprint()} {extras}"}
    if stamp.exists() and stamp.read_text() in wanted and interpreter.exists():
        return interpreter
    if not interpreter.exists():
        print(f"creating {target.name} ...", flush=True)
        if python is None:
            venv.EnvBuilder(with_pip=True, clear=True).create(target)
        else:
            subprocess.run([python, "-m", "venv", "--clear", str(target)], check=True)
    print(
        f"installing openai-videos[{extras}] into {target.name} (first run only; a minute or "
        "two: pip's progress follows) ...",
        flush=True,
    )
    pip = [str(interpreter), "-m", "pip", "--disable-pip-version-check"]
    subprocess.run([*pip, "install", "--quiet", "--upgrade", "pip"], check=True)
    subprocess.run([*pip, "install", "--progress-bar", "on", "-e", f"{ROOT}[{extras}]"], check=True)
    stamp.write_text(f"{_fingerprint()} {extras}")
    return interpreter


def newer_python() -> str | None:
    """A Python newer than 3.11 on this machine (PATH, then pyenv's versions), or None."""
    candidates = [shutil.which(f"python3.{minor}") for minor in (14, 13, 12)]
    pattern = str(Path.home() / ".pyenv" / "versions" / "3.1[2-9]*" / "bin" / "python3")
    candidates += sorted(glob.glob(pattern), reverse=True)
    for candidate in filter(None, candidates):
        probe = [candidate, "-c", "import sys; assert sys.version_info >= (3, 12)"]
        if subprocess.run(probe, capture_output=True, check=False).returncode == 0:
            return candidate
    return None


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
    _run(py, "-m", "ruff", "format", "--check", *FORMATTED)
    _run(py, "-m", "mypy")
    _run(py, "spec/sync.py", "--check")
    _run(py, "scripts/generate.py", "--check")
    _run(py, "scripts/unasync.py", "--check")
    ensure_chromium()
    _run(py, "-m", "pytest", *pytest_args)
    check_wheel()
    newer = newer_python()
    if newer is None:
        print("no Python newer than 3.11 on this machine: the suite ran on one version", flush=True)
        return
    second = setup(newer, ROOT / ".venv-newer")
    _run(str(second), "-m", "pytest", "-q", *pytest_args)


def ensure_chromium() -> None:
    """The headless browser of the gallery test: the system's Chromium, installed from the
    distribution's packages where it is missing and this user may (root with apt-get)."""
    if shutil.which("chromium") or shutil.which("chromium-browser"):
        return
    apt = shutil.which("apt-get")
    if apt is None or not hasattr(os, "geteuid") or os.geteuid() != 0:
        print("no Chromium here: the gallery test needs one (apt-get install chromium)", flush=True)
        return
    print("installing Chromium for the gallery test (apt-get install chromium) ...", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = [apt, "install", "-y", "-q", "chromium"]
    if subprocess.run(install, env=env, check=False).returncode != 0:
        subprocess.run([apt, "update", "-q"], env=env, check=True)
        subprocess.run(install, env=env, check=True)


def check_wheel() -> None:
    """Build the sdist and the wheel, install the wheel (cli and server extras) into a fresh
    virtual environment, import every package from it and run ``openai-videos --help``."""
    with tempfile.TemporaryDirectory(prefix="openai-videos-wheel-") as scratch:
        dist, env = Path(scratch) / "dist", Path(scratch) / "env"
        _run(str(PYTHON), "-m", "build", "--sdist", "--wheel", "--outdir", str(dist), str(ROOT))
        (wheel,) = dist.glob("*.whl")
        venv.EnvBuilder(with_pip=True).create(env)
        python = env / ("Scripts" if os.name == "nt" else "bin") / "python"
        quiet = ["--disable-pip-version-check", "--quiet"]
        _run(str(python), "-m", "pip", "install", *quiet, f"{wheel}[cli,server]")
        imports = (
            "import openai_videos, openai_videos_api, openai_videos_core, openai_videos_emulator;"
            "import openai_videos_api.api.videos.create_video, openai_videos._cli;"
            "print('imported from', openai_videos.__file__)"
        )
        _run(str(python), "-I", "-c", imports)
        _run(str(python), "-I", "-m", "openai_videos", "--help")


def main(argv: list[str]) -> None:
    if not argv or argv[0] in {"-h", "--help"}:
        print(__doc__)
        return
    command, rest = argv[0], argv[1:]
    setup(extras=DEMO_EXTRAS if command == "demo" else "dev")
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
