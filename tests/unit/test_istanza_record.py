"""Reading istanza records (interchange.md §1): full validation with precise Italian errors."""

from __future__ import annotations

import copy
import json
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from caseworker_app.domain.codice_fiscale import Sex, encode_codice_fiscale
from caseworker_app.domain.rules.avviso import (
    Allocation,
    Avviso,
    CapKind,
    ExcludedKind,
    Intervention,
)
from caseworker_app.domain.rules.record import (
    Beneficiary,
    Care,
    Disability,
    DocumentEntry,
    IseeEntry,
    IstanzaRecord,
    RequestLine,
)
from caseworker_app.messages.rules import MESSAGES
from caseworker_app.transfer.istanza_record import (
    RecordError,
    load_istanza,
    load_istanze,
    parse_istanza,
    read_istanza,
    read_istanze,
)
from caseworker_app.transfer.istanza_record_write import istanza_record_json

CF = encode_codice_fiscale(
    surname="Rossi",
    given_name="Mario",
    sex=Sex.M,
    birth_date=date(1940, 1, 1),
    birthplace_code="A010",
)
AVVISO = Avviso(
    id="abbiatense-caregiver-2023",
    version="1",
    title="Caregiver familiare 2023",
    measure="caregiver-familiare",
    ambito="abbiatense",
    legal_basis=(),
    allocation=Allocation.GRADUATORIA,
    comuni={"A010": (None, None)},
    requirements=(),
    interventions={
        "rimborso_domiciliare": Intervention(
            "rimborso_domiciliare", "Domiciliare", CapKind.COST, ""
        ),
        "a2_ricovero_sollievo": Intervention(
            "a2_ricovero_sollievo", "Sollievo", CapKind.PER_DAY, "", Decimal("50.00"), max_days=30
        ),
    },
    excluded={"sociosanitario": ExcludedKind("sociosanitario", "natura sociosanitaria", "")},
)
DELETE = object()


def example() -> dict[str, Any]:
    """The example of interchange.md §1, with a valid codice fiscale."""
    return {
        "format": "caseworker.istanza/1",
        "id": "ABB-2024-000123",
        "avviso": "abbiatense-caregiver-2023",
        "comune": "A010",
        "submitted_at": "2024-01-15T10:30:00",
        "beneficiary": {
            "codice_fiscale": CF,
            "surname": "Rossi",
            "given_name": "Mario",
            "birth_date": "1940-01-01",
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
            {"type": "sociosanitario", "value": "18500.00", "received_on": "2024-01-10"},
            {"type": "ordinario", "value": "21000.00", "received_on": "2024-01-10"},
        ],
        "care": {
            "family_caregiver_only": True,
            "employed_assistant": False,
            "self_managed_project": False,
        },
        "in_place": ["b2_2023_ammessa_non_finanziata"],
        "requests": [
            {
                "code": "rimborso_domiciliare",
                "amount": "900.00",
                "from": "2023-03-01",
                "to": "2023-12-31",
            }
        ],
        "documents": [
            {"code": "documento_identita", "received_on": "2024-01-15"},
            {"code": "isee", "promised_by": "2024-01-31"},
        ],
    }


def edited(path: str, value: object, data: dict[str, Any] | None = None) -> dict[str, Any]:
    """A copy of ``data`` (the example) with the value at ``path`` (``requests[0].amount``)
    replaced, or deleted when ``value`` is ``DELETE``."""
    data = copy.deepcopy(data) if data is not None else example()
    parts = path.replace("[", ".[").split(".")
    target: Any = data
    for part in parts[:-1]:
        target = target[int(part[1:-1])] if part.startswith("[") else target[part]
    last: Any = int(parts[-1][1:-1]) if parts[-1].startswith("[") else parts[-1]
    if value is DELETE:
        del target[last]
    else:
        target[last] = value
    return data


def error_of(data: object, *, avviso: Avviso | None = AVVISO) -> RecordError:
    with pytest.raises(RecordError) as caught:
        parse_istanza(data, source="istanza.json", avviso=avviso)
    return caught.value


def encode(data: object) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


# --- the example -----------------------------------------------------------------------------


def test_the_interchange_example_reads_into_the_domain_record() -> None:
    record = parse_istanza(example(), source="istanza.json", avviso=AVVISO)

    assert record == IstanzaRecord(
        id="ABB-2024-000123",
        avviso="abbiatense-caregiver-2023",
        comune="A010",
        submitted_at=datetime(2024, 1, 15, 10, 30),
        beneficiary=Beneficiary(
            codice_fiscale=CF,
            surname="Rossi",
            given_name="Mario",
            birth_date=date(1940, 1, 1),
            sex="M",
            residence="A010",
            lives_at_home=True,
        ),
        disability=Disability(
            l104_art3_c3=True, indennita_accompagnamento=False, invalidita_civile_percent=100
        ),
        isee=(
            IseeEntry(
                type="sociosanitario", value=Decimal("18500.00"), received_on=date(2024, 1, 10)
            ),
            IseeEntry(type="ordinario", value=Decimal("21000.00"), received_on=date(2024, 1, 10)),
        ),
        care=Care(family_caregiver_only=True, employed_assistant=False, self_managed_project=False),
        in_place=frozenset({"b2_2023_ammessa_non_finanziata"}),
        requests=(
            RequestLine(
                code="rimborso_domiciliare",
                amount=Decimal("900.00"),
                start=date(2023, 3, 1),
                end=date(2023, 12, 31),
            ),
        ),
        documents=(
            DocumentEntry(code="documento_identita", received_on=date(2024, 1, 15)),
            DocumentEntry(code="isee", promised_by=date(2024, 1, 31)),
        ),
    )
    assert parse_istanza(example(), source="istanza.json") == record  # without an avviso too


def test_optional_fields_may_be_absent_or_null_and_lists_empty() -> None:
    data = example()
    del data["disability"]["invalidita_civile_percent"]
    data["isee"] = []
    data["in_place"] = []
    data["documents"] = [{"code": "isee", "received_on": "2024-01-10", "promised_by": None}]
    data["extra"] = None

    record = parse_istanza(data, source="istanza.json", avviso=AVVISO)

    assert record.disability.invalidita_civile_percent is None
    assert record.isee == () and record.in_place == frozenset() and record.extra == {}
    assert record.documents == (DocumentEntry("isee", received_on=date(2024, 1, 10)),)


def test_a_per_day_intervention_carries_its_days_and_an_excluded_kind_is_accepted() -> None:
    data = example()
    data["requests"] = [
        {
            "code": "a2_ricovero_sollievo",
            "amount": "600.00",
            "from": "2023-05-02",
            "to": "2023-05-13",
            "days": 12,
        },
        {"code": "sociosanitario", "amount": "80.00", "from": "2023-06-01", "to": "2023-06-01"},
    ]

    record = parse_istanza(data, source="istanza.json", avviso=AVVISO)

    assert [(line.code, line.days) for line in record.requests] == [
        ("a2_ricovero_sollievo", 12),
        ("sociosanitario", None),
    ]


def test_anything_goes_under_extra_and_is_kept() -> None:
    data = example()
    data["extra"] = {"ore_settimanali": 12, "nota": {"qualsiasi": ["cosa", None, 1.5]}}
    data["requests"][0]["extra"] = {"fattura": "F-12/2023", "campo_nuovo": True}

    record = parse_istanza(data, source="istanza.json", avviso=AVVISO)

    assert record.extra == {"ore_settimanali": 12, "nota": {"qualsiasi": ["cosa", None, 1.5]}}
    assert record.requests[0].extra == {"fattura": "F-12/2023", "campo_nuovo": True}


# --- one rule, one case ----------------------------------------------------------------------

CASES = [
    # format and avviso
    ("format", "caseworker.istanza/2", "format", "versione più recente"),
    ("format", "caseworker.istanza/0", "format", "versione del formato sconosciuta"),
    ("format", "caseworker.persona/1", "format", "formato sconosciuto"),
    ("format", DELETE, "format", "campo obbligatorio mancante"),
    (
        "avviso",
        "pavese-b2-2024-voucher",
        "avviso",
        "appartiene all'avviso «pavese-b2-2024-voucher»",
    ),
    # unknown fields, at every level
    ("note", "x", "note", "campo sconosciuto"),
    ("requests[0].ammount", "900.00", "requests[0].ammount", "forse intendevi «amount»"),
    ("beneficiary.soprannome", "x", "beneficiary.soprannome", "campo sconosciuto"),
    ("isee[1].data", "2024-01-10", "isee[1].data", "campo sconosciuto"),
    # required fields and JSON types
    ("id", DELETE, "id", "campo obbligatorio mancante"),
    ("id", 123, "id", "deve essere un testo, non un numero"),
    ("avviso", 7, "avviso", "deve essere un testo"),
    ("id", "  ", "id", "è vuoto"),
    ("id", " ABB-1", "id", "spazi iniziali o finali"),
    ("id", "ABB\n1", "id", "caratteri di controllo"),
    ("beneficiary", DELETE, "beneficiary", "campo obbligatorio mancante"),
    ("beneficiary", [], "beneficiary", "deve essere un oggetto"),
    ("care.employed_assistant", None, "care.employed_assistant", "true o false"),
    ("beneficiary.lives_at_home", "true", "beneficiary.lives_at_home", "true o false"),
    ("beneficiary.lives_at_home", 1, "beneficiary.lives_at_home", "true o false"),
    ("beneficiary.surname", 4242, "beneficiary.surname", "deve essere un testo"),
    ("beneficiary.given_name", "", "beneficiary.given_name", "è vuoto"),
    ("isee", {}, "isee", "deve essere un elenco"),
    ("requests[0]", "rimborso", "requests[0]", "deve essere un oggetto"),
    # comuni
    ("comune", "a010", "comune", "codice catastale del comune non valido «a010»"),
    ("comune", "A01", "comune", "una lettera maiuscola e tre cifre"),
    ("beneficiary.residence", "Milano", "beneficiary.residence", "codice catastale"),
    # dates and timestamps
    ("submitted_at", "2024-01-15 10:30:00", "submitted_at", "AAAA-MM-GGTHH:MM:SS"),
    ("submitted_at", "2024-01-15T10:30:00+01:00", "submitted_at", "senza fuso orario"),
    ("submitted_at", "2024-02-30T10:30:00", "submitted_at", "inesistente"),
    ("beneficiary.birth_date", "01/01/1940", "beneficiary.birth_date", "AAAA-MM-GG"),
    ("beneficiary.birth_date", "1940-02-30", "beneficiary.birth_date", "data inesistente"),
    ("requests[0].from", "2023-13-01", "requests[0].from", "data inesistente «2023-13-01»"),
    ("requests[0].from", 20230301, "requests[0].from", "una data tra virgolette"),
    ("requests[0].to", "2023-02-28", "requests[0].to", "viene prima dell'inizio"),
    ("isee[0].received_on", "20240110", "isee[0].received_on", "AAAA-MM-GG"),
    # money
    ("requests[0].amount", "12,5", "requests[0].amount", "importo non valido «12,5»: scrivilo"),
    ("requests[0].amount", 12.5, "requests[0].amount", "importo non valido «12.5»"),
    ("requests[0].amount", "1.234", "requests[0].amount", "due decimali"),
    ("requests[0].amount", "-5.00", "requests[0].amount", "importo negativo «-5.00»"),
    ("requests[0].amount", "-0.00", "requests[0].amount", "negativo"),
    ("isee[1].value", "21000", "isee[1].value", "valore ISEE non valido: scrivilo"),
    ("isee[0].value", DELETE, "isee[0].value", "campo obbligatorio mancante"),
    # codes
    ("beneficiary.sex", "X", "beneficiary.sex", "sesso sconosciuto"),
    ("beneficiary.codice_fiscale", CF.lower(), "beneficiary.codice_fiscale", "maiuscole"),
    (
        "beneficiary.codice_fiscale",
        CF[:15],
        "beneficiary.codice_fiscale",
        "16 caratteri, questo ne ha 15",
    ),
    ("beneficiary.codice_fiscale", CF[:15] + "-", "beneficiary.codice_fiscale", "solo lettere"),
    ("isee[0].type", "ISEE", "isee[0].type", "tipo di ISEE sconosciuto: valori ammessi"),
    (
        "in_place[0]",
        "b2_2023_ammessa",
        "in_place[0]",
        "forse intendevi «b2_2023_ammessa_non_finanziata»",
    ),
    ("in_place[0]", 3, "in_place[0]", "codice tra virgolette"),
    ("requests[0].code", "rimborso_badante", "requests[0].code", "non è un intervento dell'avviso"),
    ("documents[0].code", "carta_identita", "documents[0].code", "codice di documento sconosciuto"),
    # numbers
    (
        "disability.invalidita_civile_percent",
        120,
        "disability.invalidita_civile_percent",
        "da 0 a 100",
    ),
    (
        "disability.invalidita_civile_percent",
        True,
        "disability.invalidita_civile_percent",
        "intero",
    ),
    (
        "disability.invalidita_civile_percent",
        99.5,
        "disability.invalidita_civile_percent",
        "intero",
    ),
    ("requests[0].days", 3, "requests[0].days", "solo per gli interventi a giornata"),
    # documents
    ("documents[0].promised_by", "2024-01-31", "documents[0].promised_by", "una sola data"),
    ("documents[1].promised_by", DELETE, "documents[1]", "manca la data"),
    # extra must still be an object
    ("extra", [1], "extra", "deve essere un oggetto"),
    ("requests[0].extra", "nota", "requests[0].extra", "deve essere un oggetto"),
]


@pytest.mark.parametrize(("path", "value", "field", "fragment"), CASES)
def test_each_rule_names_the_field_and_says_what_to_do(
    path: str, value: object, field: str, fragment: str
) -> None:
    error = error_of(edited(path, value))

    assert (error.code, error.file, error.field) == ("istanza.invalid", "istanza.json", field)
    assert fragment in error.what
    assert error.params == {"file": "istanza.json", "field": field, "what": error.what}


def sollievo(**more: object) -> dict[str, Any]:
    """A request line for the per-day intervention of the fake avviso."""
    line = {
        "code": "a2_ricovero_sollievo",
        "amount": "60.00",
        "from": "2023-05-02",
        "to": "2023-05-03",
    }
    return line | more


@pytest.mark.parametrize(
    ("line", "fragment"),
    [
        (sollievo(), "manca il numero di giorni"),
        (sollievo(days=0), "almeno 1"),
        (sollievo(days=True), "numero intero"),
        (sollievo(days="2"), "numero intero"),
    ],
)
def test_days_are_required_positive_integers_for_per_day_interventions(
    line: dict[str, Any], fragment: str
) -> None:
    data = example()
    data["requests"] = [line]

    error = error_of(data)

    assert error.field == "requests[0].days" and fragment in error.what


def test_without_an_avviso_request_codes_need_only_be_snake_case() -> None:
    data = edited("requests[0].code", "contributo_nuovo_2025")
    assert parse_istanza(data, source="x.json").requests[0].code == "contributo_nuovo_2025"

    error = error_of(edited("requests[0].code", "Rimborso Domiciliare"), avviso=None)

    assert error.field == "requests[0].code" and "lettere minuscole" in error.what


def test_a_newer_format_is_named_even_when_it_brings_new_fields() -> None:
    data = example()
    data["format"] = "caseworker.istanza/3"
    data["nuovo_campo"] = {"a": 1}

    error = error_of(data)

    assert error.field == "format"
    assert "versione più recente" in error.what and "aggiorna caseworker" in error.what


def test_an_istanza_of_another_avviso_says_which_avviso_it_belongs_to() -> None:
    error = error_of(edited("avviso", "pavese-b2-2024-voucher"))

    assert "pavese-b2-2024-voucher" in error.what and AVVISO.id in error.what


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("beneficiary.codice_fiscale", "RSSMRA40A01A01"),
        ("beneficiary.codice_fiscale", "rssmra40a01a010x"),
        ("beneficiary.surname", 4242),
        ("beneficiary.given_name", ["Mariolino"]),
        ("beneficiary.birth_date", "1940-02-30"),
        ("beneficiary.birth_date", "30/02/1940"),
        ("beneficiary.sex", "Maschio"),
        ("beneficiary.residence", "Abbiategrasso"),
        ("beneficiary.lives_at_home", "sì, da solo"),
        ("disability.invalidita_civile_percent", 4242),
        ("isee[0].value", "18.500,00"),
        ("isee[1].value", -21000),
    ],
)
def test_personal_values_are_never_repeated_in_messages(path: str, value: object) -> None:
    error = error_of(edited(path, value))
    shown = str(value).strip("[]'")

    assert error.field == path
    rendered = MESSAGES["istanza.invalid"].format(**error.params)
    for text in (error.what, str(error), rendered):
        assert shown not in text and shown.lower() not in text.lower()


def test_the_message_template_renders_file_field_and_what() -> None:
    error = error_of(edited("requests[0].amount", "12,5"))

    text = MESSAGES["istanza.invalid"].format(**error.params)

    assert text.startswith("istanza.json, campo «requests[0].amount»: importo non valido «12,5»")


# --- files -----------------------------------------------------------------------------------


def test_an_array_names_the_element_in_the_field_path() -> None:
    items = [example() for _ in range(13)]
    for index, item in enumerate(items):
        item["id"] = f"ABB-{index}"
    items[12]["requests"][0]["from"] = "2023-3-1"

    with pytest.raises(RecordError) as caught:
        read_istanze(encode(items), source="<stdin>", avviso=AVVISO)

    assert (caught.value.file, caught.value.field) == ("<stdin>", "[12].requests[0].from")


def test_a_folder_is_read_in_name_order_with_single_objects_and_arrays(tmp_path: Path) -> None:
    first, second, third = example(), example(), example()
    first["id"], second["id"], third["id"] = "A-1", "A-2", "A-3"
    (tmp_path / "b.json").write_bytes(encode([second, third]))
    (tmp_path / "a.json").write_bytes(encode(first))
    (tmp_path / "note.txt").write_text("non è un'istanza")
    (tmp_path / "._a.json").write_bytes(b"\x00\x05")  # macOS metadata file: skipped
    (tmp_path / "sub").mkdir()

    records = load_istanze(tmp_path, avviso=AVVISO)

    assert [r.id for r in records] == ["A-1", "A-2", "A-3"]


def test_a_file_with_one_object_or_an_array_is_rank_input(tmp_path: Path) -> None:
    (tmp_path / "one.json").write_bytes(encode(example()))
    (tmp_path / "many.json").write_bytes(encode([example(), edited("comune", "E265")]))

    assert [r.id for r in load_istanze(tmp_path / "one.json", avviso=AVVISO)] == ["ABB-2024-000123"]
    assert [r.comune for r in load_istanze(tmp_path / "many.json", avviso=AVVISO)] == [
        "A010",
        "E265",
    ]


def test_a_repeated_comune_and_id_names_the_second_one(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_bytes(encode(example()))
    (tmp_path / "b.json").write_bytes(encode([edited("id", "ABB-2"), example()]))

    with pytest.raises(RecordError) as caught:
        load_istanze(tmp_path, avviso=AVVISO)

    error = caught.value
    assert (error.file, error.field) == ("b.json", "[1].id")
    assert "ABB-2024-000123" in error.what and "«a.json»" in error.what
    assert "compare due volte" in error.what


def test_a_repeated_id_within_one_array_is_refused() -> None:
    with pytest.raises(RecordError) as caught:
        read_istanze(encode([example(), example()]), source="lista.json", avviso=None)

    assert caught.value.field == "[1].id" and "elemento [0]" in caught.value.what


def test_check_reads_exactly_one_object(tmp_path: Path) -> None:
    (tmp_path / "one.json").write_bytes(encode(example()))
    (tmp_path / "many.json").write_bytes(encode([example()]))

    assert load_istanza(tmp_path / "one.json", avviso=AVVISO).id == "ABB-2024-000123"
    with pytest.raises(RecordError) as caught:
        load_istanza(tmp_path / "many.json", avviso=AVVISO)
    assert caught.value.field == "" and "una sola istanza" in caught.value.what
    with pytest.raises(RecordError) as caught:
        load_istanza(tmp_path, avviso=AVVISO)
    assert "cartella" in caught.value.what


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        (b"", "il file è vuoto"),
        (b"[]", "l'elenco delle istanze è vuoto"),
        (b"42", "non un numero"),
        (
            b'{"format": "caseworker.istanza/1",\n  "id": "A" "B"}',
            "riga 2, colonna 13: manca una virgola",
        ),
        (b'{"id": 1,}', "riga 1, colonna 10"),
        (b'{"id": NaN}', "«NaN»"),
        (
            '{"id": 1,\n "x": "Müller"}'.encode("latin-1"),
            "non è in UTF-8 (il primo carattere non valido è alla riga 2)",
        ),
    ],
)
def test_unreadable_content_names_the_whole_file(raw: bytes, fragment: str) -> None:
    with pytest.raises(RecordError) as caught:
        read_istanze(raw, source="istanze.json", avviso=None)

    assert (caught.value.file, caught.value.field) == ("istanze.json", "")
    assert fragment in caught.value.what


def test_missing_file_and_empty_folder_are_named(tmp_path: Path) -> None:
    with pytest.raises(RecordError) as caught:
        load_istanze(tmp_path / "assente.json", avviso=None)
    assert (caught.value.file, caught.value.what) == (
        "assente.json",
        "file non trovato: controlla il nome e la cartella",
    )
    with pytest.raises(RecordError) as caught:
        load_istanze(tmp_path, avviso=None)
    assert caught.value.file == tmp_path.name and ".json" in caught.value.what


def test_a_utf8_byte_order_mark_is_accepted() -> None:
    record = read_istanza(b"\xef\xbb\xbf" + encode(example()), source="x.json", avviso=AVVISO)

    assert record.id == "ABB-2024-000123"


def test_a_non_object_element_of_an_array_is_named() -> None:
    with pytest.raises(RecordError) as caught:
        read_istanze(encode([example(), "ABB-2"]), source="x.json", avviso=None)

    assert caught.value.field == "[1]" and "oggetto" in caught.value.what


# --- a randomly broken istanza is refused as such, never with a crash -----------------------

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-5, 200)
    | st.floats(allow_nan=False)
    | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=6,
)
TRICKY = st.sampled_from(
    [
        "", " ", "0", "1", "M", "F", "-0.00", "0.00", "12.5", "12.50", "١٢.٥٠", "1e3", "A010",
        "a010", "A01", "Z999", "2024-01-15", "2024-02-30", "2024-1-15", "20240115", "2024-W03-1",
        "2024-01-15T10:30:00", "2024-01-15T10:30:00Z", "2024-01-15T25:30:00", CF, CF.lower(),
        "rimborso_domiciliare", "a2_ricovero_sollievo", "sociosanitario", "Rimborso", "b1", "isee",
        "caseworker.istanza/1", "abbiatense-caregiver-2023", "ABB\n1",
    ]
)  # fmt: skip


def _paths(value: object, prefix: str = "") -> list[str]:
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, f"{prefix}.{key}" if prefix else key)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, f"{prefix}[{index}]")
    return found


@st.composite
def broken_istanze(draw: st.DrawFn) -> dict[str, Any]:
    data = example()
    if draw(st.booleans()):
        data["requests"].append(sollievo(days=2))
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(_paths(data)))
        kind = draw(st.sampled_from(["delete", "tricky", "json", "add"]))
        try:
            if kind == "delete":
                data = edited(path, DELETE, data)
            elif kind == "add":
                data = edited(f"{path}.{draw(st.sampled_from(['extra', 'days', 'x']))}", 1, data)
            else:
                data = edited(path, draw(TRICKY if kind == "tricky" else JSON_VALUES), data)
        except (TypeError, KeyError, IndexError, ValueError):
            pass  # not an object there: leave it
    return data


@settings(max_examples=400, deadline=None)
@given(data=broken_istanze(), with_avviso=st.booleans())
def test_a_broken_istanza_is_refused_by_name_or_read_as_the_writer_spells_it(
    data: dict[str, Any], with_avviso: bool
) -> None:
    avviso = AVVISO if with_avviso else None
    try:
        record = parse_istanza(data, source="x.json", avviso=avviso)
    except RecordError as error:  # never another exception
        assert error.file == "x.json" and error.what
        return
    raw = istanza_record_json(record, avviso=avviso)
    assert read_istanza(raw, source="x.json", avviso=avviso) == record
