"""The batch gallery in a real headless browser (Debian's Chromium, driven by Playwright): the
page opens from the folder with no console error, shows a card per item, every thumbnail
decodes, the failed filter shows exactly the failed items, a video plays in place; a
screenshot is kept in ``test-artifacts/``. Hostile prompts stay text."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from openai_videos import AsyncOpenAIVideos
from openai_videos._batch import run_batch
from openai_videos._cli import cli
from openai_videos_emulator import EmulatorConfig, run_emulator

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
PROMPTS = [
    {"prompt": "A red fox in snow", "seconds": "4", "size": "1280x720"},
    {"prompt": "A lighthouse at dusk", "seconds": "4", "size": "720x1280"},
    {"prompt": "<script>alert(1)</script> & a cat [fail]", "seconds": "4", "size": "1280x720"},
    {"prompt": "Rain on a window", "seconds": "4", "size": "1280x720"},
]
BROWSER = os.environ.get("OPENAI_VIDEOS_CHROMIUM") or shutil.which("chromium") or ""


@pytest.fixture(scope="module")
def gallery(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    out = tmp_path_factory.mktemp("gallery")
    with run_emulator(EmulatorConfig(job_seconds=0.2, render_fps=4)) as server:

        async def go() -> Any:
            async with AsyncOpenAIVideos(base_url=server.base_url) as client:
                return await run_batch(client, PROMPTS, out, concurrency=4)

        report = asyncio.run(go())
        assert len(report.downloaded) == 3 and len(report.failed) == 1
        made = CliRunner().invoke(
            cli, ["--base-url", server.base_url, "--json", "batch", "report", "--out", str(out)]
        )
    assert made.exit_code == 0, made.output
    assert json.loads(made.stdout)["thumbnails"] == 3
    yield out / "gallery.html"


@pytest.fixture(scope="module")
def page(gallery: Path) -> Iterator[Any]:
    if not BROWSER:  # CI must run it; a developer's machine may lack the browser
        message = "no Chromium: `apt-get install chromium` (scripts/dev.py test does, as root)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=BROWSER, args=["--no-sandbox"])
        opened = browser.new_page(viewport={"width": 1200, "height": 900})
        errors: list[str] = []
        opened.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        opened.on("pageerror", lambda e: errors.append(str(e)))
        opened.goto(gallery.as_uri())
        opened.wait_for_load_state("load")
        opened.errors = errors
        yield opened
        browser.close()


def test_the_page_loads_from_the_folder_without_errors(page: Any) -> None:
    assert page.errors == []
    assert page.locator("main article").count() == len(PROMPTS)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "gallery.png"), full_page=True)
    assert (ARTIFACTS / "gallery.png").stat().st_size > 10_000


def test_every_thumbnail_decodes(page: Any) -> None:
    sizes = page.eval_on_selector_all(
        "article img", "images => images.map(i => [i.complete, i.naturalWidth])"
    )
    assert len(sizes) == 3 and all(done and width > 0 for done, width in sizes)


def test_the_failed_filter_shows_exactly_the_failed_items(page: Any) -> None:
    page.click('nav button[data-filter="failed"]')
    visible = page.locator("main article:visible")
    assert visible.count() == 1
    assert "[fail]" in visible.inner_text() and "moderation" in visible.inner_text().lower()
    page.click('nav button[data-filter="all"]')
    assert page.locator("main article:visible").count() == len(PROMPTS)


def test_a_prompt_is_text_never_markup(page: Any) -> None:
    assert page.locator("main article script").count() == 0
    assert "<script>alert(1)</script> & a cat" in page.locator("main").inner_text()


def test_a_video_plays_in_place(page: Any) -> None:
    page.locator("article details summary").first.click()
    duration = page.eval_on_selector(
        "article details video",
        """video => new Promise(done => {
            video.addEventListener("loadedmetadata", () => done(video.duration));
            video.addEventListener("error", () => done(-1));
            video.preload = "metadata"; video.load();
        })""",
    )
    assert duration == pytest.approx(4.0, abs=0.1)
