"""Messages of the signatures of the Progetto Individuale (services/signatures.py, pades.py).

Params: ``count`` and ``roles`` (signatory role codes); never personal data.
"""

MESSAGES: dict[str, str] = {
    "signature.method_unknown": (
        "Modo di acquisizione della firma non riconosciuto: usa la penna, il dito o il mouse."
    ),
    "signature.png_invalid": (
        "La firma acquisita non è un'immagine valida: cancellala e falla ripetere."
    ),
    "signature.role_unknown": (
        "Questo firmatario non è previsto dal Progetto Individuale: aggiungilo tra i firmatari "
        "prima di acquisire la sua firma."
    ),
    "signature.signatories_incomplete": (
        "Mancano {count} firmatari obbligatori o i loro nomi ({roles}): completa l'elenco dei "
        "firmatari nel Progetto Individuale, poi allega di nuovo la copia firmata."
    ),
    "signature.pdf_unreadable": (
        "Il file scelto non è un PDF leggibile (danneggiato o protetto da password). Scegli il "
        "PDF firmato così come l'hai ricevuto."
    ),
    "signature.pdf_unsigned": (
        "Il PDF scelto non contiene nessuna firma digitale. Per una copia firmata a mano usa "
        "«Allega scansione firmata…»."
    ),
    "signature.pdf_altered": (
        "Il PDF è stato modificato dopo la firma: la firma digitale non è più integra. Fatti "
        "mandare di nuovo il file firmato originale."
    ),
    "signature.pdf_invalid": (
        "La firma digitale del PDF non è valida. Fatti mandare di nuovo il file firmato o "
        "chiedi a chi ha firmato di ripetere la firma."
    ),
    "signature.pkcs12_unreadable": (
        "Impossibile aprire il certificato di firma: controlla la password del file .p12/.pfx "
        "e di aver scelto il file giusto."
    ),
    "signature.trust_root_unreadable": (
        "Uno dei certificati di fiducia configurati non è leggibile: controlla le impostazioni "
        "della firma digitale."
    ),
    "signature.final_pdf_needs_signed_version": (
        "La versione {number} non è ancora firmata: firma prima la versione (firme dei "
        "firmatari o copia firmata), poi firma digitalmente il suo PDF."
    ),
}
