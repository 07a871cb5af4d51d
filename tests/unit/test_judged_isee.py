"""Which ISEE attestation an istanza was judged on (domain/istanza_content.judged_isee): the ones
chosen in the wizard, else the one the engine used on the submission day, never the latest."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from caseworker_app.definitions.avvisi import get_avviso
from caseworker_app.domain.case_sections import IseeAttestation
from caseworker_app.domain.ids import CaseId, IstanzaId
from caseworker_app.domain.istanza import Istanza, IstanzaState
from caseworker_app.domain.istanza_content import CaseFacts, IstanzaContent, judged_isee
from caseworker_app.domain.person import Anagrafica, Sex

AVVISO = get_avviso("abbiatense-caregiver-2023")  # ISEE may arrive until 31/01/2024
SUBMITTED = datetime(2024, 1, 15, 9, 30)
LATER = datetime(2026, 3, 2, 10, 0)
ADULT = Anagrafica(surname="Prova", given_name="Ada", sex=Sex.F, birth_date=date(1938, 4, 1),
                   residence_comune="A010")  # fmt: skip
MINOR = Anagrafica(surname="Prova", given_name="Leo", sex=Sex.M, birth_date=date(2014, 5, 2),
                   residence_comune="A010")  # fmt: skip


def _att(kind: str, value: str, received: date) -> IseeAttestation:
    return IseeAttestation(kind, Decimal(value), "", received, received)


def _istanza(submitted: datetime | None = SUBMITTED) -> Istanza:
    state = IstanzaState.PRESENTATA if submitted else IstanzaState.BOZZA
    return Istanza(IstanzaId("i"), CaseId("c"), "A010", AVVISO.id, state,
                   "A010-2024-000001" if submitted else None, submitted)  # fmt: skip


def _judged(
    isee: dict[str, IseeAttestation],
    *,
    chosen: tuple[str, ...] = (),
    person: Anagrafica = ADULT,
    istanza: Istanza | None = None,
    presented_on: date | None = None,
) -> list[str]:
    facts = CaseFacts(person, isee=isee)
    content = IstanzaContent(isee_ids=chosen, presented_on=presented_on)
    found = judged_isee(istanza or _istanza(), facts, content, AVVISO, now=LATER)
    return [key for key, _att in found]


OLD = _att("sociosanitario", "21000.00", date(2023, 2, 1))
JUDGED = _att("sociosanitario", "18500.00", date(2024, 1, 12))
NEWER = _att("sociosanitario", "45000.00", date(2026, 2, 1))


def test_none_chosen_gives_the_one_received_by_the_submission_not_a_later_one() -> None:
    assert _judged({"old": OLD, "judged": JUDGED, "newer": NEWER}) == ["judged"]


def test_the_chosen_ones_are_all_given_the_engine_s_first() -> None:
    assert _judged({"judged": JUDGED, "newer": NEWER}, chosen=("newer", "judged")) == [
        "judged", "newer"]  # fmt: skip
    assert _judged({"old": OLD, "judged": JUDGED, "newer": NEWER}, chosen=("old",)) == ["old"]


def test_the_type_the_requirement_looks_at_wins_over_a_later_other_type() -> None:
    ordinario = _att("ordinario", "9000.00", date(2024, 1, 14))
    assert _judged({"judged": JUDGED, "ordinario": ordinario}) == ["judged"]  # adult
    minor = {"socio": _att("sociosanitario", "9000.00", date(2024, 1, 14)),
             "ord": _att("ordinario", "30000.00", date(2023, 6, 1))}  # fmt: skip
    assert _judged(minor, person=MINOR) == ["ord"]  # minors: the ordinario


def test_an_attestation_the_avviso_lets_arrive_after_the_submission_counts_until_its_deadline() -> (
    None
):
    in_time = _att("sociosanitario", "18500.00", date(2024, 1, 25))
    assert _judged({"late": in_time, "newer": NEWER}) == ["late"]
    too_late = _att("sociosanitario", "18500.00", date(2024, 2, 5))
    assert _judged({"late": too_late, "newer": NEWER}) == []


def test_a_draft_is_judged_as_of_the_day_it_was_presented() -> None:
    draft = _istanza(submitted=None)
    assert _judged({"judged": JUDGED, "newer": NEWER}, istanza=draft,
                   presented_on=date(2024, 1, 13)) == ["judged"]  # fmt: skip
    assert _judged({"judged": JUDGED, "newer": NEWER}, istanza=draft) == ["newer"]  # as of now
