"""States for citizenship: ISO 3166-1 alpha-2 codes with their Italian names.

The list is ``pycountry``'s (ISO 3166-1, with the Italian names of its gettext catalogue), read
once on first use. ``XX`` (a code ISO leaves to its users) stands for a stateless person
(*apolide*), who has no state to choose. Italy comes first: it is the default citizenship of a
new cartella and by far the most frequent.
"""

from __future__ import annotations

import functools
import gettext
from dataclasses import dataclass

import pycountry

from caseworker_app.domain.text import fold

ITALY = "IT"
STATELESS = "XX"


@dataclass(frozen=True)
class Country:
    code: str  # ISO 3166-1 alpha-2, upper case
    name: str  # the Italian name ("Marocco")


@functools.cache
def countries() -> tuple[Country, ...]:
    """Every state, Italy first, then by Italian name (accents folded); *apolide* last."""
    italian = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["it"])
    found: list[Country] = []
    for entry in pycountry.countries:
        english = str(getattr(entry, "common_name", None) or entry.name)
        found.append(Country(str(entry.alpha_2).upper(), italian.gettext(english)))
    found.sort(key=lambda c: (c.code != ITALY, fold(c.name)))
    found.append(Country(STATELESS, "Apolide"))
    return tuple(found)


@functools.cache
def _by_code() -> dict[str, Country]:
    return {c.code: c for c in countries()}


def country_name(code: str) -> str | None:
    """The Italian name of the state ``code`` (any case), or None when unknown or blank."""
    country = _by_code().get(code.strip().upper())
    return country.name if country is not None else None


def is_known_country(code: str) -> bool:
    return country_name(code) is not None
