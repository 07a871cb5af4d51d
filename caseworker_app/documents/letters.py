"""The comune's letters to an applicant, in the Italian business-letter layout.

Two letters, both on the documents frame (``documents/base.py``: the comune's letterhead with its
office and contacts, "Pagina x di y", the QR stamp):

- the **comunicazione di esito** (:func:`render_outcome_letter`): the outcome of the istanza in
  the capofila's graduatoria — funded (the amount), partly funded (the amount and why), admitted
  but not funded (the position, and what happens "in caso di scorrimento"), not admitted (the
  reasons, and the remedies: TAR within 60 days, ricorso straordinario within 120);
- the **preavviso di rigetto** (:func:`render_negative_verification_letter`): the comune's
  communication of a negative verification of the requirements (seed 003 §10), under art. 10-bis
  L. 241/1990, with the reasons and the term of 10 days to submit observations, and where.

The layout: the outgoing protocol to fill in and the istanza's reference on the left, the
addressee block on the right (where a window envelope shows it), place and date, "Oggetto:",
the salutation, the body, "Distinti saluti" and the signature block of the officer.

The input dataclasses have **no field for health data**: no diagnosis, scale, ADL/IADL score or
invalidity percent can reach a letter except through a reason line, and the service
(``services/letters.py``) words those without them. Deterministic: the same input prints the
same bytes (the PDF's date is the letter's ``created``).
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from decimal import Decimal
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_JUSTIFY
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from caseworker_app.documents.base import (
    FONT,
    FONT_BOLD,
    DocumentSpec,
    Letterhead,
    Stamp,
    content_hash,
    render,
)
from caseworker_app.documents.formats import format_date, format_money
from caseworker_app.documents.styles import BODY, CELL, CELL_BOLD, RULE, SMALL, TABLE_FONT, text

__all__ = [
    "NEGATIVE_VERIFICATION_TITLE",
    "OUTCOME_TITLE",
    "REPLY_DAYS",
    "Addressee",
    "LetterHeading",
    "LetterOutcome",
    "NegativeVerificationLetter",
    "OutcomeLetter",
    "long_date",
    "render_negative_verification_letter",
    "render_outcome_letter",
]

OUTCOME_TITLE = "Comunicazione di esito dell'istanza"
NEGATIVE_VERIFICATION_TITLE = "Comunicazione dei motivi ostativi (art. 10-bis L. 241/1990)"
OUTCOME_KIND = "esito"
NEGATIVE_VERIFICATION_KIND = "preavviso"
#: the term to submit observations, art. 10-bis L. 241/1990
REPLY_DAYS = 10
SIGNER_ROLE = "Il Responsabile del procedimento"
_FULL = 174 * mm  # A4 minus the margins
_MONTHS = ("gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto",
           "settembre", "ottobre", "novembre", "dicembre")  # fmt: skip
LETTER = ParagraphStyle("letter", parent=BODY, fontSize=9.5, leading=13, alignment=TA_JUSTIFY,
                        spaceAfter=2 * mm)  # fmt: skip
#: the bullet in the embedded font (reportlab's default bullet font, Helvetica, is not embedded)
ITEM = ParagraphStyle("letterItem", parent=LETTER, leftIndent=6 * mm, bulletIndent=1.5 * mm,
                      bulletFontName=FONT, spaceAfter=1.2 * mm)  # fmt: skip
SUBJECT = ParagraphStyle("subject", parent=LETTER, alignment=0, leftIndent=17 * mm,
                         firstLineIndent=-17 * mm)  # fmt: skip
ADDRESS = ParagraphStyle("address", parent=BODY, fontSize=9.5, leading=13)
ADDRESS_NAME = ParagraphStyle("addressName", parent=ADDRESS, fontName=FONT_BOLD)


class LetterOutcome(enum.StrEnum):
    """The outcome a comunicazione di esito tells (the istanza's state after the graduatoria)."""

    FINANZIATA = "finanziata"
    FINANZIATA_PARZIALMENTE = "finanziata_parzialmente"
    AMMESSA_NON_FINANZIATA = "ammessa_non_finanziata"
    NON_AMMISSIBILE = "non_ammissibile"


@dataclass(frozen=True)
class Addressee:
    """Who the letter goes to: the applicant, and where (the lines of the postal address)."""

    name: str  # "Bice Prova"
    capacity: str = ""  # "in qualità di figlia di Ada Prova" ("" when the beneficiary applies)
    address: tuple[str, ...] = ()  # ("Via Roma 1", "20081 Abbiategrasso (MI)")


@dataclass(frozen=True)
class LetterHeading:
    """What every letter says around its body: sender, addressee, place, date, the istanza."""

    letterhead: Letterhead
    addressee: Addressee
    place: str  # the comune's name: "Abbiategrasso"
    dated: date
    created: datetime  # the PDF's date (fixed by the caller: output is deterministic)
    protocol: str  # the istanza's protocol (or its id before it has one)
    submitted_on: date | None
    avviso_title: str
    signer_name: str = ""  # the officer who signs ("" leaves the line to be written by hand)
    signer_qualifica: str = ""


@dataclass(frozen=True)
class OutcomeLetter:
    """The comunicazione di esito. ``amount`` is required for the two funded outcomes;
    ``requested`` (what the rules admitted) is said for a partial funding when known."""

    heading: LetterHeading
    outcome: LetterOutcome
    amount: Decimal | None = None
    requested: Decimal | None = None
    reasons: tuple[str, ...] = ()  # why partly funded / why not admitted
    position: int | None = None  # in the graduatoria
    ranking_number: int | None = None  # the graduatoria's (run's) number
    ranking_date: date | None = None
    determina: str = ""  # "123/2024"
    determina_date: date | None = None
    #: the outcome comes from the capofila's graduatoria; False: from the comune's own
    #: verification of the requirements (an istanza not admitted before transmission)
    ranked: bool = True


@dataclass(frozen=True)
class NegativeVerificationLetter:
    """The preavviso di rigetto: the requirements not met on ``verified_on``."""

    heading: LetterHeading
    reasons: tuple[str, ...]
    verified_on: date
    reply_days: int = REPLY_DAYS
    extra_notes: tuple[str, ...] = field(default=())  # further paragraphs, e.g. a contact


def long_date(day: date) -> str:
    """``3 dicembre 2025`` (``1° marzo``: the Italian ordinal for the first of the month)."""
    first = "1°" if day.day == 1 else str(day.day)
    return f"{first} {_MONTHS[day.month - 1]} {day.year}"


def escape_text(value: str) -> str:
    return escape(value)


def text_markup(markup: str, style: ParagraphStyle, *, bullet: str | None = None) -> Paragraph:
    """A paragraph of already escaped markup (``<b>`` only)."""
    return Paragraph(markup, style, bulletText=bullet)


# -- the parts of every letter -------------------------------------------------------------------


def _top(heading: LetterHeading) -> Table:
    """Left: the outgoing protocol (to fill in) and the istanza referred to; right: the
    addressee block."""
    ref = f"Rif.: istanza prot. n. {heading.protocol}"
    if heading.submitted_on is not None:
        ref += f" del {format_date(heading.submitted_on)}"
    left = [
        text("Prot. n. ____________ del ____________", CELL),
        Spacer(1, 1.5 * mm),
        text(ref, CELL),
    ]
    who = heading.addressee
    right: list[Flowable] = [text("Gent.le Sig./Sig.ra", ADDRESS), text(who.name, ADDRESS_NAME)]
    if who.capacity:
        right.append(text(who.capacity, ADDRESS))
    right += [text(line, ADDRESS) for line in who.address if line.strip()]
    result = Table([[left, right]], colWidths=[_FULL - 82 * mm, 82 * mm], hAlign="LEFT")
    result.setStyle(
        TableStyle(
            [
                TABLE_FONT,
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return result


def _place_and_date(heading: LetterHeading) -> Flowable:
    where = ", ".join(p for p in (heading.place.strip(), long_date(heading.dated)) if p)
    return text(where, LETTER)


def _subject(subject: str) -> Flowable:
    return text_markup(f"<b>Oggetto:</b> {escape_text(subject)}", SUBJECT)


def _salutation(heading: LetterHeading) -> Flowable:
    return text(f"Gentile {heading.addressee.name.strip() or 'richiedente'},", LETTER)


def _items(lines: Sequence[str]) -> list[Flowable]:
    found: list[Flowable] = [
        text_markup(escape_text(line), ITEM, bullet="•") for line in lines if line.strip()
    ]
    return [*found, Spacer(1, 1 * mm)] if found else []


def _contact(head: Letterhead) -> str:
    """``Ufficio Servizi Sociali del Comune di …, <address>``: where the comune's office is,
    as the letterhead's settings say (after "all'")."""
    office = head.office.strip() or "Servizi Sociali"
    where = f"Ufficio {office} del {head.comune.strip()}"
    if head.address.strip():
        where += f", {head.address.strip()}"
    return where


def _signature(heading: LetterHeading) -> Table:
    name = ", ".join(p for p in (heading.signer_name.strip(), heading.signer_qualifica.strip())
                     if p)  # fmt: skip
    rows = [
        [text("", CELL), text(SIGNER_ROLE, CELL_BOLD)],
        [text("", CELL), text(name, CELL)],
        [text("", CELL), text("", CELL)],
        [text("", SMALL), text("(firma)", SMALL)],
    ]
    result = Table(rows, colWidths=[_FULL - 75 * mm, 75 * mm],
                   rowHeights=[5 * mm, 5 * mm, 11 * mm, 4 * mm])  # fmt: skip
    result.setStyle(
        TableStyle(
            [
                TABLE_FONT,
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("VALIGN", (0, 3), (-1, 3), "TOP"),
                ("LINEBELOW", (1, 2), (1, 2), 0.6, RULE),
                ("TOPPADDING", (0, 3), (-1, 3), 1),
            ]
        )
    )
    return result


def _closing(heading: LetterHeading, last: Flowable) -> list[Flowable]:
    """The body's last paragraph, the closing words and the signature, kept together: the
    signature never stands alone on a page."""
    return [KeepTogether([last, Spacer(1, 1 * mm), text("Distinti saluti.", LETTER),
                          Spacer(1, 2 * mm), _signature(heading)])]  # fmt: skip


def _hash_data(letter: OutcomeLetter | NegativeVerificationLetter) -> dict[str, object]:
    """What the letter shows, for its stamp's content hash (the logo's bytes left out)."""
    data = asdict(letter)
    letterhead = dict(data["heading"]["letterhead"])
    letterhead.pop("logo", None)
    data["heading"]["letterhead"] = letterhead
    return data


def _spec(
    title: str, kind: str, letter: OutcomeLetter | NegativeVerificationLetter
) -> DocumentSpec:
    heading = letter.heading
    return DocumentSpec(
        title=title,
        letterhead=heading.letterhead,
        stamp=Stamp(heading.protocol, kind, None, content_hash(_hash_data(letter))),
        created=heading.created,
        subject=f"{title} — istanza {heading.protocol}",
    )


def _story(heading: LetterHeading, subject: str, body: Sequence[Flowable]) -> list[Flowable]:
    return [
        _top(heading),
        Spacer(1, 6 * mm),
        _place_and_date(heading),
        Spacer(1, 2 * mm),
        _subject(subject),
        Spacer(1, 2 * mm),
        _salutation(heading),
        *body[:-1],
        *_closing(heading, body[-1]),
    ]


# -- the comunicazione di esito ------------------------------------------------------------------


def _graduatoria(letter: OutcomeLetter) -> str:
    """``graduatoria d'Ambito n. 2 del 15/03/2024, approvata con determina n. 45/2024 del
    20/03/2024`` — the parts that are known."""
    words = "graduatoria d'Ambito"
    if letter.ranking_number is not None:
        words += f" n. {letter.ranking_number}"
    if letter.ranking_date is not None:
        words += f" del {format_date(letter.ranking_date)}"
    if letter.determina.strip():
        words += f", approvata con determina n. {letter.determina.strip()}"
        if letter.determina_date is not None:
            words += f" del {format_date(letter.determina_date)}"
    return words


def _amount(letter: OutcomeLetter) -> str:
    if letter.amount is None:
        raise ValueError("a funded outcome needs its amount")
    return format_money(letter.amount)


def _outcome_body(letter: OutcomeLetter) -> list[Flowable]:
    heading = letter.heading
    istanza = f"la Sua istanza prot. n. {heading.protocol}"
    if heading.submitted_on is not None:
        istanza += f", presentata il {format_date(heading.submitted_on)}"
    istanza += f" a valere sull'avviso «{heading.avviso_title}»"
    stage = _graduatoria(letter) if letter.ranked else "verifica dei requisiti di accesso"
    opening = f"Si comunica che, a seguito della {stage}, {istanza}"
    outcome = letter.outcome
    body: list[Flowable] = []
    if outcome is LetterOutcome.FINANZIATA:
        body.append(text_markup(escape_text(f"{opening}, è stata ammessa e ") +
                                f"<b>finanziata</b> per un importo di <b>{_amount(letter)}</b>.",
                                LETTER))  # fmt: skip
        body.append(text(_PAYMENT, LETTER))
    elif outcome is LetterOutcome.FINANZIATA_PARZIALMENTE:
        of = (f" (a fronte di {format_money(letter.requested)} ammissibili)"
              if letter.requested is not None else "")  # fmt: skip
        body.append(text_markup(escape_text(f"{opening}, è stata ammessa e ") +
                                f"<b>finanziata parzialmente</b> per un importo di "
                                f"<b>{_amount(letter)}</b>{escape_text(of)}.",
                                LETTER))  # fmt: skip
        body.append(text("Il finanziamento è parziale per il seguente motivo:", LETTER))
        body += _items(letter.reasons or (PARTIAL_DEFAULT,))
        body.append(text(_PAYMENT, LETTER))
    elif outcome is LetterOutcome.AMMESSA_NON_FINANZIATA:
        where = f" alla posizione n. {letter.position}" if letter.position is not None else ""
        body.append(text_markup(escape_text(f"{opening}, è stata ritenuta ammissibile e "
                                            f"collocata in graduatoria{where}, ma ") +
                                "<b>non è stata finanziata</b> per esaurimento delle risorse "
                                "disponibili.", LETTER))  # fmt: skip
        body += _items(letter.reasons)
        body.append(text(SCORRIMENTO, LETTER))
    else:
        body.append(text_markup(escape_text(f"{opening}, ") +
                                "<b>non è stata ammessa</b> per i seguenti motivi:",
                                LETTER))  # fmt: skip
        body += _items(letter.reasons or (NOT_ADMITTED_DEFAULT,))
        body.append(text(APPEAL, LETTER))
    contact = _contact(heading.letterhead)
    body.append(text(f"Per ogni chiarimento è possibile rivolgersi all'{contact}.", LETTER))
    return body


_PAYMENT = (
    "Il contributo sarà erogato secondo le modalità e i tempi previsti dall'avviso, sul conto "
    "indicato nell'istanza. Si ricorda l'impegno a comunicare al Comune entro 15 giorni ogni "
    "variazione della situazione dichiarata (ad esempio ricovero definitivo in struttura, "
    "trasferimento o decesso del beneficiario) e che sulle dichiarazioni rese sono effettuati "
    "controlli a campione (artt. 71 e 75 D.P.R. 445/2000)."
)
PARTIAL_DEFAULT = "le risorse disponibili non coprono per intero l'importo ammissibile."
NOT_ADMITTED_DEFAULT = "non risultano posseduti i requisiti di accesso previsti dall'avviso."
SCORRIMENTO = (
    "In caso di scorrimento della graduatoria, per la disponibilità di ulteriori risorse o per "
    "rinunce o decadenze di altri beneficiari, l'istanza potrà essere finanziata secondo "
    "l'ordine della graduatoria: in tal caso ne sarà data comunicazione."
)
APPEAL = (
    "Avverso il presente provvedimento è ammesso ricorso al TAR per la Lombardia entro 60 "
    "giorni dal ricevimento della presente comunicazione, o ricorso straordinario al "
    "Presidente della Repubblica entro 120 giorni."
)
_SUBJECTS = {
    LetterOutcome.FINANZIATA: "istanza finanziata",
    LetterOutcome.FINANZIATA_PARZIALMENTE: "istanza finanziata parzialmente",
    LetterOutcome.AMMESSA_NON_FINANZIATA: "istanza ammessa non finanziata",
    LetterOutcome.NON_AMMISSIBILE: "istanza non ammessa",
}


def render_outcome_letter(letter: OutcomeLetter) -> bytes:
    """The PDF of the comunicazione di esito (deterministic for the same input)."""
    heading = letter.heading
    subject = (f"Avviso «{heading.avviso_title}» — comunicazione di esito dell'istanza prot. "
               f"n. {heading.protocol}: {_SUBJECTS[letter.outcome]}.")  # fmt: skip
    story = _story(heading, subject, _outcome_body(letter))
    return render(_spec(OUTCOME_TITLE, OUTCOME_KIND, letter), story)


# -- the preavviso di rigetto (art. 10-bis L. 241/1990) ------------------------------------------


def _negative_body(letter: NegativeVerificationLetter) -> list[Flowable]:
    heading = letter.heading
    head = heading.letterhead
    istanza = f"In riferimento alla Sua istanza prot. n. {heading.protocol}"
    if heading.submitted_on is not None:
        istanza += f" del {format_date(heading.submitted_on)}"
    istanza += f", presentata a valere sull'avviso «{heading.avviso_title}»"
    days = letter.reply_days
    where = (
        f"Le osservazioni e gli eventuali documenti possono essere consegnati all'{_contact(head)}"
    )
    if head.pec.strip():
        where += f", oppure inviati tramite PEC all'indirizzo {head.pec.strip()}"
    where += ", indicando il numero di protocollo dell'istanza."
    body: list[Flowable] = [
        text(f"{istanza}, si comunica che dalla verifica dei requisiti di accesso svolta da "
             f"questo Comune alla data del {format_date(letter.verified_on)} sono emersi i "
             "seguenti motivi che ostano all'accoglimento dell'istanza:", LETTER),
        *_items(letter.reasons),
        text_markup(escape_text("Ai sensi dell'art. 10-bis della Legge 7 agosto 1990, n. 241, ") +
                    f"<b>entro {days} giorni dal ricevimento</b> della presente comunicazione "
                    "Ella ha il diritto di presentare per iscritto le proprie osservazioni, "
                    "eventualmente corredate da documenti.", LETTER),
        text(where, LETTER),
        text("La presente comunicazione sospende i termini di conclusione del procedimento, che "
             "ricominciano a decorrere dieci giorni dopo la presentazione delle osservazioni o, "
             "in mancanza delle stesse, dalla scadenza del termine sopra indicato. In assenza di "
             "osservazioni, o qualora queste non consentano di superare i motivi indicati, "
             "l'istanza sarà dichiarata non ammissibile e non sarà trasmessa all'Ufficio di "
             "Piano per la graduatoria d'Ambito; ne sarà data comunicazione.", LETTER),
        *[text(note, LETTER) for note in letter.extra_notes],
    ]  # fmt: skip
    return body


def render_negative_verification_letter(letter: NegativeVerificationLetter) -> bytes:
    """The PDF of the preavviso di rigetto (deterministic for the same input)."""
    heading = letter.heading
    subject = (f"Avviso «{heading.avviso_title}» — istanza prot. n. {heading.protocol}: "
               "comunicazione dei motivi ostativi all'accoglimento dell'istanza (art. 10-bis "
               "L. 241/1990).")  # fmt: skip
    story = _story(heading, subject, _negative_body(letter))
    return render(_spec(NEGATIVE_VERIFICATION_TITLE, NEGATIVE_VERIFICATION_KIND, letter), story)
