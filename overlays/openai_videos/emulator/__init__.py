"""A local emulator of the ``/v1/videos`` API: no account, no network.

Three ways to use it::

    openai-videos serve --port 8000                       # a server (the CLI)

    with run_emulator(EmulatorConfig(job_seconds=0.5)) as server:   # in-process, in tests
        client = OpenAIVideos(base_url=server.base_url)

    app = create_app(EmulatorConfig())                    # plain ASGI, for any server

Needs the ``server`` extra: ``pip install 'openai-videos[server]'``.
"""

from __future__ import annotations

try:
    import av  # noqa: F401
    import starlette  # noqa: F401
    import uvicorn  # noqa: F401
except ImportError as exc:  # pragma: no cover - depends on the installation
    msg = f"the emulator needs the server extra: pip install 'openai-videos[server]' ({exc.name} is missing)"
    raise ImportError(msg) from exc

from ._app import EmulatorApp, create_app
from ._config import EmulatorConfig
from ._faults import FAULT_KINDS, FaultPlan
from ._profiles import PROFILES, Profile
from ._server import RunningEmulator, run_emulator, serve

__all__ = [
    "FAULT_KINDS",
    "PROFILES",
    "EmulatorApp",
    "EmulatorConfig",
    "FaultPlan",
    "Profile",
    "RunningEmulator",
    "create_app",
    "run_emulator",
    "serve",
]
