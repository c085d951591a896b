"""Contains some shared types for properties"""

from collections.abc import Mapping, MutableMapping
from enum import StrEnum
from http import HTTPStatus
from typing import IO, Any, BinaryIO, Generic, Literal, TypeVar
from urllib.parse import quote

from attrs import define


class Unset:
    def __bool__(self) -> Literal[False]:
        return False


UNSET: Unset = Unset()

# The types that `httpx.Client(files=)` can accept, copied from that library.
FileContent = IO[bytes] | bytes | str
FileTypes = (
    # (filename, file (or bytes), content_type)
    tuple[str | None, FileContent, str | None]
    # (filename, file (or bytes), content_type, headers)
    | tuple[str | None, FileContent, str | None, Mapping[str, str]]
)
RequestFiles = list[tuple[str, FileTypes]]


@define
class File:
    """Contains information for file uploads"""

    payload: BinaryIO
    file_name: str | None = None
    mime_type: str | None = None

    def to_tuple(self) -> FileTypes:
        """Return a tuple representation that httpx will accept for multipart/form-data"""
        return self.file_name, self.payload, self.mime_type


T = TypeVar("T")


@define
class Response(Generic[T]):
    """A response from an endpoint"""

    status_code: HTTPStatus
    content: bytes
    headers: MutableMapping[str, str]
    parsed: T | None


def path_segment(value: object, name: str) -> str:
    """Percent-encode ``value`` as exactly one URL path segment.

    ``/``, ``?``, ``#`` and the rest are encoded by ``quote``; a value made only of dots would
    still be a dot-segment that URL normalisation removes (``/videos/..`` is ``/``), so its dots
    are encoded too. An empty value would address the parent route, so it is refused.
    """
    text = str(value)
    if not text:
        raise ValueError(f"{name} must be a non-empty string, got {value!r}")
    if not text.strip("."):
        return text.replace(".", "%2E")
    return quote(text, safe="")


def to_enum(enum: type[StrEnum], value: object, field: str, *, nullable: bool = False) -> Any:
    """``value`` for an enum-typed field: a member as it is, a string as its member (an unknown
    string becomes a pseudo-member that keeps it, as when parsing), ``UNSET`` as it is, ``None``
    where the field is nullable.

    Raises:
        TypeError: Anything else, naming the field and the known values.
    """
    if isinstance(value, enum) or value is UNSET or (value is None and nullable):
        return value
    if isinstance(value, str):
        return enum(value)
    known = ", ".join(repr(member.value) for member in enum)
    raise TypeError(
        f"{field} must be a {enum.__name__} or its string value ({known}; other strings are"
        f" passed through), but received {type(value).__name__} {value!r}"
    )


def freeze(value: object) -> object:
    """The key a list field compares and hashes by: a tuple, so that every model is hashable."""
    return tuple(value) if isinstance(value, list) else value


__all__ = [
    "freeze",
    "path_segment",
    "to_enum",
    "UNSET",
    "File",
    "FileTypes",
    "RequestFiles",
    "Response",
    "Unset",
]
