"""Regenerate ``generated/openai_videos_api`` from ``openapi.yaml``, or check that it is current.

Usage::

    python scripts/generate.py          # rewrite generated/ (what `make generate` runs)
    python scripts/generate.py --check  # fail, listing the files, if generated/ differs

The generator writes a whole project; only its package directory is kept. Generating into a
fresh temporary directory every time keeps the output deterministic: no stale files survive,
and no cache or config from the surroundings leaks in (the post hooks run ruff --isolated).

Before generating, ``spec/lint.py`` checks ``openapi.yaml`` for what the generator would turn
into silently wrong code; after, it checks that every configured class name and overlay mixin
matched a generated class. Any finding stops the run with ``generated/`` untouched.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "spec"))
PACKAGE = "openai_videos_api"
TARGET = ROOT / "generated" / PACKAGE
GENERATOR_VERSION = "0.29.1"


def _bin_dir() -> Path:
    return Path(sys.executable).parent


def _check_generator_version() -> None:
    from importlib.metadata import version

    found = version("openapi-python-client")
    if found != GENERATOR_VERSION:
        msg = f"openapi-python-client {GENERATOR_VERSION} is pinned, but {found} is installed"
        raise SystemExit(msg)


def generate_into(workdir: Path) -> Path:
    """Run the pinned generator into ``workdir``; return the generated package directory (the
    project's metadata files around it are discarded)."""
    _check_generator_version()
    env = {**os.environ, "PATH": f"{_bin_dir()}{os.pathsep}{os.environ.get('PATH', '')}"}
    output = workdir / "project"
    command = [
        str(_bin_dir() / "openapi-python-client"),
        "generate",
        "--path", str(ROOT / "openapi.yaml"),
        "--config", str(ROOT / "generator-config.yaml"),
        "--custom-template-path", str(ROOT / "templates"),
        "--output-path", str(output),
        "--meta", "uv",  # with metadata, so that the package gets its py.typed marker
        "--fail-on-warning",
    ]  # fmt: skip
    result = subprocess.run(
        command, cwd=workdir, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"openapi-python-client failed with exit code {result.returncode}")
    return output / PACKAGE


def lint_findings(package: Path | None) -> list[str]:
    """``spec/lint.py`` over openapi.yaml, and over ``package`` once it is generated."""
    from lint import lint_generated, lint_spec, overlay_mixins
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=True)
    if package is None:
        return lint_spec(yaml.load((ROOT / "openapi.yaml").read_text(encoding="utf-8")))
    config = yaml.load((ROOT / "generator-config.yaml").read_text(encoding="utf-8"))
    mixins = overlay_mixins(ROOT / "templates" / "model.py.jinja")
    return lint_generated(package, config.get("class_overrides", {}), mixins)


def _refuse(findings: list[str]) -> int:
    print("make generate: nothing was written; fix these first:", file=sys.stderr)
    print("\n".join(f"  {finding}" for finding in findings), file=sys.stderr)
    return 1


def _differences(left: Path, right: Path, prefix: str = "") -> list[str]:
    """Relative paths of the files that differ between two trees, plus files only on one side."""
    cmp = filecmp.dircmp(left, right, ignore=["__pycache__"])
    found = [f"only in {left.name}: {prefix}{n}" for n in cmp.left_only]
    found += [f"only in {right.name}: {prefix}{n}" for n in cmp.right_only]
    _, mismatch, errors = filecmp.cmpfiles(left, right, cmp.common_files, shallow=False)
    found += [f"{prefix}{n}" for n in mismatch + errors]
    for sub in cmp.common_dirs:
        found += _differences(left / sub, right / sub, f"{prefix}{sub}/")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only compare, change nothing")
    args = parser.parse_args(argv)
    findings = lint_findings(None)
    if findings:
        return _refuse(findings)
    with tempfile.TemporaryDirectory(prefix="openai-videos-gen-") as tmp:
        fresh = generate_into(Path(tmp))
        findings = lint_findings(fresh)
        if findings:
            return _refuse(findings)
        if args.check:
            if not TARGET.is_dir():
                print(
                    f"{TARGET.relative_to(ROOT)} is missing: run `make generate`", file=sys.stderr
                )
                return 1
            diffs = _differences(TARGET, fresh)
            if diffs:
                print("generated/ differs from a fresh `make generate`:", file=sys.stderr)
                print("\n".join(f"  {d}" for d in diffs), file=sys.stderr)
                return 1
            print("generated/ is up to date")
            return 0
        shutil.rmtree(TARGET, ignore_errors=True)
        shutil.copytree(fresh, TARGET, ignore=shutil.ignore_patterns("__pycache__", ".ruff_cache"))
    print(f"wrote {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
