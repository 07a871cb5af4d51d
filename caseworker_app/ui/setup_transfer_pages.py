"""The last, optional page of the first-run wizard, once the store exists: the ambito package.

At a comune, "Pacchetto d'ambito": import the package of the capofila now (the fingerprint of its
keys confirmed by phone), or later from Impostazioni. At the capofila, "Le chiavi di trasmissione":
its fingerprint, to read on the phone to the comuni, and the first ambito package to export.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget, QWizard

from caseworker_app.domain.errors import UserFacingError
from caseworker_app.ui import ambito_package_actions as actions
from caseworker_app.ui import errors
from caseworker_app.ui.ambito_package_actions import AmbitoPackageImport, TransferKeysState
from caseworker_app.ui.fingerprint_dialog import (
    own_fingerprint_row,
    show_fingerprint,
)
from caseworker_app.ui.setup_pages import SetupPage, wrapped
from caseworker_app.ui.theme import set_severity

if TYPE_CHECKING:
    from caseworker_app.services.ambito_packages import (
        ExportedAmbitoPackage,
        ImportedAmbitoPackage,
    )

FINISH = QWizard.WizardButton.FinishButton


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


class TransferPage(SetupPage):
    """A last page that may have work running on the worker (Fine waits for it)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._busy = False
        self.message = wrapped("")
        self.message.setAccessibleName(self.tr("Esito"))
        self.message.hide()

    def nextId(self) -> int:
        return -1

    def busy(self) -> bool:
        return self._busy

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return not self._busy

    def note(self, text: str, severity: str) -> None:
        self.message.setText(text)
        set_severity(self.message, severity)
        self.message.setVisible(bool(text))

    def failed(self, exc: BaseException) -> None:
        self.set_busy(False)
        if isinstance(exc, UserFacingError):
            self.note(errors.message_for(exc), "error")
        else:
            self.note("", "")
            errors.report_error(self.setup(), exc)


class AmbitoPackagePage(TransferPage):
    """At a comune: import the ambito package now, or skip ("Lo importerò più tardi")."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Pacchetto d'ambito"))
        self.setSubTitle(
            self.tr(
                "Il pacchetto d'ambito arriva dall'Ufficio di Piano del comune capofila: "
                "contiene le sue chiavi di trasmissione e gli avvisi in vigore."
            )
        )
        self.imported: ImportedAmbitoPackage | None = None
        self.importer: AmbitoPackageImport | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(
            wrapped(
                self.tr(
                    "Se hai già il file (per esempio su una chiavetta), importalo ora. Al primo "
                    "pacchetto ti verrà mostrata l'impronta delle chiavi del capofila: "
                    "telefona all'Ufficio di Piano e confrontala con quella che ti legge."
                )
            )
        )
        row = QHBoxLayout()
        self.import_button = QPushButton(self.tr("Importa pacchetto d'ambito…"))
        self.import_button.setAccessibleName(self.tr("Importa il pacchetto d'ambito"))
        self.import_button.clicked.connect(self.on_import_clicked)
        row.addWidget(self.import_button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(self.message)
        self.later = wrapped(
            self.tr(
                "Non hai ancora il file? Premi «Lo importerò più tardi da Impostazioni»: potrai "
                "importarlo quando vuoi da Impostazioni › Chiavi di trasmissione e pacchetto "
                "d'ambito."
            ),
            "hint",
        )
        layout.addWidget(self.later)
        layout.addStretch(1)
        self.setButtonText(FINISH, self.tr("Lo importerò più tardi da Impostazioni"))

    def initializePage(self) -> None:
        wizard = self.setup()
        if self.importer is None and wizard.workspace is not None:
            self.importer = AmbitoPackageImport(
                self, wizard.tasks, wizard.workspace, clock=datetime.now, who=self.capofila_who
            )
            self.importer.imported.connect(self.on_imported)
            self.importer.declined.connect(self.on_declined)
            self.importer.failed.connect(self.failed)

    def capofila_who(self) -> str:
        return actions.capofila_who(self.setup().place_page.capofila_name())

    def on_import_clicked(self) -> None:
        if self.importer is None or self.busy():
            return
        path = actions.choose_package_to_import(self)
        if path is None:
            return
        self.set_busy(True)
        self.note(self.tr("Importazione del pacchetto d'ambito in corso…"), "")
        self.importer.start(path)

    def on_imported(self, result: ImportedAmbitoPackage) -> None:
        self.set_busy(False)
        self.imported = result
        package = result.package
        self.note(
            self.tr(
                "Pacchetto d'ambito n. %1 importato (avvisi in vigore: %2) e chiavi del "
                "capofila confermate. Li trovi in Impostazioni › Chiavi di trasmissione e "
                "pacchetto d'ambito."
            )
            .replace("%1", str(package.sequence))
            .replace("%2", str(len(package.avvisi))),
            "ok",
        )
        self.import_button.setEnabled(False)
        self.later.hide()
        self.setButtonText(FINISH, self.tr("Fine"))

    def on_declined(self) -> None:
        self.set_busy(False)
        self.note(
            self.tr(
                "Non è stato importato nulla: l'impronta non coincide. Avvisa l'Ufficio di Piano "
                "e non usare quel file."
            ),
            "warning",
        )


class CapofilaKeysPage(TransferPage):
    """At the capofila: its fingerprint, and the first ambito package to export."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Le chiavi di trasmissione"))
        self.setSubTitle(
            self.tr(
                "I comuni dell'ambito riconoscono i file dell'Ufficio di Piano dalle sue chiavi "
                "di trasmissione, create con l'archivio."
            )
        )
        self.state: TransferKeysState | None = None
        self.exported: ExportedAmbitoPackage | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Impronta delle chiavi di questa installazione:")))
        row, self.fingerprint, self.copy_button = own_fingerprint_row(self, self.on_copy_clicked)
        layout.addLayout(row)
        layout.addWidget(
            wrapped(
                self.tr(
                    "Quando un comune importa il primo pacchetto d'ambito, telefona all'Ufficio "
                    "di Piano per confermare le chiavi del capofila: leggi a chi chiama questa "
                    "impronta, cifra per cifra. La trovi sempre in Impostazioni."
                ),
                "hint",
            )
        )
        layout.addSpacing(8)
        layout.addWidget(
            wrapped(
                self.tr(
                    "Il pacchetto d'ambito porta ai comuni le chiavi del capofila, i comuni "
                    "dell'ambito e gli avvisi in vigore. Puoi esportarlo ora e consegnarlo ai "
                    "comuni, per esempio su chiavetta, oppure più tardi da Impostazioni."
                )
            )
        )
        row = QHBoxLayout()
        self.export_button = QPushButton(self.tr("Esporta pacchetto d'ambito…"))
        self.export_button.setAccessibleName(self.tr("Esporta il pacchetto d'ambito"))
        self.export_button.setEnabled(False)
        self.export_button.clicked.connect(self.on_export_clicked)
        row.addWidget(self.export_button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(self.message)
        layout.addStretch(1)

    def initializePage(self) -> None:
        workspace = self.setup().workspace
        if self.state is None and workspace is not None:
            self._load()

    def _load(self) -> None:
        wizard = self.setup()
        workspace = wizard.workspace
        assert workspace is not None
        self.set_busy(True)
        now = _now()
        wizard.tasks.run(
            lambda: actions.load_transfer_keys(workspace, now=now),
            on_done=self.on_loaded,
            on_error=self.failed,
            owner=self,
        )

    def on_loaded(self, state: TransferKeysState) -> None:
        self.set_busy(False)
        self.state = state
        show_fingerprint(self.fingerprint, state.fingerprint)
        self.copy_button.setEnabled(True)
        self.export_button.setEnabled(True)

    def on_copy_clicked(self) -> None:
        if self.state is not None:
            QGuiApplication.clipboard().setText(self.state.fingerprint)

    def on_export_clicked(self) -> None:
        wizard, state = self.setup(), self.state
        if state is None or wizard.workspace is None or self.busy():
            return
        out = actions.choose_export_path(self, state.export_name)
        if out is None:
            return
        self.set_busy(True)
        self.note(self.tr("Preparazione del pacchetto d'ambito in corso…"), "")
        actions.export_package(
            wizard.tasks,
            wizard.workspace,
            out=out,
            now=_now(),
            owner=self,
            on_done=self.on_exported,
            on_error=self.failed,
        )

    def on_exported(self, exported: ExportedAmbitoPackage) -> None:
        self.exported = exported
        self.note(
            self.tr("Pacchetto d'ambito n. %1 scritto in %2. Consegnalo ai comuni dell'ambito.")
            .replace("%1", str(exported.package.sequence))
            .replace("%2", str(exported.path)),
            "ok",
        )
        self._load()  # the next export proposes the next number
