"""The output directory as the last line of defence: a provenance record beside each video.

Each downloaded video ``NNNN-ID.mp4`` gets ``NNNN-ID.mp4.json``, written atomically: the
prompt and options, the job id, the server (its URL without credentials), the run, when, the
size and sha256 of the file, and the estimated (and, where the server said, reported) cost.

The records let a run notice that the store which knew these videos is gone (deleted,
emptied, another database): starting afresh would pay for every prompt again. They also let
the store be rebuilt from the directory (``adopt``), and say which prompt made which file.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from .._download import atomic_file
from ._prompts import OPTION_KEYS

__all__ = [
    "RECORD_SUFFIX",
    "ForeignOutputs",
    "foreign_outputs",
    "match_records",
    "read_records",
    "record_path",
    "sha256_of",
    "write_record",
]

RECORD_SUFFIX = ".json"
MAX_RECORD_BYTES = 256 * 1024  # a record holds one prompt (at most 32,000 characters)


class ForeignOutputs(RuntimeError):
    """The output directory holds videos of a run this store does not know: creating would
    pay for them again."""


def record_path(video: Path) -> Path:
    """Where the record of ``video`` lives."""
    return video.with_name(video.name + RECORD_SUFFIX)


def sha256_of(path: Path) -> str:
    """The file's SHA-256, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(2**20):
            digest.update(chunk)
    return digest.hexdigest()


def write_record(video: Path, record: Mapping[str, Any], *, durable: bool = False) -> Path:
    """Write ``record`` beside ``video`` atomically, adding the file's size and sha256.

    Not fsync'd by default: a record matters only once the store is lost, and a record lost
    to a power cut leaves its video without one, which a fresh store still refuses to create
    beside (``foreign_outputs``); two more fsyncs per video cost more than they buy.
    """
    data = {
        **record,
        "file": video.name,
        "bytes": video.stat().st_size,
        "sha256": sha256_of(video),
        "saved_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    target = record_path(video)
    with atomic_file(target, durable=durable) as file:
        file.write(json.dumps(data, indent=2, ensure_ascii=False).encode())
    return target


def read_records(out_dir: Path) -> list[dict[str, Any]]:
    """Every readable record in ``out_dir`` whose video is there too (others are ignored)."""
    records = []
    for path in sorted(out_dir.glob(f"*.mp4{RECORD_SUFFIX}")):
        video = path.with_name(path.name.removesuffix(RECORD_SUFFIX))
        try:
            if path.stat().st_size > MAX_RECORD_BYTES or not video.is_file():
                continue
            record = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError, RecursionError):
            continue
        if isinstance(record, dict) and isinstance(record.get("prompt"), str):
            records.append(record)
    return records


def foreign_outputs(out_dir: Path, known_runs: Iterable[str]) -> list[str]:
    """The videos in ``out_dir`` that no run of the store accounts for: those with a record
    of a run the store does not hold, and, in a store with no run at all, any MP4."""
    known = set(known_runs)
    if not out_dir.is_dir():
        return []
    foreign = [str(r["file"]) for r in read_records(out_dir) if r.get("run") not in known]
    if not known:
        recorded = set(foreign)
        foreign += sorted(p.name for p in out_dir.glob("*.mp4") if p.name not in recorded)
    return foreign


def match_records(
    prompts: list[dict[str, str]], records: list[dict[str, Any]]
) -> dict[int, dict[str, Any]]:
    """Prompt index -> the record of a video made for exactly that prompt and options (each
    record used once, prompts matched in order)."""
    unused = list(records)
    matched: dict[int, dict[str, Any]] = {}
    for index, entry in enumerate(prompts):
        options = {key: entry[key] for key in OPTION_KEYS if key in entry}
        for record in unused:
            if record.get("prompt") == entry["prompt"] and record.get("options") == options:
                matched[index] = record
                unused.remove(record)
                break
    return matched
