"""The repository of the ambito packages issued (capofila) or accepted (comune) by this store."""

from __future__ import annotations

import hashlib

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseworker_app.domain.ambito_package import Direction, StoredAmbitoPackage
from caseworker_app.domain.installation_keys import Fingerprint
from caseworker_app.store.models import AmbitoPackageFileRow, AmbitoPackageRow


class SqlAmbitoRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, stored: StoredAmbitoPackage) -> None:
        self.session.add(
            AmbitoPackageRow(
                id=stored.id,
                direction=stored.direction.value,
                ambito=stored.ambito,
                sequence=stored.sequence,
                issued_at=stored.issued_at,
                sha256=stored.sha256,
                signing_public=stored.signing_public,
                fingerprint=stored.fingerprint.digits,
                manifest=stored.manifest.decode("utf-8"),
                signature=stored.signature,
                payload=stored.payload.decode("utf-8"),
                recorded_at=stored.recorded_at,
                recorded_by=stored.recorded_by,
            )
        )
        self.session.flush()  # the package row first: the files refer to it
        for name, content in sorted(stored.files.items()):
            self.session.add(
                AmbitoPackageFileRow(
                    package_id=stored.id,
                    name=name,
                    sha256=hashlib.sha256(content).hexdigest(),
                    content=content,
                )
            )
        self.session.flush()  # the unique constraints refuse a second package here

    def packages(self, direction: Direction) -> list[StoredAmbitoPackage]:
        """The packages of ``direction``, by sequence (without their files)."""
        rows = self.session.scalars(
            select(AmbitoPackageRow)
            .where(AmbitoPackageRow.direction == direction.value)
            .order_by(AmbitoPackageRow.sequence, AmbitoPackageRow.id)
        )
        return [_stored(row, {}) for row in rows]

    def latest(self, direction: Direction) -> StoredAmbitoPackage | None:
        """The package of ``direction`` with the highest sequence, with its files."""
        row = self.session.scalars(
            select(AmbitoPackageRow)
            .where(AmbitoPackageRow.direction == direction.value)
            .order_by(AmbitoPackageRow.sequence.desc(), AmbitoPackageRow.id)
        ).first()
        return None if row is None else _stored(row, self._files(row.id))

    def by_sha256(self, direction: Direction, sha256: str) -> StoredAmbitoPackage | None:
        row = self.session.scalars(
            select(AmbitoPackageRow).where(
                AmbitoPackageRow.direction == direction.value, AmbitoPackageRow.sha256 == sha256
            )
        ).first()
        return None if row is None else _stored(row, self._files(row.id))

    def _files(self, package_id: str) -> dict[str, bytes]:
        rows = self.session.scalars(
            select(AmbitoPackageFileRow)
            .where(AmbitoPackageFileRow.package_id == package_id)
            .order_by(AmbitoPackageFileRow.name)
        )
        return {row.name: row.content for row in rows}


def _stored(row: AmbitoPackageRow, files: dict[str, bytes]) -> StoredAmbitoPackage:
    return StoredAmbitoPackage(
        id=row.id,
        direction=Direction(row.direction),
        ambito=row.ambito,
        sequence=row.sequence,
        issued_at=row.issued_at,
        sha256=row.sha256,
        signing_public=row.signing_public,
        fingerprint=Fingerprint(row.fingerprint),
        manifest=row.manifest.encode("utf-8"),
        signature=row.signature,
        payload=row.payload.encode("utf-8"),
        recorded_at=row.recorded_at,
        recorded_by=row.recorded_by,
        files=files,
    )
