from enum import StrEnum


class DriverDirectionType0(StrEnum):
    DECREASES_RISK = "decreases_risk"
    INCREASES_RISK = "increases_risk"

    def __str__(self) -> str:
        return str(self.value)
