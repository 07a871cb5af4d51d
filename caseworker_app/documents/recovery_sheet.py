"""The recovery sheet of an encrypted store: the recovery code on paper, to keep locked away.

It carries no personal data: what the code is for, the code in large groups, where to keep it,
the store id and the date. The QR stamp says only the store id and the hash of the store id:
never the code (a photo of the QR must not be a key to the store).
"""

from __future__ import annotations

import re
from datetime import datetime

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    ListFlowable,
    Spacer,
    Table,
    TableStyle,
)

from caseworker_app.documents.base import (
    FONT_BOLD,
    DocumentSpec,
    Letterhead,
    Stamp,
    content_hash,
    render,
)
from caseworker_app.documents.formats import format_datetime
from caseworker_app.documents.styles import (
    BODY,
    CELL,
    CELL_BOLD,
    HEADER_FILL,
    HEADING,
    NOTE,
    RULE,
    TABLE_FONT,
    TITLE,
    text,
)
from caseworker_app.domain.audit import AuditHead

__all__ = ["code_groups", "render_recovery"]

TITLE_TEXT = "Foglio di recupero dell'archivio"
_FULL = 174 * mm
_GROUPS_PER_ROW = 4
_CODE = ParagraphStyle("recoveryCode", parent=BODY, fontName=FONT_BOLD, fontSize=20, leading=26,
                       alignment=TA_CENTER)  # fmt: skip
_INDEX = ParagraphStyle("recoveryIndex", parent=BODY, fontSize=7, leading=9, alignment=TA_CENTER,
                        textColor=NOTE.textColor)  # fmt: skip


def code_groups(code: str) -> list[str]:
    """The groups of the code as printed: its own dash/space-separated groups, else groups of 4."""
    parts = [p for p in re.split(r"[\s\-]+", code.strip().upper()) if p]
    if len(parts) > 1:
        return parts
    compact = parts[0] if parts else ""
    return [compact[i : i + 4] for i in range(0, len(compact), 4)]


def _code_table(groups: list[str]) -> Table:
    """Each group in its own box, numbered, like a bank card's digits: easy to read and type."""
    rows: list[list[Flowable | str]] = []
    for start in range(0, len(groups), _GROUPS_PER_ROW):
        chunk = groups[start : start + _GROUPS_PER_ROW]
        pad = _GROUPS_PER_ROW - len(chunk)
        codes: list[Flowable | str] = [text(g, _CODE) for g in chunk]
        labels: list[Flowable | str] = [
            text(f"gruppo {start + i + 1}", _INDEX) for i in range(len(chunk))
        ]
        rows.append(codes + [""] * pad)
        rows.append(labels + [""] * pad)
    width = _FULL / _GROUPS_PER_ROW
    result = Table(rows, colWidths=[width] * _GROUPS_PER_ROW)
    commands: list[tuple[object, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3 * mm),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3 * mm),
    ]
    for row in range(0, len(rows), 2):
        count = len(groups[row // 2 * _GROUPS_PER_ROW :][:_GROUPS_PER_ROW])
        for column in range(count):
            commands.append(("BOX", (column, row), (column, row), 1, RULE))
            commands.append(("BACKGROUND", (column, row), (column, row), HEADER_FILL))
        commands.append(("TOPPADDING", (0, row), (-1, row), 3 * mm))
        commands.append(("BOTTOMPADDING", (0, row), (-1, row), 3 * mm))
    result.setStyle(TableStyle([TABLE_FONT, *commands]))  # type: ignore[list-item]
    return result


def _bullets(items: list[str]) -> ListFlowable:
    entries: list[Flowable] = [text(item, BODY) for item in items]
    return ListFlowable(
        entries,
        bulletType="bullet", start="•", leftIndent=10, bulletFontName=BODY.fontName,
        bulletFontSize=BODY.fontSize,
    )  # fmt: skip


def _fields(rows: list[tuple[str, str]]) -> Table:
    data = [[text(label, CELL_BOLD), text(value, CELL)] for label, value in rows]
    result = Table(data, colWidths=[50 * mm, _FULL - 50 * mm], hAlign="LEFT")
    result.setStyle(TableStyle([TABLE_FONT, ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
                                ("VALIGN", (0, 0), (-1, -1), "TOP")]))  # fmt: skip
    return result


def _audit_head_row(head: AuditHead, printed: datetime) -> tuple[str, str]:
    """The head of the audit log when the sheet was printed, as a line to keep: it lets a
    later check tell whether the register was rewritten since (``audit verify --anchor``)."""
    return (f"Registro attività al {format_datetime(printed)}",
            f"n. {head.seq}, impronta {' '.join(head.groups())}")  # fmt: skip


_HEAD_NOTE = (
    "Conservare anche la riga «Registro attività»: la verifica del registro (Registro attività, "
    "«Verifica il registro…») con quel numero e quell'impronta rivela se da allora il registro "
    "è stato riscritto o ne sono stati tolti degli eventi."
)


def render_recovery(
    *,
    letterhead: Letterhead,
    recovery_code: str,
    store_id: str,
    created: datetime,
    audit_head: AuditHead | None = None,
    printed: datetime | None = None,
) -> bytes:
    """The PDF of the recovery sheet. The code appears only as printed text: not in the QR, not
    in the metadata, not in the content hash (which covers the store id only). ``audit_head``:
    the head of the audit log at the time of printing (``printed``), shown as a line to keep."""
    story: list[Flowable] = [
        text(TITLE_TEXT, TITLE),
        text(
            "Questo foglio contiene il codice di recupero dell'archivio cifrato di Caseworker su "
            "questo computer. Il codice è l'unico modo per riaprire l'archivio se tutte le "
            "password degli operatori vengono dimenticate, e per ripristinare una copia di "
            "sicurezza su un altro computer. Non contiene dati personali.",
            BODY,
        ),
        text("Codice di recupero", HEADING),
        _code_table(code_groups(recovery_code)),
        Spacer(1, 2 * mm),
        text(
            "Si digita senza distinzione tra maiuscole e minuscole; trattini e spazi sono "
            "facoltativi.",
            NOTE,
        ),
        text("Dove conservarlo", HEADING),
        _bullets(
            [
                "In un cassetto o armadio chiuso a chiave dell'ufficio (o nella cassaforte del "
                "Comune), accessibile al responsabile del servizio.",
                "Mai insieme al portatile, nella sua borsa o attaccato allo schermo: chi trova "
                "entrambi può aprire l'archivio.",
                "Non fotografarlo, non scansionarlo e non inviarlo per e-mail o messaggio.",
                "Se il foglio viene perso o il codice può essere stato visto da altri, avvisare "
                "subito il responsabile del servizio e l'amministratore dell'archivio.",
            ]
        ),
        KeepTogether(
            [
                text("Dati dell'archivio", HEADING),
                _fields(
                    [
                        ("Identificativo archivio", store_id),
                        ("Ente", letterhead.comune),
                        ("Codice generato il", format_datetime(created)),
                        *(
                            [_audit_head_row(audit_head, printed or created)]
                            if audit_head is not None
                            else []
                        ),
                    ]
                ),
            ]
        ),
        *([text(_HEAD_NOTE, NOTE)] if audit_head is not None else []),
        Spacer(1, 3 * mm if audit_head is not None else 8 * mm),
        text(
            "Il codice QR in fondo alla pagina riporta solo l'identificativo dell'archivio, "
            "non il codice di recupero.",
            NOTE,
        ),
    ]
    spec = DocumentSpec(
        title=TITLE_TEXT,
        letterhead=letterhead,
        stamp=Stamp(store_id, "recovery", None, content_hash({"store_id": store_id})),
        created=created,
        subject="Codice di recupero dell'archivio cifrato",
    )
    return render(spec, story)
