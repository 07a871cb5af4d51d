"""Small pieces of the home visit: a large option button whose full wording wraps, and the
Italian lines of a sheet's totals and class (shared with the assessment history)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from PySide6.QtCore import QObject, QSize, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QWidget

from caseworker_app.domain.assessment import Assessment
from caseworker_app.domain.scales import ScaleDefinition, ScaleResult, ValueKind

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

#: the scales the home visit offers (IADL only to adults)
SCALES = ["adl-katz", "iadl-lawton", "barthel"]

#: keys 1–5 choose an option
DIGIT_KEYS = {
    Qt.Key.Key_1: 1,
    Qt.Key.Key_2: 2,
    Qt.Key.Key_3: 3,
    Qt.Key.Key_4: 4,
    Qt.Key.Key_5: 5,
}


@dataclass(frozen=True)
class Started:
    sheet: Assessment
    definition: ScaleDefinition


@dataclass(frozen=True)
class DraftFound:
    """Starting a sheet found a draft of the same scale: ask before starting another."""

    sheet: Assessment
    definition: ScaleDefinition


def first_unanswered(definition: ScaleDefinition, answers: Mapping[str, int | None]) -> int | None:
    """Where a resumed draft was left: the index of its first item without an answer (a "non
    applicabile" is an answer), or None when every item has one."""
    return next((i for i, item in enumerate(definition.items) if item.id not in answers), None)


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


def result_lines(view: QObject, definition: ScaleDefinition, result: ScaleResult) -> list[str]:
    """The totals and class of a sheet, in Italian (``view`` translates)."""
    tr = view.tr
    lines: list[str] = []
    if definition.values is ValueKind.AUTONOMY:
        lines.append(
            tr("Funzioni conservate: %1 su %2")
            .replace("%1", str(result.conserved))
            .replace("%2", str(result.max))
        )
    elif result.total is not None:
        lines.append(
            tr("Punteggio: %1 su %2")
            .replace("%1", str(result.total))
            .replace("%2", str(result.max))
        )
    if result.katz_class is not None:
        lines.append(tr("Classe di Katz: %1").replace("%1", result.katz_class))
    if result.band is not None:
        lines.append(tr("Fascia: %1").replace("%1", result.band.label))
    if result.sina_level is not None:
        lines.append(
            tr("Livello SINA: %1 – %2")
            .replace("%1", str(result.sina_level.level))
            .replace("%2", result.sina_level.label)
        )
    if not result.complete and result.applicable == 0:
        lines.append(
            tr(
                "Nessuna voce valutata: sono tutte «non applicabile». La scheda resta una "
                "bozza e non si può chiudere."
            )
        )
    elif not result.complete:
        lines.append(
            tr("Voci senza risposta: %1. La scheda resta una bozza.").replace(
                "%1", str(result.applicable - result.answered)
            )
        )
    return lines
