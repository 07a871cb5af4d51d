"""The ambito package from the windows: what this installation holds, importing and exporting it.

Shared by Impostazioni (``transfer_keys_panel.py``) and the first-run wizard
(``setup_transfer_pages.py``). Every service call runs on the worker (``TaskRunner``); the file
dialogs and the fingerprint confirmation run on the Qt thread.

Importing (at a comune): the first package is refused with ``ambito.key_unconfirmed`` until the
user confirmed by phone the fingerprint of the capofila's keys; :class:`AmbitoPackageImport` then
shows :func:`fingerprint_dialog.confirm_fingerprint` and, on "Sì, coincide", imports the file
again trusting that fingerprint.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QStandardPaths, Signal
from PySide6.QtWidgets import QFileDialog, QWidget

from caseworker_app.domain.errors import UserFacingError
from caseworker_app.ui import fingerprint_dialog
from caseworker_app.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from caseworker_app.ports.gateway import Workspace
    from caseworker_app.services.ambito_packages import (
        CurrentAmbitoPackage,
        ExportedAmbitoPackage,
        ImportedAmbitoPackage,
    )

PACKAGE_SUFFIX = ".cwa"
#: who reads the capofila's fingerprint on the phone, when the capofila's name is unknown
CAPOFILA_WHO = "l'Ufficio di Piano del comune capofila"


@dataclass(frozen=True)
class TransferKeysState:
    """What Impostazioni shows about the transmission keys, read on the worker."""

    role: str  # "comune" | "capofila"
    ambito: str  # the ambito id
    fingerprint: str  # this installation's, in its display form
    current: CurrentAmbitoPackage | None  # the latest package issued (capofila) or held
    avvisi: tuple[str, ...]  # the avvisi of that package, as shown ("title, versione n")
    capofila_name: str  # the name of the ambito's capofila comune ("" if unknown)

    @property
    def next_sequence(self) -> int:
        return 1 if self.current is None else self.current.package.sequence + 1

    @property
    def export_name(self) -> str:
        """The file name proposed for the next package: ``pacchetto-ambito-<ambito>-<n>.cwa``."""
        return export_file_name(self.ambito, self.next_sequence)


def export_file_name(ambito: str, sequence: int) -> str:
    return f"pacchetto-ambito-{ambito}-{sequence}{PACKAGE_SUFFIX}"


def capofila_who(capofila_name: str) -> str:
    """The capofila as the subject of the confirmation's sentences."""
    if not capofila_name:
        return CAPOFILA_WHO
    return f"l'Ufficio di Piano del comune capofila ({capofila_name})"


def load_transfer_keys(workspace: Workspace, *, now: datetime) -> TransferKeysState:
    """Worker only. This installation's fingerprint and its latest ambito package.

    A store created before the transmission keys existed gets its key set now (as
    ``caseworker keys show`` does), so that there is always a fingerprint to read."""
    from caseworker_app.definitions.ambiti import get_ambito
    from caseworker_app.definitions.avvisi import get_avviso
    from caseworker_app.services import ambito_packages, installation_keys

    actor = workspace.actor
    try:
        bundle = installation_keys.own_public_keys(workspace.uow_factory(), actor=actor)
    except UserFacingError as exc:
        if exc.code != "keys.missing":
            raise
        with workspace.uow_factory() as uow:
            bundle = installation_keys.ensure_own_keys(uow, now=now, actor=actor)
            uow.commit()
    current = ambito_packages.current_ambito_package(workspace.uow_factory(), actor=actor)
    avvisi: list[str] = []
    for avviso in current.package.avvisi if current is not None else ():
        try:
            title = get_avviso(avviso.id, avviso.version).title or avviso.id
        except UserFacingError:
            title = avviso.id
        avvisi.append(f"{title}, versione {avviso.version}")
    capofila_name = ""
    try:
        ambito = get_ambito(bundle.ambito)
        place = ambito.comune(ambito.capofila)
        capofila_name = place.name if place is not None else ""
    except UserFacingError:
        pass
    return TransferKeysState(
        role=bundle.role,
        ambito=bundle.ambito,
        fingerprint=bundle.fingerprint.display,
        current=current,
        avvisi=tuple(avvisi),
        capofila_name=capofila_name,
    )


# -- files -----------------------------------------------------------------------------------


def _documents_folder() -> str:
    return QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)


def choose_package_to_import(parent: QWidget | None) -> Path | None:
    """The ambito package chosen in the file dialog, or None."""
    chosen, _filter = QFileDialog.getOpenFileName(
        parent,
        "Importa il pacchetto d'ambito",
        _documents_folder(),
        "Pacchetti d'ambito (*.cwa);;Tutti i file (*)",
    )
    return Path(chosen) if chosen else None


def choose_export_path(parent: QWidget | None, suggested: str) -> Path | None:
    """Where to write the ambito package (``.cwa`` added when missing), or None. An existing
    file is never replaced: the export refuses it and says so."""
    folder = _documents_folder()
    start = str(Path(folder) / suggested) if folder else suggested
    chosen, _filter = QFileDialog.getSaveFileName(
        parent,
        "Esporta il pacchetto d'ambito",
        start,
        "Pacchetti d'ambito (*.cwa)",
        options=QFileDialog.Option.DontConfirmOverwrite,
    )
    if not chosen:
        return None
    path = Path(chosen)
    if path.suffix.lower() != PACKAGE_SUFFIX:
        path = path.with_name(path.name + PACKAGE_SUFFIX)
    return path


# -- export (capofila) -----------------------------------------------------------------------


def export_package(
    tasks: TaskRunner,
    workspace: Workspace,
    *,
    out: Path,
    now: datetime,
    owner: QObject,
    on_done: Callable[[ExportedAmbitoPackage], None],
    on_error: Callable[[BaseException], None],
) -> None:
    """Issue the next ambito package into ``out``, on the worker."""

    def export() -> ExportedAmbitoPackage:
        from caseworker_app.services import ambito_packages

        return ambito_packages.export_ambito_package(
            workspace.uow_factory(), actor=workspace.actor, out=out, now=now
        )

    tasks.run(export, on_done=on_done, on_error=on_error, owner=owner)


# -- import (comune) -------------------------------------------------------------------------


class AmbitoPackageImport(QObject):
    """Import one ambito package, asking to confirm the capofila's fingerprint when needed.

    Exactly one of the signals ends each :meth:`start`: ``imported(ImportedAmbitoPackage)``,
    ``declined()`` (the fingerprint did not match: nothing imported) or ``failed(exception)``
    (a user-facing refusal, for the caller to show where the import was asked, or a bug, for
    the caller to hand to :func:`errors.report_error`)."""

    imported = Signal(object)
    declined = Signal()
    failed = Signal(object)

    def __init__(
        self,
        widget: QWidget,
        tasks: TaskRunner,
        workspace: Workspace,
        *,
        clock: Callable[[], datetime],
        who: Callable[[], str],
    ) -> None:
        super().__init__(widget)
        self.widget = widget
        self.tasks = tasks
        self.workspace = workspace
        self.clock = clock
        self.who = who
        self.running = False

    def start(self, path: Path) -> None:
        if self.running:
            return
        self.running = True
        self._run(path, None)

    def _run(self, path: Path, trust: str | None) -> None:
        workspace, now = self.workspace, self.clock().replace(microsecond=0)

        def run() -> ImportedAmbitoPackage:
            from caseworker_app.services import ambito_packages

            return ambito_packages.import_ambito_package(
                workspace.uow_factory(),
                actor=workspace.actor,
                path=path,
                trust_fingerprint=trust,
                now=now,
            )

        self.tasks.run(
            run, on_done=self._on_done, on_error=partial(self._on_error, path, trust), owner=self
        )

    def _on_done(self, result: ImportedAmbitoPackage) -> None:
        self.running = False
        self.imported.emit(result)

    def _on_error(self, path: Path, trust: str | None, exc: BaseException) -> None:
        if (
            isinstance(exc, UserFacingError)
            and exc.code == "ambito.key_unconfirmed"
            and trust is None
        ):
            fingerprint = str(exc.params.get("fingerprint", ""))
            confirmed = fingerprint_dialog.confirm_fingerprint(
                self.widget.window(), who=self.who(), fingerprint=fingerprint
            )
            if confirmed:
                self._run(path, fingerprint)
                return
            self.running = False
            self.declined.emit()
            return
        self.running = False
        self.failed.emit(exc)
