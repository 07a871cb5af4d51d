"""The pages of the first-run wizard (the wizard itself is in setup_wizard.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from caseworker_app.domain.operator import first_operator_roles
from caseworker_app.ui.password_fields import NewPasswordFields
from caseworker_app.ui.qualifica_field import QualificaField
from caseworker_app.ui.theme import init_severity
from caseworker_app.ui.worker_dialog import add_note_row

if TYPE_CHECKING:
    from caseworker_app.definitions.ambiti import Ambito
    from caseworker_app.ui.setup_wizard import SetupWizard


def wrapped(text: str, object_name: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    if object_name:
        label.setObjectName(object_name)
    return label


class SetupPage(QWizardPage):
    def setup(self) -> SetupWizard:
        return cast("SetupWizard", self.wizard())


class RolePage(SetupPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Benvenuta, benvenuto in Caseworker"))
        self.setSubTitle(
            self.tr("Configuriamo questo computer in pochi passi. Per prima cosa: chi lo userà?")
        )
        layout = QVBoxLayout(self)
        self.comune = QRadioButton(self.tr("Un comune dell'ambito (servizio sociale comunale)"))
        self.comune.setAccessibleName(self.tr("Installazione per un comune"))
        self.comune.setChecked(True)
        self.capofila = QRadioButton(self.tr("Il comune capofila (Ufficio di Piano)"))
        self.capofila.setAccessibleName(self.tr("Installazione per il comune capofila"))
        group = QButtonGroup(self)
        group.addButton(self.comune)
        group.addButton(self.capofila)
        layout.addWidget(self.comune)
        layout.addWidget(
            wrapped(
                self.tr(
                    "L'assistente sociale registra le istanze, compila le cartelle e invia le "
                    "istruttorie al capofila."
                ),
                "hint",
            )
        )
        layout.addSpacing(8)
        layout.addWidget(self.capofila)
        layout.addWidget(
            wrapped(
                self.tr(
                    "L'Ufficio di Piano riceve le istruttorie dei comuni, forma la graduatoria e "
                    "comunica gli esiti."
                ),
                "hint",
            )
        )
        layout.addStretch(1)

    def role(self) -> str:
        return "capofila" if self.capofila.isChecked() else "comune"


class PlacePage(SetupPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Ambito e comune"))
        self.setSubTitle(
            self.tr("L'ambito territoriale e il comune per cui lavora questa installazione.")
        )
        self._ambiti: dict[str, Ambito] = {}
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.ambito = QComboBox()
        self.ambito.setAccessibleName(self.tr("Ambito territoriale"))
        self.comune = QComboBox()
        self.comune.setAccessibleName(self.tr("Comune"))
        form.addRow(self.tr("&Ambito territoriale:"), self.ambito)
        form.addRow(self.tr("&Comune:"), self.comune)
        layout.addLayout(form)
        self.note = wrapped("", "hint")
        layout.addWidget(self.note)
        layout.addStretch(1)
        self.ambito.currentIndexChanged.connect(self.on_ambito_changed)
        self.comune.currentIndexChanged.connect(lambda _i: self.completeChanged.emit())

    def set_ambiti(self, ambiti: dict[str, Ambito]) -> None:
        self._ambiti = ambiti
        self.ambito.clear()
        for ambito in sorted(ambiti.values(), key=lambda a: a.name):
            self.ambito.addItem(ambito.name, ambito.id)
        self.on_ambito_changed(self.ambito.currentIndex())

    def initializePage(self) -> None:
        if not self._ambiti:
            self.setup().request_ambiti()
        self.on_ambito_changed(self.ambito.currentIndex())

    def on_ambito_changed(self, _index: int) -> None:
        ambito = self._ambiti.get(str(self.ambito.currentData()))
        chosen = self.comune.currentData()
        self.comune.clear()
        if ambito is None:
            self.completeChanged.emit()
            return
        capofila_only = self.setup().role() == "capofila" if self.wizard() else False
        for member in sorted(ambito.comuni, key=lambda m: m.name):
            if member.valid_to is not None or (capofila_only and member.code != ambito.capofila):
                continue
            self.comune.addItem(f"{member.name} ({member.code})", member.code)
        index = self.comune.findData(ambito.capofila if capofila_only else chosen)
        if index >= 0:
            self.comune.setCurrentIndex(index)
        capofila = ambito.comune(ambito.capofila)
        name = capofila.name if capofila else ambito.capofila
        self.note.setText(self.tr("Comune capofila dell'ambito: %1.").replace("%1", name))
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.ambito.currentData() is not None and self.comune.currentData() is not None

    def ambito_id(self) -> str:
        return str(self.ambito.currentData())

    def comune_code(self) -> str:
        return str(self.comune.currentData())

    def capofila_name(self) -> str:
        """The name of the chosen ambito's capofila comune ("" if unknown)."""
        ambito = self._ambiti.get(self.ambito_id())
        capofila = ambito.comune(ambito.capofila) if ambito is not None else None
        return capofila.name if capofila is not None else ""


class OperatorPage(SetupPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Il primo operatore"))
        self.setSubTitle(
            self.tr("La persona che userà per prima il programma. Potrà poi aggiungere i colleghi.")
        )
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.full_name = QLineEdit()
        self.full_name.setAccessibleName(self.tr("Nome e cognome dell'operatore"))
        self.full_name.setPlaceholderText(self.tr("per esempio Maria Rossi"))
        self.username = QLineEdit()
        self.username.setAccessibleName(self.tr("Nome utente"))
        self.username.setPlaceholderText(self.tr("per esempio mrossi"))
        self.username.setMaxLength(60)
        self.qualifica = QualificaField()
        form.addRow(self.tr("Nome e &cognome:"), self.full_name)
        form.addRow(self.tr("&Qualifica:"), self.qualifica)
        add_note_row(
            form,
            wrapped(
                self.tr(
                    "Stampata accanto al nome nel Progetto Individuale e nelle firme, per "
                    "esempio «Maria Rossi, assistente sociale». Scegline una o scrivila."
                ),
                "hint",
            ),
        )
        form.addRow(self.tr("Nome &utente:"), self.username)
        add_note_row(
            form,
            wrapped(
                self.tr("Il nome utente si scrive senza spazi: lettere, cifre, punto, trattino."),
                "hint",
            ),
        )
        self.passwords = NewPasswordFields(form, self)
        layout.addLayout(form)
        layout.addStretch(1)
        for field in (self.full_name, self.username):
            field.textChanged.connect(lambda _t: self.completeChanged.emit())
        self.passwords.changed.connect(self.completeChanged.emit)

    def initializePage(self) -> None:
        self.passwords.show_policy()
        self.qualifica.propose_for(first_operator_roles(self.setup().role()))

    def isComplete(self) -> bool:
        username = self.username.text().strip()
        username_ok = (
            len(username) >= 2
            and username.isascii()
            and all(c.isalnum() or c in "._-" for c in username)
        )
        return (
            bool(self.full_name.text().strip()) and username_ok and self.passwords.is_acceptable()
        )


class LocationPage(SetupPage):
    """Where the data will live; pressing "Crea l'archivio" creates the store."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Dove conservare i dati"))
        self.setSubTitle(
            self.tr(
                "I dati sono cifrati sul disco: senza password o codice di "
                "recupero nessuno può leggerli."
            )
        )
        self.setCommitPage(True)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.path = QLineEdit()
        self.path.setReadOnly(True)
        self.path.setAccessibleName(self.tr("Cartella dell'archivio"))
        form.addRow(self.tr("Cartella:"), self.path)
        layout.addLayout(form)
        self.choose = QPushButton(self.tr("Scegli un'altra cartella…"))
        self.choose.setAccessibleName(self.tr("Scegli un'altra cartella per l'archivio"))
        choose_row = QHBoxLayout()
        choose_row.addWidget(self.choose)
        choose_row.addStretch(1)
        layout.addLayout(choose_row)
        layout.addWidget(
            wrapped(
                self.tr(
                    "Scegli una cartella sul disco di questo computer, non una chiavetta USB né "
                    "una cartella sincronizzata in rete. Le copie di sicurezza si fanno poi con "
                    "«Esegui backup», anche su chiavetta."
                ),
                "hint",
            )
        )
        layout.addWidget(
            wrapped(
                self.tr(
                    "Premendo «Crea l'archivio» vengono creati l'archivio cifrato, l'operatore e "
                    "il codice di recupero."
                ),
                "hint",
            )
        )
        self.error = wrapped("")
        self.error.setAccessibleName(self.tr("Messaggio di errore"))
        init_severity(self.error, "error")
        layout.addWidget(self.error)
        self.busy = wrapped("")
        layout.addWidget(self.busy)
        layout.addStretch(1)
        self.choose.clicked.connect(lambda: self.setup().on_choose_folder_clicked())

    def initializePage(self) -> None:
        self.path.setText(str(self.setup().gateway.root))

    def validatePage(self) -> bool:
        return self.setup().on_create_requested()
