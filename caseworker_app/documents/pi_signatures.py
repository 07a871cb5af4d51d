"""Section 12 of the printed PI: one block per signatory, graphic signatures, privacy line.

Each block names the signatory's role, name, place and date, with a line to sign on; when a
graphic signature captured on the pad is given for that role, it is drawn above the line with
the moment and the way it was captured. The roles a PI needs (the beneficiary's side, the case
manager, ASST in a multidimensional evaluation) get a blank block when no signatory is listed for
them, so that the paper can be signed by hand.

A version signed digitally (PAdES) prints "Firmato digitalmente da … il …" in the block of the
signatory whose name the certificate carries, or else in the case manager's block (the signature
put in the case manager's field, or the last one), instead of the line to sign on. Before the
blocks, the parties' statement that they agree with the project and sign it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable, Image, KeepTogether, Spacer, Table, TableStyle

from caseworker_app.documents.base import FONT_BOLD, GraphicSignature
from caseworker_app.documents.formats import format_date, format_datetime
from caseworker_app.documents.pades import FIELD_NAME as CASE_MANAGER_FIELD
from caseworker_app.documents.pi_parts import (
    LABEL,
    METHOD,
    SIGNATORY,
    WIDTH,
    gap,
    heading,
    name_of,
)
from caseworker_app.documents.styles import BODY, CELL, CELL_BOLD, SMALL, TABLE_FONT, text
from caseworker_app.domain.pi import (
    BENEFICIARY_SIDE,
    PiContent,
    PiStatus,
    PiVersion,
    Signatory,
    SignatoryRole,
)

DRAFT_TEXT = "BOZZA – non firmata"
DRAFT_RED = colors.HexColor("#b42318")
BLANK = "_______________________"
PAD_LEFT, PAD_RIGHT = 8.0, 8.0
SIGN_WIDTH = 78 * mm
SIGN_HEIGHT = 16 * mm

DRAFT = ParagraphStyle("piDraft", parent=BODY, fontName=FONT_BOLD, fontSize=11, leading=14,
                       textColor=DRAFT_RED, alignment=TA_CENTER)  # fmt: skip
CAPTION = ParagraphStyle("piCaption", parent=SMALL, alignment=TA_CENTER)
PRIVACY = ParagraphStyle("piPrivacy", parent=BODY, leftIndent=5 * mm, firstLineIndent=-5 * mm)
DIGITAL = ParagraphStyle("piDigital", parent=CELL_BOLD, alignment=TA_CENTER)
#: the parties' closing statement, printed before the signature blocks
AGREEMENT_TEXT = (
    "Le parti dichiarano di aver condiviso il presente Progetto Individuale e lo sottoscrivono."
)

__all__ = [
    "AGREEMENT_TEXT",
    "DRAFT_TEXT",
    "DigitalSignature",
    "digital_by_signatory",
    "draft_mark",
    "signatories_to_print",
    "signatures_section",
]


@dataclass(frozen=True)
class DigitalSignature:
    """A verified (intact and valid) PAdES signature of a signed copy of the version."""

    signer: str  # the common name of the signer's certificate
    signed_at: datetime  # as claimed by the signer, or when the signed copy was attached
    field_name: str = ""  # the PDF signature field (the case manager's: CASE_MANAGER_FIELD)


def _same_person(a: str, b: str) -> bool:
    """The same name, whatever the case and the order of the words (ROSSI MARIA, Maria Rossi)."""
    words = sorted(a.casefold().split())
    return bool(words) and words == sorted(b.casefold().split())


def digital_by_signatory(
    signatories: Sequence[Signatory], digital: Sequence[DigitalSignature]
) -> dict[int, DigitalSignature]:
    """Which digital signature goes into which block (by the signatory's index).

    A signature goes to the signatory with the certificate's name; one left over goes to the
    case manager's block when nobody's name matched it there: the signature in the case
    manager's field, or else the last one."""
    free = list(digital)
    placed: dict[int, DigitalSignature] = {}
    for index, signatory in enumerate(signatories):
        match = next((d for d in free if _same_person(d.signer, signatory.name)), None)
        if match is not None:
            placed[index] = match
            free.remove(match)
    manager = next((i for i, s in enumerate(signatories)
                    if s.role is SignatoryRole.CASE_MANAGER and i not in placed), None)  # fmt: skip
    if manager is not None and free:
        own = [d for d in free if d.field_name == CASE_MANAGER_FIELD]
        placed[manager] = (own or free)[-1]
    return placed


def draft_mark() -> Table:
    """The boxed red «BOZZA – non firmata» shown on an unsigned version."""
    mark = Table([[text(DRAFT_TEXT, DRAFT)]], colWidths=[50 * mm], hAlign="RIGHT")
    mark.setStyle(
        TableStyle(
            [
                TABLE_FONT,
                ("BOX", (0, 0), (-1, -1), 1.2, DRAFT_RED),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ]
        )
    )
    return mark


def signatories_to_print(content: PiContent) -> list[Signatory]:
    """The listed signatories, then a blank one for each required role nobody holds."""
    listed = list(content.signatories)
    roles = {s.role for s in listed}
    if not roles & BENEFICIARY_SIDE:
        listed.append(Signatory(SignatoryRole.BENEFICIARIO))
    if SignatoryRole.CASE_MANAGER not in roles:
        listed.append(Signatory(SignatoryRole.CASE_MANAGER))
    if content.evaluation.multidimensional and SignatoryRole.ASST not in roles:
        listed.append(Signatory(SignatoryRole.ASST))
    return listed


def signatures_section(
    content: PiContent,
    version: PiVersion,
    signatures: Sequence[GraphicSignature],
    digital: Sequence[DigitalSignature] = (),
) -> list[Flowable]:
    head: list[Flowable] = [heading(12, "Firme")]
    if version.status is not PiStatus.FIRMATA:
        head += [draft_mark(), gap(2)]
    head += [text(AGREEMENT_TEXT, BODY), gap(2)]
    unused = list(signatures)
    signatories = signatories_to_print(content)  # never empty: two roles are required
    by_block = digital_by_signatory(signatories, digital)
    blocks: list[Flowable] = []
    for index, signatory in enumerate(signatories):
        graphic = next((g for g in unused if g.role == signatory.role.value), None)
        if graphic is not None:
            unused.remove(graphic)
        blocks += [_block(content, signatory, graphic, by_block.get(index)), Spacer(1, 3 * mm)]
    out: list[Flowable] = [KeepTogether([*head, blocks[0]]), *blocks[1:]]
    mark = "☑" if content.privacy_acknowledged else "☐"
    out += [
        gap(1),
        text(
            f"{mark}  Il beneficiario, o chi lo rappresenta, dichiara di aver ricevuto e preso "
            "visione dell'informativa sul trattamento dei dati personali (art. 13 del "
            "Regolamento UE 2016/679).",
            PRIVACY,
        ),
    ]
    return out


def _place_and_date(content: PiContent, signatory: Signatory) -> str:
    place = signatory.place.strip() or content.signed_place.strip()
    when = format_date(signatory.signed_on or content.signed_on)
    if place and when:
        return f"{place}, {when}"
    return place or when or BLANK


def _block(
    content: PiContent,
    signatory: Signatory,
    graphic: GraphicSignature | None,
    digital: DigitalSignature | None = None,
) -> Table:
    details = Table(
        [
            [text(name_of(SIGNATORY, signatory.role.value), CELL_BOLD)],
            [text("Nome e cognome", LABEL)],
            [text(signatory.name.strip() or BLANK, CELL)],
            [text("Luogo e data", LABEL)],
            [text(_place_and_date(content, signatory), CELL)],
        ],
        colWidths=[WIDTH - SIGN_WIDTH - 2 * (PAD_LEFT + PAD_RIGHT)],
    )
    details.setStyle(
        TableStyle(
            [
                TABLE_FONT,
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0.8),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0.8),
                ("BOTTOMPADDING", (0, 0), (0, 0), 3),
            ]
        )
    )
    line = True
    if digital is not None:
        signed = f"Firmato digitalmente da {digital.signer or 'firmatario'} il "
        drawn: Flowable = text(signed + format_date(digital.signed_at.date()), DIGITAL)
        caption = "firma digitale (PAdES)"
        line = False
    elif graphic is not None:
        drawn = _signature_image(graphic.png)
        how = name_of(METHOD, graphic.method)
        caption = f"firma grafica acquisita il {format_datetime(graphic.captured_at)} ({how})"
    else:
        drawn = Spacer(SIGN_WIDTH, SIGN_HEIGHT)
        caption = "Firma"
    sign = Table([[drawn], [text(caption, CAPTION)]], colWidths=[SIGN_WIDTH],
                 rowHeights=[SIGN_HEIGHT + 2 * mm, None])  # fmt: skip
    sign.setStyle(
        TableStyle(
            [
                TABLE_FONT,
                ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                ("VALIGN", (0, 0), (0, 0), "MIDDLE" if digital is not None else "BOTTOM"),
                *([("LINEBELOW", (0, 0), (0, 0), 0.8, colors.black)] if line else []),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (0, 0), 1),
            ]
        )
    )
    side = SIGN_WIDTH + PAD_LEFT + PAD_RIGHT
    block = Table([[details, sign]], colWidths=[WIDTH - side, side])
    block.setStyle(
        TableStyle(
            [
                TABLE_FONT,
                ("BOX", (0, 0), (-1, -1), 0.5, colors.HexColor("#8c959f")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), PAD_LEFT),
                ("RIGHTPADDING", (0, 0), (-1, -1), PAD_RIGHT),
                ("TOPPADDING", (0, 0), (-1, -1), 6),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    return block


def _signature_image(png: bytes) -> Flowable:
    """The captured signature scaled to fit the signing area, keeping its proportions."""
    width, height = ImageReader(BytesIO(png)).getSize()
    scale = min(SIGN_WIDTH / max(width, 1), SIGN_HEIGHT / max(height, 1))
    return Image(BytesIO(png), width=width * scale, height=height * scale)
