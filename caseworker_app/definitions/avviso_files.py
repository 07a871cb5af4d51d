"""The avvisi definition files of an ambito in force, as bytes: what its ambito package carries.

A definition's digest is the SHA-256 of its file's bytes with CRLF line ends read as LF (as the
test that pins released definitions computes it: a Windows checkout gives the same digest), and
the bytes carried are those LF bytes, so that the digest the capofila states is the digest of what
the comune receives.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from pathlib import Path

from caseworker_app.definitions.ambiti import Ambito
from caseworker_app.definitions.avvisi import file_name, get_avviso
from caseworker_app.definitions.avviso_schema import AVVISO_FORMAT
from caseworker_app.definitions.locate import forms_dir
from caseworker_app.domain.errors import UserFacingError


@dataclass(frozen=True)
class DefinitionFile:
    avviso: str  # the avviso id
    version: str
    name: str  # the file name, e.g. "abbiatense-caregiver-2023.toml"
    data: bytes  # lines ending in LF
    sha256: str  # of ``data``, lowercase hex


def definition_bytes(path: Path) -> bytes:
    """The bytes of a definition file, CRLF line ends read as LF."""
    return path.read_bytes().replace(b"\r\n", b"\n")


def avvisi_in_force(ambito: Ambito, *, folder: Path | None = None) -> list[DefinitionFile]:
    """The newest version of each avviso the ambito lists, as its file's bytes.

    An avviso listed by the ambito that is a template or belongs to another ambito makes the
    ambito file invalid (``definitions.invalid``)."""
    root = (folder or forms_dir()) / "avvisi"
    found: list[DefinitionFile] = []
    for index, avviso_id in enumerate(ambito.avvisi):
        avviso = get_avviso(avviso_id)
        if avviso.template or avviso.ambito != ambito.id:
            raise UserFacingError(
                "definitions.invalid",
                file=f"{ambito.id}.toml",
                key=f"avvisi[{index}]",
                what=f"l'avviso {avviso_id} non è un avviso di questo ambito: toglilo",
            )
        name = file_name(avviso.id, avviso.version)
        data = definition_bytes(root / name)
        found.append(
            DefinitionFile(avviso.id, avviso.version, name, data, hashlib.sha256(data).hexdigest())
        )
    return found


def declares(data: bytes, *, avviso_id: str, version: str) -> bool:
    """Whether ``data`` reads as an avviso definition file (TOML, our format) that declares
    ``avviso_id`` and ``version`` (a received file whose inside does not match its label)."""
    try:
        parsed = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False
    return (
        parsed.get("format") == AVVISO_FORMAT
        and parsed.get("id") == avviso_id
        and parsed.get("version") == version
    )
