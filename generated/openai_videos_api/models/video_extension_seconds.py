from enum import StrEnum
from typing import Any


class VideoExtensionSeconds(StrEnum):
    """Known values of VideoExtensionSeconds.

    A value this client does not know yet parses as a pseudo-member that keeps the raw string
    (``is_known`` is False) instead of raising.
    """

    SECONDS_12 = "12"
    SECONDS_16 = "16"
    SECONDS_20 = "20"
    SECONDS_4 = "4"
    SECONDS_8 = "8"

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
