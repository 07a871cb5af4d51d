"""The anagrafica confirmations of a case ("Confermo" ticked on a warning): loaded on the worker
when the case opens, stored on the worker when ticked or unticked. Those ticked before the
cartella exists wait here and are sent once it does."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject

from caseworker_app.domain.ids import CaseId
from caseworker_app.domain.person import AnagraficaConfirmation
from caseworker_app.services import cases
from caseworker_app.ui.session import Session


class CaseConfirmations:
    """Loads and stores the confirmations of one case; counts the calls in flight.

    The callbacks run on the Qt thread once the count no longer includes the call."""

    def __init__(
        self,
        session: Session,
        *,
        owner: QObject,
        on_loaded: Callable[[list[AnagraficaConfirmation]], None],
        on_saved: Callable[[], None],
        on_failed: Callable[[BaseException], None],
    ) -> None:
        self.session = session
        self._owner = owner  # results are dropped once it is deleted
        self._on_loaded = on_loaded
        self._on_saved = on_saved
        self._on_failed = on_failed
        # confirmations of warnings ticked before the cartella existed (sent once it does)
        self.pending: list[tuple[AnagraficaConfirmation, bool]] = []
        self.in_flight = 0  # loads and saves on the worker

    def load(self, case_id: CaseId | None) -> None:
        workspace = self.session.workspace
        if case_id is None:
            return
        self.in_flight += 1

        def load() -> list[AnagraficaConfirmation]:
            return cases.anagrafica_confirmations(
                workspace.uow_factory(), actor=workspace.actor, case_id=case_id
            )

        self.session.tasks.run(load, on_done=self._loaded, on_error=self._failed, owner=self._owner)

    def add(self, confirmation: AnagraficaConfirmation, checked: bool) -> None:
        """Remember a tick or untick, to be stored by the next :meth:`send`."""
        self.pending.append((confirmation, checked))

    def send(self, case_id: CaseId | None) -> None:
        """Store what is pending (nothing before the cartella exists)."""
        workspace, now = self.session.workspace, self.session.now()
        if case_id is None or not self.pending:
            return
        pending, self.pending = self.pending, []
        self.in_flight += 1

        def store() -> None:
            for confirmation, checked in pending:
                cases.set_anagrafica_confirmation(
                    workspace.uow_factory(), actor=workspace.actor, case_id=case_id,
                    confirmation=confirmation, confirmed=checked, now=now,
                )  # fmt: skip

        self.session.tasks.run(store, on_done=self._saved, on_error=self._failed, owner=self._owner)

    def _loaded(self, confirmations: list[AnagraficaConfirmation]) -> None:
        self.in_flight -= 1
        self._on_loaded(confirmations)

    def _saved(self, _result: None) -> None:
        self.in_flight -= 1
        self._on_saved()

    def _failed(self, exc: BaseException) -> None:
        self.in_flight -= 1
        self._on_failed(exc)
