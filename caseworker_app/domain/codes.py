"""Canonical codes shared by the interchange formats and the definition files.

interchange.md §3: these may not be renamed; a definition file may add codes of its own
(``extra_codes``), which then travel in that avviso's istanze.
"""

from __future__ import annotations

ISEE_TYPES: tuple[str, ...] = (
    "sociosanitario", "sociosanitario_ristretto", "ordinario", "minorenni", "corrente",
)  # fmt: skip

IN_PLACE_CODES: frozenset[str] = frozenset({
    "b1", "b2_buono", "b2_2023_finanziata", "b2_2023_ammessa_non_finanziata",
    "voucher_anziani_disabili", "residenziale_definitivo", "sollievo_fsr", "provi_assistente",
    "rsa_aperta", "home_care_premium", "semiresidenziale", "adi", "sad", "riabilitazione",
    "ricovero_ospedaliero", "dopo_di_noi", "bonus_assistente_familiare",
})  # fmt: skip

DOCUMENT_CODES: frozenset[str] = frozenset({
    "documento_identita", "codice_fiscale", "isee", "verbale_invalidita", "certificazione_104",
    "permesso_soggiorno", "spese_quietanzate", "buste_paga_assistente", "contratto_assistente",
    "informativa_privacy",
})  # fmt: skip

#: The signed copy (scan or signed PDF) of a PI version: kept with the version, never deleted.
SIGNED_PI_DOCUMENT = "pi_firmato"
