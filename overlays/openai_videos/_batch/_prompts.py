"""Reading a prompts file: one prompt a line (plain text, a JSON string or a JSON object)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

__all__ = ["OPTION_KEYS", "check_entry", "fingerprint", "read_prompts"]

OPTION_KEYS = ("model", "seconds", "size")


def read_prompts(path: Path) -> list[dict[str, str]]:
    """Prompts from a file, one a line: a JSON object ``{"prompt": ..., "model"?, "seconds"?,
    "size"?}``, a JSON string, or plain text (a line that does not start with ``{`` or ``"``
    is the prompt itself). Blank lines are skipped; ``null`` options mean the server's default.

    Raises:
        ValueError: A line is broken JSON, nested too deeply, has no prompt, unknown fields or
            a NUL character, or there are no prompts.
    """
    entries = []
    text = path.read_text(encoding="utf-8")
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        entry = _entry(line, where) if line.lstrip()[:1] in {"{", '"', "["} else line.strip()
        entries.append(check_entry(entry, where))
    if not entries:
        msg = f"{path}: no prompts"
        raise ValueError(msg)
    return entries


def _entry(line: str, where: str) -> object:
    try:
        return json.loads(line)
    except json.JSONDecodeError as exc:
        msg = (
            f"{where}: not JSON ({exc.msg}); write one prompt a line, as plain text or as "
            '{"prompt": "...", "seconds": "8"}'
        )
        raise ValueError(msg) from None
    except RecursionError:
        msg = f"{where}: nested too deeply to be a prompt"
        raise ValueError(msg) from None


def check_entry(entry: object, where: str = "prompt") -> dict[str, str]:
    """One prompt entry (a string, or an object with ``prompt`` and options), checked and with
    its options as strings; ``null`` options are left out (the server's default).

    Raises:
        ValueError: It has no prompt, unknown fields, an option that is not a plain value,
            or a NUL character (which no store can hold).
    """
    if isinstance(entry, str):
        entry = {"prompt": entry}
    if not isinstance(entry, dict) or not isinstance(entry.get("prompt"), str):
        msg = f'{where}: expected {{"prompt": "..."}} or a line of text'
        raise ValueError(msg)
    unknown = set(entry) - {"prompt", *OPTION_KEYS}
    if unknown:
        msg = f"{where}: unknown fields {sorted(unknown)}; known: prompt, {', '.join(OPTION_KEYS)}"
        raise ValueError(msg)
    checked: dict[str, str] = {}
    for key, value in entry.items():
        if value is None:
            continue
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            msg = f"{where}: {key!r} must be a string or a number, not {type(value).__name__}"
            raise ValueError(msg)
        checked[key] = str(value)
        if "\x00" in checked[key]:
            msg = f"{where}: {key!r} contains a NUL character"
            raise ValueError(msg)
    return checked


def fingerprint(prompts: list[dict[str, str]]) -> str:
    """What identifies a prompts file's content (a run refuses another file's prompts)."""
    canonical = json.dumps(prompts, sort_keys=True, ensure_ascii=False).encode()
    return hashlib.sha256(canonical).hexdigest()
