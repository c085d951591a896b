"""A minimal HTTP/1.1 server for the per-call benchmarks, so the server is never the bottleneck.

Serves, with keep-alive:
- ``GET /v1/videos/{id}``: a fixed completed video;
- ``GET /v1/videos?limit=&after=``: 10,000 videos, 100 per page, with cursors;
- ``GET /v1/videos/{id}/content``: ``BENCH_CONTENT_BYTES`` bytes (1 GiB by default) of video/mp4.

Run: ``python -m benchmarks.fast_server PORT``. It prints ``ready`` when listening.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import urllib.parse

TOTAL_VIDEOS = 10_000
CHUNK = b"\x00" * (1024 * 1024)


def video(video_id: str) -> dict[str, object]:
    return {
        "id": video_id, "object": "video", "model": "sora-2", "status": "completed", "progress": 100,
        "created_at": 1712697600, "completed_at": 1712697660, "expires_at": 1712784000,
        "prompt": "A calico cat playing a piano on stage", "size": "720x1280", "seconds": "8",
        "remixed_from_video_id": None, "error": None,
    }  # fmt: skip


IDS = [f"video_{i:05d}" for i in range(TOTAL_VIDEOS)]
INDEX = {video_id: i for i, video_id in enumerate(IDS)}
RETRIEVE_BODY = json.dumps(video("video_123")).encode()


def page(query: dict[str, str]) -> bytes:
    limit = int(query.get("limit", "20"))
    start = INDEX[query["after"]] + 1 if "after" in query else 0
    items = IDS[start : start + limit]
    body = {
        "object": "list",
        "data": [video(i) for i in items],
        "first_id": items[0] if items else None,
        "last_id": items[-1] if items else None,
        "has_more": start + limit < TOTAL_VIDEOS,
    }
    return json.dumps(body).encode()


def head(status: str, length: int, content_type: str, extra: str = "") -> bytes:
    return (
        f"HTTP/1.1 {status}\r\ncontent-type: {content_type}\r\ncontent-length: {length}\r\n"
        f"accept-ranges: bytes\r\n{extra}\r\n"
    ).encode()


async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    content_size = int(os.environ.get("BENCH_CONTENT_BYTES", str(1024**3)))
    try:
        while True:
            request = await reader.readuntil(b"\r\n\r\n")
            line, *header_lines = request.decode("latin-1").split("\r\n")
            _, target, _ = line.split(" ", 2)
            headers = dict(h.split(": ", 1) for h in header_lines if ": " in h)
            length = int(headers.get("content-length") or headers.get("Content-Length") or 0)
            if length:
                await reader.readexactly(length)
            path, _, query_string = target.partition("?")
            query = dict(urllib.parse.parse_qsl(query_string))
            if path.endswith("/content"):
                writer.write(head("200 OK", content_size, "video/mp4"))
                sent = 0
                while sent < content_size:
                    piece = CHUNK[: min(len(CHUNK), content_size - sent)]
                    writer.write(piece)
                    sent += len(piece)
                    await writer.drain()
                continue
            body = page(query) if path == "/v1/videos" else RETRIEVE_BODY
            writer.write(head("200 OK", len(body), "application/json") + body)
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


async def main(port: int) -> None:
    server = await asyncio.start_server(handle, "127.0.0.1", port, backlog=1024)
    print("ready", flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1])))
