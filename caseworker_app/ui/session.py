"""What the windows share once an operator is in: the workspace, the worker, and facts read once.

``load_session_info`` runs on the worker right after login. The views receive a :class:`Session`
explicitly (no global main window, unlike Anki's ``aqt.mw``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from PySide6.QtCore import QSettings

from caseworker_app.domain import comuni
from caseworker_app.ports.gateway import Workspace
from caseworker_app.services import settings as settings_service
from caseworker_app.services.profile import load_profile
from caseworker_app.ui.tasks import TaskRunner

Clock = Callable[[], datetime]


@dataclass(frozen=True)
class SessionInfo:
    """Facts about the installation and the operator, read on the worker at login."""

    username: str
    full_name: str
    role: str  # "comune" | "capofila"
    comune: str  # Belfiore code of the installation's comune
    comune_name: str
    keystore_kind: str
    settings: Mapping[str, int]
    last_backup_at: datetime | None


def load_session_info(workspace: Workspace) -> SessionInfo:
    """Worker only. Reads the installation and the operator's full name."""
    username = workspace.actor.username
    profile = load_profile(workspace.uow_factory(), actor=workspace.actor)
    installation = profile.installation
    place = comuni.comune_by_code(installation.comune)
    return SessionInfo(
        username=username,
        full_name=profile.full_name,
        role=installation.role,
        comune=installation.comune,
        comune_name=place.name if place is not None else installation.comune,
        keystore_kind=workspace.keystore_kind,
        settings=settings_service.read_settings(workspace.uow_factory()),
        last_backup_at=workspace.last_backup_at(),
    )


def warm_up() -> None:
    """Worker only: load the comuni table and its search index before anyone types."""
    comuni.comune_by_code("A010")
    comuni.search_comuni("abbiategrasso", on=None, limit=1)


@dataclass
class Session:
    """The open session; ``settings`` and ``last_backup_at`` follow changes made in the app."""

    workspace: Workspace
    tasks: TaskRunner
    info: SessionInfo
    qsettings: QSettings
    clock: Clock = field(default=datetime.now)
    settings: dict[str, int] = field(default_factory=dict)
    last_backup_at: datetime | None = None

    def __post_init__(self) -> None:
        defaults = {spec.key: spec.default for spec in settings_service.ALL_SETTINGS}
        self.settings = {**defaults, **self.info.settings, **self.settings}
        self.last_backup_at = self.last_backup_at or self.info.last_backup_at

    def now(self) -> datetime:
        return self.clock().replace(microsecond=0)
