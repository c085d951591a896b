"""A local emulator of the ``/v1/videos`` API: no account, no network.

A separate package from the client: it imports nothing from ``openai_videos`` or
``openai_videos_api``, and checks requests against the upstream spec (``_spec``), so the
client's own spec deviations cannot hide on both sides of a test. For the same reason it
spells its vocabularies (statuses, variants, content types) itself instead of importing the
client's: an oracle must not share the assumptions of what it tests.

Three ways to use it::

    openai-videos serve --port 8000                       # a server (the CLI)

    with run_emulator(EmulatorConfig(job_seconds=0.5)) as server:   # in-process, in tests
        client = OpenAIVideos(base_url=server.base_url)   # from openai_videos

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
from ._media import probe as probe_video
from ._profiles import PROFILES, Profile, get_profile
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
    "get_profile",
    "probe_video",
    "run_emulator",
    "serve",
]
