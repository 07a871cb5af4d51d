"""First run: role, ambito and comune, first operator, data folder, then the recovery code.

After the recovery code, an optional last page (``setup_transfer_pages.py``): the ambito package
to import (comune) or the fingerprint and the package to export (capofila). "Fine" on the
recovery code page skips it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizard,
)

from caseworker_app.domain.errors import UserFacingError
from caseworker_app.ui import errors
from caseworker_app.ui.setup_pages import (
    LocationPage,
    OperatorPage,
    PlacePage,
    RolePage,
    SetupPage,
    wrapped,
)
from caseworker_app.ui.setup_transfer_pages import (
    AmbitoPackagePage,
    CapofilaKeysPage,
    TransferPage,
)
from caseworker_app.ui.tasks import TaskRunner
from caseworker_app.ui.theme import app_icon
from caseworker_app.ui.wording import keystore_description

if TYPE_CHECKING:
    from caseworker_app.definitions.ambiti import Ambito
    from caseworker_app.ports.gateway import StoreGateway, Workspace
    from caseworker_app.ui.print_preview import PrintPreviewDialog

GatewayFactory = Callable[[Path], "StoreGateway"]


def _load_ambiti() -> dict[str, Ambito]:
    from caseworker_app.definitions.ambiti import load_ambiti

    return dict(load_ambiti())


class RecoveryCodePage(SetupPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Il codice di recupero"))
        self.setSubTitle(
            self.tr(
                "L'archivio è stato creato. Annota ora questo codice: è "
                "l'unico modo per rientrare se si dimentica la password."
            )
        )
        layout = QVBoxLayout(self)
        self.code = QLabel()
        self.code.setObjectName("recoveryCode")
        self.code.setAccessibleName(self.tr("Codice di recupero"))
        layout.addWidget(self.code)
        buttons = QHBoxLayout()
        self.print_button = QPushButton(self.tr("Stampa…"))
        self.print_button.setAccessibleName(self.tr("Stampa il codice di recupero"))
        self.copy_button = QPushButton(self.tr("Copia"))
        self.copy_button.setAccessibleName(self.tr("Copia il codice di recupero"))
        buttons.addStretch(1)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.copy_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        layout.addWidget(
            wrapped(
                self.tr(
                    "Scrivilo su carta o stampalo e conservalo in un luogo sicuro, separato dal "
                    "computer (per esempio nell'armadio chiuso dell'ufficio). Non salvarlo in un "
                    "file sullo stesso computer. Il codice non verrà più mostrato: serve per "
                    "impostare una nuova password e per ripristinare un backup."
                )
            )
        )
        self.keystore = wrapped("", "hint")
        layout.addWidget(self.keystore)
        self.noted = QCheckBox(self.tr("Ho annotato il codice di recupero in un luogo sicuro"))
        self.noted.setAccessibleName(self.noted.text())
        layout.addWidget(self.noted)
        layout.addStretch(1)
        self.registerField("recovery_noted*", self.noted)
        # "Fine" here skips the optional page on the transmission keys that follows
        self.setFinalPage(True)
        self.copy_button.clicked.connect(self.on_copy_clicked)
        self.print_button.clicked.connect(self.on_print_clicked)
        self.preview: PrintPreviewDialog | None = None

    def nextId(self) -> int:
        wizard = self.setup()
        return wizard.capofila_page_id if wizard.role() == "capofila" else wizard.ambito_page_id

    def initializePage(self) -> None:
        from PySide6.QtCore import Qt  # late: the Qt namespace is slow to import

        wizard = self.setup()
        # from here on there is no way back nor out ("Annulla" would do nothing): only
        # "Avanti" to the last page, or "Fine" once the code is noted
        wizard.setButtonLayout([QWizard.WizardButton.Stretch, QWizard.WizardButton.NextButton,
                                QWizard.WizardButton.FinishButton])  # fmt: skip
        self.code.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.code.setText(wizard.recovery_code)
        kind = wizard.workspace.keystore_kind if wizard.workspace is not None else "file"
        self.keystore.setText(
            self.tr("Le chiavi cifrate dell'archivio sono conservate nel %1.").replace(
                "%1", keystore_description(kind)
            )
        )

    def on_copy_clicked(self) -> None:
        QGuiApplication.clipboard().setText(self.code.text())

    def on_print_clicked(self) -> PrintPreviewDialog | None:
        """Preview the recovery sheet to print it: only on paper, never saved in a file."""
        wizard = self.setup()
        workspace, code = wizard.workspace, wizard.recovery_code
        if workspace is None or not code:
            return None
        from PySide6.QtCore import Qt

        from caseworker_app.services import printing
        from caseworker_app.ui.print_preview import PrintPreviewDialog

        def produce() -> printing.PrintedDocument:
            return printing.print_recovery(workspace.uow_factory(), actor=workspace.actor,
                                           recovery_code=code,
                                           now=datetime.now().replace(microsecond=0))  # fmt: skip

        if self.preview is not None and shiboken6.isValid(self.preview):
            self.preview.close()
        self.preview = PrintPreviewDialog(wizard, title=self.tr("Foglio del codice di recupero"),
                                          produce=produce, can_save=False,
                                          parent=self)  # fmt: skip
        self.preview.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.preview.show()
        return self.preview


class SetupWizard(QWizard):
    """Emits ``setup_finished(workspace)`` when the operator has noted the recovery code."""

    setup_finished = Signal(object)

    def __init__(
        self,
        gateway: StoreGateway,
        tasks: TaskRunner,
        *,
        gateway_for: GatewayFactory,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.gateway = gateway
        self.gateway_for = gateway_for
        self.tasks = tasks
        self.workspace: Workspace | None = None
        self.recovery_code = ""
        self._creating = False
        self.setWindowTitle(self.tr("Caseworker – prima configurazione"))
        self.setWindowIcon(app_icon())
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        for which, text in (
            (QWizard.WizardButton.BackButton, self.tr("< Indietro")),
            (QWizard.WizardButton.NextButton, self.tr("Avanti >")),
            (QWizard.WizardButton.CommitButton, self.tr("Crea l'archivio")),
            (QWizard.WizardButton.FinishButton, self.tr("Fine")),
            (QWizard.WizardButton.CancelButton, self.tr("Annulla")),
        ):
            self.setButtonText(which, text)
        self.role_page = RolePage()
        self.place_page = PlacePage()
        self.operator_page = OperatorPage()
        self.location_page = LocationPage()
        self.recovery_page = RecoveryCodePage()
        self.ambito_page = AmbitoPackagePage()
        self.capofila_page = CapofilaKeysPage()
        for page in (
            self.role_page,
            self.place_page,
            self.operator_page,
            self.location_page,
            self.recovery_page,
        ):
            self.addPage(page)
        self.ambito_page_id = self.addPage(self.ambito_page)
        self.capofila_page_id = self.addPage(self.capofila_page)
        self.resize(720, 560)
        self._ambiti_requested = False

    def request_ambiti(self) -> None:
        """Read the ambito definitions on the worker (once, when the place page opens)."""
        if not self._ambiti_requested:
            self._ambiti_requested = True
            self.tasks.run(_load_ambiti, on_done=self.place_page.set_ambiti, owner=self)

    def role(self) -> str:
        return self.role_page.role()

    # -- data folder -----------------------------------------------------------------------

    def on_choose_folder_clicked(self) -> None:
        chosen = QFileDialog.getExistingDirectory(
            self, self.tr("Scegli la cartella dell'archivio"), str(self.gateway.root.parent)
        )
        if chosen:
            self.use_folder(Path(chosen))

    def use_folder(self, folder: Path) -> None:
        """Use ``folder`` (or a ``caseworker`` folder inside it, if it holds other files)."""
        target = folder
        if folder.is_dir() and any(folder.iterdir()):
            target = folder / "caseworker"
        if target != self.gateway.root:
            self.gateway = self.gateway_for(target)
        self.location_page.path.setText(str(self.gateway.root))
        self.location_page.error.clear()

    # -- creation --------------------------------------------------------------------------

    def on_create_requested(self) -> bool:
        """LocationPage.validatePage: start creating; the page is left when it is done."""
        if self.workspace is not None:
            return True
        if self._creating:
            return False
        page = self.location_page
        if self.gateway.exists():
            page.error.setText(
                self.tr(
                    "In questa cartella c'è già un archivio di Caseworker. Scegli un'altra "
                    "cartella oppure chiudi la configurazione e accedi con le tue credenziali."
                )
            )
            return False
        # Imported here: the services pull in the domain tables, not needed before this.
        from caseworker_app.ports.gateway import SetupRequest

        request = SetupRequest(
            role=self.role(),
            ambito=self.place_page.ambito_id(),
            comune=self.place_page.comune_code(),
            username=self.operator_page.username.text().strip(),
            full_name=self.operator_page.full_name.text().strip(),
            password=self.operator_page.passwords.text(),
            qualifica=self.operator_page.qualifica.qualifica(),
        )
        self._creating = True
        page.error.clear()
        page.busy.setText(self.tr("Creazione dell'archivio cifrato in corso…"))
        self._set_buttons_enabled(False)
        gateway = self.gateway
        self.tasks.run(
            lambda: gateway.create(request),
            on_done=self.on_store_created,
            on_error=self.on_store_create_failed,
            owner=self,
        )
        return False

    def on_store_created(self, result: tuple[Workspace, str]) -> None:
        self._creating = False
        self.workspace, self.recovery_code = result
        self.location_page.busy.clear()
        self._set_buttons_enabled(True)
        self.next()

    def on_store_create_failed(self, exc: BaseException) -> None:
        self._creating = False
        self.location_page.busy.clear()
        self._set_buttons_enabled(True)
        if isinstance(exc, UserFacingError):
            self.location_page.error.setText(errors.message_for(exc))
        else:
            self.location_page.error.setText(self.tr("Creazione non riuscita."))
            errors.report_error(self, exc)

    def _set_buttons_enabled(self, enabled: bool) -> None:
        for which in (
            QWizard.WizardButton.BackButton,
            QWizard.WizardButton.CommitButton,
            QWizard.WizardButton.CancelButton,
        ):
            self.button(which).setEnabled(enabled)
        self.location_page.choose.setEnabled(enabled)

    # -- end -------------------------------------------------------------------------------

    def accept(self) -> None:
        super().accept()
        if self.workspace is not None:
            self.setup_finished.emit(self.workspace)

    def reject(self) -> None:
        page = self.currentPage()
        if isinstance(page, TransferPage) and page.busy():
            return  # an import or export is under way
        if self.workspace is not None:
            # The store exists: the recovery code must be acknowledged, never skipped.
            if self.recovery_page.noted.isChecked():
                self.accept()
            return
        if self._creating:
            return
        super().reject()
