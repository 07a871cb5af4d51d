"""Revision 0011 moves the bytes of every document into ``document_contents``: nothing is lost
on the way up or down, and listing a case's documents no longer reads them."""

from __future__ import annotations

import hashlib
from datetime import datetime

from alembic import command
from sqlalchemy import text

from caseworker_app.bootstrap.vault import Vault
from caseworker_app.bootstrap.workspace import OpenStore
from caseworker_app.domain.casefile import Document
from caseworker_app.domain.ids import CaseId, DocumentId, new_id
from caseworker_app.domain.person import Anagrafica
from caseworker_app.services import cases
from caseworker_app.store import migrate

NOW = datetime(2026, 12, 3, 9, 0)
SCAN = b"%PDF-1.4\n" + bytes(range(256)) * 800  # ~200 KB, several overflow pages


def _case(workspace: OpenStore) -> CaseId:
    case_id, _ = cases.create_case(
        workspace.uow_factory(),
        actor=workspace.actor,
        comune="A010",
        anagrafica=Anagrafica(surname="Prova", given_name="Anna", residence_comune="A010"),
        now=NOW,
    )
    return case_id


def _save(workspace: OpenStore, case_id: CaseId, content: bytes | None) -> DocumentId:
    doc_id = DocumentId(new_id())
    doc = Document(
        id=doc_id,
        case_id=case_id,
        doc_type="documento_identita",
        title="Carta d'identità",
        mime="application/pdf" if content else "",
        size=len(content or b""),
        sha256=hashlib.sha256(content).hexdigest() if content else "",
        created_at=NOW,
    )
    with workspace.uow_factory() as uow:
        uow.documents.save(doc, content=content)
        uow.commit()
    return doc_id


def _migrate(workspace: OpenStore, target: str, *, down: bool) -> None:
    cfg = migrate.alembic_config()
    with workspace.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        (command.downgrade if down else command.upgrade)(cfg, target)


def test_every_scan_survives_the_move_down_and_up(
    created: tuple[Vault, OpenStore, str],
) -> None:
    _, workspace, _ = created
    case_id = _case(workspace)
    with_file = _save(workspace, case_id, SCAN)
    promised = _save(workspace, case_id, None)
    _migrate(workspace, "0010", down=True)
    with workspace.engine.connect() as conn:
        rows = dict(conn.execute(text("SELECT id, content FROM documents")).all())
    assert rows == {with_file: SCAN, promised: None}
    _migrate(workspace, "head", down=False)
    with workspace.engine.connect() as conn:
        columns = {r[1] for r in conn.execute(text("PRAGMA table_info(documents)"))}
        moved = conn.execute(text("SELECT document_id FROM document_contents")).scalars().all()
    assert "content" not in columns
    assert moved == [with_file]  # a promised document has no file, and no row
    with workspace.uow_factory() as uow:
        assert uow.documents.content(with_file) == SCAN
        assert uow.documents.content(promised) is None
        listed = {d.id: d for d in uow.documents.of_case(case_id)}
    assert listed[with_file].has_content and listed[with_file].size == len(SCAN)


def test_replacing_and_deleting_a_document_keeps_its_content_row_in_step(
    created: tuple[Vault, OpenStore, str],
) -> None:
    _, workspace, _ = created
    case_id = _case(workspace)
    doc_id = _save(workspace, case_id, SCAN)
    with workspace.uow_factory() as uow:
        doc = uow.documents.get(doc_id)
        assert doc is not None
        uow.documents.save(doc, content=b"%PDF-1.4 nuovo")
        uow.commit()
    with workspace.uow_factory() as uow:
        assert uow.documents.content(doc_id) == b"%PDF-1.4 nuovo"
        uow.documents.delete(case_id, doc_id)
        uow.commit()
    with workspace.engine.connect() as conn:
        left = conn.execute(text("SELECT count(*) FROM document_contents")).scalar_one()
    assert left == 0
