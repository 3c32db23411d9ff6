from enum import StrEnum


class HealthScoreRemovalReason(StrEnum):
    CANCELLED = "cancelled"
    NOT_SCORED = "not_scored"

    def __str__(self) -> str:
        return str(self.value)
