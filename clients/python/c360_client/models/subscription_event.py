from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.subscription_event_event_type import SubscriptionEventEventType
from ..types import UNSET, Unset

T = TypeVar("T", bound="SubscriptionEvent")


@_attrs_define
class SubscriptionEvent:
    """One event of the subscription system (signup, upgrade, downgrade, cancel, payment).

    Attributes:
        event_id (str): Unique event id.
        subscriber_id (str): The subscriber the event is about.
        event_type (SubscriptionEventEventType):
        event_timestamp (datetime.datetime): When it happened: ISO 8601 with a UTC offset.
        plan (None | str | Unset):
        payment_amount (float | None | Unset): Required for payments; > 0.
        payment_status (None | str | Unset):
        currency (None | str | Unset):
        country (None | str | Unset):
        age_band (None | str | Unset):
        acquisition_channel (None | str | Unset):
    """

    event_id: str
    subscriber_id: str
    event_type: SubscriptionEventEventType
    event_timestamp: datetime.datetime
    plan: None | str | Unset = UNSET
    payment_amount: float | None | Unset = UNSET
    payment_status: None | str | Unset = UNSET
    currency: None | str | Unset = UNSET
    country: None | str | Unset = UNSET
    age_band: None | str | Unset = UNSET
    acquisition_channel: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        event_id = self.event_id

        subscriber_id = self.subscriber_id

        event_type = self.event_type.value

        event_timestamp = self.event_timestamp.isoformat()

        plan: None | str | Unset
        if isinstance(self.plan, Unset):
            plan = UNSET
        else:
            plan = self.plan

        payment_amount: float | None | Unset
        if isinstance(self.payment_amount, Unset):
            payment_amount = UNSET
        else:
            payment_amount = self.payment_amount

        payment_status: None | str | Unset
        if isinstance(self.payment_status, Unset):
            payment_status = UNSET
        else:
            payment_status = self.payment_status

        currency: None | str | Unset
        if isinstance(self.currency, Unset):
            currency = UNSET
        else:
            currency = self.currency

        country: None | str | Unset
        if isinstance(self.country, Unset):
            country = UNSET
        else:
            country = self.country

        age_band: None | str | Unset
        if isinstance(self.age_band, Unset):
            age_band = UNSET
        else:
            age_band = self.age_band

        acquisition_channel: None | str | Unset
        if isinstance(self.acquisition_channel, Unset):
            acquisition_channel = UNSET
        else:
            acquisition_channel = self.acquisition_channel

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "event_id": event_id,
                "subscriber_id": subscriber_id,
                "event_type": event_type,
                "event_timestamp": event_timestamp,
            }
        )
        if plan is not UNSET:
            field_dict["plan"] = plan
        if payment_amount is not UNSET:
            field_dict["payment_amount"] = payment_amount
        if payment_status is not UNSET:
            field_dict["payment_status"] = payment_status
        if currency is not UNSET:
            field_dict["currency"] = currency
        if country is not UNSET:
            field_dict["country"] = country
        if age_band is not UNSET:
            field_dict["age_band"] = age_band
        if acquisition_channel is not UNSET:
            field_dict["acquisition_channel"] = acquisition_channel

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        event_id = d.pop("event_id")

        subscriber_id = d.pop("subscriber_id")

        event_type = SubscriptionEventEventType(d.pop("event_type"))

        event_timestamp = datetime.datetime.fromisoformat(d.pop("event_timestamp"))

        def _parse_plan(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        plan = _parse_plan(d.pop("plan", UNSET))

        def _parse_payment_amount(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        payment_amount = _parse_payment_amount(d.pop("payment_amount", UNSET))

        def _parse_payment_status(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        payment_status = _parse_payment_status(d.pop("payment_status", UNSET))

        def _parse_currency(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        currency = _parse_currency(d.pop("currency", UNSET))

        def _parse_country(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        country = _parse_country(d.pop("country", UNSET))

        def _parse_age_band(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        age_band = _parse_age_band(d.pop("age_band", UNSET))

        def _parse_acquisition_channel(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        acquisition_channel = _parse_acquisition_channel(d.pop("acquisition_channel", UNSET))

        subscription_event = cls(
            event_id=event_id,
            subscriber_id=subscriber_id,
            event_type=event_type,
            event_timestamp=event_timestamp,
            plan=plan,
            payment_amount=payment_amount,
            payment_status=payment_status,
            currency=currency,
            country=country,
            age_band=age_band,
            acquisition_channel=acquisition_channel,
        )

        subscription_event.additional_properties = d
        return subscription_event

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
