"""A case whose ISEE changed after its istanza was judged: 18.500 € (DSU 2024) when the istanza
was presented, 45.000 € (DSU 2026) received two years later."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal

from caseworker_app.domain.case_sections import IseeAttestation
from caseworker_app.domain.ids import IstanzaId, new_id
from caseworker_app.domain.istanza_content import IstanzaContent
from caseworker_app.ports.gateway import Workspace
from caseworker_app.ports.storage import StoredRecord
from caseworker_app.services import istanze
from tests.integration.pi_typist import seed_case

#: presented within the caregiver avviso's window (closes 22/01/2024)
SUBMITTED = datetime(2024, 1, 15, 9, 30)
#: the PI is written (or printed) once the 2026 attestation is in the file
LATER = datetime(2026, 3, 2, 10, 0)
JUDGED = IseeAttestation("sociosanitario", Decimal("18500.00"), "INPS-ISEE-2024-000000018-00",
                         date(2024, 1, 10), date(2024, 1, 12))  # fmt: skip
NEWER = IseeAttestation("sociosanitario", Decimal("45000.00"), "INPS-ISEE-2026-000000045-00",
                        date(2026, 1, 20), date(2026, 2, 1))  # fmt: skip


def seed_isee_history(
    ws: Workspace, *, choose: tuple[str, ...] | None = ("judged",), submit: bool = True
) -> tuple[IstanzaId, dict[str, str]]:
    """The PI tests' case (seed_case) with the two attestations; ``choose`` names those ticked
    in the wizard ("judged", "newer"; empty: none ticked, i.e. all of the case's). Returns the
    istanza and the record ids by name."""
    case_id, istanza_id = seed_case(ws, now=SUBMITTED)
    ids = {"judged": new_id(), "newer": new_id()}
    uow = ws.uow_factory()
    with uow:
        for name, att, at in (("judged", JUDGED, SUBMITTED), ("newer", NEWER, LATER)):
            uow.records.put(StoredRecord(ids[name], case_id, IseeAttestation.KIND, att.to_data(),
                                         at, ws.actor.username))  # fmt: skip
        content = IstanzaContent.from_data(uow.istanze.content(istanza_id))
        chosen = tuple(ids[name] for name in choose or ())
        uow.istanze.save_content(istanza_id, replace(content, isee_ids=chosen).to_data(),
                                 now=SUBMITTED)  # fmt: skip
        uow.commit()
    if submit:
        istanze.submit_istanza(ws.uow_factory(), actor=ws.actor, istanza_id=istanza_id,
                               submitted_at=SUBMITTED, now=SUBMITTED)  # fmt: skip
    return istanza_id, ids
