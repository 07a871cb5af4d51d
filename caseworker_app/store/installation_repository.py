"""The repositories of the installation: its identity and its key-value settings."""

from __future__ import annotations

from sqlalchemy.orm import Session

from caseworker_app.ports.storage import Installation
from caseworker_app.store.models import InstallationRow, SettingRow


class SqlSettingsRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, key: str) -> str | None:
        row = self.session.get(SettingRow, key)
        return row.value if row else None

    def set(self, key: str, value: str) -> None:
        row = self.session.get(SettingRow, key)
        if row is None:
            self.session.add(SettingRow(key=key, value=value))
        else:
            row.value = value


class SqlInstallationRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self) -> Installation:
        row = self.session.get(InstallationRow, 1)
        if row is None:
            raise LookupError("installation not initialised")
        return Installation(row.store_id, row.role, row.ambito, row.comune, row.created_at)

    def create(self, installation: Installation) -> None:
        self.session.add(
            InstallationRow(
                id=1,
                store_id=installation.store_id,
                role=installation.role,
                ambito=installation.ambito,
                comune=installation.comune,
                created_at=installation.created_at,
            )
        )
