"""The SQLAlchemy unit of work: one session, one transaction, repositories over it."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from caseworker_app.store import errors
from caseworker_app.store.assessments import SqlAssessmentRepository
from caseworker_app.store.audit_repository import SqlAuditRepository
from caseworker_app.store.case_repository import SqlCaseRepository
from caseworker_app.store.installation_repository import (
    SqlInstallationRepository,
    SqlSettingsRepository,
)
from caseworker_app.store.istanze_repository import SqlIstanzaRepository
from caseworker_app.store.operator_repository import SqlOperatorRepository
from caseworker_app.store.sections import (
    SqlDiaryRepository,
    SqlDocumentRepository,
    SqlPiRepository,
    SqlRecordRepository,
)
from caseworker_app.store.signatures import SqlSignatureRepository


class SqlUnitOfWork:
    operators: SqlOperatorRepository
    cases: SqlCaseRepository
    istanze: SqlIstanzaRepository
    audit: SqlAuditRepository
    assessments: SqlAssessmentRepository
    records: SqlRecordRepository
    documents: SqlDocumentRepository
    diary: SqlDiaryRepository
    pi: SqlPiRepository
    signatures: SqlSignatureRepository
    settings: SqlSettingsRepository
    installation: SqlInstallationRepository

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._session_factory = session_factory
        self._session: Session | None = None

    @property
    def session(self) -> Session:
        if self._session is None:
            raise RuntimeError("unit of work used outside its 'with' block")
        return self._session

    def __enter__(self) -> Self:
        session = self._session_factory()
        self._session = session
        self.operators = SqlOperatorRepository(session)
        self.cases = SqlCaseRepository(session)
        self.istanze = SqlIstanzaRepository(session)
        self.audit = SqlAuditRepository(session)
        self.assessments = SqlAssessmentRepository(session)
        self.records = SqlRecordRepository(session)
        self.documents = SqlDocumentRepository(session)
        self.diary = SqlDiaryRepository(session)
        self.pi = SqlPiRepository(session)
        self.signatures = SqlSignatureRepository(session)
        self.settings = SqlSettingsRepository(session)
        self.installation = SqlInstallationRepository(session)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            self.rollback()
        finally:
            self.session.close()
            self._session = None
        if exc is not None:
            translated = errors.translate(exc)
            if translated is not None:
                raise translated from exc

    def commit(self) -> None:
        try:
            self.session.commit()
        except Exception as exc:
            self.session.rollback()
            translated = errors.translate(exc)
            if translated is not None:
                raise translated from exc
            raise

    def rollback(self) -> None:
        self.session.rollback()


class SqlUnitOfWorkFactory:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(bind=engine, expire_on_commit=False)

    def __call__(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self._sessions)
