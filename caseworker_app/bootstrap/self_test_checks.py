"""The self-test's checks that need no store: definitions, rules, printing, crypto libraries.

Each raises :class:`SelfTestError` (an Italian sentence without personal data) when what it
proves does not hold. The sample istanze are built here, in code, from invented people; the PI
is the fictional sample of documents/pi_sample.py.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

AUTODIAGNOSI_PASSWORD = "autodiagnosi-password"
#: the avviso of the sample istanze and of the demo casework
DEMO_AVVISO = "abbiatense-caregiver-2023"
#: after every deadline of DEMO_AVVISO (as in its worked examples)
JUDGED_ON = date(2024, 2, 1)
_REQUEST = {"code": "rimborso_domiciliare", "amount": "900.00", "from": "2023-03-01",
            "to": "2023-12-31"}  # fmt: skip


class SelfTestError(Exception):
    """A check that did not hold; the message is Italian and holds no personal data."""


# -- definitions -----------------------------------------------------------------------------------


def check_definitions(folder: Path | None = None) -> dict[str, int]:
    """Read and validate every definition file under ``folder`` (default: the installed forms/),
    bypassing the loaders' caches; return how many of each kind. A kind with no file means a
    folder missing from the bundle."""
    from caseworker_app.definitions.ambiti import load_ambito
    from caseworker_app.definitions.avvisi import load_avvisi, load_avviso
    from caseworker_app.definitions.documents import load_document_text
    from caseworker_app.definitions.locate import forms_dir
    from caseworker_app.definitions.scales import load_scale

    root = folder or forms_dir()
    ambiti = {a.id: a for a in (load_ambito(p) for p in sorted(root.glob("ambiti/*.toml")))}
    kinds: dict[str, tuple[str, Callable[[Path], Any]]] = {
        "avvisi": ("avvisi/*.toml", lambda p: load_avviso(p, ambiti=ambiti)),
        "scale": ("scales/*/*.toml", load_scale),
        "documenti": ("documents/*.toml", load_document_text),
    }
    counts = {"ambiti": len(ambiti)}
    for kind, (pattern, load) in kinds.items():
        paths = sorted(root.glob(pattern))
        for path in paths:
            load(path)
        counts[kind] = len(paths)
    empty = [kind for kind, n in counts.items() if n == 0]
    if empty:
        raise SelfTestError(
            "nessuna definizione di " + ", ".join(empty) + " nella cartella forms del programma"
        )
    load_avvisi(folder)  # the file names agree with ids and versions
    return counts


# -- rules -----------------------------------------------------------------------------------------


def sample_record(istanza_id: str, *, isee: str, given_name: str) -> dict[str, object]:
    """A complete, admissible ``caseworker.istanza/1`` record of :data:`DEMO_AVVISO` for an
    invented person (a well-formed codice fiscale that belongs to no one)."""
    from caseworker_app.domain.codice_fiscale import Sex, encode_codice_fiscale

    born = date(1940, 1, 1)
    cf = encode_codice_fiscale(surname="Prova", given_name=given_name, sex=Sex.M,
                               birth_date=born, birthplace_code="F205")  # fmt: skip
    return {
        "format": "caseworker.istanza/1",
        "id": istanza_id,
        "avviso": DEMO_AVVISO,
        "comune": "A010",
        "submitted_at": "2024-01-15T10:30:00",
        "beneficiary": {
            "codice_fiscale": cf,
            "surname": "Prova",
            "given_name": given_name,
            "birth_date": born.isoformat(),
            "sex": "M",
            "residence": "A010",
            "lives_at_home": True,
        },
        "disability": {
            "l104_art3_c3": True,
            "indennita_accompagnamento": False,
            "invalidita_civile_percent": 100,
        },
        "isee": [
            {"type": "sociosanitario", "value": isee, "received_on": "2024-01-10"},
            {"type": "ordinario", "value": "21000.00", "received_on": "2024-01-10"},
        ],
        "care": {
            "family_caregiver_only": True,
            "employed_assistant": False,
            "self_managed_project": False,
        },
        "in_place": [],
        "requests": [_REQUEST],
        "documents": [{"code": "documento_identita", "received_on": "2024-01-15"}],
    }


def check_judging() -> None:
    """Two sample istanze: each admissible, and ranked by ISEE (the lower first), both funded."""
    from caseworker_app.definitions.avvisi import get_avviso
    from caseworker_app.domain.rules.allocation import Funding
    from caseworker_app.domain.rules.verdict import Outcome
    from caseworker_app.services import judging
    from caseworker_app.transfer.istanza_record import parse_istanza

    avviso = get_avviso(DEMO_AVVISO)
    people = (("AUTO-1", "18500.00", "Primo"), ("AUTO-2", "12000.00", "Secondo"))
    records = [
        parse_istanza(sample_record(ident, isee=isee, given_name=name), source="autodiagnosi",
                      avviso=avviso)
        for ident, isee, name in people
    ]  # fmt: skip
    for record in records:
        verdict = judging.check_record(avviso=avviso, record=record, on=JUDGED_ON)
        if verdict.outcome is not Outcome.AMMISSIBILE:
            raise SelfTestError("un'istanza di prova ammissibile non risulta ammissibile")
    ranked = judging.rank_records(avviso=avviso, records=records, on=JUDGED_ON)
    order = [(row.istanza, row.outcome) for row in ranked.rows]
    if order != [("AUTO-2", Funding.FINANZIATA), ("AUTO-1", Funding.FINANZIATA)]:
        raise SelfTestError("la graduatoria delle istanze di prova non è quella attesa")


# -- printing --------------------------------------------------------------------------------------


def check_pi_pdf() -> None:
    """The sample PI printed (fonts, letterhead, QR stamp) and its first page drawn by PDFium,
    as the preview does."""
    from caseworker_app.documents.pi_document import render_pi
    from caseworker_app.documents.pi_sample import (
        SAMPLE_ISTANZA,
        SAMPLE_LETTERHEAD,
        sample_content,
        sample_version,
    )
    from caseworker_app.documents.preview import render_page

    pdf = render_pi(letterhead=SAMPLE_LETTERHEAD, content=sample_content(),
                    version=sample_version(), istanza_ref=SAMPLE_ISTANZA)  # fmt: skip
    if not pdf.startswith(b"%PDF-"):
        raise SelfTestError("la stampa del Progetto Individuale non è un PDF")
    page = render_page(pdf, 0, width=200)
    if page.width != 200 or page.height <= 0 or len(page.pixels) < page.stride * page.height:
        raise SelfTestError("l'anteprima non riesce a disegnare la prima pagina del PDF")


# -- libraries -------------------------------------------------------------------------------------


def check_libraries() -> None:
    """age (pyrage): encrypt to a new X25519 identity and decrypt; Ed25519 (cryptography): sign
    and verify, and refuse a changed message; ReportLab draws with its C accelerator (its
    Python fallback would make the long documents, the public graduatoria, several times
    slower: a frozen build that left it out is caught here)."""
    from cryptography.exceptions import InvalidSignature
    from reportlab.lib import rl_accel

    if type(rl_accel.fp_str).__name__ != "builtin_function_or_method":
        raise SelfTestError("manca l'acceleratore di ReportLab (_rl_accel)")
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from pyrage import decrypt, encrypt, x25519

    message = b"caseworker: autodiagnosi"
    identity = x25519.Identity.generate()
    if decrypt(encrypt(message, [identity.to_public()]), [identity]) != message:
        raise SelfTestError("la libreria age non rilegge quello che ha cifrato")
    key = Ed25519PrivateKey.generate()
    signature = key.sign(message)
    key.public_key().verify(signature, message)
    try:
        key.public_key().verify(signature, message + b"!")
    except InvalidSignature:
        return
    raise SelfTestError("la libreria di firma accetta un messaggio modificato")
