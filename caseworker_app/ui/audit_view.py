"""The audit log (administrators): filters, the events, and the integrity check of the chain."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QDate
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

from caseworker_app.domain.audit import AuditAction, AuditEvent
from caseworker_app.services import audit_log
from caseworker_app.services.audit_log import AuditVerdict
from caseworker_app.services.ports import AuditFilter
from caseworker_app.ui.errors import report_error
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
    "setting": str(QT_TRANSLATE_NOOP("AuditEntity", "Impostazione")),
}
PROBLEM_LABELS: dict[str, str] = {
    "altered": str(QT_TRANSLATE_NOOP("AuditProblem", "alterato")),
    "missing": str(QT_TRANSLATE_NOOP("AuditProblem", "mancante")),
    "broken_link": str(QT_TRANSLATE_NOOP("AuditProblem", "collegamento interrotto")),
}


def _label(context: str, table: dict[str, str], key: str) -> str:
    return QCoreApplication.translate(context, table[key]) if key in table else key


def _row(event: AuditEvent) -> tuple[str, ...]:
    return (
        str(event.seq),
        format_datetime(event.at),
        event.operator,
        _label("AuditAction", ACTION_LABELS, event.action),
        _label("AuditEntity", ENTITY_LABELS, event.entity_type),
        event.entity_id,
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
                self.tr("Oggetto"),
                self.tr("Identificativo"),
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
        bottom = QHBoxLayout()
        self.verify_button = QPushButton(self.tr("Verifica integrità"))
        self.verify_button.setAccessibleName(self.tr("Verifica l'integrità del registro"))
        self.verify_button.clicked.connect(self.on_verify_clicked)
        self.verdict = QLabel()
        self.verdict.setWordWrap(True)
        self.verdict.setAccessibleName(self.tr("Esito della verifica"))
        bottom.addWidget(self.verify_button)
        bottom.addWidget(self.verdict, 1)
        layout.addLayout(bottom)

    def _filters(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.operator = QLineEdit()
        self.operator.setPlaceholderText(self.tr("tutti"))
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

        def load() -> list[tuple[str, ...]]:
            events = audit_log.list_audit(workspace.uow_factory(), actor=workspace.actor, flt=flt)
            return [_row(e) for e in events]

        self.session.tasks.run(load, on_done=self.on_events_loaded, owner=self)

    def on_events_loaded(self, rows: list[tuple[str, ...]]) -> None:
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
        self.verify_button.setEnabled(False)
        self.verdict.setText(self.tr("Verifica in corso…"))
        set_severity(self.verdict, "")
        workspace = self.session.workspace
        self.session.tasks.run(
            lambda: audit_log.verify_audit(workspace.uow_factory()),
            on_done=self.on_audit_verified,
            on_error=self.on_audit_verify_failed,
            owner=self,
        )

    def on_audit_verified(self, verdict: AuditVerdict) -> None:
        self.verify_button.setEnabled(True)
        if verdict.ok:
            self.verdict.setText(
                self.tr("Registro integro: %1 eventi verificati, nessuna alterazione.").replace(
                    "%1", format_count(verdict.events)
                )
            )
            set_severity(self.verdict, "ok")
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
