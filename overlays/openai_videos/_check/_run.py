"""The order of a check, and its rule: an answer no probe can read is a finding."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from .._errors import APIConnectionError
from ._job import create_and_poll, download_and_delete
from ._openapi import capabilities_from_openapi
from ._probe import Probe, ProbeFailed
from ._probes import (
    check_auth,
    check_content,
    check_error_shape,
    check_list,
    check_retrieve,
    other_contract,
    read_openapi,
)
from ._read import configuration, dialect_rules, first_completed
from ._report import CheckReport, OperationReport

__all__ = ["run_check"]


def run_check(
    base_url: str,
    *,
    api_key: str | None = None,
    create: bool = False,
    http_client: httpx.Client | None = None,
    poll_timeout: float = 600.0,
    on_step: Callable[[str], None] | None = None,
) -> CheckReport:
    """Probe ``base_url`` and report how it speaks ``/v1/videos``.

    Args:
        base_url: The server, e.g. ``http://localhost:4000/v1``.
        api_key: Sent as a bearer token (or in ``api-key`` if the server wants that).
        create: Also create one minimal job (this may cost money), poll it, download its three
            variants and delete it.
        http_client: Your own ``httpx.Client`` (proxies, transports).
        poll_timeout: With ``create``, how long to wait for the job.
        on_step: Called with a short description before each step.

    Raises:
        APIConnectionError: The server could not be reached (or broke off an answer).
    """
    step = on_step or (lambda text: None)
    report = CheckReport(base_url=base_url)
    http = http_client or httpx.Client(timeout=30.0, follow_redirects=False)
    probe = Probe(http, base_url, api_key)
    try:
        for name, check in (
            ("authentication", check_auth),
            ("list", check_list),
            ("errors", check_error_shape),
        ):
            step(name)
            report.operations.append(_finding(name, check, probe))
        _server_documents(probe, report, step)
        if report.contract is not None:
            return report
        created: list[OperationReport] = []
        finished: str | None = None
        if create:
            try:
                created, finished = create_and_poll(probe, report, poll_timeout, step)
            except ProbeFailed as failure:
                created = [OperationReport("create", "fails", [str(failure)])]
        step("retrieve")
        report.operations.append(_finding("retrieve", check_retrieve, probe))
        step("content")
        finished = finished or first_completed(probe.videos_seen)
        report.operations.append(_finding("content", check_content, probe, finished))
        report.operations += created
        if create and finished is not None:
            try:
                report.operations += download_and_delete(probe, finished, step)
            except ProbeFailed as failure:
                report.operations.append(OperationReport("delete", "fails", [str(failure)]))
        if not create:
            report.operations.append(
                OperationReport("create", "not checked", ["run with --create to try one job"])
            )
    finally:
        if http_client is None:
            http.close()
    report.dialect_rules = dialect_rules(probe.videos_seen)
    report.configuration = configuration(probe, report.dialect_rules)
    return report


def _server_documents(probe: Probe, report: CheckReport, step: Callable[[str], None]) -> None:
    """The server's own OpenAPI document, where it publishes one (its capabilities, for free),
    and, when it lists no videos, whether another contract lives at the same paths."""
    step("openapi.json")
    try:
        document = read_openapi(probe)
    except (ProbeFailed, APIConnectionError):
        document = None
    derived = capabilities_from_openapi(document) if document is not None else None
    if derived is not None:
        report.capabilities = derived.to_json()
        report.create_encodings = dict.fromkeys(derived.encodings, "accepted (its OpenAPI)")
    listed = next((op for op in report.operations if op.operation == "list"), None)
    if listed is not None and listed.outcome == "not offered":
        step("another contract at /videos")
        report.contract = other_contract(probe)
        if report.contract is None and derived is None:
            report.verdict = _not_a_videos_server(probe.base_url)


def _not_a_videos_server(base_url: str) -> str:
    """What to say when nothing at ``base_url`` answers as a ``/v1/videos`` server."""
    message = f"this does not look like a /v1/videos server: GET {base_url}/videos is not there"
    path = httpx.URL(base_url).path.rstrip("/")
    if not path.endswith("/v1"):
        message += f"; is the API prefix missing (try {base_url.rstrip('/')}/v1)?"
    return message


def _finding(name: str, check: Callable[..., OperationReport], *args: Any) -> OperationReport:
    """``check(*args)``; an answer it cannot read is a failed operation in the report, never a
    crash of the check (it exists to describe broken servers)."""
    try:
        return check(*args)
    except ProbeFailed as failure:
        return OperationReport(name, "fails", [str(failure)])
    except APIConnectionError:
        raise
    except Exception as error:  # a shape no probe foresaw: still a finding
        return OperationReport(
            name, "fails", [f"unreadable answer ({type(error).__name__}: {error})"]
        )
