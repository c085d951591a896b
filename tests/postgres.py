"""A real, throwaway PostgreSQL server for the tests: started in a temporary directory on
loopback, stopped afterwards. No mock of the database anywhere.

The server binaries come from PATH (``initdb``, ``pg_ctl``), else from the ``pgserver`` wheel
(a dev dependency) where PostgreSQL is not installed. PostgreSQL refuses to run as root, so as
root the server runs as the ``postgres`` user (created if missing).
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

__all__ = ["running_postgres"]


def _bin_dir() -> Path:
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).resolve().parent
    try:
        import pgserver
    except ImportError:
        msg = "no PostgreSQL: install it (initdb on PATH) or `pip install pgserver`"
        raise RuntimeError(msg) from None
    return Path(pgserver.__file__).parent / "pginstall" / "bin"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_user() -> list[str]:
    """The command prefix that runs the server as a user PostgreSQL accepts."""
    if os.geteuid() != 0:
        return []
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", "postgres"], check=True)
    return ["runuser", "-u", "postgres", "--"]


@contextlib.contextmanager
def running_postgres() -> Iterator[str]:
    """A started server; yields a ``postgresql://`` URL of an empty database."""
    bin_dir = _bin_dir()
    prefix = _as_user()
    root = Path(tempfile.mkdtemp(prefix="openai-videos-pg-"))
    data = root / "data"
    if prefix:
        shutil.chown(root, user="postgres")
        root.chmod(0o700)
    port = _free_port()
    run = lambda *args: subprocess.run(  # noqa: E731
        [*prefix, *map(str, args)], check=True, capture_output=True, text=True
    )
    try:
        run(bin_dir / "initdb", "-D", data, "-U", "postgres", "-A", "trust", "--no-sync")
        options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off"
        run(bin_dir / "pg_ctl", "-D", data, "-o", options, "-l", root / "log", "-w", "start")
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        with contextlib.suppress(subprocess.CalledProcessError, FileNotFoundError):
            run(bin_dir / "pg_ctl", "-D", data, "-m", "immediate", "-w", "stop")
        shutil.rmtree(root, ignore_errors=True)
