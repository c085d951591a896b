"""The ``openai-videos`` group: global options, the context that builds clients, exit codes,
and the one place where the library's errors become a message and an exit code."""

from __future__ import annotations

import json
import math
import signal
import sys
import threading
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any, TypeVar

import click

from .._async._client import AsyncOpenAIVideos
from .._batch._sql import StoreError
from .._console import err, markup_safe, plain
from .._errors import APIError, OpenAIVideosError, PollTimeout, VideoGenerationFailed
from .._pricing import BudgetExceeded, RateTable, UnknownRate, parse_rate
from .._sync._client import OpenAIVideos

__all__ = [
    "EXIT_API_ERROR",
    "EXIT_INTERRUPTED",
    "EXIT_JOB_FAILED",
    "EXIT_STORE",
    "EXIT_USAGE",
    "Context",
    "cli",
    "echo_json",
    "main",
    "pass_context",
    "rate_options",
    "rate_table",
    "reported_errors",
]

EXIT_JOB_FAILED = 1
EXIT_USAGE = 2
EXIT_API_ERROR = 3
EXIT_BUDGET = 4  # refused before any request: over budget, or no rate to tell
EXIT_STORE = 5  # the batch job store cannot be used (missing, damaged, unreachable)
EXIT_INTERRUPTED = 130

F = TypeVar("F", bound=Callable[..., Any])
C = TypeVar("C", OpenAIVideos, AsyncOpenAIVideos)


class Context:
    """Options shared by every subcommand."""

    def __init__(self, api_key: str | None, base_url: str | None, as_json: bool) -> None:
        self.api_key, self.base_url, self.as_json = api_key, base_url, as_json

    def client(self, capabilities: str | None = None) -> OpenAIVideos:
        """A client for the chosen server (of the ``capabilities`` family, if given).

        Raises:
            click.UsageError: No API key for a server that is not on this machine, or an
                unknown family.
        """
        return self._build(OpenAIVideos, capabilities=capabilities)

    def async_client(self) -> AsyncOpenAIVideos:
        """The same, for asyncio (the batch runner).

        Raises:
            click.UsageError: No API key for a server that is not on this machine.
        """
        return self._build(AsyncOpenAIVideos)

    def _build(self, kind: type[C], capabilities: str | None = None) -> C:
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", DeprecationWarning)
                client = kind(
                    api_key=self.api_key, base_url=self.base_url, capabilities=capabilities
                )
            for warning in caught:  # api.openai.com, whose Videos API is gone: say so
                err.print(plain(f"warning: {warning.message} (--base-url or OPENAI_BASE_URL)"))
            return client
        except ValueError as exc:  # say it in the command's words
            raise click.UsageError(in_cli_words(str(exc))) from None


pass_context = click.make_pass_decorator(Context)


def _finite(value: Any) -> Any:
    """``value`` with non-finite floats as None: JSON has no NaN or Infinity."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(item) for item in value]
    return value


def echo_json(data: Any) -> None:
    """Print ``data`` as strict JSON (a server's NaN or Infinity becomes null)."""
    click.echo(json.dumps(_finite(data), indent=2, allow_nan=False))


@contextmanager
def reported_errors() -> Iterator[None]:
    """Turn the library's errors into a message on stderr and an exit code."""
    try:
        yield
    except (VideoGenerationFailed, PollTimeout) as exc:
        _fail(exc, EXIT_JOB_FAILED)
    except (BudgetExceeded, UnknownRate) as exc:
        _fail(exc, EXIT_BUDGET)
    except StoreError as exc:
        _fail(exc, EXIT_STORE)
    except APIError as exc:
        _fail(exc, EXIT_API_ERROR)
    except (ValueError, TypeError, FileNotFoundError, OpenAIVideosError) as exc:
        _fail(exc, EXIT_USAGE)


# The library's words for its arguments, and the flags that set them on the command line.
_FLAGS = (("pass api_key=...", "pass --api-key"), ("api_key=", "--api-key "),
          ("base_url", "--base-url"), ("max_cost", "--max-cost"))  # fmt: skip


def in_cli_words(message: str) -> str:
    """A library message with its argument names as the command line's flags."""
    for python, flag in _FLAGS:
        message = message.replace(python, flag)
    return message


def _fail(exc: BaseException, code: int) -> None:
    # soft_wrap: the terminal wraps the line, so a long path or URL is never split by a newline
    message = f"[red]error:[/red] {markup_safe(in_cli_words(str(exc)))}"
    err.print(message, highlight=False, soft_wrap=True)
    raise SystemExit(code) from None


def rate_options(function: F) -> F:
    """``--rates FILE`` and ``--rate MODEL[@TIER]=USD``: rates beside the built-in table."""
    function = click.option(
        "--rate",
        "rate_specs",
        multiple=True,
        metavar="MODEL[@TIER]=USD",
        help="A price per second of video, e.g. 'veo-3.1-fast-generate-preview@720p=0.10' "
        "(adds to or overrides the built-in rates).",
    )(function)
    return click.option(
        "--rates",
        "rates_file",
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        help="A JSON list of rates ({model, tier, usd_per_second, as_of, source}).",
    )(function)


def rate_table(rates_file: Path | None, rate_specs: tuple[str, ...]) -> RateTable:
    """The built-in rates, then the file's, then each ``--rate``.

    Raises:
        click.UsageError: A rate or the file is malformed.
    """
    try:
        table = RateTable.from_file(rates_file) if rates_file else RateTable()
        return table.with_rates(parse_rate(spec) for spec in rate_specs)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None


# Options of the whole command that may also follow a subcommand (``batch status --json``),
# with whether each takes a value. ``serve`` has an ``--api-key`` of its own (the server's).
GLOBAL_OPTIONS = {"--json": False, "--base-url": True, "--api-key": True}


def hoist_global_options(args: list[str]) -> list[str]:
    """``args`` with the global options moved in front of the subcommand, so that they work
    in either place (everyone tries ``batch status --json`` first). Nothing after ``--``
    moves, nor anything of ``serve`` (its ``--api-key`` is the server's own)."""
    front: list[str] = []
    back: list[str] = []
    command_seen = False
    index = 0
    while index < len(args):
        arg = args[index]
        if arg == "--" or (arg == "serve" and not command_seen):
            back += args[index:]
            break
        name, equals, _ = arg.partition("=")
        if name in GLOBAL_OPTIONS:
            group = args[index : index + 2] if GLOBAL_OPTIONS[name] and not equals else [arg]
            front += group
            index += len(group)
            continue
        back.append(arg)
        command_seen = command_seen or not arg.startswith("-")
        index += 1
    return front + back


class _Commands(click.Group):
    """The top-level group: its options work before or after the subcommand."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        return super().parse_args(ctx, hoist_global_options(args))


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
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


def _terminate(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt  # SIGTERM is told the truth as Ctrl-C is


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``openai-videos`` command."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _terminate)
    try:
        cli.main(args=argv, prog_name="openai-videos", standalone_mode=False)
    except (click.exceptions.Abort, KeyboardInterrupt):
        err.print("aborted")
        sys.exit(EXIT_INTERRUPTED)
    except click.ClickException as exc:
        exc.show()
        sys.exit(EXIT_USAGE)
