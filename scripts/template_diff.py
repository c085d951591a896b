"""Show how templates/ differs from the pinned generator's built-in templates.

Run it after bumping openapi-python-client: the diff is what must be carried forward.
"""

from __future__ import annotations

import difflib
import sys
from pathlib import Path

import openapi_python_client

ROOT = Path(__file__).resolve().parent.parent
CUSTOM = ROOT / "templates"
BUILTIN = Path(openapi_python_client.__file__).parent / "templates"


def main() -> int:
    for custom in sorted(CUSTOM.rglob("*.jinja")):
        relative = custom.relative_to(CUSTOM)
        builtin = BUILTIN / relative
        old = builtin.read_text().splitlines(keepends=True) if builtin.exists() else []
        new = custom.read_text().splitlines(keepends=True)
        sys.stdout.writelines(
            difflib.unified_diff(old, new, f"builtin/{relative}", f"templates/{relative}")
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
