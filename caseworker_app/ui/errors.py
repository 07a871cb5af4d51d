"""The one place where errors are triaged (style rule 5, after Electrum's ``on_error``).

- :class:`Cancelled`: the user stopped something; nothing is shown.
- :class:`UserFacingError`: an Italian message rendered from its code and parameters.
- anything else is a bug: logged WITHOUT personal data (exception type and code locations only,
  never the message, arguments or locals, which may hold what was typed) and shown in a dialog
  with "Copia dettagli".
"""

from __future__ import annotations

import logging
import traceback
from pathlib import PurePath

from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from caseworker_app import __version__
from caseworker_app.domain.errors import Cancelled, UserFacingError
from caseworker_app.domain.validation import Issue
from caseworker_app.messages import CATALOG, render

_LOG = logging.getLogger("caseworker.ui")


def message_for(exc: UserFacingError) -> str:
    """The Italian text of a user-facing error (with the reason of ``cf.invalid``)."""
    if exc.code not in CATALOG:
        return render("ui.unknown_error_code", {"code": exc.code})
    text = render(exc.code, exc.params)
    reason = exc.params.get("reason")
    if isinstance(reason, str) and reason in CATALOG:
        text = f"{text} {render(reason, exc.params)}"
    return text


def issue_message(issue: Issue) -> str:
    return render(issue.code, issue.params)


def _short(filename: str) -> str:
    # The last two components only: a full path may contain the Windows user name.
    parts = PurePath(filename).parts
    return "/".join(parts[-2:])


def bug_details(exc: BaseException) -> str:
    """Where the bug happened: versions, exception types and frames. No messages, no values."""
    import platform

    lines = [
        f"caseworker {__version__}",
        f"Python {platform.python_version()} su {platform.system()} {platform.release()}",
    ]
    current: BaseException | None = exc
    seen: set[int] = set()
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        kind = type(current)
        lines.append(f"{kind.__module__}.{kind.__qualname__}")
        for frame in traceback.extract_tb(current.__traceback__):
            lines.append(f"  {_short(frame.filename)}:{frame.lineno} in {frame.name}")
        current = current.__cause__ or current.__context__
        if current is not None:
            lines.append("causato da:")
    return "\n".join(lines)


def report_error(parent: QWidget | None, exc: BaseException) -> QDialog | None:
    """Show ``exc`` to the user according to its kind (non-blocking); return the dialog shown,
    if any, so that a caller may wait for it to be closed."""
    from PySide6.QtCore import Qt  # not needed before the first window: imported late

    if isinstance(exc, Cancelled):
        return None
    if isinstance(exc, UserFacingError):
        _LOG.info("user-facing error: %s", exc.code)  # the code only, never the parameters
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            QGuiApplication.translate("ErrorReport", "Operazione non riuscita"),
            message_for(exc),
            QMessageBox.StandardButton.Ok,
            parent,
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        return box
    details = bug_details(exc)
    _LOG.error("unexpected error\n%s", details)
    dialog = BugReportDialog(details, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


class BugReportDialog(QDialog):
    """ "Si è verificato un errore imprevisto" with the details that can be copied."""

    def __init__(self, details: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.details = details
        self.setWindowTitle(self.tr("Errore imprevisto"))
        layout = QVBoxLayout(self)
        title = QLabel(self.tr("Si è verificato un errore imprevisto"))
        title.setObjectName("dialogTitle")
        layout.addWidget(title)
        explanation = QLabel(
            self.tr(
                "Il lavoro già salvato non è andato perso. Se il problema si ripete, copia i "
                "dettagli e inviali all'assistenza: contengono solo la posizione dell'errore nel "
                "programma, nessun dato delle persone."
            )
        )
        explanation.setWordWrap(True)
        layout.addWidget(explanation)
        text = QPlainTextEdit(details)
        text.setReadOnly(True)
        text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        text.setAccessibleName(self.tr("Dettagli tecnici dell'errore"))
        layout.addWidget(text)
        buttons = QDialogButtonBox()
        copy = QPushButton(self.tr("Copia dettagli"))
        copy.setAccessibleName(self.tr("Copia dettagli"))
        copy.clicked.connect(self.on_copy_clicked)
        buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        close = buttons.addButton(self.tr("Chiudi"), QDialogButtonBox.ButtonRole.RejectRole)
        close.clicked.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(560, 360)

    def on_copy_clicked(self) -> None:
        QGuiApplication.clipboard().setText(self.details)
