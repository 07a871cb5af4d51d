"""Use cases of the avviso editions the capofila writes ("Nuova edizione da…", issue 13) and of
the definitions held in a store.

At the capofila, :func:`new_edition` copies a definition in force (shipped in ``forms/avvisi``
or a released edition) with a new id and version and the changes of :class:`EditionChanges`,
written by ``definitions/avviso_edition.py`` and read back by the loader of ``forms/``; a draft
may be changed (:func:`update_draft`) or deleted (:func:`delete_draft`); :func:`release_edition`
makes it a definition in force: immutable from then on (the store refuses any change with a
trigger), hash-pinned (its SHA-256 is recorded with it) and carried by the next ambito package.

The engine sees the definitions held in a store through one function,
:func:`install_held_definitions`: the released editions at the capofila, the definition files
the ambito packages carried at a comune (each checked against the SHA-256 its package states),
installed into ``definitions/avviso_registry`` after their own SHA-256 is checked again. The
store calls it when it is opened; a release and a package import call it too.
"""

from __future__ import annotations

import hashlib
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import TYPE_CHECKING

from caseworker_app.definitions.ambiti import Ambito, get_ambito
from caseworker_app.definitions.avvisi import get_avviso, load_avvisi
from caseworker_app.definitions.avviso_files import (
    DefinitionFile,
    avvisi_in_force,
    definition_file,
    install_definitions,
)
from caseworker_app.definitions.avviso_registry import held_versions
from caseworker_app.domain.ambito_package import PAYLOAD_MEMBER, AmbitoPackage, Direction
from caseworker_app.domain.audit import AuditAction
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.ids import new_id as make_id
from caseworker_app.domain.operator import Actor
from caseworker_app.domain.roles import Permission
from caseworker_app.messages.editions import field_label
from caseworker_app.ports.desk_storage import AvvisoEdition
from caseworker_app.ports.storage import UnitOfWork
from caseworker_app.services import audit_log
from caseworker_app.transfer.ambito_json import read_ambito_json

if TYPE_CHECKING:
    from caseworker_app.definitions.avviso_edition import EditionChanges

__all__ = [
    "EDITION_ENTITY",
    "DefinitionInForce",
    "IssuedPackage",
    "definitions_in_force",
    "delete_draft",
    "editions",
    "held_files",
    "install_held_definitions",
    "install_with_package",
    "new_edition",
    "package_files",
    "packages_issued",
    "release_edition",
    "source_bytes",
    "update_draft",
]

EDITION_ENTITY = "avviso_edition"
RELEASE_ENTITY = "avviso_edition_release"
SHIPPED = "forms"  # DefinitionInForce.source of a file shipped with the program
EDITION = "edizione"  # ... of an edition released here
PACKAGE = "pacchetto"  # ... of a file an ambito package carried (at a comune)


@dataclass(frozen=True)
class DefinitionInForce:
    avviso: str
    version: str
    title: str
    window: tuple[date, date] | None
    sha256: str
    source: str  # SHIPPED, EDITION or PACKAGE
    template: bool
    file: str


@dataclass(frozen=True)
class IssuedPackage:
    """An ambito package issued by this capofila, with what it carried to the comuni."""

    sequence: int
    issued_at: datetime
    comuni: tuple[str, ...]  # codes
    avvisi: tuple[tuple[str, str, str], ...]  # (id, version, sha256)
    editions: tuple[str, ...]  # "<id> v<version>" of the editions released here it carried


# -- the capofila's editions --------------------------------------------------------------------


def _capofila(uow: UnitOfWork) -> Ambito:
    installation = uow.installation.get()
    if installation.role != "capofila":
        raise UserFacingError("editions.not_capofila")
    return get_ambito(installation.ambito)


def source_bytes(uow: UnitOfWork, avviso_id: str, version: str) -> bytes:
    """The bytes of a definition in force (a released edition or a shipped file), inside the
    caller's unit of work; ``editions.source_unknown`` otherwise."""
    for e in uow.editions.all():
        if e.avviso == avviso_id and e.version == version and e.released:
            return e.content
    try:
        return definition_file(avviso_id, version).data
    except (UserFacingError, OSError):
        raise UserFacingError(
            "editions.source_unknown", avviso=avviso_id, version=version
        ) from None


def _taken(uow: UnitOfWork, avviso_id: str, version: str, *, but: str = "") -> bool:
    if any(e.avviso == avviso_id and e.version == version and e.id != but
           for e in uow.editions.all()):  # fmt: skip
        return True
    try:
        get_avviso(avviso_id, version)
    except UserFacingError:
        return False
    return True


def _any_ambito(source: bytes) -> bool:
    """A template not yet adopted by an ambito (``ambito = "*"`` or none)."""
    data = tomllib.loads(source.decode("utf-8"))
    return bool(data.get("template")) and data.get("ambito", "*") == "*"


def _check_ambito(written_ambito: str, avviso_id: str, ambito: Ambito) -> None:
    if written_ambito not in ("*", ambito.id):
        raise UserFacingError(
            "editions.other_ambito", avviso=avviso_id, found=written_ambito, ambito=ambito.id
        )


def new_edition(
    uow: UnitOfWork,
    *,
    actor: Actor,
    source_id: str,
    source_version: str,
    new_id: str,
    new_version: str,
    changes: EditionChanges,
    now: datetime,
) -> AvvisoEdition:
    """A draft edition ``new_id``/``new_version`` from the definition in force
    ``source_id``/``source_version``. A template's ambito defaults to this capofila's.
    Audited (``create`` on ``avviso_edition``)."""
    actor.require(Permission.RANK)
    with uow:
        ambito = _capofila(uow)
        source = source_bytes(uow, source_id, source_version)
        if _taken(uow, new_id, new_version):
            raise UserFacingError("editions.exists", avviso=new_id, version=new_version)
        based_on = f"{source_id}@{source_version}"
        if changes.ambito is None and _any_ambito(source):
            changes = replace(changes, ambito=ambito.id)
        from caseworker_app.definitions import avviso_edition  # the TOML writer (tomlkit)

        written = avviso_edition.write_edition(
            source, based_on=based_on, new_id=new_id, new_version=new_version, changes=changes
        )
        _check_ambito(written.avviso.ambito, new_id, ambito)
        edition = AvvisoEdition(
            id=make_id(),
            avviso=written.avviso.id,
            version=written.avviso.version,
            based_on=based_on,
            file_name=written.name,
            content=written.data,
            sha256=hashlib.sha256(written.data).hexdigest(),
            created_at=now,
            created_by=actor.username,
        )
        uow.editions.add(edition)
        _audit(uow, actor, AuditAction.CREATE, EDITION_ENTITY, edition.id, now)
        uow.commit()
        return edition


def _draft(uow: UnitOfWork, edition_id: str) -> AvvisoEdition:
    edition = uow.editions.get(edition_id)
    if edition is None:
        raise UserFacingError("editions.not_found", edition=edition_id)
    if edition.released:
        raise UserFacingError("editions.released", avviso=edition.avviso, version=edition.version)
    return edition


def update_draft(
    uow: UnitOfWork, *, actor: Actor, edition_id: str, changes: EditionChanges, now: datetime
) -> AvvisoEdition:
    """Apply ``changes`` to a draft (its id and version stay). Audited (``update``)."""
    actor.require(Permission.RANK)
    with uow:
        ambito = _capofila(uow)
        draft = _draft(uow, edition_id)
        from caseworker_app.definitions import avviso_edition  # the TOML writer (tomlkit)

        written = avviso_edition.write_edition(
            draft.content,
            based_on=draft.based_on,
            new_id=draft.avviso,
            new_version=draft.version,
            changes=changes,
        )
        _check_ambito(written.avviso.ambito, draft.avviso, ambito)
        changed = replace(
            draft, content=written.data, sha256=hashlib.sha256(written.data).hexdigest()
        )
        uow.editions.replace_draft(changed)
        _audit(uow, actor, AuditAction.UPDATE, EDITION_ENTITY, draft.id, now)
        uow.commit()
        return changed


def delete_draft(uow: UnitOfWork, *, actor: Actor, edition_id: str, now: datetime) -> None:
    """Delete a draft (never a released edition). Audited (``delete``)."""
    actor.require(Permission.RANK)
    with uow:
        _capofila(uow)
        draft = _draft(uow, edition_id)
        uow.editions.delete_draft(draft.id)
        _audit(uow, actor, AuditAction.DELETE, EDITION_ENTITY, draft.id, now)
        uow.commit()


def release_edition(
    uow: UnitOfWork, *, actor: Actor, edition_id: str, now: datetime
) -> AvvisoEdition:
    """Release a draft: from now on it is a definition in force, immutable, carried by the next
    ambito package. Refused while it is a template still to complete (``editions.incomplete``)
    or when its bytes no longer match their SHA-256. Audited (``create`` on
    ``avviso_edition_release``); the definitions held are installed again."""
    actor.require(Permission.RANK)
    with uow:
        _capofila(uow)
        draft = _draft(uow, edition_id)
        from caseworker_app.definitions import avviso_edition  # the TOML writer (tomlkit)

        written = avviso_edition.write_edition(
            draft.content,
            based_on=draft.based_on,
            new_id=draft.avviso,
            new_version=draft.version,
            changes=avviso_edition.EditionChanges(),
        )
        if written.missing is not None or written.avviso.template:
            field, what = written.missing or ("", "")
            raise UserFacingError(
                "editions.incomplete",
                avviso=draft.avviso,
                version=draft.version,
                field=field_label(field),
                what=what,
            )
        if hashlib.sha256(draft.content).hexdigest() != draft.sha256:
            raise UserFacingError("definitions.held_altered", file=draft.file_name)
        uow.editions.release(draft.id, at=now, by=actor.username)
        _audit(uow, actor, AuditAction.CREATE, RELEASE_ENTITY, draft.id, now)
        install_definitions([*held_files(uow)])  # before the commit: a bad file releases nothing
        uow.commit()
        return replace(draft, released_at=now, released_by=actor.username)


def editions(uow: UnitOfWork, *, actor: Actor) -> list[AvvisoEdition]:
    """The editions written here, drafts and released, by avviso and version."""
    actor.require(Permission.RANK)
    with uow:
        _capofila(uow)
        return uow.editions.all()


# -- the definitions held in a store ------------------------------------------------------------


def held_files(uow: UnitOfWork) -> list[DefinitionFile]:
    """The definition files this store holds, inside the caller's unit of work: the released
    editions (capofila) or the files of every ambito package imported (comune), each checked
    against the SHA-256 recorded with it (``definitions.held_altered``) — so what is loaded is
    what was released."""
    if uow.installation.get().role == "capofila":
        return [
            DefinitionFile(e.avviso, e.version, e.file_name, e.content, e.sha256)
            for e in uow.editions.all()
            if e.released
        ]
    found: dict[str, DefinitionFile] = {}
    for listed in uow.ambito.packages(Direction.IMPORTATO):  # listed without their files
        stored = uow.ambito.by_sha256(Direction.IMPORTATO, listed.sha256) or listed
        package = read_ambito_json(stored.payload, file=PAYLOAD_MEMBER)
        for a in package.avvisi:
            data = stored.files.get(a.member)
            if data is None or hashlib.sha256(data).hexdigest() != a.sha256:
                raise UserFacingError("definitions.held_altered", file=a.file)
            held = found.get(a.file)
            if held is not None and held.sha256 != a.sha256:
                raise UserFacingError("definitions.held_conflict", file=a.file)
            found[a.file] = DefinitionFile(a.id, a.version, a.file, data, a.sha256)
    return list(found.values())


def install_held_definitions(uow: UnitOfWork) -> None:
    """Make the definitions held in this store visible to the engine (``get_avviso``,
    ``load_avvisi``): the one place that does it. Opens its own unit of work."""
    with uow:
        install_definitions(held_files(uow))


def install_with_package(
    uow: UnitOfWork, package: AmbitoPackage, files: Mapping[str, bytes], *, file: str
) -> None:
    """At a comune, before the ambito ``package`` (from the transfer file ``file``, carrying
    ``files`` by member name) is recorded, inside the caller's unit of work: the definitions
    held and those it carries, read by the loader and installed. A definition the loader
    refuses refuses the package (``ambito.definition_invalid``)."""
    held = {f.name: f for f in held_files(uow)}
    for a in package.avvisi:
        carried = DefinitionFile(a.id, a.version, a.file, files[a.member], a.sha256)
        prior = held.get(a.file)
        if prior is not None and prior.sha256 != carried.sha256:
            raise UserFacingError("definitions.held_conflict", file=a.file)
        held[a.file] = carried
    try:
        install_definitions(list(held.values()))
    except UserFacingError as exc:
        if not exc.code.startswith("definitions."):
            raise
        name = str(exc.params.get("file", ""))
        raise UserFacingError("ambito.definition_invalid", file=file, definition=name) from None


def package_files(uow: UnitOfWork, ambito: Ambito) -> list[DefinitionFile]:
    """The definitions the next ambito package carries, inside the caller's unit of work: the
    newest version of each avviso of the ambito, shipped or released here (the released
    editions installed first, so that a new version of a shipped avviso replaces it)."""
    released = held_files(uow)
    install_definitions(released)
    files = {f.avviso: f for f in avvisi_in_force(ambito)}
    for f in released:
        avviso = get_avviso(f.avviso, f.version)
        if avviso.ambito != ambito.id or avviso.template:
            continue
        current = files.get(f.avviso)
        if current is None or int(f.version) > int(current.version):
            files[f.avviso] = f
    return sorted(files.values(), key=lambda f: f.avviso)


def definitions_in_force(uow: UnitOfWork, *, actor: Actor) -> list[DefinitionInForce]:
    """The newest version of each avviso of this installation's ambito and each template, with
    where it comes from (shipped, released here, received in a package)."""
    with uow:
        installation = uow.installation.get()
        install_definitions(held_files(uow))
    held_source = EDITION if installation.role == "capofila" else PACKAGE
    found: list[DefinitionInForce] = []
    for avviso in sorted(load_avvisi().values(), key=lambda a: a.id):
        if avviso.ambito != installation.ambito and not avviso.template:
            continue
        f = definition_file(avviso.id, avviso.version)
        window = (avviso.window.start, avviso.window.end) if avviso.window else None
        held = avviso.version in held_versions(avviso.id)
        found.append(
            DefinitionInForce(
                avviso.id,
                avviso.version,
                avviso.title,
                window,
                f.sha256,
                held_source if held else SHIPPED,
                avviso.template,
                f.name,
            )
        )
    return found


def packages_issued(uow: UnitOfWork, *, actor: Actor) -> list[IssuedPackage]:
    """The ambito packages this capofila issued, the latest first, with the definitions each
    carried and which of them are editions released here."""
    with uow:
        _capofila(uow)
        released = {(e.avviso, e.version) for e in uow.editions.all() if e.released}
        issued: list[IssuedPackage] = []
        for stored in uow.ambito.packages(Direction.ESPORTATO):
            package = read_ambito_json(stored.payload, file=PAYLOAD_MEMBER)
            avvisi = tuple((a.id, a.version, a.sha256) for a in package.avvisi)
            issued.append(
                IssuedPackage(
                    package.sequence,
                    stored.issued_at,
                    tuple(c.code for c in package.comuni),
                    avvisi,
                    tuple(f"{i} v{v}" for i, v, _ in avvisi if (i, v) in released),
                )
            )
    return sorted(issued, key=lambda p: p.sequence, reverse=True)


def _audit(
    uow: UnitOfWork, actor: Actor, action: AuditAction, entity: str, entity_id: str, at: datetime
) -> None:
    audit_log.record(
        uow, actor=actor, action=action, entity_type=entity, entity_id=entity_id, at=at
    )
