"""Crash-safe batch runs: many prompts in, one MP4 per prompt out, resumable after any crash.

Every step is written ahead to ``manifest.json`` in the output directory before it is acted
on (replaced atomically, fsync'd, directory fsync'd):

1. ``pending``: the item's ``Idempotency-Key`` is chosen and saved *before* the create request;
   a run that dies mid-request sends the same key again, so a server that honours it (OpenAI's
   convention, the emulator) returns the same job instead of a second paid one;
2. ``created``: the job id is saved *before* waiting on it; a resumed run re-attaches to it;
3. ``completed`` / ``failed`` (with the error);
4. ``downloaded``: the MP4 is complete at its path (downloads are atomic, so a file there is
   whole); a resumed run never fetches it again.

A run killed at any moment and started again finishes the job: no job created twice, each
result downloaded once, stale temporary files removed.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs

from ._async._client import AsyncOpenAIVideos
from ._calls import new_idempotency_key
from ._download import atomic_file
from ._errors import APIError, PollTimeout, VideoGenerationFailed
from ._paths import inside, safe_name

__all__ = ["BatchItem", "BatchReport", "Manifest", "read_prompts", "run_batch"]

MANIFEST_NAME = "manifest.json"
_OPTION_KEYS = ("model", "seconds", "size")


@attrs.define
class BatchItem:
    """One prompt and how far it got."""

    index: int
    prompt: str
    options: dict[str, str]
    idempotency_key: str
    status: str = "pending"  # pending -> created -> completed | failed -> downloaded
    video_id: str | None = None
    error: str | None = None
    file: str | None = None


@attrs.frozen
class BatchReport:
    """What a run achieved."""

    downloaded: list[BatchItem]
    failed: list[BatchItem]

    @property
    def ok(self) -> bool:
        """Every prompt produced a file."""
        return not self.failed


def read_prompts(path: Path) -> list[dict[str, str]]:
    """Prompts from a JSONL file: one ``{"prompt": ..., "model"?, "seconds"?, "size"?}`` a line."""
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
        unknown = set(entry) - {"prompt", *_OPTION_KEYS}
        if unknown:
            msg = f"{path}:{number}: unknown fields {sorted(unknown)}"
            raise ValueError(msg)
        entries.append({key: str(value) for key, value in entry.items()})
    if not entries:
        msg = f"{path}: no prompts"
        raise ValueError(msg)
    return entries


class Manifest:
    """The write-ahead record of a batch, in ``DIR/manifest.json``."""

    def __init__(self, path: Path, items: list[BatchItem]) -> None:
        self.path = path
        self.items = items

    @classmethod
    def open(cls, out_dir: Path, prompts: list[dict[str, str]]) -> Manifest:
        """Resume the manifest in ``out_dir``, or start one (saved before anything is sent)."""
        out_dir.mkdir(parents=True, exist_ok=True)
        path = out_dir / MANIFEST_NAME
        if path.exists():
            data = json.loads(path.read_text(encoding="utf-8"))
            items = [BatchItem(**item) for item in data["items"]]
            if [item.prompt for item in items] != [entry["prompt"] for entry in prompts]:
                msg = f"{path} belongs to a different prompts file; use another output directory"
                raise ValueError(msg)
            return cls(path, items)
        items = [
            BatchItem(
                index=index,
                prompt=entry["prompt"],
                options={key: entry[key] for key in _OPTION_KEYS if key in entry},
                idempotency_key=new_idempotency_key(),
            )
            for index, entry in enumerate(prompts)
        ]
        manifest = cls(path, items)
        manifest.save()
        return manifest

    def update(self, item: BatchItem, **changes: Any) -> None:
        """Change an item and save at once."""
        for name, value in changes.items():
            setattr(item, name, value)
        self.save()

    def save(self) -> None:
        """Replace the file atomically and durably."""
        data = {"version": 1, "items": [attrs.asdict(item) for item in self.items]}
        with atomic_file(self.path) as file:
            file.write(json.dumps(data, indent=1).encode())


def _remove_stale_parts(out_dir: Path) -> None:
    """Temporary files of downloads that a killed run left behind."""
    for part in out_dir.glob(".*.part"):
        part.unlink(missing_ok=True)


async def _process(
    client: AsyncOpenAIVideos, manifest: Manifest, item: BatchItem, out_dir: Path
) -> None:
    if item.status == "pending":
        options = item.options
        video = await client.create(
            item.prompt,
            model=options.get("model"),
            seconds=options.get("seconds"),
            size=options.get("size"),
            idempotency_key=item.idempotency_key,
        )
        manifest.update(item, status="created", video_id=video.id)
    assert item.video_id is not None  # noqa: S101 - set when created
    if item.status == "created":
        video = await client.poll(item.video_id, raise_on_failure=False)
        if video.is_completed:
            manifest.update(item, status="completed")
        else:
            manifest.update(
                item, status="failed", error=str(video.error or f"status {video.status}")
            )
    if item.status == "completed":
        target = inside(
            out_dir, safe_name(item.video_id, prefix=f"{item.index:04d}-", suffix=".mp4")
        )
        if not target.exists():  # present means complete: downloads are atomic
            await client.download_to(item.video_id, target)
        manifest.update(item, status="downloaded", file=target.name)


async def run_batch(
    client: AsyncOpenAIVideos,
    prompts: list[dict[str, str]],
    out_dir: Path,
    *,
    concurrency: int = 4,
    on_item: Callable[[BatchItem], None] | None = None,
) -> BatchReport:
    """Generate and download a video per prompt, resuming whatever ``out_dir`` already holds.

    Args:
        client: The client to use (its retries and backoff apply to every request).
        prompts: From ``read_prompts``.
        out_dir: Where the MP4s and ``manifest.json`` go.
        concurrency: How many items are in flight at once.
        on_item: Called whenever an item reaches a final state (for progress display).

    Returns:
        The downloaded and the failed items; a failed item carries its error.
    """
    if concurrency < 1:
        msg = f"concurrency must be at least 1, but received {concurrency!r}"
        raise ValueError(msg)
    manifest = Manifest.open(out_dir, prompts)
    _remove_stale_parts(out_dir)
    gate = asyncio.Semaphore(concurrency)

    async def one(item: BatchItem) -> None:
        async with gate:
            try:
                await _process(client, manifest, item, out_dir)
            except (APIError, VideoGenerationFailed, PollTimeout) as exc:
                # a transient problem leaves the item resumable; record it for the report
                item.error = str(exc)
        if on_item is not None:
            on_item(item)

    await asyncio.gather(
        *(one(item) for item in manifest.items if item.status not in {"downloaded", "failed"})
    )
    downloaded = [item for item in manifest.items if item.status == "downloaded"]
    failed = [item for item in manifest.items if item.status != "downloaded"]
    return BatchReport(downloaded=downloaded, failed=failed)
