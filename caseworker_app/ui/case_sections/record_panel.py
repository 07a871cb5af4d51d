"""A section panel whose entries are case records of one type (certifications, ISEE
attestations, measures in place): loading, saving and deleting are the same for all."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar, TypeVar

from caseworker_app.domain.ids import CaseId
from caseworker_app.ports.gateway import Workspace
from caseworker_app.services import case_sections as sections
from caseworker_app.services.case_sections import SectionRecord
from caseworker_app.ui.case_sections.section_panel import SectionPanel

R = TypeVar("R", bound=SectionRecord)


class RecordPanel(SectionPanel[R]):
    #: the domain class of the entries (it names the ``KIND`` they are stored under)
    record_type: ClassVar[type[SectionRecord]]

    def fetch(self, workspace: Workspace, case_id: CaseId) -> list[tuple[str, R]]:
        found = sections.list_records(workspace.uow_factory(), actor=workspace.actor,
                                      case_id=case_id, record_type=self.record_type)  # fmt: skip
        return [(e.id, e.value) for e in found]  # type: ignore[misc]

    def store(
        self, workspace: Workspace, case_id: CaseId, entry_id: str, value: R, now: datetime
    ) -> None:
        sections.put_record(workspace.uow_factory(), actor=workspace.actor, case_id=case_id,
                            record_id=entry_id, value=value, now=now)  # fmt: skip

    def remove(self, workspace: Workspace, case_id: CaseId, entry_id: str, now: datetime) -> None:
        sections.delete_record(workspace.uow_factory(), actor=workspace.actor, case_id=case_id,
                               record_id=entry_id, now=now)  # fmt: skip
