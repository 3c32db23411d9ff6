from enum import StrEnum


class EngagementSplit(StrEnum):
    DEVICE = "device"
    PLAN = "plan"
    SEGMENT = "segment"

    def __str__(self) -> str:
        return str(self.value)
