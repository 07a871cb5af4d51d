"""Impostazioni › "Chiavi di trasmissione e pacchetto d'ambito".

This installation's fingerprint (to read on the phone), and the ambito package: at a comune the
one held, with the capofila's keys confirmed, and "Importa pacchetto d'ambito…"; at the capofila
the last one issued and "Esporta pacchetto d'ambito…".
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from caseworker_app.domain.errors import UserFacingError
from caseworker_app.ui import ambito_package_actions as actions
from caseworker_app.ui import errors
from caseworker_app.ui.ambito_package_actions import AmbitoPackageImport, TransferKeysState
from caseworker_app.ui.fingerprint_dialog import (
    fingerprint_label,
    own_fingerprint_row,
    show_fingerprint,
)
from caseworker_app.ui.formats import format_date, format_time
from caseworker_app.ui.session import Session
from caseworker_app.ui.theme import set_severity

if TYPE_CHECKING:
    from caseworker_app.services.ambito_packages import (
        ExportedAmbitoPackage,
        ImportedAmbitoPackage,
    )


def _wrapped(text: str = "", object_name: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    if object_name:
        label.setObjectName(object_name)
    return label


class TransferKeysPanel(QGroupBox):
    """The group of Impostazioni on the transmission keys; read when first shown."""

    #: the state was read from the store (after loading, an import or an export)
    loaded = Signal()
    #: a package was imported (comune) or exported (capofila)
    package_changed = Signal()

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Chiavi di trasmissione e pacchetto d'ambito"), parent)
        self.session = session
        self.state: TransferKeysState | None = None
        self._loading = False
        self.capofila = session.info.role == "capofila"
        layout = QVBoxLayout(self)

        layout.addWidget(QLabel(self.tr("Impronta delle chiavi di questa installazione:")))
        row, self.fingerprint, self.copy_button = own_fingerprint_row(self, self.on_copy_clicked)
        layout.addLayout(row)
        if self.capofila:
            when = self.tr(
                "Quando un comune dell'ambito importa il primo pacchetto d'ambito, telefona "
                "all'Ufficio di Piano per confermare le chiavi del capofila: leggi a chi chiama "
                "questa impronta, cifra per cifra."
            )
        else:
            when = self.tr(
                "Quando l'Ufficio di Piano riceve le prime istruttorie di questo comune, "
                "telefona per confermarne le chiavi: leggigli questa impronta, cifra per cifra."
            )
        layout.addWidget(_wrapped(when, "hint"))

        layout.addSpacing(6)
        heading = QLabel(
            self.tr("Ultimo pacchetto d'ambito emesso")
            if self.capofila
            else self.tr("Pacchetto d'ambito importato")
        )
        heading.setObjectName("sectionTitle")
        layout.addWidget(heading)
        self.none_label = _wrapped(
            self.tr("Nessun pacchetto d'ambito emesso.")
            if self.capofila
            else self.tr("Nessun pacchetto d'ambito importato.")
        )
        self.none_label.setAccessibleName(heading.text())
        layout.addWidget(self.none_label)
        self.details = QWidget()
        form = QFormLayout(self.details)
        form.setContentsMargins(0, 0, 0, 0)
        self.package_label = _wrapped()
        self.package_label.setAccessibleName(self.tr("Pacchetto d'ambito"))
        form.addRow(self.tr("Pacchetto:"), self.package_label)
        self.avvisi_label = _wrapped()
        self.avvisi_label.setAccessibleName(self.tr("Avvisi in vigore"))
        form.addRow(self.tr("Avvisi in vigore:"), self.avvisi_label)
        self.comuni_label = _wrapped()
        self.comuni_label.setAccessibleName(self.tr("Comuni dell'ambito"))
        form.addRow(self.tr("Comuni:"), self.comuni_label)
        self.capofila_fingerprint = fingerprint_label(
            accessible_name=self.tr("Impronta confermata delle chiavi del capofila"), small=True
        )
        self.confirmed_label = _wrapped("", "hint")
        self.confirmed_label.setAccessibleName(self.tr("Conferma delle chiavi del capofila"))
        if not self.capofila:
            keys = QVBoxLayout()
            keys.setSpacing(2)
            keys.addWidget(self.capofila_fingerprint)
            keys.addWidget(self.confirmed_label)
            form.addRow(self.tr("Chiavi del capofila:"), keys)
        self.details.hide()
        layout.addWidget(self.details)
        if self.capofila:
            about = self.tr(
                "Il pacchetto contiene le chiavi pubbliche del capofila, i comuni dell'ambito e "
                "gli avvisi in vigore. Esportane uno nuovo dopo ogni cambio degli avvisi e "
                "consegnalo ai comuni, per esempio su chiavetta."
            )
        else:
            about = self.tr(
                "Il pacchetto d'ambito arriva dall'Ufficio di Piano del comune capofila, per "
                "esempio su chiavetta: contiene le sue chiavi e gli avvisi in vigore."
            )
        layout.addWidget(_wrapped(about, "hint"))

        buttons = QHBoxLayout()
        if self.capofila:
            self.action_button = QPushButton(self.tr("Esporta pacchetto d'ambito…"))
            self.action_button.setAccessibleName(self.tr("Esporta il pacchetto d'ambito"))
            self.action_button.clicked.connect(self.on_export_clicked)
        else:
            self.action_button = QPushButton(self.tr("Importa pacchetto d'ambito…"))
            self.action_button.setAccessibleName(self.tr("Importa il pacchetto d'ambito"))
            self.action_button.clicked.connect(self.on_import_clicked)
        self.action_button.setEnabled(False)  # until the state is read
        buttons.addWidget(self.action_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.message = _wrapped()
        self.message.setAccessibleName(self.tr("Esito"))
        self.message.hide()
        layout.addWidget(self.message)

        self.importer = AmbitoPackageImport(
            self,
            session.tasks,
            session.workspace,
            clock=session.clock,
            who=lambda: actions.capofila_who(self.state.capofila_name if self.state else ""),
        )
        self.importer.imported.connect(self.on_imported)
        self.importer.declined.connect(self.on_declined)
        self.importer.failed.connect(self.on_failed)

    # -- reading -------------------------------------------------------------------------------

    def activate(self) -> None:
        """Read the state from the store (each time Impostazioni is shown)."""
        if self._loading or self.importer.running:
            return
        self._loading = True
        workspace, now = self.session.workspace, self.session.now()
        self.session.tasks.run(
            lambda: actions.load_transfer_keys(workspace, now=now),
            on_done=self.on_loaded,
            on_error=self.on_load_failed,
            owner=self,
        )

    def on_loaded(self, state: TransferKeysState) -> None:
        self._loading = False
        self.state = state
        show_fingerprint(self.fingerprint, state.fingerprint)
        self.copy_button.setEnabled(True)
        self.action_button.setEnabled(True)
        self._show_package(state)
        self.loaded.emit()

    def on_load_failed(self, exc: BaseException) -> None:
        self._loading = False
        self.fingerprint.setText(self.tr("non disponibile"))
        self.on_failed(exc)

    def _show_package(self, state: TransferKeysState) -> None:
        current = state.current
        self.none_label.setVisible(current is None)
        self.details.setVisible(current is not None)
        if current is None:
            return
        package = current.package
        self.package_label.setText(
            self.tr("n. %1 del %2, %3")
            .replace("%1", str(package.sequence))
            .replace("%2", format_date(current.stored.issued_at.date()))
            .replace("%3", package.ambito_name)
        )
        self.avvisi_label.setText("\n".join(state.avvisi) or self.tr("nessuno"))
        self.comuni_label.setText(str(len(package.comuni)))
        pinned = current.pinned
        if pinned is None:
            show_fingerprint(self.capofila_fingerprint, package.fingerprint.display)
            self.confirmed_label.setText(self.tr("non ancora confermate"))
            return
        show_fingerprint(self.capofila_fingerprint, pinned.fingerprint.display)
        confirmed = self.tr("Confermate al telefono")
        if pinned.confirmed_by:
            confirmed += self.tr(" da %1").replace("%1", pinned.confirmed_by)
        if pinned.confirmed_at is not None:
            at = pinned.confirmed_at
            confirmed += (
                self.tr(" il %1 alle %2")
                .replace("%1", format_date(at.date()))
                .replace("%2", format_time(at))
            )
        self.confirmed_label.setText(confirmed + ".")

    def on_copy_clicked(self) -> None:
        if self.state is not None:
            QGuiApplication.clipboard().setText(self.state.fingerprint)
            self._note(self.tr("Impronta copiata negli appunti."), "ok")

    # -- comune: import ------------------------------------------------------------------------

    def on_import_clicked(self) -> None:
        path = actions.choose_package_to_import(self)
        if path is None:
            return
        self._note(self.tr("Importazione del pacchetto d'ambito in corso…"), "")
        self.action_button.setEnabled(False)
        self.importer.start(path)

    def on_imported(self, result: ImportedAmbitoPackage) -> None:
        package = result.package
        if result.already_imported:
            text = self.tr("Il pacchetto d'ambito n. %1 era già stato importato: nulla è cambiato.")
        elif result.pinned:
            text = self.tr(
                "Pacchetto d'ambito n. %1 importato e chiavi del capofila confermate: i suoi "
                "prossimi file saranno riconosciuti senza bisogno di telefonare."
            )
        elif result.rotated:
            text = self.tr(
                "Pacchetto d'ambito n. %1 importato, con il cambio di chiavi del capofila "
                "attestato dalle chiavi confermate prima."
            )
        else:
            text = self.tr("Pacchetto d'ambito n. %1 importato.")
        self._note(text.replace("%1", str(package.sequence)), "ok")
        self._reload()

    def on_declined(self) -> None:
        self.action_button.setEnabled(True)
        self._note(
            self.tr(
                "Non è stato importato nulla: l'impronta non coincide. Avvisa l'Ufficio di Piano "
                "e non usare quel file."
            ),
            "warning",
        )

    # -- capofila: export ----------------------------------------------------------------------

    def on_export_clicked(self) -> None:
        state = self.state
        if state is None:
            return
        out = actions.choose_export_path(self, state.export_name)
        if out is None:
            return
        self._note(self.tr("Preparazione del pacchetto d'ambito in corso…"), "")
        self.action_button.setEnabled(False)
        actions.export_package(
            self.session.tasks,
            self.session.workspace,
            out=out,
            now=self.session.now(),
            owner=self,
            on_done=self.on_exported,
            on_error=self.on_failed,
        )

    def on_exported(self, exported: ExportedAmbitoPackage) -> None:
        self._note(
            self.tr(
                "Pacchetto d'ambito n. %1 scritto in %2. Consegnalo ai comuni dell'ambito: al "
                "primo import ognuno ti telefonerà per confrontare l'impronta."
            )
            .replace("%1", str(exported.package.sequence))
            .replace("%2", exported.path.name),
            "ok",
        )
        self._reload()

    # -- both ----------------------------------------------------------------------------------

    def on_failed(self, exc: BaseException) -> None:
        self.action_button.setEnabled(self.state is not None)
        if isinstance(exc, UserFacingError):
            self._note(errors.message_for(exc), "error")
        else:
            self._note("", "")
            errors.report_error(self.window(), exc)

    def _reload(self) -> None:
        self.package_changed.emit()
        self.activate()

    def _note(self, text: str, severity: str) -> None:
        self.message.setText(text)
        set_severity(self.message, severity)
        self.message.setVisible(bool(text))
