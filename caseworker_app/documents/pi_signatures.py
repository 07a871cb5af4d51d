"""Section 12 of the printed PI: one block per signatory, graphic signatures, privacy line.

Each block names the signatory's role, name, place and date, with a line to sign on; when a
graphic signature captured on the pad is given for that role, it is drawn above the line with
the moment and the way it was captured. The roles a PI needs (the beneficiary's side, the case
manager, ASST in a multidimensional evaluation) get a blank block when no signatory is listed for
them, so that the paper can be signed by hand.
"""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable, Image, KeepTogether, Spacer, Table, TableStyle

from caseworker_app.documents.base import FONT_BOLD, GraphicSignature
from caseworker_app.documents.formats import format_date, format_datetime
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

__all__ = ["DRAFT_TEXT", "draft_mark", "signatories_to_print", "signatures_section"]


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
    content: PiContent, version: PiVersion, signatures: Sequence[GraphicSignature]
) -> list[Flowable]:
    head: list[Flowable] = [heading(12, "Firme")]
    if version.status is not PiStatus.FIRMATA:
        head += [draft_mark(), gap(2)]
    unused = list(signatures)
    blocks: list[Flowable] = []
    for signatory in signatories_to_print(content):  # never empty: two roles are required
        graphic = next((g for g in unused if g.role == signatory.role.value), None)
        if graphic is not None:
            unused.remove(graphic)
        blocks += [_block(content, signatory, graphic), Spacer(1, 3 * mm)]
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


def _block(content: PiContent, signatory: Signatory, graphic: GraphicSignature | None) -> Table:
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
    if graphic is not None:
        drawn: Flowable = _signature_image(graphic.png)
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
                ("VALIGN", (0, 0), (0, 0), "BOTTOM"),
                ("LINEBELOW", (0, 0), (0, 0), 0.8, colors.black),
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
