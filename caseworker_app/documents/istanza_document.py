"""The istanza printed as the avviso's Allegato A: the application with its self-declarations.

Sections, in the order of the Lombardy forms (seed 003 art. 3: "apposito modulo (Allegato A)
comprensivo di dichiarazione del possesso dei criteri e requisiti"): avviso and protocol, the
applicant and the beneficiary, the self-declarations (☒/☐) under D.P.R. 445/2000, the care
situation, the ISEE, the interventions requested with amounts and periods, the documents, the
payment details and the applicant's place, date and signature.

The wording of the declarations and of the care flags is the wizard's
(``ui/istanza_wizard/pages.py``), repeated here because documents/ must not import the UI.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time
from decimal import Decimal

from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from caseworker_app.documents.base import DocumentSpec, Letterhead, Stamp, content_hash, render
from caseworker_app.documents.formats import format_date, format_datetime, format_money
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
    table,
    text,
)
from caseworker_app.domain.case_sections import Certification, CertificationKind, IseeAttestation
from caseworker_app.domain.comuni import comune_by_code
from caseworker_app.domain.countries import country_name
from caseworker_app.domain.iban import compact_iban, format_iban
from caseworker_app.domain.istanza import Istanza
from caseworker_app.domain.istanza_content import (
    DECLARATIONS,
    Applicant,
    ApplicantRole,
    CaseFacts,
    IstanzaContent,
    judged_isee,
    money,
)
from caseworker_app.domain.person import Anagrafica
from caseworker_app.domain.rules.avviso import Avviso

__all__ = ["CHECKED", "DECLARATION_TEXTS", "UNCHECKED", "render_istanza"]

TITLE_TEXT = "Istanza – Allegato A"
CHECKED = "☒"
UNCHECKED = "☐"
#: The created date of a draft that says nothing datable (never "now": output is deterministic).
UNDATED = datetime(2000, 1, 1)

#: The same sentences as the wizard (ui/istanza_wizard/pages.py DECLARATION_TEXTS).
DECLARATION_TEXTS: dict[str, str] = {
    "requisiti_posseduti":
        "Dichiara che il beneficiario possiede tutti i requisiti di accesso previsti "
        "dall'avviso.",
    "composizione_nucleo":
        "Dichiara che la composizione del nucleo familiare è quella indicata nella cartella e "
        "nella Dichiarazione Sostitutiva Unica (DSU) dell'ISEE.",
    "nessuna_misura_incompatibile":
        "Dichiara che il beneficiario non fruisce di misure, contributi o servizi "
        "incompatibili con quanto richiesto, secondo l'avviso.",
    "impegno_comunicare_variazioni":
        "Si impegna a comunicare al Comune entro 15 giorni ogni variazione della situazione "
        "dichiarata (ad esempio ricovero definitivo in struttura, trasferimento o decesso "
        "del beneficiario).",
    "presa_visione_controlli":
        "Prende atto che saranno effettuati controlli a campione, su almeno il 5% delle "
        "istanze, sulla veridicità delle dichiarazioni e che le dichiarazioni false "
        "comportano la decadenza dal beneficio e le sanzioni degli artt. 75 e 76 del "
        "D.P.R. 445/2000.",
    "presa_visione_informativa":
        "Dichiara di aver ricevuto e letto l'informativa sul trattamento dei dati personali "
        "(Regolamento UE 2016/679).",
}  # fmt: skip
DECLARATIONS_INTRO = (
    "Il richiedente, consapevole delle responsabilità penali per le dichiarazioni false "
    "(D.P.R. 445/2000):"
)
#: The care flags as the wizard words them (CarePage).
CARE_TEXTS: tuple[tuple[str, str], ...] = (
    ("lives_at_home", "Vive al proprio domicilio (non in struttura)"),
    ("family_caregiver_only",
     "È assistito dal solo caregiver familiare, senza personale retribuito"),
    ("employed_assistant",
     "Ha un'assistente familiare assunto con regolare contratto di lavoro"),
    ("self_managed_project",
     "Ha un progetto di vita indipendente autogestito (assistente personale)"),
)  # fmt: skip
ROLE_TEXTS: dict[ApplicantRole, str] = {
    ApplicantRole.BENEFICIARIO: "il beneficiario stesso",
    ApplicantRole.FAMILIARE: "familiare del beneficiario",
    ApplicantRole.RAPPRESENTANTE_LEGALE: "rappresentante legale del beneficiario",
    ApplicantRole.GENITORE: "genitore del beneficiario minore",
}
ISEE_TYPE_TEXTS: dict[str, str] = {
    "sociosanitario": "Sociosanitario",
    "sociosanitario_ristretto": "Sociosanitario ristretto",
    "ordinario": "Ordinario",
    "minorenni": "Minorenni",
    "corrente": "Corrente",
}
DOCUMENT_TEXTS: dict[str, str] = {
    "documento_identita": "Documento d'identità del richiedente",
    "codice_fiscale": "Codice fiscale / tessera sanitaria",
    "isee": "Attestazione ISEE",
    "verbale_invalidita": "Verbale di invalidità",
    "certificazione_104": "Certificazione L.104/1992",
    "permesso_soggiorno": "Permesso di soggiorno",
    "spese_quietanzate": "Spese quietanzate",
    "buste_paga_assistente": "Buste paga dell'assistente familiare",
    "contratto_assistente": "Contratto dell'assistente familiare",
    "informativa_privacy": "Informativa privacy firmata",
}
CERTIFICATION_TEXTS: dict[CertificationKind, str] = {
    CertificationKind.L104_ART3_C3: "L.104/1992 art. 3 c. 3 (gravità)",
    CertificationKind.INVALIDITA_CIVILE: "Invalidità civile",
    CertificationKind.INDENNITA_ACCOMPAGNAMENTO: "Indennità di accompagnamento",
    CertificationKind.INDENNITA_FREQUENZA: "Indennità di frequenza (minori)",
}
_FULL = 174 * mm  # A4 minus the margins
_AMOUNT = ParagraphStyle("amount", parent=CELL, alignment=TA_RIGHT)
_AMOUNT_BOLD = ParagraphStyle("amountBold", parent=CELL_BOLD, alignment=TA_RIGHT)


def _comune_name(code: str) -> str:
    if not code.strip():
        return ""
    found = comune_by_code(code)
    if found is None:
        return code
    return found.name if found.is_foreign else f"{found.name} ({found.province})"


def _fields(rows: Sequence[tuple[str, str]]) -> Table:
    """Label / value rows, like the blanks of a paper form."""
    data = [[text(label, CELL_BOLD), text(value or "—", CELL)] for label, value in rows]
    result = Table(data, colWidths=[50 * mm, _FULL - 50 * mm], hAlign="LEFT")
    result.setStyle(
        TableStyle(
            [
                TABLE_FONT,
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return result


def _ticks(rows: Sequence[tuple[bool, str]]) -> Table:
    data = [[text(CHECKED if ticked else UNCHECKED, CELL_BOLD if ticked else CELL),
             text(wording, CELL)] for ticked, wording in rows]  # fmt: skip
    result = Table(data, colWidths=[8 * mm, _FULL - 8 * mm], hAlign="LEFT")
    result.setStyle(
        TableStyle(
            [
                TABLE_FONT,
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
            ]
        )
    )
    return result


def _section(heading: str, *body: Flowable) -> list[Flowable]:
    """A heading kept with the start of its body (never alone at the foot of a page)."""
    first, *rest = body
    return [KeepTogether([text(heading, HEADING), first]), *rest]


def _applicant(applicant: Applicant, beneficiary: str) -> list[tuple[str, str]]:
    if applicant.role is ApplicantRole.BENEFICIARIO:
        return [("Richiedente", f"{beneficiary} ({ROLE_TEXTS[applicant.role]})")]
    name = " ".join(p for p in (applicant.surname, applicant.given_name) if p)
    return [
        ("Cognome e nome", name),
        ("Codice fiscale", applicant.codice_fiscale),
        ("In qualità di", ROLE_TEXTS[applicant.role]),
        ("Titolo", applicant.title),
    ]


def _address(address: str, cap: str, comune: str) -> str:
    place = " ".join(p for p in (cap, _comune_name(comune)) if p)
    return ", ".join(p for p in (address, place) if p)


def _citizenship(code: str) -> str:
    """The state by its Italian name ("Italia"); an empty value (older cartelle) says so."""
    if not code.strip():
        return "non indicata"
    return country_name(code) or code.strip().upper()


def _beneficiary(a: Anagrafica) -> list[tuple[str, str]]:
    birth = ", ".join(p for p in (_comune_name(a.birth_place_code), format_date(a.birth_date))
                      if p)  # fmt: skip
    rows = [
        ("Cognome e nome", f"{a.surname} {a.given_name}".strip()),
        ("Codice fiscale", a.codice_fiscale),
        ("Luogo e data di nascita", birth),
        ("Sesso", {"M": "maschile", "F": "femminile"}.get(a.sex.value if a.sex else "", "")),
        ("Cittadinanza", _citizenship(a.citizenship)),
        ("Residenza", _address(a.residence_address, a.residence_cap, a.residence_comune)),
    ]
    domicile = _address(a.domicile_address, a.domicile_cap, a.domicile_comune)
    if domicile:
        rows.append(("Domicilio (se diverso)", domicile))
    rows.append(("Telefono", a.phone))
    rows.append(("E-mail", a.email))
    return rows


def _certification(c: Certification) -> list[str]:
    details = [c.issuer, f"{c.percent}%" if c.percent is not None else "", c.note]
    return [CERTIFICATION_TEXTS.get(c.kind, c.kind.value), format_date(c.issued_on),
            " · ".join(d for d in details if d)]  # fmt: skip


def _isee_rows(isee: Sequence[tuple[str, IseeAttestation]]) -> list[list[str]]:
    rows = []
    for _key, att in isee:
        value = format_money(att.value) if att.value is not None else "—"
        flag = " (con omissioni/difformità)" if att.omissioni else ""
        rows.append([ISEE_TYPE_TEXTS.get(att.isee_type, att.isee_type), value,
                     att.dsu_protocol or "—", format_date(att.issued_on),
                     format_date(att.validity_end()) + flag])  # fmt: skip
    return rows


def _extra_text(extra: Mapping[str, object]) -> list[str]:
    return [f"{key.replace('_', ' ')}: {extra[key]}" for key in sorted(extra)]


def _request_rows(
    content: IstanzaContent, avviso: Avviso
) -> tuple[list[list[str | Flowable]], Decimal]:
    rows: list[list[str | Flowable]] = []
    total = Decimal("0")
    for line in content.requests:
        intervention = avviso.interventions.get(line.code)
        label = intervention.label if intervention is not None else line.code
        period = ""
        if line.start or line.end:
            period = f"dal {format_date(line.start) or '…'} al {format_date(line.end) or '…'}"
        details = ([f"giorni: {line.days}"] if line.days is not None else []) + _extra_text(
            line.extra
        )
        amount = money(line.amount) if line.amount.strip() else None
        if amount is not None:
            total += amount
        shown = format_money(amount) if amount is not None else "da indicare"
        rows.append([label, period, "; ".join(details), text(shown, _AMOUNT)])
    return rows, total


def _document_rows(content: IstanzaContent) -> list[list[str]]:
    rows = []
    for doc in content.documents:
        if doc.received_on is not None:
            state = f"ricevuto il {format_date(doc.received_on)}"
        elif doc.promised_by is not None:
            state = f"da presentare entro il {format_date(doc.promised_by)}"
        else:
            state = "non presentato"
        rows.append([DOCUMENT_TEXTS.get(doc.code, doc.code), state])
    return rows


def _payment(content: IstanzaContent) -> list[Flowable]:
    if compact_iban(content.iban):
        return [_fields([("IBAN", format_iban(content.iban)),
                         ("Intestatario del conto", content.iban_holder)])]  # fmt: skip
    if content.requests and not content.needs_iban():
        return [text("Non richiesto: gli interventi richiesti sono voucher pagati direttamente "
                     "all'ente erogatore.", BODY)]  # fmt: skip
    return [_fields([("IBAN", ""), ("Intestatario del conto", "")])]


def _signature(place: str, day: str) -> Table:
    rows = [
        [text("Luogo e data", CELL_BOLD), text("Firma del richiedente", CELL_BOLD)],
        [text(", ".join(p for p in (place, day) if p), CELL), text("", CELL)],
    ]
    result = Table(rows, colWidths=[_FULL / 2, _FULL / 2], rowHeights=[6 * mm, 14 * mm])
    result.setStyle(
        TableStyle(
            [
                TABLE_FONT,
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("LINEBELOW", (0, 1), (-1, 1), 0.6, RULE),
                ("RIGHTPADDING", (0, 0), (0, -1), 10 * mm),
            ]
        )
    )
    return result


def created_of(istanza: Istanza, content: IstanzaContent) -> datetime:
    """The document's fixed creation date: the submission, else the day it was presented, else
    the latest date the content carries, else a fixed date (never the clock)."""
    if istanza.submitted_at is not None:
        return istanza.submitted_at
    if content.presented_on is not None:
        return datetime.combine(content.presented_on, time())
    days: list[date] = [d for line in content.requests for d in (line.start, line.end) if d]
    days += [d for doc in content.documents for d in (doc.received_on, doc.promised_by) if d]
    return datetime.combine(max(days), time()) if days else UNDATED


def _data(
    istanza: Istanza,
    content: IstanzaContent,
    facts: CaseFacts,
    avviso: Avviso,
    isee: Sequence[tuple[str, IseeAttestation]],
) -> dict[str, object]:
    """What the document shows, for its content hash."""
    return {
        "istanza": {"id": istanza.id, "protocol": istanza.protocol, "comune": istanza.comune,
                    "submitted_at": str(istanza.submitted_at)},
        "avviso": {"id": avviso.id, "version": avviso.version},
        "content": content.to_data(),
        "anagrafica": dataclasses.asdict(facts.anagrafica),
        "certifications": [c.to_data() for c in facts.certifications],
        "isee": [[k, v.to_data()] for k, v in isee],
    }  # fmt: skip


def render_istanza(
    *, letterhead: Letterhead, istanza: Istanza, content: IstanzaContent, facts: CaseFacts,
    avviso: Avviso, isee: Sequence[tuple[str, IseeAttestation]] | None = None,
) -> bytes:  # fmt: skip
    """The PDF of the istanza as the avviso's Allegato A (deterministic for the same input).

    ``isee`` are the attestations the istanza was judged on (:func:`judged_isee`, as the
    printing service gives them); by default they are worked out as of the document's date."""
    if isee is None:
        isee = judged_isee(istanza, facts, content, avviso, now=created_of(istanza, content))
    a = facts.anagrafica
    beneficiary = f"{a.surname} {a.given_name}".strip()
    if istanza.protocol and istanza.submitted_at:
        presented = (f"Protocollo n. {istanza.protocol} del "
                     f"{format_datetime(istanza.submitted_at)}")  # fmt: skip
    elif istanza.protocol:
        presented = f"Protocollo n. {istanza.protocol}"
    else:
        presented = "Istanza non ancora presentata (bozza)"
    story: list[Flowable] = [
        text(TITLE_TEXT, TITLE),
        text(avviso.title, CELL_BOLD),
        text("Riferimenti normativi: " + "; ".join(avviso.legal_basis), SMALL),
        Spacer(1, 3 * mm),
        _fields(
            [
                ("Presentazione", presented),
                ("Destinatario", f"{letterhead.comune} – Servizio sociale"),
            ]
        ),
    ]
    story += _section("Il richiedente", _fields(_applicant(content.applicant, beneficiary)))
    story += _section("Il beneficiario", _fields(_beneficiary(a)))
    if facts.certifications:
        story.append(Spacer(1, 2 * mm))
        story.append(table(["Certificazione", "Data", "Ente, percentuale, note"],
                           [_certification(c) for c in facts.certifications],
                           [70 * mm, 24 * mm, 80 * mm]))  # fmt: skip
    declared = [(content.declarations.get(code, False), DECLARATION_TEXTS[code])
                for code in DECLARATIONS]  # fmt: skip
    story += _section(
        "Dichiarazioni sostitutive (artt. 46 e 47 D.P.R. 445/2000)",
        text(DECLARATIONS_INTRO, BODY), Spacer(1, 1.5 * mm), _ticks(declared),
    )  # fmt: skip
    care = [(bool(getattr(content, field)), wording) for field, wording in CARE_TEXTS]
    story += _section("Situazione di cura del beneficiario", _ticks(care))
    isee_rows = _isee_rows(isee)
    if isee_rows:
        widths = [36 * mm, 26 * mm, 62 * mm, 22 * mm, 28 * mm]
        economic: Flowable = table(["Tipo", "Valore", "Protocollo DSU", "Data", "Validità"],
                                   isee_rows, widths)  # fmt: skip
    else:
        economic = text("Nessuna attestazione ISEE allegata all'istanza.", NOTE)
    story += _section("Situazione economica (ISEE)", economic)
    rows, total = _request_rows(content, avviso)
    if rows:
        rows.append([text("Totale richiesto", CELL_BOLD), "", "",
                     text(format_money(total), _AMOUNT_BOLD)])  # fmt: skip
        lines = table(["Intervento o spesa", "Periodo", "Dettagli", "Importo"],
                      rows, [66 * mm, 52 * mm, 28 * mm, 28 * mm])  # fmt: skip
        lines.setStyle(TableStyle([("LINEABOVE", (0, -1), (-1, -1), 0.8, RULE)]))
        requested: Flowable = lines
    else:
        requested = text("Nessun intervento indicato.", NOTE)
    story += _section("Interventi e spese richiesti", requested)
    documents = _document_rows(content)
    docs: Flowable = (table(["Documento", "Stato"], documents, [110 * mm, 64 * mm])
                      if documents else text("Nessun documento indicato.", NOTE))  # fmt: skip
    story += _section("Documenti allegati", docs)
    story += _section("Modalità di pagamento", *_payment(content))
    day = format_date(istanza.submitted_at or content.presented_on)
    place = _comune_name(istanza.comune).split(" (")[0]
    story.append(KeepTogether([
        Spacer(1, 6 * mm),
        _signature(place, day),
        Spacer(1, 3 * mm),
        text("Si allega copia del documento d'identità del richiedente in corso di validità "
             "(art. 38 D.P.R. 445/2000).", SMALL),
    ]))  # fmt: skip
    spec = DocumentSpec(
        title=TITLE_TEXT,
        letterhead=letterhead,
        stamp=Stamp(istanza.protocol or istanza.id, "istanza", None,
                    content_hash(_data(istanza, content, facts, avviso, isee))),
        created=created_of(istanza, content),
        subject=avviso.title,
    )  # fmt: skip
    return render(spec, story)
