"""Commands on single videos: create, wait, get, list, delete, download, remix, edit, extend,
characters; and ``estimate``, the cost of a job before it is created."""

from __future__ import annotations

import shlex
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, get_args

import click

from openai_videos_api.models import DeletedVideo, Video, VideoCharacter

from .._capabilities import CAPABILITIES
from .._console import err, out, plain, progress_bar
from .._images import Fit
from .._paths import inside, safe_name
from .._pricing import BudgetExceeded, Estimate
from .._sync._client import OpenAIVideos
from .._types import VARIANT_SUFFIXES, ContentVariant, ExtensionSecondsValue, SortOrder
from ._app import (
    EXIT_INTERRUPTED,
    Context,
    cli,
    echo_json,
    pass_context,
    rate_options,
    rate_table,
    reported_errors,
)
from ._render import details, estimate_table, video_details, video_table

__all__: list[str] = []

F = TypeVar("F", bound=Callable[..., Any])


def show(ctx: Context, value: Video | DeletedVideo | VideoCharacter, **extra: Any) -> None:
    """``value`` as JSON (with ``extra`` keys) or as a table; never a repr."""
    if ctx.as_json:
        echo_json({**value.to_dict(), **extra})
    elif isinstance(value, Video):
        out.print(video_details(value))
    else:
        out.print(details({**value.to_dict(), **extra}))


def _resume_command(video_id: str, download: Path | None) -> str:
    command = ["openai-videos", "wait", video_id]
    if download is not None:
        command += ["--download", str(download)]
    return shlex.join(command)


def _interrupted(ctx: Context, video: Video, download: Path | None) -> None:
    """Ctrl-C (or SIGTERM) while waiting: the job goes on, and is billed; say how to pick it
    up again, then exit 130."""
    resume = _resume_command(video.id, download)
    if ctx.as_json:
        echo_json(
            {
                "interrupted": True,
                "id": video.id,
                "status": str(video.status),
                "progress": video.progress,
                "resume": resume,
            }
        )
    else:
        err.print(
            plain(
                f"interrupted: job {video.id} goes on on the server (last seen {video.status}, "
                f"{video.progress}%) and is billed whether or not you wait. Pick it up with: "
                f"{resume}"
            )
        )
    raise SystemExit(EXIT_INTERRUPTED)


def _created(ctx: Context, create: Callable[[], Video]) -> Video:
    """Send a job-creating request; Ctrl-C while it is under way may leave a job behind."""
    try:
        return create()
    except KeyboardInterrupt:
        message = (
            "interrupted while the job was being created: the server may have made it; "
            "`openai-videos list` shows the newest jobs"
        )
        if ctx.as_json:
            echo_json({"interrupted": True, "id": None, "status": None, "message": message})
        else:
            err.print(plain(message))
        raise SystemExit(EXIT_INTERRUPTED) from None


def wait_and_download(
    ctx: Context, client: OpenAIVideos, video: Video, wait: bool, download: Path | None
) -> None:
    """Wait for ``video`` (with a progress bar), then save it into ``download``; show it."""
    saved: dict[str, str] = {}
    try:
        if wait or download:
            with progress_bar(not ctx.as_json, video.id) as update:

                def seen(latest: Video) -> None:
                    nonlocal video
                    video = latest
                    update(latest)

                video = client.poll(video.id, on_progress=seen)
        if download:
            download.mkdir(parents=True, exist_ok=True)
            target = inside(download, safe_name(video.id, suffix=".mp4"))
            saved["path"] = str(client.download_to(video.id, target))
    except KeyboardInterrupt:
        _interrupted(ctx, video, download)
    show(ctx, video, **saved)
    if saved and not ctx.as_json:
        err.print(plain(f"saved {saved['path']}"))


def job_options(function: F) -> F:
    """``--wait`` and ``--download DIR`` for commands that start a job."""
    function = click.option(
        "--download",
        type=click.Path(file_okay=False, path_type=Path),
        help="Wait, then save the MP4 into this directory.",
    )(function)
    return click.option(
        "--wait", is_flag=True, help="Wait for the job to finish, with a live progress bar."
    )(function)


def _check_budget(estimate: Estimate, max_cost: float) -> None:
    if estimate.usd > max_cost + 1e-9:  # float sums drift; a cent is far above this
        msg = (
            f"not created: the estimate is USD {estimate.usd:.2f} ({estimate.seconds:g} s of "
            f"{estimate.model} at {estimate.tier}, USD {estimate.rate.usd_per_second:g}/s, "
            f"rate of {estimate.rate.as_of or 'unknown date'}), over --max-cost {max_cost:g}"
        )
        raise BudgetExceeded(msg)


@cli.command()
@click.argument("prompt")
@click.option("--model", help="sora-2, sora-2-pro, or any model the server knows.")
@click.option("--seconds", help="Clip length: 4, 8 or 12.")
@click.option("--size", help="WIDTHxHEIGHT, e.g. 720x1280 or 1280x720.")
@click.option(
    "--image",
    "--input-reference",
    "image",
    help="An image to start from: a file, or an https URL (sent as the server takes it).",
)
@click.option(
    "--fit",
    type=click.Choice(["crop", "pad", "stretch"]),
    help="Make --image exactly --size (needs Pillow: the images extra).",
)
@click.option("--seed", type=int, help="A seed, where the server family takes one.")
@click.option("--negative-prompt", help="What to keep out, where the server family takes it.")
@click.option("--audio/--no-audio", default=None, help="Sound on or off, where it can be chosen.")
@click.option(
    "--server-family",
    "family",
    type=click.Choice(sorted(CAPABILITIES)),
    help="The server's family, whose contract is checked before sending (default: the spec).",
)
@click.option(
    "--drop-unsupported",
    is_flag=True,
    help="Leave out --seed, --negative-prompt or --audio where the family lacks them.",
)
@click.option(
    "--max-cost",
    type=click.FloatRange(0),
    metavar="USD",
    help="Refuse, before any request, a job whose estimate is over this.",
)
@rate_options
@job_options
@pass_context
def create(
    ctx: Context,
    *,
    prompt: str,
    model: str | None,
    seconds: str | None,
    size: str | None,
    image: str | None,
    fit: Fit | None,
    seed: int | None,
    negative_prompt: str | None,
    audio: bool | None,
    family: str | None,
    drop_unsupported: bool,
    max_cost: float | None,
    rates_file: Path | None,
    rate_specs: tuple[str, ...],
    wait: bool,
    download: Path | None,
) -> None:
    """Start a video generation job."""
    with reported_errors():
        if max_cost is not None:
            table = rate_table(rates_file, rate_specs)
            _check_budget(table.estimate(model=model, seconds=seconds, size=size), max_cost)
        reference = image if image is None or "://" in image else Path(image)
        with ctx.client(capabilities=family) as client:
            video = _created(
                ctx,
                lambda: client.create(
                    prompt,
                    model=model,
                    seconds=seconds,
                    size=size,
                    input_reference=reference,
                    fit=fit,
                    seed=seed,
                    negative_prompt=negative_prompt,
                    audio=audio,
                    unsupported="drop" if drop_unsupported else "error",
                ),
            )
            wait_and_download(ctx, client, video, wait, download)


@cli.command()
@click.argument("video_id")
@click.option(
    "--download",
    type=click.Path(file_okay=False, path_type=Path),
    help="Then save the MP4 into this directory.",
)
@pass_context
def wait(ctx: Context, video_id: str, download: Path | None) -> None:
    """Wait for a job that is already running (e.g. after Ctrl-C), then show or save it."""
    with reported_errors(), ctx.client() as client:
        wait_and_download(ctx, client, client.retrieve(video_id), True, download)


@cli.command()
@click.option("--model", help="The model (default: the spec's, sora-2).")
@click.option("--seconds", help="Clip length (default 4).")
@click.option("--size", help="WIDTHxHEIGHT (default 720x1280).")
@click.option("--count", type=click.IntRange(1), default=1, show_default=True, help="Jobs.")
@rate_options
@pass_context
def estimate(
    ctx: Context,
    *,
    model: str | None,
    seconds: str | None,
    size: str | None,
    count: int,
    rates_file: Path | None,
    rate_specs: tuple[str, ...],
) -> None:
    """What a job would cost, from a dated rate table (no request is sent)."""
    with reported_errors():
        found = rate_table(rates_file, rate_specs).estimate(model=model, seconds=seconds, size=size)
    if ctx.as_json:
        echo_json({**found.to_json(), "count": count, "total_usd": round(found.usd * count, 6)})
    else:
        out.print(estimate_table([found], total=found.usd * count if count > 1 else None))


@cli.command()
@click.argument("video_id")
@pass_context
def get(ctx: Context, video_id: str) -> None:
    """Show a job."""
    with reported_errors(), ctx.client() as client:
        show(ctx, client.retrieve(video_id))


@cli.command(name="list")
@click.option(
    "--limit", type=click.IntRange(1, 100), default=20, show_default=True, help="How many videos."
)
@click.option("--order", type=click.Choice(get_args(SortOrder)), default="desc", show_default=True)
@click.option("--after", metavar="VIDEO_ID", help="Start after this video (the next page).")
@click.option("--all", "every", is_flag=True, help="Every video, page after page (no --limit).")
@pass_context
def list_(ctx: Context, limit: int, order: str, after: str | None, every: bool) -> None:
    """List videos, newest first; the last id shown is the --after of the next page."""
    with reported_errors(), ctx.client() as client:
        videos = []
        for video in client.list(limit=limit, order=order, after=after):  # type: ignore[arg-type]
            videos.append(video)
            if len(videos) == limit and not every:
                break
        if ctx.as_json:
            echo_json([v.to_dict() for v in videos])
        else:
            out.print(video_table(videos, out.width))


@cli.command()
@click.argument("video_id")
@pass_context
def delete(ctx: Context, video_id: str) -> None:
    """Delete a finished job and its assets."""
    with reported_errors(), ctx.client() as client:
        show(ctx, client.delete(video_id))


@cli.command()
@click.argument("video_id")
@click.option(
    "--variant",
    type=click.Choice(get_args(ContentVariant)),
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
    target = output or Path(safe_name(video_id, suffix=VARIANT_SUFFIXES[variant]))  # type: ignore[index]
    with reported_errors(), ctx.client() as client:
        path = client.download_to(video_id, target, variant=variant)  # type: ignore[arg-type]
    if ctx.as_json:
        echo_json({"path": str(path), "bytes": path.stat().st_size})
    else:
        err.print(plain(f"saved {path} ({path.stat().st_size:,} bytes)"))


@cli.command()
@click.argument("video_id")
@click.argument("prompt")
@job_options
@pass_context
def remix(ctx: Context, video_id: str, prompt: str, wait: bool, download: Path | None) -> None:
    """Remix a completed video with a new prompt."""
    with reported_errors(), ctx.client() as client:
        video = _created(ctx, lambda: client.remix(video_id, prompt=prompt))
        wait_and_download(ctx, client, video, wait, download)


def _video_argument(value: str) -> str | Path:
    path = Path(value)
    return path if path.is_file() else value


@cli.command()
@click.argument("video")
@click.argument("prompt")
@job_options
@pass_context
def edit(ctx: Context, video: str, prompt: str, wait: bool, download: Path | None) -> None:
    """Edit a video, given by id or as an MP4 file."""
    with reported_errors(), ctx.client() as client:
        edited = _created(ctx, lambda: client.edit(_video_argument(video), prompt=prompt))
        wait_and_download(ctx, client, edited, wait, download)


@cli.command()
@click.argument("video")
@click.argument("prompt")
@click.option(
    "--seconds",
    type=click.Choice(
        [v for v in get_args(get_args(ExtensionSecondsValue)[0]) if isinstance(v, str)]
    ),
    required=True,
    help="Length of the extension.",
)
@job_options
@pass_context
def extend(
    ctx: Context, *, video: str, prompt: str, seconds: str, wait: bool, download: Path | None
) -> None:
    """Extend a video (by id or MP4 file) by some seconds."""
    with reported_errors(), ctx.client() as client:
        extended = _created(
            ctx,
            lambda: client.extend(_video_argument(video), prompt=prompt, seconds=seconds),
        )
        wait_and_download(ctx, client, extended, wait, download)


@cli.group()
def character() -> None:
    """Create or show characters."""


@character.command(name="create")
@click.argument("video", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--name", required=True, help="Display name (1 to 80 characters).")
@click.pass_obj
def character_create(ctx: Context, video: Path, name: str) -> None:
    """Create a character from a video file."""
    with reported_errors(), ctx.client() as client:
        show(ctx, client.create_character(video=video, name=name))


@character.command(name="get")
@click.argument("character_id")
@click.pass_obj
def character_get(ctx: Context, character_id: str) -> None:
    """Show a character."""
    with reported_errors(), ctx.client() as client:
        show(ctx, client.get_character(character_id))
