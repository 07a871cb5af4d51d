"""The store's side of the outcomes (*esiti*, since 0013), as the use cases see it: at the
capofila the files written for the comuni, at a comune the files imported and each istanza's
outcome in them."""

from __future__ import annotations

from typing import Protocol

from caseworker_app.domain.outcomes import IssuedOutcomes, IstanzaOutcome, ReceivedOutcomes


class OutcomeRepository(Protocol):
    # at the capofila
    def add_issued(self, issued: IssuedOutcomes) -> None: ...
    def issued(
        self, run_id: str, comune: str, fingerprint: str, *, approved: bool
    ) -> IssuedOutcomes | None: ...
    # at a comune
    def add_received(self, received: ReceivedOutcomes) -> None: ...  # with its istanze
    def received_by_manifest(self, sha256: str) -> ReceivedOutcomes | None: ...
    def received_of(self, avviso: str, comune: str) -> list[ReceivedOutcomes]: ...  # by run
    def of_istanza(self, istanza_id: str) -> list[IstanzaOutcome]: ...  # oldest run first
