"""The repository of assessment sheets."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseworker_app.domain.assessment import Assessment, SheetStatus
from caseworker_app.domain.ids import CaseId
from caseworker_app.domain.stored_formats import BlobKind, decode_answers, decode_names, encode
from caseworker_app.store.models import AssessmentRow


def _to_domain(row: AssessmentRow) -> Assessment:
    return Assessment(
        id=row.id, case_id=CaseId(row.case_id), scale=row.scale, version=row.version,
        variant=row.variant, visit_date=row.visit_date, place=row.place,
        evaluators=decode_names(row.evaluators, row=row.id),
        multidimensional=row.multidimensional, answers=decode_answers(row.answers, row=row.id),
        status=SheetStatus(row.status), created_by=row.created_by, updated_at=row.updated_at,
    )  # fmt: skip


class SqlAssessmentRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def save(self, sheet: Assessment, *, now: datetime) -> None:
        """Insert or replace the sheet (drafts are saved again and again while answering)."""
        row = self.session.get(AssessmentRow, sheet.id)
        if row is None:
            row = AssessmentRow(id=sheet.id, created_at=now)
            self.session.add(row)
        row.case_id = sheet.case_id
        row.scale, row.version, row.variant = sheet.scale, sheet.version, sheet.variant
        row.visit_date, row.place = sheet.visit_date, sheet.place
        row.evaluators = encode(BlobKind.SCALE_EVALUATORS, sheet.evaluators)
        row.multidimensional = sheet.multidimensional
        row.answers = encode(BlobKind.SCALE_ANSWERS, sheet.answers)
        row.status, row.created_by, row.updated_at = sheet.status.value, sheet.created_by, now

    def get(self, sheet_id: str) -> Assessment | None:
        row = self.session.get(AssessmentRow, sheet_id)
        return _to_domain(row) if row else None

    def of_case(self, case_id: CaseId) -> list[Assessment]:
        rows = self.session.scalars(
            select(AssessmentRow)
            .where(AssessmentRow.case_id == case_id)
            .order_by(AssessmentRow.visit_date, AssessmentRow.created_at, AssessmentRow.id)
        )
        return [_to_domain(r) for r in rows]

    def delete(self, sheet_id: str) -> None:
        """Remove a sheet (the service lets only drafts go)."""
        row = self.session.get(AssessmentRow, sheet_id)
        if row is not None:
            self.session.delete(row)
