"""``openai-videos batch``: run (or resume) a batch, see where it stands, retry what failed."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import click

from .._batch._schema import BatchItem, ItemStatus, RunStatus
from .._console import err, markup_safe, new_progress, out, plain
from ._app import (
    EXIT_INTERRUPTED,
    EXIT_JOB_FAILED,
    Context,
    cli,
    echo_json,
    pass_context,
    rate_options,
    rate_table,
    reported_errors,
)
from ._render import status_table

__all__ = ["batch"]

F = TypeVar("F", bound=Callable[..., Any])


class _DefaultGroup(click.Group):
    """A group whose first argument, when it names no subcommand, goes to ``run``:
    ``batch prompts.jsonl --out DIR`` is ``batch run prompts.jsonl --out DIR``."""

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args = ["run", *args]
        return super().resolve_command(ctx, args)


def _store_options(function: F) -> F:
    function = click.option(
        "--run",
        "run_name",
        default="default",
        show_default=True,
        help="The run's name in the store.",
    )(function)
    function = click.option(
        "--store",
        help="postgresql://... to share the run between workers on any machines "
        "(default: a SQLite file in --out).",
    )(function)
    return click.option(
        "--out",
        "out_dir",
        type=click.Path(file_okay=False, path_type=Path),
        required=True,
        help="Directory for the MP4s, their provenance records (and the default SQLite store).",
    )(function)


@cli.group(cls=_DefaultGroup)
def batch() -> None:
    """Generate a video per line of a JSONL file; safe to kill and run again (it resumes).

    `openai-videos batch PROMPTS --out DIR` runs (or resumes) a batch; `batch status` and
    `batch retry` operate it.
    """


def _dry_run(ctx: Context, entries: list[dict[str, str]], estimates: list[float | None],
             missing: dict[str, int], max_cost: float | None) -> None:  # fmt: skip
    known = sum(cost for cost in estimates if cost is not None)
    data = {
        "jobs": len(entries),
        "estimated_usd": round(known, 6),
        "unpriced": [{"reason": text, "prompts": n} for text, n in missing.items()],
        "max_cost": max_cost,
        "within_budget": None if max_cost is None or missing else known <= max_cost,
    }
    if ctx.as_json:
        echo_json(data)
        return
    err.print(plain(f"dry run: {len(entries)} jobs, estimated USD {known:.2f}; nothing was sent"))
    for text, count in missing.items():
        err.print(plain(f"  {count} prompts without an estimate: {text}"))
    if max_cost is not None and not missing:
        verdict = "within" if known <= max_cost else "OVER"
        err.print(plain(f"  {verdict} --max-cost {max_cost:g}"))


@batch.command(name="run")
@click.argument("prompts", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_store_options
@click.option(
    "--concurrency",
    type=click.IntRange(1, 256),
    default=4,
    show_default=True,
    help="Items this process works on at once.",
)
@click.option(
    "--max-in-flight", type=click.IntRange(1), help="Jobs running at once, across all workers."
)
@click.option(
    "--requests-per-minute", type=click.IntRange(1), help="Requests a minute, across all workers."
)
@click.option(
    "--lease-seconds",
    type=click.FloatRange(1),
    default=30.0,
    show_default=True,
    help="How long a dead worker's items wait before another worker takes them over.",
)
@click.option(
    "--max-cost",
    type=click.FloatRange(0),
    metavar="USD",
    help="A budget for the run, across all workers: each create reserves its estimate first.",
)
@click.option(
    "--dry-run", is_flag=True, help="Print the jobs and their estimated cost; send nothing."
)
@click.option(
    "--adopt-outputs",
    is_flag=True,
    help="Rebuild a lost store from the provenance records in --out instead of refusing.",
)
@click.option(
    "--progress-every",
    type=click.FloatRange(0.1),
    default=30.0,
    show_default=True,
    metavar="SECONDS",
    help="Without a terminal (nohup, CI), print the run's progress as a line this often.",
)
@rate_options
@pass_context
def batch_run(
    ctx: Context,
    *,
    prompts: Path,
    out_dir: Path,
    store: str | None,
    run_name: str,
    concurrency: int,
    max_in_flight: int | None,
    requests_per_minute: int | None,
    lease_seconds: float,
    max_cost: float | None,
    dry_run: bool,
    adopt_outputs: bool,
    rates_file: Path | None,
    rate_specs: tuple[str, ...],
    progress_every: float,
) -> None:
    """Run or resume a batch (any number of processes may share a PostgreSQL --store).

    Progress counts the whole run, every worker's items included, from the store: a live line
    on a terminal, a plain line every --progress-every seconds without one.
    """
    from .._batch import BatchLocked, ForeignOutputs, RunMismatch, read_prompts, run_batch
    from .._batch._runner import estimate_prompts

    with reported_errors():
        entries = read_prompts(prompts)
        rates = rate_table(rates_file, rate_specs)
        if dry_run:
            _dry_run(ctx, entries, *estimate_prompts(entries, rates), max_cost)
            return
        client = ctx.async_client()
        mine: list[BatchItem] = []  # this process's downloads, for where its files are
        live = not ctx.as_json and err.is_terminal
        with _run_progress(enabled=not ctx.as_json, live=live) as on_progress:

            async def go() -> Any:
                async with client:
                    return await run_batch(
                        client,
                        entries,
                        out_dir,
                        concurrency=concurrency,
                        store=store,
                        run=run_name,
                        max_in_flight=max_in_flight,
                        requests_per_minute=requests_per_minute,
                        lease_seconds=lease_seconds,
                        max_cost=max_cost,
                        rates=rates,
                        adopt_outputs=adopt_outputs,
                        on_item=mine.append,
                        on_progress=on_progress,
                        progress_every=1.0 if live else progress_every,
                    )

            try:
                report = asyncio.run(go())
            except (BatchLocked, RunMismatch, ForeignOutputs) as exc:
                raise click.UsageError(str(exc)) from None
            except KeyboardInterrupt:
                on_progress.stop()
                _interrupted(ctx, out_dir, store, run_name)
    _summary(ctx, report, out_dir, mine)


class _RunProgress:
    """The whole run's progress as the store tells it: a live line on a terminal, a plain log
    line at each report without one, nothing for ``--json``. Called on the store's thread."""

    def __init__(self, *, enabled: bool, live: bool) -> None:
        self.enabled = enabled
        self.display = new_progress(disable=not (enabled and live))
        self.task = self.display.add_task("batch", total=None)
        self.live = live

    def __call__(self, status: RunStatus) -> None:
        if not self.enabled:
            return
        if not self.live:
            err.print(plain(f"batch {status.run}: {status.line()}"), soft_wrap=True)
            return
        finished = status.total - status.remaining
        self.display.update(
            self.task, total=status.total, completed=finished, description=status.line()
        )

    def stop(self) -> None:
        self.display.stop()


@contextlib.contextmanager
def _run_progress(*, enabled: bool, live: bool) -> Iterator[_RunProgress]:
    progress = _RunProgress(enabled=enabled, live=live)
    with progress.display:
        yield progress


def _interrupted(ctx: Context, out_dir: Path, store: str | None, run_name: str) -> None:
    """Ctrl-C (or SIGTERM) during a batch: its jobs go on, and the same command resumes."""
    from .._batch import open_store

    opened = open_store(store, out_dir, run_name)
    try:
        counts = opened.status().counts
    finally:
        opened.close()
    running = counts.get("created", 0) + counts.get("completed", 0)
    message = (
        f"interrupted: {running} jobs are in flight on the server (their ids are kept in the "
        f"store) and {counts.get('pending', 0)} not started; run the same command again to "
        "resume them: nothing is created twice"
    )
    if ctx.as_json:
        echo_json({"interrupted": True, "in_flight": running, "counts": counts, "message": message})
    else:
        err.print(plain(message))
    raise SystemExit(EXIT_INTERRUPTED)


def _summary(ctx: Context, report: Any, out_dir: Path, mine: list[BatchItem]) -> None:
    summary = report.to_json()
    if ctx.as_json:
        echo_json(summary)
    else:
        if report.status is not None:
            err.print(plain(f"batch {report.status.run}: {report.status.line()}"), soft_wrap=True)
        written = sum(1 for item in mine if item.status == ItemStatus.DOWNLOADED)
        err.print(plain(f"this process downloaded {written} into {out_dir}"), soft_wrap=True)
        requests = ", ".join(f"{n} {outcome}" for outcome, n in sorted(report.requests.items()))
        err.print(plain(f"requests: {requests or 'none'}"))
        for label, items in (("red", report.failed), ("yellow", report.uncertain)):
            for item in items:
                prompt, error = markup_safe(repr(item.prompt[:40])), markup_safe(item.error)
                err.print(f"  [{label}]#{item.index}[/{label}] {prompt}: {error}", highlight=False)
    if not report.ok:
        raise SystemExit(EXIT_JOB_FAILED)


@batch.command(name="status")
@_store_options
@pass_context
def batch_status(ctx: Context, *, out_dir: Path, store: str | None, run_name: str) -> None:
    """Counts by state, failures, uncertain items, spend, throughput and time left."""
    from .._batch import open_store

    with reported_errors():
        opened = open_store(store, out_dir, run_name, create=False)
        try:
            status = opened.status()
        finally:
            opened.close()
    data = status.to_json()
    if ctx.as_json:
        echo_json(data)
        return
    out.print(status_table(data))
    out.print(plain(status.line()), soft_wrap=True)
    spend = f"spend: estimated USD {status.estimated_usd:.2f}"
    if status.reported_usd is not None:
        spend += f", reported by the server USD {status.reported_usd:.2f}"
    if status.budget is not None:
        spend += f", budget USD {status.budget:.2f}"
    out.print(plain(spend))
    for label, items in (("failed", status.failures), ("uncertain", status.uncertain)):
        for item in items:
            out.print(plain(f"  {label} #{item.index} {item.prompt[:40]!r}: {item.error}"))


@batch.command(name="retry")
@_store_options
@click.option(
    "--uncertain",
    is_flag=True,
    help="Also re-send the creates parked as uncertain (on a server that ignores "
    "Idempotency-Key this may pay for a second job).",
)
@pass_context
def batch_retry(
    ctx: Context, *, out_dir: Path, store: str | None, run_name: str, uncertain: bool
) -> None:
    """Put failed items back in the queue (a failed job is created again: paid again)."""
    from .._batch import open_store

    with reported_errors():
        opened = open_store(store, out_dir, run_name, create=False)
        try:
            count = opened.retry_failed(uncertain=uncertain)
        finally:
            opened.close()
    if ctx.as_json:
        echo_json({"retried": count})
    else:
        err.print(plain(f"{count} items are queued again; run the batch to process them"))


@batch.command(name="report")
@_store_options
@click.option(
    "--no-thumbnails",
    is_flag=True,
    help="Fetch no thumbnail from the server (cards without one show none).",
)
@pass_context
def batch_report(
    ctx: Context, *, out_dir: Path, store: str | None, run_name: str, no_thumbnails: bool
) -> None:
    """Write OUT/gallery.html: a card per item (thumbnail, prompt, state, the video playable in
    place), filtered by state; it opens from the folder, offline."""
    from .._batch import open_store
    from .._batch._gallery import THUMBNAILS, thumbnail_name, write_gallery

    with reported_errors():
        opened = open_store(store, out_dir, run_name, create=False)
        try:
            items = list(opened.items())
        finally:
            opened.close()
        thumbnails: dict[int, str] = {}
        folder = out_dir / THUMBNAILS
        with contextlib.ExitStack() as stack:
            client = None if no_thumbnails else stack.enter_context(ctx.client())
            for item in items:
                if item.status != ItemStatus.DOWNLOADED or not item.video_id or not item.file:
                    continue
                name = thumbnail_name(item)
                if not (folder / name).exists() and client is not None:
                    _fetch_thumbnail(client, item.video_id, folder / name)
                if (folder / name).exists():
                    thumbnails[item.index] = name
        page = write_gallery(out_dir, run_name, items, thumbnails)
    if ctx.as_json:
        echo_json({"gallery": str(page), "items": len(items), "thumbnails": len(thumbnails)})
    else:
        err.print(plain(f"wrote {page} ({len(items)} items, {len(thumbnails)} thumbnails)"))


def _fetch_thumbnail(client: Any, video_id: str, target: Path) -> None:
    """The server's thumbnail of ``video_id`` into ``target``; a server that no longer has it
    (content expires) leaves the card without one."""
    from .._errors import APIError

    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        client.download_to(video_id, target, variant="thumbnail", durable=False)
    except APIError as exc:
        err.print(plain(f"no thumbnail for {video_id}: {exc}"))
