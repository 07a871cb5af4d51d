"""The repository of the transmission keys: this installation's key sets and its peers' keys."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseworker_app.domain.ids import new_id
from caseworker_app.domain.installation_keys import (
    KeyMaterial,
    OwnKeys,
    PeerKey,
    PeerKeyStatus,
    PublicKeyBundle,
)
from caseworker_app.store.models import OwnKeyRow, PeerKeyRow


def _own(row: OwnKeyRow) -> OwnKeys:
    material = KeyMaterial(
        signing_private=row.signing_private,
        signing_public=row.signing_public,
        age_identity=row.age_identity,
        age_recipient=row.age_recipient,
    )
    return OwnKeys(row.id, row.created_at, material, row.retired_at)


def _comuni(raw: str) -> tuple[str, ...]:
    try:
        value = json.loads(raw)
    except ValueError:
        return ()
    if not isinstance(value, list):
        return ()
    return tuple(str(code) for code in value)


def _peer(row: PeerKeyRow) -> PeerKey:
    bundle = PublicKeyBundle(
        installation=row.installation_id,
        role=row.role,
        ambito=row.ambito,
        comuni=_comuni(row.comuni),
        signing_public=row.signing_public,
        age_recipient=row.age_recipient,
    )
    return PeerKey(
        bundle, PeerKeyStatus(row.status), row.first_seen_at, row.confirmed_at, row.confirmed_by
    )


class SqlKeyRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    # -- this installation ------------------------------------------------------------------

    def current_own(self) -> OwnKeys | None:
        row = self.session.scalars(select(OwnKeyRow).where(OwnKeyRow.retired_at.is_(None))).first()
        return _own(row) if row is not None else None

    def list_own(self) -> list[OwnKeys]:
        """Every key set, the newest first (retired ones open files sent to them before)."""
        rows = self.session.scalars(
            select(OwnKeyRow).order_by(OwnKeyRow.created_at.desc(), OwnKeyRow.id)
        )
        return [_own(row) for row in rows]

    def add_own(self, keys: OwnKeys) -> None:
        material = keys.material
        self.session.add(
            OwnKeyRow(
                id=keys.id,
                created_at=keys.created_at,
                signing_private=material.signing_private,
                signing_public=material.signing_public,
                age_identity=material.age_identity,
                age_recipient=material.age_recipient,
                retired_at=keys.retired_at,
            )
        )
        self.session.flush()  # the one-current index refuses a second current set here

    def retire_own(self, key_id: str, *, at: datetime) -> None:
        row = self.session.get(OwnKeyRow, key_id)
        if row is None:
            raise LookupError("no such key set")
        if row.retired_at is None:
            row.retired_at = at

    # -- other installations ----------------------------------------------------------------

    def get_peer(self, installation_id: str, signing_public: str) -> PeerKey | None:
        row = self._peer_row(installation_id, signing_public)
        return _peer(row) if row is not None else None

    def peers_of(self, installation_id: str) -> list[PeerKey]:
        rows = self.session.scalars(
            select(PeerKeyRow)
            .where(PeerKeyRow.installation_id == installation_id)
            .order_by(PeerKeyRow.first_seen_at, PeerKeyRow.id)
        )
        return [_peer(row) for row in rows]

    def list_peers(self, status: PeerKeyStatus | None = None) -> list[PeerKey]:
        query = select(PeerKeyRow).order_by(PeerKeyRow.first_seen_at, PeerKeyRow.id)
        if status is not None:
            query = query.where(PeerKeyRow.status == status.value)
        return [_peer(row) for row in self.session.scalars(query)]

    def save_peer(self, peer: PeerKey) -> None:
        """Add ``peer``, or update what may change of the row already held for its installation
        and signing key: its description, status and confirmation (never its keys)."""
        bundle = peer.bundle
        row = self._peer_row(bundle.installation, bundle.signing_public)
        if row is None:
            self.session.add(
                PeerKeyRow(
                    id=new_id(),
                    installation_id=bundle.installation,
                    role=bundle.role,
                    ambito=bundle.ambito,
                    comuni=json.dumps(list(bundle.comuni)),
                    signing_public=bundle.signing_public,
                    age_recipient=bundle.age_recipient,
                    fingerprint=bundle.fingerprint.digits,
                    status=peer.status.value,
                    first_seen_at=peer.first_seen_at,
                    confirmed_at=peer.confirmed_at,
                    confirmed_by=peer.confirmed_by,
                )
            )
            return
        if row.age_recipient != bundle.age_recipient:
            raise ValueError("a peer's keys never change: a new pair is a new row")
        row.role = bundle.role
        row.ambito = bundle.ambito
        row.comuni = json.dumps(list(bundle.comuni))
        row.status = peer.status.value
        row.confirmed_at = peer.confirmed_at
        row.confirmed_by = peer.confirmed_by

    def _peer_row(self, installation_id: str, signing_public: str) -> PeerKeyRow | None:
        return self.session.scalars(
            select(PeerKeyRow).where(
                PeerKeyRow.installation_id == installation_id,
                PeerKeyRow.signing_public == signing_public,
            )
        ).first()
