"""The worker side of the case editor's autosave: the first save of the anagrafica creates the
case, the next ones update it; a codice fiscale that belongs to another cartella is refused, and
the result says whose it is (:class:`CodeTaken`) instead of failing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from caseworker_app.domain.casefile import CaseListRow
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.ids import CaseId
from caseworker_app.domain.person import Anagrafica
from caseworker_app.domain.validation import Issue
from caseworker_app.ports.gateway import Workspace
from caseworker_app.services import cases


@dataclass(frozen=True)
class CodeTaken:
    """A save refused because the codice fiscale belongs to the cartella ``existing``."""

    codice_fiscale: str
    existing: CaseListRow


def store_anagrafica(
    workspace: Workspace,
    *,
    comune: str,
    case_id: CaseId | None,
    anagrafica: Anagrafica,
    now: datetime,
) -> tuple[CaseId, list[Issue]] | CodeTaken:
    """Create the case (no ``case_id`` yet) or save its anagrafica; runs on the worker."""

    def store() -> tuple[CaseId, list[Issue]]:
        if case_id is None:
            return cases.create_case(
                workspace.uow_factory(),
                actor=workspace.actor,
                comune=comune,
                anagrafica=anagrafica,
                now=now,
            )
        issues = cases.save_anagrafica(
            workspace.uow_factory(),
            actor=workspace.actor,
            case_id=case_id,
            anagrafica=anagrafica,
            now=now,
        )
        return case_id, issues

    try:
        return store()
    except UserFacingError as exc:
        owner = exc.params.get("case_id")
        if exc.code != "cf.already_registered" or not isinstance(owner, str):
            raise
    existing = cases.case_summary(
        workspace.uow_factory(), actor=workspace.actor, case_id=CaseId(owner)
    )
    return CodeTaken(anagrafica.codice_fiscale, existing)
