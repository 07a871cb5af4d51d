"""The "Nuova istanza" wizard of a case, with the live eligibility panel beside every page.

Facts of the case are read once on the worker (``load_istanza``); the engine then judges on
the UI thread, ~300 ms after the last change (pure, well under a millisecond: see
``last_judge_ms``). The content autosaves on the worker ~600 ms after the last change, one save
at a time, the latest state winning; a new ISEE attestation is written to the case the same way.
"""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import date

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QWidget,
)

from caseworker_app.domain.case_sections import IseeAttestation
from caseworker_app.domain.ids import CaseId, IstanzaId
from caseworker_app.domain.istanza import Istanza
from caseworker_app.domain.istanza_content import IstanzaContent
from caseworker_app.domain.roles import Permission
from caseworker_app.domain.rules.avviso import Avviso
from caseworker_app.domain.validation import Severity
from caseworker_app.ports.gateway import Workspace
from caseworker_app.services import integrazione
from caseworker_app.services import istanza_wizard as service
from caseworker_app.ui import errors
from caseworker_app.ui.formats import format_time
from caseworker_app.ui.istanza_wizard.frame import build_frame
from caseworker_app.ui.istanza_wizard.isee_page import IseePage
from caseworker_app.ui.istanza_wizard.pages import (
    ApplicantPage,
    CarePage,
    DeclarationsPage,
    PaymentPage,
)
from caseworker_app.ui.istanza_wizard.requests_page import DocumentsPage, RequestsPage
from caseworker_app.ui.istanza_wizard.start_page import StartPage
from caseworker_app.ui.istanza_wizard.submit_page import SubmitPage
from caseworker_app.ui.session import Session

JUDGE_DELAY_MS = 300
AUTOSAVE_DELAY_MS = 600

Loaded = tuple[service.WizardData, Avviso, tuple[service.ChecklistItem, ...]]


class IstanzaWizardView(QWidget):
    """Opened for a case: a new istanza (``istanza_id=None``) or an existing draft."""

    #: the istanza was created (its id)
    istanza_created = Signal(str)
    #: the istanza was presented (its id)
    istanza_submitted = Signal(str)
    #: nothing is waiting to be saved any more
    became_idle = Signal()

    def __init__(
        self,
        session: Session,
        *,
        case_id: CaseId,
        person: str,
        istanza_id: IstanzaId | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.session = session
        self.case_id = case_id
        title = self.tr("Nuova istanza – %1") if istanza_id is None else self.tr("Istanza – %1")
        self.setWindowTitle(title.replace("%1", person))
        self.data: service.WizardData | None = None
        self.avviso: Avviso | None = None
        self.content = IstanzaContent()
        self.editable = session.workspace.actor.can(Permission.EDIT_CASES)
        self.last_judge_ms = 0.0
        self.evaluation: service.Evaluation | None = None
        self._dirty = False
        self._saving = False
        self._isee_pending: dict[str, IseeAttestation] = {}
        self._judge_timer = self._timer(JUDGE_DELAY_MS, self.judge_now)
        self._save_timer = self._timer(AUTOSAVE_DELAY_MS, self.save_now)
        self._avvisi_timer = self._timer(JUDGE_DELAY_MS, self.refresh_avvisi)
        self._build()
        if istanza_id is None:
            self.start.date.set_value(session.now().date())
            self.refresh_avvisi()
        else:
            self._load(istanza_id)

    def _timer(self, delay: int, slot: object) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setInterval(delay)
        timer.timeout.connect(slot)
        return timer

    # -- building ----------------------------------------------------------------------------

    def _build(self) -> None:
        self.start = StartPage()
        self.applicant = ApplicantPage()
        self.declarations = DeclarationsPage()
        self.care = CarePage()
        self.isee = IseePage()
        self.requests = RequestsPage()
        self.documents = DocumentsPage()
        self.payment = PaymentPage()
        self.submit_page = SubmitPage()
        steps = [
            (self.tr("Avviso e data"), self.start),
            (self.tr("Richiedente"), self.applicant),
            (self.tr("Autodichiarazioni"), self.declarations),
            (self.tr("Situazione di cura"), self.care),
            (self.tr("ISEE"), self.isee),
            (self.tr("Interventi richiesti"), self.requests),
            (self.tr("Documenti"), self.documents),
            (self.tr("Pagamento"), self.payment),
            (self.tr("Presenta"), self.submit_page),
        ]
        frame = build_frame(self, steps)
        self.title, self.status, self.nav, self.pages = (
            frame.title,
            frame.status,
            frame.nav,
            frame.pages,
        )
        self.panel, self.back_button, self.next_button = frame.panel, frame.back, frame.next
        self.close_button = frame.close
        self.close_button.clicked.connect(self.on_close_clicked)
        self.nav.currentRowChanged.connect(self.on_step_changed)
        self.back_button.clicked.connect(lambda: self.go_to(self.nav.currentRow() - 1))
        self.next_button.clicked.connect(lambda: self.go_to(self.nav.currentRow() + 1))
        self.start.date_edited.connect(self.on_date_edited)
        self.start.create_requested.connect(self.on_create_requested)
        for page in (self.applicant, self.declarations, self.care, self.requests,
                     self.documents, self.payment):  # fmt: skip
            page.edited.connect(self.on_content_edited)
        self.isee.chosen_changed.connect(self.on_content_edited)
        self.isee.attestation_edited.connect(self.on_attestation_edited)
        self.submit_page.submit_requested.connect(self.on_submit_requested)
        self.panel.hide()
        self._set_steps_enabled(False)
        self.nav.setCurrentRow(0)

    def _set_steps_enabled(self, enabled: bool) -> None:
        for row in range(1, self.nav.count()):
            item = self.nav.item(row)
            flags = item.flags()
            item.setFlags(flags | Qt.ItemFlag.ItemIsEnabled if enabled
                          else flags & ~Qt.ItemFlag.ItemIsEnabled)  # fmt: skip

    def go_to(self, row: int) -> None:
        if 0 <= row < self.nav.count() and self.nav.item(row).flags() & Qt.ItemFlag.ItemIsEnabled:
            self.nav.setCurrentRow(row)

    def on_step_changed(self, row: int) -> None:
        self.pages.setCurrentIndex(row)
        self.back_button.setEnabled(row > 0)
        self.next_button.setEnabled(row < self.nav.count() - 1 and self.data is not None)
        if self.data is not None and self.avviso is not None:
            self.submit_page.update_from(self.data.istanza, self.content, self.avviso.title,
                                         self.evaluation)  # fmt: skip
            self.payment.update_context(self.content, self._applicant_name())

    # -- step 1: date and avviso ---------------------------------------------------------------

    def on_date_edited(self) -> None:
        if self.data is not None:
            self.on_content_edited()
        else:
            self._avvisi_timer.start()

    def refresh_avvisi(self) -> None:
        if not self.start.date.is_valid() or self.start.date.value() is None:
            self.start.show_date_problem(self.tr("Scrivi la data come gg/mm/aaaa."))
            return
        on = self.start.date.value()
        assert on is not None
        comune = self.session.info.comune

        def find() -> tuple[date, service.AvvisiOnDate]:
            return on, service.avvisi_on(comune, on)

        self.session.tasks.run(find, on_done=self.on_avvisi_found, owner=self)

    def on_avvisi_found(self, found: tuple[date, service.AvvisiOnDate]) -> None:
        on, result = found
        if self.data is None and self.start.date.value() == on:
            self.start.show_avvisi(on, result)

    def on_create_requested(self) -> None:
        avviso_id, on = self.start.chosen_avviso(), self.start.date.value()
        if avviso_id is None or on is None:
            return
        self.start.create_button.setEnabled(False)
        workspace, now, case_id = self.session.workspace, self.session.now(), self.case_id

        def create() -> Loaded:
            istanza = service.start_istanza(workspace.uow_factory(), actor=workspace.actor,
                                            case_id=case_id, avviso_id=avviso_id,
                                            presented_on=on, now=now)  # fmt: skip
            return _load(workspace, istanza.id)

        self.session.tasks.run(create, on_done=self.on_created, on_error=self.on_create_failed,
                               owner=self)  # fmt: skip

    def on_created(self, loaded: Loaded) -> None:
        self.on_loaded(loaded)
        self.istanza_created.emit(loaded[0].istanza.id)
        self.go_to(1)

    def on_create_failed(self, exc: BaseException) -> None:
        self.start.create_button.setEnabled(True)
        errors.report_error(self.window(), exc)

    # -- loading -------------------------------------------------------------------------------

    def _load(self, istanza_id: IstanzaId) -> None:
        workspace = self.session.workspace
        self.session.tasks.run(lambda: _load(workspace, istanza_id), on_done=self.on_loaded,
                               owner=self)  # fmt: skip

    def on_loaded(self, loaded: Loaded) -> None:
        data, avviso, checklist = loaded
        self.data, self.avviso, self.content = data, avviso, data.content
        self.start.date.set_value(data.content.presented_on)
        self.start.lock(avviso.title)
        self.applicant.load(data.content, data.household)
        self.declarations.load(data.content)
        self.care.load(data.content)
        self.isee.default_received = data.content.presented_on
        self.isee.load(data.content, data.facts.isee)
        self.requests.set_interventions(dict(avviso.interventions))
        self.panel.line_labels = dict(service.interventions(avviso))
        self.requests.load(data.content)
        self.documents.set_checklist(checklist)
        self.documents.load(data.content)
        self.payment.load(data.content)
        self._set_steps_enabled(True)
        self.panel.show()
        self.on_step_changed(self.nav.currentRow())
        if data.istanza.state not in service.EDITABLE or not self.editable:
            self._set_read_only()
        self.judge_now()

    def _set_read_only(self) -> None:
        for page in (self.start, self.applicant, self.declarations, self.care, self.isee,
                     self.requests, self.documents, self.payment):  # fmt: skip
            page.setEnabled(False)
        self.submit_page.submit_button.hide()

    # -- live verdict and autosave ---------------------------------------------------------------

    def _read_content(self) -> IstanzaContent:
        content = self.content
        for page in (self.applicant, self.declarations, self.care, self.isee, self.requests,
                     self.documents, self.payment):  # fmt: skip
            content = page.read_into(content)
        presented = self.start.date.value() if self.start.date.is_valid() else None
        return replace(content, presented_on=presented or content.presented_on)

    def on_content_edited(self) -> None:
        if self.data is None or self.data.istanza.state not in service.EDITABLE:
            return  # e.g. fields re-rendered read-only after the submission
        self.content = self._read_content()
        self._dirty = True
        if not self._saving:
            self.status.setText(self.tr("Modifiche non ancora salvate"))
        self._judge_timer.start()
        self._save_timer.start()

    def on_attestation_edited(self, record_id: str) -> None:
        if self.data is None:
            return
        att = self.isee.editing_attestation()
        facts = self.data.facts
        self.data = replace(self.data, facts=replace(facts, isee={**facts.isee, record_id: att}))
        self._isee_pending[record_id] = att
        self.on_content_edited()

    def judge_now(self) -> None:
        self._judge_timer.stop()
        if self.data is None or self.avviso is None:
            return
        started = time.perf_counter()
        now = self.session.now()
        result = service.evaluate(self.avviso, self.data.istanza, self.data.facts, self.content,
                                  on=now.date(), now=now)  # fmt: skip
        self.last_judge_ms = (time.perf_counter() - started) * 1000
        self.evaluation = result
        self.panel.show_evaluation(result)
        self.documents.set_today(now.date())
        self.submit_page.update_from(self.data.istanza, self.content, self.avviso.title,
                                     result)  # fmt: skip

    def save_now(self) -> None:
        self._save_timer.stop()
        if self.data is None or self._saving or not (self._dirty or self._isee_pending):
            return
        workspace, now, case_id = self.session.workspace, self.session.now(), self.case_id
        istanza_id, content = self.data.istanza.id, self.content
        # Once presented, the istanza's content is frozen; attestations belong to the case.
        editable = self.data.istanza.state in service.EDITABLE
        attestations = {k: v for k, v in self._isee_pending.items()
                        if not any(i.severity is Severity.ERROR for i in v.issues())}  # fmt: skip
        self._isee_pending = {k: v for k, v in self._isee_pending.items() if k not in attestations}
        self._dirty = False
        self._saving = True
        self.status.setText(self.tr("Salvataggio…"))

        def save() -> None:
            for record_id, att in attestations.items():
                service.save_isee(workspace.uow_factory(), actor=workspace.actor,
                                  case_id=case_id, record_id=record_id, attestation=att,
                                  now=now)  # fmt: skip
            if editable:
                service.save_content(workspace.uow_factory(), actor=workspace.actor,
                                     istanza_id=istanza_id, content=content, now=now)  # fmt: skip

        self.session.tasks.run(save, on_done=lambda _r: self.on_saved(list(attestations)),
                               on_error=self.on_save_failed, owner=self)  # fmt: skip

    def on_saved(self, isee_ids: list[str]) -> None:
        self._saving = False
        self.status.setText(
            self.tr("Salvato alle %1").replace("%1", format_time(self.session.now()))
        )
        for record_id in isee_ids:
            self.isee.show_saved(record_id, self.tr("Attestazione salvata nella cartella."))
        if self._dirty:
            self.save_now()
        else:
            self.became_idle.emit()

    def on_save_failed(self, exc: BaseException) -> None:
        self._saving = False
        self._dirty = True
        self.status.setText(self.tr("Salvataggio non riuscito"))
        errors.report_error(self.window(), exc)

    def is_idle(self) -> bool:
        return not self._dirty and not self._saving and not self._isee_pending

    def flush(self) -> None:
        if self._dirty or self._isee_pending:
            self.save_now()

    # -- presentation ----------------------------------------------------------------------------

    def _applicant_name(self) -> str:
        a = self.content.applicant
        if a.surname or a.given_name:
            return " ".join(p for p in (a.given_name, a.surname) if p)
        if self.data is None:
            return ""
        b = self.data.facts.anagrafica
        return " ".join(p for p in (b.given_name, b.surname) if p)

    def on_submit_requested(self) -> None:
        if self.data is None:
            return
        self.content = self._read_content()
        self._save_timer.stop()
        self._dirty = False
        workspace, now, content = self.session.workspace, self.session.now(), self.content
        istanza_id = self.data.istanza.id
        self.submit_page.submit_button.setEnabled(False)

        def submit() -> Istanza:
            return integrazione.present_istanza(workspace.uow_factory(), actor=workspace.actor,
                                                istanza_id=istanza_id, content=content,
                                                now=now)  # fmt: skip

        self.session.tasks.run(submit, on_done=self.on_submitted,
                               on_error=self.on_submit_failed, owner=self)  # fmt: skip

    def on_submitted(self, istanza: Istanza) -> None:
        assert self.data is not None
        self.data = replace(self.data, istanza=istanza)
        self.submit_page.submit_button.setEnabled(True)
        self.submit_page.show_submitted(istanza)
        self._set_read_only()
        self.status.setText(self.tr("Istanza presentata"))
        self.judge_now()
        self.istanza_submitted.emit(istanza.id)

    def on_submit_failed(self, exc: BaseException) -> None:
        self.submit_page.submit_button.setEnabled(True)
        self._dirty = True
        self._save_timer.start()
        errors.report_error(self.window(), exc)

    def on_close_clicked(self) -> None:
        """Chiudi: what was typed is saved (not waiting for the autosave pause), then the
        window closes."""
        if self.data is not None and self.data.istanza.state in service.EDITABLE:
            fresh = self._read_content()
            if fresh != self.content:
                self.content, self._dirty = fresh, True
        self.flush()
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.flush()
        super().closeEvent(event)


def _load(workspace: Workspace, istanza_id: IstanzaId) -> Loaded:
    """Worker only: the istanza, its content, the case facts, the avviso and its checklist."""
    data = service.load_istanza(workspace.uow_factory(), actor=workspace.actor,
                                istanza_id=istanza_id)  # fmt: skip
    avviso = service.avviso_of(data.istanza)
    return data, avviso, service.document_checklist(avviso)
