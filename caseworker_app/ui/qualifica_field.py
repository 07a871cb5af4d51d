"""The "Qualifica" field: a list of the usual qualifiche, or another one typed in."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import QComboBox, QWidget

from caseworker_app.domain.operator import QUALIFICA_MAX, QUALIFICHE, default_qualifica
from caseworker_app.domain.roles import Role

#: the Italian text shown for each stored qualifica of the list (stored as written here)
_LABELS: dict[str, str] = {
    "assistente sociale": str(QT_TRANSLATE_NOOP("Qualifica", "assistente sociale")),
    "amministrativo": str(QT_TRANSLATE_NOOP("Qualifica", "amministrativo")),
    "responsabile del servizio": str(QT_TRANSLATE_NOOP("Qualifica", "responsabile del servizio")),
    "educatore": str(QT_TRANSLATE_NOOP("Qualifica", "educatore")),
}


class QualificaField(QComboBox):
    """An editable list: choose a qualifica or type another; ``qualifica()`` is what to store."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for value in QUALIFICHE:
            self.addItem(QCoreApplication.translate("Qualifica", _LABELS.get(value, value)), value)
        line = self.lineEdit()
        assert line is not None  # editable
        line.setMaxLength(QUALIFICA_MAX)
        line.setPlaceholderText(self.tr("scegli dall'elenco o scrivila"))
        self.setAccessibleName(self.tr("Qualifica dell'operatore"))
        self.setAccessibleDescription(
            self.tr("Stampata accanto al nome nel Progetto Individuale e nelle firme")
        )
        self.setMinimumContentsLength(24)
        #: True once the user chose or typed a qualifica (the roles stop proposing one)
        self.touched = False
        self.textActivated.connect(self._on_user_edit)
        line.textEdited.connect(self._on_user_edit)
        self.set_qualifica("")

    def _on_user_edit(self, _text: str) -> None:
        self.touched = True

    def qualifica(self) -> str:
        text = " ".join(self.currentText().split())
        index = self.findText(text)
        return str(self.itemData(index)) if index >= 0 else text

    def set_qualifica(self, value: str) -> None:
        index = self.findData(value)
        if index >= 0:
            self.setCurrentIndex(index)
        else:
            self.setCurrentIndex(-1)
            self.setEditText(value)

    def propose_for(self, roles: frozenset[Role]) -> None:
        """Until the user picks one, follow the roles (assistente sociale → assistente sociale)."""
        if not self.touched:
            self.set_qualifica(default_qualifica(roles))
