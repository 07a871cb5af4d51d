"""The first page of the home visit: the place of the visit, the scales offered, and the list
of the case's sheets with its drafts ("Riprendi", "Elimina bozza…")."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from caseworker_app.definitions.scales import get_scale
from caseworker_app.domain.assessment import SheetStatus
from caseworker_app.services.assessments import PLACE_MAX_LENGTH, SheetSummary
from caseworker_app.ui.formats import format_date
from caseworker_app.ui.home_visit_widgets import SCALES, result_lines


class SheetListPage(QWidget):
    """The buttons are made by ``action`` (the home visit's large buttons, with its keys)."""

    def __init__(
        self,
        *,
        offered: list[str],
        can_edit: bool,
        action: Callable[[str], QPushButton],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.can_edit = can_edit
        self.history: list[SheetSummary] = []
        layout = QVBoxLayout(self)
        place_row = QHBoxLayout()
        place_label = QLabel(self.tr("Luogo della visita"))
        self.place = QLineEdit()
        self.place.setMaxLength(PLACE_MAX_LENGTH)
        self.place.setPlaceholderText(
            self.tr("per esempio: domicilio della persona (se vuoto, quello della valutazione)")
        )
        self.place.setAccessibleName(self.tr("Luogo della visita"))
        place_label.setBuddy(self.place)
        place_row.addWidget(place_label)
        place_row.addWidget(self.place, 1)
        layout.addLayout(place_row)
        hint = QLabel(self.tr("Scegli la scheda da compilare:"))
        hint.setObjectName("homeVisitProgress")
        layout.addWidget(hint)
        self.scale_buttons: dict[str, QPushButton] = {}
        self.place.setEnabled(self.can_edit)
        for scale_id in offered:
            button = QPushButton()  # titled once the definitions are read on the worker
            button.setObjectName("homeVisitScale")
            button.setEnabled(False)
            layout.addWidget(button)
            self.scale_buttons[scale_id] = button
        if len(offered) < len(SCALES):
            note = QLabel(self.tr("La scheda IADL non si somministra ai minorenni."))
            note.setObjectName("hint")
            layout.addWidget(note)
        history_title = QLabel(self.tr("Schede di questa cartella"))
        history_title.setObjectName("dialogTitle")
        layout.addSpacing(16)
        layout.addWidget(history_title)
        self.history_list = QListWidget()
        self.history_list.setAccessibleName(self.tr("Schede di questa cartella"))
        self.history_list.currentItemChanged.connect(lambda *_a: self.update_draft_buttons())
        layout.addWidget(self.history_list, 1)
        drafts = QHBoxLayout()
        drafts_hint = QLabel(self.tr("Doppio clic o Invio su una bozza per riprenderla."))
        drafts_hint.setObjectName("hint")
        drafts.addWidget(drafts_hint)
        drafts.addStretch(1)
        self.resume_button = action(self.tr("Riprendi"))
        self.resume_button.setToolTip(self.tr("Riprendi la bozza selezionata da dove era rimasta"))
        self.discard_button = action(self.tr("Elimina bozza…"))
        drafts.addWidget(self.discard_button)
        drafts.addWidget(self.resume_button)
        layout.addLayout(drafts)
        self.update_draft_buttons()

    def set_scales_enabled(self, enabled: bool) -> None:
        for button in self.scale_buttons.values():
            button.setEnabled(enabled)

    def show_history(self, titles: dict[str, str], history: list[SheetSummary]) -> None:
        """The scales titled, and the case's sheets newest first (a draft says what is left)."""
        for scale_id, button in self.scale_buttons.items():
            button.setText(titles[scale_id])
            button.setAccessibleName(titles[scale_id])
            button.setEnabled(self.can_edit)
        self.history = history
        self.history_list.clear()
        for summary in reversed(history):
            sheet = summary.sheet
            definition = get_scale(sheet.scale, sheet.version)
            draft = sheet.status is SheetStatus.BOZZA
            parts = [format_date(sheet.visit_date), definition.title]
            if draft:  # no totals of a half-answered sheet: what is left to do
                missing = summary.result.applicable - summary.result.answered
                parts.append(
                    self.tr("Bozza, voci senza risposta: %1").replace("%1", str(missing))
                    if missing > 0
                    else self.tr("Bozza, da chiudere")
                )
            else:
                parts += result_lines(self, definition, summary.result)[:3]
                parts.append(self.tr("Chiusa"))
            item = QListWidgetItem(" · ".join(parts))
            item.setData(Qt.ItemDataRole.UserRole, sheet.id)
            if draft:
                item.setToolTip(self.tr("Doppio clic o Invio: riprendi la bozza"))
            self.history_list.addItem(item)
        if not history:
            self.history_list.addItem(self.tr("Nessuna scheda compilata finora."))
        self.update_draft_buttons()

    # -- drafts ------------------------------------------------------------------------------

    def selected_draft(self) -> SheetSummary | None:
        item = self.history_list.currentItem()
        sheet_id = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return self.draft(sheet_id) if isinstance(sheet_id, str) else None

    def draft(self, sheet_id: str) -> SheetSummary | None:
        found = next((s for s in self.history if s.sheet.id == sheet_id), None)
        return found if found is not None and found.sheet.status is SheetStatus.BOZZA else None

    def update_draft_buttons(self) -> None:
        draft = self.selected_draft() is not None and self.can_edit
        self.resume_button.setEnabled(draft)
        self.discard_button.setEnabled(draft)
