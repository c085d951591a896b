"""File names made from server strings (video ids): always one safe segment inside a directory.

A server chooses its ids, and a hostile or merely unusual one (LiteLLM's base64 ids contain
``/``, ``+`` and ``=``) must never steer a write outside the directory the user chose.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

__all__ = ["MAX_NAME_PART", "inside", "safe_name"]

MAX_NAME_PART = 96
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")
_RESERVED = re.compile(r"(?i)^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$")  # Windows devices


def safe_name(server_string: str, *, prefix: str = "", suffix: str = "") -> str:
    """A file name for ``server_string``: ``prefix + cleaned + suffix``.

    The cleaned part keeps ASCII letters, digits, ``.``, ``_`` and ``-`` (anything else becomes
    ``_``), never starts with a dot, is no device name, and has at most ``MAX_NAME_PART``
    characters. Where cleaning changed anything, a short hash of the original is appended, so
    two different ids never share a name. The result is one path segment of at most about 130
    characters (well under the 255 bytes file systems allow).
    """
    cleaned = _UNSAFE.sub("_", server_string)
    cleaned = "_" + cleaned[1:] if cleaned.startswith(".") else cleaned
    if _RESERVED.match(cleaned):
        cleaned = "_" + cleaned
    cleaned = cleaned[:MAX_NAME_PART]
    if cleaned != server_string or not cleaned:
        digest = hashlib.sha256(server_string.encode("utf-8", "surrogatepass")).hexdigest()[:12]
        cleaned = f"{cleaned}-{digest}" if cleaned else digest
    return f"{prefix}{cleaned}{suffix}"


def inside(directory: Path, name: str) -> Path:
    """``directory / name``, refusing any ``name`` that is not one plain segment.

    Raises:
        ValueError: ``name`` would leave ``directory`` (a second line of defence behind
            ``safe_name``).
    """
    candidate = directory / name
    if Path(name).name != name or name in {"", ".", ".."} or candidate.parent != directory:
        msg = f"refusing to write outside {str(directory)!r}: {name!r} is not a plain file name"
        raise ValueError(msg)
    return candidate
