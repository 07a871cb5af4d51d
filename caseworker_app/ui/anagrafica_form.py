"""The anagrafica form: every field of ``Anagrafica``, live validation and codice fiscale fill-in.

Validation is the domain's (``validate_anagrafica``, pure and fast) and runs on the Qt thread at
every edit. Each field has a message line below it: errors red, warnings amber. "Campo
obbligatorio" appears only for fields the operator has already visited, so a new form does not
open covered in red.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from datetime import date

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from caseworker_app.domain.codice_fiscale import (
    check_codice_fiscale,
    decode_codice_fiscale,
    normalize_codice_fiscale,
)
from caseworker_app.domain.ids import CaseId
from caseworker_app.domain.person import (
    DEFAULT_CITIZENSHIP,
    REQUIRED_FIELDS,
    Anagrafica,
    AnagraficaConfirmation,
    Sex,
    confirmation_key,
    validate_anagrafica,
)
from caseworker_app.domain.validation import Issue, Severity
from caseworker_app.domain.values import DATE_AMBIGUOUS_YEAR
from caseworker_app.ui.anagrafica_confirmations import (
    confirmable_issue,
    show_confirmations,
    with_confirm_box,
)
from caseworker_app.ui.anagrafica_fields import (
    COMUNE_FIELDS,
    CONFIRMABLE_FIELDS,
    FIELD_NAMES,
    GROUPS,
    LAYOUT,
    NARROW,
    WAIT_WHILE_TYPING,
    title_of,
)
from caseworker_app.ui.citizenship_field import CitizenshipField
from caseworker_app.ui.comune_field import ComuneField
from caseworker_app.ui.date_picker import add_calendar_button
from caseworker_app.ui.field_messages import show_messages, worst_per_field
from caseworker_app.ui.formats import format_date, parse_date, value_issue

_T = QCoreApplication.translate

#: the finding that names the other cartella holding the typed code (built by the editor)
ALREADY_REGISTERED = "cf.already_registered_in"


class AnagraficaForm(QWidget):
    #: the operator changed something (not emitted when the form is filled by the program)
    edited = Signal()
    #: "Apri la cartella esistente" was clicked (the id of the cartella holding the code)
    open_existing_requested = Signal(str)
    #: the operator ticked (True) or unticked a "Confermo" box below a warning
    confirmation_changed = Signal(AnagraficaConfirmation, bool)

    def __init__(self, *, today: Callable[[], date], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.today = today
        self.inputs: dict[str, QWidget] = {}
        self.messages: dict[str, QLabel] = {}
        self.touched: set[str] = set()
        self.extra_issues: list[Issue] = []  # from the last save (e.g. code already registered)
        self.issues: list[Issue] = []
        self.existing_case_id: CaseId | None = None  # the cartella that holds the typed code
        self.confirmations: list[AnagraficaConfirmation] = []  # warnings confirmed (stored)
        self.confirm_boxes: dict[str, QCheckBox] = {}
        self._build()
        self.citizenship().set_code(DEFAULT_CITIZENSHIP)  # a new cartella: Italian by default

    # -- construction ----------------------------------------------------------------------

    def _make_input(self, field: str, label: str) -> QWidget:
        widget: QWidget
        if field == "sex":
            combo = QComboBox()
            combo.addItem(self.tr("—"), "")
            combo.addItem(self.tr("M – maschile"), Sex.M.value)
            combo.addItem(self.tr("F – femminile"), Sex.F.value)
            combo.activated.connect(lambda _i: self._on_edited("sex"))
            widget = combo
        elif field in COMUNE_FIELDS:
            comune = ComuneField(historic=field == "birth_place_code", today=self.today)
            comune.edited.connect(lambda f=field: self._on_edited(f))
            widget = comune
        elif field == "citizenship":
            citizenship = CitizenshipField()
            citizenship.edited.connect(lambda: self._on_edited("citizenship"))
            widget = citizenship
        else:
            line = QLineEdit()
            line.textEdited.connect(lambda _t, f=field: self._on_edited(f))
            widget = line
            if field == "codice_fiscale":
                line.setMaxLength(24)
                line.setPlaceholderText(self.tr("16 caratteri, dal tesserino sanitario"))
            elif field == "birth_date":
                line.setMaxLength(10)
                line.setPlaceholderText(self.tr("gg/mm/aaaa"))
                add_calendar_button(line, birth=True)
            elif field.endswith("_cap"):
                line.setMaxLength(5)
        widget.setAccessibleName(label)
        widget.setObjectName(field)
        widget.installEventFilter(self)
        return widget

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.legend = QLabel(self.tr("* obbligatorio"))
        self.legend.setObjectName("hint")
        self.legend.setAccessibleName(self.tr("I campi segnati con * sono obbligatori"))
        outer.addWidget(self.legend, 0, Qt.AlignmentFlag.AlignRight)
        grids: dict[str, QGridLayout] = {}
        for key, title in GROUPS.items():
            box = QGroupBox(_T("AnagraficaForm", title))
            grid = QGridLayout(box)
            grid.setHorizontalSpacing(10)
            grid.setVerticalSpacing(3)
            grid.setColumnStretch(1, 1)
            grid.setColumnStretch(3, 1)
            grids[key] = grid
            outer.addWidget(box)
        chain: list[QWidget] = []
        captions: dict[int, list[QLabel]] = {0: [], 1: []}
        for field, label_text, group, row, column, span in LAYOUT:
            label = _T("AnagraficaForm", label_text)
            widget = self._make_input(field, label)
            message = QLabel()
            message.setWordWrap(True)
            message.hide()
            self.inputs[field] = widget
            self.messages[field] = message
            caption = QLabel(label + (" *:" if field in REQUIRED_FIELDS else ":"))
            caption.setBuddy(widget)
            captions[column].append(caption)
            grid = grids[group]
            grid.addWidget(caption, row * 2, column * 2)
            if field in NARROW:
                widget.setMaximumWidth(NARROW[field])
                grid.addWidget(widget, row * 2, column * 2 + 1, 1, span, Qt.AlignmentFlag.AlignLeft)
            else:
                grid.addWidget(widget, row * 2, column * 2 + 1, 1, span)
            if field == "codice_fiscale":
                grid.addWidget(self._with_open_button(message), row * 2 + 1, column * 2 + 1,
                               1, span)  # fmt: skip
            elif field in CONFIRMABLE_FIELDS:
                grid.addWidget(self._with_confirm_box(field, message), row * 2 + 1,
                               column * 2 + 1, 1, span)  # fmt: skip
            else:
                grid.addWidget(message, row * 2 + 1, column * 2 + 1, 1, span)
            chain.append(widget)
        # The same caption width in every group, so the fields line up down the page.
        for column, labels in captions.items():
            width = max(label.sizeHint().width() for label in labels)
            for grid in grids.values():
                grid.setColumnMinimumWidth(column * 2, width)
        outer.addStretch(1)
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def _with_open_button(self, message: QLabel) -> QWidget:
        """The code's message line, with the button that opens the cartella already holding
        the code (shown only then)."""
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(4)
        column.addWidget(message)
        self.open_existing_button = QPushButton(self.tr("Apri la cartella esistente"))
        self.open_existing_button.setAccessibleName(self.tr("Apri la cartella esistente"))
        self.open_existing_button.hide()
        self.open_existing_button.clicked.connect(self.on_open_existing_clicked)
        column.addWidget(self.open_existing_button, 0, Qt.AlignmentFlag.AlignLeft)
        return holder

    def _with_confirm_box(self, field: str, message: QLabel) -> QWidget:
        """The field's message line, with its "Confermo" box (anagrafica_confirmations)."""
        holder, box = with_confirm_box(
            field, message, title=self.field_title(field), on_clicked=self.on_confirm_clicked
        )
        self.confirm_boxes[field] = box
        return holder

    def on_confirm_clicked(self, field: str, checked: bool) -> None:
        issue = confirmable_issue(self.issues, field)
        if issue is None:
            return
        anagrafica, _parse = self.read()
        confirmation = AnagraficaConfirmation(
            field, issue.code, confirmation_key(issue, anagrafica)
        )
        self.confirmations = [c for c in self.confirmations if c.field != field]
        if checked:
            self.confirmations.append(confirmation)
        self._show(self.issues)
        self.confirmation_changed.emit(confirmation, checked)

    def set_confirmations(self, confirmations: Iterable[AnagraficaConfirmation]) -> None:
        """The confirmations stored for this cartella (programmatic: no signal)."""
        self.confirmations = list(confirmations)
        self._show(self.issues)

    def field_title(self, field: str) -> str:
        """The field's name out of its group ("Comune di residenza")."""
        return title_of(field)

    def missing_fields(self) -> list[str]:
        """The mandatory fields still empty, in the order of the form."""
        missing = {i.field for i in self.issues if i.code == "required"}
        return [field for field in FIELD_NAMES if field in missing]

    def focus_field(self, field: str) -> QWidget:
        """Move the keyboard focus to ``field`` (its message shows once it is left)."""
        widget = self.inputs[field]
        self.touched.add(field)
        widget.setFocus(Qt.FocusReason.OtherFocusReason)
        return widget

    def on_open_existing_clicked(self) -> None:
        if self.existing_case_id is not None:
            self.open_existing_requested.emit(self.existing_case_id)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusOut and isinstance(watched, QWidget):
            field = watched.objectName()
            if field in self.inputs:
                self.touched.add(field)
                self.revalidate()
        return super().eventFilter(watched, event)

    # -- reading and writing ---------------------------------------------------------------

    def line(self, field: str) -> QLineEdit:
        widget = self.inputs[field]
        assert isinstance(widget, QLineEdit)
        return widget

    def comune(self, field: str) -> ComuneField:
        widget = self.inputs[field]
        assert isinstance(widget, ComuneField)
        return widget

    def citizenship(self) -> CitizenshipField:
        widget = self.inputs["citizenship"]
        assert isinstance(widget, CitizenshipField)
        return widget

    def sex_combo(self) -> QComboBox:
        widget = self.inputs["sex"]
        assert isinstance(widget, QComboBox)
        return widget

    def read(self) -> tuple[Anagrafica, list[Issue]]:
        """The anagrafica as typed, and the findings of the interface's own parsing."""
        parse_issues: list[Issue] = []
        try:
            birth_date = parse_date(self.line("birth_date").text(), birth=True, today=self.today())
        except ValueError as exc:
            birth_date = None
            ambiguous = getattr(exc, "code", "") == DATE_AMBIGUOUS_YEAR  # 15/1/24: 1924 or 2024?
            parse_issues.append(
                value_issue("birth_date", exc, self.line("birth_date").accessibleName(),
                            date_kind=True) if ambiguous
                else Issue("birth_date", Severity.ERROR, "ui.date_format")
            )  # fmt: skip
        for field in COMUNE_FIELDS:
            if self.comune(field).is_unresolved():
                parse_issues.append(Issue(field, Severity.ERROR, "ui.comune_not_chosen"))
        if self.citizenship().is_unresolved():
            parse_issues.append(Issue("citizenship", Severity.ERROR, "ui.citizenship_not_chosen"))
        sex_value = str(self.sex_combo().currentData() or "")

        def text(field: str) -> str:
            return self.line(field).text().strip()

        # What cannot be read is kept as typed (saved, shown back on reopening), never lost.
        typed: dict[str, str] = {}
        if birth_date is None and text("birth_date"):
            typed["birth_date"] = text("birth_date")
        for field in COMUNE_FIELDS:
            if self.comune(field).is_unresolved():
                typed[field] = self.comune(field).text().strip()
        if self.citizenship().is_unresolved():
            typed["citizenship"] = self.citizenship().currentText().strip()

        anagrafica = Anagrafica(
            codice_fiscale=normalize_codice_fiscale(text("codice_fiscale")),
            surname=text("surname"),
            given_name=text("given_name"),
            birth_date=birth_date,
            sex=Sex(sex_value) if sex_value else None,
            birth_place_code=self.comune("birth_place_code").code(),
            citizenship=self.citizenship().code(),
            residence_address=text("residence_address"),
            residence_comune=self.comune("residence_comune").code(),
            residence_cap=text("residence_cap"),
            domicile_address=text("domicile_address"),
            domicile_comune=self.comune("domicile_comune").code(),
            domicile_cap=text("domicile_cap"),
            phone=text("phone"),
            email=text("email"),
            typed=tuple(sorted(typed.items())),
        )
        return anagrafica, parse_issues

    def load(self, anagrafica: Anagrafica) -> None:
        """Fill the form (programmatic: no ``edited``); every field counts as visited."""
        for field in FIELD_NAMES:
            value = getattr(anagrafica, field)
            if field in COMUNE_FIELDS:
                self.comune(field).set_code(str(value))
            elif field == "sex":
                combo = self.sex_combo()
                combo.setCurrentIndex(max(0, combo.findData(value.value if value else "")))
            elif field == "birth_date":
                self.line(field).setText(format_date(value))
            elif field == "citizenship":
                self.citizenship().set_code(str(value))
            else:
                self.line(field).setText(str(value))
        for field, kept in anagrafica.typed:  # unreadable values come back as typed
            if field in COMUNE_FIELDS:
                self.comune(field).setText(kept)
            elif field == "citizenship":
                self.citizenship().setEditText(kept)
            elif field == "birth_date":
                self.line(field).setText(kept)
        self.touched = set(FIELD_NAMES)
        self.revalidate()

    def is_empty(self) -> bool:
        anagrafica, parse_issues = self.read()
        untouched = (Anagrafica(), Anagrafica(citizenship=DEFAULT_CITIZENSHIP))
        return anagrafica in untouched and not parse_issues

    # -- live behaviour --------------------------------------------------------------------

    def _on_edited(self, field: str) -> None:
        if field == "codice_fiscale":
            self._fill_from_codice_fiscale()
        self.extra_issues = [i for i in self.extra_issues if i.field != field]
        if field == "codice_fiscale":
            self.existing_case_id = None
        self.revalidate()
        self.edited.emit()

    def _fill_from_codice_fiscale(self) -> None:
        """A valid code fills the birth date, sex and birthplace that are still empty."""
        line = self.line("codice_fiscale")
        upper = line.text().upper()
        if upper != line.text():
            position = line.cursorPosition()
            line.setText(upper)
            line.setCursorPosition(position)
        code = normalize_codice_fiscale(upper)
        today = self.today()
        if len(code) != 16 or any(
            i.severity is Severity.ERROR for i in check_codice_fiscale(code, today=today)
        ):
            return
        decoded = decode_codice_fiscale(code, today=today)
        if not self.line("birth_date").text().strip():
            self.line("birth_date").setText(format_date(decoded.birth_date))
        combo = self.sex_combo()
        if not combo.currentData():
            combo.setCurrentIndex(combo.findData(decoded.sex.value))
        place = self.comune("birth_place_code")
        if not place.text().strip():
            place.set_code(decoded.birthplace_code)

    def revalidate(self) -> list[Issue]:
        anagrafica, parse_issues = self.read()
        parsed_fields = {i.field for i in parse_issues}
        domain = [
            i
            for i in validate_anagrafica(anagrafica, today=self.today())
            if i.field not in parsed_fields
        ]
        self.issues = parse_issues + domain + self.extra_issues
        self._show(self.issues)
        return self.issues

    def _show(self, issues: Iterable[Issue]) -> None:
        def wanted(issue: Issue) -> bool:
            if issue.code == "required" and issue.field not in self.touched:
                return False
            return not (issue.code in WAIT_WHILE_TYPING and self._is_being_typed(issue.field))

        shown = worst_per_field(filter(wanted, issues))
        show_messages(shown, self.messages, self.inputs)
        self._show_confirmations(shown)
        for field in REQUIRED_FIELDS:  # screen readers hear the mark too
            widget = self.inputs[field]
            said = widget.accessibleDescription()
            mark = self.tr("Campo obbligatorio.")
            if not said.startswith(mark.rstrip(".")):  # the "required" message says it
                widget.setAccessibleDescription(f"{mark} {said}".strip())
        duplicate = shown.get("codice_fiscale")
        self.open_existing_button.setVisible(
            self.existing_case_id is not None
            and duplicate is not None
            and duplicate.code == ALREADY_REGISTERED
        )

    def _show_confirmations(self, shown: dict[str, Issue]) -> None:
        """A "Confermo" box below each warning that asks to confirm (anagrafica_confirmations)."""
        anagrafica, _parse = self.read()
        show_confirmations(self.confirm_boxes, shown, anagrafica=anagrafica,
                           confirmations=self.confirmations, messages=self.messages,
                           inputs=self.inputs)  # fmt: skip

    def _is_being_typed(self, field: str) -> bool:
        widget = self.inputs.get(field)
        return widget is not None and widget.hasFocus()

    def missing_required(self) -> int:
        return sum(1 for i in self.issues if i.code == "required")

    def with_extra(self, issues: Iterable[Issue]) -> None:
        """Show findings that only the service can make (e.g. a code already registered)."""
        self.extra_issues = [i for i in issues if i.code == ALREADY_REGISTERED]
        if not self.extra_issues:
            self.existing_case_id = None
        self.revalidate()

    def show_existing_case(self, case_id: CaseId, issue: Issue) -> None:
        """The typed code belongs to the cartella ``case_id``: say whose it is (``issue``, an
        ``ALREADY_REGISTERED`` finding) and offer to open it."""
        self.existing_case_id = case_id
        self.extra_issues = [issue]
        self.revalidate()
