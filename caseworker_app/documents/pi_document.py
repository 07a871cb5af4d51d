"""The printed Progetto Individuale: the twelve sections of casefile.md, in order, as a PDF.

:func:`render_pi` is pure: the same version and content print byte-identically (the creation
date comes from the version, never from the clock). The QR stamp on every page names the istanza,
the kind ``pi``, the version number and the hash of the content, so that a scanned signed copy
finds the version it belongs to. Neither the file's metadata nor the stamp hold personal data.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from caseworker_app.documents.base import (
    DocumentSpec,
    GraphicSignature,
    Letterhead,
    Stamp,
    content_hash,
    render,
)
from caseworker_app.documents.formats import format_datetime, format_money
from caseworker_app.documents.pi_parts import (
    CERTIFICATION,
    DASH,
    NETWORK_ROLE,
    SCALE,
    TARGET_GROUP,
    VERSION_KIND,
    WIDTH,
    amount,
    day,
    empty,
    fields,
    gap,
    grid,
    heading,
    name_of,
    narrative,
    or_dash,
    period,
    subheading,
)
from caseworker_app.documents.pi_sections import (
    budget_section,
    compatibility_section,
    monitoring_section,
)
from caseworker_app.documents.pi_signatures import (
    DigitalSignature,
    draft_mark,
    signatures_section,
)
from caseworker_app.documents.styles import CELL, SMALL, TABLE_FONT, TITLE, text
from caseworker_app.domain.pi import PiContent, PiStatus, PiVersion
from caseworker_app.domain.rules.labels import IN_PLACE, ISEE, label

TITLE_TEXT = "Progetto Individuale"
KIND = "pi"

__all__ = ["KIND", "TITLE_TEXT", "pi_stamp", "render_pi"]


def pi_stamp(*, content: PiContent, version: PiVersion, istanza_ref: str) -> Stamp:
    """What the QR code of every page of this PI says."""
    return Stamp(istanza_ref, KIND, version.number, content_hash(content.to_data()))


def render_pi(
    *,
    letterhead: Letterhead,
    content: PiContent,
    version: PiVersion,
    istanza_ref: str,
    signatures: Sequence[GraphicSignature] = (),
    code_labels: Mapping[str, str] | None = None,
    digital: Sequence[DigitalSignature] = (),
) -> bytes:
    """The PDF of one PI version (deterministic: the same input gives the same bytes).

    ``code_labels`` names the interventions by the avviso's labels (the code is printed
    otherwise).

    ``istanza_ref`` is the istanza's protocol (or its id before protocol), printed in the footer
    and the QR stamp. ``signatures`` are the graphic signatures captured on the pad, drawn into
    the block of the signatory with the same role. ``digital`` are the verified PAdES
    signatures of the version's signed copies: "Firmato digitalmente da … il …" in the block of
    the signatory they belong to.
    """
    kind = name_of(VERSION_KIND, content.header.version_kind.value)
    spec = DocumentSpec(
        title=TITLE_TEXT,
        letterhead=letterhead,
        stamp=pi_stamp(content=content, version=version, istanza_ref=istanza_ref),
        created=version.signed_at or version.updated_at,
        subject=f"{TITLE_TEXT}, versione {version.number} ({kind})",
    )
    story: list[Flowable] = [
        *_title(content, version),
        *_header(letterhead, content, version, istanza_ref),
        *_beneficiary(content),
        *_network(content),
        *_evaluation(content),
        *_economic(content),
        *_services(content),
        *_objectives(content),
        *_interventions(content, code_labels or {}),
        *budget_section(content),
        *compatibility_section(content),
        *monitoring_section(content),
        *signatures_section(content, version, signatures, digital),
    ]
    return render(spec, story)


def _title(content: PiContent, version: PiVersion) -> list[Flowable]:
    left: list[Flowable] = [text(TITLE_TEXT, TITLE)]
    if content.header.avviso_title:
        left.append(text(content.header.avviso_title, SMALL))
    right: Flowable = text("", CELL) if version.status is PiStatus.FIRMATA else draft_mark()
    row = Table([[left, right]], colWidths=[WIDTH - 52 * mm, 52 * mm], hAlign="LEFT")
    row.setStyle(
        TableStyle(
            [
                TABLE_FONT,
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("ALIGN", (1, 0), (1, 0), "RIGHT"),
            ]
        )
    )
    return [row, gap(1)]


def _header(
    letterhead: Letterhead, content: PiContent, version: PiVersion, istanza_ref: str
) -> list[Flowable]:
    h = content.header
    kind = name_of(VERSION_KIND, h.version_kind.value)
    if version.status is PiStatus.FIRMATA:
        state = "firmata"
        if version.signed_at is not None:
            state += f" il {format_datetime(version.signed_at)}"
    else:
        state = "bozza – non firmata"
    avviso = h.avviso_title or h.avviso_id
    if h.avviso_title and h.avviso_id:
        avviso = f"{h.avviso_title} ({h.avviso_id})"
    return [
        heading(1, "Intestazione"),
        fields(
            [
                ("Ambito", h.ambito or letterhead.ambito),
                ("Comune", h.comune or letterhead.comune),
                ("Avviso", avviso),
                ("Riferimenti normativi", h.legal_basis),
                ("Protocollo dell'istanza", h.protocol or istanza_ref),
                ("Data del progetto", day(h.drafted_on)),
                ("Versione", f"n. {version.number} – {kind}"),
                ("Stato", state),
            ]
        ),
    ]


def _beneficiary(content: PiContent) -> list[Flowable]:
    b = content.beneficiary
    born = day(b.birth_date)
    if b.birth_place:
        born = f"{born} – {b.birth_place}" if b.birth_date else b.birth_place
    certifications = []
    for c in b.certifications:
        line = name_of(CERTIFICATION, c.kind)
        if c.percent is not None:
            line += f" {c.percent}%"
        if c.issued_on is not None:
            line += f" del {day(c.issued_on)}"
        if c.issuer:
            line += f" ({c.issuer})"
        certifications.append(line)
    return [
        heading(2, "Beneficiario"),
        fields(
            [
                ("Cognome e nome", f"{b.surname} {b.given_name}".strip()),
                ("Codice fiscale", b.codice_fiscale),
                ("Nascita", born),
                ("Residenza", b.residence),
                ("Domicilio", b.domicile or "come la residenza"),
                ("Destinatario", name_of(TARGET_GROUP, b.target_group.value)),
                ("Certificazioni", "\n".join(certifications) or "Nessuna certificazione"),
            ]
        ),
    ]


def _network(content: PiContent) -> list[Flowable]:
    n = content.network
    out: list[Flowable] = [heading(3, "Rete familiare e di supporto")]
    if n.people:
        rows = [
            [
                name_of(NETWORK_ROLE, p.role.value),
                or_dash(f"{p.surname} {p.given_name}"),
                or_dash(p.relationship),
                "sì" if p.cohabiting else "no",
                DASH if p.care_hours_week is None else str(p.care_hours_week),
                or_dash(p.note),
            ]
            for p in n.people
        ]
        out.append(
            grid(
                ["Ruolo", "Cognome e nome", "Relazione", "Convivente", "Ore/sett.", "Note"],
                rows,
                [27, 33, 20, 22, 20, 48],
            )
        )
    else:
        out.append(empty("Nessuna persona della rete indicata."))
    if n.note.strip():
        out += [subheading("Altre risorse della rete"), narrative(n.note)]
    return out


def _evaluation(content: PiContent) -> list[Flowable]:
    e = content.evaluation
    kind = "multidimensionale con l'ASST" if e.multidimensional else "sociale"
    out: list[Flowable] = [
        heading(4, "Valutazione"),
        fields(
            [
                ("Tipo di valutazione", kind),
                ("Data della visita", day(e.visit_date)),
                ("Luogo della visita", e.place),
                ("Valutatori", ", ".join(e.evaluators)),
            ]
        ),
        subheading("Scale di valutazione"),
    ]
    if e.scales:
        rows = []
        for s in e.scales:
            score = DASH
            if s.score is not None:
                score = f"{s.score} su {s.max}" if s.max is not None else str(s.score)
            rows.append(
                [name_of(SCALE, s.scale), day(s.visit_date), score, or_dash(s.classification)]
            )
        out.append(grid(["Scala", "Data", "Punteggio", "Classe"], rows, [50, 30, 30, 60]))
    else:
        out.append(empty("Nessuna scheda completata."))
    for title, value in (
        ("Situazione abitativa", e.housing),
        ("Rete", e.network),
        ("Bisogni", e.needs),
        ("Rischi", e.risks),
        ("Sintesi della valutazione", e.summary),
    ):
        out += [subheading(title), narrative(value)]
    return out


def _economic(content: PiContent) -> list[Flowable]:
    ec = content.economic
    isee_type = label(ISEE, ec.isee_type) if ec.isee_type else ""
    return [
        heading(5, "Situazione economica"),
        fields(
            [
                ("Tipo di ISEE", isee_type),
                ("Valore ISEE", amount(ec.value)),
                ("Protocollo DSU", ec.dsu_protocol),
                ("Valida fino al", day(ec.valid_until)),
            ]
        ),
    ]


def _services(content: PiContent) -> list[Flowable]:
    out: list[Flowable] = [heading(6, "Servizi e misure già in atto")]
    if not content.services:
        return [*out, empty("Nessun servizio o misura in atto.")]
    rows = [
        [
            label(IN_PLACE, s.code) if s.code else DASH,
            or_dash(s.provider),
            or_dash(s.frequency),
            or_dash(s.funding),
            period(s.start, s.end, two_lines=True),
        ]
        for s in content.services
    ]
    out.append(
        grid(
            ["Servizio o misura", "Ente", "Frequenza", "Finanziamento", "Periodo"],
            rows,
            [46, 34, 26, 28, 36],
        )
    )
    return out


def _objectives(content: PiContent) -> list[Flowable]:
    out: list[Flowable] = [heading(7, "Obiettivi")]
    if not content.objectives:
        return [*out, empty("Nessun obiettivo indicato.")]
    rows = [
        [or_dash(o.dimension), or_dash(o.objective), or_dash(o.indicator)]
        for o in content.objectives
    ]
    out.append(grid(["Dimensione di vita", "Obiettivo", "Indicatore"], rows, [36, 78, 56]))
    return out


INTERVENTION_HEADER = (
    "Intervento", "Ente erogatore", "Quantità", "Periodo", "Mensile", "Totale",
)  # fmt: skip


def _interventions(content: PiContent, code_labels: Mapping[str, str]) -> list[Flowable]:
    out: list[Flowable] = [heading(8, "Interventi")]
    if not content.interventions:
        return [*out, empty("Nessun intervento previsto.")]
    rows: list[list[str | Flowable]] = []
    for i in content.interventions:
        name = code_labels.get(i.code, i.code) if i.code else DASH
        what = f"<b>{escape(name)}</b>"
        described = i.description.strip()
        if described and described != name:
            what += "<br/>" + escape(described).replace("\n", "<br/>")
        when = period(i.start, i.end, two_lines=True)
        rows.append(
            [
                Paragraph(what, CELL),
                or_dash(i.provider),
                or_dash(i.quantity),
                when,
                amount(i.monthly),
                amount(i.total_amount()),
            ]
        )
    monthlies = [i.monthly for i in content.interventions if i.monthly is not None]
    monthly = sum(monthlies, Decimal("0.00")) if monthlies else None
    total = content.totals().interventions_total
    totals = ["Totale interventi", "", "", "", amount(monthly), format_money(total)]
    out.append(
        grid(INTERVENTION_HEADER, rows, [44, 31, 23, 26, 21, 24], amounts=(4, 5), totals=totals)
    )
    return out
