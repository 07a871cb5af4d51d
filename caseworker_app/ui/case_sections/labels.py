"""Italian labels of the case file codes, and money in the Italian format (1.234,56 €)."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from caseworker_app.domain import values

_CONTEXT = "CaseSections"


def _n(text: str) -> str:
    return str(QT_TRANSLATE_NOOP("CaseSections", text))


def tr(text: str) -> str:
    return QCoreApplication.translate(_CONTEXT, text)


ISEE_TYPE_LABELS: dict[str, str] = {
    "sociosanitario": _n("Sociosanitario"),
    "sociosanitario_ristretto": _n("Sociosanitario ristretto"),
    "ordinario": _n("Ordinario"),
    "minorenni": _n("Minorenni"),
    "corrente": _n("Corrente"),
}

IN_PLACE_LABELS: dict[str, str] = {
    "b1": _n("Misura B1"),
    "b2_buono": _n("Misura B2 – buono"),
    "b2_2023_finanziata": _n("Misura B2 2023 – finanziata"),
    "b2_2023_ammessa_non_finanziata": _n("Misura B2 2023 – ammessa non finanziata"),
    "voucher_anziani_disabili": _n("Voucher anziani e disabili"),
    "residenziale_definitivo": _n("Ricovero residenziale definitivo"),
    "sollievo_fsr": _n("Ricovero di sollievo (FSR)"),
    "provi_assistente": _n("Progetto di vita indipendente – assistente"),
    "rsa_aperta": _n("RSA aperta"),
    "home_care_premium": _n("Home Care Premium"),
    "semiresidenziale": _n("Centro semiresidenziale"),
    "adi": _n("ADI – assistenza domiciliare integrata"),
    "sad": _n("SAD – servizio di assistenza domiciliare"),
    "riabilitazione": _n("Riabilitazione"),
    "ricovero_ospedaliero": _n("Ricovero ospedaliero"),
    "dopo_di_noi": _n("Dopo di noi"),
    "bonus_assistente_familiare": _n("Bonus assistente familiare"),
}

DOCUMENT_LABELS: dict[str, str] = {
    "documento_identita": _n("Documento d'identità"),
    "codice_fiscale": _n("Codice fiscale / tessera sanitaria"),
    "isee": _n("Attestazione ISEE"),
    "verbale_invalidita": _n("Verbale di invalidità"),
    "certificazione_104": _n("Certificazione L.104/1992"),
    "permesso_soggiorno": _n("Permesso di soggiorno"),
    "spese_quietanzate": _n("Spese quietanzate"),
    "buste_paga_assistente": _n("Buste paga dell'assistente familiare"),
    "contratto_assistente": _n("Contratto dell'assistente familiare"),
    "informativa_privacy": _n("Informativa privacy firmata"),
    "pi_firmato": _n("Progetto Individuale firmato"),
    "altro": _n("Altro"),
}

CERTIFICATION_LABELS: dict[str, str] = {
    "l104_art3_c3": _n("L.104/1992 art. 3 c. 3 (gravità)"),
    "invalidita_civile": _n("Invalidità civile"),
    "indennita_accompagnamento": _n("Indennità di accompagnamento"),
    "indennita_frequenza": _n("Indennità di frequenza (minori)"),
}

LEGAL_ROLE_LABELS: dict[str, str] = {
    "tutore": _n("Tutore"),
    "amministratore_di_sostegno": _n("Amministratore di sostegno"),
    "curatore": _n("Curatore"),
    "genitore": _n("Genitore (minore)"),
}

MEMBER_KIND_LABELS: dict[str, str] = {
    "familiare": _n("Familiare o persona della rete"),
    "assistente_familiare": _n("Assistente familiare (retribuita)"),
}

DIARY_KIND_LABELS: dict[str, str] = {
    "colloquio": _n("Colloquio"),
    "visita_domiciliare": _n("Visita domiciliare"),
    "equipe_uvm": _n("Équipe / UVM"),
    "telefonata": _n("Telefonata"),
    "relazione": _n("Relazione"),
    "nota": _n("Nota"),
    # kinds of earlier versions, still shown on old notes
    "contatto": _n("Contatto"),
    "visita": _n("Visita"),
}


def label_of(labels: dict[str, str], code: str) -> str:
    """The Italian label of a code; an unknown code is shown as itself."""
    return tr(labels[code]) if code in labels else code


def choices(labels: dict[str, str], *, sort: bool = False) -> list[tuple[str, str]]:
    items = [(code, tr(text)) for code, text in labels.items()]
    return sorted(items, key=lambda item: item[1].casefold()) if sort else items


# -- money -----------------------------------------------------------------------------------


def format_money(value: Decimal | None, *, symbol: bool = True) -> str:
    """12.345,67 € (empty for None)."""
    if value is None:
        return ""
    return values.format_amount(value, symbol=symbol)


def parse_money(text: str) -> Decimal | None:
    """Read 12.345,67 / 12345,67 / 12345.67 / 12.345 (with or without €): the domain's one
    parser, ``values.parse_amount``. Empty gives None; anything else raises
    ``UnreadableValueError``."""
    return values.parse_amount(text)
