"""The avviso definitions held in the store, beside the files shipped in ``forms/avvisi``.

At the capofila these are the editions it released ("Nuova edizione da…"); at a comune the
definition files the ambito packages carried. They are installed once per store opened (and
again after a release or an import) by :func:`caseworker_app.definitions.avviso_files.
install_definitions`, which checks each file's SHA-256 and reads it with the loader of
``forms/``; :func:`~caseworker_app.definitions.avvisi.get_avviso` and
:func:`~caseworker_app.definitions.avvisi.load_avvisi` then see them like the shipped ones.
This module only keeps them: one process, one store open at a time.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

from caseworker_app.domain.rules.avviso import Avviso


@dataclass(frozen=True)
class HeldDefinition:
    avviso: Avviso
    name: str  # the file name, "<id>.toml" or "<id>.v<N>.toml"
    data: bytes  # the file's bytes, lines ending in LF
    sha256: str  # of ``data``: checked when installed


_held: MappingProxyType[str, MappingProxyType[str, HeldDefinition]] = MappingProxyType({})


def replace_held(definitions: list[HeldDefinition]) -> None:
    """Hold exactly ``definitions`` from now on (already checked by the caller)."""
    global _held
    found: dict[str, dict[str, HeldDefinition]] = {}
    for d in definitions:
        found.setdefault(d.avviso.id, {})[d.avviso.version] = d
    _held = MappingProxyType({k: MappingProxyType(v) for k, v in found.items()})


def held_versions(avviso_id: str) -> dict[str, HeldDefinition]:
    """The versions of ``avviso_id`` held in the store, by version."""
    return dict(_held.get(avviso_id, {}))


def held_all() -> list[HeldDefinition]:
    return [d for versions in _held.values() for d in versions.values()]
