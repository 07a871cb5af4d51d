"""The frame of the wizard: the steps on the left, the page, the eligibility panel on the right."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from caseworker_app.ui.istanza_wizard.eligibility_panel import EligibilityPanel


@dataclass
class WizardFrame:
    title: QLabel
    status: QLabel
    nav: QListWidget
    pages: QStackedWidget
    panel: EligibilityPanel
    back: QPushButton
    next: QPushButton
    close: QPushButton


def build_frame(view: QWidget, steps: list[tuple[str, QWidget]]) -> WizardFrame:
    layout = QVBoxLayout(view)
    layout.setContentsMargins(12, 8, 12, 8)
    header = QHBoxLayout()
    title = QLabel(view.windowTitle())
    title.setObjectName("pageTitle")
    status = QLabel()
    status.setObjectName("hint")
    status.setMinimumWidth(240)
    status.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    status.setAccessibleName(view.tr("Stato del salvataggio"))
    header.addWidget(title, 1)
    header.addWidget(status)
    layout.addLayout(header)
    body = QHBoxLayout()
    body.setSpacing(10)
    nav = QListWidget()
    nav.setObjectName("navigation")
    nav.setAccessibleName(view.tr("Passi dell'istanza"))
    nav.setFixedWidth(190)
    pages = QStackedWidget()
    for number, (name, page) in enumerate(steps, start=1):
        nav.addItem(view.tr("%1. %2").replace("%1", str(number)).replace("%2", name))
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        holder = QWidget()
        inner = QVBoxLayout(holder)
        heading = QLabel(name)
        heading.setStyleSheet("font-size: 13pt; font-weight: bold;")
        inner.addWidget(heading)
        inner.addWidget(page, 1)
        scroll.setWidget(holder)
        pages.addWidget(scroll)
    panel = EligibilityPanel()
    panel.setMinimumWidth(330)
    panel.setMaximumWidth(430)
    centre = QWidget()
    centre_layout = QVBoxLayout(centre)
    centre_layout.setContentsMargins(0, 0, 0, 0)
    centre_layout.addWidget(pages, 1)
    buttons = QHBoxLayout()
    back_button = QPushButton(view.tr("‹ &Indietro"))
    next_button = QPushButton(view.tr("A&vanti ›"))
    close_button = QPushButton(view.tr("C&hiudi"))
    close_button.setAccessibleName(view.tr("Salva quanto scritto e chiudi l'istanza"))
    close_button.setToolTip(view.tr("Salva quanto scritto e chiude la finestra"))
    buttons.addWidget(close_button)
    buttons.addStretch(1)
    buttons.addWidget(back_button)
    buttons.addWidget(next_button)
    centre_layout.addLayout(buttons)
    body.addWidget(nav)
    body.addWidget(centre, 3)
    body.addWidget(panel, 2)
    layout.addLayout(body, 1)
    # Ctrl+PgDown / Ctrl+PgUp move between steps from any field (as between tabs).
    QShortcut(QKeySequence("Ctrl+PgDown"), view).activated.connect(next_button.click)
    QShortcut(QKeySequence("Ctrl+PgUp"), view).activated.connect(back_button.click)
    next_button.setToolTip(view.tr("Passo successivo (Ctrl+PagGiù)"))
    back_button.setToolTip(view.tr("Passo precedente (Ctrl+PagSu)"))
    return WizardFrame(title, status, nav, pages, panel, back_button, next_button, close_button)
