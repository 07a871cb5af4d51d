"""Codice fiscale of natural persons: check, decode, compare with typed data, encode.

Check letter, omocodia and the encoding of names and dates come from ``python-codicefiscale``
(imported once, below, and wrapped in typed helpers). Decoding is done here rather than with the
library's ``decode`` because that one reads the clock to choose the century and rejects codes whose
birthplace is missing from its table; here the caller passes ``today`` and an unknown birthplace
is a warning (the table may predate a newly created comune).
"""

from __future__ import annotations

import enum
import functools
import re
from dataclasses import dataclass
from datetime import date, datetime

import codicefiscale.codicefiscale as _cflib

from caseworker_app.domain import comuni
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.validation import Issue, Severity

CF_LENGTH = 16
TEMPORARY_LENGTH = 11

# Stricter than the library's pattern: positions that hold digits accept only digits or the
# ten omocodia letters (L M N P Q R S T U V), so "80" mistyped as "8I" is a format error.
_D = "[0-9LMNPQRSTUV]"
_FORMAT = re.compile(rf"^[A-Z]{{6}}{_D}{{2}}[ABCDEHLMPRST]{_D}{{2}}[A-Z]{_D}{{3}}[A-Z]$")
_MONTH_LETTERS = "ABCDEHLMPRST"
_WHITESPACE = re.compile(r"\s+")


class Sex(enum.StrEnum):
    """Sex as recorded in the codice fiscale (re-exported by ``domain.person``)."""

    M = "M"
    F = "F"


@dataclass(frozen=True)
class DecodedCodiceFiscale:
    code: str
    birth_date: date
    sex: Sex
    birthplace_code: str
    omocode: bool


# --- typed wrappers around the library -------------------------------------------------------


def _lib_check_letter(first15: str) -> str:
    return str(_cflib.encode_cin(first15))


def _lib_omocodia_to_digits(text: str) -> str:
    # The library's own letter→digit table (it has no public function for this alone).
    return text.translate(_cflib._OMOCODIA_DECODE_TRANS)


@functools.lru_cache(maxsize=4096)
def _lib_surname_part(surname: str) -> str:
    return str(_cflib.encode_lastname(surname))


@functools.lru_cache(maxsize=4096)
def _lib_given_name_part(given_name: str) -> str:
    return str(_cflib.encode_firstname(given_name))


def _lib_date_part(birth_date: date, sex: Sex) -> str:
    # A datetime (not a date) keeps the library off its slow string-parsing path.
    moment = datetime(birth_date.year, birth_date.month, birth_date.day)
    return str(_cflib.encode_birthdate(moment, "F" if sex is Sex.F else "M"))


# --- public API ------------------------------------------------------------------------------


def normalize_codice_fiscale(text: str) -> str:
    """Remove all whitespace and uppercase: " rss mra 80a01 f205x " → "RSSMRA80A01F205X"."""
    return _WHITESPACE.sub("", text).upper()


def is_temporary_code(text: str) -> bool:
    """An 11-digit temporary code (assigned pending the definitive one)."""
    code = normalize_codice_fiscale(text)
    return len(code) == TEMPORARY_LENGTH and code.isascii() and code.isdigit()


def _resolve_birth_date(code: str, today: date) -> date | None:
    """The most recent date ≤ ``today`` matching the code's year, month and day (sex removed).

    A two-digit year cannot tell 1925 from 2025: a person of 100 or more may be decoded a
    century too late; comparisons with typed data therefore ignore the century.
    """
    digits = _lib_omocodia_to_digits(code[6:8] + code[9:11])
    year2, day = int(digits[:2]), int(digits[2:])
    month = _MONTH_LETTERS.index(code[8]) + 1
    if day > 40:
        day -= 40
    century = today.year - today.year % 100
    for year in (century + year2, century + year2 - 100):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate <= today:
            return candidate
    return None


def _invalid_reason(code: str, today: date) -> tuple[str, dict[str, str]] | None:
    if len(code) != CF_LENGTH:
        return "cf.length", {"length": str(len(code))}
    if not _FORMAT.match(code):
        return "cf.format", {}
    if _lib_check_letter(code[:15]) != code[15]:
        return "cf.check_letter", {}
    day = int(_lib_omocodia_to_digits(code[9:11]))
    if not (1 <= day <= 31 or 41 <= day <= 71) or _resolve_birth_date(code, today) is None:
        return "cf.format", {}
    return None


def check_codice_fiscale(
    text: str, field: str = "codice_fiscale", *, today: date | None = None
) -> list[Issue]:
    """Errors ``cf.length``, ``cf.format``, ``cf.check_letter``; warnings ``cf.temporary`` and
    ``cf.birthplace_unknown`` (a valid code whose birthplace is not in the table). Empty → []."""
    code = normalize_codice_fiscale(text)
    if not code:
        return []
    if is_temporary_code(code):
        return [Issue(field, Severity.WARNING, "cf.temporary")]
    invalid = _invalid_reason(code, today or date.today())
    if invalid is not None:
        reason, params = invalid
        return [Issue(field, Severity.ERROR, reason, params)]
    birthplace = code[11] + _lib_omocodia_to_digits(code[12:15])
    if not comuni.is_known_code(birthplace):
        return [Issue(field, Severity.WARNING, "cf.birthplace_unknown", {"code": birthplace})]
    return []


def decode_codice_fiscale(text: str, *, today: date | None = None) -> DecodedCodiceFiscale:
    """Decode a 16-character code; omocodic letters are mapped back to digits.

    The year is resolved to the most recent birth date not after ``today`` (default: the
    system date). Raises ``UserFacingError("cf.invalid", reason=…)`` with reason ``cf.length``,
    ``cf.format`` or ``cf.check_letter`` (temporary 11-digit codes cannot be decoded).
    """
    code = normalize_codice_fiscale(text)
    day = today or date.today()
    invalid = _invalid_reason(code, day)
    if invalid is not None:
        raise UserFacingError("cf.invalid", reason=invalid[0])
    birth_date = _resolve_birth_date(code, day)
    assert birth_date is not None  # guaranteed by _invalid_reason
    root = code[:6] + _lib_omocodia_to_digits(code[6:8]) + code[8]
    root += _lib_omocodia_to_digits(code[9:11]) + code[11] + _lib_omocodia_to_digits(code[12:15])
    return DecodedCodiceFiscale(
        code=code,
        birth_date=birth_date,
        sex=Sex.F if int(root[9:11]) > 40 else Sex.M,
        birthplace_code=root[11:15],
        omocode=root != code[:15],
    )


def _it_date(day: date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


def compare_with_typed(
    decoded: DecodedCodiceFiscale,
    *,
    birth_date: date | None,
    sex: Sex | None,
    birthplace_code: str,
) -> list[Issue]:
    """Warnings where a valid code disagrees with what was typed; blank typed values are skipped.

    Issues are attached to the typed field (``birth_date``, ``sex``, ``birth_place_code``).
    The century is not in the code, so only day, month and the last two year digits count.
    """
    issues: list[Issue] = []
    coded = decoded.birth_date
    if birth_date is not None and (
        (birth_date.year % 100, birth_date.month, birth_date.day)
        != (coded.year % 100, coded.month, coded.day)
    ):
        issues.append(
            Issue(
                "birth_date",
                Severity.WARNING,
                "cf.birth_date_mismatch",
                {"decoded": _it_date(coded)},
            )
        )
    if sex is not None and sex is not decoded.sex:
        issues.append(Issue("sex", Severity.WARNING, "cf.sex_mismatch", {"decoded": decoded.sex}))
    typed_place = birthplace_code.strip().upper()
    if typed_place and typed_place != decoded.birthplace_code:
        place = comuni.comune_by_code(decoded.birthplace_code, on=coded)
        place = place or comuni.comune_by_code(decoded.birthplace_code)
        issues.append(
            Issue(
                "birth_place_code",
                Severity.WARNING,
                "cf.birthplace_mismatch",
                {
                    "decoded": decoded.birthplace_code,
                    "decoded_name": place.name if place else decoded.birthplace_code,
                },
            )
        )
    return issues


def compare_names(code: str, *, surname: str, given_name: str) -> list[Issue]:
    """Warnings ``cf.surname_mismatch`` / ``cf.given_name_mismatch`` (on ``surname`` and
    ``given_name``) where the name letters of a well-formed code (positions 1–6, never touched
    by omocodia) differ from those of the typed name; blank names are not compared.

    Only a warning: the Agenzia delle Entrate may have registered the name differently
    (transliterations, double surnames, registry slips)."""
    normalized = normalize_codice_fiscale(code)
    if len(normalized) != CF_LENGTH or not _FORMAT.match(normalized):
        return []
    issues: list[Issue] = []
    for field, typed, encode, coded, message in (
        ("surname", surname, _lib_surname_part, normalized[:3], "cf.surname_mismatch"),
        ("given_name", given_name, _lib_given_name_part, normalized[3:6], "cf.given_name_mismatch"),
    ):
        if not typed.strip():
            continue
        try:
            expected = encode(typed.strip())
        except (ValueError, TypeError):  # nothing the library can encode (e.g. only symbols)
            continue
        if expected != coded:
            issues.append(Issue(field, Severity.WARNING, message, {"coded": coded}))
    return issues


def encode_codice_fiscale(
    *, surname: str, given_name: str, sex: Sex, birth_date: date, birthplace_code: str
) -> str:
    """The (non-omocodic) codice fiscale for these data, computed by the library.

    Raises ``UserFacingError("required", field=…)`` for a blank name and
    ``UserFacingError("comune.unknown", code=…)`` for a birthplace code not in the table.
    """
    for field, value in (("surname", surname), ("given_name", given_name)):
        if not value.strip():
            raise UserFacingError("required", field=field)
    place = birthplace_code.strip().upper()
    if not comuni.is_known_code(place):
        raise UserFacingError("comune.unknown", code=place)
    body = (
        _lib_surname_part(surname)
        + _lib_given_name_part(given_name)
        + _lib_date_part(birth_date, sex)
        + place
    )
    return body + _lib_check_letter(body)


_OMOCODIA_POSITIONS = (14, 13, 12, 10, 9, 7, 6)  # substituted from the right


def omocodic_variants(code: str) -> list[str]:
    """The other forms of the same valid code (from the library), the official omocodia sequence
    first: the last digit replaced, then the last two, and so on; then the other combinations."""
    code = normalize_codice_fiscale(code)
    variants = [v for v in _cflib._get_omocodes(code) if v != code]

    def is_official(variant: str) -> bool:
        letters = [p for p in _OMOCODIA_POSITIONS if variant[p].isalpha()]
        return letters == list(_OMOCODIA_POSITIONS[: len(letters)])

    return sorted(variants, key=lambda v: not is_official(v))
