"""How each ``/v1/videos`` server bends the wire format, so the emulator can imitate it.

The base ``Profile`` is OpenAI's own behaviour; each subclass overrides the hooks its server
changes. The client's compatibility tests run against every profile.
"""

from __future__ import annotations

from typing import Any, ClassVar

__all__ = ["PROFILES", "Profile", "get_profile"]

CONTENT_TYPES = {"video": "video/mp4", "thumbnail": "image/webp", "spritesheet": "image/jpeg"}
OPERATIONS = frozenset(
    {
        "create",
        "list",
        "retrieve",
        "delete",
        "content",
        "remix",
        "edit",
        "extend",
        "create_character",
        "get_character",
    }
)


class Profile:
    """OpenAI's behaviour, and the hooks other servers override."""

    name: ClassVar[str] = "openai"
    prefix: ClassVar[tuple[str, ...]] = ("v1",)
    auth_header: ClassVar[str] = "authorization"
    offered: ClassVar[frozenset[str]] = OPERATIONS

    def video(self, body: dict[str, Any]) -> dict[str, Any]:
        """A video object as this server shows it."""
        return body

    def video_id_out(self, video_id: str) -> str:
        """The id as this server shows it."""
        return video_id

    def video_id_in(self, video_id: str) -> str:
        """The stored id for an id this server showed (inverse of ``video_id_out``)."""
        return video_id

    def error(self, status: int, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """An error answer: status and JSON body."""
        return status, body

    def not_offered(self, operation: str) -> tuple[int, dict[str, Any]]:
        """The answer to an operation this server does not have."""
        return 404, {
            "error": {
                "message": "Not found",
                "type": "invalid_request_error",
                "param": None,
                "code": None,
            }
        }

    def deleted(self, video: dict[str, Any]) -> dict[str, Any]:
        """The answer to a deletion."""
        return {"id": video["id"], "object": "video.deleted", "deleted": True}

    def page(self, videos: list[dict[str, Any]], has_more: bool) -> dict[str, Any]:
        """A list answer."""
        return {
            "object": "list",
            "data": videos,
            "first_id": videos[0]["id"] if videos else None,
            "last_id": videos[-1]["id"] if videos else None,
            "has_more": has_more,
        }

    def content_type(self, variant: str) -> str:
        """The Content-Type of a downloaded variant."""
        return CONTENT_TYPES[variant]


PROFILES: dict[str, type[Profile]] = {"openai": Profile}


def get_profile(name: str) -> Profile:
    """The profile called ``name``."""
    try:
        return PROFILES[name]()
    except KeyError:
        msg = f"unknown profile {name!r}; known: {', '.join(sorted(PROFILES))}"
        raise ValueError(msg) from None
