"""Settings declared once, typed, with default, bounds and label code (style rule 7)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from caseworker_app.domain.audit import AuditAction
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.operator import Actor
from caseworker_app.services import audit_log
from caseworker_app.services.ports import UnitOfWork


@dataclass(frozen=True)
class IntSetting:
    key: str
    default: int
    minimum: int
    maximum: int
    label: str  # message code

    def parse(self, raw: str | None) -> int:
        if raw is None:
            return self.default
        try:
            value = int(raw)
        except ValueError:
            return self.default
        return value if self.minimum <= value <= self.maximum else self.default

    def check(self, value: int) -> int:
        if not self.minimum <= value <= self.maximum:
            raise UserFacingError(
                "settings.out_of_range",
                minimum=self.minimum,
                maximum=self.maximum,
                setting=self.key,
            )
        return value


IDLE_LOCK_MINUTES = IntSetting("idle_lock_minutes", 10, 1, 240, "settings.idle_lock_minutes")
BACKUP_REMINDER_DAYS = IntSetting(
    "backup_reminder_days", 7, 1, 365, "settings.backup_reminder_days"
)
ALL_SETTINGS: tuple[IntSetting, ...] = (IDLE_LOCK_MINUTES, BACKUP_REMINDER_DAYS)


def read_settings(uow: UnitOfWork) -> dict[str, int]:
    with uow:
        return {spec.key: spec.parse(uow.settings.get(spec.key)) for spec in ALL_SETTINGS}


def write_setting(
    uow: UnitOfWork, *, actor: Actor, spec: IntSetting, value: int, now: datetime
) -> None:
    spec.check(value)
    with uow:
        uow.settings.set(spec.key, str(value))
        audit_log.record(
            uow,
            actor=actor,
            action=AuditAction.UPDATE,
            entity_type="setting",
            entity_id=spec.key,
            at=now,
        )
        uow.commit()
