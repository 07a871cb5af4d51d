"""The anagrafica of a beneficiary (or any person in a case file) and its validation."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from caseworker_app.domain import comuni
from caseworker_app.domain.codice_fiscale import (
    Sex,
    check_codice_fiscale,
    compare_names,
    compare_with_typed,
    decode_codice_fiscale,
    is_temporary_code,
)
from caseworker_app.domain.countries import ITALY, is_known_country
from caseworker_app.domain.json_values import as_str
from caseworker_app.domain.validation import Issue, Severity, has_errors

__all__ = [
    "CONFIRMABLE_CODES",
    "DEFAULT_CITIZENSHIP",
    "MAX_AGE_YEARS",
    "REQUIRED_FIELDS",
    "TYPED_FIELDS",
    "TYPED_KIND",
    "Anagrafica",
    "AnagraficaConfirmation",
    "Sex",
    "confirmation_key",
    "is_confirmed",
    "typed_data",
    "typed_from_data",
    "validate_anagrafica",
]

# Sex is defined in codice_fiscale (which encodes it) to avoid an import cycle; import it from
# either module.

MAX_AGE_YEARS = 120
#: the citizenship a new cartella starts with (the operator changes it when it is not)
DEFAULT_CITIZENSHIP = ITALY
REQUIRED_FIELDS = (
    "codice_fiscale",
    "surname",
    "given_name",
    "birth_date",
    "sex",
    "residence_comune",
)
_CAP = re.compile(r"^[0-9]{5}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$")
_PHONE_CHARS = re.compile(r"^[0-9 +/\-]+$")
_CITIZENSHIP = re.compile(r"^[A-Za-z]{2}$")


@dataclass(frozen=True)
class Anagrafica:
    """Personal data as typed in the form (nothing normalised)."""

    codice_fiscale: str = ""
    surname: str = ""
    given_name: str = ""
    birth_date: date | None = None
    sex: Sex | None = None
    birth_place_code: str = ""  # Belfiore code, or Z + 3 digits for a foreign state
    citizenship: str = ""  # ISO 3166-1 alpha-2, e.g. "IT"
    residence_address: str = ""
    residence_comune: str = ""  # Belfiore code
    residence_cap: str = ""
    domicile_address: str = ""
    domicile_comune: str = ""
    domicile_cap: str = ""
    phone: str = ""
    email: str = ""
    #: what could not be read, kept as typed (field, text): a birth date that is no date, a
    #: comune or a citizenship not found in the lists. Nothing typed is lost: the text comes
    #: back in its field, marked, until it is corrected (kept in ``case_records``, TYPED_KIND).
    typed: tuple[tuple[str, str], ...] = ()


#: the case record that keeps an anagrafica's unreadable values as typed
TYPED_KIND = "anagrafica_typed"
#: the fields whose value the form reads from text into a date or a code
TYPED_FIELDS = frozenset(
    {"birth_date", "birth_place_code", "residence_comune", "domicile_comune", "citizenship"}
)


def typed_data(a: Anagrafica) -> dict[str, object]:
    """The JSON of the values kept as typed (versioned)."""
    return {"format": "caseworker.anagrafica-typed/1", "typed": dict(a.typed)}


def typed_from_data(data: Mapping[str, object]) -> tuple[tuple[str, str], ...]:
    raw = data.get("typed")
    if not isinstance(raw, dict):
        return ()
    return tuple(
        sorted((k, v) for k, v in raw.items() if k in TYPED_FIELDS and isinstance(v, str) and v)
    )


def _error(field: str, code: str, /, **params: str) -> Issue:
    return Issue(field, Severity.ERROR, code, params)


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _check_birth_date(birth_date: date | None, today: date) -> list[Issue]:
    if birth_date is None:
        return []
    if birth_date > today:
        return [_error("birth_date", "birth_date.future")]
    if birth_date < _years_before(today, MAX_AGE_YEARS):
        return [_error("birth_date", "birth_date.too_old", max_years=str(MAX_AGE_YEARS))]
    return []


def _check_comune(field: str, code: str, today: date | None) -> list[Issue]:
    """``comune.unknown`` if not in the historical table; with ``today``, also a warning when
    the comune no longer exists (it was merged or suppressed)."""
    if not code.strip():
        return []
    if not comuni.is_known_code(code):
        return [_error(field, "comune.unknown", code=code.strip().upper())]
    if today is not None and comuni.comune_by_code(code, on=today) is None:
        latest = comuni.comune_by_code(code)
        assert latest is not None
        params = {"name": latest.name, "code": latest.code}
        if latest.valid_to is not None:
            params["valid_to"] = f"{latest.valid_to:%d/%m/%Y}"
        return [Issue(field, Severity.WARNING, "comune.not_valid_on_date", params)]
    return []


def _check_contacts(a: Anagrafica) -> list[Issue]:
    issues: list[Issue] = []
    for field in ("residence_cap", "domicile_cap"):
        value = str(getattr(a, field)).strip()
        if value and not _CAP.match(value):
            issues.append(_error(field, "cap.format"))
    email = a.email.strip()
    if email and not _EMAIL.match(email):
        issues.append(_error("email", "email.format"))
    phone = a.phone.strip()
    if phone:
        digits = sum(ch.isdigit() for ch in phone)
        if not _PHONE_CHARS.match(phone) or not 6 <= digits <= 20:
            issues.append(_error("phone", "phone.format"))
    citizenship = a.citizenship.strip()
    if citizenship and not _CITIZENSHIP.match(citizenship):
        issues.append(_error("citizenship", "citizenship.format"))
    elif citizenship and not is_known_country(citizenship):
        issues.append(_error("citizenship", "citizenship.unknown", code=citizenship.upper()))
    return issues


def _check_codice_fiscale(a: Anagrafica, today: date) -> list[Issue]:
    issues = check_codice_fiscale(a.codice_fiscale, "codice_fiscale", today=today)
    if has_errors(issues) or _is_blank(a.codice_fiscale) or is_temporary_code(a.codice_fiscale):
        return issues
    decoded = decode_codice_fiscale(a.codice_fiscale, today=today)
    issues += compare_with_typed(
        decoded, birth_date=a.birth_date, sex=a.sex, birthplace_code=a.birth_place_code
    )
    # the beneficiary's names against the code, as for relatives: a warning (omocodia and
    # registry slips exist), never a block
    return issues + compare_names(a.codice_fiscale, surname=a.surname, given_name=a.given_name)


def validate_anagrafica(a: Anagrafica, *, today: date) -> list[Issue]:
    """All findings on ``a``; ``Issue.field`` is the attribute name.

    Errors block saving; warnings (a valid codice fiscale that disagrees with the typed data, a
    temporary code, a comune that no longer exists) are shown and may be confirmed.
    """
    kept = dict(a.typed)
    issues = [_error(f, "anagrafica.kept_as_typed", text=t) for f, t in sorted(kept.items())]
    issues += [
        _error(f, "required") for f in REQUIRED_FIELDS if _is_blank(getattr(a, f)) and f not in kept
    ]
    issues += _check_codice_fiscale(a, today)
    issues += _check_birth_date(a.birth_date, today)
    issues += _check_comune("birth_place_code", a.birth_place_code, None)
    issues += _check_comune("residence_comune", a.residence_comune, today)
    issues += _check_comune("domicile_comune", a.domicile_comune, today)
    issues += _check_contacts(a)
    return issues


# -- confirmations of warnings -------------------------------------------------------------

#: warnings whose message asks the operator to check a document and confirm the typed value
CONFIRMABLE_CODES = frozenset(
    {"cf.birth_date_mismatch", "cf.sex_mismatch", "cf.birthplace_mismatch"}
)


def confirmation_key(issue: Issue, anagrafica: Anagrafica) -> str:
    """What a confirmation of ``issue`` vouches for: the warning, the codice fiscale and the
    typed value it disagrees with (a digest). A change to either makes the warning new again."""
    typed = getattr(anagrafica, issue.field, "")
    value = typed.value if isinstance(typed, Sex) else typed
    parts = [issue.code, issue.field, anagrafica.codice_fiscale.strip().upper(), str(value or "")]
    parts += [f"{key}={issue.params[key]}" for key in sorted(issue.params)]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


@dataclass(frozen=True)
class AnagraficaConfirmation:
    """The operator checked a document and confirmed the typed value of ``field`` despite the
    warning ``code`` (kept in ``case_records``; ``key`` is ``confirmation_key``)."""

    KIND = "anagrafica_confirmation"
    field: str
    code: str
    key: str

    def to_data(self) -> dict[str, object]:
        return {"field": self.field, "code": self.code, "key": self.key}

    @classmethod
    def from_data(cls, data: Mapping[str, object]) -> AnagraficaConfirmation:
        return cls(as_str(data.get("field")), as_str(data.get("code")), as_str(data.get("key")))


def is_confirmed(
    issue: Issue, anagrafica: Anagrafica, confirmations: Iterable[AnagraficaConfirmation]
) -> bool:
    """``issue`` is a confirmable warning that was confirmed for exactly these values."""
    if issue.severity is not Severity.WARNING or issue.code not in CONFIRMABLE_CODES:
        return False
    key = confirmation_key(issue, anagrafica)
    return any(c.field == issue.field and c.code == issue.code and c.key == key
               for c in confirmations)  # fmt: skip
