"""Write istanza records (interchange format ``caseworker.istanza/1``, interchange.md §1).

The one writer of the record: :func:`istanza_record_json` gives its canonical JSON (keys sorted,
no insignificant whitespace, non-ASCII characters as themselves), the bytes a comune puts in an
istruttorie file (``istanze/<n>/istanza.json``, docs/transfer-format.md §10) and whose SHA-256
tells the capofila whether a version it holds was sent again unchanged. The reader
(``transfer/istanza_record.py``) defines what is valid; the bytes are read back with it before
they are returned, so a comune never sends a record the capofila would refuse.

Spellings: money as a string with two decimals (``"900.00"``), dates ``YYYY-MM-DD``,
``submitted_at`` as local time ``YYYY-MM-DDTHH:MM:SS`` (a fraction of a second is dropped: the
format holds seconds), ``in_place`` sorted; an optional key whose value is absent (``days``,
``invalidita_civile_percent``, a document's other date, an empty ``extra``) is left out.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from caseworker_app.domain.rules.avviso import Avviso
from caseworker_app.domain.rules.money import to_json
from caseworker_app.domain.rules.record import (
    DocumentEntry,
    IseeEntry,
    IstanzaRecord,
    RequestLine,
)
from caseworker_app.transfer.istanza_record import FORMAT, RecordError, read_istanza
from caseworker_app.transfer.json_shapes import canonical_json

__all__ = ["istanza_record_dict", "istanza_record_json"]

_SOURCE = "istanza.json"


def istanza_record_json(record: IstanzaRecord, *, avviso: Avviso | None = None) -> bytes:
    """The canonical bytes of ``record``, read back (with ``avviso``'s codes when given) and
    compared with it before they are returned.

    ``ValueError`` (naming the field, never a value) for a record the reader would refuse or
    read differently: a ``submitted_at`` with a time zone, an amount with more than two
    decimals or beyond the maximum, a code unknown to the reader, a non-JSON value in ``extra``.
    """
    try:
        value = istanza_record_dict(record)
    except ArithmeticError:  # an amount that is not a number (decimal.InvalidOperation)
        raise ValueError("the istanza record holds an amount that is not a number") from None
    try:
        raw = canonical_json(value)
    except (TypeError, ValueError):
        raise ValueError("the istanza record's extra holds a value JSON cannot write") from None
    try:
        back = read_istanza(raw, source=_SOURCE, avviso=avviso)
    except RecordError as exc:
        raise ValueError(
            f"the istanza record would not be read back: {exc.field or 'the record'}"
        ) from None
    if back != _as_written(record):
        raise ValueError(
            f"the istanza record would be read back differently: {_first_diff(back, record)}"
        )
    return raw


def istanza_record_dict(record: IstanzaRecord) -> dict[str, Any]:
    """``record`` as the JSON object of interchange.md §1 (not checked: see
    :func:`istanza_record_json`)."""
    ben, dis, care = record.beneficiary, record.disability, record.care
    disability: dict[str, Any] = {
        "l104_art3_c3": dis.l104_art3_c3,
        "indennita_accompagnamento": dis.indennita_accompagnamento,
    }
    if dis.invalidita_civile_percent is not None:
        disability["invalidita_civile_percent"] = dis.invalidita_civile_percent
    value: dict[str, Any] = {
        "format": FORMAT,
        "id": record.id,
        "avviso": record.avviso,
        "comune": record.comune,
        "submitted_at": _moment(record.submitted_at),
        "beneficiary": {
            "codice_fiscale": ben.codice_fiscale,
            "surname": ben.surname,
            "given_name": ben.given_name,
            "birth_date": _day(ben.birth_date),
            "sex": ben.sex,
            "residence": ben.residence,
            "lives_at_home": ben.lives_at_home,
        },
        "disability": disability,
        "isee": [_isee(entry) for entry in record.isee],
        "care": {
            "family_caregiver_only": care.family_caregiver_only,
            "employed_assistant": care.employed_assistant,
            "self_managed_project": care.self_managed_project,
        },
        "in_place": sorted(record.in_place),
        "requests": [_request(line) for line in record.requests],
        "documents": [_document(entry) for entry in record.documents],
    }
    if record.extra:
        value["extra"] = _free(record.extra)
    return value


def _isee(entry: IseeEntry) -> dict[str, Any]:
    return {
        "type": entry.type,
        "value": _money(entry.value),
        "received_on": _day(entry.received_on),
    }


def _request(line: RequestLine) -> dict[str, Any]:
    value: dict[str, Any] = {
        "code": line.code,
        "amount": _money(line.amount),
        "from": _day(line.start),
        "to": _day(line.end),
    }
    if line.days is not None:
        value["days"] = line.days
    if line.extra:
        value["extra"] = _free(line.extra)
    return value


def _document(entry: DocumentEntry) -> dict[str, Any]:
    value: dict[str, Any] = {"code": entry.code}
    if entry.received_on is not None:
        value["received_on"] = _day(entry.received_on)
    if entry.promised_by is not None:
        value["promised_by"] = _day(entry.promised_by)
    return value


def _moment(value: datetime) -> str:
    if value.tzinfo is not None:
        raise ValueError("submitted_at must be local time, without a time zone")
    return value.replace(microsecond=0).isoformat(timespec="seconds")


def _day(value: date) -> str:
    return value.isoformat()  # a datetime here would be refused when read back


def _money(value: Decimal) -> str:
    # "-0.00" would be refused (no amount is negative): a zero is written as zero
    return "0.00" if value == 0 else to_json(value)


def _free(value: Mapping[str, Any]) -> dict[str, Any]:
    return dict(value)


def _as_written(record: IstanzaRecord) -> IstanzaRecord:
    """``record`` as the format can hold it: ``submitted_at`` to the second."""
    if record.submitted_at.microsecond:
        return record._replace(submitted_at=record.submitted_at.replace(microsecond=0))
    return record


def _first_diff(back: IstanzaRecord, record: IstanzaRecord) -> str:
    """The name of the first top-level field that reads back differently (no values)."""
    written = _as_written(record)
    for name in IstanzaRecord._fields:
        if getattr(back, name) != getattr(written, name):
            return name
    return "the record"  # pragma: no cover - some field differs
