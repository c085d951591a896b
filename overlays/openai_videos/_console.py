"""Terminal output shared by the command line and the demo: the two consoles and the progress
bar. Needs the ``cli`` extra (rich)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

from openai_videos_api.models import Video

__all__ = ["err", "new_progress", "out", "progress_bar"]

out = Console()
err = Console(stderr=True)


@contextmanager
def progress_bar(enabled: bool, label: str) -> Iterator[Callable[[Video], None]]:
    """A live bar fed by ``on_progress``; silent when disabled."""
    if not enabled:
        yield lambda video: None
        return
    with new_progress() as progress:
        task = progress.add_task(label, total=100)

        def update(video: Video) -> None:
            progress.update(task, completed=video.progress, description=f"{label} [{video.status}]")

        yield update


def new_progress(*, disable: bool = False) -> Progress:
    """A progress display on stderr: description, bar, percentage, time elapsed."""
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        TimeElapsedColumn(),
    )
    return Progress(*columns, console=err, disable=disable)
