"""Settings declared once, typed, with default, bounds and label code (style rule 7)."""

from __future__ import annotations

import base64
import binascii
import enum
import re
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO
from pathlib import Path

from caseworker_app.domain.audit import AuditAction
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.operator import Actor
from caseworker_app.ports.storage import SettingsRepository, UnitOfWork
from caseworker_app.services import audit_log


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


# -- the comune's office, printed in the letterhead of every document -------------------------

_PHONE_CHARS = re.compile(r"^\+?[0-9][0-9 ./-]*$")
_EMAIL = re.compile(
    r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$"
)


class TextKind(enum.StrEnum):
    TEXT = "text"
    PHONE = "phone"
    EMAIL = "email"


@dataclass(frozen=True)
class TextSetting:
    """A one-line text setting; ``invalid`` is the message code that names the field and says
    what is accepted (raised for any value the setting refuses)."""

    key: str
    default: str
    max_length: int
    label: str  # message code
    invalid: str  # message code
    kind: TextKind = TextKind.TEXT
    required: bool = False

    def normalize(self, value: str) -> str:
        """``value`` checked and cleaned (surrounding and repeated spaces dropped)."""
        cleaned = " ".join(value.split())
        if "\n" in value or "\r" in value or len(cleaned) > self.max_length:
            raise UserFacingError(self.invalid, maximum=self.max_length)
        if not cleaned:
            if self.required:
                raise UserFacingError(self.invalid, maximum=self.max_length)
            return ""
        if self.kind is TextKind.PHONE:
            digits = sum(c.isdigit() for c in cleaned)
            if not _PHONE_CHARS.fullmatch(cleaned) or not 6 <= digits <= 15:
                raise UserFacingError(self.invalid, maximum=self.max_length)
        if self.kind is TextKind.EMAIL:
            cleaned = cleaned.replace(" ", "")
            if not _EMAIL.fullmatch(cleaned):
                raise UserFacingError(self.invalid, maximum=self.max_length)
        return cleaned

    def parse(self, raw: str | None) -> str:
        if raw is None:
            return self.default
        try:
            return self.normalize(raw)
        except UserFacingError:
            return self.default


OFFICE_NAME = TextSetting("office_name", "Servizi Sociali", 80, "settings.office_name",
                          "settings.office_name_invalid", required=True)  # fmt: skip
OFFICE_ADDRESS = TextSetting("office_address", "", 120, "settings.office_address",
                             "settings.office_address_invalid")  # fmt: skip
OFFICE_PHONE = TextSetting("office_phone", "", 30, "settings.office_phone",
                           "settings.office_phone_invalid", TextKind.PHONE)  # fmt: skip
OFFICE_PEC = TextSetting("office_pec", "", 254, "settings.office_pec",
                         "settings.office_pec_invalid", TextKind.EMAIL)  # fmt: skip
OFFICE_SETTINGS: tuple[TextSetting, ...] = (OFFICE_NAME, OFFICE_ADDRESS, OFFICE_PHONE, OFFICE_PEC)

#: the logo is kept inside the encrypted store (base64 in the settings table), never as a path
LOGO_KEY = "office_logo"
MAX_LOGO_BYTES = 1024 * 1024
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
JPEG_MAGIC = b"\xff\xd8\xff"


@dataclass(frozen=True)
class Office:
    """The comune's office as the letterhead prints it (values already checked)."""

    name: str = OFFICE_NAME.default
    address: str = ""
    phone: str = ""
    pec: str = ""
    logo: bytes | None = None  # PNG or JPEG bytes


def check_logo(content: bytes) -> bytes:
    """``content`` when it is a readable PNG or JPEG image of at most 1 MB."""
    if not content:
        raise UserFacingError("settings.logo_empty")
    if len(content) > MAX_LOGO_BYTES:
        raise UserFacingError("settings.logo_too_large", max_kb=MAX_LOGO_BYTES // 1024)
    if not (content.startswith(PNG_MAGIC) or content.startswith(JPEG_MAGIC)):
        raise UserFacingError("settings.logo_not_image")
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(BytesIO(content)) as image:
            image.load()
            width, height = image.size
    except (OSError, UnidentifiedImageError, ValueError, Image.DecompressionBombError):
        raise UserFacingError("settings.logo_not_image") from None
    if width < 1 or height < 1:
        raise UserFacingError("settings.logo_not_image")
    return content


def _stored_logo(raw: str | None) -> bytes | None:
    if not raw:
        return None
    try:
        return check_logo(base64.b64decode(raw, validate=True))
    except (binascii.Error, UserFacingError):
        return None


def office_of(settings: SettingsRepository) -> Office:
    """Call inside ``with uow``: the office as set in Impostazioni (defaults where unset)."""
    name, address, phone, pec = (spec.parse(settings.get(spec.key)) for spec in OFFICE_SETTINGS)
    return Office(name, address, phone, pec, _stored_logo(settings.get(LOGO_KEY)))


def read_office(uow: UnitOfWork) -> Office:
    with uow:
        return office_of(uow.settings)


def _audited_set(uow: UnitOfWork, *, actor: Actor, key: str, value: str, now: datetime) -> None:
    with uow:
        uow.settings.set(key, value)
        audit_log.record(uow, actor=actor, action=AuditAction.UPDATE, entity_type="setting",
                         entity_id=key, at=now)  # fmt: skip
        uow.commit()


def write_text_setting(
    uow: UnitOfWork, *, actor: Actor, spec: TextSetting, value: str, now: datetime
) -> str:
    """Store ``value`` (checked and cleaned) and return what was stored."""
    cleaned = spec.normalize(value)
    _audited_set(uow, actor=actor, key=spec.key, value=cleaned, now=now)
    return cleaned


def write_logo(uow: UnitOfWork, *, actor: Actor, content: bytes | None, now: datetime) -> None:
    """Store the logo (checked by its bytes) inside the store; ``None`` removes it."""
    stored = "" if content is None else base64.b64encode(check_logo(content)).decode("ascii")
    _audited_set(uow, actor=actor, key=LOGO_KEY, value=stored, now=now)


def read_logo_file(path: Path) -> bytes:
    """Worker only: the logo image at ``path`` (chosen in a file dialog), checked by its bytes.

    The file is read once into the store; its path is never kept."""
    try:
        if path.stat().st_size > MAX_LOGO_BYTES:
            raise UserFacingError("settings.logo_too_large", max_kb=MAX_LOGO_BYTES // 1024)
        content = path.read_bytes()
    except OSError:
        raise UserFacingError("settings.logo_unreadable") from None
    return check_logo(content)
