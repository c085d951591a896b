"""Reading a prompts file: one JSON object (or bare string) a line."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

__all__ = ["OPTION_KEYS", "fingerprint", "read_prompts"]

OPTION_KEYS = ("model", "seconds", "size")


def read_prompts(path: Path) -> list[dict[str, str]]:
    """Prompts from a JSONL file: one ``{"prompt": ..., "model"?, "seconds"?, "size"?}`` a line.

    Raises:
        ValueError: A line is not JSON, has no prompt or unknown fields, or there are none.
    """
    entries = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except json.JSONDecodeError as exc:
            msg = f"{path}:{number}: not JSON ({exc.msg})"
            raise ValueError(msg) from None
        if isinstance(entry, str):
            entry = {"prompt": entry}
        if not isinstance(entry, dict) or not isinstance(entry.get("prompt"), str):
            msg = f'{path}:{number}: expected {{"prompt": "..."}}'
            raise ValueError(msg)
        unknown = set(entry) - {"prompt", *OPTION_KEYS}
        if unknown:
            msg = f"{path}:{number}: unknown fields {sorted(unknown)}"
            raise ValueError(msg)
        entries.append({key: str(value) for key, value in entry.items()})
    if not entries:
        msg = f"{path}: no prompts"
        raise ValueError(msg)
    return entries


def fingerprint(prompts: list[dict[str, str]]) -> str:
    """What identifies a prompts file's content (a run refuses another file's prompts)."""
    canonical = json.dumps(prompts, sort_keys=True, ensure_ascii=False).encode()
    return hashlib.sha256(canonical).hexdigest()
