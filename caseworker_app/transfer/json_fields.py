"""Typed readers for the scalar values of decoded JSON objects, with precise Italian errors.

The toolkit for everything read from outside (istanza records, the transfer files and their
manifests, the ambito package): this module has the errors, the scalars, the ``format`` check
and the reading of JSON files; :mod:`~caseworker_app.transfer.json_shapes` has objects and arrays.

Each reader takes one JSON object (a ``dict``) and a key, and returns the typed value or raises
:class:`FieldError` naming the key, with an Italian ``what``. The path grows as the error travels
up (``amount`` becomes ``requests[1].amount``), so reading a valid file never builds a path: a
dictionary lookup and a type check per field, the explanation only on the way out. An error
raised inside a private section (the beneficiary's data) is marked private on the way up and then
shows no value; the transfer formats show none at all (their callers report the path only).

Also here: the reading of JSON files and folders (:class:`RecordError` with ``field=""`` for a
problem of the whole file).
"""

from __future__ import annotations

import base64
import binascii
import difflib
import gc
import json
import re
import uuid
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.rules.money import (
    MAX_MONEY,
    MAX_WHOLE_DIGITS,
    format_eur,
    parse_money,
    too_large,
)
from caseworker_app.transfer import json_input

FILE_MESSAGE_CODE = "istanza.invalid_file"
MESSAGE_CODE = "istanza.invalid"
VALUE = "{value}"  # where a message shows the offending value (nothing when private)

_DATE_SHAPE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}", re.ASCII)
#: a moment with its offset from UTC (``Z`` or ``±HH:MM``), a fraction of a second allowed
ZONED_TIMESTAMP = re.compile(
    r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?(?:Z|[+-]\d{2}:\d{2})", re.ASCII
)
CODICE_FISCALE = re.compile(r"[A-Z0-9]{16}", re.ASCII)  # the shape only
# Shapes shared by several formats (docs/transfer-format.md):
BELFIORE = re.compile(r"[A-Z][0-9]{3}", re.ASCII)  # a codice catastale
TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:+-]{0,63}", re.ASCII)  # an installation, an ambito
SHA256_HEX = re.compile(r"[0-9a-f]{64}", re.ASCII)
AGE_RECIPIENT = re.compile(r"age1[02-9ac-hj-np-z]{58}", re.ASCII)
AVVISO_ID = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*", re.ASCII)
AVVISO_VERSION = re.compile(r"[1-9][0-9]{0,5}", re.ASCII)
# What money() accepts, in one step (at most MAX_MONEY: nine digits before the point).
_MONEY = re.compile(rf"[0-9]{{1,{MAX_WHOLE_DIGITS}}}\.[0-9]{{2}}", re.ASCII)
_VERSION_TAIL = re.compile(r"[0-9]{1,6}", re.ASCII)
_ECHO_LIMIT = 40
_LIST_LIMIT = 20
_ABSENT = object()
_INVALID = "valore non valido: non ha la forma richiesta"


class RecordError(UserFacingError):
    """A field of an interchange file is wrong: ``file`` (name only, or ``"<stdin>"``),
    ``field`` (JSON path, ``""`` for the whole file) and ``what`` (Italian: what is wrong and
    what to do)."""

    def __init__(self, *, file: str, field: str, what: str) -> None:
        # A problem with the whole file (no field) reads "<file>: <what>".
        super().__init__(
            MESSAGE_CODE if field else FILE_MESSAGE_CODE, file=file, field=field, what=what
        )
        self.file = file
        self.field = field
        self.what = what


class FieldError(Exception):
    """A problem at ``key``, relative to the object being read; see :meth:`under`."""

    def __init__(self, key: str, what: str, value: object = _ABSENT) -> None:
        super().__init__(key)
        self.key = key
        self.what = what
        self.value = value
        self.private = False

    def under(self, key: str, *, private: bool = False) -> FieldError:
        """The same error seen from the parent object, in which this one sits at ``key``."""
        self.key = join(key, self.key)
        self.private = self.private or private
        return self

    def message(self) -> str:
        shown = "" if self.value is _ABSENT or self.private else " " + echo(self.value)
        return self.what.replace(VALUE, shown)

    def record_error(self, *, file: str, path: str) -> RecordError:
        return RecordError(file=file, field=join(path, self.key), what=self.message())


def join(path: str, key: str) -> str:
    """``join("requests[1]", "amount")`` → ``requests[1].amount``; an index joins with no dot."""
    if not path or not key:
        return path or key
    return path + key if key.startswith("[") else f"{path}.{key}"


def echo(value: object) -> str:
    """The offending value between «», shortened: ``«12,5»``, ``«12.5»``, ``«true»``."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    if len(text) > _ECHO_LIMIT:
        text = text[: _ECHO_LIMIT - 1] + "…"
    return f"«{text}»"


def kind_of(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "un valore vero/falso"
    if isinstance(value, int | float):
        return "un numero"
    if isinstance(value, str):
        return "un testo"
    if isinstance(value, list):
        return "un elenco"
    return "un oggetto"


def choices_hint(value: str, choices: Collection[str]) -> str:
    """``forse intendevi «b2_buono»?``, or the accepted codes when they are few."""
    close = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.6)
    if close:
        return f"forse intendevi «{close[0]}»?"
    if len(choices) <= _LIST_LIMIT:
        return "valori ammessi: " + ", ".join(sorted(choices))
    return "controlla l'elenco dei codici ammessi"


def wrong_type(data: dict[str, object], key: str, expected: str) -> FieldError:
    """The error for ``data[key]``, which is not ``expected`` (or is missing)."""
    if key not in data:
        return FieldError(key, "campo obbligatorio mancante: aggiungilo")
    return FieldError(key, f"deve essere {expected}, non {kind_of(data[key])}")


# -- scalars ----------------------------------------------------------------------------------


def text(data: dict[str, object], key: str) -> str:
    """A text with something in it (not empty, not only spaces)."""
    value = data.get(key)
    if type(value) is str and value and not value.isspace():
        return value
    if isinstance(value, str):
        raise FieldError(key, "è vuoto: scrivi il valore")
    raise wrong_type(data, key, "un testo")


def string(data: dict[str, object], key: str) -> str:
    """Any text, the empty one too."""
    value = data.get(key)
    if type(value) is str:
        return value
    raise wrong_type(data, key, "un testo (anche vuoto)")


def match(data: dict[str, object], key: str, shape: re.Pattern[str], *, empty: bool = False) -> str:
    """A text all of which matches ``shape`` (or, with ``empty``, the empty text)."""
    value = data.get(key)
    if type(value) is str and (shape.fullmatch(value) or (empty and value == "")):
        return value
    if type(value) is not str:
        raise wrong_type(data, key, "un testo")
    raise FieldError(key, "è vuoto: scrivi il valore" if value == "" else _INVALID)


def printable(data: dict[str, object], key: str, limit: int, *, empty: bool = False) -> str:
    """A text for people: printable (no control characters, no line breaks), no spaces at
    either end, at most ``limit`` characters, not empty (unless ``empty``)."""
    value = data.get(key)
    if (
        type(value) is str
        and (value or empty)
        and len(value) <= limit
        and value.isprintable()
        and value == value.strip()
    ):
        return value
    if type(value) is not str:
        raise wrong_type(data, key, "un testo")
    if not value:
        raise FieldError(key, "è vuoto: scrivi il valore")
    if len(value) > limit:
        raise FieldError(key, f"è troppo lungo: al massimo {limit} caratteri, ne ha {len(value)}")
    raise FieldError(key, "contiene spazi iniziali o finali o caratteri di controllo: toglili")


def flag(data: dict[str, object], key: str) -> bool:
    value = data.get(key)
    if value is True or value is False:
        return value
    raise wrong_type(data, key, "true o false (senza virgolette)")


def integer(data: dict[str, object], key: str, *, low: int, high: int) -> int:
    """A whole number from ``low`` to ``high`` (``true``/``false`` are not numbers here)."""
    value = data.get(key)
    if type(value) is int and low <= value <= high:
        return value
    if type(value) is not int:
        raise wrong_type(data, key, "un numero intero")
    raise FieldError(key, f"numero non valido: deve essere da {low} a {high}")


def optional_int(
    data: dict[str, object], key: str, *, low: int, high: int | None, label: str
) -> int | None:
    value = data.get(key)
    if value is None:
        return None
    if type(value) is not int:
        raise FieldError(key, f"{label} deve essere un numero intero, non {kind_of(value)}")
    if value < low or (high is not None and value > high):
        bounds = f"da {low} a {high}" if high is not None else f"almeno {low}"
        raise FieldError(key, f"{label} non valido{VALUE}: deve essere {bounds}", value)
    return value


def day(data: dict[str, object], key: str) -> date:
    value = data.get(key)
    if type(value) is str and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    if not isinstance(value, str):
        raise wrong_type(data, key, 'una data tra virgolette, ad esempio "2024-01-15"')
    if _DATE_SHAPE.fullmatch(value):
        raise FieldError(key, f"data inesistente{VALUE}: controlla giorno e mese", value)
    what = f'data non valida{VALUE}: scrivila come AAAA-MM-GG, ad esempio "2024-01-15"'
    raise FieldError(key, what, value)


def timestamp(data: dict[str, object], key: str) -> datetime:
    """Local date and time to the second, without an offset (``2024-01-15T10:30:00``)."""
    value = data.get(key)
    if type(value) is str and TIMESTAMP.fullmatch(value):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            raise FieldError(key, f"data o ora inesistente{VALUE}: controllale", value) from None
    if not isinstance(value, str):
        raise wrong_type(data, key, 'data e ora tra virgolette, come "2024-01-15T10:30:00"')
    hint = ", senza fuso orario" if TIMESTAMP.match(value) else ""
    what = (
        f"data e ora non valide{VALUE}: scrivile come AAAA-MM-GGTHH:MM:SS, "
        f'ad esempio "2024-01-15T10:30:00"{hint}'
    )
    raise FieldError(key, what, value)


def zoned_timestamp(data: dict[str, object], key: str) -> datetime:
    """A moment with its offset from UTC (``2024-03-02T09:00:00+01:00``; a fraction of a second
    and ``Z`` allowed), kept with that offset."""
    value = data.get(key)
    if type(value) is str and ZONED_TIMESTAMP.fullmatch(value):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            raise FieldError(key, "data o ora inesistente: controllale") from None
    if type(value) is not str:
        raise wrong_type(data, key, 'data e ora tra virgolette, come "2024-03-02T09:00:00+01:00"')
    what = (
        "data e ora non valide: scrivile come AAAA-MM-GGTHH:MM:SS con il fuso orario, "
        'ad esempio "2024-03-02T09:00:00+01:00"'
    )
    raise FieldError(key, what)


def money(data: dict[str, object], key: str, *, label: str = "importo") -> Decimal:
    value = data.get(key)
    if type(value) is str:
        if _MONEY.fullmatch(value):  # the common case in one step
            return Decimal(value)
        if value.isascii() and not value.startswith("-"):
            parsed = parse_money(value)  # leading zeros: "0001.00"
            if parsed is not None:
                return parsed
    if value is None:
        raise wrong_type(data, key, 'un importo tra virgolette, ad esempio "12.50"')
    if isinstance(value, str) and value.isascii() and parse_money(value) is not None:
        raise FieldError(key, f"{label} negativo{VALUE}: deve essere zero o più", value)
    if isinstance(value, str) and value.isascii() and too_large(value):
        what = (
            f"{label} troppo grande: il massimo è {format_eur(MAX_MONEY)}; controlla il valore "
            "(le cifre dei centesimi vanno dopo il punto)"
        )
        raise FieldError(key, what)
    what = f'{label} non valido{VALUE}: scrivilo come stringa con due decimali, ad esempio "12.50"'
    raise FieldError(key, what, value)


def code(data: dict[str, object], key: str, choices: Collection[str], *, label: str) -> str:
    """One of ``choices`` (a wrong one is shown, with the closest or the accepted codes)."""
    value = data.get(key)
    if type(value) is str and value in choices:
        return value
    value = text(data, key)
    raise FieldError(key, f"{label} sconosciuto{VALUE}: {choices_hint(value, choices)}", value)


def codes(
    data: dict[str, object], key: str, choices: Collection[str], *, label: str
) -> frozenset[str]:
    """An array of codes from ``choices``; a wrong element is named by its index."""
    items = data.get(key)
    if type(items) is not list:
        raise wrong_type(data, key, "un elenco […] (anche vuoto)")
    for index, value in enumerate(items):
        if type(value) is not str:
            what = f"deve essere un codice tra virgolette, non {kind_of(value)}"
            raise FieldError(f"{key}[{index}]", what)
        if value not in choices:
            what = f"{label} sconosciuto{VALUE}: {choices_hint(value, choices)}"
            raise FieldError(f"{key}[{index}]", what, value)
    return frozenset(items)


def free(data: dict[str, object], key: str) -> dict[str, Any]:
    """An optional object with free content (``extra``): ``{}`` when absent or null."""
    value = data.get(key)
    if value is None:
        return {}
    if type(value) is dict:
        return value
    raise FieldError(key, f"deve essere un oggetto {{…}}, non {kind_of(value)}")


def base64_text(data: dict[str, object], key: str, size: int) -> str:
    """Standard base64 (with padding) of exactly ``size`` bytes, in its one canonical spelling
    (a key, a signature); the text itself is returned."""
    value = data.get(key)
    if type(value) is not str:
        raise wrong_type(data, key, "un testo in base64")
    try:
        raw = base64.b64decode(value.encode("ascii"), validate=True)
    except (UnicodeEncodeError, binascii.Error, ValueError):
        raise FieldError(key, "non è un testo in base64 valido") from None
    if len(raw) != size:
        raise FieldError(key, f"deve codificare {size} byte, non {len(raw)}")
    if base64.b64encode(raw).decode("ascii") != value:
        raise FieldError(key, "base64 non canonico: riscrivilo con il padding standard")
    return value


def uuid4(data: dict[str, object], key: str) -> uuid.UUID:
    """A random UUID (version 4) in its canonical spelling (lowercase, with hyphens)."""
    value = data.get(key)
    if type(value) is not str:
        raise wrong_type(data, key, "un UUID tra virgolette")
    try:
        parsed = uuid.UUID(value)
    except ValueError:
        raise FieldError(key, "non è un UUID") from None
    if str(parsed) != value or parsed.version != 4:
        raise FieldError(key, "deve essere un UUID versione 4, in minuscolo e con i trattini")
    return parsed


# -- codes of the interchange formats ----------------------------------------------------------


def format_of(value: object) -> object:
    """The ``format`` a decoded document declares (``None`` if it is not an object)."""
    return value.get("format") if isinstance(value, dict) else None


def is_newer_format(found: object, expected: str) -> bool:
    """``found`` is ``expected``'s family (``family/N``) with a higher N: the file of a newer
    program, to be refused as such (update caseworker) rather than as unknown."""
    family, _, version = expected.rpartition("/")
    if not isinstance(found, str) or not found.startswith(family + "/"):
        return False
    tail = found[len(family) + 1 :]
    return _VERSION_TAIL.fullmatch(tail) is not None and int(tail) > int(version)


def check_format(value: object, expected: str) -> None:
    """``format`` must be ``expected`` (``family/N``); a higher N is a newer program's file."""
    if value == expected:
        return
    family = expected.rpartition("/")[0]
    if value is None:
        what = f'campo obbligatorio mancante: aggiungi "format": "{expected}"'
    elif is_newer_format(value, expected):
        what = (
            f"il file è nel formato {echo(value)}, di una versione più recente di caseworker: "
            "aggiorna caseworker per leggerlo"
        )
    elif isinstance(value, str) and value.startswith(family + "/"):
        what = f'versione del formato sconosciuta {echo(value)}: attesa "{expected}"'
    else:
        shown = echo(value) if isinstance(value, str) else kind_of(value)
        what = f'formato sconosciuto {shown}: questo file non è nel formato "{expected}"'
    raise FieldError("format", what)


def belfiore(data: dict[str, object], key: str) -> str:
    value = data.get(key)
    if type(value) is str and len(value) == 4 and BELFIORE.fullmatch(value):
        return value
    value = text(data, key)
    what = (
        f"codice catastale del comune non valido{VALUE}: deve essere una lettera maiuscola e tre "
        'cifre, ad esempio "A010"'
    )
    raise FieldError(key, what, value)


def codice_fiscale(data: dict[str, object], key: str) -> str:
    """The shape only (16 uppercase letters and digits): the rules judge the check letter."""
    value = data.get(key)
    if type(value) is str and len(value) == 16 and CODICE_FISCALE.fullmatch(value):
        return value
    value = text(data, key)
    if len(value) != 16:
        what = f"il codice fiscale deve avere 16 caratteri, questo ne ha {len(value)}"
    elif CODICE_FISCALE.fullmatch(value.upper()):
        what = "il codice fiscale va scritto in lettere maiuscole"
    else:
        what = "il codice fiscale può contenere solo lettere maiuscole e cifre, senza spazi"
    raise FieldError(key, what)


# -- files --------------------------------------------------------------------------------------


@contextmanager
def collector_paused() -> Iterator[None]:
    """Reading thousands of istanze allocates hundreds of thousands of objects without cycles
    (freed by reference counting); the cyclic collector would rescan them over and over, a third
    of the time for 10,000 istanze. It is paused while one file is decoded and validated."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def decode_json(raw: bytes, *, source: str) -> object:
    """The JSON value in ``raw`` (the limits of :mod:`~caseworker_app.transfer.json_input`)."""
    try:
        return json_input.decode(raw)
    except json_input.JsonInputError as exc:
        raise RecordError(file=source, field=exc.field, what=exc.what()) from None


def json_files(path: Path) -> list[Path]:
    """``path`` itself, or the ``*.json`` files of the folder ``path`` in name order (anything
    but a folder is kept, so that a FIFO or a device among them is refused, not skipped)."""
    if not path.is_dir():
        return [path]
    files = sorted(
        (p for p in path.iterdir() if p.suffix.lower() == ".json" and not p.name.startswith(".")),
        key=lambda p: p.name,
    )
    files = [p for p in files if not p.is_dir()]
    if not files:
        what = "la cartella non contiene file .json: indica un file o una cartella che ne contiene"
        raise RecordError(file=file_name(path), field="", what=what)
    return files


def read_file(path: Path) -> bytes:
    """The bytes of a regular file of at most ``json_input.MAX_FILE_BYTES``."""
    try:
        return json_input.read_bytes(path)
    except json_input.JsonInputError as exc:
        raise RecordError(file=file_name(path), field="", what=exc.what()) from None


def file_name(path: Path) -> str:
    return path.name or str(path)
