"""Terminal output shared by the command line and the demo: the two consoles, the progress
bar, and the one way server text reaches the terminal. Needs the ``cli`` extra (rich).

Every string that came from a server (ids, prompts, names, error messages) goes through
``plain`` or ``markup_safe`` before it is shown: control characters are removed, so an escape
sequence in a prompt cannot clear the screen or retitle the terminal, and rich markup in it is
shown as text, never interpreted.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn
from rich.text import Text

from openai_videos_api.models import Video

__all__ = ["clean", "err", "markup_safe", "new_progress", "out", "plain", "progress_bar"]

# C0 and C1 controls (ESC, BEL, CR, ...) and the bidirectional overrides that reorder text.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

out = Console()
err = Console(stderr=True)


def clean(value: object) -> str:
    """``str(value)`` without control characters (tabs and newlines are kept)."""
    return _CONTROL.sub("", str(value))


def plain(value: object) -> Text:
    """Server text as a rich ``Text``: cleaned, and never parsed as markup."""
    return Text(clean(value))


def markup_safe(value: object) -> str:
    """Server text to put inside a markup string: cleaned, and its brackets escaped."""
    return escape(clean(value))


@contextmanager
def progress_bar(enabled: bool, label: str) -> Iterator[Callable[[Video], None]]:
    """A live bar fed by ``on_progress``; silent when disabled."""
    if not enabled:
        yield lambda video: None
        return
    label = markup_safe(label)
    with new_progress() as progress:
        task = progress.add_task(label, total=100)

        def update(video: Video) -> None:
            status = markup_safe(video.status)
            progress.update(task, completed=video.progress, description=f"{label} \\[{status}]")

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
