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

from caseworker_app.definitions.ambiti import Ambito, load_ambiti
from caseworker_app.definitions.avvisi import file_name, get_avviso, parse_avviso
from caseworker_app.definitions.avviso_registry import (
    HeldDefinition,
    held_versions,
    replace_held,
)
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
        found.append(definition_file(avviso.id, avviso.version, folder=folder))
    return found


def definition_file(
    avviso_id: str, version: str | None = None, *, folder: Path | None = None
) -> DefinitionFile:
    """The file of an avviso's version (default: the newest), shipped in ``forms/avvisi`` or
    held in the store (``avviso_registry``), with its SHA-256: what a run or a package states.
    ``definitions.unknown_avviso`` when there is none."""
    avviso = get_avviso(avviso_id, version)
    held = held_versions(avviso.id).get(avviso.version)
    if held is not None:
        return DefinitionFile(avviso.id, avviso.version, held.name, held.data, held.sha256)
    name = file_name(avviso.id, avviso.version)
    data = definition_bytes((folder or forms_dir()) / "avvisi" / name)
    return DefinitionFile(avviso.id, avviso.version, name, data, hashlib.sha256(data).hexdigest())


def install_definitions(files: list[DefinitionFile]) -> None:
    """Make the definition files held in a store (the capofila's released editions, the
    files a comune's ambito packages carried) visible to ``get_avviso``/``load_avvisi``,
    replacing those installed before. Each is hash-pinned and read by the loader of
    ``forms/``: its bytes must have the SHA-256 recorded with it, its name must match its id
    and version, and a file shipped with the same name must have the same bytes (a released
    definition is never changed). Nothing is installed when one fails
    (``definitions.held_altered``, ``definitions.held_conflict``, ``definitions.invalid``)."""
    ambiti = load_ambiti(None)
    shipped = forms_dir() / "avvisi"
    held: list[HeldDefinition] = []
    for f in files:
        if hashlib.sha256(f.data).hexdigest() != f.sha256:
            raise UserFacingError("definitions.held_altered", file=f.name)
        avviso = parse_avviso(f.data, file=f.name, ambiti=ambiti)
        if file_name(avviso.id, avviso.version) != f.name or (avviso.id, avviso.version) != (
            f.avviso,
            f.version,
        ):
            raise UserFacingError("definitions.held_altered", file=f.name)
        twin = shipped / f.name
        if twin.is_file() and definition_bytes(twin) != f.data:
            raise UserFacingError("definitions.held_conflict", file=f.name)
        held.append(HeldDefinition(avviso, f.name, f.data, f.sha256))
    replace_held(held)


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
