"""``openai-videos check``: a conformance report for any ``/v1/videos`` server.

By default it makes no request that can cost money: list, retrieve of a video it found and of an
unknown id, ``Range`` on existing content, and authentication. ``create=True`` opts in to exactly
one minimal job, which is polled, downloaded in all three variants and deleted where allowed.
The report says, per operation, whether it works and what deviates from the spec, which dialect
rules the client needs, and the client configuration to use.

``_report`` holds the report, ``_probe`` the bounded requests, ``_probes`` the free checks,
``_job`` the one job of ``--create``, ``_read`` how answers are read, ``_run`` the order.
"""

from __future__ import annotations

from ._probe import Probe, ProbeFailed
from ._report import CheckReport, OperationReport
from ._run import run_check

__all__ = ["CheckReport", "OperationReport", "Probe", "ProbeFailed", "run_check"]
