"""The case file facts an istanza's record is built from (read inside a unit of work)."""

from __future__ import annotations

from caseworker_app.domain.case_sections import Certification, IseeAttestation, MeasureInPlace
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.ids import CaseId
from caseworker_app.domain.istanza_content import CaseFacts
from caseworker_app.ports.storage import UnitOfWork


def read_facts(uow: UnitOfWork, case_id: CaseId) -> CaseFacts:
    """Call inside ``with uow``: the anagrafica and the sections the rules look at."""
    case = uow.cases.get(case_id)
    if case is None:
        raise UserFacingError("case.not_found")
    records = uow.records.of_case(case_id)
    return CaseFacts(
        anagrafica=case.anagrafica,
        certifications=tuple(
            Certification.from_data(r.data) for r in records if r.kind == Certification.KIND
        ),
        isee={
            r.id: IseeAttestation.from_data(r.data)
            for r in records
            if r.kind == IseeAttestation.KIND
        },
        measures=tuple(
            MeasureInPlace.from_data(r.data) for r in records if r.kind == MeasureInPlace.KIND
        ),
    )
