from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.health_score_removal import HealthScoreRemoval
    from ..models.health_score_upsert import HealthScoreUpsert


T = TypeVar("T", bound="HealthScoreChanges")


@_attrs_define
class HealthScoreChanges:
    """One page of the change feed.

    Page with next_cursor until it is null; that last page carries next_sync_token: keep it, and pass it as
    sync_token next time to get exactly what changed since.

        Attributes:
            data (list[HealthScoreRemoval | HealthScoreUpsert]):
            next_cursor (None | str): Pass as `cursor` for the next page; null on the last page.
            next_sync_token (None | str): On the last page only: the token of the state you now have; pass it as sync_token
                next time.
            version (int): The served version this sync reads (every page of one sync reads the same).
    """

    data: list[HealthScoreRemoval | HealthScoreUpsert]
    next_cursor: None | str
    next_sync_token: None | str
    version: int

    def to_dict(self) -> dict[str, Any]:
        from ..models.health_score_upsert import HealthScoreUpsert  # noqa: PLC0415

        data = []
        for data_item_data in self.data:
            data_item: dict[str, Any]
            if isinstance(data_item_data, HealthScoreUpsert):
                data_item = data_item_data.to_dict()
            else:
                data_item = data_item_data.to_dict()

            data.append(data_item)

        next_cursor: None | str
        next_cursor = self.next_cursor

        next_sync_token: None | str
        next_sync_token = self.next_sync_token

        version = self.version

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "data": data,
                "next_cursor": next_cursor,
                "next_sync_token": next_sync_token,
                "version": version,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.health_score_removal import HealthScoreRemoval  # noqa: PLC0415
        from ..models.health_score_upsert import HealthScoreUpsert  # noqa: PLC0415

        d = dict(src_dict)
        data = []
        _data = d.pop("data")
        for data_item_data in _data:

            def _parse_data_item(data: object) -> HealthScoreRemoval | HealthScoreUpsert:
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    data_item_type_0 = HealthScoreUpsert.from_dict(data)

                    return data_item_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                if not isinstance(data, dict):
                    raise TypeError()
                data_item_type_1 = HealthScoreRemoval.from_dict(data)

                return data_item_type_1

            data_item = _parse_data_item(data_item_data)

            data.append(data_item)

        def _parse_next_cursor(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        next_cursor = _parse_next_cursor(d.pop("next_cursor"))

        def _parse_next_sync_token(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        next_sync_token = _parse_next_sync_token(d.pop("next_sync_token"))

        version = d.pop("version")

        health_score_changes = cls(
            data=data,
            next_cursor=next_cursor,
            next_sync_token=next_sync_token,
            version=version,
        )

        return health_score_changes
