"""The PI editor of one istanza: version selector, twelve sections, autosave, sign, new version.

Everything typed is saved on the worker (debounce 500 ms, at most 700 ms after the first unsaved
edit). A signed version is shown read-only; "Nuova versione" copies it into a new draft and
"Cosa è cambiato" lists the differences from the previous version. Operators without
READ_HEALTH never receive the evaluation section, and it is not built for them.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from caseworker_app.domain.ids import IstanzaId
from caseworker_app.domain.pi import PiContent, PiVersion, kept_as_typed
from caseworker_app.domain.pi_diff import Change
from caseworker_app.domain.roles import Permission
from caseworker_app.services import pi, printing
from caseworker_app.ui import errors
from caseworker_app.ui.formats import format_date, format_time
from caseworker_app.ui.pi_editor import form_sections as fs
from caseworker_app.ui.pi_editor import plan_sections as ps
from caseworker_app.ui.pi_editor.autosave import Autosaver
from caseworker_app.ui.pi_editor.dialogs import SignDialog
from caseworker_app.ui.pi_editor.diff_text import describe
from caseworker_app.ui.pi_editor.fields import Section
from caseworker_app.ui.pi_editor.loading import Loaded, intervention_codes
from caseworker_app.ui.pi_editor.signature_states import SignatureStates
from caseworker_app.ui.pi_editor.signing import confirm_uncovered, refuse_kept_as_typed
from caseworker_app.ui.print_preview import PrintPreviewDialog
from caseworker_app.ui.screen_fit import show_fitted
from caseworker_app.ui.session import Session


class PiEditorView(QWidget):
    #: a version was stored (its id)
    version_saved = Signal(str)
    #: the versions are loaded and shown
    loaded = Signal()
    #: "Firme…" was clicked for the version shown (its id): the signatures dialog opens
    signatures_requested = Signal(str)

    def __init__(
        self, session: Session, *, istanza_id: IstanzaId, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.istanza_id = istanza_id
        actor = session.workspace.actor
        self.can_edit = actor.can(Permission.EDIT_CASES)
        self.can_read_health = actor.can(Permission.READ_HEALTH)
        self.versions: list[PiVersion] = []
        self.current: PiVersion | None = None
        self._base = PiContent()
        self._avviso_id = ""
        self._loading = False
        self.saver = Autosaver(self._submit_save, parent=self)
        self.signatures_dialog: QWidget | None = None
        self.setWindowTitle(self.tr("Progetto Individuale"))
        self._build()
        self.signatures_requested.connect(self.on_signatures_requested)
        self._load()

    # -- layout ------------------------------------------------------------------------------

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.setContentsMargins(12, 8, 12, 4)
        title = QLabel(self.tr("Progetto Individuale"))
        title.setObjectName("pageTitle")
        top.addWidget(title)
        self.version_combo = QComboBox()
        self.version_combo.setAccessibleName(self.tr("Versione del progetto"))
        self.version_combo.setMinimumWidth(260)
        self.version_combo.currentIndexChanged.connect(self.on_version_chosen)
        top.addWidget(self.version_combo)
        self.sign_button = QPushButton(self.tr("Segna come firmato…"))
        self.sign_button.clicked.connect(self.on_sign_clicked)
        self.new_button = QPushButton(self.tr("Nuova versione"))
        self.new_button.clicked.connect(self.on_new_version_clicked)
        self.print_button = QPushButton(self.tr("Anteprima e stampa…"))
        self.print_button.setAccessibleName(self.tr("Anteprima e stampa della versione mostrata"))
        self.print_button.clicked.connect(self.on_print_clicked)
        self.signatures_button = QPushButton(self.tr("Firme…"))
        self.signatures_button.setAccessibleName(self.tr("Firme della versione mostrata"))
        self.signatures_button.clicked.connect(self.on_signatures_clicked)
        top.addWidget(self.sign_button)
        top.addWidget(self.new_button)
        top.addWidget(self.print_button)
        top.addWidget(self.signatures_button)
        top.addStretch(1)
        self.status = QLabel()
        self.status.setObjectName("hint")
        self.status.setAccessibleName(self.tr("Stato del salvataggio"))
        top.addWidget(self.status)
        layout.addLayout(top)
        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setContentsMargins(12, 0, 12, 4)
        self.banner.setProperty("severity", "warning")
        layout.addWidget(self.banner)
        body = QHBoxLayout()
        body.setContentsMargins(12, 0, 12, 12)
        self.nav = QListWidget()
        self.nav.setAccessibleName(self.tr("Sezioni del progetto"))
        self.nav.setFixedWidth(250)
        self.nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.nav.currentRowChanged.connect(self.on_nav_changed)
        body.addWidget(self.nav)
        self.page = QScrollArea()
        self.page.setWidgetResizable(True)
        self.page.setFrameShape(QFrame.Shape.NoFrame)
        holder = QWidget()
        self.column = QVBoxLayout(holder)
        self.column.setContentsMargins(0, 0, 8, 0)
        self.diff_box = QGroupBox(self.tr("Cosa è cambiato"))
        self.diff_box.setAccessibleName(self.tr("Cosa è cambiato"))
        diff_layout = QVBoxLayout(self.diff_box)
        self.diff_text = QLabel()
        self.diff_text.setWordWrap(True)
        self.diff_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        diff_layout.addWidget(self.diff_text)
        self.column.addWidget(self.diff_box)
        self.diff_box.hide()
        self.sections: list[Section] = []
        self.page.setWidget(holder)
        body.addWidget(self.page, 1)
        layout.addLayout(body, 1)
        self.sign_button.setEnabled(False)
        self.new_button.setEnabled(False)
        self.print_button.setEnabled(False)
        self.signatures_button.setEnabled(False)
        self.preview: PrintPreviewDialog | None = None
        self.status.setText(self.tr("Caricamento…"))

    def _build_sections(self, codes: dict[str, str]) -> None:
        self.header = fs.HeaderSection()
        self.beneficiary = fs.BeneficiarySection()
        self.network = fs.NetworkSection()
        self.evaluation: fs.EvaluationSection | None = (
            fs.EvaluationSection() if self.can_read_health else None
        )
        self.economic = fs.EconomicSection()
        self.services = fs.ServicesSection()
        self.objectives = ps.ObjectivesSection()
        self.interventions = ps.InterventionsSection(codes)
        self.budget = ps.BudgetSection()
        self.compatibility = fs.CompatibilitySection()
        self.monitoring = fs.MonitoringSection()
        self.signatories = ps.SignatoriesSection()
        ordered: list[Section | None] = [
            self.header, self.beneficiary, self.network, self.evaluation, self.economic,
            self.services, self.objectives, self.interventions, self.budget, self.compatibility,
            self.monitoring, self.signatories,
        ]  # fmt: skip
        self.sections = [s for s in ordered if s is not None]
        for section in self.sections:
            self.column.addWidget(section)
            self.nav.addItem(section.title())
            section.edited.connect(self.on_section_edited)
        self.interventions.edited.connect(self._refresh_checks)
        self.budget.edited.connect(self._refresh_checks)
        self.column.addStretch(1)
        self.signature_states = SignatureStates(
            self.session, self.signatories, allowed=self.can_read_health, parent=self
        )

    # -- loading -----------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the versions again (e.g. after a signed copy froze the one shown)."""
        self._load()

    def _load(self) -> None:
        workspace, now, istanza_id = self.session.workspace, self.session.now(), self.istanza_id
        can_edit = self.can_edit

        def load() -> Loaded:
            if can_edit:
                pi.start_pi(workspace.uow_factory(), actor=workspace.actor,
                            istanza_id=istanza_id, now=now)  # fmt: skip
            found = pi.versions(workspace.uow_factory(), actor=workspace.actor,
                                istanza_id=istanza_id, now=now)  # fmt: skip
            avviso = PiContent.from_data(found[-1].content).header.avviso_id if found else ""
            changes = (
                pi.diff_contents(found[-2].content, found[-1].content) if len(found) > 1 else []
            )
            return Loaded(found, intervention_codes(avviso) if avviso else {"": ""}, changes)

        self.session.tasks.run(load, on_done=self.on_loaded, owner=self)

    def on_loaded(self, result: Loaded) -> None:
        if not self.sections:  # built once: reload() only reads the versions again
            self._build_sections(result.codes)
        self.versions = result.versions
        if not self.versions:
            self.status.setText(self.tr("Nessun Progetto Individuale per questa istanza"))
            return
        self._avviso_id = PiContent.from_data(self.versions[-1].content).header.avviso_id
        self._fill_versions(len(self.versions) - 1)
        self._show_changes(result.changes)
        self.status.setText("")
        self.loaded.emit()

    def is_loaded(self) -> bool:
        return self.current is not None

    def is_idle(self) -> bool:
        return self.saver.is_idle() and self.session.tasks.pending == 0

    def narrative_field(self) -> QPlainTextEdit:
        """The evaluation summary (the narrative typed at length)."""
        if self.evaluation is None:
            raise LookupError("no evaluation section for this operator")
        return self.evaluation.summary

    # -- versions ----------------------------------------------------------------------------

    def _version_label(self, v: PiVersion) -> str:
        if v.frozen:
            content = PiContent.from_data(v.content)
            day = content.signed_on or (v.signed_at.date() if v.signed_at else None)
            return (self.tr("Versione %1 – firmata il %2").replace("%1", str(v.number))
                    .replace("%2", format_date(day)))  # fmt: skip
        return self.tr("Versione %1 – bozza").replace("%1", str(v.number))

    def _fill_versions(self, index: int) -> None:
        self.version_combo.blockSignals(True)
        self.version_combo.clear()
        for v in self.versions:
            self.version_combo.addItem(self._version_label(v), v.id)
        self.version_combo.setCurrentIndex(index)
        self.version_combo.blockSignals(False)
        self._show(self.versions[index])

    def _show(self, version: PiVersion) -> None:
        self.current = version
        self._base = PiContent.from_data(version.content)
        self._loading = True
        for section in self.sections:
            section.blockSignals(True)
            section.load(self._base)
            section.set_read_only(version.frozen or not self.can_edit)
            section.blockSignals(False)
        self._loading = False
        self._refresh_checks()
        latest = version.id == self.versions[-1].id
        # the case manager signs: the version frozen includes the evaluation
        self.sign_button.setEnabled(self.can_edit and self.can_read_health and not version.frozen)
        self.new_button.setEnabled(self.can_edit and version.frozen and latest)
        self.print_button.setEnabled(True)
        self.signatures_button.setEnabled(True)
        self.signature_states.load(version.id)
        if version.frozen:
            self.banner.setText(self.tr("Versione firmata: non si può più modificare. Per "
                                        "cambiarla usa «Nuova versione»."))  # fmt: skip
            self.banner.show()
        elif not self.can_edit:
            self.banner.setText(self.tr("Puoi consultare il progetto ma non modificarlo."))
            self.banner.show()
        else:
            self.banner.hide()

    def on_version_chosen(self, index: int) -> None:
        if 0 <= index < len(self.versions):
            chosen = self.versions[index]
            self.saver.when_idle(lambda: self._open_version(chosen))

    def _open_version(self, chosen: PiVersion) -> None:
        at = next(i for i, v in enumerate(self.versions) if v.id == chosen.id)
        self._show(self.versions[at])
        previous = self.versions[at - 1].content if at > 0 else None
        self._show_changes(
            pi.diff_contents(previous, self.versions[at].content) if previous else []
        )

    def _show_changes(self, changes: list[Change]) -> None:
        if self.current is None or self.current.number == 1:
            self.diff_box.hide()
            return
        self.diff_box.setTitle(self.tr("Cosa è cambiato rispetto alla versione %1")
                               .replace("%1", str(self.current.number - 1)))  # fmt: skip
        lines = [f"• {describe(c)}" for c in changes]
        self.diff_text.setText("\n".join(lines) or self.tr("Nessuna modifica finora."))
        self.diff_box.show()

    # -- editing and autosave ----------------------------------------------------------------

    def read_content(self) -> PiContent:
        content = self._base
        for section in self.sections:
            content = section.apply(content)
        return content

    def on_section_edited(self) -> None:
        if self._loading or self.current is None or self.current.frozen or not self.can_edit:
            return
        if self.status.text() != self.tr("Modifiche non ancora salvate"):
            self.status.setText(self.tr("Modifiche non ancora salvate"))
        self.saver.edited()

    def _refresh_checks(self) -> None:
        if not self._avviso_id:
            return
        items = self.interventions.interventions()
        checks = pi.validate_interventions(avviso_id=self._avviso_id, interventions=items)
        self.interventions.show_checks(checks)
        content = self.budget.apply(self._base)
        self.budget.show_totals(replace(content, interventions=items).totals())

    def _submit_save(self) -> None:
        assert self.current is not None
        content = self.read_content()
        workspace, now, version_id = self.session.workspace, self.session.now(), self.current.id
        at = next(i for i, v in enumerate(self.versions) if v.id == version_id)
        previous = self.versions[at - 1].content if at > 0 else None

        def save() -> tuple[PiVersion, list[Change]]:
            saved = pi.save_pi_draft(workspace.uow_factory(), actor=workspace.actor,
                                     version_id=version_id, content=content, now=now)  # fmt: skip
            return saved, pi.diff_contents(previous, saved.content) if previous else []

        self.status.setText(self.tr("Salvataggio…"))
        self.session.tasks.run(save, on_done=self.on_saved, on_error=self.on_save_failed,
                               owner=self)  # fmt: skip

    def _replace(self, version: PiVersion) -> None:
        self.versions = [version if v.id == version.id else v for v in self.versions]
        if self.current is not None and self.current.id == version.id:
            self.current = version

    def on_saved(self, result: tuple[PiVersion, list[Change]]) -> None:
        saved, changes = result
        self._replace(saved)
        self.status.setText(
            self.tr("Salvato alle %1").replace("%1", format_time(self.session.now()))
        )
        if self.current is not None and self.current.id == saved.id:
            self._show_changes(changes)
        self.version_saved.emit(saved.id)
        self.saver.finished(ok=True)

    def on_save_failed(self, exc: BaseException) -> None:
        self.status.setText(self.tr("Salvataggio non riuscito"))
        self.saver.finished(ok=False)
        errors.report_error(self.window(), exc)

    def flush(self) -> None:
        """Save pending edits at once (closing the view or the window)."""
        self.saver.save_now()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.flush()  # the save runs on the worker and completes after the window is gone
        super().closeEvent(event)

    # -- signing and new versions -------------------------------------------------------------

    def ask_signing(self) -> tuple[str, date] | None:
        dialog = SignDialog(place=self.session.info.comune_name, day=self.session.now().date(),
                            parent=self)  # fmt: skip
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.values()

    def on_sign_clicked(self) -> None:
        if self.current is None or self.current.frozen:
            return
        content = self.read_content()
        kept = kept_as_typed(content)
        if kept:  # the one step a value kept as typed blocks: correct it first
            refuse_kept_as_typed(self, kept)
            return
        if not confirm_uncovered(self, content.totals()):
            return
        answer = self.ask_signing()
        if answer is None:
            return
        place, day = answer
        version_id = self.current.id
        workspace, now = self.session.workspace, self.session.now()

        def sign() -> PiVersion:
            return pi.sign_pi(
                workspace.uow_factory(), actor=workspace.actor, version_id=version_id,
                place=place, signed_on=day, now=now,
            )  # fmt: skip

        self.saver.when_idle(lambda: self.session.tasks.run(sign, on_done=self.on_signed,
                                                            owner=self))  # fmt: skip

    def on_signed(self, version: PiVersion) -> None:
        self._replace(version)
        at = next(i for i, v in enumerate(self.versions) if v.id == version.id)
        self._fill_versions(at)
        self.status.setText(self.tr("Versione %1 firmata").replace("%1", str(version.number)))
        self.version_saved.emit(version.id)

    def on_new_version_clicked(self) -> None:
        if self.current is None or not self.current.frozen:
            return
        source = self.current
        workspace, now = self.session.workspace, self.session.now()

        def create() -> tuple[PiVersion, list[Change]]:
            fresh = pi.new_version(workspace.uow_factory(), actor=workspace.actor,
                                   version_id=source.id, now=now)  # fmt: skip
            return fresh, pi.diff_contents(source.content, fresh.content)

        self.session.tasks.run(create, on_done=self.on_version_created, owner=self)

    def on_version_created(self, result: tuple[PiVersion, list[Change]]) -> None:
        fresh, changes = result
        self.versions.append(fresh)
        self._fill_versions(len(self.versions) - 1)
        self._show_changes(changes)
        self.status.setText(self.tr("Creata la versione %1").replace("%1", str(fresh.number)))
        self.version_saved.emit(fresh.id)

    # -- printing and signatures ---------------------------------------------------------------

    def on_print_clicked(self) -> None:
        """Preview the version shown, once what was typed in it is stored."""
        if self.current is None:
            return
        number = self.current.number

        def when_saved() -> None:
            self.open_preview(number)

        self.saver.when_idle(when_saved)

    def open_preview(self, number: int) -> PrintPreviewDialog:
        workspace, now, istanza_id = self.session.workspace, self.session.now(), self.istanza_id

        def produce() -> printing.PrintedDocument:
            return printing.print_pi(workspace.uow_factory(), actor=workspace.actor,
                                     istanza=istanza_id, number=number, now=now)  # fmt: skip

        if self.preview is not None and shiboken6.isValid(self.preview):
            self.preview.close()
        title = self.tr("Progetto Individuale – versione %1").replace("%1", str(number))
        self.preview = PrintPreviewDialog(self.session, title=title, produce=produce, parent=self)
        self.preview.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        show_fitted(self.preview)
        return self.preview

    def on_signatures_clicked(self) -> None:
        if self.current is not None:
            version_id = self.current.id
            self.saver.when_idle(lambda: self.signatures_requested.emit(version_id))

    def on_signatures_requested(self, version_id: str) -> None:
        from caseworker_app.ui.pi_editor.signing import open_signatures

        open_signatures(self, version_id)

    # -- navigation --------------------------------------------------------------------------

    def on_nav_changed(self, row: int) -> None:
        if 0 <= row < len(self.sections):
            section = self.sections[row]
            self.page.verticalScrollBar().setValue(section.y())
