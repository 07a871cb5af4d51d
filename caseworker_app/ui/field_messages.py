"""The message under each field of a form: the most severe finding of that field, in words,
as the label's text and the field's accessible description (shared by every form)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from PySide6.QtWidgets import QLabel, QWidget

from caseworker_app.domain.validation import Issue, Severity
from caseworker_app.ui.errors import issue_message
from caseworker_app.ui.theme import set_severity


def worst_per_field(issues: Iterable[Issue]) -> dict[str, Issue]:
    """For each field, its error if it has one, else its first warning."""
    chosen: dict[str, Issue] = {}
    for issue in issues:
        current = chosen.get(issue.field)
        if current is None or (
            current.severity is Severity.WARNING and issue.severity is Severity.ERROR
        ):
            chosen[issue.field] = issue
    return chosen


def show_messages(
    shown: Mapping[str, Issue], labels: Mapping[str, QLabel], inputs: Mapping[str, QWidget]
) -> None:
    """Write each field's finding under it (or clear it), with its colour and for screen
    readers."""
    for field, label in labels.items():
        issue = shown.get(field)
        widget = inputs[field]
        if issue is None:
            label.hide()
            label.clear()
            set_severity(label, "")
            widget.setAccessibleDescription("")
            continue
        text = issue_message(issue)
        label.setText(text)
        set_severity(label, issue.severity.value)
        label.show()
        widget.setAccessibleDescription(text)
