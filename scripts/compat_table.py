"""The compatibility table of docs/servers.md, made from ``openai-videos check --create`` against every
emulator profile, or a check that the page still shows exactly that.

Usage::

    python scripts/compat_table.py           # print the table
    python scripts/compat_table.py --write   # put it into docs/servers.md, between its markers
    python scripts/compat_table.py --check   # exit 1 if docs/servers.md shows another table

``tests/test_check.py`` runs the same comparison, so the table cannot drift from what the
tests prove.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "servers.md"  # the page that shows the table
START, END = "<!-- compat-table:start -->", "<!-- compat-table:end -->"

# How each profile is reached, as a user of that server would configure the client.
PROFILE_KEYS = {"azure": "azure-key"}
SERVERS = {
    "openai": "OpenAI (the spec)",
    "azure": "Azure OpenAI v1",
    "litellm": "LiteLLM proxy",
    "litellm-runway": "LiteLLM proxy, Runway progress",
    "vllm-omni": "vLLM-Omni / NVIDIA Dynamo",
    "sglang": "SGLang diffusion / FastVideo",
    "newapi": "New API / one-api",
    "newapi-task": "New API v1.0.0-rc.30+ (task shape)",
    "gateway-nulls": "a gateway leaving fields null",
    "ignores-idempotency": "a gateway ignoring Idempotency-Key",
    "sora-images": "OpenAI's reference-image size rule",
    "form-only": "a server reading multipart creates only",
    "litellm-veo": "LiteLLM proxy in front of Veo",
}
COLUMNS = ("list", "retrieve", "errors", "content", "create", "poll", "download", "delete")


def reports() -> dict[str, object]:
    """``check --create`` of every emulator profile, by profile name."""
    sys.path.insert(0, str(ROOT / "overlays"))
    from openai_videos._check import run_check
    from openai_videos_emulator import PROFILES, EmulatorConfig, run_emulator

    found: dict[str, object] = {}
    for name in PROFILES:
        key = PROFILE_KEYS.get(name)
        config = EmulatorConfig(profile=name, job_seconds=0.3, render_fps=4, api_key=key)
        with run_emulator(config) as server:
            found[name] = run_check(server.base_url, api_key=key, create=True, poll_timeout=30)
    return found


def render(found: dict[str, object]) -> str:
    """The markdown table for ``found`` reports."""
    head = ["server (`serve --profile`)", *COLUMNS, "client configuration", "dialect rules"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for name, report in found.items():
        outcomes = {op.operation: op.outcome for op in report.operations}  # type: ignore[attr-defined]
        config = report.configuration  # type: ignore[attr-defined]
        setting = ", ".join(f"`{k}={v!r}`" for k, v in config.items()) or "defaults"
        rules = ", ".join(report.dialect_rules) or "-"  # type: ignore[attr-defined]
        cells = [f"{SERVERS.get(name, name)} (`{name}`)", *(outcomes.get(c, "-") for c in COLUMNS)]
        lines.append("| " + " | ".join([*cells, setting, rules]) + " |")
    return "\n".join(lines) + "\n"


def readme_table(text: str) -> str:
    """The table between the markers of docs/servers.md."""
    return text.split(START, 1)[1].split(END, 1)[0].strip("\n") + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--write", action="store_true")
    group.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    table = render(reports())
    text = PAGE.read_text(encoding="utf-8")
    if args.check:
        if readme_table(text) != table:
            print(
                "docs/servers.md's compatibility table is stale: run scripts/compat_table.py --write"
            )
            return 1
        return 0
    if args.write:
        before, rest = text.split(START, 1)
        PAGE.write_text(f"{before}{START}\n{table}{END}{rest.split(END, 1)[1]}", "utf-8")
        print(f"wrote the table into {PAGE.name}")
        return 0
    print(table, end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
