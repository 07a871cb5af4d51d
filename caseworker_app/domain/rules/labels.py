"""Italian names of canonical codes, for the messages of the engine (interchange.md §3)."""

from __future__ import annotations

IN_PLACE = {
    "b1": "Misura B1",
    "b2_buono": "buono sociale Misura B2",
    "b2_2023_finanziata": "Misura B2 2023 (finanziata)",
    "b2_2023_ammessa_non_finanziata": "Misura B2 2023 (ammessa non finanziata)",
    "voucher_anziani_disabili": "voucher anziani e disabili (DGR 7487/2017, 2564/2019)",
    "residenziale_definitivo": "accoglienza residenziale definitiva (RSA, RSD, CSS, Hospice)",
    "sollievo_fsr": "ricovero di sollievo a totale carico del Fondo Sanitario Regionale",
    "provi_assistente": "contributo PRO.VI per assistente personale",
    "rsa_aperta": "Misura RSA aperta (DGR 7769/2018)",
    "home_care_premium": "Home Care Premium (INPS)",
    "semiresidenziale": "servizio semiresidenziale (CDD, CDI, CSE, NPIA diurno)",
    "adi": "assistenza domiciliare integrata",
    "sad": "servizio di assistenza domiciliare",
    "riabilitazione": "riabilitazione",
    "ricovero_ospedaliero": "ricovero ospedaliero",
    "dopo_di_noi": "sostegni Dopo di Noi",
    "bonus_assistente_familiare": "bonus assistente familiare",
}

ISEE = {
    "sociosanitario": "ISEE sociosanitario",
    "sociosanitario_ristretto": "ISEE sociosanitario ristretto",
    "ordinario": "ISEE ordinario",
    "minorenni": "ISEE minorenni",
    "corrente": "ISEE corrente",
}

DOCUMENTS = {
    "documento_identita": "documento d'identità",
    "codice_fiscale": "codice fiscale",
    "isee": "attestazione ISEE",
    "verbale_invalidita": "verbale di invalidità",
    "certificazione_104": "certificazione L.104/1992 art. 3 c. 3",
    "permesso_soggiorno": "permesso di soggiorno",
    "spese_quietanzate": "fatture quietanzate o estratti conto",
    "buste_paga_assistente": "buste paga dell'assistente",
    "contratto_assistente": "contratto dell'assistente",
    "informativa_privacy": "informativa privacy firmata",
}

DISABILITY = {
    "l104_art3_c3": "L.104/1992 art. 3 c. 3",
    "indennita_accompagnamento": "indennità di accompagnamento",
    "invalidita_civile_percent": "invalidità civile",
}


def label(table: dict[str, str], code: str) -> str:
    return table.get(code, code.replace("_", " "))
