"""Running the emulator: in a background thread on a free loopback port, or in the foreground."""

from __future__ import annotations

import logging
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn

from ._app import EmulatorApp, create_app
from ._config import EmulatorConfig

__all__ = ["RunningEmulator", "run_emulator", "serve"]

LOOPBACK = "127.0.0.1"


class RunningEmulator:
    """A started emulator: where it listens, and its app (for job counts)."""

    def __init__(self, app: EmulatorApp, port: int) -> None:
        self.app = app
        self.port = port
        self.base_url = f"http://{LOOPBACK}:{port}/{'/'.join(app.profile.prefix)}"

    @property
    def jobs_created(self) -> int:
        """How many jobs the emulator has created (idempotent replays do not count)."""
        return self.app.store.jobs_created

    @property
    def peak_in_flight(self) -> int:
        """The most jobs that were running at one moment (for in-flight caps)."""
        return self.app.store.peak_in_flight(self.app.config.job_seconds)

    def __repr__(self) -> str:
        return f"RunningEmulator(base_url={self.base_url!r})"


def _server(app: EmulatorApp, log_level: str) -> uvicorn.Server:
    config = uvicorn.Config(
        app, log_level=log_level, lifespan="on", access_log=False, timeout_graceful_shutdown=1
    )
    return uvicorn.Server(config)


@contextmanager
def run_emulator(
    config: EmulatorConfig | None = None, *, port: int = 0, log_level: str = "critical"
) -> Iterator[RunningEmulator]:
    """Serve the emulator on loopback in a background thread for the duration of the block.

    Args:
        config: Emulator settings (defaults: no auth, 3-second jobs).
        port: 0 picks a free port.
        log_level: uvicorn's log level.
    """
    app = create_app(config)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((LOOPBACK, port))
    server = _server(app, log_level)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="openai-videos-emulator", daemon=True
    )
    thread.start()
    try:
        while not server.started:
            if not thread.is_alive():
                msg = "the emulator failed to start"
                raise RuntimeError(msg)
            threading.Event().wait(0.01)
        yield RunningEmulator(app, sock.getsockname()[1])
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


def serve(
    config: EmulatorConfig, *, host: str = LOOPBACK, port: int = 8000, log_level: str = "info"
) -> None:
    """Serve in the foreground until interrupted."""
    logging.getLogger("uvicorn.error").info("openai-videos emulator (%s profile)", config.profile)
    uvicorn.run(
        create_app(config),
        host=host,
        port=port,
        log_level=log_level,
        access_log=log_level == "info",
    )
