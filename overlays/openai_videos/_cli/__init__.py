"""The ``openai-videos`` command: parse, call the library, render. Needs the ``cli`` extra.

``_app`` holds the group, the context and the exit codes; the commands live by subject in
``_videos``, ``_batch`` and ``_tools``; ``_render`` builds what is shown.

Exit codes: 0 success, 1 a job failed or timed out (or a batch item did not produce a file),
2 usage error, 3 API or connection error, 4 refused before any request for its cost (over
``--max-cost``, or no rate to estimate it), 5 the batch job store cannot be used, 130
interrupted (the jobs go on; the message says
how to pick them up).
"""

from __future__ import annotations

try:
    import click  # noqa: F401 - fail early, with the extra to install
    import rich  # noqa: F401
except ImportError as exc:  # pragma: no cover - depends on the installation
    msg = f"the command line needs the cli extra: pip install 'openai-videos[cli]' ({exc.name} is missing)"
    raise SystemExit(msg) from exc

from . import _batch, _tools, _videos  # noqa: F401 - each registers its commands on ``cli``
from ._app import (
    EXIT_API_ERROR,
    EXIT_BUDGET,
    EXIT_INTERRUPTED,
    EXIT_JOB_FAILED,
    EXIT_STORE,
    EXIT_USAGE,
    cli,
    main,
)

__all__ = [
    "EXIT_API_ERROR",
    "EXIT_BUDGET",
    "EXIT_INTERRUPTED",
    "EXIT_JOB_FAILED",
    "EXIT_STORE",
    "EXIT_USAGE",
    "cli",
    "main",
]
