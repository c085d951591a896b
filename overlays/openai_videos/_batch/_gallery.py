"""A batch's gallery: one self-contained HTML page in the output directory, a card per item
(thumbnail, prompt, status, duration, size, estimate, error, the video playable in place) and
a filter by state. It works offline, opened from the folder: no server, no script or style
from elsewhere; media are referenced by relative paths. Every string from the store or a
server is HTML-escaped. No network I/O (the thumbnails are fetched by the caller)."""

from __future__ import annotations

import collections
import html
import urllib.parse
from collections.abc import Mapping, Sequence
from pathlib import Path

from .._download import atomic_file
from ._schema import BatchItem, ItemStatus

__all__ = ["GALLERY_NAME", "THUMBNAILS", "thumbnail_name", "write_gallery"]

GALLERY_NAME = "gallery.html"
THUMBNAILS = "thumbnails"
FILTERS = ("all", *(str(status) for status in ItemStatus))

_STYLE = """
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5rem; background: #f6f6f4; color: #222; }
h1 { font-size: 1.3rem; margin: 0 0 .3rem; }
nav button { margin: .2rem; padding: .3rem .7rem; border: 1px solid #999; background: #fff;
  border-radius: 4px; cursor: pointer; }
nav button[aria-pressed="true"] { background: #222; color: #fff; }
main { display: grid; grid-template-columns: repeat(auto-fill, minmax(240px, 1fr)); gap: 1rem;
  margin-top: 1rem; }
article { background: #fff; border-radius: 6px; padding: .6rem; box-shadow: 0 1px 3px #0002; }
article[hidden] { display: none; }
article img, article video { width: 100%; max-height: 240px; object-fit: contain;
  border-radius: 4px; background: #222; }
dd { margin: 0; overflow-wrap: anywhere; }
.status { font-weight: 600; text-transform: uppercase; font-size: .75rem; }
.failed .status, .error { color: #b00020; }
.uncertain .status { color: #a86b00; }
.prompt { margin: .3rem 0; overflow-wrap: anywhere; }
dl { display: grid; grid-template-columns: auto 1fr; gap: 0 .6rem; margin: .3rem 0 0;
  font-size: .85rem; color: #555; }
dt { font-weight: 600; }
.missing { padding: 2rem 0; text-align: center; color: #777; background: #eee; border-radius: 4px; }
"""

_SCRIPT = """
const buttons = document.querySelectorAll("nav button");
for (const button of buttons) {
  button.addEventListener("click", () => {
    const wanted = button.dataset.filter;
    for (const other of buttons) other.setAttribute("aria-pressed", String(other === button));
    for (const card of document.querySelectorAll("main article")) {
      card.hidden = wanted !== "all" && card.dataset.status !== wanted;
    }
  });
}
"""


def thumbnail_name(item: BatchItem) -> str:
    """The thumbnail's file name beside the video: ``NNNN-ID.mp4`` gives ``NNNN-ID.webp``."""
    return f"{Path(str(item.file)).stem}.webp"


def write_gallery(
    out_dir: Path, run: str, items: Sequence[BatchItem], thumbnails: Mapping[int, str]
) -> Path:
    """Write ``out_dir/gallery.html`` for ``items`` (``thumbnails``: item index to a file name
    in ``out_dir/thumbnails``); atomically. Returns its path."""
    counts = collections.Counter(str(item.status) for item in items)
    buttons = "".join(
        f'<button type="button" data-filter="{name}" aria-pressed="{str(name == "all").lower()}">'
        f"{name} ({len(items) if name == 'all' else counts[name]})</button>"
        for name in FILTERS
        if name == "all" or counts[name]
    )
    cards = "\n".join(_card(item, thumbnails.get(item.index)) for item in items)
    page = (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<link rel="icon" href="data:,">'
        f"<title>{_text(run)}: {len(items)} videos</title><style>{_STYLE}</style></head>\n"
        f"<body><h1>Batch run {_text(run)}</h1>"
        f"<p>{counts['downloaded']} of {len(items)} downloaded, {counts['failed']} failed, "
        f"{counts['uncertain']} uncertain. Made by openai-videos batch report.</p>"
        f'<nav aria-label="filter by state">{buttons}</nav>\n<main>\n{cards}\n</main>'
        f"<script>{_SCRIPT}</script></body></html>\n"
    )
    target = out_dir / GALLERY_NAME
    with atomic_file(target, durable=False) as file:
        file.write(page.encode("utf-8"))
    return target


def _card(item: BatchItem, thumbnail: str | None) -> str:
    poster = f"{THUMBNAILS}/{thumbnail}" if thumbnail else None
    if item.status == ItemStatus.DOWNLOADED and item.file:
        poster_attribute = f' poster="{_url(poster)}"' if poster else ""
        media = (
            f'<img src="{_url(poster)}" alt="thumbnail of item {item.index}" loading="lazy">'
            if poster
            else '<div class="missing">no thumbnail</div>'
        ) + (
            f'<details><summary>play</summary><video controls preload="none"'
            f'{poster_attribute} src="{_url(item.file)}"></video></details>'
        )
    else:
        media = f'<div class="missing">{_text(item.status)}: no video</div>'
    facts = {
        "item": f"#{item.index}",
        "seconds": item.options.get("seconds") or "server default",
        "size": item.options.get("size") or "server default",
        "estimate": f"USD {item.estimate:.2f}" if item.estimate is not None else "-",
        "file": item.file or "-",
    }
    details = "".join(f"<dt>{_text(k)}</dt><dd>{_text(v)}</dd>" for k, v in facts.items())
    error = f'<p class="error">{_text(item.error)}</p>' if item.error else ""
    return (
        f'<article class="{_text(item.status)}" data-status="{_text(item.status)}">{media}'
        f'<div class="status">{_text(item.status)}</div>'
        f'<p class="prompt">{_text(item.prompt)}</p>{error}<dl>{details}</dl></article>'
    )


def _text(value: object) -> str:
    return html.escape(str(value), quote=True)


def _url(name: str | None) -> str:
    return html.escape(urllib.parse.quote(str(name)), quote=True)
