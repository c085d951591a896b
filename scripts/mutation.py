"""Mutation testing of the I/O-free decision modules (``make mutation``; not part of CI).

Each module is mutated by cosmic-ray (a comparison flipped, a condition negated, a constant off
by one, a keyword changed, ...), and the tests that exercise it run against every mutant; a
mutant they do not notice "survives". Prints the score per module; ``--module NAME`` runs one.

Needs the ``mutation`` extra (``pip install -e '.[mutation]'``). A run changes each module in
place while it works and restores it afterwards; do not edit the tree meanwhile.

Usage::

    python scripts/mutation.py                     # every module below (about 90 minutes)
    python scripts/mutation.py --module _paths     # one
    python scripts/mutation.py --show _paths       # its survivors not known to be equivalent

A survivor counts as equivalent when it only rewrites an annotation, or when
``mutation_equivalents.EQUIVALENT`` lists it with the reason it cannot change behaviour.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from mutation_equivalents import EQUIVALENT

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / ".mutation"
PYTEST = f"{sys.executable} -m pytest -x -q -p no:cacheprovider"
# module -> the tests that pin it (fast ones: every mutant runs them)
MODULES = {
    "_paths": "tests/test_decisions.py tests/test_properties.py -k 'safe or inside or name'",
    "_retry": "tests/test_retries.py",
    "_download": "tests/test_transfer_rules.py",
    "_body": "tests/test_body_rules.py tests/test_decisions.py",
    "_reconcile": "tests/test_reconcile.py",
    "_batch._store": "tests/test_store_rules.py",
    "_batch._operations": "tests/test_store_rules.py",
    "_batch._schema": "tests/test_store_rules.py",
    "_dialects": "tests/test_dialect_rules.py tests/test_dialects.py tests/test_decisions.py tests/test_hostile_round2.py -k 'not store and not postgres and not batch'",
}


def _config(module: str, scratch: Path) -> Path:
    path = scratch / f"{module}.toml"
    path.write_text(
        "[cosmic-ray]\n"
        f'module-path = "overlays/openai_videos/{module.replace(".", "/")}.py"\n'
        "timeout = 120.0\n"
        "excluded-modules = []\n"
        f'test-command = "{PYTEST} {MODULES[module]}"\n\n'
        '[cosmic-ray.distributor]\nname = "local"\n',
        encoding="utf-8",
    )
    return path


def run(module: str) -> tuple[int, int, int]:
    """Mutate ``module``; returns (mutants, survivors, equivalent survivors)."""
    cosmic_ray = shutil.which("cosmic-ray", path=str(Path(sys.executable).parent))
    if cosmic_ray is None:
        raise SystemExit("cosmic-ray is missing: pip install -e '.[mutation]'")
    WORK.mkdir(exist_ok=True)
    session = WORK / f"{module}.sqlite"
    session.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        config = _config(module, Path(scratch))
        subprocess.run([cosmic_ray, "init", str(config), str(session)], cwd=ROOT, check=True)
        subprocess.run([cosmic_ray, "exec", str(config), str(session)], cwd=ROOT, check=True)
    return _score(module, session)


def _report(session: Path, *options: str) -> str:
    """What cosmic-ray's ``cr-report`` says of a session."""
    report = str(Path(sys.executable).parent / "cr-report")
    command = [report, *options, str(session)]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def _survivors(session: Path) -> list[str]:
    """The report of each surviving mutant (its job id onwards, its diff included)."""
    diff = _report(session, "--show-diff", "--surviving-only")
    return [f"[job-id]{block}" for block in diff.split("[job-id]")[1:]]


def _score(module: str, session: Path) -> tuple[int, int, int]:
    """(mutants, survivors, survivors that are equivalent: see ``is_equivalent``)."""
    lines = _report(session).splitlines()
    total = int(next(line for line in lines if line.startswith("total jobs")).split()[-1])
    survivors = [_changes(block) for block in _survivors(session)]
    return total, len(survivors), sum(is_equivalent(module, pairs) for pairs in survivors)


def _changes(block: str) -> list[tuple[str, str]]:
    """The (original, mutated) lines of one mutant's diff."""
    removed, added = [], []
    for line in block.splitlines():
        if line.startswith("-") and not line.startswith("---"):
            removed.append(line[1:].strip())
        elif line.startswith("+") and not line.startswith("+++"):
            added.append(line[1:].strip())
    return list(zip(removed, added, strict=False)) if len(removed) == len(added) else []


def is_equivalent(module: str, changes: list[tuple[str, str]]) -> bool:
    """Whether a surviving mutant cannot change what ``module`` does: it only rewrites a type
    annotation (``int | None`` -> ``int * None``; annotations are never evaluated here, under
    ``from __future__ import annotations``), or it is one of ``EQUIVALENT[module]``."""
    known = EQUIVALENT.get(module, set())
    return bool(changes) and all(
        (old, new) in known or ("| None" in old and _ANNOTATION.sub(" | None", new) == old)
        for old, new in changes
    )


_ANNOTATION = re.compile(r" (?:\*\*|//|<<|>>|[-+*/%^&]) None")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--module", choices=sorted(MODULES))
    parser.add_argument(
        "--show", choices=sorted(MODULES), help="print the survivors not known to be equivalent"
    )
    args = parser.parse_args()
    if args.show:
        for block in _survivors(WORK / f"{args.show}.sqlite"):
            if not is_equivalent(args.show, _changes(block)):
                print(block, end="")
        return
    rows = []
    for module in [args.module] if args.module else list(MODULES):
        rows.append((module, *run(module)))
    print("| module | mutants | survived | of them equivalent | killed of the rest |")
    print("|---|---|---|---|---|")
    for module, total, survivors, equivalent in rows:
        rest = total - equivalent
        killed = (rest - (survivors - equivalent)) / rest if rest else 1.0
        print(f"| {module} | {total} | {survivors} | {equivalent} | {killed:.0%} |")


if __name__ == "__main__":
    main()
