"""Deadlines. For now: the backup reminder; document and ISEE deadlines come with the istanze."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from caseworker_app.services.settings import BACKUP_REMINDER_DAYS
from caseworker_app.ui.backup import BackupController, backup_overdue, describe_last_backup
from caseworker_app.ui.session import Session
from caseworker_app.ui.theme import set_severity


class ScadenzeView(QWidget):
    def __init__(
        self, session: Session, backups: BackupController, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.backups = backups
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        title = QLabel(self.tr("Scadenze"))
        title.setObjectName("pageTitle")
        layout.addWidget(title)
        row = QFrame()
        row.setFrameShape(QFrame.Shape.StyledPanel)
        line = QHBoxLayout(row)
        self.backup_state = QLabel()
        self.backup_state.setWordWrap(True)
        self.backup_state.setAccessibleName(self.tr("Stato del backup"))
        self.backup_button = QPushButton(self.tr("Esegui backup ora"))
        self.backup_button.setAccessibleName(self.tr("Esegui backup ora"))
        self.backup_button.clicked.connect(lambda: backups.run_backup())
        line.addWidget(self.backup_state, 1)
        line.addWidget(self.backup_button)
        layout.addWidget(row)
        note = QLabel(
            self.tr(
                "Le scadenze dei documenti promessi (per esempio l'attestazione ISEE da consegnare "
                "entro una data) e delle verifiche dei Progetti Individuali compariranno qui con "
                "la gestione delle istanze, in una prossima versione."
            )
        )
        note.setObjectName("emptyState")
        note.setWordWrap(True)
        layout.addWidget(note)
        layout.addStretch(1)
        layout.setAlignment(Qt.AlignmentFlag.AlignTop)
        backups.backup_done.connect(lambda _report: self.activate())

    def activate(self) -> None:
        days = self.session.settings[BACKUP_REMINDER_DAYS.key]
        overdue = backup_overdue(self.session)
        text = describe_last_backup(self.session) + " "
        if overdue:
            text += self.tr("Backup da fare: il promemoria è impostato ogni %1 giorni.")
        else:
            text += self.tr("Nessuna scadenza: il prossimo promemoria tra al massimo %1 giorni.")
        self.backup_state.setText(text.replace("%1", str(days)))
        set_severity(self.backup_state, "warning" if overdue else "ok")
