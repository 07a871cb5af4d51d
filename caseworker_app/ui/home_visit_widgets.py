"""Small widgets of the home visit: a large option button whose full wording wraps."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QWidget

#: the look of the home visit: large text and buttons, for a tablet on a kitchen table
HOME_VISIT_STYLE = """
QLabel#homeVisitItem { font-size: 20pt; font-weight: 600; }
QLabel#homeVisitProgress { font-size: 12pt; }
QLabel#homeVisitResult { font-size: 16pt; }
QPushButton#homeVisitOption, QPushButton#homeVisitScale {
    min-height: 56px; text-align: left; padding: 8px 12px;
}
QPushButton#homeVisitOption:checked { border: 3px solid #1d5fa8; background: #dbe8f6; }
QPushButton#homeVisitScale { font-size: 14pt; }
QLabel#homeVisitOptionText { font-size: 14pt; }
QPushButton#homeVisitAction { font-size: 12pt; min-height: 44px; padding: 4px 18px; }
"""

_MARGIN_H = 16
_MARGIN_V = 12


class OptionButton(QPushButton):
    """A push button showing ``number`` and a wrapped ``text`` (QPushButton alone never wraps)."""

    def __init__(self, number: int, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.number = number
        self.setObjectName("homeVisitOption")
        self.setCheckable(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(_MARGIN_H, _MARGIN_V, _MARGIN_H, _MARGIN_V)
        self.label = QLabel(f"<b>{number}</b>&nbsp;&nbsp;{_escape(text)}")
        self.label.setObjectName("homeVisitOptionText")
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setWordWrap(True)
        self.label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        layout.addWidget(self.label)
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return max(56, self.label.heightForWidth(width - 2 * _MARGIN_H) + 2 * _MARGIN_V)

    def sizeHint(self) -> QSize:
        return QSize(480, self.heightForWidth(480))

    def minimumSizeHint(self) -> QSize:
        return QSize(200, 56)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
