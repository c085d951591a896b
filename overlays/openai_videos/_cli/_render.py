"""What the command line shows: rich renderables built from the library's objects (no click).

Every string that came from a server goes through ``plain`` (see ``_console``).
"""

from __future__ import annotations

import time
from typing import Any

from rich import box
from rich.table import Table
from rich.text import Text

from openai_videos_api.errors import PayloadError
from openai_videos_api.models import Video

from .._console import clean, plain
from .._pricing import Estimate

__all__ = ["check_table", "estimate_table", "status_table", "video_details", "video_table"]


def _when(video: Video, name: str) -> str:
    """A timestamp of ``video`` for people: ISO 8601, "-" when unset, or the raw number with a
    note when no date can hold it."""
    try:
        moment = getattr(video, f"{name}_datetime")
    except PayloadError:
        return f"{getattr(video, name)} (out of range)"
    return moment.isoformat() if moment else "-"


def details(rows: dict[str, Any]) -> Table:
    """A two-column grid of labels and (server) values."""
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold")
    table.add_column(overflow="fold")
    for key, value in rows.items():
        table.add_row(key, plain("-" if value is None else value))
    return table


def video_details(video: Video) -> Table:
    """One video, field by field."""
    return details(
        {
            "id": video.id,
            "status": f"{video.status} ({video.progress}%)",
            "model": str(video.model),
            "size": str(video.size or "-"),
            "seconds": video.seconds,
            "created": _when(video, "created_at"),
            "completed": _when(video, "completed_at"),
            "expires": _expiry(video),
            "source video": video.remixed_from_video_id or "-",
            "error": str(video.error) if video.error else "-",
            "prompt": video.prompt or "-",
        }
    )


EXPIRY_WARNING = 3600  # seconds: content about to expire is flagged


def _seconds_left(video: Video, now: float) -> float | None:
    """How long the content stays downloadable (None: the server does not say)."""
    return video.expires_at - now if isinstance(video.expires_at, int) else None


def _expiry(video: Video, now: float | None = None) -> str:
    """When the content expires, flagged when it has or is about to (then it cannot be
    downloaded any more)."""
    shown = _when(video, "expires_at")
    left = _seconds_left(video, time.time() if now is None else now)
    if left is None:
        return shown
    if left <= 0:
        return f"{shown} (expired: the content can no longer be downloaded)"
    if left <= EXPIRY_WARNING:
        return f"{shown} (in {max(1, round(left / 60))} min: download it now)"
    return shown


def _short(video: Video, name: str) -> str:
    """A timestamp as ``MM-DD HH:MM`` (UTC) for a table, "-" when unset."""
    full = _when(video, name)
    return full[5:16].replace("T", " ") if full[:1].isdigit() else full


def _expires_in(video: Video, now: float) -> str:
    left = _seconds_left(video, now)
    if left is None:
        return "-"
    if left <= 0:
        return "expired"
    return f"{left / 3600:.0f}h" if left >= 3600 else f"{max(1, round(left / 60))}m"


def video_table(videos: list[Video], width: int = 80) -> Table:
    """Videos, a row each. Ids are never cut. From 110 columns the prompt has its own column
    with size and seconds; below, it goes on a line of its own under each video."""
    wide = width >= 110
    names = ["id", "status", "created UTC", "expires", *(["size", "s", "prompt"] if wide else [])]
    now = time.time()
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, padding=(0, 1))
    for name in names:
        table.add_column(name, no_wrap=True, overflow="ellipsis")
    for video in videos:
        status = str(video.status) if video.is_terminal else f"{video.status} {video.progress}%"
        cells = [video.id, status, _short(video, "created_at"), _expires_in(video, now)]
        prompt = clean(video.prompt or "").replace("\n", " ")
        if wide:
            cells += [str(video.size or ""), str(video.seconds)]
            table.add_row(*(Text(clean(cell)) for cell in cells), Text(prompt))
            continue
        table.add_row(*(Text(clean(cell)) for cell in cells))
        if prompt:
            table.add_row(Text(f"  {prompt}", style="dim"), end_section=False)
    widest_id = max([2, *(len(video.id) for video in videos)])
    table.columns[0].min_width = table.columns[0].max_width = widest_id  # prompts do not widen it
    if wide:
        used = sum(max([len(n), *(len(str(r)) for r in col.cells)]) + 3
                   for n, col in zip(names[:-1], table.columns[:-1], strict=True))  # fmt: skip
        table.columns[-1].max_width = max(8, width - used)
    return table


def estimate_table(estimates: list[Estimate], total: float | None = None) -> Table:
    """Estimates, a row each, with their rates' dates and sources."""
    table = Table("model", "size", "seconds", "USD/s", "USD", "rate as of", "source")
    for found in estimates:
        table.add_row(
            *(plain(cell) for cell in (found.model, found.size, f"{found.seconds:g}")),
            f"{found.rate.usd_per_second:.3f}",
            f"{found.usd:.2f}",
            plain(found.rate.as_of or "-"),
            plain(found.rate.source),
        )
    if total is not None:
        table.add_row("total", "", "", "", f"{total:.2f}", "", "")
    return table


def status_table(data: dict[str, Any]) -> Table:
    """A batch run's counts by state (``batch status``'s JSON, as a table)."""
    table = Table("state", "items", title=plain(f"run {data['run']!r}: {data['total']} prompts"))
    for state, count in data["counts"].items():
        table.add_row(state, str(count))
    return table


def check_table(report: Any) -> Table:
    """A conformance report of ``openai-videos check``."""
    table = Table("operation", "outcome", "notes", title=plain(f"/v1/videos at {report.base_url}"))
    for operation in report.operations:
        table.add_row(operation.operation, operation.outcome, plain("; ".join(operation.notes)))
    rules = ", ".join(report.dialect_rules) or "none needed"
    table.add_row("dialect", "-", plain(f"rules the client applies: {rules}"))
    settings = ", ".join(f"{k}={v!r}" for k, v in report.configuration.items())
    table.add_row("configure", "-", plain(f"OpenAIVideos({settings})"))
    table.add_row("jobs created", "-", str(report.jobs_created))
    if report.create_encodings:
        encodings = ", ".join(f"{k} {v}" for k, v in report.create_encodings.items())
        table.add_row("create encodings", "-", plain(encodings))
    if report.capabilities:
        extras = ", ".join(f"{k} as {v}" for k, v in report.capabilities["extras"].items())
        table.add_row("its OpenAPI", "-", plain(f"extras it takes: {extras or 'none'}"))
    for label, text in (("contract", report.contract), ("verdict", report.verdict)):
        if text:
            table.add_row(label, "fails", plain(text))
    return table
