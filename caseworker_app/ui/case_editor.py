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

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, cast, runtime_checkable

import shiboken6
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from caseworker_app.domain import comuni
from caseworker_app.domain.casefile import CaseClosure, CaseFile, CaseListRow
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.ids import CaseId
from caseworker_app.domain.person import AnagraficaConfirmation
from caseworker_app.domain.roles import Permission
from caseworker_app.domain.validation import Issue, Severity
from caseworker_app.services import cases
from caseworker_app.ui import errors
from caseworker_app.ui.anagrafica_form import ALREADY_REGISTERED, AnagraficaForm
from caseworker_app.ui.assessments_tab import AssessmentsTab
from caseworker_app.ui.case_closing import CaseStatusActions, closure_summary
from caseworker_app.ui.case_istanze_panel import CaseIstanzePanel
from caseworker_app.ui.case_sections.certifications_panel import CertificationsPanel
from caseworker_app.ui.case_sections.diary_panel import DiaryPanel
from caseworker_app.ui.case_sections.documents_panel import DocumentsPanel
from caseworker_app.ui.case_sections.isee_panel import IseePanel
from caseworker_app.ui.case_sections.measures_panel import MeasuresPanel
from caseworker_app.ui.case_sections.network_panel import NetworkPanel
from caseworker_app.ui.case_sections.section_panel import SectionPanel
from caseworker_app.ui.formats import format_time
from caseworker_app.ui.home_visit import HomeVisitView
from caseworker_app.ui.screen_fit import show_fitted
from caseworker_app.ui.session import Session
from caseworker_app.ui.theme import set_severity

AUTOSAVE_DELAY_MS = 700


@dataclass(frozen=True)
class CodeTaken:
    """A save refused because the codice fiscale belongs to the cartella ``existing``."""

    codice_fiscale: str
    existing: CaseListRow


class LazyTab(QWidget):
    """A tab whose content is built the first time it is needed."""

    def __init__(self, factory: Callable[[QWidget], QWidget], parent: QWidget) -> None:
        super().__init__(parent)
        self._factory = factory
        self.widget: QWidget | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

    def build(self) -> QWidget:
        if self.widget is None:
            self.widget = self._factory(self)
            cast(QVBoxLayout, self.layout()).addWidget(self.widget)
        return self.widget


@runtime_checkable
class CaseFollower(Protocol):
    """A tab that only shows things of the case (istanze, assessments): told when it exists."""

    case_id: CaseId | None

    def set_case(self, case_id: CaseId | None) -> None: ...


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
        # confirmations of warnings ticked before the cartella existed (sent once it does)
        self._pending_confirmations: list[tuple[AnagraficaConfirmation, bool]] = []
        self._confirming = 0  # confirmation saves in flight
        self._build()
        if case is not None:
            self.form.load(case.anagrafica)
            self._enable_sections()
            self._load_confirmations()
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
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        # "Mancano 2 dati obbligatori: Data di nascita, Comune di residenza": each name a button
        # that takes the focus to its field.
        self.summary_row = QWidget()
        row = QHBoxLayout(self.summary_row)
        self._summary_layout = row
        row.setContentsMargins(12, 0, 12, 4)
        row.setSpacing(4)
        row.addWidget(self.summary)
        self.missing_row = QHBoxLayout()
        self.missing_row.setSpacing(2)
        row.addLayout(self.missing_row)
        row.addStretch(1)
        self.missing_buttons: dict[str, QPushButton] = {}
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
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(self.tr("Sezioni della cartella"))
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(scroll, self.tr("Anagrafica"))
        self.panels: list[SectionPanel[object]] = []
        self._followers: list[CaseFollower] = []
        # Sections are built when their tab is first shown (or first used): opening a case
        # from the list only builds the anagrafica.
        self._lazy: dict[str, LazyTab] = {}
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
            self._add_lazy(name, title, factory)
        if health:  # scales and their history are health data (not for amministrativo)
            self._add_lazy("assessments", self.tr("Valutazioni"), self._assessments_tab)
        self.tabs.currentChanged.connect(self.on_tab_changed)
        layout.addWidget(self.tabs, 1)
        self._update_summary()

    def _add_lazy(self, name: str, title: str, factory: Callable[[QWidget], QWidget]) -> None:
        holder = LazyTab(factory, self.tabs)
        self._lazy[name] = holder
        self.tabs.addTab(holder, title)

    def _section(self, name: str) -> QWidget:
        holder = self._lazy[name]
        if holder.widget is None:
            self._register(holder.build())
        assert holder.widget is not None
        return holder.widget

    def tab_of(self, name: str) -> QWidget:
        """The tab holding a section ("documents", "isee", "istanze", ...)."""
        return self._lazy[name]

    def on_tab_changed(self, index: int) -> None:
        holder = self.tabs.widget(index)
        if isinstance(holder, LazyTab) and holder.widget is None:
            self._register(holder.build())

    @property
    def network(self) -> NetworkPanel:
        return cast(NetworkPanel, self._section("network"))

    @property
    def certifications(self) -> CertificationsPanel:
        return cast(CertificationsPanel, self._section("certifications"))

    @property
    def isee(self) -> IseePanel:
        return cast(IseePanel, self._section("isee"))

    @property
    def measures(self) -> MeasuresPanel:
        return cast(MeasuresPanel, self._section("measures"))

    @property
    def documents(self) -> DocumentsPanel:
        return cast(DocumentsPanel, self._section("documents"))

    @property
    def diary(self) -> DiaryPanel:
        return cast(DiaryPanel, self._section("diary"))

    @property
    def istanze(self) -> CaseIstanzePanel:
        return cast(CaseIstanzePanel, self._section("istanze"))

    def add_section(self, title: str, widget: QWidget) -> None:
        """Add a tab to the case file.

        A :class:`SectionPanel` is enabled once the case exists and its saves count for
        ``flush()`` and ``is_idle()``; a :class:`CaseFollower` is told the case id."""
        self.tabs.addTab(widget, title)
        self._register(widget)

    def _register(self, widget: QWidget) -> None:
        if isinstance(widget, SectionPanel):
            self.panels.append(widget)
            widget.became_idle.connect(self._emit_idle)
            if self.case_id is not None:
                widget.set_case(self.case_id)
        elif isinstance(widget, CaseFollower):
            self._followers.append(widget)
            if self.case_id is not None:
                widget.set_case(self.case_id)
        self._apply_closure(widget)

    def _apply_closure(self, widget: QWidget) -> None:
        """A closed cartella is read-only in every section, and takes no new istanza."""
        closed = self.closure is not None
        if isinstance(widget, SectionPanel):
            widget.set_read_only(closed)
        elif isinstance(widget, CaseIstanzePanel):
            widget.set_case_closed(closed)

    def _enable_sections(self) -> None:
        if self.case_id is None:
            return
        for panel in self.panels:
            if panel.case_id != self.case_id:
                panel.set_case(self.case_id)
        for follower in self._followers:
            if follower.case_id != self.case_id:
                follower.set_case(self.case_id)

    # -- state -----------------------------------------------------------------------------

    def is_saving(self) -> bool:
        return self._saving or self._confirming > 0 or any(p.is_saving() for p in self.panels)

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

    def _show_missing(self, fields: list[str]) -> None:
        """One button per mandatory field still empty (rebuilt only when the list changes)."""
        if list(self.missing_buttons) == fields:
            return
        for button in self.missing_buttons.values():
            self.missing_row.removeWidget(button)
            button.deleteLater()
        self.missing_buttons = {}
        for position, field in enumerate(fields):
            title = self.form.field_title(field)
            last = position == len(fields) - 1
            button = QPushButton(title + ("" if last else ","))
            button.setFlat(True)
            button.setObjectName("missingField")
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.setAccessibleName(self.tr("Vai al campo %1").replace("%1", title))
            button.setToolTip(self.tr("Vai al campo %1").replace("%1", title))
            font = button.font()
            font.setUnderline(True)
            button.setFont(font)
            button.clicked.connect(lambda _c=False, f=field: self.go_to_field(f))
            self.missing_row.addWidget(button)
            self.missing_buttons[field] = button
        # One line with the names beside it; a sentence alone wraps over the whole width.
        self.summary.setWordWrap(not fields)
        self._summary_layout.setStretchFactor(self.summary, 0 if fields else 1)

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
        for widget in (*self.panels, *self._followers):  # the sections built so far
            if isinstance(widget, QWidget):
                self._apply_closure(widget)
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
        missing_fields = self.form.missing_fields()
        missing = len(missing_fields)
        self._show_missing([] if self.is_refused_duplicate() else missing_fields)
        if self.closure is not None:
            self._show_missing([])
            self.summary.setText(closure_summary(self.closure))
            set_severity(self.summary, "warning")
            self.summary_row.show()
        elif self.is_refused_duplicate():
            self.summary.setText(
                self.tr(
                    "Non salvata: il codice fiscale è già registrato in un'altra cartella "
                    "(vedi sotto il codice fiscale)."
                )
            )
            set_severity(self.summary, "error")
            self.summary_row.show()
        elif missing:
            if missing == 1:
                text = self.tr(
                    "Bozza (tutto ciò che scrivi viene comunque salvato): manca un dato "
                    "obbligatorio:"
                )
            else:
                text = self.tr(
                    "Bozza (tutto ciò che scrivi viene comunque salvato): mancano %1 dati "
                    "obbligatori:"
                ).replace("%1", str(missing))
            self.summary.setText(text)
            names = ", ".join(self.form.field_title(f) for f in missing_fields)
            self.summary.setAccessibleName(f"{text} {names}")
            set_severity(self.summary, "warning")
            self.summary_row.show()
        else:
            self.summary.clear()
            self.summary_row.hide()

    # -- confirmations of warnings ---------------------------------------------------------

    def _load_confirmations(self) -> None:
        workspace, case_id = self.session.workspace, self.case_id
        if case_id is None:
            return
        self._confirming += 1

        def load() -> list[AnagraficaConfirmation]:
            return cases.anagrafica_confirmations(
                workspace.uow_factory(), actor=workspace.actor, case_id=case_id
            )

        self.session.tasks.run(
            load, on_done=self.on_confirmations_loaded, on_error=self.on_confirm_failed,
            owner=self,
        )  # fmt: skip

    def on_confirmations_loaded(self, confirmations: list[AnagraficaConfirmation]) -> None:
        self._confirming -= 1
        self.form.set_confirmations(confirmations)
        self._emit_idle()

    def on_confirmation_changed(self, confirmation: AnagraficaConfirmation, checked: bool) -> None:
        """A "Confermo" box was ticked or unticked: stored at once (or once the cartella
        exists)."""
        self._pending_confirmations.append((confirmation, checked))
        if self.case_id is None:
            if not self._dirty and not self._saving:
                self._dirty = True
                self.save_now()
            return
        self._send_confirmations()

    def _send_confirmations(self) -> None:
        workspace, now, case_id = self.session.workspace, self.session.now(), self.case_id
        if case_id is None or not self._pending_confirmations:
            return
        pending, self._pending_confirmations = self._pending_confirmations, []
        self._confirming += 1

        def store() -> None:
            for confirmation, checked in pending:
                cases.set_anagrafica_confirmation(
                    workspace.uow_factory(), actor=workspace.actor, case_id=case_id,
                    confirmation=confirmation, confirmed=checked, now=now,
                )  # fmt: skip

        self.session.tasks.run(
            store, on_done=self.on_confirmations_saved, on_error=self.on_confirm_failed,
            owner=self,
        )  # fmt: skip

    def on_confirmations_saved(self, _result: None) -> None:
        self._confirming -= 1
        self.status.setText(
            self.tr("Salvato alle %1").replace("%1", format_time(self.session.now()))
        )
        self._emit_idle()

    def on_confirm_failed(self, exc: BaseException) -> None:
        self._confirming -= 1
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
        holder = self._lazy.get("assessments")
        if holder is not None and isinstance(holder.widget, AssessmentsTab):
            holder.widget.reload()

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

        def save() -> tuple[CaseId, list[Issue]] | CodeTaken:
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
        self._enable_sections()
        self.status_actions.set_case(self.case_id, self.closure)
        self._send_confirmations()
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
        istanze = self._lazy["istanze"].widget
        if isinstance(istanze, CaseIstanzePanel):
            istanze.flush_windows()

    def _emit_idle(self) -> None:
        if not self.is_saving():  # also after a failed save: the tab can close or re-enable
            self.became_idle.emit()
