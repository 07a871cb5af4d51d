"""The home visit and the PI of the demo's evaluated istanze (``valutata`` and beyond).

Each goes through the same use cases a social worker goes through: the closed ADL (and, for
adults, IADL) scale sheets, the social evaluation, a PI prefilled from the case and signed with
graphic signatures. The writes of a chunk of people share one transaction (``_Batch``).
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime, time, timedelta
from types import TracebackType
from typing import Self, cast

from caseworker_app.definitions.scales import get_scale
from caseworker_app.domain.assessment import IADL, offered_scales
from caseworker_app.domain.casefile import CaseFile
from caseworker_app.domain.comuni import comune_by_code
from caseworker_app.domain.demo_casework import demo_answers, demo_social_evaluation
from caseworker_app.domain.ids import CaseId
from caseworker_app.domain.istanza import Istanza, IstanzaState, Transition
from caseworker_app.domain.operator import Actor
from caseworker_app.domain.pi import PiContent, SignatoryRole
from caseworker_app.domain.rules.calendar import age_on
from caseworker_app.ports.desk_storage import ControlRepository, EditionRepository, RunRepository
from caseworker_app.ports.outcomes_storage import OutcomeRepository
from caseworker_app.ports.storage import (
    AmbitoRepository,
    AssessmentRepository,
    AuditRepository,
    CaseRepository,
    DiaryRepository,
    DocumentRepository,
    InstallationRepository,
    IstanzaRepository,
    KeyRepository,
    OperatorRepository,
    PiRepository,
    ReceivedRepository,
    RecordRepository,
    SettingsRepository,
    SignatureRepository,
    TransmissionRepository,
    UnitOfWork,
)
from caseworker_app.services import assessments, evaluations, pi, signatures

#: the scales of the home visit of an evaluated istanza (IADL only for adults)
VISIT_SCALES = ("adl-katz", IADL)
#: distinct signatures drawn on the pad by the families (the case manager has her own)
SIGNATURE_POOL = 24


def is_evaluated(path: Sequence[IstanzaState]) -> bool:
    """Whether an istanza with this history was evaluated (has sheets, evaluation and a PI)."""
    return IstanzaState.VALUTATA in path


def evaluate_istanze(
    uow: UnitOfWork,
    *,
    actor: Actor,
    evaluated: Sequence[tuple[Istanza, CaseFile, Sequence[Transition]]],
    rng: random.Random,
    manager: str,
    pad: Sequence[bytes],
    manager_png: bytes,
) -> None:
    """The home visit and the PI of each evaluated istanza (with its case file, as just
    written in ``uow``, and its history), in the caller's transaction: committed by the caller.

    ``manager`` signs every PI as case manager with ``manager_png``; the families sign with a
    signature drawn from ``pad``."""
    batch = _Batch(uow, {case.id: _as_stored(case) for _i, case, _t in evaluated})
    for istanza, case, transitions in evaluated:
        _evaluate(batch, actor=actor, istanza=istanza, case=case,
                  transitions=transitions, rng=rng, manager=manager,
                  pad=pad, manager_png=manager_png)  # fmt: skip


def _as_stored(case: CaseFile) -> CaseFile:
    """The case file as the store gives it back: household by surname and given name."""
    members = sorted(case.household, key=lambda m: (m.surname, m.given_name))
    return replace(case, household=tuple(members))


class _KnownCases:
    """The case repository, answering ``get`` for the case files the demo has just written
    (the use cases read the case again and again; the demo already holds it)."""

    def __init__(self, cases: CaseRepository, known: Mapping[CaseId, CaseFile]) -> None:
        self._repository = cases
        self._known = known

    def get(self, case_id: CaseId) -> CaseFile | None:
        found = self._known.get(case_id)
        return found if found is not None else self._repository.get(case_id)

    def __getattr__(self, name: str) -> object:
        return getattr(self._repository, name)


class _Batch:
    """One open unit of work lent to several use cases in a row: their ``with`` and
    ``commit`` join the caller's transaction, committed once by the caller. The use cases
    run unchanged (same checks, same audit events); the demo just does not pay a transaction
    for each of the thousands of small writes."""

    def __init__(self, uow: UnitOfWork, known: Mapping[CaseId, CaseFile]) -> None:
        self._uow = uow
        self._cases = cast(CaseRepository, _KnownCases(uow.cases, known))

    @property
    def operators(self) -> OperatorRepository:
        return self._uow.operators

    @property
    def cases(self) -> CaseRepository:
        return self._cases

    @property
    def istanze(self) -> IstanzaRepository:
        return self._uow.istanze

    @property
    def audit(self) -> AuditRepository:
        return self._uow.audit

    @property
    def assessments(self) -> AssessmentRepository:
        return self._uow.assessments

    @property
    def records(self) -> RecordRepository:
        return self._uow.records

    @property
    def documents(self) -> DocumentRepository:
        return self._uow.documents

    @property
    def diary(self) -> DiaryRepository:
        return self._uow.diary

    @property
    def pi(self) -> PiRepository:
        return self._uow.pi

    @property
    def signatures(self) -> SignatureRepository:
        return self._uow.signatures

    @property
    def settings(self) -> SettingsRepository:
        return self._uow.settings

    @property
    def installation(self) -> InstallationRepository:
        return self._uow.installation

    @property
    def keys(self) -> KeyRepository:
        return self._uow.keys

    @property
    def ambito(self) -> AmbitoRepository:
        return self._uow.ambito

    @property
    def transmissions(self) -> TransmissionRepository:
        return self._uow.transmissions

    @property
    def received(self) -> ReceivedRepository:
        return self._uow.received

    @property
    def runs(self) -> RunRepository:
        return self._uow.runs

    @property
    def controls(self) -> ControlRepository:
        return self._uow.controls

    @property
    def editions(self) -> EditionRepository:
        return self._uow.editions

    @property
    def outcomes(self) -> OutcomeRepository:
        return self._uow.outcomes

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        return None  # an error propagates to the caller's ``with``, which rolls back

    def commit(self) -> None:
        return None

    def rollback(self) -> None:
        self._uow.rollback()


def _evaluate(
    uow: UnitOfWork,
    *,
    actor: Actor,
    istanza: Istanza,
    case: CaseFile,
    transitions: Sequence[Transition],
    rng: random.Random,
    manager: str,
    pad: Sequence[bytes],
    manager_png: bytes,
) -> None:
    """The home visit and the PI of an evaluated istanza, as the social worker records them:
    the visit the day after admission (ADL, IADL for adults, social evaluation), the PI
    prefilled from all that on the day of the evaluation, signed there on the tablet."""
    admitted = next(t.at for t in transitions if t.to_state is IstanzaState.AMMISSIBILE)
    evaluated_at = next(t.at for t in transitions if t.to_state is IstanzaState.VALUTATA)
    visit = admitted.date() + timedelta(days=1)
    visit_at = datetime.combine(visit, time(10)) + timedelta(minutes=rng.randint(0, 300))
    born = case.anagrafica.birth_date or visit
    evaluation = demo_social_evaluation(rng, visit=visit, evaluator=manager)
    evaluators = (manager, *evaluation.asst_evaluators)
    for scale in offered_scales(list(VISIT_SCALES), age_on_visit=age_on(born, visit)):
        sheet = assessments.start_assessment(
            uow, actor=actor, case_id=case.id, scale=scale, visit_date=visit, place="domicilio",
            evaluators=evaluators, multidimensional=evaluation.multidimensional, now=visit_at,
        )  # fmt: skip
        answers = demo_answers(rng, get_scale(scale, sheet.version))
        assessments.save_answers(uow, actor=actor, sheet_id=sheet.id, answers=answers,
                                 now=visit_at + timedelta(minutes=15))  # fmt: skip
        assessments.complete_assessment(uow, actor=actor, sheet_id=sheet.id,
                                        now=visit_at + timedelta(minutes=20))  # fmt: skip
        visit_at += timedelta(minutes=25)
    evaluations.save_evaluation(uow, actor=actor, case_id=case.id, evaluation=evaluation,
                                now=visit_at + timedelta(minutes=30))  # fmt: skip
    version = pi.start_pi(uow, actor=actor, istanza_id=istanza.id, now=evaluated_at)
    content = PiContent.from_data(version.content)
    signing = evaluated_at + timedelta(minutes=40)
    for signatory in content.signatories:
        role = signatory.role
        png = manager_png if role is SignatoryRole.CASE_MANAGER else rng.choice(pad)
        signatures.save_graphic_signature(uow, actor=actor, version_id=version.id,
                                          role=role.value, png=png,
                                          method=rng.choice(("penna", "tocco")),
                                          now=signing)  # fmt: skip
    marked = replace(content, signatories=tuple(replace(s, signed=True)
                                                for s in content.signatories))  # fmt: skip
    pi.save_pi_draft(uow, actor=actor, version_id=version.id, content=marked,
                     now=signing + timedelta(minutes=1))  # fmt: skip
    place = comune_by_code(istanza.comune)
    pi.sign_pi(uow, actor=actor, version_id=version.id,
               place=place.name if place is not None else istanza.comune,
               signed_on=signing.date(), now=signing + timedelta(minutes=2))  # fmt: skip
