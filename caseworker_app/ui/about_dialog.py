"""«Informazioni su caseworker»: the version, where the data and the keys are, and the self-test.

The self-test (a :class:`~caseworker_app.ports.gateway.SelfTest` the composition root passes in,
bootstrap/self_test.py behind it) runs on the worker; each step is shown as it starts and ends,
through a signal that hops from the worker to the Qt thread. It works in a temporary folder
that is removed afterwards: the open store is never touched.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from caseworker_app import __version__
from caseworker_app.ports.gateway import SelfTest, SelfTestReport, SelfTestStep
from caseworker_app.ui import errors
from caseworker_app.ui.screen_fit import fit_to_screen
from caseworker_app.ui.session import Session
from caseworker_app.ui.theme import init_severity, set_severity
from caseworker_app.ui.wording import keystore_description

STEP_COLUMN, RESULT_COLUMN, TIME_COLUMN = 0, 1, 2
STEPS_MIN_HEIGHT = 200
STEPS_MAX_HEIGHT = 420  # the dialog fits a 1366x768 laptop screen
#: the colours of caseworker.qss for QLabel[severity=...] (items of a tree take no style sheet)
OK_COLOUR, ERROR_COLOUR = "#1b6e2e", "#b3261e"


def seconds_text(seconds: float) -> str:
    """«0,42 s»: seconds with a decimal comma."""
    return f"{seconds:.2f}".replace(".", ",") + " s"


class _Relay(QObject):
    """Carries the self-test's progress from the worker to the dialog (a queued signal). It has
    no parent, so it outlives a dialog closed while the test runs."""

    step = Signal(int, int, str, object)


class AboutDialog(QDialog):
    def __init__(
        self, session: Session, self_test: SelfTest | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.self_test = self_test
        self.running = False
        self.report: SelfTestReport | None = None
        self._relay: _Relay | None = None
        self.setWindowTitle(self.tr("Informazioni su caseworker"))
        self.setMinimumWidth(640)
        layout = QVBoxLayout(self)
        title = QLabel(self.tr("Caseworker"))
        title.setObjectName("dialogTitle")
        layout.addWidget(title)
        subtitle = QLabel(self.tr("Cartella sociale e istruttorie delle misure regionali."))
        subtitle.setWordWrap(True)
        layout.addWidget(subtitle)

        form = QFormLayout()
        self.version_label = self._value(__version__, self.tr("Versione"))
        form.addRow(self.tr("Versione:"), self.version_label)
        self.folder_label = self._value(
            str(session.workspace.root), self.tr("Cartella dei dati dell'archivio")
        )
        form.addRow(self.tr("Cartella dei dati:"), self.folder_label)
        self.keystore_label = self._value(
            keystore_description(session.info.keystore_kind),
            self.tr("Dove sono conservate le chiavi"),
        )
        form.addRow(self.tr("Chiavi:"), self.keystore_label)
        layout.addLayout(form)

        box = QGroupBox(self.tr("Autodiagnosi"))
        column = QVBoxLayout(box)
        hint = QLabel(
            self.tr(
                "Prova che il programma installato ha tutto ciò che serve: archivio cifrato, "
                "definizioni delle misure, verifica delle istanze, stampa e trasmissione. "
                "Lavora in una cartella temporanea che poi cancella: i dati dell'archivio non "
                "vengono toccati."
            )
        )
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        column.addWidget(hint)
        row = QHBoxLayout()
        self.run_button = QPushButton(self.tr("Esegui autodiagnosi"))
        self.run_button.setAccessibleName(self.tr("Esegui autodiagnosi"))
        self.run_button.clicked.connect(self.run_self_test)
        self.run_button.setEnabled(self_test is not None)
        row.addWidget(self.run_button)
        self.progress = QProgressBar()
        self.progress.setAccessibleName(self.tr("Avanzamento dell'autodiagnosi"))
        self.progress.setTextVisible(False)
        self.progress.hide()
        row.addWidget(self.progress, 1)
        row.addStretch()
        column.addLayout(row)
        self.steps = QTreeWidget()
        self.steps.setAccessibleName(self.tr("Passi dell'autodiagnosi"))
        self.steps.setColumnCount(3)
        self.steps.setHeaderLabels([self.tr("Passo"), self.tr("Esito"), self.tr("Durata")])
        self.steps.setRootIsDecorated(False)
        self.steps.setUniformRowHeights(True)
        self.steps.setSelectionMode(QTreeWidget.SelectionMode.NoSelection)
        header = self.steps.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(STEP_COLUMN, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(RESULT_COLUMN, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(TIME_COLUMN, QHeaderView.ResizeMode.ResizeToContents)
        self.steps.setMinimumHeight(STEPS_MIN_HEIGHT)
        self.steps.hide()
        column.addWidget(self.steps, 1)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName(self.tr("Esito dell'autodiagnosi"))
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        init_severity(self.summary, "")
        self.summary.hide()
        column.addWidget(self.summary)
        layout.addWidget(box, 1)
        buttons = QDialogButtonBox()
        self.close_button = buttons.addButton(
            self.tr("Chiudi"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.close_button.setAccessibleName(self.tr("Chiudi"))
        self.close_button.clicked.connect(self.reject)
        layout.addWidget(buttons)

    def sizeHint(self) -> QSize:
        # wrapped texts are as tall as the width they get: measure at the dialog's real width
        # (as WorkerDialog does), or the summary line is drawn over the list of steps
        hint = super().sizeHint()
        width = max(hint.width(), self.minimumWidth(), self.width())
        layout = self.layout()
        if layout is not None and layout.hasHeightForWidth():
            return QSize(width, layout.totalHeightForWidth(width))
        return QSize(width, hint.height())

    def _fit(self) -> None:
        """Grow (never shrink) to what the contents need now."""
        wanted = self.sizeHint()
        self.resize(max(self.width(), wanted.width()), max(self.height(), wanted.height()))
        fit_to_screen(self)  # grown downwards: moved back inside the screen

    def _value(self, text: str, accessible_name: str) -> QLabel:
        label = QLabel(text)
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        label.setAccessibleName(accessible_name)
        return label

    # -- the self-test -----------------------------------------------------------------------

    def run_self_test(self) -> None:
        if self.self_test is None or self.running:
            return
        self.running = True
        self.report = None
        self.run_button.setEnabled(False)
        self.run_button.setText(self.tr("Autodiagnosi in corso…"))
        self.steps.clear()
        self.steps.show()
        self.progress.setRange(0, 0)
        self.progress.setValue(0)
        self.progress.show()
        self.summary.hide()
        relay = _Relay()
        relay.step.connect(self.on_step)
        self._relay = relay
        self_test = self.self_test

        def progress(index: int, total: int, name: str, result: SelfTestStep | None) -> None:
            relay.step.emit(index, total, name, result)  # worker thread: queued to this one

        self.session.tasks.run(
            lambda: self_test(progress=progress),
            on_done=self.on_done,
            on_error=self.on_failed,
            owner=self,
        )

    def _row(self, index: int) -> QTreeWidgetItem:
        while self.steps.topLevelItemCount() <= index:
            item = QTreeWidgetItem(["", "", ""])
            item.setTextAlignment(TIME_COLUMN, Qt.AlignmentFlag.AlignRight)
            self.steps.addTopLevelItem(item)
        found = self.steps.topLevelItem(index)
        assert found is not None
        return found

    def _fit_rows(self, total: int) -> None:
        """Tall enough for every step, without a scroll bar (at most STEPS_MAX_HEIGHT)."""
        row = max(self.steps.sizeHintForRow(0), self.steps.fontMetrics().height())
        frame = 2 * self.steps.frameWidth()
        height = self.steps.header().sizeHint().height() + total * row + frame + row // 2
        self.steps.setMinimumHeight(max(STEPS_MIN_HEIGHT, min(height, STEPS_MAX_HEIGHT)))

    def on_step(self, index: int, total: int, name: str, result: object) -> None:
        if self.progress.maximum() != total:
            self.progress.setRange(0, total)
        item = self._row(index)
        if index == 0:
            self._fit_rows(total)
            self._fit()
        item.setText(STEP_COLUMN, name)
        if not isinstance(result, SelfTestStep):
            item.setText(RESULT_COLUMN, self.tr("in corso…"))
            self.steps.scrollToItem(item)
            return
        item.setText(RESULT_COLUMN, self.tr("riuscito") if result.ok else self.tr("non riuscito"))
        item.setText(TIME_COLUMN, seconds_text(result.seconds))
        item.setForeground(RESULT_COLUMN, QBrush(QColor(OK_COLOUR if result.ok else ERROR_COLOUR)))
        if not result.ok:
            item.setToolTip(STEP_COLUMN, result.error)
            item.setToolTip(RESULT_COLUMN, result.error)
        self.progress.setValue(index + 1)

    def _finish(self) -> None:
        self.running = False
        self._relay = None
        self.progress.hide()
        self.run_button.setText(self.tr("Esegui di nuovo l'autodiagnosi"))
        self.run_button.setEnabled(True)
        self.summary.show()

    def on_done(self, report: SelfTestReport) -> None:
        self.report = report
        self._finish()
        failed = report.failed
        if failed is None:
            text = self.tr("Autodiagnosi riuscita: %1 passi in %2. Il programma ha tutto ciò "
                           "che serve.")  # fmt: skip
            self.summary.setText(
                text.replace("%1", str(len(report.steps))).replace(
                    "%2", seconds_text(report.seconds)
                )
            )
            set_severity(self.summary, "ok")
        else:
            text = self.tr("Autodiagnosi non riuscita al passo «%1»: %2. Segnala questo "
                           "messaggio all'assistenza.")  # fmt: skip
            self.summary.setText(text.replace("%1", failed.name).replace("%2", failed.error))
            set_severity(self.summary, "error")
        self._fit()

    def on_failed(self, exc: BaseException) -> None:
        """The self-test itself could not run (no temporary folder, a bug): triaged."""
        self._finish()
        self.summary.setText(self.tr("L'autodiagnosi non è stata eseguita."))
        set_severity(self.summary, "error")
        self._fit()
        errors.report_error(self, exc)


def open_about_dialog(session: Session, self_test: SelfTest | None, parent: QWidget) -> AboutDialog:
    """Open the dialog window-modal (hidden with the window when it locks)."""
    dialog = AboutDialog(session, self_test, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
