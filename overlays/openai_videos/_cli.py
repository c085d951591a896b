"""The ``openai-videos`` command: parse, call the library, render. Needs the ``cli`` extra.

Exit codes: 0 success, 1 a job failed or timed out, 2 usage error, 3 API or connection error.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

try:
    import click
    from rich.table import Table
except ImportError as exc:  # pragma: no cover - depends on the installation
    msg = f"the command line needs the cli extra: pip install 'openai-videos[cli]' ({exc.name} is missing)"
    raise SystemExit(msg) from exc

from openai_videos_api.errors import PayloadError
from openai_videos_api.models import Video

from ._console import err, markup_safe, new_progress, out, plain, progress_bar
from ._constants import DEFAULT_BASE_URL
from ._errors import APIError, PollTimeout, VideoGenerationFailed
from ._paths import inside, safe_name
from ._sync._client import OpenAIVideos

EXIT_JOB_FAILED = 1
EXIT_USAGE = 2
EXIT_API_ERROR = 3
VARIANT_SUFFIX = {"video": ".mp4", "thumbnail": ".webp", "spritesheet": ".jpg"}

F = TypeVar("F", bound=Callable[..., Any])


class Context:
    """Options shared by every subcommand."""

    def __init__(self, api_key: str | None, base_url: str | None, as_json: bool) -> None:
        self.api_key, self.base_url, self.as_json = api_key, base_url, as_json

    def client(self) -> OpenAIVideos:
        try:
            return OpenAIVideos(api_key=self.api_key, base_url=self.base_url)
        except ValueError as exc:
            raise click.UsageError(str(exc)) from None


pass_context = click.make_pass_decorator(Context)


@contextmanager
def _reported_errors() -> Iterator[None]:
    """Turn the library's errors into a message and an exit code."""
    try:
        yield
    except (VideoGenerationFailed, PollTimeout) as exc:
        err.print(f"[red]error:[/red] {markup_safe(exc)}", highlight=False)
        raise SystemExit(EXIT_JOB_FAILED) from None
    except APIError as exc:
        err.print(f"[red]error:[/red] {markup_safe(exc)}", highlight=False)
        raise SystemExit(EXIT_API_ERROR) from None
    except (ValueError, TypeError, FileNotFoundError) as exc:
        err.print(f"[red]error:[/red] {markup_safe(exc)}", highlight=False)
        raise SystemExit(EXIT_USAGE) from None


def _show(ctx: Context, value: Any) -> None:
    if ctx.as_json:
        data = value.to_dict() if hasattr(value, "to_dict") else value
        click.echo(json.dumps(data, indent=2))
    elif isinstance(value, Video):
        out.print(_video_details(value))
    else:
        out.print(plain(repr(value)), highlight=False)


def _when(video: Video, name: str) -> str:
    """A timestamp of ``video`` for people: ISO 8601, "-" when unset, or the raw number with a
    note when no date can hold it."""
    try:
        moment = getattr(video, f"{name}_datetime")
    except PayloadError:
        return f"{getattr(video, name)} (out of range)"
    return moment.isoformat() if moment else "-"


def _video_details(video: Video) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold")
    table.add_column(overflow="fold")
    rows = {
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
    for key, value in rows.items():
        table.add_row(key, plain(value))
    return table


def _video_table(videos: list[Video]) -> Table:
    table = Table("id", "status", "size", "seconds", "prompt")
    table.columns[0].no_wrap = True
    for video in videos:
        status = f"{video.status} {video.progress}%" if not video.is_terminal else str(video.status)
        cells = (video.id, status, video.size or "", video.seconds, (video.prompt or "")[:30])
        table.add_row(*(plain(cell) for cell in cells))
    return table


def _wait_and_download(
    ctx: Context, client: OpenAIVideos, video: Video, wait: bool, download: Path | None
) -> None:
    if wait or download:
        with progress_bar(not ctx.as_json, video.id) as update:
            video = client.poll(video.id, on_progress=update)
    _show(ctx, video)
    if download:
        download.mkdir(parents=True, exist_ok=True)
        target = inside(download, safe_name(video.id, suffix=".mp4"))
        path = client.download_to(video.id, target)
        err.print(plain(f"saved {path}"))


def _job_options(function: F) -> F:
    function = click.option(
        "--download",
        type=click.Path(file_okay=False, path_type=Path),
        help="Wait, then save the MP4 into this directory.",
    )(function)
    return click.option(
        "--wait", is_flag=True, help="Wait for the job to finish, with a live progress bar."
    )(function)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--api-key",
    envvar="OPENAI_API_KEY",
    help="API key (default: $OPENAI_API_KEY).",
    show_envvar=False,
)
@click.option(
    "--base-url", envvar="OPENAI_BASE_URL", help="Server (default: $OPENAI_BASE_URL, else OpenAI)."
)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable JSON output.")
@click.version_option(package_name="openai-videos")
@click.pass_context
def cli(click_ctx: click.Context, api_key: str | None, base_url: str | None, as_json: bool) -> None:
    """Generate videos with any /v1/videos server (OpenAI, gateways, the local emulator)."""
    click_ctx.obj = Context(api_key, base_url, as_json)


@cli.command()
@click.argument("prompt")
@click.option("--model", help="sora-2, sora-2-pro, or any model the server knows.")
@click.option("--seconds", help="Clip length: 4, 8 or 12.")
@click.option("--size", help="WIDTHxHEIGHT, e.g. 720x1280 or 1280x720.")
@click.option(
    "--input-reference",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="An image to start from.",
)
@_job_options
@pass_context
def create(
    ctx: Context,
    *,
    prompt: str,
    model: str | None,
    seconds: str | None,
    size: str | None,
    input_reference: Path | None,
    wait: bool,
    download: Path | None,
) -> None:
    """Start a video generation job."""
    with _reported_errors(), ctx.client() as client:
        video = client.create(
            prompt, model=model, seconds=seconds, size=size, input_reference=input_reference
        )
        _wait_and_download(ctx, client, video, wait, download)


@cli.command()
@click.argument("video_id")
@pass_context
def get(ctx: Context, video_id: str) -> None:
    """Show a job."""
    with _reported_errors(), ctx.client() as client:
        _show(ctx, client.retrieve(video_id))


@cli.command(name="list")
@click.option(
    "--limit", type=click.IntRange(1, 100), default=20, show_default=True, help="How many videos."
)
@click.option("--order", type=click.Choice(["asc", "desc"]), default="desc", show_default=True)
@pass_context
def list_(ctx: Context, limit: int, order: str) -> None:
    """List videos, newest first."""
    with _reported_errors(), ctx.client() as client:
        videos = []
        for video in client.list(limit=limit, order=order):  # type: ignore[arg-type]
            videos.append(video)
            if len(videos) == limit:
                break
        if ctx.as_json:
            click.echo(json.dumps([v.to_dict() for v in videos], indent=2))
        else:
            out.print(_video_table(videos))


@cli.command()
@click.argument("video_id")
@pass_context
def delete(ctx: Context, video_id: str) -> None:
    """Delete a finished job and its assets."""
    with _reported_errors(), ctx.client() as client:
        _show(ctx, client.delete(video_id))


@cli.command()
@click.argument("video_id")
@click.option(
    "--variant",
    type=click.Choice(["video", "thumbnail", "spritesheet"]),
    default="video",
    show_default=True,
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write (default: VIDEO_ID.mp4/.webp/.jpg).",
)
@pass_context
def download(ctx: Context, video_id: str, variant: str, output: Path | None) -> None:
    """Save a video, thumbnail or sprite sheet (atomically, resuming after breaks)."""
    target = output or Path(safe_name(video_id, suffix=VARIANT_SUFFIX[variant]))
    with _reported_errors(), ctx.client() as client:
        path = client.download_to(video_id, target, variant=variant)  # type: ignore[arg-type]
    if ctx.as_json:
        click.echo(json.dumps({"path": str(path), "bytes": path.stat().st_size}))
    else:
        err.print(plain(f"saved {path} ({path.stat().st_size:,} bytes)"))


@cli.command()
@click.argument("video_id")
@click.argument("prompt")
@_job_options
@pass_context
def remix(ctx: Context, video_id: str, prompt: str, wait: bool, download: Path | None) -> None:
    """Remix a completed video with a new prompt."""
    with _reported_errors(), ctx.client() as client:
        _wait_and_download(ctx, client, client.remix(video_id, prompt=prompt), wait, download)


def _video_argument(value: str) -> str | Path:
    path = Path(value)
    return path if path.is_file() else value


@cli.command()
@click.argument("video")
@click.argument("prompt")
@_job_options
@pass_context
def edit(ctx: Context, video: str, prompt: str, wait: bool, download: Path | None) -> None:
    """Edit a video, given by id or as an MP4 file."""
    with _reported_errors(), ctx.client() as client:
        _wait_and_download(
            ctx, client, client.edit(_video_argument(video), prompt=prompt), wait, download
        )


@cli.command()
@click.argument("video")
@click.argument("prompt")
@click.option(
    "--seconds",
    type=click.Choice(["4", "8", "12", "16", "20"]),
    required=True,
    help="Length of the extension.",
)
@_job_options
@pass_context
def extend(
    ctx: Context, *, video: str, prompt: str, seconds: str, wait: bool, download: Path | None
) -> None:
    """Extend a video (by id or MP4 file) by some seconds."""
    with _reported_errors(), ctx.client() as client:
        video_ = client.extend(_video_argument(video), prompt=prompt, seconds=seconds)
        _wait_and_download(ctx, client, video_, wait, download)


@cli.group()
def character() -> None:
    """Create or show characters."""


@character.command(name="create")
@click.argument("video", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--name", required=True, help="Display name (1 to 80 characters).")
@click.pass_obj
def character_create(ctx: Context, video: Path, name: str) -> None:
    """Create a character from a video file."""
    with _reported_errors(), ctx.client() as client:
        _show(ctx, client.create_character(video=video, name=name))


@character.command(name="get")
@click.argument("character_id")
@click.pass_obj
def character_get(ctx: Context, character_id: str) -> None:
    """Show a character."""
    with _reported_errors(), ctx.client() as client:
        _show(ctx, client.get_character(character_id))


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
        help="Directory for the MP4s (and the default SQLite store).",
    )(function)


@cli.group(cls=_DefaultGroup)
def batch() -> None:
    """Generate a video per line of a JSONL file; safe to kill and run again (it resumes).

    `openai-videos batch PROMPTS --out DIR` runs (or resumes) a batch; `batch status` and
    `batch retry` operate it.
    """


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
) -> None:
    """Run or resume a batch (any number of processes may share a PostgreSQL --store)."""
    import asyncio

    from ._async._client import AsyncOpenAIVideos
    from ._batch import BatchLocked, RunMismatch, read_prompts, run_batch

    with _reported_errors():
        entries = read_prompts(prompts)
        try:
            client = AsyncOpenAIVideos(api_key=ctx.api_key, base_url=ctx.base_url)
        except ValueError as exc:
            raise click.UsageError(str(exc)) from None
        with new_progress(disable=ctx.as_json) as progress:
            task = progress.add_task("batch", total=len(entries))

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
                        on_item=lambda item: progress.advance(task),
                    )

            try:
                report = asyncio.run(go())
            except (BatchLocked, RunMismatch) as exc:
                raise click.UsageError(str(exc)) from None
    summary = {
        "downloaded": [item.file for item in report.downloaded],
        "failed": [
            {"index": item.index, "prompt": item.prompt, "video_id": item.video_id,
             "error": item.error}
            for item in report.failed
        ],
    }  # fmt: skip
    if ctx.as_json:
        click.echo(json.dumps(summary, indent=2))
    else:
        done = f"{len(report.downloaded)} downloaded into {out_dir}, {len(report.failed)} failed"
        err.print(plain(done))
        for failure in summary["failed"]:
            prompt, error = markup_safe(repr(failure["prompt"][:40])), markup_safe(failure["error"])
            err.print(f"  [red]#{failure['index']}[/red] {prompt}: {error}", highlight=False)
    if not report.ok:
        raise SystemExit(EXIT_JOB_FAILED)


@batch.command(name="status")
@_store_options
@pass_context
def batch_status(ctx: Context, *, out_dir: Path, store: str | None, run_name: str) -> None:
    """Counts by state, failures, throughput and an estimate of the time left."""
    from ._batch import open_store

    with _reported_errors():
        opened = open_store(store, out_dir, run_name)
        try:
            status = opened.status()
        finally:
            opened.close()
    left = status.minutes_left
    data = {
        "run": status.run,
        "total": status.total,
        "counts": status.counts,
        "per_minute": status.per_minute,
        "minutes_left": round(left, 1) if left is not None else None,
        "failures": [{"index": i.index, "prompt": i.prompt, "error": i.error}
                     for i in status.failures],
    }  # fmt: skip
    if ctx.as_json:
        click.echo(json.dumps(data, indent=2))
        return
    table = Table("state", "items", title=plain(f"run {status.run!r}: {status.total} prompts"))
    for state in ("pending", "created", "completed", "downloaded", "failed"):
        table.add_row(state, str(status.counts.get(state, 0)))
    out.print(table)
    estimate = f"about {left:.0f} min left" if left is not None else "no estimate yet"
    out.print(
        plain(f"{status.per_minute:.1f} videos a minute over the last 10 minutes; {estimate}")
    )
    for failure in status.failures:
        out.print(plain(f"  #{failure.index} {failure.prompt[:40]!r}: {failure.error}"))


@batch.command(name="retry")
@_store_options
@pass_context
def batch_retry(ctx: Context, *, out_dir: Path, store: str | None, run_name: str) -> None:
    """Put failed items back in the queue (a failed job is created again: paid again)."""
    from ._batch import open_store

    with _reported_errors():
        opened = open_store(store, out_dir, run_name)
        try:
            count = opened.retry_failed()
        finally:
            opened.close()
    if ctx.as_json:
        click.echo(json.dumps({"retried": count}))
    else:
        err.print(plain(f"{count} failed items are queued again; run the batch to process them"))


@cli.command()
@click.option(
    "--create",
    is_flag=True,
    help="Also create ONE minimal job (4 s, 720x1280; this may cost money), poll it, download "
    "its three variants and delete it.",
)
@click.option("--poll-timeout", type=float, default=600.0, show_default=True)
@click.pass_obj
def check(ctx: Context, *, create: bool, poll_timeout: float) -> None:
    """Report how a server speaks /v1/videos: what works, what deviates, how to configure the
    client. Makes no request that costs money unless --create is given."""
    from ._check import run_check

    base_url = ctx.base_url or DEFAULT_BASE_URL
    if create and not ctx.as_json:
        err.print(plain(f"--create: this creates exactly one job on {base_url} (4 s, 720x1280)."))
    with _reported_errors():
        report = run_check(
            base_url,
            api_key=ctx.api_key,
            create=create,
            poll_timeout=poll_timeout,
            on_step=None if ctx.as_json else lambda text: err.print(plain(f"checking {text} ...")),
        )
    if ctx.as_json:
        click.echo(json.dumps(report.to_json(), indent=2))
    else:
        out.print(_check_table(report))
    if not report.ok:
        raise SystemExit(EXIT_JOB_FAILED)


def _check_table(report: Any) -> Table:
    table = Table("operation", "outcome", "notes", title=plain(f"/v1/videos at {report.base_url}"))
    for operation in report.operations:
        table.add_row(operation.operation, operation.outcome, plain("; ".join(operation.notes)))
    rules = ", ".join(report.dialect_rules) or "none needed"
    table.add_row("dialect", "-", plain(f"rules the client applies: {rules}"))
    settings = ", ".join(f"{k}={v!r}" for k, v in report.configuration.items())
    table.add_row("configure", "-", plain(f"OpenAIVideos({settings})"))
    table.add_row("jobs created", "-", str(report.jobs_created))
    return table


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", type=int, default=8000, show_default=True)
@click.option(
    "--job-seconds", type=float, default=3.0, show_default=True, help="How long each job takes."
)
@click.option(
    "--render-fps",
    type=click.IntRange(1, 60),
    default=12,
    show_default=True,
    help="Frame rate of rendered MP4s.",
)
@click.option("--api-key", "server_key", help="Require this key from clients (default: no auth).")
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Persist jobs and assets here.",
)
@click.option(
    "--profile",
    default="openai",
    show_default=True,
    help="Imitate a server: openai, azure, litellm, litellm-runway, vllm-omni, sglang, newapi, "
    "newapi-task, gateway-nulls.",
)
@click.option(
    "--fault",
    "faults",
    multiple=True,
    help="Inject faults: 'POST /v1/videos=429,drop_after' or '500@0.1'.",
)
@click.option("--fault-seed", type=int, default=0, show_default=True)
@click.option(
    "--reuse-renders",
    is_flag=True,
    help="Render each size and duration once and serve it to every job (load tests).",
)
def serve(
    *,
    host: str,
    port: int,
    job_seconds: float,
    render_fps: int,
    server_key: str | None,
    data_dir: Path | None,
    profile: str,
    faults: tuple[str, ...],
    fault_seed: int,
    reuse_renders: bool,
) -> None:
    """Run the local emulator of the API."""
    try:
        from openai_videos_emulator import EmulatorConfig, FaultPlan, get_profile
        from openai_videos_emulator import serve as run_server
    except ImportError as exc:
        raise click.ClickException(str(exc)) from None
    try:
        plan = FaultPlan.parse(list(faults), seed=fault_seed)
        config = EmulatorConfig(
            api_key=server_key,
            job_seconds=job_seconds,
            render_fps=render_fps,
            data_dir=data_dir,
            profile=profile,
            faults=plan,
            reuse_renders=reuse_renders,
        )
        get_profile(profile)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    err.print(plain(f"emulator on http://{host}:{port}/v1 (profile {profile}); Ctrl+C stops it"))
    run_server(config, host=host, port=port)


@cli.command()
@click.option(
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("demo-output"),
    show_default=True,
)
@click.option(
    "--prompt", default="A calico cat playing a piano on stage, warm spotlight", show_default=True
)
@click.option("--size", default="1280x720", show_default=True)
@click.option("--seconds", default="4", show_default=True)
def demo(output: Path, prompt: str, size: str, seconds: str) -> None:
    """Start the emulator, make a video, download all assets and inspect them."""
    from ._demo import run_demo

    with _reported_errors():
        run_demo(output, prompt=prompt, size=size, seconds=seconds, console=out)


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``openai-videos`` command."""
    try:
        cli.main(args=argv, prog_name="openai-videos", standalone_mode=False)
    except click.exceptions.Abort:
        err.print("aborted")
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(EXIT_USAGE)
