"""The README's demo: emulator → create → live progress → three downloads → their real properties."""

from __future__ import annotations

import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from ._console import markup_safe, plain, progress_bar
from ._paths import inside, safe_name
from ._sync._client import OpenAIVideos


def inspect_video(path: Path) -> str:
    """Duration, resolution and codec, read back from the MP4 itself."""
    from openai_videos_emulator import probe_video

    duration, width, height, codec = probe_video(path.read_bytes())
    return f"{duration:.2f} s, {width}x{height}, {codec}"


def inspect_image(path: Path) -> str:
    """Format and resolution, read back from the image file."""
    from PIL import Image

    with Image.open(path) as image:
        return f"{image.format}, {image.width}x{image.height}"


def run_demo(output: Path, *, prompt: str, size: str, seconds: str, console: Console) -> None:
    """Run the whole flow against an in-process emulator on a free loopback port."""
    from openai_videos_emulator import EmulatorConfig, run_emulator

    output.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    with run_emulator(EmulatorConfig(job_seconds=3.0, render_fps=24)) as server:
        console.print(f"[bold]emulator[/bold] listening on {server.base_url}")
        with OpenAIVideos(base_url=server.base_url) as client:
            video = client.create(prompt, size=size, seconds=seconds)
            console.print(
                f"[bold]created[/bold] {markup_safe(video.id)} ({markup_safe(video.status)})"
            )
            with progress_bar(True, video.id) as update:
                video = client.poll(video.id, on_progress=update)
            folder = inside(output, safe_name(video.id))
            folder.mkdir()
            files = {
                "video": client.download_to(video.id, folder / "video.mp4"),
                "thumbnail": client.download_to(
                    video.id, folder / "thumbnail.webp", variant="thumbnail"
                ),
                "spritesheet": client.download_to(
                    video.id, folder / "spritesheet.jpg", variant="spritesheet"
                ),
            }
    table = Table(
        "asset", "file", "bytes", "read back from the file", title=plain(f"saved in {folder}/")
    )
    for variant, path in files.items():
        properties = inspect_video(path) if variant == "video" else inspect_image(path)
        table.add_row(variant, path.name, f"{path.stat().st_size:,}", properties)
    console.print(table)
    done = f"requested {size}, {seconds} s; done in {time.monotonic() - started:.1f} s"
    console.print(plain(done))
