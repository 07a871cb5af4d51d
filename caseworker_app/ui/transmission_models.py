"""Italian texts and table models of the Trasmissioni (comune) and Ricezione (capofila) pages.

No widgets here: the labels of the states and outcomes, what an istanza still lacks, what a
received istanza holds, and the checkable table of the istanze to send.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from caseworker_app.domain import comuni
from caseworker_app.domain.assessment import IADL, NOT_FOR_MINORS
from caseworker_app.domain.rules.calendar import age_on
from caseworker_app.domain.transmission import (
    MemberRole,
    Missing,
    Readiness,
    ReceiptLine,
    ReceiptOutcome,
    ReceivedIstanza,
    ReceivedMember,
    TransmissionState,
)
from caseworker_app.messages import render
from caseworker_app.services.printing import KIND_OF_SCALE, SCALE_LABEL, SCALE_OF_KIND, DocumentKind
from caseworker_app.ui.case_sections.labels import DOCUMENT_LABELS, label_of
from caseworker_app.ui.istanze_view import state_label

Index = QModelIndex | QPersistentModelIndex
_CONTEXT = "Transmissions"


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CONTEXT, text)


TRANSMISSION_STATE_LABELS: dict[TransmissionState, str] = {
    TransmissionState.DA_INVIARE: str(QT_TRANSLATE_NOOP("Transmissions", "Da inviare")),
    TransmissionState.INVIATA: str(QT_TRANSLATE_NOOP("Transmissions", "Inviata")),
    TransmissionState.RICEVUTA: str(QT_TRANSLATE_NOOP("Transmissions", "Ricevuta")),
    TransmissionState.RESPINTA: str(QT_TRANSLATE_NOOP("Transmissions", "Respinta")),
    TransmissionState.ESITO_RICEVUTO: str(QT_TRANSLATE_NOOP("Transmissions", "Esito ricevuto")),
}

OUTCOME_LABELS: dict[ReceiptOutcome, str] = {
    ReceiptOutcome.ACCETTATA: str(QT_TRANSLATE_NOOP("Transmissions", "Accettata")),
    ReceiptOutcome.SOSTITUISCE: str(
        QT_TRANSLATE_NOOP("Transmissions", "Accettata, sostituisce la versione precedente")
    ),
    ReceiptOutcome.GIA_RICEVUTA: str(
        QT_TRANSLATE_NOOP("Transmissions", "Già ricevuta, nessuna modifica")
    ),
    ReceiptOutcome.RESPINTA: str(QT_TRANSLATE_NOOP("Transmissions", "Respinta")),
}

MEMBER_ROLE_LABELS: dict[MemberRole, str] = {
    MemberRole.RECORD: str(QT_TRANSLATE_NOOP("Transmissions", "Dati dell'istanza")),
    MemberRole.DOCUMENT: str(QT_TRANSLATE_NOOP("Transmissions", "Documento allegato")),
    MemberRole.EVALUATION: str(QT_TRANSLATE_NOOP("Transmissions", "Valutazione sociale")),
    MemberRole.ASSESSMENT: str(QT_TRANSLATE_NOOP("Transmissions", "Scheda")),
    MemberRole.PI: str(QT_TRANSLATE_NOOP("Transmissions", "Progetto Individuale (dati)")),
    MemberRole.PI_PDF: str(QT_TRANSLATE_NOOP("Transmissions", "Progetto Individuale firmato")),
}

_MIME_LABELS = {
    "application/pdf": "PDF",
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "image/tiff": "TIFF",
    "application/json": "JSON",
}


def transmission_state_label(state: TransmissionState) -> str:
    return _tr(TRANSMISSION_STATE_LABELS.get(state, state.value))


def outcome_label(outcome: ReceiptOutcome) -> str:
    return _tr(OUTCOME_LABELS.get(outcome, outcome.value))


def comune_name(code: str) -> str:
    place = comuni.comune_by_code(code)
    return place.name if place is not None else code


def scale_label(scale_id: str) -> str:
    """``adl-katz`` -> ``ADL`` (the id itself when it is not a known scale)."""
    kind = KIND_OF_SCALE.get(scale_id)
    return SCALE_LABEL.get(kind, scale_id) if kind is not None else scale_id


def missing_text(what: Missing, detail: str) -> str:
    """What an istanza lacks, in Italian, with the detail named as the user knows it."""
    if what is Missing.NOT_EVALUATED:
        detail = state_label(detail).lower()
    elif what is Missing.DOCUMENT_PROMISED:
        detail = label_of(DOCUMENT_LABELS, detail)
    elif what is Missing.ASSESSMENT:
        detail = scale_label(detail)
    text = render(f"transmission.missing.{what.value}", {"detail": detail})
    return text[:1].upper() + text[1:]


def readiness_text(row: Readiness) -> str:
    if row.ready:
        return _tr("Pronta")
    return " ".join(missing_text(what, detail) for what, detail in row.missing)


def member_label(member: ReceivedMember) -> str:
    """What a member is: "Documento allegato: Attestazione ISEE", "Scheda ADL"…"""
    role = _tr(MEMBER_ROLE_LABELS.get(member.role, member.role.value))
    if member.role is MemberRole.DOCUMENT:
        what = member.title or (label_of(DOCUMENT_LABELS, member.code) if member.code else "")
        return f"{role}: {what}" if what else role
    if member.role is MemberRole.ASSESSMENT:
        return f"{role} {scale_label(member.code)}"
    return role


def mime_label(mime: str) -> str:
    return _MIME_LABELS.get(mime, mime or "—")


def size_label(size: int) -> str:
    if size < 1024:
        return _tr("%1 byte").replace("%1", str(size))
    if size < 1024 * 1024:
        return _tr("%1 kB").replace("%1", f"{size / 1024:.0f}")
    return _tr("%1 MB").replace("%1", f"{size / 1024 / 1024:.1f}".replace(".", ","))


ADL_SCALE = SCALE_OF_KIND[DocumentKind.ADL]
#: the sheets that travel with the evaluation (the IADL not for a minor: seed 003 art. 5 a)
SHEETS = (ADL_SCALE, IADL)


def is_minor(record: bytes, on: date) -> bool:
    """Whether the beneficiary of a received record was a minor on ``on`` (``False`` when the
    record does not say)."""
    try:
        born = date.fromisoformat(json.loads(record)["beneficiary"]["birth_date"])
    except (ValueError, KeyError, TypeError):
        return False
    return age_on(born, on) < 18


def completeness(istanza: ReceivedIstanza, *, short: bool = False) -> str:
    """The evaluation, the ADL/IADL sheets and the signed PI: present, missing or not asked
    (``short``: "Completa", "Non richiesti" or what is missing, for a table cell)."""
    if not istanza.evaluation_included:
        return _tr("Non richiesti") if short else _tr("Valutazione, schede e PI non richiesti")
    roles = {m.role for m in istanza.members}
    sheets = {m.code for m in istanza.members if m.role is MemberRole.ASSESSMENT}
    minor = is_minor(istanza.record, istanza.submitted_at.date())
    present: list[str] = []
    missing: list[str] = []
    (present if MemberRole.EVALUATION in roles else missing).append(_tr("valutazione"))
    for scale in SHEETS:
        if scale in NOT_FOR_MINORS and minor and scale not in sheets:
            continue  # not asked
        word = _tr("scheda %1").replace("%1", scale_label(scale))
        (present if scale in sheets else missing).append(word)
    (present if MemberRole.PI_PDF in roles else missing).append(_tr("PI firmato"))
    if missing:
        return _tr("Manca: %1").replace("%1", ", ".join(missing))
    if short:
        return _tr("Completa")
    text = _tr("Completa: %1").replace("%1", ", ".join(present))
    if minor and IADL not in sheets:
        text += _tr(" (scheda IADL non richiesta per un minore)")
    return text


def document_count(istanza: ReceivedIstanza) -> int:
    return sum(1 for m in istanza.members if m.role is MemberRole.DOCUMENT)


def outcome_counts(lines: Iterable[ReceiptLine]) -> str:
    """ "3 accettate, 1 respinta"."""
    accepted = rejected = same = 0
    for line in lines:
        if line.outcome is ReceiptOutcome.RESPINTA:
            rejected += 1
        elif line.outcome is ReceiptOutcome.GIA_RICEVUTA:
            same += 1
        else:
            accepted += 1
    parts = [
        (_tr("1 accettata") if accepted == 1 else _tr("%1 accettate")).replace("%1", str(accepted))
    ]
    if rejected:
        parts.append(
            (_tr("1 respinta") if rejected == 1 else _tr("%1 respinte")).replace(
                "%1", str(rejected)
            )
        )
    if same:
        parts.append(
            (_tr("1 già ricevuta") if same == 1 else _tr("%1 già ricevute")).replace(
                "%1", str(same)
            )
        )
    return ", ".join(parts)


_FIELD_LABELS: dict[str, object] = {
    "beneficiary": QT_TRANSLATE_NOOP("Transmissions", "beneficiario"),
    "codice_fiscale": QT_TRANSLATE_NOOP("Transmissions", "codice fiscale"),
    "surname": QT_TRANSLATE_NOOP("Transmissions", "cognome"),
    "given_name": QT_TRANSLATE_NOOP("Transmissions", "nome"),
    "birth_date": QT_TRANSLATE_NOOP("Transmissions", "data di nascita"),
    "sex": QT_TRANSLATE_NOOP("Transmissions", "sesso"),
    "residence": QT_TRANSLATE_NOOP("Transmissions", "residenza"),
    "lives_at_home": QT_TRANSLATE_NOOP("Transmissions", "vive al domicilio"),
    "disability": QT_TRANSLATE_NOOP("Transmissions", "disabilità"),
    "isee": QT_TRANSLATE_NOOP("Transmissions", "ISEE"),
    "value": QT_TRANSLATE_NOOP("Transmissions", "valore"),
    "type": QT_TRANSLATE_NOOP("Transmissions", "tipo"),
    "received_on": QT_TRANSLATE_NOOP("Transmissions", "ricevuto il"),
    "care": QT_TRANSLATE_NOOP("Transmissions", "assistenza"),
    "in_place": QT_TRANSLATE_NOOP("Transmissions", "misure in atto"),
    "requests": QT_TRANSLATE_NOOP("Transmissions", "interventi richiesti"),
    "amount": QT_TRANSLATE_NOOP("Transmissions", "importo"),
    "from": QT_TRANSLATE_NOOP("Transmissions", "dal"),
    "to": QT_TRANSLATE_NOOP("Transmissions", "al"),
    "days": QT_TRANSLATE_NOOP("Transmissions", "giorni"),
    "documents": QT_TRANSLATE_NOOP("Transmissions", "documenti"),
    "promised_by": QT_TRANSLATE_NOOP("Transmissions", "promesso entro"),
    "submitted_at": QT_TRANSLATE_NOOP("Transmissions", "data di presentazione"),
    "extra": QT_TRANSLATE_NOOP("Transmissions", "altri dati"),
}


def change_label(path: str) -> str:
    """``requests[0].amount`` -> ``interventi richiesti 1 › importo`` (a field path, no value)."""
    words = []
    for part in path.split("."):
        name, _, index = part.partition("[")
        word = _tr(str(_FIELD_LABELS[name])) if name in _FIELD_LABELS else name
        if index:
            numbers = [str(int(n) + 1) for n in index.rstrip("]").split("][") if n.isdigit()]
            word = f"{word} {'.'.join(numbers)}"
        words.append(word)
    return " › ".join(words)


# -- the istanze to send (comune) -----------------------------------------------------------------


@dataclass(frozen=True)
class ReadinessLine:
    """One row of the table, its texts built on the worker."""

    readiness: Readiness
    cells: tuple[str, ...]

    @property
    def istanza_id(self) -> str:
        return self.readiness.istanza_id


def version_text(row: Readiness) -> str:
    """The version to send ("2, correzione"), or the one sent when nothing changed since."""
    if row.transmission is TransmissionState.DA_INVIARE:
        return str(row.next_version)
    if any(what is Missing.ALREADY_SENT for what, _detail in row.missing):
        return _tr("%1, inviata").replace("%1", str(row.next_version - 1))
    return _tr("%1, correzione").replace("%1", str(row.next_version))


def readiness_line(row: Readiness, avviso: str) -> ReadinessLine:
    cells = (
        "",  # the check box
        row.protocol or _tr("senza protocollo"),
        avviso,
        state_label(row.state),
        transmission_state_label(row.transmission),
        readiness_text(row),
        version_text(row),
    )
    return ReadinessLine(row, cells)


class ReadinessModel(QAbstractTableModel):
    """The istanze on their way: a check box in column 0, enabled only for the ready ones."""

    #: the set of checked rows changed
    checked_changed = Signal()

    CHECK, PROTOCOL, AVVISO, STATE, TRANSMISSION, READY, VERSION = range(7)

    def __init__(self, headers: Sequence[str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.headers = list(headers)
        self.lines: list[ReadinessLine] = []
        self.checked: set[str] = set()

    def set_lines(self, lines: Sequence[ReadinessLine]) -> None:
        self.beginResetModel()
        self.lines = list(lines)
        ready = {line.istanza_id for line in self.lines if line.readiness.ready}
        self.checked &= ready  # what was checked and is still ready stays checked
        self.endResetModel()
        self.checked_changed.emit()

    def checked_ids(self) -> list[str]:
        return [line.istanza_id for line in self.lines if line.istanza_id in self.checked]

    def ready_count(self) -> int:
        return sum(1 for line in self.lines if line.readiness.ready)

    def set_all_ready(self, checked: bool) -> None:
        self.checked = {line.istanza_id for line in self.lines if line.readiness.ready and checked}
        if self.lines:
            self.dataChanged.emit(
                self.index(0, self.CHECK),
                self.index(len(self.lines) - 1, self.CHECK),
                [Qt.ItemDataRole.CheckStateRole],
            )
        self.checked_changed.emit()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.lines)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled
        if index.column() == self.CHECK:
            if not self.lines[index.row()].readiness.ready:
                return Qt.ItemFlag.ItemIsSelectable  # shown greyed: it cannot be sent yet
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        line = self.lines[index.row()]
        column = index.column()
        if column == self.CHECK:
            if role == Qt.ItemDataRole.CheckStateRole:
                on = line.istanza_id in self.checked
                return Qt.CheckState.Checked if on else Qt.CheckState.Unchecked
            if role == Qt.ItemDataRole.AccessibleTextRole:
                if not line.readiness.ready:
                    return _tr("Non ancora trasmissibile")
                return _tr("Da trasmettere") if line.istanza_id in self.checked else _tr("Esclusa")
            if role == Qt.ItemDataRole.ToolTipRole:
                return line.cells[self.READY]
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return line.cells[column]
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or index.column() != self.CHECK:
            return False
        if role != Qt.ItemDataRole.CheckStateRole:
            return False
        line = self.lines[index.row()]
        if not line.readiness.ready:
            return False
        state = Qt.CheckState(value) if isinstance(value, int) else value
        if state == Qt.CheckState.Checked:
            self.checked.add(line.istanza_id)
        else:
            self.checked.discard(line.istanza_id)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        self.checked_changed.emit()
        return True

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        return None
