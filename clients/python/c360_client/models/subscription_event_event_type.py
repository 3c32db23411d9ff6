from enum import StrEnum


class SubscriptionEventEventType(StrEnum):
    CANCEL = "cancel"
    DOWNGRADE = "downgrade"
    PAYMENT = "payment"
    SIGNUP = "signup"
    UPGRADE = "upgrade"

    def __str__(self) -> str:
        return str(self.value)
