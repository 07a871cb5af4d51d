"""The audit log (administrators): filters, the events, and the integrity check of the chain."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QDate, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from caseworker_app.domain.audit import AuditAction, AuditHead, parse_audit_head
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.ports.storage import AuditFilter
from caseworker_app.services import audit_log
from caseworker_app.services.audit_log import AuditLine, AuditVerdict
from caseworker_app.ui.errors import message_for, report_error
from caseworker_app.ui.formats import format_count, format_datetime
from caseworker_app.ui.session import Session
from caseworker_app.ui.tables import read_only_table
from caseworker_app.ui.text_table_model import TextTableModel
from caseworker_app.ui.theme import set_severity

LIMIT = 1000
ACTION_LABELS: dict[str, str] = {
    "login": str(QT_TRANSLATE_NOOP("AuditAction", "Accesso")),
    "login_failed": str(QT_TRANSLATE_NOOP("AuditAction", "Accesso non riuscito")),
    "unlock": str(QT_TRANSLATE_NOOP("AuditAction", "Sblocco")),
    "recovery": str(QT_TRANSLATE_NOOP("AuditAction", "Nuova password con codice di recupero")),
    "read": str(QT_TRANSLATE_NOOP("AuditAction", "Lettura")),
    "create": str(QT_TRANSLATE_NOOP("AuditAction", "Creazione")),
    "update": str(QT_TRANSLATE_NOOP("AuditAction", "Modifica")),
    "delete": str(QT_TRANSLATE_NOOP("AuditAction", "Eliminazione")),
    "print": str(QT_TRANSLATE_NOOP("AuditAction", "Stampa")),
    "export": str(QT_TRANSLATE_NOOP("AuditAction", "Esportazione")),
    "import": str(QT_TRANSLATE_NOOP("AuditAction", "Importazione")),
    "backup": str(QT_TRANSLATE_NOOP("AuditAction", "Backup")),
    "restore": str(QT_TRANSLATE_NOOP("AuditAction", "Ripristino da backup")),
    "migrate": str(QT_TRANSLATE_NOOP("AuditAction", "Aggiornamento dell'archivio")),
    "merge": str(QT_TRANSLATE_NOOP("AuditAction", "Unione in un'altra cartella")),
}
ENTITY_LABELS: dict[str, str] = {
    "case_file": str(QT_TRANSLATE_NOOP("AuditEntity", "Cartella")),
    "istanza": str(QT_TRANSLATE_NOOP("AuditEntity", "Istanza")),
    "operator": str(QT_TRANSLATE_NOOP("AuditEntity", "Operatore")),
    "store": str(QT_TRANSLATE_NOOP("AuditEntity", "Archivio")),
    "chiavi": str(QT_TRANSLATE_NOOP("AuditEntity", "Chiavi di trasmissione")),
    "setting": str(QT_TRANSLATE_NOOP("AuditEntity", "Impostazione")),
    "pi_version": str(QT_TRANSLATE_NOOP("AuditEntity", "Progetto Individuale")),
    "pi_signature": str(QT_TRANSLATE_NOOP("AuditEntity", "Firma del PI")),
    "assessment": str(QT_TRANSLATE_NOOP("AuditEntity", "Scala di valutazione")),
    "assessments": str(QT_TRANSLATE_NOOP("AuditEntity", "Scale di valutazione")),
    "evaluation": str(QT_TRANSLATE_NOOP("AuditEntity", "Valutazione sociale")),
    "household_member": str(QT_TRANSLATE_NOOP("AuditEntity", "Persona della rete")),
    "case_record": str(QT_TRANSLATE_NOOP("AuditEntity", "Dato della cartella")),
    "isee": str(QT_TRANSLATE_NOOP("AuditEntity", "Attestazione ISEE")),
    "document": str(QT_TRANSLATE_NOOP("AuditEntity", "Documento")),
    "diary_entry": str(QT_TRANSLATE_NOOP("AuditEntity", "Nota del diario")),
    "privacy_notice": str(QT_TRANSLATE_NOOP("AuditEntity", "Informativa privacy")),
    "recovery_sheet": str(QT_TRANSLATE_NOOP("AuditEntity", "Foglio del codice di recupero")),
    "scadenze": str(QT_TRANSLATE_NOOP("AuditEntity", "Scadenze")),
    "demo_data": str(QT_TRANSLATE_NOOP("AuditEntity", "Dati dimostrativi")),
}


def _p(text: str) -> str:
    return str(QT_TRANSLATE_NOOP("AuditPhrase", text))


#: what an event means, in words, by (action, entity type); others fall back to the two labels
PHRASES: dict[tuple[str, str], str] = {
    ("create", "case_file"): _p("Ha creato la cartella"),
    ("read", "case_file"): _p("Ha aperto la cartella"),
    ("update", "case_file"): _p("Ha modificato la cartella"),
    ("delete", "case_file"): _p("Ha eliminato la cartella"),
    ("merge", "case_file"): _p("Ha unito la cartella doppia a un'altra"),
    ("create", "istanza"): _p("Ha registrato l'istanza"),
    ("read", "istanza"): _p("Ha aperto l'istanza"),
    ("update", "istanza"): _p("Ha modificato l'istanza"),
    ("print", "istanza"): _p("Ha stampato l'istanza"),
    ("create", "pi_version"): _p("Ha creato una versione del PI"),
    ("read", "pi_version"): _p("Ha aperto il PI"),
    ("update", "pi_version"): _p("Ha modificato il PI"),
    ("print", "pi_version"): _p("Ha stampato il PI"),
    ("create", "pi_signature"): _p("Ha acquisito una firma del PI"),
    ("create", "assessment"): _p("Ha compilato una scala di valutazione"),
    ("read", "assessment"): _p("Ha consultato una scala di valutazione"),
    ("update", "assessment"): _p("Ha modificato una scala di valutazione"),
    ("delete", "assessment"): _p("Ha eliminato una scala di valutazione"),
    ("print", "assessment"): _p("Ha stampato una scala di valutazione"),
    ("read", "assessments"): _p("Ha consultato le scale di valutazione"),
    ("create", "evaluation"): _p("Ha scritto la valutazione sociale"),
    ("read", "evaluation"): _p("Ha consultato la valutazione sociale"),
    ("update", "evaluation"): _p("Ha modificato la valutazione sociale"),
    ("create", "household_member"): _p("Ha aggiunto una persona alla rete"),
    ("update", "household_member"): _p("Ha modificato una persona della rete"),
    ("delete", "household_member"): _p("Ha tolto una persona dalla rete"),
    ("create", "case_record"): _p("Ha aggiunto un dato alla cartella"),
    ("update", "case_record"): _p("Ha modificato un dato della cartella"),
    ("delete", "case_record"): _p("Ha eliminato un dato della cartella"),
    ("create", "isee"): _p("Ha registrato un'attestazione ISEE"),
    ("update", "isee"): _p("Ha modificato un'attestazione ISEE"),
    ("create", "document"): _p("Ha aggiunto un documento"),
    ("read", "document"): _p("Ha aperto un documento"),
    ("update", "document"): _p("Ha modificato un documento"),
    ("delete", "document"): _p("Ha eliminato un documento"),
    ("create", "diary_entry"): _p("Ha scritto una nota del diario"),
    ("update", "diary_entry"): _p("Ha modificato una nota del diario"),
    ("print", "privacy_notice"): _p("Ha stampato l'informativa privacy"),
    ("print", "recovery_sheet"): _p("Ha stampato il foglio del codice di recupero"),
    ("read", "scadenze"): _p("Ha consultato le scadenze"),
    ("update", "setting"): _p("Ha cambiato un'impostazione"),
    ("create", "store"): _p("Ha creato l'archivio"),
    ("create", "chiavi"): _p("Ha creato le chiavi di trasmissione dell'installazione"),
    ("backup", "store"): _p("Ha eseguito un backup"),
    ("restore", "store"): _p("Ha ripristinato l'archivio da un backup"),
    ("migrate", "store"): _p("Ha aggiornato l'archivio alla nuova versione"),
    ("import", "demo_data"): _p("Ha caricato i dati dimostrativi"),
    ("create", "operator"): _p("Ha creato l'account di un operatore"),
    ("update", "operator"): _p("Ha modificato l'account di un operatore"),
    ("login", "operator"): _p("Ha effettuato l'accesso"),
    ("login_failed", "operator"): _p("Tentativo di accesso non riuscito"),
    ("unlock", "operator"): _p("Ha sbloccato l'archivio"),
    ("recovery", "operator"): _p("Ha scelto una nuova password con il codice di recupero"),
}
PROBLEM_LABELS: dict[str, str] = {
    "altered": str(QT_TRANSLATE_NOOP("AuditProblem", "alterato")),
    "missing": str(QT_TRANSLATE_NOOP("AuditProblem", "mancante")),
    "broken_link": str(QT_TRANSLATE_NOOP("AuditProblem", "collegamento interrotto")),
    "content_changed": str(
        QT_TRANSLATE_NOOP("AuditProblem", "dati modificati fuori dall'applicazione")
    ),
    "anchor_missing": str(QT_TRANSLATE_NOOP("AuditProblem", "impronta annotata non più presente")),
}


def _label(context: str, table: dict[str, str], key: str) -> str:
    return QCoreApplication.translate(context, table[key]) if key in table else key


def describe(action: str, entity_type: str) -> str:
    """The event in words: "Ha aperto la cartella", "Ha stampato il PI"…"""
    phrase = PHRASES.get((action, entity_type))
    if phrase is not None:
        return QCoreApplication.translate("AuditPhrase", phrase)
    return (
        QCoreApplication.translate("AuditPhrase", "%1: %2")
        .replace("%1", _label("AuditAction", ACTION_LABELS, action))
        .replace("%2", _label("AuditEntity", ENTITY_LABELS, entity_type))
    )


def _concerned(line: AuditLine) -> tuple[str, str]:
    """The person concerned (surname and name) and their codice fiscale, "" when none."""
    if line.person is not None:
        p = line.person
        name = f"{p.surname} {p.given_name}".strip()
        return name or QCoreApplication.translate("AuditView", "(senza nome)"), p.codice_fiscale
    if line.operator_concerned:
        return (
            QCoreApplication.translate("AuditView", "Operatore %1").replace(
                "%1", line.operator_concerned
            ),
            "",
        )
    return "", ""


def _row(line: AuditLine) -> tuple[str, ...]:
    event = line.event
    person, codice_fiscale = _concerned(line)
    return (
        str(event.seq),
        format_datetime(event.at),
        line.operator_name,
        describe(event.action, event.entity_type),
        person,
        codice_fiscale,
    )


def _to_date(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class AuditView(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.model = TextTableModel(
            [
                self.tr("N."),
                self.tr("Data e ora"),
                self.tr("Operatore"),
                self.tr("Azione"),
                self.tr("Persona interessata"),
                self.tr("Codice fiscale"),
            ],
            self,
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        title = QLabel(self.tr("Registro attività"))
        title.setObjectName("pageTitle")
        layout.addWidget(title)
        layout.addLayout(self._filters())
        self.table = read_only_table(
            self.model, accessible_name=self.tr("Eventi del registro attività")
        )
        layout.addWidget(self.table, 1)
        self.shown = QLabel()
        self.shown.setObjectName("hint")
        layout.addWidget(self.shown)
        layout.addLayout(self._head_row())
        bottom = QHBoxLayout()
        self.anchor = QLineEdit()
        self.anchor.setPlaceholderText(
            self.tr("facoltativa: impronta annotata, per esempio 1234:3f2a 9c01 …")
        )
        self.anchor.setToolTip(
            self.tr(
                "Il numero e l'impronta dell'ultimo evento annotati in precedenza (sul foglio di "
                "recupero o a mano): la verifica controlla che il registro li contenga ancora."
            )
        )
        self.anchor.setAccessibleName(self.tr("Impronta annotata da controllare"))
        self.anchor.setMinimumWidth(320)
        self.anchor.returnPressed.connect(self.on_verify_clicked)
        anchor_caption = QLabel(self.tr("Impronta annotata:"))
        anchor_caption.setBuddy(self.anchor)
        bottom.addWidget(anchor_caption)
        bottom.addWidget(self.anchor)
        self.verify_button = QPushButton(self.tr("Verifica il registro…"))
        self.verify_button.setAccessibleName(self.tr("Verifica l'integrità del registro"))
        self.verify_button.clicked.connect(self.on_verify_clicked)
        self.verdict = QLabel()
        self.verdict.setWordWrap(True)
        self.verdict.setAccessibleName(self.tr("Esito della verifica"))
        bottom.addWidget(self.verify_button)
        bottom.addWidget(self.verdict, 1)
        layout.addLayout(bottom)

    def _head_row(self) -> QHBoxLayout:
        """The last event of the chain (number and grouped hash), to be written down."""
        row = QHBoxLayout()
        caption = QLabel(self.tr("Ultimo evento, da annotare:"))
        self.head_label = QLabel(self.tr("…"))
        self.head_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.head_label.setAccessibleName(self.tr("Numero e impronta dell'ultimo evento"))
        self.head_label.setToolTip(
            self.tr(
                "Annota numero e impronta fuori dal computer (o stampa il foglio di recupero): "
                "scrivendoli più avanti in «Impronta annotata» si scopre se nel frattempo il "
                "registro è stato riscritto o svuotato."
            )
        )
        self.copy_head_button = QPushButton(self.tr("Copia"))
        self.copy_head_button.setAccessibleName(
            self.tr("Copia numero e impronta dell'ultimo evento")
        )
        self.copy_head_button.setEnabled(False)
        self.copy_head_button.clicked.connect(self.on_copy_head_clicked)
        self.head: AuditHead | None = None
        row.addWidget(caption)
        row.addWidget(self.head_label)
        row.addWidget(self.copy_head_button)
        row.addStretch(1)
        return row

    def show_head(self, head: AuditHead | None) -> None:
        self.head = head
        self.copy_head_button.setEnabled(head is not None)
        self.head_label.setText(head.display if head is not None else self.tr("nessun evento"))

    def on_copy_head_clicked(self) -> None:
        if self.head is not None:
            QGuiApplication.clipboard().setText(self.head.written)

    def _filters(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.operator = QLineEdit()
        self.operator.setPlaceholderText(self.tr("tutti"))
        self.operator.setToolTip(self.tr("Il nome utente dell'operatore, per esempio mrossi"))
        self.operator.setAccessibleName(self.tr("Filtra per operatore"))
        self.operator.setMaximumWidth(160)
        self.action = QComboBox()
        self.action.setAccessibleName(self.tr("Filtra per azione"))
        self.action.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.action.setMinimumContentsLength(16)
        self.action.addItem(self.tr("Tutte"), "")
        for action in AuditAction:
            self.action.addItem(_label("AuditAction", ACTION_LABELS, action.value), action.value)
        today = QDate.currentDate()
        self.since = self._date_edit(today.addDays(-30), self.tr("Dal giorno"))
        self.until = self._date_edit(today, self.tr("Al giorno"))
        self.search_button = QPushButton(self.tr("Cerca"))
        self.search_button.setAccessibleName(self.tr("Cerca nel registro"))
        self.search_button.clicked.connect(self.activate)
        self.operator.returnPressed.connect(self.activate)
        for text, widget in (
            (self.tr("Operatore:"), self.operator),
            (self.tr("Azione:"), self.action),
            (self.tr("Dal:"), self.since),
            (self.tr("Al:"), self.until),
        ):
            caption = QLabel(text)
            caption.setBuddy(widget)
            row.addWidget(caption)
            row.addWidget(widget)
        row.addWidget(self.search_button)
        row.addStretch(1)
        return row

    @staticmethod
    def _date_edit(value: QDate, accessible: str) -> QDateEdit:
        edit = QDateEdit(value)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("dd/MM/yyyy")
        edit.setAccessibleName(accessible)
        return edit

    def current_filter(self) -> AuditFilter:
        return AuditFilter(
            operator=self.operator.text().strip() or None,
            action=str(self.action.currentData()) or None,
            since=_to_date(self.since.date()),
            until=_to_date(self.until.date()),
            limit=LIMIT,
        )

    def activate(self) -> None:
        workspace, flt = self.session.workspace, self.current_filter()

        def load() -> tuple[list[tuple[str, ...]], AuditHead | None]:
            lines = audit_log.list_audit_lines(
                workspace.uow_factory(), actor=workspace.actor, flt=flt
            )
            return [_row(line) for line in lines], audit_log.audit_head(workspace.uow_factory())

        self.session.tasks.run(load, on_done=self.on_events_loaded, owner=self)

    def on_events_loaded(self, loaded: tuple[list[tuple[str, ...]], AuditHead | None]) -> None:
        rows, head = loaded
        self.show_head(head)
        self.model.set_rows(rows)
        if len(rows) >= LIMIT:
            text = self.tr(
                "Mostrati i %1 eventi più recenti: restringi i filtri per vedere gli altri."
            ).replace("%1", format_count(LIMIT))
        elif not rows:
            text = self.tr("Nessun evento con questi filtri.")
        else:
            text = self.tr("%1 eventi, dal più recente.").replace("%1", format_count(len(rows)))
        self.shown.setText(text)

    def on_verify_clicked(self) -> None:
        anchor: AuditHead | None = None
        if self.anchor.text().strip():
            try:
                anchor = parse_audit_head(self.anchor.text())
            except UserFacingError as exc:
                self.verdict.setText(message_for(exc))
                set_severity(self.verdict, "error")
                self.anchor.setFocus()
                return
        self.verify_button.setEnabled(False)
        self.verdict.setText(self.tr("Verifica in corso…"))
        set_severity(self.verdict, "")
        workspace = self.session.workspace
        self.session.tasks.run(
            lambda: audit_log.verify_audit(workspace.uow_factory(), anchor=anchor),
            on_done=self.on_audit_verified,
            on_error=self.on_audit_verify_failed,
            owner=self,
        )

    def on_audit_verified(self, verdict: AuditVerdict) -> None:
        self.verify_button.setEnabled(True)
        self.show_head(verdict.head)
        anchor = verdict.anchor
        if verdict.ok:
            text = self.tr("Registro integro: %1 eventi verificati, nessuna alterazione.").replace(
                "%1", format_count(verdict.events)
            )
            if anchor is not None:
                text += " " + self.tr(
                    "L'impronta annotata (n. %1) è ancora nel registro: da allora non è stato "
                    "riscritto."
                ).replace("%1", str(anchor.seq))
            self.verdict.setText(text)
            set_severity(self.verdict, "ok")
            return
        if anchor is not None and verdict.anchor_holds is False:
            self.verdict.setText(
                message_for(UserFacingError("audit.anchor_missing", seq=anchor.seq))
            )
            set_severity(self.verdict, "error")
            return
        problems = ", ".join(
            self.tr("n. %1 (%2)")
            .replace("%1", str(p.seq))
            .replace("%2", _label("AuditProblem", PROBLEM_LABELS, p.kind))
            for p in verdict.problems[:20]
        )
        if len(verdict.problems) > 20:
            problems += ", …"
        self.verdict.setText(
            self.tr(
                "Registro ALTERATO: la catena si interrompe agli eventi "
                "%1. Conserva una copia dell'archivio e avvisa il "
                "responsabile della protezione dei dati."
            ).replace("%1", problems)
        )
        set_severity(self.verdict, "error")

    def on_audit_verify_failed(self, exc: BaseException) -> None:
        self.verify_button.setEnabled(True)
        self.verdict.clear()
        report_error(self.window(), exc)
