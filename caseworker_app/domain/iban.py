"""IBAN of an istanza (where the contribution is paid): validated with ``schwifty``.

The domain keeps codes, not text: ``caseworker_app.messages.istanza_wizard`` renders them in
Italian. The IBAN itself never appears in an issue's parameters (it is personal data).
"""

from __future__ import annotations

from caseworker_app.domain.validation import Issue, Severity


def compact_iban(text: str) -> str:
    """The IBAN without spaces, in capitals (what is stored and checked)."""
    return "".join(text.split()).upper()


def format_iban(text: str) -> str:
    """Groups of four characters, as printed on bank statements: IT60 X054 2811 ..."""
    compact = compact_iban(text)
    return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))


def iban_problem(text: str) -> str | None:
    """The message code of what is wrong with ``text`` as an IBAN, or None when it is valid."""
    # Imported here: schwifty loads its bank registry lazily but its import costs ~100 ms,
    # which the first window must not wait for.
    from schwifty import IBAN
    from schwifty.exceptions import (
        InvalidBankCode,
        InvalidBBANChecksum,
        InvalidChecksumDigits,
        InvalidCountryCode,
        InvalidLength,
        SchwiftyException,
    )

    compact = compact_iban(text)
    if not compact:
        return "iban.missing"
    try:
        IBAN(compact)
    except InvalidCountryCode:
        return "iban.invalid_country"
    except InvalidLength:
        return "iban.invalid_length"
    except (InvalidChecksumDigits, InvalidBBANChecksum):
        return "iban.invalid_checksum"
    except InvalidBankCode:
        return "iban.invalid_bank"
    except SchwiftyException:
        return "iban.invalid_structure"
    return None


def check_iban(iban: str, holder: str, *, required: bool) -> list[Issue]:
    """Issues of the payment details: a valid IBAN (when given or ``required``) and, with an
    IBAN, the name of its holder."""
    found: list[Issue] = []
    if not compact_iban(iban):
        if required:
            found.append(Issue("iban", Severity.ERROR, "iban.missing"))
        return found
    problem = iban_problem(iban)
    if problem is not None:
        found.append(Issue("iban", Severity.ERROR, problem))
    if not holder.strip():
        found.append(Issue("iban_holder", Severity.ERROR, "iban.holder_required"))
    return found
