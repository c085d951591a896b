"""Tools beside the API: ``check`` a server, ``serve`` the emulator, run the ``demo``."""

from __future__ import annotations

import socket
from pathlib import Path

import click

from .._console import err, out, plain
from .._constants import DEFAULT_BASE_URL
from ._app import EXIT_JOB_FAILED, Context, cli, echo_json, reported_errors
from ._render import check_table

__all__: list[str] = []


@cli.command()
@click.argument("url", required=False)
@click.option(
    "--create",
    is_flag=True,
    help="Also create ONE minimal job (4 s, 720x1280; this may cost money), poll it, download "
    "its three variants and delete it.",
)
@click.option("--poll-timeout", type=float, default=600.0, show_default=True)
@click.pass_obj
def check(ctx: Context, *, url: str | None, create: bool, poll_timeout: float) -> None:
    """Report how the server at URL (default: --base-url) speaks /v1/videos: what works, what
    deviates, how to configure the client. Makes no request that costs money unless --create
    is given."""
    from .._check import run_check
    from .._options import check_base_url

    base_url = url or ctx.base_url or DEFAULT_BASE_URL
    try:
        check_base_url(base_url)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    if create and not ctx.as_json:
        err.print(plain(f"--create: this creates exactly one job on {base_url} (4 s, 720x1280)."))
    with reported_errors():
        report = run_check(
            base_url,
            api_key=ctx.api_key,
            create=create,
            poll_timeout=poll_timeout,
            on_step=None if ctx.as_json else lambda text: err.print(plain(f"checking {text} ...")),
        )
    if ctx.as_json:
        echo_json(report.to_json())
    else:
        out.print(check_table(report))
    if not report.ok:
        raise SystemExit(EXIT_JOB_FAILED)


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
@click.option(
    "--max-running-jobs",
    type=click.IntRange(1),
    help="Refuse a create with 429 while this many jobs are running (as capped servers do).",
)
@click.option(
    "--requests-per-minute",
    type=click.IntRange(1),
    help="Answer 429 with Retry-After beyond this many requests a minute.",
)
@click.option("--quiet", "-q", is_flag=True, help="Log no request, only errors.")
def serve(
    *,
    quiet: bool,
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
    max_running_jobs: int | None,
    requests_per_minute: int | None,
) -> None:
    """Run the local emulator of the API."""
    _need_emulator("serve")
    from openai_videos_emulator import EmulatorConfig, FaultPlan, get_profile
    from openai_videos_emulator import serve as run_server

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
            max_running_jobs=max_running_jobs,
            requests_per_minute=requests_per_minute,
        )
        get_profile(profile)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    _check_port_free(host, port)
    err.print(plain(f"emulator on http://{host}:{port}/v1 (profile {profile}); Ctrl+C stops it"))
    run_server(config, host=host, port=port, log_level="warning" if quiet else "info")


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
    from .._demo import run_demo

    _need_emulator("demo")
    with reported_errors():
        run_demo(output, prompt=prompt, size=size, seconds=seconds, console=out)


def _check_port_free(host: str, port: int) -> None:
    """Refuse a port that is taken before announcing the emulator on it.

    Raises:
        click.ClickException: The port is in use (or the host is not this machine's).
    """
    try:
        with socket.create_server((host, port)):
            pass
    except OSError as exc:
        msg = f"cannot listen on {host}:{port} ({exc.strerror}): choose another --port"
        raise click.ClickException(msg) from None


def _need_emulator(command: str) -> None:
    """A clear message, not a traceback, where the ``server`` extra is missing.

    Raises:
        click.ClickException: The emulator cannot be imported.
    """
    try:
        import openai_videos_emulator  # noqa: F401 - only to know it is there
    except ImportError as exc:
        msg = (
            f"{command} needs the local emulator, which is not installed ({exc}): "
            "pip install 'openai-videos[server]'"
        )
        raise click.ClickException(msg) from None
