"""A section of the case file: the list of its entries and a form for the selected one.

Loaded on the worker when first shown. Edits are saved ~700 ms later, serialised, each save
carrying every entry edited since the last; ids come from ``new_id()``, so a save is an upsert.
The worker functions (``fetch``, ``store``, ``remove``) never touch a widget. While the
cartella is closed the section is read-only (``set_read_only``): entries can be selected and
read, nothing can be added, changed or deleted.
"""

from __future__ import annotations

from datetime import datetime
from typing import Generic, TypeVar

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from caseworker_app.domain.ids import CaseId, new_id
from caseworker_app.domain.validation import Issue
from caseworker_app.ports.gateway import Workspace
from caseworker_app.ui import errors
from caseworker_app.ui.case_sections.entry_table import entry_table
from caseworker_app.ui.case_sections.field_form import FieldForm
from caseworker_app.ui.formats import format_time
from caseworker_app.ui.session import Session
from caseworker_app.ui.text_table_model import TextTableModel

T = TypeVar("T")

AUTOSAVE_DELAY_MS = 700


class SectionPanel(QWidget, Generic[T]):
    #: no save is pending or in flight any more
    became_idle = Signal()

    #: new entries go at the top of the list (the diary, newest first)
    new_on_top = False
    #: entries may be deleted (diary notes may not)
    can_delete = True

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.case_id: CaseId | None = None
        self.entries: list[tuple[str, T]] = []
        self.current: str | None = None
        self.read_only = False
        self.is_loaded = False
        self._loading = False
        self._stored: set[str] = set()
        self._pending: dict[str, T] = {}
        self._saving = False
        self._autosave = QTimer(self)
        self._autosave.setSingleShot(True)
        self._autosave.setInterval(AUTOSAVE_DELAY_MS)
        self._autosave.timeout.connect(self.save_now)
        self._build()
        self.setEnabled(False)

    # -- to be provided by each section ----------------------------------------------------

    def headers(self) -> list[str]:
        raise NotImplementedError

    def list_name(self) -> str:
        """The accessible name of the list."""
        raise NotImplementedError

    def add_label(self) -> str:
        return self.tr("Aggiungi")

    def build_form(self, form: FieldForm) -> None:
        raise NotImplementedError

    def new_value(self, entry_id: str) -> T:
        raise NotImplementedError

    def fill(self, form: FieldForm, value: T) -> None:
        raise NotImplementedError

    def read(self, form: FieldForm, previous: T) -> tuple[T, list[Issue]]:
        """The value in the form, and the findings of parsing what was typed."""
        raise NotImplementedError

    def validate(self, value: T) -> list[Issue]:
        raise NotImplementedError

    def row(self, value: T) -> tuple[str, ...]:
        raise NotImplementedError

    # Worker functions: called on the worker thread, they must not touch any widget.

    def fetch(self, workspace: Workspace, case_id: CaseId) -> list[tuple[str, T]]:
        raise NotImplementedError

    def store(
        self, workspace: Workspace, case_id: CaseId, entry_id: str, value: T, now: datetime
    ) -> None:
        raise NotImplementedError

    def remove(self, workspace: Workspace, case_id: CaseId, entry_id: str, now: datetime) -> None:
        raise NotImplementedError

    def current_changed(self) -> None:
        """Hook: the selected entry changed (or was reloaded)."""

    def extra_buttons(self) -> list[QPushButton]:
        return []

    # -- construction ----------------------------------------------------------------------

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        self._waiting_hint = self.tr(
            "La sezione si attiva appena la cartella è salvata: compila l'anagrafica."
        )
        self.hint = QLabel(self._waiting_hint)
        self.hint.setObjectName("hint")
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)
        buttons = QHBoxLayout()
        self.add_button = QPushButton(self.add_label())
        self.add_button.setAccessibleName(self.add_label())
        self.add_button.clicked.connect(self.on_add_clicked)
        self.delete_button = QPushButton(self.tr("Elimina"))
        self.delete_button.setAccessibleName(self.tr("Elimina la voce selezionata"))
        self.delete_button.setToolTip(self.tr("Elimina la voce selezionata (tasto Canc)"))
        self.delete_button.clicked.connect(self.on_delete_clicked)
        buttons.addWidget(self.add_button)
        self._extra_buttons = self.extra_buttons()
        for extra in self._extra_buttons:
            buttons.addWidget(extra)
        buttons.addWidget(self.delete_button)
        self.delete_button.setVisible(self.can_delete)
        buttons.addStretch(1)
        self.status = QLabel()
        self.status.setObjectName("hint")
        self.status.setAccessibleName(self.tr("Stato del salvataggio della sezione"))
        buttons.addWidget(self.status)
        layout.addLayout(buttons)
        self.model = TextTableModel(self.headers(), self)
        self.table: QTableView = entry_table(
            self.model, accessible_name=self.list_name(), on_delete=self.on_delete_clicked,
            on_enter=self.focus_form,
        )  # fmt: skip
        self.table.selectionModel().currentRowChanged.connect(self.on_row_changed)
        self.form = FieldForm()
        self.below_form = QVBoxLayout()
        self.side = QVBoxLayout()  # beside the form (the documents' preview)
        self.build_form(self.form)
        self.form.finish()
        self.form.edited.connect(self.on_form_edited)
        self.form.setEnabled(False)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        holder = QWidget()
        inner = QVBoxLayout(holder)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.addWidget(self.form)
        inner.addLayout(self.below_form)
        inner.addStretch(1)
        scroll.setWidget(holder)
        bottom = QSplitter(Qt.Orientation.Horizontal)
        bottom.addWidget(scroll)
        if self.side.count():
            side = QWidget()
            side.setLayout(self.side)
            bottom.addWidget(side)
            bottom.setStretchFactor(0, 1)
            bottom.setStretchFactor(1, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(bottom)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setChildrenCollapsible(False)
        layout.addWidget(splitter, 1)
        QWidget.setTabOrder(self.table, self.form)

    # -- state -----------------------------------------------------------------------------

    def set_case(self, case_id: CaseId) -> None:
        """The case exists (the first autosave created it): the section can be used."""
        self.case_id = case_id
        self.hint.setVisible(self.read_only)
        self.setEnabled(True)
        if self.isVisible():
            self.ensure_loaded()

    def set_read_only(self, read_only: bool) -> None:
        """The cartella was closed (True) or reopened (False): its entries stay readable, the
        add, delete and extra buttons and the fields are not usable while it is closed."""
        self.read_only = read_only
        for button in (self.add_button, self.delete_button, *self._extra_buttons):
            button.setEnabled(not read_only)
        self.form.set_read_only(read_only)
        if read_only:
            self.hint.setText(
                self.tr(
                    "Cartella chiusa: la sezione si può consultare ma non modificare. Per "
                    "modificarla usa «Riapri cartella»."
                )
            )
            self.hint.show()
        else:
            self.hint.setText(self._waiting_hint)
            self.hint.setVisible(self.case_id is None)

    def is_idle(self) -> bool:
        return not self._pending and not self._saving

    def is_saving(self) -> bool:
        return self._saving

    def value_of(self, entry_id: str) -> T | None:
        return next((v for i, v in self.entries if i == entry_id), None)

    def current_value(self) -> T | None:
        return None if self.current is None else self.value_of(self.current)

    def _index_of(self, entry_id: str) -> int:
        return next((n for n, (i, _v) in enumerate(self.entries) if i == entry_id), -1)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.ensure_loaded()

    # -- loading ---------------------------------------------------------------------------

    def ensure_loaded(self) -> None:
        """Load the entries on the worker, once (the first time the section is shown)."""
        if self.case_id is None or self.is_loaded or self._loading:
            return
        self._loading = True
        workspace, case_id, fetch = self.session.workspace, self.case_id, self.fetch
        self.session.tasks.run(
            lambda: fetch(workspace, case_id), on_done=self.on_loaded,
            on_error=self.on_load_failed, owner=self,
        )  # fmt: skip

    def on_loaded(self, entries: list[tuple[str, T]]) -> None:
        self._loading, self.is_loaded = False, True
        self.entries = list(entries)
        self._stored = {i for i, _v in entries}
        self.refresh_rows()
        if self.entries:
            self.select(self.entries[0][0])

    def on_load_failed(self, exc: BaseException) -> None:
        self._loading = False
        errors.report_error(self.window(), exc)

    def refresh_rows(self) -> None:
        self.model.set_rows([self.row(v) for _i, v in self.entries])

    def select(self, entry_id: str) -> None:
        index = self._index_of(entry_id)
        if index >= 0:
            self.table.selectRow(index)
            self.table.setCurrentIndex(self.model.index(index, 0))

    # -- editing ---------------------------------------------------------------------------

    def on_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = current.row()
        self.current = self.entries[row][0] if 0 <= row < len(self.entries) else None
        value = self.current_value()
        self.form.setEnabled(value is not None)
        if value is not None:
            assert self.current is not None
            self.form.begin_fill(touched=self.current in self._stored)
            try:
                self.fill(self.form, value)
            finally:
                self.form.end_fill()
            _value, parse = self.read(self.form, value)
            self.form.show_issues(parse + self.validate(value))
        self.current_changed()

    def focus_form(self) -> None:
        if self.form.isEnabled() and self.form.inputs:
            next(iter(self.form.inputs.values())).setFocus(Qt.FocusReason.TabFocusReason)

    def add_entry(self, entry_id: str, value: T) -> None:
        """Insert a new entry in the list and select it (saved at its first edit)."""
        if self.new_on_top:
            self.entries.insert(0, (entry_id, value))
        else:
            self.entries.append((entry_id, value))
        self.refresh_rows()
        self.select(entry_id)

    def replace_entry(self, entry_id: str, value: T, *, stored: bool) -> None:
        index = self._index_of(entry_id)
        if index < 0:
            self.add_entry(entry_id, value)
        else:
            self.entries[index] = (entry_id, value)
            self.model.rows[index] = self.row(value)
            self.model.dataChanged.emit(
                self.model.index(index, 0), self.model.index(index, self.model.columnCount() - 1)
            )
        if stored:
            self._stored.add(entry_id)

    def on_add_clicked(self) -> None:
        if self.case_id is None or self.read_only:
            return
        entry_id = new_id()
        self.add_entry(entry_id, self.new_value(entry_id))
        self.focus_form()

    def on_form_edited(self, _field: str) -> None:
        previous = self.current_value()
        if previous is None or self.current is None or self.read_only:
            return
        value, parse = self.read(self.form, previous)
        self.replace_entry(self.current, value, stored=False)
        self.form.show_issues(parse + self.validate(value))
        self._pending[self.current] = value
        if not self._saving:
            self.status.setText(self.tr("Modifiche non ancora salvate"))
        self._autosave.start()

    def save_now(self) -> None:
        self._autosave.stop()
        if self._saving or not self._pending or self.case_id is None:
            return
        batch, self._pending = self._pending, {}
        self._saving = True
        self.status.setText(self.tr("Salvataggio…"))
        workspace, case_id, now, store = self.session.workspace, self.case_id, \
            self.session.now(), self.store  # fmt: skip

        def save() -> list[str]:
            for entry_id, value in batch.items():
                store(workspace, case_id, entry_id, value, now)
            return list(batch)

        def failed(exc: BaseException) -> None:
            self._saving = False
            for entry_id, value in batch.items():  # keep what was typed: the next edit retries
                self._pending.setdefault(entry_id, value)
            self.status.setText(self.tr("Salvataggio non riuscito"))
            errors.report_error(self.window(), exc)
            self._emit_idle()

        self.session.tasks.run(save, on_done=self.on_saved, on_error=failed, owner=self)

    def on_saved(self, saved: list[str]) -> None:
        self._saving = False
        self._stored.update(saved)
        self.status.setText(
            self.tr("Salvato alle %1").replace("%1", format_time(self.session.now()))
        )
        if self._pending:
            self.save_now()
        else:
            self._emit_idle()

    def flush(self) -> None:
        if self._pending:
            self.save_now()

    def _emit_idle(self) -> None:
        if not self._saving:
            self.became_idle.emit()

    # -- deleting --------------------------------------------------------------------------

    def confirm_delete(self) -> bool:
        answer = QMessageBox.question(
            self, self.tr("Elimina"),
            self.tr("Eliminare la voce selezionata? L'operazione non si può annullare."),
        )  # fmt: skip
        return answer == QMessageBox.StandardButton.Yes

    def on_delete_clicked(self) -> None:
        entry_id = self.current
        if not self.can_delete or entry_id is None or self.case_id is None or self.read_only:
            return
        if not self.confirm_delete():
            return
        self.delete_entry(entry_id)

    def delete_entry(self, entry_id: str) -> None:
        index = self._index_of(entry_id)
        if index < 0 or self.case_id is None:
            return
        self._pending.pop(entry_id, None)
        del self.entries[index]
        self.refresh_rows()
        if self.entries:
            self.select(self.entries[min(index, len(self.entries) - 1)][0])
        else:
            self.current = None
            self.form.setEnabled(False)
            self.current_changed()
        if entry_id not in self._stored:
            return
        self._stored.discard(entry_id)
        workspace, case_id, now, remove = self.session.workspace, self.case_id, \
            self.session.now(), self.remove  # fmt: skip
        self.session.tasks.run(
            lambda: remove(workspace, case_id, entry_id, now),
            on_done=lambda _r: self.status.setText(self.tr("Voce eliminata")), owner=self,
        )  # fmt: skip
