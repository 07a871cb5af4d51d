"""«Nuova edizione da…»: the Ufficio di Piano writes the next edition of an avviso (issue 13).

The form shows what changes between editions (dates and deadlines, budgets, ISEE ceilings,
amounts, priority classes and ordering keys, documents, incompatible measures), prefilled from
the source. Every edit is checked on the worker by the loader of ``forms/`` (a short pause after
typing): the message goes under the field it concerns, and the panel on the right shows what the
edition grants the worked example (a typical beneficiary's istanza built from the avviso).
«Salva bozza» stores the draft; releasing it is the page's «Rilascia».
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from caseworker_app.definitions.avvisi import parse_avviso
from caseworker_app.definitions.avviso_edition import (
    EditionChanges,
    EditionFieldError,
    write_edition,
)
from caseworker_app.definitions.avviso_sample import preview
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.rules.avviso import Avviso
from caseworker_app.domain.values import format_amount
from caseworker_app.messages import render
from caseworker_app.ports.desk_storage import AvvisoEdition
from caseworker_app.services import avviso_editions
from caseworker_app.ui import errors
from caseworker_app.ui.avviso_edition_fields import (
    CHOICE,
    CLASSES,
    DATE,
    EditField,
    changes_from,
    fields_of,
)
from caseworker_app.ui.date_picker import add_calendar_button
from caseworker_app.ui.formats import format_date
from caseworker_app.ui.theme import init_severity, set_severity

if TYPE_CHECKING:
    from caseworker_app.ui.session import Session

_OUTCOMES = {
    "ammissibile": "ammissibile",
    "da_integrare": "da integrare",
    "non_ammissibile": "non ammissibile",
}


@dataclass(frozen=True)
class Source:
    """What the dialog starts from: a definition in force, or a draft to change."""

    avviso: str
    version: str
    data: bytes
    draft: AvvisoEdition | None = None


@dataclass(frozen=True)
class Checked:
    """The worker's answer on the form's current values."""

    problems: dict[str, str]  # field id (or "" for the file) -> message
    preview: str
    incomplete: str  # a template still to complete: what is missing


def load_source(session: Session, avviso_id: str, version: str) -> Source:
    """Worker only: the bytes of a definition in force."""
    with session.workspace.uow_factory() as uow:
        data = avviso_editions.source_bytes(uow, avviso_id, version)
    return Source(avviso_id, version, data)


def check_edition(
    source: Source, new_id: str, new_version: str, changes: EditionChanges
) -> Checked:
    """Worker only: the edition written and read back, and its preview."""
    try:
        written = write_edition(
            source.data,
            based_on=f"{source.avviso}@{source.version}",
            new_id=new_id,
            new_version=new_version,
            changes=changes,
        )
    except EditionFieldError as exc:
        return Checked({exc.field: render(exc.code, exc.params)}, "", "")
    if written.missing is not None:
        field, what = written.missing
        return Checked({}, "", f"«{EditField(field, '', '', '').label}»: {what}.")
    return Checked({}, preview_text(written.avviso), "")


def preview_text(avviso: Avviso) -> str:
    """What the avviso grants the worked example, in words."""
    result = preview(avviso)
    verdict, record = result.verdict, result.record
    lines = [
        f"Istanza di esempio presentata il {format_date(result.on)}: beneficiaria di "
        f"{verdict.age} anni, residente nell'ambito, al domicilio, con ISEE "
        f"{format_amount(record.isee[0].value, symbol=True) if record.isee else '—'}.",
        "",
        f"Esito: {_OUTCOMES.get(verdict.outcome.value, verdict.outcome.value)} — "
        f"importo riconosciuto {format_amount(verdict.amount, symbol=True)}.",
    ]
    if verdict.priority_class is not None:
        lines.append(f"Classe di priorità: {verdict.priority_class}.")
    lines.append("")
    for line in verdict.lines:
        asked = format_amount(line.requested, symbol=True)
        granted = format_amount(line.granted, symbol=True)
        lines.append(f"• {line.code}: chiesti {asked}, riconosciuti {granted}. {line.message}")
    not_ok = [c.message for c in verdict.checks if c.status.value != "ok"]
    if not_ok:
        lines += ["", "Requisiti da guardare:", *(f"• {m}" for m in not_ok)]
    return "\n".join(lines)


def next_id(avviso_id: str) -> str:
    """The id of the next edition: the last year in the id plus one (``…-2023`` → ``…-2024``)."""
    years = list(re.finditer(r"(?<![0-9])(20[0-9]{2})(?![0-9])", avviso_id))
    if not years:
        return avviso_id
    last = years[-1]
    return avviso_id[: last.start()] + str(int(last.group(1)) + 1) + avviso_id[last.end() :]


class AvvisoEditionDialog(QDialog):
    #: a draft was saved (the edition)
    edition_saved = Signal(object)

    def __init__(self, session: Session, source: Source, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.source = source
        self.avviso = parse_avviso(source.data, file=f"{source.avviso}.toml")
        self.fields = fields_of(self.avviso)
        self.inputs: dict[str, QWidget] = {}
        self.messages: dict[str, QLabel] = {}
        self.checking = False
        self.saving = False
        self.last: Checked | None = None
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(300)
        self.timer.timeout.connect(self.check)
        draft = source.draft
        self.setWindowTitle(self.tr("Modifica bozza") if draft else self.tr("Nuova edizione da %1"))
        if not draft:
            self.setWindowTitle(self.windowTitle().replace("%1", source.avviso))
        self._build()
        self.check()
        self.resize(1180, 700)

    # -- building ----------------------------------------------------------------------------

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        title = QLabel(self.windowTitle())
        title.setObjectName("dialogTitle")
        layout.addWidget(title)
        intro = QLabel(
            self.tr(
                "Parti da «%1» (versione %2) e cambia solo ciò che cambia nella nuova edizione. "
                "Ogni valore è controllato come i file degli avvisi: il messaggio compare sotto "
                "il campo. A destra, che cosa riconosce l'avviso a un'istanza di esempio."
            )
            .replace("%1", self.avviso.title)
            .replace("%2", self.source.version)
        )
        intro.setWordWrap(True)
        intro.setObjectName("hint")
        layout.addWidget(intro)
        identity = QHBoxLayout()
        draft = self.source.draft
        self.id_edit = QLineEdit(draft.avviso if draft else next_id(self.source.avviso))
        self.version_edit = QLineEdit(draft.version if draft else self._next_version())
        self.version_edit.setMaximumWidth(70)
        for text, edit in ((self.tr("&Identificativo:"), self.id_edit),
                           (self.tr("&Versione:"), self.version_edit)):  # fmt: skip
            caption = QLabel(text)
            caption.setBuddy(edit)
            edit.setAccessibleName(text.replace("&", "").rstrip(":"))
            edit.setReadOnly(draft is not None)
            edit.textChanged.connect(lambda _t: self.timer.start())
            identity.addWidget(caption)
            identity.addWidget(edit, 3 if edit is self.id_edit else 0)
        layout.addLayout(identity)
        self.id_message = self._message("id")
        self.version_message = self._message("version")
        layout.addWidget(self.id_message)
        layout.addWidget(self.version_message)

        body = QHBoxLayout()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        form_host = QWidget()
        column = QVBoxLayout(form_host)
        groups: dict[str, QFormLayout] = {}
        for f in self.fields:
            if f.group not in groups:
                box = QGroupBox(f.group)
                form = QFormLayout(box)
                form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
                groups[f.group] = form
                column.addWidget(box)
            groups[f.group].addRow(self._caption(f), self._field(f))
        column.addStretch(1)
        scroll.setWidget(form_host)
        body.addWidget(scroll, 3)
        side = QGroupBox(self.tr("Anteprima: istanza di esempio"))
        side_column = QVBoxLayout(side)
        self.preview = QLabel()
        self.preview.setWordWrap(True)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.preview.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.preview.setAccessibleName(self.tr("Anteprima dell'istanza di esempio"))
        preview_scroll = QScrollArea()
        preview_scroll.setWidgetResizable(True)
        preview_scroll.setWidget(self.preview)
        side_column.addWidget(preview_scroll)
        body.addWidget(side, 2)
        layout.addLayout(body, 1)
        self.file_message = self._message("")
        layout.addWidget(self.file_message)
        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton(
            self.tr("&Salva bozza"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.save_button.clicked.connect(self.save)
        cancel = buttons.addButton(self.tr("Annulla"), QDialogButtonBox.ButtonRole.RejectRole)
        cancel.clicked.connect(self.reject)
        layout.addWidget(buttons)

    def _next_version(self) -> str:
        return (
            str(int(self.source.version) + 1)
            if next_id(self.source.avviso) == self.source.avviso
            else "1"
        )

    def _message(self, key: str) -> QLabel:
        label = QLabel()
        label.setWordWrap(True)
        init_severity(label, "")
        label.hide()
        self.messages[key] = label
        return label

    def _caption(self, f: EditField) -> QLabel:
        return QLabel(f.label + ":")

    def _field(self, f: EditField) -> QWidget:
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        widget: QWidget
        if f.kind == CHOICE:
            combo = QComboBox()
            combo.addItem(self.tr("(da scegliere)"), "")
            for choice in f.choices:
                combo.addItem(choice, choice)
            combo.setCurrentIndex(max(combo.findData(f.initial), 0))
            combo.currentIndexChanged.connect(lambda _i: self.timer.start())
            widget = combo
        elif f.kind == CLASSES:
            text = QPlainTextEdit(f.initial)
            text.setFixedHeight(72)
            text.setPlaceholderText(self.tr("priorità | etichetta | misure in atto"))
            text.textChanged.connect(self.timer.start)
            widget = text
        else:
            line = QLineEdit(f.initial)
            if f.kind == DATE:
                line.setPlaceholderText(self.tr("gg/mm/aaaa"))
                add_calendar_button(line)
            line.textChanged.connect(lambda _t: self.timer.start())
            widget = line
        widget.setAccessibleName(f.label)
        self.inputs[f.key] = widget
        column.addWidget(widget)
        column.addWidget(self._message(f.key))
        return holder

    # -- checking ----------------------------------------------------------------------------

    def texts(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for key, widget in self.inputs.items():
            if isinstance(widget, QComboBox):
                found[key] = str(widget.currentData() or "")
            elif isinstance(widget, QPlainTextEdit):
                found[key] = widget.toPlainText()
            elif isinstance(widget, QLineEdit):
                found[key] = widget.text()
        return found

    def check(self) -> None:
        if self.checking:
            self.timer.start()  # again once the answer in flight arrives
            return
        changes, problems = changes_from(self.fields, self.texts(), self.avviso)
        self.checking = True
        source, new_id, version = (
            self.source,
            self.id_edit.text().strip(),
            self.version_edit.text().strip(),
        )
        self.session.tasks.run(
            lambda: check_edition(source, new_id, version, changes),
            on_done=lambda checked: self.on_checked(checked, problems),
            owner=self,
        )

    def on_checked(self, checked: Checked, local: dict[str, str]) -> None:
        self.checking = False
        problems = {**checked.problems, **local}
        self.last = Checked(problems, checked.preview, checked.incomplete)
        for key, label in self.messages.items():
            text = problems.get(key, "")
            if not key and not text and checked.incomplete:
                text = self.tr("Modello ancora da completare: %1").replace("%1", checked.incomplete)
            label.setText(text)
            label.setVisible(bool(text))
            set_severity(label, "error" if key in problems else ("warning" if text else ""))
            widget = self.inputs.get(key)
            if widget is not None:
                widget.setAccessibleDescription(text)
        if checked.preview:
            self.preview.setText(checked.preview)
        elif problems:
            self.preview.setText(self.tr("Correggi i valori segnalati per vedere l'anteprima."))
        else:
            self.preview.setText(self.tr("L'anteprima compare quando il modello è completo."))
        self.save_button.setEnabled(not problems and not self.saving)

    # -- saving ------------------------------------------------------------------------------

    def save(self) -> None:
        if self.saving or self.checking or self.timer.isActive():
            self.timer.stop()
            self.check()
            return
        changes, problems = changes_from(self.fields, self.texts(), self.avviso)
        if problems:
            return
        self.saving = True
        self.save_button.setEnabled(False)
        session, source = self.session, self.source
        new_id, version = self.id_edit.text().strip(), self.version_edit.text().strip()
        uow, actor, now = session.workspace.uow_factory, session.workspace.actor, session.now()

        def work() -> AvvisoEdition:
            if source.draft is not None:
                return avviso_editions.update_draft(
                    uow(), actor=actor, edition_id=source.draft.id, changes=changes, now=now
                )
            return avviso_editions.new_edition(
                uow(),
                actor=actor,
                source_id=source.avviso,
                source_version=source.version,
                new_id=new_id,
                new_version=version,
                changes=changes,
                now=now,
            )

        self.session.tasks.run(
            work, on_done=self.on_saved, on_error=self.on_save_failed, owner=self
        )

    def on_saved(self, edition: AvvisoEdition) -> None:
        self.saving = False
        self.edition_saved.emit(edition)
        self.accept()

    def on_save_failed(self, exc: BaseException) -> None:
        self.saving = False
        self.save_button.setEnabled(True)
        if isinstance(exc, EditionFieldError):
            self.on_checked(Checked({exc.field: render(exc.code, exc.params)}, "", ""), {})
        elif isinstance(exc, UserFacingError) and exc.code == "editions.exists":
            self.on_checked(Checked({"id": render(exc.code, exc.params)}, "", ""), {})
        else:
            errors.report_error(self, exc)
