"""The "Confermo" boxes of the anagrafica form: below a warning that asks the operator to
confirm the typed value (e.g. a birth date that differs from the codice fiscale), a box that
records the confirmation; once confirmed for those very values, the message is no longer amber."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QCheckBox, QLabel, QVBoxLayout, QWidget

from caseworker_app.domain.person import (
    CONFIRMABLE_CODES,
    Anagrafica,
    AnagraficaConfirmation,
    is_confirmed,
)
from caseworker_app.domain.validation import Issue, Severity
from caseworker_app.ui.theme import set_severity


def with_confirm_box(
    field: str, message: QLabel, *, title: str, on_clicked: Callable[[str, bool], None]
) -> tuple[QWidget, QCheckBox]:
    """The field's message line, with the box that confirms a warning asking to (shown
    only then); ``title`` names the field, ``on_clicked(field, checked)`` hears the box."""
    holder = QWidget()
    column = QVBoxLayout(holder)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(2)
    column.addWidget(message)
    box = QCheckBox(
        QCoreApplication.translate(
            "AnagraficaForm", "Confermo: ho controllato su un documento, il dato è corretto"
        )
    )
    box.setObjectName(f"confirm_{field}")
    box.setAccessibleName(
        QCoreApplication.translate(
            "AnagraficaForm", "Confermo %1 anche se diverso dal codice fiscale"
        ).replace("%1", title)
    )
    box.hide()
    box.clicked.connect(lambda checked, f=field: on_clicked(f, checked))
    column.addWidget(box, 0, Qt.AlignmentFlag.AlignLeft)
    return holder, box


def confirmable_issue(issues: Iterable[Issue], field: str) -> Issue | None:
    """The warning on ``field`` that asks to be confirmed, if any."""
    for issue in issues:
        if (
            issue.field == field
            and issue.severity is Severity.WARNING
            and issue.code in CONFIRMABLE_CODES
        ):
            return issue
    return None


def show_confirmations(
    boxes: Mapping[str, QCheckBox],
    shown: Mapping[str, Issue],
    *,
    anagrafica: Anagrafica,
    confirmations: Iterable[AnagraficaConfirmation],
    messages: Mapping[str, QLabel],
    inputs: Mapping[str, QWidget],
) -> None:
    """A "Confermo" box below each ``shown`` warning that asks to confirm, ticked when
    ``confirmations`` hold it for ``anagrafica``; then the message is no longer amber."""
    confirmed = list(confirmations)
    for field, box in boxes.items():
        issue = shown.get(field)
        asks = (
            issue is not None
            and issue.severity is Severity.WARNING
            and issue.code in CONFIRMABLE_CODES
        )
        box.setVisible(asks)
        if issue is None or not asks:
            box.setChecked(False)
            continue
        done = is_confirmed(issue, anagrafica, confirmed)
        box.setChecked(done)
        if done:
            message = messages[field]
            set_severity(message, "")
            inputs[field].setAccessibleDescription(
                message.text() + " " + QCoreApplication.translate("AnagraficaForm", "Confermato.")
            )
