"""Wizard pages: the applicant, the self-declarations, the care situation, the payment.

Each page shows part of an :class:`IstanzaContent` (``load``), gives it back with its fields
changed (``read_into``) and emits ``edited`` on every change the user makes.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from caseworker_app.domain.casefile import HouseholdMember, LegalRole
from caseworker_app.domain.iban import check_iban, format_iban
from caseworker_app.domain.istanza_content import (
    DECLARATIONS,
    Applicant,
    ApplicantRole,
    IstanzaContent,
)
from caseworker_app.messages import render
from caseworker_app.ui.theme import set_severity

DECLARATION_TEXTS: dict[str, str] = {
    "requisiti_posseduti": str(QT_TRANSLATE_NOOP("Declarations",
        "Dichiara che il beneficiario possiede tutti i requisiti di accesso previsti "
        "dall'avviso.")),
    "composizione_nucleo": str(QT_TRANSLATE_NOOP("Declarations",
        "Dichiara che la composizione del nucleo familiare è quella indicata nella cartella e "
        "nella Dichiarazione Sostitutiva Unica (DSU) dell'ISEE.")),
    "nessuna_misura_incompatibile": str(QT_TRANSLATE_NOOP("Declarations",
        "Dichiara che il beneficiario non fruisce di misure, contributi o servizi "
        "incompatibili con quanto richiesto, secondo l'avviso.")),
    "impegno_comunicare_variazioni": str(QT_TRANSLATE_NOOP("Declarations",
        "Si impegna a comunicare al Comune entro 15 giorni ogni variazione della situazione "
        "dichiarata (ad esempio ricovero definitivo in struttura, trasferimento o decesso "
        "del beneficiario).")),
    "presa_visione_controlli": str(QT_TRANSLATE_NOOP("Declarations",
        "Prende atto che saranno effettuati controlli a campione, su almeno il 5% delle "
        "istanze, sulla veridicità delle dichiarazioni e che le dichiarazioni false "
        "comportano la decadenza dal beneficio e le sanzioni degli artt. 75 e 76 del "
        "D.P.R. 445/2000.")),
    "presa_visione_informativa": str(QT_TRANSLATE_NOOP("Declarations",
        "Dichiara di aver ricevuto e letto l'informativa sul trattamento dei dati personali "
        "(Regolamento UE 2016/679).")),
}  # fmt: skip

ROLE_LABELS: dict[ApplicantRole, str] = {
    ApplicantRole.BENEFICIARIO: str(QT_TRANSLATE_NOOP("Applicant", "Il beneficiario stesso")),
    ApplicantRole.FAMILIARE: str(QT_TRANSLATE_NOOP("Applicant", "Un familiare")),
    ApplicantRole.RAPPRESENTANTE_LEGALE: str(
        QT_TRANSLATE_NOOP("Applicant", "Il rappresentante legale (tutore, amministratore…)")
    ),
    ApplicantRole.GENITORE: str(
        QT_TRANSLATE_NOOP("Applicant", "Un genitore (beneficiario minore)")
    ),
}

_LEGAL_TITLES: dict[LegalRole, str] = {
    LegalRole.TUTORE: "tutore",
    LegalRole.AMMINISTRATORE_DI_SOSTEGNO: "amministratore di sostegno",
    LegalRole.CURATORE: "curatore",
    LegalRole.GENITORE: "genitore",
}


def _hint(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("hint")
    label.setWordWrap(True)
    return label


class WrappedCheck(QWidget):
    """A check box whose long wording wraps; clicking the wording toggles it too."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 4)
        self.box = QCheckBox()
        self.box.setAccessibleName(text)
        self.label = QLabel(text)
        self.label.setWordWrap(True)
        layout.addWidget(self.box, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.label, 1)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self.box.toggle()
        self.box.clicked.emit(self.box.isChecked())
        event.accept()


class ApplicantPage(QWidget):
    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.household: tuple[HouseholdMember, ...] = ()
        self.member_id = ""
        layout = QVBoxLayout(self)
        layout.addWidget(_hint(self.tr("Chi firma l'istanza e a che titolo.")))
        form = QFormLayout()
        self.role = QComboBox()
        self.role.setAccessibleName(self.tr("Richiedente"))
        for role, label in ROLE_LABELS.items():
            self.role.addItem(QCoreApplication.translate("Applicant", label), role.value)
        form.addRow(self.tr("&Richiedente"), self.role)
        self.member = QComboBox()
        self.member.setAccessibleName(self.tr("Scegli dalla rete della cartella"))
        form.addRow(self.tr("Dalla &rete della cartella"), self.member)
        self.surname = QLineEdit()
        self.surname.setAccessibleName(self.tr("Cognome del richiedente"))
        form.addRow(self.tr("&Cognome"), self.surname)
        self.given_name = QLineEdit()
        self.given_name.setAccessibleName(self.tr("Nome del richiedente"))
        form.addRow(self.tr("&Nome"), self.given_name)
        self.codice_fiscale = QLineEdit()
        self.codice_fiscale.setAccessibleName(self.tr("Codice fiscale del richiedente"))
        self.codice_fiscale.setMaxLength(16)
        form.addRow(self.tr("Codice &fiscale"), self.codice_fiscale)
        self.title = QLineEdit()
        self.title.setAccessibleName(self.tr("Titolo del richiedente"))
        self.title.setPlaceholderText(self.tr("ad esempio figlia, amministratore di sostegno"))
        form.addRow(self.tr("&Titolo"), self.title)
        layout.addLayout(form)
        layout.addStretch(1)
        self.role.activated.connect(self._on_role_chosen)
        self.member.activated.connect(self._on_member_chosen)
        for line in (self.surname, self.given_name, self.codice_fiscale, self.title):
            line.textEdited.connect(self._on_typed)

    def load(self, content: IstanzaContent, household: tuple[HouseholdMember, ...]) -> None:
        self.household = household
        self.member.clear()
        self.member.addItem(self.tr("— nessuno: scrivo i dati —"), "")
        for m in household:
            self.member.addItem(f"{m.surname} {m.given_name} ({m.relationship})".strip(), m.id)
        a = content.applicant
        self.role.setCurrentIndex(max(0, self.role.findData(a.role.value)))
        self.member_id = a.member_id
        self.member.setCurrentIndex(max(0, self.member.findData(a.member_id)))
        self.surname.setText(a.surname)
        self.given_name.setText(a.given_name)
        self.codice_fiscale.setText(a.codice_fiscale)
        self.title.setText(a.title)
        self._update_enabled()

    def read_into(self, content: IstanzaContent) -> IstanzaContent:
        role = ApplicantRole(str(self.role.currentData()))
        if role is ApplicantRole.BENEFICIARIO:
            return replace(content, applicant=Applicant())
        applicant = Applicant(role, self.surname.text().strip(), self.given_name.text().strip(),
                              self.codice_fiscale.text().strip().upper(),
                              self.title.text().strip(), self.member_id)  # fmt: skip
        return replace(content, applicant=applicant)

    def _update_enabled(self) -> None:
        other = self.role.currentData() != ApplicantRole.BENEFICIARIO.value
        for w in (self.member, self.surname, self.given_name, self.codice_fiscale, self.title):
            w.setEnabled(other)

    def _on_role_chosen(self, _index: int) -> None:
        self._update_enabled()
        self.edited.emit()

    def _on_member_chosen(self, _index: int) -> None:
        member_id = str(self.member.currentData() or "")
        self.member_id = member_id
        member = next((m for m in self.household if m.id == member_id), None)
        if member is not None:
            self.surname.setText(member.surname)
            self.given_name.setText(member.given_name)
            self.codice_fiscale.setText(member.codice_fiscale)
            if member.legal_role is not None:
                self.title.setText(_LEGAL_TITLES[member.legal_role])
                role = (ApplicantRole.GENITORE if member.legal_role is LegalRole.GENITORE
                        else ApplicantRole.RAPPRESENTANTE_LEGALE)  # fmt: skip
                self.role.setCurrentIndex(self.role.findData(role.value))
            else:
                self.title.setText(member.relationship)
        self.edited.emit()

    def _on_typed(self, _text: str) -> None:
        self.edited.emit()


class DeclarationsPage(QWidget):
    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.addWidget(
            _hint(
                self.tr(
                    "Il richiedente, consapevole delle responsabilità penali per le "
                    "dichiarazioni false (D.P.R. 445/2000):"
                )
            )
        )
        self.checks: dict[str, WrappedCheck] = {}
        for code in DECLARATIONS:
            check = WrappedCheck(QCoreApplication.translate("Declarations",
                                                            DECLARATION_TEXTS[code]))  # fmt: skip
            check.box.clicked.connect(self._on_clicked)
            self.checks[code] = check
            layout.addWidget(check)
        layout.addStretch(1)

    def load(self, content: IstanzaContent) -> None:
        for code, check in self.checks.items():
            check.box.setChecked(content.declarations.get(code, False))

    def read_into(self, content: IstanzaContent) -> IstanzaContent:
        return replace(content, declarations={c: w.box.isChecked() for c, w in self.checks.items()})

    def _on_clicked(self, _checked: bool) -> None:
        self.edited.emit()


class CarePage(QWidget):
    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.addWidget(_hint(self.tr("La situazione di cura del beneficiario oggi.")))
        self.lives_at_home = WrappedCheck(self.tr("Vive al proprio domicilio (non in struttura)"))
        self.family_caregiver_only = WrappedCheck(
            self.tr("È assistito dal solo caregiver familiare, senza personale retribuito")
        )
        self.employed_assistant = WrappedCheck(
            self.tr("Ha un'assistente familiare assunto con regolare contratto di lavoro")
        )
        self.self_managed_project = WrappedCheck(
            self.tr("Ha un progetto di vita indipendente autogestito (assistente personale)")
        )
        for check in self._all():
            check.box.clicked.connect(self._on_clicked)
            layout.addWidget(check)
        layout.addStretch(1)

    def _all(self) -> tuple[WrappedCheck, ...]:
        return (self.lives_at_home, self.family_caregiver_only, self.employed_assistant,
                self.self_managed_project)  # fmt: skip

    def load(self, content: IstanzaContent) -> None:
        self.lives_at_home.box.setChecked(content.lives_at_home)
        self.family_caregiver_only.box.setChecked(content.family_caregiver_only)
        self.employed_assistant.box.setChecked(content.employed_assistant)
        self.self_managed_project.box.setChecked(content.self_managed_project)

    def read_into(self, content: IstanzaContent) -> IstanzaContent:
        return replace(content, lives_at_home=self.lives_at_home.box.isChecked(),
                       family_caregiver_only=self.family_caregiver_only.box.isChecked(),
                       employed_assistant=self.employed_assistant.box.isChecked(),
                       self_managed_project=self.self_managed_project.box.isChecked())  # fmt: skip

    def _on_clicked(self, _checked: bool) -> None:
        self.edited.emit()


class PaymentPage(QWidget):
    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.applicant_name = ""
        self.needs_iban = False
        layout = QVBoxLayout(self)
        self.needed = _hint("")
        layout.addWidget(self.needed)
        form = QFormLayout()
        self.iban = QLineEdit()
        self.iban.setAccessibleName(self.tr("IBAN"))
        self.iban.setPlaceholderText("IT60 X054 2811 1010 0000 0123 456")
        self.iban.setMaxLength(42)
        form.addRow(self.tr("&IBAN"), self.iban)
        holder_row = QHBoxLayout()
        self.holder = QLineEdit()
        self.holder.setAccessibleName(self.tr("Intestatario del conto"))
        self.use_applicant = QPushButton(self.tr("&Usa il richiedente"))
        holder_row.addWidget(self.holder, 1)
        holder_row.addWidget(self.use_applicant)
        holder_label = QLabel(self.tr("I&ntestatario"))
        holder_label.setBuddy(self.holder)
        form.addRow(holder_label, holder_row)
        layout.addLayout(form)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setAccessibleName(self.tr("Controllo dell'IBAN"))
        layout.addWidget(self.problem)
        layout.addStretch(1)
        self.iban.textEdited.connect(self._on_typed)
        self.holder.textEdited.connect(self._on_typed)
        self.iban.editingFinished.connect(self._on_iban_finished)
        self.use_applicant.clicked.connect(self._on_use_applicant)

    def load(self, content: IstanzaContent) -> None:
        self.iban.setText(format_iban(content.iban))
        self.holder.setText(content.iban_holder)
        self.update_context(content, self.applicant_name)

    def update_context(self, content: IstanzaContent, applicant_name: str) -> None:
        self.applicant_name = applicant_name
        self.needs_iban = content.needs_iban()
        self.needed.setText(
            self.tr("Il contributo richiesto è versato alla famiglia: l'IBAN è obbligatorio.")
            if self.needs_iban
            else self.tr(
                "Gli interventi richiesti sono pagati a chi li eroga (voucher): l'IBAN "
                "serve solo se l'avviso prevede anche un contributo."
            )
        )
        self._show_problem()

    def read_into(self, content: IstanzaContent) -> IstanzaContent:
        return replace(content, iban="".join(self.iban.text().split()).upper(),
                       iban_holder=self.holder.text().strip())  # fmt: skip

    def _show_problem(self) -> None:
        issues = check_iban(self.iban.text(), self.holder.text(), required=False)
        if issues:
            self.problem.setText("\n".join(render(i.code) for i in issues))
            set_severity(self.problem, "error")
        elif self.iban.text().strip():
            self.problem.setText(self.tr("✔ IBAN valido"))
            set_severity(self.problem, "ok")
        else:
            self.problem.setText("")

    def _on_typed(self, _text: str) -> None:
        self._show_problem()
        self.edited.emit()

    def _on_iban_finished(self) -> None:
        formatted = format_iban(self.iban.text())
        if formatted != self.iban.text():
            self.iban.setText(formatted)

    def _on_use_applicant(self) -> None:
        self.holder.setText(self.applicant_name)
        self._show_problem()
        self.edited.emit()
