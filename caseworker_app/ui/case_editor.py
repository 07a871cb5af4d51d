"""The case editor: the anagrafica form with autosave, and the other sections of the case file
in tabs (network, certifications, ISEE, measures in place, documents, diary).

About 700 ms after the last edit the form is saved on the worker: the first save creates the
case (``create_case``), the next ones update it (``save_anagrafica``). There is never a "save
changes?" question. Saves are serialised: while one is in flight, further edits wait for it and
then the latest state is saved.

The section tabs load their entries on the worker the first time they are shown (opening a case
stays fast) and are disabled until the case exists. Each section saves its own entries with the
same debounce; ``flush()`` and ``is_idle()`` cover them too.

A codice fiscale that already belongs to another cartella is refused by the service: nothing is
saved (no nameless duplicate), what was typed stays in the form, the code's message names the
existing cartella and offers to open it. While the code stays the same no save is attempted; a
new cartella refused for this reason is closed without saving (the message said so).
"""

from __future__ import annotations

from typing import cast

import shiboken6
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from caseworker_app.domain import comuni
from caseworker_app.domain.casefile import CaseClosure, CaseFile
from caseworker_app.domain.ids import CaseId
from caseworker_app.domain.person import AnagraficaConfirmation
from caseworker_app.domain.roles import Permission
from caseworker_app.domain.validation import Issue, Severity
from caseworker_app.ui import errors
from caseworker_app.ui.anagrafica_form import ALREADY_REGISTERED, AnagraficaForm
from caseworker_app.ui.assessments_tab import AssessmentsTab
from caseworker_app.ui.case_autosave import CodeTaken, store_anagrafica
from caseworker_app.ui.case_closing import CaseStatusActions
from caseworker_app.ui.case_confirmations import CaseConfirmations
from caseworker_app.ui.case_istanze_panel import CaseIstanzePanel
from caseworker_app.ui.case_sections.certifications_panel import CertificationsPanel
from caseworker_app.ui.case_sections.diary_panel import DiaryPanel
from caseworker_app.ui.case_sections.documents_panel import DocumentsPanel
from caseworker_app.ui.case_sections.isee_panel import IseePanel
from caseworker_app.ui.case_sections.measures_panel import MeasuresPanel
from caseworker_app.ui.case_sections.network_panel import NetworkPanel
from caseworker_app.ui.case_summary_bar import CaseSummaryBar
from caseworker_app.ui.case_tabs import CaseSectionTabs
from caseworker_app.ui.formats import format_time
from caseworker_app.ui.home_visit import HomeVisitView
from caseworker_app.ui.screen_fit import show_fitted
from caseworker_app.ui.session import Session

AUTOSAVE_DELAY_MS = 700


class CaseEditor(QWidget):
    #: a save reached the store (the case id, new or existing)
    case_saved = Signal(str)
    #: the title (surname and name) changed
    title_changed = Signal(str)
    #: no save is pending or in flight any more
    became_idle = Signal()
    #: the operator asked to open another cartella (the one holding the typed code)
    open_case_requested = Signal(str)
    #: the (empty) cartella was deleted: its tab goes
    case_deleted = Signal(str)

    def __init__(
        self, session: Session, *, case: CaseFile | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.case_id: CaseId | None = case.id if case is not None else None
        self.closure = case.closure if case is not None else None
        self.opened_on = (case.opened_at if case is not None else session.now()).date()
        self._taken: CodeTaken | None = None  # the last code refused as another cartella's
        self._dirty = False
        self._saving = False
        self._autosave = QTimer(self)
        self._autosave.setSingleShot(True)
        self._autosave.setInterval(AUTOSAVE_DELAY_MS)
        self._autosave.timeout.connect(self.save_now)
        self.confirmations = CaseConfirmations(
            session, owner=self, on_loaded=self.on_confirmations_loaded,
            on_saved=self.on_confirmations_saved, on_failed=self.on_confirm_failed,
        )  # fmt: skip
        self._build()
        if case is not None:
            self.form.load(case.anagrafica)
            self.tabs.enable_sections()
            self.confirmations.load(self.case_id)
        self.on_closure_changed(self.closure, saved=False)
        self._update_title()
        self._update_home_visit()
        self.form.edited.connect(self.on_form_edited)
        self.form.open_existing_requested.connect(self.open_case_requested.emit)
        self.form.confirmation_changed.connect(self.on_confirmation_changed)

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        header = QHBoxLayout()
        header.setContentsMargins(12, 8, 12, 4)
        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.status = QLabel()
        self.status.setObjectName("hint")
        self.status.setAccessibleName(self.tr("Stato del salvataggio"))
        self.status.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        header.addWidget(self.title, 1)
        header.addWidget(self.status)
        self.home_visit: HomeVisitView | None = None
        self.home_visit_button = QPushButton(self.tr("Valutazione a domicilio…"))
        self.home_visit_button.setAccessibleName(self.tr("Valutazione a domicilio"))
        self.home_visit_button.clicked.connect(self.on_home_visit_clicked)
        # Health data: never shown to operators who may not read them (amministrativo).
        self.home_visit_button.setVisible(self.session.workspace.actor.can(Permission.READ_HEALTH))
        header.addWidget(self.home_visit_button)
        self.status_actions = CaseStatusActions(
            self.session, opened_on=lambda: self.opened_on, before_delete=self._discard_pending
        )
        self.status_actions.closure_changed.connect(self.on_closure_changed)
        self.status_actions.case_deleted.connect(self.case_deleted.emit)
        header.addWidget(self.status_actions)
        layout.addLayout(header)
        self.summary_row = CaseSummaryBar(lambda field: self.form.field_title(field))
        self.summary_row.field_requested.connect(self.go_to_field)
        self.summary = self.summary_row.summary
        layout.addWidget(self.summary_row)
        scroll = QScrollArea()
        self.form_scroll = scroll
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.form = AnagraficaForm(today=lambda: self.session.now().date())
        holder = QWidget()
        inner = QVBoxLayout(holder)
        inner.setContentsMargins(12, 0, 12, 12)
        inner.addWidget(self.form)
        scroll.setWidget(holder)
        self.tabs = CaseSectionTabs(
            case_id=lambda: self.case_id, closed=lambda: self.closure is not None
        )
        self.tabs.section_idle.connect(self._emit_idle)
        self.tabs.setAccessibleName(self.tr("Sezioni della cartella"))
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(scroll, self.tr("Anagrafica"))
        self.panels = self.tabs.panels  # the sections built so far that save entries
        # Sections are built when their tab is first shown (or first used): opening a case
        # from the list only builds the anagrafica.
        health = self.session.workspace.actor.can(Permission.READ_HEALTH)
        for name, title, factory in (
            ("network", self.tr("Rete familiare"), lambda p: NetworkPanel(self.session, p)),
            ("certifications", self.tr("Certificazioni"),
             lambda p: CertificationsPanel(self.session, p)),
            ("isee", self.tr("ISEE"), lambda p: IseePanel(self.session, p)),
            ("measures", self.tr("Servizi in atto"), lambda p: MeasuresPanel(self.session, p)),
            ("documents", self.tr("Documenti"), lambda p: DocumentsPanel(self.session, p)),
            ("diary", self.tr("Diario"), lambda p: DiaryPanel(self.session, p)),
            ("istanze", self.tr("Istanze"),
             lambda p: CaseIstanzePanel(self.session, person=self.display_title,
                                        before_open=self.flush, parent=p)),
        ):  # fmt: skip
            self.tabs.add_lazy(name, title, factory)
        if health:  # scales and their history are health data (not for amministrativo)
            self.tabs.add_lazy("assessments", self.tr("Valutazioni"), self._assessments_tab)
        layout.addWidget(self.tabs, 1)
        self._update_summary()

    def tab_of(self, name: str) -> QWidget:
        """The tab holding a section ("documents", "isee", "istanze", ...)."""
        return self.tabs.tab_of(name)

    @property
    def network(self) -> NetworkPanel:
        return cast(NetworkPanel, self.tabs.section("network"))

    @property
    def certifications(self) -> CertificationsPanel:
        return cast(CertificationsPanel, self.tabs.section("certifications"))

    @property
    def isee(self) -> IseePanel:
        return cast(IseePanel, self.tabs.section("isee"))

    @property
    def measures(self) -> MeasuresPanel:
        return cast(MeasuresPanel, self.tabs.section("measures"))

    @property
    def documents(self) -> DocumentsPanel:
        return cast(DocumentsPanel, self.tabs.section("documents"))

    @property
    def diary(self) -> DiaryPanel:
        return cast(DiaryPanel, self.tabs.section("diary"))

    @property
    def istanze(self) -> CaseIstanzePanel:
        return cast(CaseIstanzePanel, self.tabs.section("istanze"))

    def add_section(self, title: str, widget: QWidget) -> None:
        """Add a tab to the case file.

        A :class:`SectionPanel` is enabled once the case exists and its saves count for
        ``flush()`` and ``is_idle()``; a :class:`CaseFollower` is told the case id."""
        self.tabs.addTab(widget, title)
        self.tabs.register(widget)

    # -- state -----------------------------------------------------------------------------

    def is_saving(self) -> bool:
        busy = self._saving or self.confirmations.in_flight > 0
        return busy or any(p.is_saving() for p in self.panels)

    def is_idle(self) -> bool:
        """Nothing waiting to be saved and no save in flight (anagrafica and sections)."""
        return not self._dirty and not self.is_saving() and all(p.is_idle() for p in self.panels)

    def is_refused_duplicate(self) -> bool:
        """What is pending was refused (and is not retried) because the typed codice fiscale
        belongs to another cartella."""
        if self._taken is None or self._saving:
            return False
        anagrafica, _issues = self.form.read()
        return anagrafica.codice_fiscale == self._taken.codice_fiscale

    def display_title(self) -> str:
        anagrafica, _issues = self.form.read()
        name = " ".join(p for p in (anagrafica.surname, anagrafica.given_name) if p)
        return name or self.tr("Nuova cartella")

    def _update_title(self) -> None:
        title = self.display_title()
        if title != self.title.text():
            self.title.setText(title)
            self.title_changed.emit(title)

    @property
    def missing_buttons(self) -> dict[str, QPushButton]:
        """The summary's buttons of the mandatory fields still empty, by field."""
        return self.summary_row.missing_buttons

    def go_to_field(self, field: str) -> None:
        """Show the anagrafica and put the cursor in ``field``."""
        self.tabs.setCurrentIndex(0)
        widget = self.form.focus_field(field)
        self.form_scroll.ensureWidgetVisible(widget)

    def on_closure_changed(self, closure: object, *, saved: bool = True) -> None:
        """Closed: readable, not editable (the form is disabled, every section is read-only,
        no new istanza nor home visit; the summary says why and how to reopen)."""
        self.closure = closure if isinstance(closure, CaseClosure) else None
        self.form.setEnabled(self.closure is None)
        self.tabs.apply_closure_to_built()
        self.status_actions.set_case(self.case_id, self.closure)
        self._update_summary()
        self._update_home_visit()
        if saved and self.case_id is not None:
            self.case_saved.emit(self.case_id)  # the list shows the new state

    def _discard_pending(self) -> None:
        """The case is being deleted: what is typed and not saved goes with it."""
        self._autosave.stop()
        self._dirty = False

    def _update_summary(self) -> None:
        self.summary_row.show_state(
            closure=self.closure,
            refused_duplicate=self.is_refused_duplicate(),
            missing_fields=self.form.missing_fields(),
        )

    # -- confirmations of warnings ---------------------------------------------------------

    def on_confirmations_loaded(self, confirmations: list[AnagraficaConfirmation]) -> None:
        self.form.set_confirmations(confirmations)
        self._emit_idle()

    def on_confirmation_changed(self, confirmation: AnagraficaConfirmation, checked: bool) -> None:
        """A "Confermo" box was ticked or unticked: stored at once (or once the cartella
        exists)."""
        self.confirmations.add(confirmation, checked)
        if self.case_id is None:
            if not self._dirty and not self._saving:
                self._dirty = True
                self.save_now()
            return
        self.confirmations.send(self.case_id)

    def on_confirmations_saved(self) -> None:
        self.status.setText(
            self.tr("Salvato alle %1").replace("%1", format_time(self.session.now()))
        )
        self._emit_idle()

    def on_confirm_failed(self, exc: BaseException) -> None:
        self.status.setText(self.tr("Salvataggio non riuscito"))
        errors.report_error(self.window(), exc)
        self._emit_idle()

    # -- home visit --------------------------------------------------------------------------

    def _assessments_tab(self, parent: QWidget) -> AssessmentsTab:
        tab = AssessmentsTab(self.session, parent)
        tab.resume_requested.connect(self.on_resume_requested)
        return tab

    def on_resume_requested(self, sheet_id: str) -> None:
        """A draft chosen in the Valutazioni tab: the home visit opens on it."""
        if self.closure is not None:
            return
        self.on_home_visit_clicked()
        if self.home_visit is not None:
            self.home_visit.resume(sheet_id)

    def _reload_assessments(self) -> None:
        assessments = self.tabs.built("assessments")
        if isinstance(assessments, AssessmentsTab):
            assessments.reload()

    def _update_home_visit(self) -> None:
        anagrafica, _issues = self.form.read()
        ready = self.case_id is not None and anagrafica.birth_date is not None
        closed = self.closure is not None
        self.home_visit_button.setEnabled(ready and not closed)
        self.home_visit_button.setToolTip(
            self.tr(
                "La cartella è chiusa: per una nuova valutazione a domicilio usa prima «Riapri "
                "cartella»."
            )
            if closed
            else self.tr("Disponibile quando la cartella è salvata e ha la data di nascita")
        )

    def on_home_visit_clicked(self) -> None:
        anagrafica, _issues = self.form.read()
        if self.case_id is None or anagrafica.birth_date is None or self.closure is not None:
            return
        self.flush()
        if self.home_visit is not None:
            self.home_visit.close()
            self.home_visit.deleteLater()
        self.home_visit = HomeVisitView(
            self.session,
            case_id=self.case_id,
            person=self.display_title(),
            birth_date=anagrafica.birth_date,
            parent=self,
        )
        self.home_visit.sheets_changed.connect(self._reload_assessments)
        show_fitted(self.home_visit, maximized=True)
        self.home_visit.activateWindow()

    # -- autosave --------------------------------------------------------------------------

    def on_form_edited(self) -> None:
        self._dirty = True
        self._update_title()
        self._update_summary()
        if not self._saving:
            self.status.setText(self.tr("Modifiche non ancora salvate"))
        self._autosave.start()

    def save_now(self) -> None:
        """Save the current state now (or right after the save in flight)."""
        self._autosave.stop()
        if not self._dirty or self._saving:
            return
        anagrafica, _parse_issues = self.form.read()
        if self.case_id is None and self.form.is_empty():
            self._dirty = False
            self._emit_idle()
            return
        if self._taken is not None and self.is_refused_duplicate():
            self._show_taken(self._taken)  # refused already: wait for the code to change
            self._emit_idle()
            return
        self._dirty = False
        self._saving = True
        self.status.setText(self.tr("Salvataggio…"))
        workspace, now, case_id = self.session.workspace, self.session.now(), self.case_id
        comune = self.session.info.comune

        def save() -> tuple[CaseId, list[Issue]] | CodeTaken:
            return store_anagrafica(
                workspace, comune=comune, case_id=case_id, anagrafica=anagrafica, now=now
            )

        self.session.tasks.run(
            save, on_done=self.on_save_done, on_error=self.on_save_failed, owner=self
        )

    def on_code_taken(self, taken: CodeTaken) -> None:
        """Nothing was saved: keep what was typed, say whose the code is, offer to open it."""
        self._saving = False
        self._dirty = True
        self._taken = taken
        if not self.is_refused_duplicate():
            self.save_now()  # the code was changed during the save: try the latest state
            return
        self._show_taken(taken)
        self._emit_idle()

    def _show_taken(self, taken: CodeTaken) -> None:
        row = taken.existing
        place = comuni.comune_by_code(row.residence_comune) if row.residence_comune else None
        params = {
            "surname": row.surname or self.tr("(cognome non indicato)"),
            "given_name": row.given_name,
            "comune": place.name if place is not None else self.tr("comune non indicato"),
        }
        self.form.show_existing_case(
            row.case_id, Issue("codice_fiscale", Severity.ERROR, ALREADY_REGISTERED, params)
        )
        self.status.setText(self.tr("Non salvata: codice fiscale già registrato"))
        self._update_summary()

    def on_save_done(self, result: tuple[CaseId, list[Issue]] | CodeTaken) -> None:
        if isinstance(result, CodeTaken):
            self.on_code_taken(result)
            return
        self._saving = False
        self._taken = None
        self.case_id, issues = result
        self.tabs.enable_sections()
        self.status_actions.set_case(self.case_id, self.closure)
        self.confirmations.send(self.case_id)
        self.form.with_extra(issues)
        self._update_summary()
        self._update_home_visit()
        self.status.setText(
            self.tr("Salvato alle %1").replace("%1", format_time(self.session.now()))
        )
        self.case_saved.emit(self.case_id)
        if self._dirty:
            self.save_now()  # edits arrived during the save: the latest state wins
        else:
            self._emit_idle()

    def on_save_failed(self, exc: BaseException) -> None:
        self._saving = False
        self._dirty = True  # keep what was typed; the next edit or flush tries again
        self.status.setText(self.tr("Salvataggio non riuscito"))
        errors.report_error(self.window(), exc)
        self._emit_idle()

    def flush(self) -> None:
        """Save pending edits at once (closing the tab or the window), also those of the case's
        own windows (home visit, istanza wizard, PI editor)."""
        if self._dirty:
            self.save_now()
        for panel in self.panels:
            panel.flush()
        if self.home_visit is not None and shiboken6.isValid(self.home_visit):
            self.home_visit.evaluation.flush()
        istanze = self.tabs.built("istanze")
        if isinstance(istanze, CaseIstanzePanel):
            istanze.flush_windows()

    def _emit_idle(self) -> None:
        if not self.is_saving():  # also after a failed save: the tab can close or re-enable
            self.became_idle.emit()
