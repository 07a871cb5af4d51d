"""The attestazione of a transmission: the comune's cover letter to the capofila (seed 003 §10).

The comune transmits to the Ufficio di Piano of the comune capofila "le istanze ricevute con i
documenti allegati e l'attestazione predisposta". This is that attestazione: the comune as
sender, the Ufficio di Piano as addressee, the avviso(s), the transmission's identity (UUID,
date and time, file name, the fingerprint of the sender's key), the operator who prepared it, the
attestation sentence, one row per istanza with what is attached, the totals, and the place, date
and signature lines. The operator prints it, signs it and files it in the comune's protocol.

It travels inside the encrypted transfer file and is kept in the store, yet it holds **no
personal data of the beneficiaries**: its input (:class:`AttestazioneData`) has no field for a
name, a codice fiscale or an ISEE value; an istanza is named by its protocol number only.

Deterministic like every document (``documents/base.py``): the PDF's dates are the
transmission's, its QR stamp carries the transmission UUID and the hash of the data shown.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from caseworker_app.documents.base import DocumentSpec, Letterhead, Stamp, content_hash, render
from caseworker_app.documents.formats import format_date, format_datetime
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
    field_table,
    table,
    text,
)
from caseworker_app.domain.installation_keys import FINGERPRINT_DIGITS, Fingerprint

__all__ = ["TITLE_TEXT", "AttestazioneData", "AttestazioneLine", "render_attestazione"]

TITLE_TEXT = "Attestazione di trasmissione delle istanze"
STAMP_KIND = "attestazione"
STATEMENT = (
    "Si attesta che le istanze elencate sono state ricevute e istruite dal Comune, che la "
    "verifica dei requisiti di accesso e dei dati autodichiarati ha avuto esito positivo e che "
    "sono trasmesse con la documentazione allegata indicata per ciascuna, secondo quanto "
    "previsto dall'avviso."
)
ATTACHMENTS_NOTE = (
    "Avviso: il numero dell'avviso nell'elenco sopra. Per ogni istanza sono trasmessi l'istanza "
    "e i documenti allegati (compresa l'attestazione ISEE); la scheda di valutazione sociale, le "
    "schede ADL e IADL e il progetto individuale firmato sono trasmessi quando l'avviso li "
    "richiede per quell'istanza. Le istanze sono indicate solo con il numero di protocollo: il "
    "documento non contiene dati personali dei beneficiari."
)
SIGNER = "Il Responsabile del Servizio / L'Assistente sociale"
_FULL = 174 * mm  # A4 minus the margins
#: N., protocollo, avviso (its number in the list above the table), versione, presentata il,
#: documenti, valutazione, schede, PI firmato: every header fits on one line at the cell size
_WIDTHS = tuple(w * mm for w in (9, 33, 14, 12, 25, 21, 23, 16, 21))
_YES, _NO = "sì", "no"


@dataclass(frozen=True)
class AttestazioneLine:
    """One istanza transmitted: its protocol and what travels with it (counts, yes/no)."""

    protocol: str
    avviso: str  # the avviso id
    version: int  # the istanza's version sent (1, then 2 for a correction, …)
    submitted_on: date
    documents: int  # documents attached (the ISEE attestation among them)
    evaluation: bool  # the social evaluation travels
    sheets: int  # ADL / IADL sheets
    pi_signed: bool  # the signed PDF of the Progetto Individuale travels


@dataclass(frozen=True)
class AttestazioneData:
    """What the attestazione shows. No field may hold a beneficiary's personal data."""

    comune_code: str  # codice catastale of the sender, e.g. "H560"
    comune_name: str  # "Rosate" (or "Comune di Rosate")
    capofila_name: str  # the comune capofila, e.g. "Abbiategrasso"
    ambito_name: str  # e.g. "Ambito territoriale dell'Abbiatense"
    avvisi: tuple[tuple[str, str], ...]  # (id, title) of the avvisi of the lines
    transmission: str  # the transmission UUID
    created_at: datetime
    file_name: str  # the transfer file's name
    fingerprint: str  # the sender key's fingerprint (40 digits, grouped or not)
    operator_name: str
    operator_qualifica: str
    lines: tuple[AttestazioneLine, ...]


def _bare(name: str) -> str:
    """The comune's bare name: ``Rosate`` for "Rosate" and for "Comune di Rosate"."""
    return re.sub(r"^\s*comune\s+di\s+", "", name, flags=re.IGNORECASE).strip()


def _fingerprint(value: str) -> str:
    """Eight groups of five digits; any other text as given (never refused on paper)."""
    digits = re.sub(r"[\s\-]", "", value)
    if len(digits) == FINGERPRINT_DIGITS and digits.isascii() and digits.isdigit():
        return Fingerprint(digits).display
    return value.strip()


def _fields(rows: Sequence[tuple[str, str]], label: float = 58 * mm) -> Table:
    return field_table(rows, label=label, width=_FULL)


def _yes(value: bool) -> str:
    return _YES if value else _NO


def _rows(lines: Sequence[AttestazioneLine], numbers: dict[str, str]) -> list[list[str | Flowable]]:
    rows: list[list[str | Flowable]] = [
        [str(n), line.protocol, numbers.get(line.avviso, line.avviso), str(line.version),
         format_date(line.submitted_on),
         str(line.documents), _yes(line.evaluation), str(line.sheets), _yes(line.pi_signed)]
        for n, line in enumerate(lines, start=1)
    ]  # fmt: skip
    rows.append(
        ["", f"Totale: {len(lines)}", "", "", "", str(sum(x.documents for x in lines)),
         str(sum(x.evaluation for x in lines)), str(sum(x.sheets for x in lines)),
         str(sum(x.pi_signed for x in lines))]
    )  # fmt: skip
    return rows


def _istanze(lines: Sequence[AttestazioneLine], numbers: dict[str, str]) -> Flowable:
    if not lines:
        return text("Nessuna istanza.", NOTE)
    header = ["N.", "Protocollo", "Avviso", "Vers.", "Presentata il", "Documenti",
              "Valutazione", "Schede", "PI firmato"]  # fmt: skip
    result = table(header, _rows(lines, numbers), _WIDTHS, align_right=(0, 3, 5, 7),
                   bold_last_row=True)  # fmt: skip
    result.setStyle(
        TableStyle(
            [
                ("LINEABOVE", (0, -1), (-1, -1), 0.8, RULE),
                ("ALIGN", (2, 0), (2, -1), "CENTER"),
                ("ALIGN", (6, 0), (6, -1), "CENTER"),
                ("ALIGN", (8, 0), (8, -1), "CENTER"),
            ]
        )
    )
    return result


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _totals(lines: Sequence[AttestazioneLine]) -> str:
    """The totals in words, under the table: ``Totale trasmesso: 3 istanze, 9 documenti…``."""
    parts = (
        _count(len(lines), "istanza", "istanze"),
        _count(sum(x.documents for x in lines), "documento allegato", "documenti allegati"),
        _count(sum(x.evaluation for x in lines), "scheda di valutazione sociale",
               "schede di valutazione sociale"),
        _count(sum(x.sheets for x in lines), "scheda ADL o IADL", "schede ADL e IADL"),
        _count(sum(x.pi_signed for x in lines), "progetto individuale firmato",
               "progetti individuali firmati"),
    )  # fmt: skip
    return "Totale trasmesso: " + ", ".join(parts) + "."


def _signature(place: str, day: str) -> Table:
    rows = [
        [text("Luogo e data", CELL_BOLD), text(SIGNER, CELL_BOLD)],
        [text(", ".join(p for p in (place, day) if p), CELL), text("", CELL)],
        [text("", SMALL), text("(firma e timbro)", SMALL)],
    ]
    result = Table(rows, colWidths=[_FULL / 2, _FULL / 2],
                   rowHeights=[5 * mm, 13 * mm, 4 * mm])  # fmt: skip
    result.setStyle(
        TableStyle(
            [
                TABLE_FONT,
                ("VALIGN", (0, 0), (-1, 1), "BOTTOM"),
                ("VALIGN", (0, 2), (-1, 2), "TOP"),
                ("TOPPADDING", (0, 2), (-1, 2), 1),
                ("LINEBELOW", (1, 1), (1, 1), 0.6, RULE),
                ("RIGHTPADDING", (0, 0), (0, -1), 10 * mm),
            ]
        )
    )
    return result


def _data(data: AttestazioneData) -> dict[str, object]:
    """What the document shows, for its content hash."""
    return dataclasses.asdict(data)


def render_attestazione(data: AttestazioneData) -> bytes:
    """The PDF of the attestazione of one transmission (deterministic for the same input)."""
    comune = _bare(data.comune_name) or data.comune_code
    capofila = _bare(data.capofila_name)
    sender = f"Comune di {comune}"
    if data.comune_code.strip():
        sender += f" (codice catastale {data.comune_code.strip()})"
    addressee = f"Ufficio di Piano — Comune capofila di {capofila}"
    operator = ", ".join(p for p in (data.operator_name.strip(),
                                     data.operator_qualifica.strip()) if p)  # fmt: skip
    numbers = {avviso_id: str(n) for n, (avviso_id, _title) in enumerate(data.avvisi, start=1)}
    avvisi = [f"{numbers[avviso_id]}. {title} ({avviso_id})" for avviso_id, title in data.avvisi]
    story: list[Flowable] = [
        _fields(
            [
                ("Mittente", sender),
                ("Destinatario", f"{addressee}\n{data.ambito_name}".strip()),
            ],
            label=30 * mm,
        ),
        Spacer(1, 3 * mm),
        text(TITLE_TEXT, TITLE),
        text("Avviso" if len(avvisi) == 1 else "Avvisi", CELL_BOLD),
        *[text(line, BODY) for line in avvisi],
        Spacer(1, 2 * mm),
        KeepTogether(
            [
                text("Trasmissione", HEADING),
                _fields(
                    [
                        ("Identificativo", data.transmission),
                        ("Data e ora", format_datetime(data.created_at)),
                        ("File", data.file_name),
                        ("Impronta chiave del Comune", _fingerprint(data.fingerprint)),
                        ("Predisposta da", operator),
                        ("Protocollo in uscita", "n. ____________ del ____________"),
                    ]
                ),
            ]
        ),
        Spacer(1, 4 * mm),
        text(STATEMENT, BODY),
        KeepTogether([text("Istanze trasmesse", HEADING), text(ATTACHMENTS_NOTE, SMALL)]),
        Spacer(1, 1.5 * mm),
        _istanze(data.lines, numbers),
        # the signature never stands alone on a page: the totals it attests go with it
        KeepTogether(
            [
                Spacer(1, 2 * mm),
                text(_totals(data.lines), CELL_BOLD),
                Spacer(1, 5 * mm),
                _signature(comune, format_date(data.created_at)),
            ]
        ),
    ]
    spec = DocumentSpec(
        title=TITLE_TEXT,
        letterhead=Letterhead(ambito=data.ambito_name, comune=sender.split(" (")[0]),
        stamp=Stamp(data.transmission, STAMP_KIND, None, content_hash(_data(data))),
        created=data.created_at,
        subject=f"Trasmissione {data.transmission} all'Ufficio di Piano",
    )
    return render(spec, story)
