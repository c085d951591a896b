"""What the command line shows: rich renderables built from the library's objects (no click).

Every string that came from a server goes through ``plain`` (see ``_console``).
"""

from __future__ import annotations

from typing import Any

from rich.table import Table

from openai_videos_api.errors import PayloadError
from openai_videos_api.models import Video

from .._console import plain
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
            "remix of": video.remixed_from_video_id or "-",
            "error": str(video.error) if video.error else "-",
            "prompt": video.prompt or "-",
        }
    )


def video_table(videos: list[Video]) -> Table:
    """Videos, a row each."""
    table = Table("id", "status", "size", "seconds", "prompt")
    table.columns[0].no_wrap = True
    for video in videos:
        status = f"{video.status} {video.progress}%" if not video.is_terminal else str(video.status)
        cells = (video.id, status, video.size or "", video.seconds, (video.prompt or "")[:30])
        table.add_row(*(plain(cell) for cell in cells))
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
    return table
