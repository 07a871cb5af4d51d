"""Read istanza records (interchange format ``caseworker.istanza/1``, interchange.md §1).

Reading validates fully before anything is judged: the format version, every field's JSON
type, dates, money, codes (canonical lists, and the avviso's interventions when an avviso is
given), unknown fields everywhere except under ``extra``. The first problem found is raised as
a :class:`RecordError` naming the file, the field path and what to do. Personal values (the
beneficiary's data, disability and ISEE) are never repeated in a message; others are, shortened.

One reader, on the toolkit of ``json_fields`` and ``json_shapes``: each of its readers checks the
common case first (a type check, a lookup, one regular expression) and only on a doubt works out
the explanation, so 10,000 valid istanze are read about as fast as by a straight-line reader
that never explains (there was one, kept in step with this one by a test, until the toolkit
made it unnecessary). The writer is ``istanza_record_write.py``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
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
from caseworker_app.transfer import json_shapes as shapes
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

_DOCUMENT_CODE = "codice di documento"
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
        data = shapes.obj(value, _DOCUMENT)
        return _document(data, fields.code(data, "code", self.documents, label=_DOCUMENT_CODE))

    def request(self, value: object) -> RequestLine:
        data = shapes.obj(value, _REQUEST)
        code = data.get("code")
        if type(code) is not str or code not in self.request_codes:  # the common case at once
            code = self._request_code(data)
        amount = fields.money(data, "amount")
        start = fields.day(data, "from")
        end = fields.day(data, "to")
        if end < start:
            raise FieldError("to", f"la fine del periodo ({end}) viene prima dell'inizio ({start})")
        days = data.get("days")
        if days is not None:
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


# -- one istanza ------------------------------------------------------------------------------


def parse_istanza(
    data: object, *, source: str, path_prefix: str = "", avviso: Avviso | None = None
) -> IstanzaRecord:
    """Validate one decoded istanza object. ``source`` is the file name (or ``"<stdin>"``),
    ``path_prefix`` the object's own path in that file (``"[12]"`` inside an array)."""
    return _parse(data, _Rules.of(avviso), source=source, path=path_prefix)


def _parse(data: object, rules: _Rules, *, source: str, path: str) -> IstanzaRecord:
    try:
        return _istanza(data, rules)
    except FieldError as exc:
        raise exc.record_error(file=source, path=path) from None


def _istanza(value: object, rules: _Rules) -> IstanzaRecord:
    if not isinstance(value, dict):
        raise FieldError("", f"l'istanza deve essere un oggetto {{…}}, non {kind_of(value)}")
    # Before unknown fields: a newer format, or another avviso's file, may well have them.
    if value.get("format") != FORMAT:
        fields.check_format(value.get("format"), FORMAT)
    if rules.avviso is not None and value.get("avviso") != rules.avviso.id:
        _check_avviso(value.get("avviso"), rules.avviso)
    data = shapes.obj(value, _TOP)
    # Positional (cheaper than keywords), in the order of the fields of IstanzaRecord.
    return IstanzaRecord(
        _istanza_id(data),
        fields.text(data, "avviso"),
        fields.belfiore(data, "comune"),
        fields.timestamp(data, "submitted_at"),
        shapes.section(data, "beneficiary", _beneficiary, private=True),
        shapes.section(data, "disability", _disability, private=True),
        shapes.each(data, "isee", _isee, private=True),
        shapes.section(data, "care", _care),
        fields.codes(data, "in_place", rules.in_place, label="codice di misura"),
        shapes.each(data, "requests", rules.request),
        shapes.each(data, "documents", rules.document),
        fields.free(data, "extra"),
    )


def _check_avviso(value: object, avviso: Avviso) -> None:
    if isinstance(value, str) and value != avviso.id:
        what = (
            f"l'istanza appartiene all'avviso {echo(value)}, non all'avviso «{avviso.id}» "
            f"indicato: scegli l'avviso {echo(value)} oppure controlla di aver preso il file giusto"
        )
        raise FieldError("avviso", what)


def _istanza_id(data: dict[str, object]) -> str:
    value = data.get("id")
    if type(value) is str and value and value.isprintable() and value == value.strip():
        return value
    value = fields.text(data, "id")
    if not value.isprintable() or value != value.strip():
        what = "contiene spazi iniziali o finali o caratteri di controllo: toglili"
        raise FieldError("id", what)
    return value


def _beneficiary(value: object) -> Beneficiary:
    data = shapes.obj(value, _BENEFICIARY)
    return Beneficiary(
        fields.codice_fiscale(data, "codice_fiscale"),
        fields.text(data, "surname"),
        fields.text(data, "given_name"),
        fields.day(data, "birth_date"),
        fields.code(data, "sex", _SEXES, label="sesso"),
        fields.belfiore(data, "residence"),
        fields.flag(data, "lives_at_home"),
    )


def _disability(value: object) -> Disability:
    data = shapes.obj(value, _DISABILITY)
    return Disability(
        fields.flag(data, "l104_art3_c3"),
        fields.flag(data, "indennita_accompagnamento"),
        fields.optional_int(
            data, "invalidita_civile_percent", low=0, high=100, label="percentuale di invalidità"
        ),
    )


def _care(value: object) -> Care:
    data = shapes.obj(value, _CARE)
    return Care(
        fields.flag(data, "family_caregiver_only"),
        fields.flag(data, "employed_assistant"),
        fields.flag(data, "self_managed_project"),
    )


def _isee(value: object) -> IseeEntry:
    data = shapes.obj(value, _ISEE)
    return IseeEntry(
        fields.code(data, "type", ISEE_TYPES, label="tipo di ISEE"),
        fields.money(data, "value", label="valore ISEE"),
        fields.day(data, "received_on"),
    )


def _document(data: dict[str, object], code: str) -> DocumentEntry:
    received_on = None if data.get("received_on") is None else fields.day(data, "received_on")
    promised_by = None if data.get("promised_by") is None else fields.day(data, "promised_by")
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


def read_stored_istanze(raw: bytes, *, source: str) -> list[IstanzaRecord]:
    """The istanze of a JSON array of records this application wrote itself, canonical, after
    the strict decoder had read them (the records the capofila keeps of what it received, each
    with its SHA-256, which the caller has compared). The standard decoder reads them: the
    strict one looks for what canonical JSON cannot hold (a key twice, a NaN, deep nesting) and
    costs as much again on 10,000 records; every field is still read and checked by the parser
    of :func:`read_istanze`."""
    try:
        data = json.loads(raw)
    except ValueError:
        raise RecordError(file=source, field="", what="non è JSON valido") from None
    with fields.collector_paused():
        return _Batch(None).add_decoded(data, source=source)


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
        return self.add_decoded(fields.decode_json(raw, source=source), source=source)

    def add_decoded(self, data: object, *, source: str) -> list[IstanzaRecord]:
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
