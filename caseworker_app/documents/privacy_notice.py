"""The privacy notice (art. 13 GDPR) handed to the applicant, with its acknowledgement block.

The text is data: ``forms/documents/informativa-privacy.toml`` (loaded by
``caseworker_app.definitions.documents``), with the controller (the capofila / ambito), the
processor (the comune, art. 28) and the DPO contact filled in here. The document prints the
definition version it was made with, so a signed copy can be matched to its wording.
"""

from __future__ import annotations

from datetime import datetime

from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    ListFlowable,
    Spacer,
    Table,
    TableStyle,
)

from caseworker_app.definitions.documents import DocumentText, get_document_text
from caseworker_app.documents.base import DocumentSpec, Letterhead, Stamp, content_hash, render
from caseworker_app.documents.formats import format_date
from caseworker_app.documents.styles import (
    BODY,
    CELL,
    CELL_BOLD,
    HEADING,
    NOTE,
    RULE,
    SMALL,
    TABLE_FONT,
    TITLE,
    text,
)

__all__ = ["PRIVACY_DOCUMENT", "render_privacy"]

PRIVACY_DOCUMENT = "informativa-privacy"
NO_ISTANZA = "—"
_FULL = 174 * mm


def _bullets(items: list[str]) -> ListFlowable:
    entries: list[Flowable] = [text(item, BODY) for item in items]
    return ListFlowable(
        entries,
        bulletType="bullet", start="•", leftIndent=10, bulletFontName=BODY.fontName,
        bulletFontSize=BODY.fontSize,
    )  # fmt: skip


def _acknowledgement(definition: DocumentText, place_day: str) -> list[Flowable]:
    ack = definition.acknowledgement
    roles = [[text("☐", CELL), text(role, CELL)] for role in ack.roles]
    role_table = Table([[text("in qualità di:", CELL_BOLD), ""], *roles],
                       colWidths=[8 * mm, _FULL - 8 * mm], hAlign="LEFT")  # fmt: skip
    role_table.setStyle(TableStyle([TABLE_FONT, ("SPAN", (0, 0), (-1, 0)),
                                    ("VALIGN", (0, 0), (-1, -1), "TOP")]))  # fmt: skip
    signature = Table(
        [[text("Luogo e data", CELL_BOLD), text(ack.signature, CELL_BOLD)],
         [text(place_day, CELL), text("", CELL)]],
        colWidths=[_FULL * 0.4, _FULL * 0.6], rowHeights=[6 * mm, 14 * mm],
    )  # fmt: skip
    signature.setStyle(
        TableStyle(
            [
                TABLE_FONT,
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("LINEBELOW", (0, 1), (-1, 1), 0.6, RULE),
                ("RIGHTPADDING", (0, 0), (0, -1), 8 * mm),
            ]
        )
    )
    block: list[Flowable] = [
        text(ack.heading, HEADING),
        text(ack.text, BODY),
        Spacer(1, 2 * mm),
        role_table,
        Spacer(1, 4 * mm),
        signature,
    ]
    if ack.note:
        block += [Spacer(1, 2 * mm), text(ack.note, NOTE)]
    return [KeepTogether(block)]


def render_privacy(
    *, letterhead: Letterhead, controller: str, processor: str, istanza_ref: str | None,
    created: datetime, version: str | None = None,
) -> bytes:  # fmt: skip
    """The PDF of the privacy notice for ``controller`` (the capofila / ambito, e.g. "Comune di
    Abbiategrasso, capofila dell'Ambito territoriale dell'Abbiatense") and ``processor`` (the
    comune, e.g. "Comune di Rosate"). ``version`` picks a definition version (default: newest);
    ``istanza_ref`` (protocol or id) goes into the QR stamp, "—" when the notice is handed out
    before an istanza exists."""
    definition = get_document_text(PRIVACY_DOCUMENT, version)
    names = {"controller": controller, "processor": processor}

    def fill(value: str) -> str:
        return definition.fill(value, **names)

    story: list[Flowable] = [text(definition.title, TITLE)]
    if definition.subtitle:
        story.append(text(definition.subtitle, SMALL))
    story.append(Spacer(1, 2 * mm))
    for section in definition.sections:
        first: list[Flowable] = [text(section.heading, HEADING),
                                 text(fill(section.paragraphs[0]), BODY)]  # fmt: skip
        story.append(KeepTogether(first))
        for paragraph in section.paragraphs[1:]:
            story += [Spacer(1, 1.5 * mm), text(fill(paragraph), BODY)]
        if section.bullets:
            story += [Spacer(1, 1.5 * mm), _bullets([fill(b) for b in section.bullets])]
        for paragraph in section.after:
            story += [Spacer(1, 1.5 * mm), text(fill(paragraph), BODY)]
    story += _acknowledgement(definition, "")
    story.append(Spacer(1, 3 * mm))
    story.append(
        text(
            f"Testo «{definition.id}» versione {definition.version} · stampato il "
            f"{format_date(created)}",
            SMALL,
        )
    )
    data = {"document": definition.id, "version": definition.version,
            "controller": controller, "processor": processor,
            "istanza": istanza_ref}  # fmt: skip
    spec = DocumentSpec(
        title="Informativa privacy",
        letterhead=letterhead,
        stamp=Stamp(istanza_ref or NO_ISTANZA, "privacy", None, content_hash(data)),
        created=created,
        subject="Informativa art. 13 Regolamento (UE) 2016/679",
    )
    return render(spec, story)
