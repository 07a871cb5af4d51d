"""Read istanza records (interchange format ``caseworker.istanza/1``, interchange.md §1).

Reading validates fully before anything is judged: the format version, every field's JSON
type, dates, money, codes (canonical lists, and the avviso's interventions when an avviso is
given), unknown fields everywhere except under ``extra``. The first problem found is raised as
a :class:`RecordError` naming the file, the field path and what to do. Personal values (the
beneficiary's data, disability and ISEE) are never repeated in a message; others are, shortened.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from caseworker_app.domain.codes import DOCUMENT_CODES, IN_PLACE_CODES, ISEE_TYPES
from caseworker_app.domain.rules.avviso import Avviso, CapKind
from caseworker_app.domain.rules.record import (
    Beneficiary,
    Care,
    Disability,
    DocumentEntry,
    IseeEntry,
    IstanzaRecord,
    RequestLine,
)
from caseworker_app.transfer import json_fields as fields
from caseworker_app.transfer.json_fields import VALUE, FieldError, RecordError, echo, join, kind_of

__all__ = [
    "DOCUMENT_CODES",
    "FORMAT",
    "IN_PLACE_CODES",
    "ISEE_TYPES",
    "RecordError",
    "load_istanza",
    "load_istanze",
    "parse_istanza",
    "read_istanza",
    "read_istanze",
]

FORMAT = "caseworker.istanza/1"

_SEXES = frozenset({"M", "F"})

_TOP = frozenset(
    {
        "format", "id", "avviso", "comune", "submitted_at", "beneficiary", "disability", "isee",
        "care", "in_place", "requests", "documents", "extra",
    }
)  # fmt: skip
_BENEFICIARY = frozenset(
    {"codice_fiscale", "surname", "given_name", "birth_date", "sex", "residence", "lives_at_home"}
)
_DISABILITY = frozenset({"l104_art3_c3", "indennita_accompagnamento", "invalidita_civile_percent"})
_ISEE = frozenset({"type", "value", "received_on"})
_CARE = frozenset({"family_caregiver_only", "employed_assistant", "self_managed_project"})
_REQUEST = frozenset({"code", "amount", "from", "to", "days", "extra"})
_DOCUMENT = frozenset({"code", "received_on", "promised_by"})

_SNAKE_CASE = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*", re.ASCII)


@dataclass(frozen=True)
class _Rules:
    """What the avviso (if any) adds to the checks, computed once per file or batch."""

    avviso: Avviso | None
    request_codes: frozenset[str]  # empty without an avviso: any snake_case code
    per_day: frozenset[str]
    in_place: frozenset[str] = IN_PLACE_CODES  # canonical, plus the avviso's extra_codes
    documents: frozenset[str] = DOCUMENT_CODES

    @classmethod
    def of(cls, avviso: Avviso | None) -> _Rules:
        if avviso is None:
            return cls(None, frozenset(), frozenset())
        per_day = frozenset(
            code for code, item in avviso.interventions.items() if item.cap is CapKind.PER_DAY
        )
        return cls(
            avviso,
            frozenset(avviso.interventions) | frozenset(avviso.excluded),
            per_day,
            IN_PLACE_CODES | avviso.extra_codes,
            DOCUMENT_CODES | avviso.extra_codes,
        )

    def document(self, value: object) -> DocumentEntry:
        return _document(value, self.documents)

    def request(self, value: object) -> RequestLine:
        data = fields.obj(value, _REQUEST)
        code = self._request_code(data)
        amount = fields.money(data, "amount")
        start = fields.day(data, "from")
        end = fields.day(data, "to")
        if end < start:
            raise FieldError("to", f"la fine del periodo ({end}) viene prima dell'inizio ({start})")
        days = fields.optional_int(data, "days", low=1, high=None, label="numero di giorni")
        if self.avviso is not None:
            if code in self.per_day and days is None:
                what = f'manca il numero di giorni: per «{code}» aggiungi "days" (intero positivo)'
                raise FieldError("days", what)
            if days is not None and code not in self.per_day:
                what = f"«days» vale solo per gli interventi a giornata, non per «{code}»: toglilo"
                raise FieldError("days", what)
        return RequestLine(code, amount, start, end, days, fields.free(data, "extra"))

    def _request_code(self, data: dict[str, object]) -> str:
        value = fields.text(data, "code")
        if self.avviso is None:
            if _SNAKE_CASE.fullmatch(value):
                return value
            what = (
                f"codice di intervento non valido{VALUE}: usa lettere minuscole, cifre e trattini "
                'bassi, ad esempio "rimborso_domiciliare"'
            )
            raise FieldError("code", what, value)
        if value in self.request_codes:
            return value
        hint = fields.choices_hint(value, self.avviso.interventions)
        what = f"{echo(value)} non è un intervento dell'avviso «{self.avviso.id}»: {hint}"
        raise FieldError("code", what)


# -- the common case, quickly ------------------------------------------------------------------


def _quick(value: object, rules: _Rules) -> IstanzaRecord | None:
    """The record when ``value`` is a well-formed istanza, else ``None``, at the first doubt.

    10,000 istanze must be read in a fraction of a second: this straight-line reader makes the
    checks of :func:`_istanza` with few function calls and never explains. On ``None`` the
    precise reader runs and names the problem. It must never accept what :func:`_istanza`
    refuses: the tests compare the two on valid and on randomly broken istanze.
    """
    try:
        if type(value) is not dict or value.get("format") != FORMAT or not _TOP.issuperset(value):
            return None
        ben, dis, care = value["beneficiary"], value["disability"], value["care"]
        if not (
            fields.is_obj(ben, _BENEFICIARY)
            and fields.is_obj(dis, _DISABILITY)
            and fields.is_obj(care, _CARE)
        ):
            return None
        ident, avviso, comune = value["id"], value["avviso"], value["comune"]
        moment, cf, residence = value["submitted_at"], ben["codice_fiscale"], ben["residence"]
        percent = dis.get("invalidita_civile_percent")
        flags = (
            ben["lives_at_home"],
            dis["l104_art3_c3"],
            dis["indennita_accompagnamento"],
            care["family_caregiver_only"],
            care["employed_assistant"],
            care["self_managed_project"],
        )
        if not (
            fields.is_text(ident)
            and ident.isprintable()
            and ident == ident.strip()
            and fields.is_text(avviso)
            and (rules.avviso is None or avviso == rules.avviso.id)
            and fields.is_belfiore(comune)
            and type(moment) is str
            and fields.TIMESTAMP.fullmatch(moment)
            and type(cf) is str
            and fields.CODICE_FISCALE.fullmatch(cf)
            and fields.is_text(ben["surname"])
            and fields.is_text(ben["given_name"])
            and ben["sex"] in _SEXES
            and fields.is_belfiore(residence)
            and fields.all_bool(flags)
            and (percent is None or (type(percent) is int and 0 <= percent <= 100))
        ):
            return None
        isee, in_place, extra = value["isee"], value["in_place"], value.get("extra")
        requests, documents = value["requests"], value["documents"]
        if not (
            type(isee) is list
            and type(in_place) is list
            and type(requests) is list
            and type(documents) is list
            and (extra is None or type(extra) is dict)
            and rules.in_place.issuperset(in_place)
        ):
            return None
        entries = []
        for item in isee:
            if (
                type(item) is not dict
                or not _ISEE.issuperset(item)
                or item["type"] not in ISEE_TYPES
            ):
                return None
            entries.append(
                IseeEntry(
                    item["type"],
                    fields.quick_money(item["value"]),
                    fields.quick_day(item["received_on"]),
                )
            )
        lines = []
        for item in requests:
            line = _quick_request(item, rules)
            if line is None:
                return None
            lines.append(line)
        docs = []
        for item in documents:
            if (
                type(item) is not dict
                or not _DOCUMENT.issuperset(item)
                or item["code"] not in rules.documents
            ):
                return None
            received, promised = item.get("received_on"), item.get("promised_by")
            if (received is None) == (promised is None):  # exactly one of the two
                return None
            docs.append(
                DocumentEntry(
                    item["code"],
                    None if received is None else fields.quick_day(received),
                    None if promised is None else fields.quick_day(promised),
                )
            )
        # Positional (half the cost of keywords): the tests compare with _istanza's records.
        return IstanzaRecord(
            ident,
            avviso,
            comune,
            datetime.fromisoformat(moment),
            Beneficiary(
                cf,
                ben["surname"],
                ben["given_name"],
                fields.quick_day(ben["birth_date"]),
                ben["sex"],
                residence,
                flags[0],
            ),
            Disability(flags[1], flags[2], percent),
            tuple(entries),
            Care(flags[3], flags[4], flags[5]),
            frozenset(in_place),
            tuple(lines),
            tuple(docs),
            {} if extra is None else extra,
        )
    except (LookupError, TypeError, ValueError):
        return None


def _quick_request(item: object, rules: _Rules) -> RequestLine | None:
    """Part of :func:`_quick`; raises ``ValueError`` for a bad date or amount."""
    if not fields.is_obj(item, _REQUEST):
        return None
    code, days, extra = item["code"], item.get("days"), item.get("extra")
    if type(code) is not str or (extra is not None and type(extra) is not dict):
        return None
    if rules.avviso is None:
        known = _SNAKE_CASE.fullmatch(code) is not None and (days is None or fields.is_count(days))
    elif code in rules.per_day:
        known = fields.is_count(days)
    else:
        known = code in rules.request_codes and days is None
    if not known:
        return None
    start, end = fields.quick_day(item["from"]), fields.quick_day(item["to"])
    if end < start:
        return None
    extra = {} if extra is None else extra
    return RequestLine(code, fields.quick_money(item["amount"]), start, end, days, extra)


# -- one istanza ------------------------------------------------------------------------------


def parse_istanza(
    data: object, *, source: str, path_prefix: str = "", avviso: Avviso | None = None
) -> IstanzaRecord:
    """Validate one decoded istanza object. ``source`` is the file name (or ``"<stdin>"``),
    ``path_prefix`` the object's own path in that file (``"[12]"`` inside an array)."""
    return _parse(data, _Rules.of(avviso), source=source, path=path_prefix)


def _parse(data: object, rules: _Rules, *, source: str, path: str) -> IstanzaRecord:
    record = _quick(data, rules)
    if record is not None:
        return record
    try:
        return _istanza(data, rules)
    except FieldError as exc:
        raise exc.record_error(file=source, path=path) from None


def _istanza(value: object, rules: _Rules) -> IstanzaRecord:
    if not isinstance(value, dict):
        raise FieldError("", f"l'istanza deve essere un oggetto {{…}}, non {kind_of(value)}")
    # Before unknown fields: a newer format, or another avviso's file, may well have them.
    fields.check_format(value.get("format"), FORMAT)
    if rules.avviso is not None:
        _check_avviso(value.get("avviso"), rules.avviso)
    data = fields.obj(value, _TOP)
    return IstanzaRecord(
        id=_istanza_id(data),
        avviso=fields.text(data, "avviso"),
        comune=fields.belfiore(data, "comune"),
        submitted_at=fields.timestamp(data, "submitted_at"),
        beneficiary=fields.section(data, "beneficiary", _beneficiary, _BENEFICIARY, private=True),
        disability=fields.section(data, "disability", _disability, _DISABILITY, private=True),
        isee=fields.each(data, "isee", _isee, private=True),
        care=fields.section(data, "care", _care, _CARE),
        in_place=fields.codes(data, "in_place", rules.in_place, label="codice di misura"),
        requests=fields.each(data, "requests", rules.request),
        documents=fields.each(data, "documents", rules.document),
        extra=fields.free(data, "extra"),
    )


def _check_avviso(value: object, avviso: Avviso) -> None:
    if isinstance(value, str) and value != avviso.id:
        what = (
            f"l'istanza appartiene all'avviso {echo(value)}, non all'avviso «{avviso.id}» "
            f"indicato: scegli l'avviso {echo(value)} oppure controlla di aver preso il file giusto"
        )
        raise FieldError("avviso", what)


def _istanza_id(data: dict[str, object]) -> str:
    value = fields.text(data, "id")
    if not value.isprintable() or value != value.strip():
        what = "contiene spazi iniziali o finali o caratteri di controllo: toglili"
        raise FieldError("id", what)
    return value


def _beneficiary(data: dict[str, object]) -> Beneficiary:
    return Beneficiary(
        codice_fiscale=fields.codice_fiscale(data, "codice_fiscale"),
        surname=fields.text(data, "surname"),
        given_name=fields.text(data, "given_name"),
        birth_date=fields.day(data, "birth_date"),
        sex=fields.code(data, "sex", _SEXES, label="sesso"),
        residence=fields.belfiore(data, "residence"),
        lives_at_home=fields.flag(data, "lives_at_home"),
    )


def _disability(data: dict[str, object]) -> Disability:
    return Disability(
        l104_art3_c3=fields.flag(data, "l104_art3_c3"),
        indennita_accompagnamento=fields.flag(data, "indennita_accompagnamento"),
        invalidita_civile_percent=fields.optional_int(
            data, "invalidita_civile_percent", low=0, high=100, label="percentuale di invalidità"
        ),
    )


def _care(data: dict[str, object]) -> Care:
    return Care(
        family_caregiver_only=fields.flag(data, "family_caregiver_only"),
        employed_assistant=fields.flag(data, "employed_assistant"),
        self_managed_project=fields.flag(data, "self_managed_project"),
    )


def _isee(value: object) -> IseeEntry:
    data = fields.obj(value, _ISEE)
    return IseeEntry(
        type=fields.code(data, "type", ISEE_TYPES, label="tipo di ISEE"),
        value=fields.money(data, "value", label="valore ISEE"),
        received_on=fields.day(data, "received_on"),
    )


def _document(value: object, codes: frozenset[str] = DOCUMENT_CODES) -> DocumentEntry:
    data = fields.obj(value, _DOCUMENT)
    code = fields.code(data, "code", codes, label="codice di documento")
    received_on = fields.optional_day(data, "received_on")
    promised_by = fields.optional_day(data, "promised_by")
    if received_on is None and promised_by is None:
        what = (
            "manca la data: aggiungi «received_on» (documento ricevuto) oppure «promised_by» "
            "(documento da consegnare entro quella data)"
        )
        raise FieldError("", what)
    if received_on is not None and promised_by is not None:
        what = (
            "indica una sola data: «received_on» se il documento è stato ricevuto, altrimenti "
            "«promised_by»"
        )
        raise FieldError("promised_by", what)
    return DocumentEntry(code, received_on, promised_by)


# -- files ------------------------------------------------------------------------------------


def read_istanze(raw: bytes, *, source: str, avviso: Avviso | None) -> list[IstanzaRecord]:
    """The istanze in one file's bytes: one object or a non-empty array of objects."""
    with fields.collector_paused():
        return _Batch(avviso).add(raw, source=source)


def read_istanza(raw: bytes, *, source: str, avviso: Avviso | None) -> IstanzaRecord:
    """Exactly one istanza object (the ``check`` command)."""
    data = fields.decode_json(raw, source=source)
    if isinstance(data, list):
        what = (
            f"il file contiene un elenco di {len(data)} istanze: per la verifica indica un file "
            "con una sola istanza (un oggetto {…})"
        )
        raise RecordError(file=source, field="", what=what)
    return _parse(data, _Rules.of(avviso), source=source, path="")


def load_istanze(path: Path, *, avviso: Avviso | None) -> list[IstanzaRecord]:
    """The ``rank`` input: a file with one istanza or an array of them, or a folder of such
    ``*.json`` files (read in name order). A (comune, id) pair may appear only once."""
    batch = _Batch(avviso)
    records: list[IstanzaRecord] = []
    with fields.collector_paused():
        for file in fields.json_files(path):
            records += batch.add(fields.read_file(file), source=fields.file_name(file))
    return records


def load_istanza(path: Path, *, avviso: Avviso | None) -> IstanzaRecord:
    """One file holding exactly one istanza object (the ``check`` command)."""
    if path.is_dir():
        what = "è una cartella: indica il file dell'istanza da verificare"
        raise RecordError(file=fields.file_name(path), field="", what=what)
    return read_istanza(fields.read_file(path), source=fields.file_name(path), avviso=avviso)


class _Batch:
    """Istanze read so far, to refuse a repeated (comune, id) pair across files."""

    def __init__(self, avviso: Avviso | None) -> None:
        self._rules = _Rules.of(avviso)
        self._seen: dict[tuple[str, str], tuple[str, str]] = {}

    def add(self, raw: bytes, *, source: str) -> list[IstanzaRecord]:
        data = fields.decode_json(raw, source=source)
        if isinstance(data, dict):
            items: list[tuple[str, object]] = [("", data)]
        elif isinstance(data, list) and data:
            items = [(f"[{index}]", item) for index, item in enumerate(data)]
        else:
            what = (
                "l'elenco delle istanze è vuoto: il file deve contenere almeno un'istanza"
                if isinstance(data, list)
                else f"il file deve contenere un'istanza {{…}} o un elenco di istanze […], "
                f"non {kind_of(data)}"
            )
            raise RecordError(file=source, field="", what=what)
        records = []
        for path, item in items:
            record = _parse(item, self._rules, source=source, path=path)
            first = self._seen.setdefault((record.comune, record.id), (source, path))
            if first != (source, path):
                where = f"«{first[0]}»" + (f", elemento {first[1]}" if first[1] else "")
                what = (
                    f"l'istanza {echo(record.id)} del comune {record.comune} compare due volte "
                    f"(la prima in {where}): togli la copia o correggi l'id"
                )
                raise RecordError(file=source, field=join(path, "id"), what=what)
            records.append(record)
        return records
