"""The SQLAlchemy unit of work: one session, one transaction, repositories over it."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self

from sqlalchemy import Connection, Engine, event
from sqlalchemy.orm import Session, SessionTransaction, sessionmaker

from caseworker_app.store import errors
from caseworker_app.store.commits import bump_if_written

if TYPE_CHECKING:
    from caseworker_app.store.ambito_repository import SqlAmbitoRepository
    from caseworker_app.store.assessments import SqlAssessmentRepository
    from caseworker_app.store.audit_repository import SqlAuditRepository
    from caseworker_app.store.case_repository import SqlCaseRepository
    from caseworker_app.store.desk_repositories import (
        SqlControlRepository,
        SqlEditionRepository,
        SqlRunRepository,
    )
    from caseworker_app.store.installation_repository import (
        SqlInstallationRepository,
        SqlSettingsRepository,
    )
    from caseworker_app.store.istanze_repository import SqlIstanzaRepository
    from caseworker_app.store.keys_repository import SqlKeyRepository
    from caseworker_app.store.operator_repository import SqlOperatorRepository
    from caseworker_app.store.outcomes_repository import SqlOutcomeRepository
    from caseworker_app.store.sections import (
        SqlDiaryRepository,
        SqlDocumentRepository,
        SqlPiRepository,
        SqlRecordRepository,
    )
    from caseworker_app.store.signatures import SqlSignatureRepository
    from caseworker_app.store.transmissions_repository import (
        SqlReceivedRepository,
        SqlTransmissionRepository,
    )


#: each repository of a unit of work: its module and class, imported when first used (a command
#: that ranks or logs in does not load the modules of case files, PIs and signatures)
_REPOSITORIES: dict[str, tuple[str, str]] = {
    "operators": ("operator_repository", "SqlOperatorRepository"),
    "cases": ("case_repository", "SqlCaseRepository"),
    "istanze": ("istanze_repository", "SqlIstanzaRepository"),
    "audit": ("audit_repository", "SqlAuditRepository"),
    "assessments": ("assessments", "SqlAssessmentRepository"),
    "records": ("sections", "SqlRecordRepository"),
    "documents": ("sections", "SqlDocumentRepository"),
    "diary": ("sections", "SqlDiaryRepository"),
    "pi": ("sections", "SqlPiRepository"),
    "signatures": ("signatures", "SqlSignatureRepository"),
    "settings": ("installation_repository", "SqlSettingsRepository"),
    "installation": ("installation_repository", "SqlInstallationRepository"),
    "keys": ("keys_repository", "SqlKeyRepository"),
    "ambito": ("ambito_repository", "SqlAmbitoRepository"),
    "transmissions": ("transmissions_repository", "SqlTransmissionRepository"),
    "received": ("transmissions_repository", "SqlReceivedRepository"),
    "runs": ("desk_repositories", "SqlRunRepository"),
    "controls": ("desk_repositories", "SqlControlRepository"),
    "editions": ("desk_repositories", "SqlEditionRepository"),
    "outcomes": ("outcomes_repository", "SqlOutcomeRepository"),
}


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
    keys: SqlKeyRepository
    ambito: SqlAmbitoRepository
    transmissions: SqlTransmissionRepository
    received: SqlReceivedRepository
    runs: SqlRunRepository
    controls: SqlControlRepository
    editions: SqlEditionRepository
    outcomes: SqlOutcomeRepository

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        on_commit: Callable[[int], None] | None = None,
    ) -> None:
        self._session_factory = session_factory
        self._session: Session | None = None
        self._on_commit = on_commit

    @property
    def session(self) -> Session:
        if self._session is None:
            raise RuntimeError("unit of work used outside its 'with' block")
        return self._session

    def __enter__(self) -> Self:
        self._session = self._session_factory()
        return self

    def __getattr__(self, name: str) -> Any:
        """A repository over this block's session, made when first used in the block."""
        where = _REPOSITORIES.get(name)
        if where is None:
            raise AttributeError(name)
        module, cls = where
        repository = getattr(import_module(f"caseworker_app.store.{module}"), cls)(self.session)
        setattr(self, name, repository)
        return repository

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
            for name in _REPOSITORIES:  # the next block makes its own, over its own session
                self.__dict__.pop(name, None)
        if exc is not None:
            translated = errors.translate(exc)
            if translated is not None:
                raise translated from exc

    def commit(self) -> None:
        try:
            self.session.flush()
            conn: Connection | None = self.session.info.pop(_CONNECTION, None)
            commits = bump_if_written(conn) if conn is not None else None
            self.session.commit()
            if commits is not None and self._on_commit is not None:
                self._on_commit(commits)
        except Exception as exc:
            self.session.rollback()
            translated = errors.translate(exc)
            if translated is not None:
                raise translated from exc
            raise

    def rollback(self) -> None:
        self.session.rollback()


_CONNECTION = "caseworker_connection"


def _remember_connection(session: Session, _trans: SessionTransaction, conn: Connection) -> None:
    # The connection of the session's transaction, so that commit() can count the transaction
    # without opening one (a read-only unit of work never takes the write lock).
    session.info[_CONNECTION] = conn


class SqlUnitOfWorkFactory:
    """Units of work over ``engine``; ``on_commit`` hears the commit counter after each commit
    that wrote (store/commits.py)."""

    def __init__(self, engine: Engine, *, on_commit: Callable[[int], None] | None = None) -> None:
        self.engine = engine
        self._sessions = sessionmaker(bind=engine, expire_on_commit=False)
        event.listen(self._sessions, "after_begin", _remember_connection)
        self._on_commit = on_commit

    def __call__(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self._sessions, self._on_commit)
