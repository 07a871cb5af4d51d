"""The buttons of the Graduatorie page that act on the chosen run without changing it:
«Campione di controllo…», «Pubblica…» and «Esiti ai comuni…».

:class:`RankingActions` owns the buttons (the page puts them in its bar) and opens their
dialogs for the run chosen on the page; ``run_changed`` tells the page to read the avviso again
(a sample drawn, files written).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QDialog, QPushButton, QWidget

from caseworker_app.domain.ranking_run import StoredRun
from caseworker_app.ui.ranking_files_dialogs import OutcomesDialog, PublishPreviewDialog
from caseworker_app.ui.ranking_sample_dialog import SampleDialog
from caseworker_app.ui.screen_fit import show_fitted
from caseworker_app.ui.session import Session


class RankingActions(QObject):
    #: something was recorded for a run (its id): the page reads the avviso again
    run_changed = Signal(str)

    def __init__(self, session: Session, page: QWidget) -> None:
        super().__init__(page)
        self.session = session
        self.page = page
        self.stored: StoredRun | None = None
        self.dialog: QDialog | None = None
        self.sample_button = self._button(
            self.tr("&Campione di controllo…"), self.tr("Campione di controllo"), self.open_sample
        )
        self.publish_button = self._button(
            self.tr("&Pubblica…"), self.tr("Pubblica la graduatoria"), self.open_publish
        )
        self.outcomes_button = self._button(
            self.tr("&Esiti ai comuni…"), self.tr("Esiti ai comuni"), self.open_outcomes
        )
        self.buttons: list[QPushButton] = [
            self.publish_button,
            self.outcomes_button,
            self.sample_button,
        ]

    def _button(self, text: str, accessible: str, slot: Callable[[], object]) -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(accessible)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    def refresh(self, stored: StoredRun | None) -> None:
        self.stored = stored
        for button in self.buttons:
            button.setEnabled(stored is not None)
        provisional = stored is not None and stored.run.provisional
        for button, why in (
            (self.sample_button,
             self.tr("Il campione si estrae da una graduatoria definitiva o approvata.")),
            (self.outcomes_button,
             self.tr("Gli esiti di una graduatoria provvisoria non si inviano ai comuni.")),
        ):  # fmt: skip
            button.setEnabled(stored is not None and not provisional)
            button.setToolTip(why if provisional else "")

    def _open(self, dialog: QDialog) -> None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _result: setattr(self, "dialog", None))
        self.dialog = dialog
        dialog.open()

    def open_sample(self) -> SampleDialog | None:
        if self.stored is None:
            return None
        dialog = SampleDialog(self.session, stored=self.stored, parent=self.page.window())
        self._open(dialog)
        return dialog

    def open_outcomes(self) -> OutcomesDialog | None:
        if self.stored is None:
            return None
        dialog = OutcomesDialog(self.session, stored=self.stored, parent=self.page.window())
        self._open(dialog)
        return dialog

    def open_publish(self) -> PublishPreviewDialog | None:
        """The public PDF previewed, then «Pubblica in una cartella…»."""
        if self.stored is None:
            return None
        dialog = PublishPreviewDialog(self.session, stored=self.stored, parent=self.page.window())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _result: setattr(self, "dialog", None))
        self.dialog = dialog
        show_fitted(dialog)
        return dialog
