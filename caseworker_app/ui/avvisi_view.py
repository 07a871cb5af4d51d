"""Avvisi (at the capofila): the definitions in force, the editions written here, and what each
comune has received in the ambito packages (issue 13).

«Nuova edizione da…» opens the edition dialog on the selected definition; a draft can be changed
(«Modifica bozza…»), deleted, or released («Rilascia…», confirmed: then immutable, hash-pinned
and carried by the next ambito package to every comune). Everything is read and written on the
worker.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from caseworker_app.ports.desk_storage import AvvisoEdition
from caseworker_app.services import avviso_editions
from caseworker_app.services.avviso_editions import DefinitionInForce, IssuedPackage
from caseworker_app.ui import errors
from caseworker_app.ui.avviso_edition_dialog import AvvisoEditionDialog, Source, load_source
from caseworker_app.ui.formats import format_date, format_datetime
from caseworker_app.ui.session import Session
from caseworker_app.ui.tables import read_only_table
from caseworker_app.ui.text_table_model import TextTableModel
from caseworker_app.ui.transmission_models import comune_name


@dataclass(frozen=True)
class AvvisiData:
    definitions: list[DefinitionInForce]
    editions: list[AvvisoEdition]
    packages: list[IssuedPackage]


def load_avvisi_page(session: Session) -> AvvisiData:
    """Worker only."""
    uow, actor = session.workspace.uow_factory, session.workspace.actor
    return AvvisiData(
        avviso_editions.definitions_in_force(uow(), actor=actor),
        avviso_editions.editions(uow(), actor=actor),
        avviso_editions.packages_issued(uow(), actor=actor),
    )


def _source_label(source: str) -> str:
    return {"forms": "forms/", "edizione": "edizione del capofila"}.get(source, source)


class AvvisiView(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.data = AvvisiData([], [], [])
        self.loading = False
        self.dialog: AvvisoEditionDialog | None = None
        self.confirm: QMessageBox | None = None
        self._build()

    # -- building ----------------------------------------------------------------------------

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        title = QLabel(self.tr("Avvisi"))
        title.setObjectName("pageTitle")
        layout.addWidget(title)
        intro = QLabel(
            self.tr(
                "Le definizioni degli avvisi in vigore nell'ambito. Per il prossimo avviso usa "
                "«Nuova edizione da…»: cambia date, budget, soglie e importi, salva la bozza e "
                "rilasciala. Un'edizione rilasciata non cambia più e arriva ai comuni con il "
                "prossimo pacchetto d'ambito (Impostazioni › Chiavi di trasmissione)."
            )
        )
        intro.setWordWrap(True)
        intro.setObjectName("hint")
        layout.addWidget(intro)
        split = QSplitter(Qt.Orientation.Vertical)
        split.setChildrenCollapsible(False)
        split.addWidget(self._build_definitions())
        split.addWidget(self._build_editions())
        split.addWidget(self._build_packages())
        split.setSizes([260, 170, 150])
        layout.addWidget(split, 1)

    def _build_definitions(self) -> QWidget:
        box = QGroupBox(self.tr("Definizioni in vigore"))
        column = QVBoxLayout(box)
        self.definitions_model = TextTableModel(
            [self.tr("Avviso"), self.tr("Versione"), self.tr("Titolo"), self.tr("Periodo"),
             self.tr("SHA-256"), self.tr("Origine")], self,
        )  # fmt: skip
        self.definitions = read_only_table(
            self.definitions_model,
            accessible_name=self.tr("Definizioni in vigore"),
            single_selection=True,
        )
        self.definitions.selectionModel().currentRowChanged.connect(
            lambda _c, _p: self._update_buttons()
        )
        self.definitions.activated.connect(lambda _i: self.new_edition())
        column.addWidget(self.definitions)
        bar = QHBoxLayout()
        self.new_button = QPushButton(self.tr("&Nuova edizione da…"))
        self.new_button.setAccessibleName(self.tr("Nuova edizione dall'avviso selezionato"))
        self.new_button.clicked.connect(self.new_edition)
        bar.addWidget(self.new_button)
        bar.addStretch(1)
        self.count = QLabel()
        self.count.setObjectName("hint")
        bar.addWidget(self.count)
        column.addLayout(bar)
        return box

    def _build_editions(self) -> QWidget:
        box = QGroupBox(self.tr("Edizioni scritte dal capofila"))
        column = QVBoxLayout(box)
        self.editions_model = TextTableModel(
            [self.tr("Avviso"), self.tr("Versione"), self.tr("Da"), self.tr("Stato"),
             self.tr("SHA-256")], self,
        )  # fmt: skip
        self.editions = read_only_table(
            self.editions_model, accessible_name=self.tr("Edizioni"), single_selection=True
        )
        self.editions.selectionModel().currentRowChanged.connect(
            lambda _c, _p: self._update_buttons()
        )
        column.addWidget(self.editions)
        bar = QHBoxLayout()
        self.edit_button = QPushButton(self.tr("&Modifica bozza…"))
        self.edit_button.clicked.connect(self.edit_draft)
        self.delete_button = QPushButton(self.tr("&Elimina bozza"))
        self.delete_button.clicked.connect(self.delete_draft)
        self.release_button = QPushButton(self.tr("&Rilascia…"))
        self.release_button.setAccessibleName(self.tr("Rilascia l'edizione selezionata"))
        self.release_button.clicked.connect(self.ask_release)
        for button in (self.edit_button, self.delete_button, self.release_button):
            bar.addWidget(button)
        bar.addStretch(1)
        column.addLayout(bar)
        return box

    def _build_packages(self) -> QWidget:
        box = QGroupBox(self.tr("Che cosa hanno ricevuto i comuni (pacchetti d'ambito emessi)"))
        column = QVBoxLayout(box)
        self.packages_model = TextTableModel(
            [self.tr("N."), self.tr("Emesso il"), self.tr("Comuni"),
             self.tr("Edizioni del capofila"), self.tr("Avvisi")], self,
        )  # fmt: skip
        self.packages = read_only_table(
            self.packages_model, accessible_name=self.tr("Pacchetti d'ambito emessi")
        )
        column.addWidget(self.packages)
        return box

    # -- loading -----------------------------------------------------------------------------

    def activate(self) -> None:
        if self.loading:
            return
        self.loading = True
        self.count.setText(self.tr("Caricamento…"))
        session = self.session
        self.session.tasks.run(
            lambda: load_avvisi_page(session),
            on_done=self.on_loaded,
            on_error=self.on_load_failed,
            owner=self,
        )

    def on_load_failed(self, exc: BaseException) -> None:
        self.loading = False
        self.count.setText("")
        errors.report_error(self.window(), exc)

    def on_loaded(self, data: AvvisiData) -> None:
        self.loading = False
        chosen = self.selected_definition()
        self.data = data
        self.definitions_model.set_rows([self._definition_cells(d) for d in data.definitions])
        self.editions_model.set_rows([self._edition_cells(e) for e in data.editions])
        self.packages_model.set_rows([self._package_cells(p) for p in data.packages])
        header = self.definitions.horizontalHeader()
        for column in range(self.definitions_model.columnCount()):
            mode = (
                QHeaderView.ResizeMode.Stretch
                if column == 2
                else QHeaderView.ResizeMode.ResizeToContents
            )
            header.setSectionResizeMode(column, mode)
        self.count.setText(self.tr("%1 definizioni").replace("%1", str(len(data.definitions))))
        keys = [(d.avviso, d.version) for d in data.definitions]
        if chosen is not None and (chosen.avviso, chosen.version) in keys:
            self.definitions.selectRow(keys.index((chosen.avviso, chosen.version)))
        elif keys:
            self.definitions.selectRow(0)
        self._update_buttons()

    def _definition_cells(self, d: DefinitionInForce) -> tuple[str, ...]:
        window = (
            f"{format_date(d.window[0])} – {format_date(d.window[1])}"
            if d.window
            else self.tr("da indicare")
        )
        origin = _source_label(d.source) + (self.tr(" (modello)") if d.template else "")
        return (d.avviso, d.version, d.title, window, d.sha256[:12], origin)

    def _edition_cells(self, e: AvvisoEdition) -> tuple[str, ...]:
        if e.released_at is not None:
            state = (
                self.tr("Rilasciata il %1 da %2")
                .replace("%1", format_datetime(e.released_at))
                .replace("%2", e.released_by or "")
            )
        else:
            state = self.tr("Bozza del %1").replace("%1", format_datetime(e.created_at))
        return (e.avviso, e.version, e.based_on.replace("@", " v"), state, e.sha256[:12])

    def _package_cells(self, p: IssuedPackage) -> tuple[str, ...]:
        return (
            str(p.sequence),
            format_datetime(p.issued_at),
            ", ".join(comune_name(c) for c in p.comuni),
            ", ".join(p.editions) or self.tr("nessuna"),
            ", ".join(f"{a} v{v}" for a, v, _ in p.avvisi),
        )

    # -- selection ---------------------------------------------------------------------------

    def selected_definition(self) -> DefinitionInForce | None:
        row = self.definitions.currentIndex().row()
        return self.data.definitions[row] if 0 <= row < len(self.data.definitions) else None

    def selected_edition(self) -> AvvisoEdition | None:
        row = self.editions.currentIndex().row()
        return self.data.editions[row] if 0 <= row < len(self.data.editions) else None

    def _update_buttons(self) -> None:
        self.new_button.setEnabled(self.selected_definition() is not None)
        edition = self.selected_edition()
        draft = edition is not None and not edition.released
        for button in (self.edit_button, self.delete_button, self.release_button):
            button.setEnabled(draft)

    # -- actions -----------------------------------------------------------------------------

    def new_edition(self) -> None:
        chosen = self.selected_definition()
        if chosen is None or self.dialog is not None:
            return
        session = self.session
        self.session.tasks.run(
            lambda: load_source(session, chosen.avviso, chosen.version),
            on_done=self._open_dialog,
            owner=self,
        )

    def edit_draft(self) -> None:
        edition = self.selected_edition()
        if edition is None or edition.released or self.dialog is not None:
            return
        avviso, _, version = edition.based_on.partition("@")
        self._open_dialog(Source(avviso, version, edition.content, edition))

    def _open_dialog(self, source: Source) -> None:
        dialog = AvvisoEditionDialog(self.session, source, self.window())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.edition_saved.connect(lambda _e: self.activate())
        dialog.finished.connect(lambda _r: setattr(self, "dialog", None))
        self.dialog = dialog
        dialog.open()

    def delete_draft(self) -> None:
        edition = self.selected_edition()
        if edition is None or edition.released:
            return
        uow, actor, now = (
            self.session.workspace.uow_factory,
            self.session.workspace.actor,
            self.session.now(),
        )
        self.session.tasks.run(
            lambda: avviso_editions.delete_draft(
                uow(), actor=actor, edition_id=edition.id, now=now
            ),
            on_done=lambda _r: self.activate(),
            owner=self,
        )

    def ask_release(self) -> None:
        edition = self.selected_edition()
        if edition is None or edition.released:
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Rilascia l'edizione"),
            self.tr(
                "Rilasciare %1 versione %2? Da quel momento l'edizione non si può più cambiare "
                "né eliminare, e il prossimo pacchetto d'ambito la porta a tutti i comuni."
            )
            .replace("%1", edition.avviso)
            .replace("%2", edition.version),
            QMessageBox.StandardButton.NoButton,
            self.window(),
        )
        self.release_confirm = box.addButton(self.tr("Rilascia"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(self.tr("Annulla"), QMessageBox.ButtonRole.RejectRole)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.buttonClicked.connect(
            lambda button: self.release(edition) if button is self.release_confirm else None
        )
        box.finished.connect(lambda _r: setattr(self, "confirm", None))
        self.confirm = box
        box.open()

    def release(self, edition: AvvisoEdition) -> None:
        uow, actor, now = (
            self.session.workspace.uow_factory,
            self.session.workspace.actor,
            self.session.now(),
        )
        self.session.tasks.run(
            lambda: avviso_editions.release_edition(
                uow(), actor=actor, edition_id=edition.id, now=now
            ),
            on_done=lambda _r: self.activate(),
            owner=self,
        )
