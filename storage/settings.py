"""Per-workspace settings: the default series, extra moderators."""

from __future__ import annotations

from sqlalchemy import select

from storage.base import StoreBase, insert_for
from storage.errors import translate_errors
from storage.tables import settings


class SettingStorage(StoreBase):
    """`bot.ports.SettingsStore`."""

    @translate_errors
    async def get_setting(self, platform: str, workspace: str, key_: str) -> str | None:
        async with self._read() as connection:
            return (await connection.execute(select(settings.c.value).where(
                settings.c.platform == platform, settings.c.workspace == workspace,
                settings.c.key == key_))).scalar_one_or_none()

    @translate_errors
    async def claim_setting(self, platform: str, workspace: str, key_: str, value: str
                            ) -> bool:
        """Set the setting to `value` unless it already is: True for the one caller (of
        any worker) that changed it. A once-a-week job claims its week this way."""
        async with self._write() as connection:
            statement = insert_for(connection, settings).values(
                platform=platform, workspace=workspace, key=key_, value=value)
            changed = await connection.execute(statement.on_conflict_do_update(
                index_elements=[settings.c.platform, settings.c.workspace, settings.c.key],
                set_={"value": value}, where=settings.c.value != value)
                .returning(settings.c.key))
            return changed.first() is not None

    @translate_errors
    async def set_setting(self, platform: str, workspace: str, key_: str, value: str) -> None:
        async with self._write() as connection:
            statement = insert_for(connection, settings).values(
                platform=platform, workspace=workspace, key=key_, value=value)
            await connection.execute(statement.on_conflict_do_update(
                index_elements=[settings.c.platform, settings.c.workspace, settings.c.key],
                set_={"value": value}))
