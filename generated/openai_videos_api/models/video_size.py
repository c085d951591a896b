from enum import StrEnum
from typing import Any


class VideoSize(StrEnum):
    """Known values of VideoSize.

    A value this client does not know yet parses as a pseudo-member that keeps the raw string
    (``is_known`` is False) instead of raising.
    """

    SIZE_1024X1792 = "1024x1792"
    SIZE_1280X720 = "1280x720"
    SIZE_1792X1024 = "1792x1024"
    SIZE_720X1280 = "720x1280"

    def __str__(self) -> str:
        return str(self.value)

    # Equal to its string value, so hash like it (Enum's default hashes the member name).
    __hash__ = str.__hash__

    @property
    def is_known(self) -> bool:
        """Whether this is one of the values listed in the spec."""
        return type(self)._value2member_map_.get(self._value_) is self

    @classmethod
    def _missing_(cls, value: Any) -> Any:
        if not isinstance(value, str):
            return None
        pseudo_member = str.__new__(cls, value)
        pseudo_member._name_ = value
        pseudo_member._value_ = value
        return pseudo_member
