"""``openai-videos check`` against every emulator profile: exactly the expected report, no job
without ``--create``, and the table in docs/servers.md made from these reports (issue 13)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from openai_videos._check import CheckReport, run_check
from openai_videos._cli import cli
from openai_videos_emulator import PROFILES, EmulatorConfig, run_emulator

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import compat_table  # noqa: E402

OPS = ("authentication", "list", "errors", "retrieve", "content", "create", "poll", "download",
       "delete")  # fmt: skip
TASK_RULES = [
    "id_from_task_id",
    "tolerable_nulls",
    "status_synonyms",
    "progress_as_percent",
    "completed_at_from_finished_at",
]
LITELLM_QUERY = {"default_query": {"custom_llm_provider": "openai"}}
# profile: (outcome per operation, dialect rules, client configuration)
EXPECTED: dict[str, tuple[str, list[str], dict[str, Any]]] = {
    "openai": ("ok ok ok ok ok ok ok ok ok", [], {}),
    "azure": ("deviates ok ok ok ok ok ok ok ok", [], {"auth_header": "api-key"}),
    "litellm": ("ok deviates ok deviates ok deviates ok ok not-offered", [], LITELLM_QUERY),
    "vllm-omni": ("ok ok ok ok ok deviates ok ok ok", [], {}),
    "sglang": ("ok deviates deviates deviates ok deviates ok ok deviates", [], {}),
    "newapi": ("ok ok ok ok ok deviates ok ok ok", [], {}),
    "newapi-task": ("ok ok ok deviates ok deviates ok ok ok", TASK_RULES, {"dialect": "auto"}),
    "litellm-runway": (
        "ok deviates ok deviates ok deviates ok ok not-offered",
        ["progress_as_percent"],
        {**LITELLM_QUERY, "dialect": "auto"},
    ),
    "gateway-nulls": ("ok ok ok ok ok deviates ok ok ok", ["tolerable_nulls"], {"dialect": "auto"}),
    "ignores-idempotency": ("ok ok ok ok ok ok ok ok ok", [], {}),
    "sora-images": ("ok ok ok ok ok ok ok ok ok", [], {}),
    "form-only": ("ok ok ok ok ok deviates ok ok ok", [], {}),  # JSON refused, multipart taken
    "litellm-veo": ("ok deviates ok deviates ok deviates ok ok not-offered", [], LITELLM_QUERY),
}


@pytest.fixture(scope="module")
def reports() -> dict[str, CheckReport]:
    return compat_table.reports()  # type: ignore[return-value]


def test_every_profile_has_an_expected_report() -> None:
    assert set(EXPECTED) == set(PROFILES)


@pytest.mark.parametrize("profile", sorted(EXPECTED))
def test_check_gives_the_profile_its_expected_report(
    reports: dict[str, CheckReport], profile: str
) -> None:
    report = reports[profile]
    outcomes, rules, configuration = EXPECTED[profile]
    assert [op.operation for op in report.operations] == list(OPS)
    got = " ".join(op.outcome.replace(" ", "-") for op in report.operations)
    assert got == outcomes, [(op.operation, op.outcome, op.notes) for op in report.operations]
    assert report.dialect_rules == rules
    assert report.configuration == configuration
    assert report.jobs_created == 1 and report.ok


def test_the_readme_table_is_what_check_reports(reports: dict[str, CheckReport]) -> None:
    page = compat_table.PAGE.read_text(encoding="utf-8")
    assert compat_table.readme_table(page) == compat_table.render(reports)  # type: ignore[arg-type]


def test_the_spec_server_has_no_deviations_and_check_creates_nothing() -> None:
    with run_emulator(EmulatorConfig(job_seconds=0.3, render_fps=4)) as server:
        with server_client(server) as client:  # a finished video for retrieve and content
            client.create_and_poll("existing", poll_interval=0.05)
        before = server.jobs_created
        report = run_check(server.base_url)
        assert server.jobs_created == before  # list, retrieve, errors, Range: nothing paid
    assert report.ok and report.jobs_created == 0
    assert {op.outcome for op in report.operations} == {"ok", "not checked"}
    assert [op.operation for op in report.operations if op.outcome != "ok"] == ["create"]


def test_the_command_line_reports_in_json_and_sets_the_exit_code() -> None:
    with run_emulator(EmulatorConfig(profile="litellm", job_seconds=0.3, render_fps=4)) as server:
        result = CliRunner().invoke(cli, ["--base-url", server.base_url, "--json", "check"])
        assert result.exit_code == 0, result.output
        data = json.loads(result.stdout)
        assert data["configuration"] == LITELLM_QUERY and data["jobs_created"] == 0
        assert server.jobs_created == 0
    unreachable = CliRunner().invoke(cli, ["--base-url", "http://127.0.0.1:9/v1", "check"])
    assert unreachable.exit_code == 3  # no server there: a connection error


def server_client(server: Any) -> Any:
    from openai_videos import OpenAIVideos

    return OpenAIVideos(base_url=server.base_url)
