"""The repository of operators (accounts, roles, password hashes)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from caseworker_app.domain.ids import OperatorId
from caseworker_app.domain.operator import Operator
from caseworker_app.domain.roles import format_roles, parse_roles
from caseworker_app.store.models import OperatorRow


class SqlOperatorRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, operator: Operator, password_hash: str) -> None:
        self.session.add(
            OperatorRow(
                id=operator.id,
                username=operator.username,
                full_name=operator.full_name,
                qualifica=operator.qualifica,
                roles=format_roles(operator.roles),
                password_hash=password_hash,
                active=operator.active,
                created_at=operator.created_at,
            )
        )

    def _row(self, username: str) -> OperatorRow | None:
        return self.session.scalar(
            select(OperatorRow).where(func.lower(OperatorRow.username) == username.casefold())
        )

    @staticmethod
    def _to_domain(row: OperatorRow) -> Operator:
        return Operator(
            OperatorId(row.id),
            row.username,
            row.full_name,
            parse_roles(row.roles),
            row.active,
            row.created_at,
            row.qualifica or "",
        )

    def get_by_username(self, username: str) -> Operator | None:
        row = self._row(username)
        return self._to_domain(row) if row else None

    def password_hash(self, username: str) -> str | None:
        row = self._row(username)
        return row.password_hash if row else None

    def set_password_hash(self, username: str, password_hash: str) -> None:
        row = self._row(username)
        if row is not None:
            row.password_hash = password_hash

    def set_active(self, username: str, active: bool) -> None:
        row = self._row(username)
        if row is not None:
            row.active = active

    def set_details(self, username: str, *, full_name: str, qualifica: str) -> None:
        row = self._row(username)
        if row is not None:
            row.full_name = full_name
            row.qualifica = qualifica

    def list(self) -> list[Operator]:
        rows = self.session.scalars(select(OperatorRow).order_by(OperatorRow.username))
        return [self._to_domain(r) for r in rows]
