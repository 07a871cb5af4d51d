"""The worker functions of the home visit: they read and write through the services and read
the scale definitions, off the Qt thread; they never touch a widget."""

from __future__ import annotations

from datetime import date, datetime

from caseworker_app.definitions.scales import get_scale
from caseworker_app.domain.assessment import Assessment
from caseworker_app.domain.ids import CaseId
from caseworker_app.domain.scales import ScaleDefinition
from caseworker_app.ports.gateway import Workspace
from caseworker_app.services import assessments
from caseworker_app.services.assessments import SheetSummary
from caseworker_app.ui.home_visit_widgets import DraftFound, Started


def load_history(
    workspace: Workspace, *, offered: list[str], case_id: CaseId, now: datetime
) -> tuple[dict[str, str], list[SheetSummary]]:
    """The titles of the scales offered, and the case's sheets."""
    titles = {scale_id: get_scale(scale_id).title for scale_id in offered}
    history = assessments.assessment_history(
        workspace.uow_factory(), actor=workspace.actor, case_id=case_id, now=now
    )
    for summary in history:  # read every definition version here, not on the Qt thread
        get_scale(summary.sheet.scale, summary.sheet.version)
    return titles, history


def open_draft(
    workspace: Workspace, *, sheet_id: str, now: datetime
) -> tuple[SheetSummary, ScaleDefinition]:
    summary = assessments.open_draft(
        workspace.uow_factory(), actor=workspace.actor, sheet_id=sheet_id, now=now
    )
    return summary, get_scale(summary.sheet.scale, summary.sheet.version)


def start_sheet(
    workspace: Workspace, *, case_id: CaseId, scale: str, visit_date: date, place: str,
    now: datetime,
) -> Started | DraftFound:  # fmt: skip
    """A new sheet of ``scale``, unless the case has a draft of it (then that draft)."""
    draft = assessments.draft_of_scale(workspace.uow_factory(), actor=workspace.actor,
                                       case_id=case_id, scale=scale, now=now)  # fmt: skip
    if draft is not None:
        return DraftFound(draft, get_scale(draft.scale, draft.version))
    sheet = assessments.start_assessment(
        workspace.uow_factory(),
        actor=workspace.actor,
        case_id=case_id,
        scale=scale,
        visit_date=visit_date,
        place=place,
        now=now,
    )
    return Started(sheet, get_scale(sheet.scale, sheet.version))


def start_over(
    workspace: Workspace, *, case_id: CaseId, draft: Assessment, visit_date: date, place: str,
    now: datetime,
) -> Started:  # fmt: skip
    """A new sheet of the draft's scale; the draft is discarded once the new one exists."""
    uow = workspace.uow_factory
    sheet = assessments.start_assessment(uow(), actor=workspace.actor, case_id=case_id,
                                         scale=draft.scale, visit_date=visit_date,
                                         place=place, now=now)  # fmt: skip
    assessments.discard_draft(uow(), actor=workspace.actor, sheet_id=draft.id, now=now)
    return Started(sheet, get_scale(sheet.scale, sheet.version))
