"""A fictional, typical Progetto Individuale (4–6 printed pages) for tests, benchmarks and
previews of the layout. Every person in it is invented; the codice fiscale is not a real one."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal

from caseworker_app.documents.base import Letterhead
from caseworker_app.domain.ids import IstanzaId
from caseworker_app.domain.pi import (
    Beneficiary,
    BudgetLine,
    Compatibility,
    Economic,
    Evaluation,
    FundingSource,
    Header,
    Intervention,
    Monitoring,
    Network,
    NetworkPerson,
    NetworkRole,
    Objective,
    PiCertification,
    PiContent,
    PiStatus,
    PiVersion,
    ScaleLine,
    ServiceInPlace,
    Signatory,
    SignatoryRole,
    TargetGroup,
    VersionKind,
)

SAMPLE_LETTERHEAD = Letterhead("Ambito territoriale dell'Abbiatense", "Comune di Abbiategrasso")
SAMPLE_ISTANZA = "A010-2024-000123"

_NARRATIVE = (
    "Vive con la moglie in un appartamento al secondo piano senza ascensore; il bagno ha la "
    "vasca e non è adattato. La figlia abita a Magenta e passa tre pomeriggi alla settimana. "
    "Dopo la caduta di ottobre il signor Cantù esce di casa solo accompagnato; riferisce "
    "stanchezza e timore di cadere di nuovo. La moglie, caregiver principale, ha 79 anni e "
    "segnala difficoltà crescenti nell'igiene personale del marito e nella gestione dei farmaci."
)


def _intervention(n: int) -> Intervention:
    kinds = (
        ("assistente_familiare", "Contributo per assistente familiare con contratto regolare",
         "Famiglia (datore di lavoro)", "25 h/sett.", Decimal("400.00")),
        ("sad", "Servizio di assistenza domiciliare: igiene personale e aiuto nei pasti",
         "Cooperativa Sociale Il Girasole", "12 h/mese", Decimal("228.00")),
        ("trasporto", "Trasporto sociale per visite e terapie", "Associazione Auser Abbiategrasso",
         "4 viaggi/mese", Decimal("60.00")),
        ("sollievo", "Ricovero di sollievo programmato in RSA accreditata",
         "RSA Don Felice Cantù", "14 giorni", None),
        ("pasti", "Pasti a domicilio, cinque giorni alla settimana", "Comune di Abbiategrasso",
         "22 pasti/mese", Decimal("132.00")),
        ("telesoccorso", "Telesoccorso e teleassistenza",
         "Ente accreditato Teleassistenza Lombardia", "1 apparecchio", Decimal("18.50")),
    )  # fmt: skip
    code, description, provider, quantity, monthly = kinds[n % len(kinds)]
    total = Decimal("1260.00") if monthly is None else None
    return Intervention(code, description, provider, quantity, date(2024, 2, 1),
                        date(2024, 12, 31), monthly, total)  # fmt: skip


def sample_content(*, interventions: int = 6) -> PiContent:
    """A complete PI with ``interventions`` intervention lines (the budget follows them)."""
    lines = tuple(_intervention(n) for n in range(interventions))
    content = PiContent(
        header=Header("Ambito territoriale dell'Abbiatense", "Comune di Abbiategrasso",
                      "abbiatense-b2-2024", "Misura B2 – Buono sociale per caregiver familiare",
                      "DGR XII/1669/2023; FNA 2023", "A010-2024-000123", date(2024, 1, 22),
                      VersionKind.AGGIORNAMENTO),
        beneficiary=Beneficiary(
            "Cantù", "Nicolò", "CNTNCL38A01A010X", date(1938, 1, 1), "Abbiategrasso (MI)",
            "Via Dante Alighieri 12, 20081 Abbiategrasso (MI)", "", TargetGroup.ANZIANO,
            (PiCertification("indennita_accompagnamento", date(2022, 5, 10), "INPS"),
             PiCertification("invalidita_civile", date(2021, 11, 3), "ASL Milano 1", 100),
             PiCertification("l104_art3_c3", date(2021, 11, 3), "Commissione ASST Ovest")),
        ),
        network=Network((
            NetworkPerson(NetworkRole.CAREGIVER, "Bianchi", "Giuseppina", "moglie", True, 60,
                          "Caregiver principale, 79 anni"),
            NetworkPerson(NetworkRole.FAMILIARE, "Cantù", "Lucia", "figlia", False, 8,
                          "Tre pomeriggi alla settimana"),
            NetworkPerson(NetworkRole.ASSISTENTE_FAMILIARE, "Popescu", "Elena", "", False, 25,
                          "CCNL lavoro domestico livello CS, iscritta al registro l.r. 15/2015"),
        ), "Vicini di casa disponibili per piccole commissioni; parrocchia di San Pietro."),
        evaluation=Evaluation(
            False, date(2024, 1, 15), "domicilio del beneficiario",
            ("A.S. Maria Rossi", "A.S. Paolo Colombo"),
            (ScaleLine("adl-katz", date(2024, 1, 15), 3, 6, "D"),
             ScaleLine("iadl-lawton", date(2024, 1, 15), 2, 8, ""),
             ScaleLine("barthel", date(2024, 1, 15), 55, 100, "dipendenza moderata")),
            _NARRATIVE, "Rete familiare presente ma affaticata; nessun servizio attivo fino "
            "a dicembre.", "Aiuto quotidiano nell'igiene personale, nella preparazione dei pasti "
            "e nella gestione dei farmaci; sollievo per la caregiver.",
            "Rischio di cadute; rischio di esaurimento della caregiver.",
            "Persona anziana con dipendenza moderata, assistita a domicilio dalla moglie con il "
            "supporto di un'assistente familiare. Il progetto mira a mantenerlo al domicilio in "
            "sicurezza e a sostenere la caregiver con interventi di sollievo."),
        economic=Economic("sociosanitario", Decimal("14250.37"), "INPS-ISEE-2024-000123456-00",
                          date(2024, 12, 31)),
        services=(
            ServiceInPlace("sad", "Cooperativa Sociale Il Girasole", "2 accessi/sett.",
                           "Comune", date(2023, 12, 1)),
            ServiceInPlace("adi", "ASST Ovest Milanese", "1 accesso/sett.", "FSR",
                           date(2023, 11, 15), date(2024, 3, 31)),
        ),
        objectives=(
            Objective("Cura di sé", "Igiene personale completa tre volte alla settimana",
                      "Accessi SAD effettuati / previsti"),
            Objective("Sicurezza in casa", "Nessuna nuova caduta nei sei mesi",
                      "Numero di cadute segnalate"),
            Objective("Sostegno al caregiver", "Quattordici giorni di sollievo nell'anno",
                      "Giorni di sollievo fruiti"),
            Objective("Relazioni", "Uscita accompagnata almeno una volta alla settimana",
                      "Uscite registrate nel diario"),
        ),
        interventions=lines,
        compatibility=Compatibility(date(2024, 1, 22), ("adi", "sad"), ()),
        monitoring=Monitoring(
            "A.S. Maria Rossi", (date(2024, 4, 30), date(2024, 7, 31), date(2024, 10, 31)),
            "Cadute, accessi SAD, giorni di sollievo, stato di salute della caregiver.",
            "Verifica del 30/11/2023: situazione stabile, richiesta di più ore di assistenza.",
            "Ricovero definitivo in struttura residenziale, decesso, trasferimento fuori "
            "dall'ambito, cessazione del contratto dell'assistente familiare."),
        signatories=(
            Signatory(SignatoryRole.BENEFICIARIO, "Nicolò Cantù", "Abbiategrasso",
                      date(2024, 1, 25), True),
            Signatory(SignatoryRole.FAMILIARE, "Lucia Cantù", "Abbiategrasso",
                      date(2024, 1, 25), True),
            Signatory(SignatoryRole.CASE_MANAGER, "Maria Rossi", "Abbiategrasso",
                      date(2024, 1, 25), True),
        ),
        privacy_acknowledged=True,
        signed_place="Abbiategrasso",
        signed_on=date(2024, 1, 25),
    )  # fmt: skip
    total = sum((i.total_amount() or Decimal(0) for i in lines), Decimal("0.00"))
    monthly = sum((i.monthly or Decimal(0) for i in lines), Decimal("0.00"))
    fna_total = min(total, Decimal("4800.00"))
    budget = (
        BudgetLine(FundingSource.FNA, Decimal("400.00") if fna_total else None, fna_total),
        BudgetLine(FundingSource.COMUNE, None, None),
        BudgetLine(FundingSource.ASST_FSR, None, None),
        BudgetLine(FundingSource.FAMIGLIA, monthly - Decimal("400.00") if fna_total else monthly,
                   total - fna_total),
        BudgetLine(FundingSource.ALTRE_MISURE, None, None),
    )  # fmt: skip
    return replace(content, budget=budget)


def sample_version(*, signed: bool = True, number: int = 2) -> PiVersion:
    """A version of the sample content, signed (frozen) or a draft."""
    content = sample_content()
    return PiVersion(
        id="00000000-0000-4000-8000-000000000123",
        istanza_id=IstanzaId("00000000-0000-4000-8000-000000000456"),
        number=number,
        status=PiStatus.FIRMATA if signed else PiStatus.BOZZA,
        content=content.to_data(),
        created_at=datetime(2024, 1, 22, 9, 0),
        updated_at=datetime(2024, 1, 24, 17, 45),
        created_by="maria.rossi",
        signed_at=datetime(2024, 1, 25, 11, 20) if signed else None,
        signed_by="maria.rossi" if signed else "",
    )
