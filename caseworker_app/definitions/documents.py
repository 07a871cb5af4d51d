"""Load and validate the texts of printed documents (forms/documents/*.toml), e.g. the privacy
notice (``informativa-privacy``).

The files are data (style rule 13): headings, paragraphs and bullets in Italian, with a fixed
set of named placeholders (``{controller}``, ``{processor}``, ``{dpo}``) that the printing code
fills in; nothing else is interpreted. Every problem raises
``UserFacingError("definitions.invalid", file=..., key=..., what=...)`` naming the file, the key
path (``sections[3].bullets[0]``, indexes from 0) and, in Italian, what is wrong.

Versions: a released file is immutable. A change is a new file with the same ``id`` and the
next ``version``, named ``<id>.v<version>.toml`` (version 1 is ``<id>.toml``); a signed copy of an
old version re-prints with that version.
"""

from __future__ import annotations

import re
import string
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, NoReturn

from caseworker_app.definitions.locate import forms_dir
from caseworker_app.domain.errors import UserFacingError

DOCUMENT_FORMAT = "caseworker.document/1"
#: The placeholders a text may use; the printing code supplies every one of them.
PLACEHOLDERS = frozenset({"controller", "processor", "dpo"})
PARAMETERS = frozenset({"dpo"})  # placeholders whose value the file itself gives

_TOP_KEYS = {"format", "id", "version", "title", "subtitle", "parameters", "sections",
             "acknowledgement"}  # fmt: skip
_SECTION_KEYS = {"heading", "paragraphs", "bullets", "after"}
_ACK_KEYS = {"heading", "text", "roles", "signature", "note"}
_ID = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
_VERSION = re.compile(r"^[1-9][0-9]*$")


@dataclass(frozen=True)
class TextSection:
    heading: str
    paragraphs: tuple[str, ...]
    bullets: tuple[str, ...] = ()
    after: tuple[str, ...] = ()  # paragraphs after the bullets


@dataclass(frozen=True)
class Acknowledgement:
    heading: str
    text: str
    roles: tuple[str, ...]  # "in qualità di" boxes to tick
    signature: str  # the label under the signature line
    note: str = ""


@dataclass(frozen=True)
class DocumentText:
    id: str
    version: str
    title: str
    subtitle: str
    parameters: Mapping[str, str]
    sections: tuple[TextSection, ...]
    acknowledgement: Acknowledgement

    def fill(self, value: str, **names: str) -> str:
        """``value`` with its placeholders replaced: ``names`` then the file's parameters."""
        return value.format_map({**self.parameters, **names})


class _Reader:
    def __init__(self, path: Path) -> None:
        self.label = f"{path.parent.name}/{path.name}"

    def fail(self, key: str, what: str) -> NoReturn:
        raise UserFacingError("definitions.invalid", file=self.label, key=key, what=what)

    def table(self, raw: object, key: str, allowed: set[str], required: set[str]) -> dict[str, Any]:
        if not isinstance(raw, dict):
            self.fail(key, "deve essere una tabella")
        unknown = sorted(set(raw) - allowed)
        if unknown:
            where = f"{key}.{unknown[0]}" if key else unknown[0]
            self.fail(where, f"chiave sconosciuta (ammesse: {', '.join(sorted(allowed))})")
        for name in sorted(required):
            if name not in raw:
                self.fail(f"{key}.{name}" if key else name, "manca")
        return raw

    def text(self, raw: object, key: str, *, placeholders: frozenset[str] = PLACEHOLDERS) -> str:
        if not isinstance(raw, str) or not raw.strip():
            self.fail(key, "manca o non è un testo")
        try:
            fields = list(string.Formatter().parse(raw))
        except ValueError:
            self.fail(key, "parentesi graffe non bilanciate (per una graffa scrivi {{ o }})")
        for _, name, spec, conversion in fields:
            if name is None:
                continue
            if name not in placeholders or spec or conversion:
                allowed = ", ".join(f"{{{p}}}" for p in sorted(placeholders)) or "nessuno"
                self.fail(key, f"segnaposto «{{{name}}}» non ammesso (ammessi: {allowed})")
        return raw

    def texts(self, raw: object, key: str, *, required: bool) -> tuple[str, ...]:
        if raw is None and not required:
            return ()
        if not isinstance(raw, list) or not raw:
            self.fail(key, "deve essere un elenco non vuoto di testi")
        return tuple(self.text(item, f"{key}[{i}]") for i, item in enumerate(raw))


def _section(r: _Reader, raw: object, key: str) -> TextSection:
    data = r.table(raw, key, _SECTION_KEYS, {"heading", "paragraphs"})
    return TextSection(
        r.text(data["heading"], f"{key}.heading"),
        r.texts(data["paragraphs"], f"{key}.paragraphs", required=True),
        r.texts(data.get("bullets"), f"{key}.bullets", required=False),
        r.texts(data.get("after"), f"{key}.after", required=False),
    )


def _acknowledgement(r: _Reader, raw: object) -> Acknowledgement:
    key = "acknowledgement"
    data = r.table(raw, key, _ACK_KEYS, {"heading", "text", "roles", "signature"})
    note = data.get("note")
    return Acknowledgement(
        r.text(data["heading"], f"{key}.heading"),
        r.text(data["text"], f"{key}.text"),
        r.texts(data["roles"], f"{key}.roles", required=True),
        r.text(data["signature"], f"{key}.signature"),
        r.text(note, f"{key}.note") if note is not None else "",
    )


def file_name(document_id: str, version: str) -> str:
    return f"{document_id}.toml" if version == "1" else f"{document_id}.v{version}.toml"


def load_document_text(path: Path) -> DocumentText:
    """Read and validate one file; the file name must match its id and version."""
    r = _Reader(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        r.fail("", f"file illeggibile: {exc.strerror or exc}")
    except tomllib.TOMLDecodeError as exc:
        r.fail("", f"TOML non valido: {exc}")
    r.table(data, "", _TOP_KEYS, _TOP_KEYS - {"subtitle"})
    if data["format"] != DOCUMENT_FORMAT:
        r.fail("format", f"atteso «{DOCUMENT_FORMAT}»")
    document_id = r.text(data["id"], "id", placeholders=frozenset())
    if not _ID.match(document_id):
        r.fail("id", "usa lettere minuscole, cifre e trattini (es. informativa-privacy)")
    version = data["version"]
    if not isinstance(version, str) or not _VERSION.match(version):
        r.fail("version", 'deve essere un numero intero tra virgolette, es. "1"')
    expected = file_name(document_id, version)
    if path.name != expected:
        r.fail("id", f"il file di {document_id} versione {version} deve chiamarsi {expected}")
    parameters_raw = r.table(data["parameters"], "parameters", set(PARAMETERS), set(PARAMETERS))
    parameters = {name: r.text(parameters_raw[name], f"parameters.{name}",
                               placeholders=frozenset())
                  for name in sorted(PARAMETERS)}  # fmt: skip
    raw_sections = data["sections"]
    if not isinstance(raw_sections, list) or not raw_sections:
        r.fail("sections", "deve essere un elenco non vuoto: aggiungi [[sections]]")
    subtitle = data.get("subtitle")
    return DocumentText(
        id=document_id,
        version=version,
        title=r.text(data["title"], "title", placeholders=frozenset()),
        subtitle=r.text(subtitle, "subtitle", placeholders=frozenset()) if subtitle else "",
        parameters=parameters,
        sections=tuple(_section(r, s, f"sections[{i}]") for i, s in enumerate(raw_sections)),
        acknowledgement=_acknowledgement(r, data["acknowledgement"]),
    )


def _versions(folder: Path, document_id: str) -> dict[str, DocumentText]:
    found: dict[str, DocumentText] = {}
    for path in sorted(folder.glob(f"{document_id}*.toml")):
        stem = path.name.removesuffix(".toml")
        if stem != document_id and not re.fullmatch(re.escape(document_id) + r"\.v[0-9]+", stem):
            continue
        text = load_document_text(path)
        found[text.version] = text
    return found


@cache
def _cached(folder: Path, document_id: str) -> dict[str, DocumentText]:
    return _versions(folder, document_id)


def get_document_text(
    document_id: str, version: str | None = None, *, folder: Path | None = None
) -> DocumentText:
    """The text of ``document_id`` in ``version`` (default: the newest) from forms/documents."""
    where = folder if folder is not None else forms_dir() / "documents"
    versions = _cached(where, document_id)
    if not versions:
        raise UserFacingError("definitions.invalid", file=f"documents/{document_id}.toml",
                              key="", what="file mancante")  # fmt: skip
    if version is None:
        return versions[max(versions, key=int)]
    if version not in versions:
        raise UserFacingError(
            "definitions.invalid", file=f"documents/{file_name(document_id, version)}",
            key="version", what=f"versione {version} inesistente "
            f"(disponibili: {', '.join(sorted(versions, key=int))})",
        )  # fmt: skip
    return versions[version]
