"""The lazy tab machinery of the case editor: the tabs of a case file, whose sections are built
the first time they are shown (or first used), so that opening a case from the list only builds
the anagrafica; and the protocol of the tabs that only follow the case."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, cast, runtime_checkable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from caseworker_app.domain.ids import CaseId
from caseworker_app.ui.case_istanze_panel import CaseIstanzePanel
from caseworker_app.ui.case_sections.section_panel import SectionPanel


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


class CaseSectionTabs(QTabWidget):
    """The tabs of one case file and the sections built so far.

    A :class:`SectionPanel` gets the case once it exists and is read-only while the cartella is
    closed; a :class:`CaseFollower` is told the case id."""

    #: a section has nothing pending or in flight any more
    section_idle = Signal()

    def __init__(
        self,
        *,
        case_id: Callable[[], CaseId | None],
        closed: Callable[[], bool],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._case_id = case_id
        self._closed = closed
        self.panels: list[SectionPanel[object]] = []
        self.followers: list[CaseFollower] = []
        self._lazy: dict[str, LazyTab] = {}
        self.currentChanged.connect(self.on_tab_changed)

    def add_lazy(self, name: str, title: str, factory: Callable[[QWidget], QWidget]) -> None:
        holder = LazyTab(factory, self)
        self._lazy[name] = holder
        self.addTab(holder, title)

    def section(self, name: str) -> QWidget:
        """The section ``name``, built now if it was not yet."""
        holder = self._lazy[name]
        if holder.widget is None:
            self.register(holder.build())
        assert holder.widget is not None
        return holder.widget

    def tab_of(self, name: str) -> LazyTab:
        """The tab holding a section ("documents", "isee", "istanze", ...)."""
        return self._lazy[name]

    def built(self, name: str) -> QWidget | None:
        """The section ``name`` if it was built (None if not, or if there is no such tab)."""
        holder = self._lazy.get(name)
        return holder.widget if holder is not None else None

    def on_tab_changed(self, index: int) -> None:
        holder = self.widget(index)
        if isinstance(holder, LazyTab) and holder.widget is None:
            self.register(holder.build())

    def register(self, widget: QWidget) -> None:
        case_id = self._case_id()
        if isinstance(widget, SectionPanel):
            self.panels.append(widget)
            widget.became_idle.connect(self.section_idle.emit)
            if case_id is not None:
                widget.set_case(case_id)
        elif isinstance(widget, CaseFollower):
            self.followers.append(widget)
            if case_id is not None:
                widget.set_case(case_id)
        self.apply_closure(widget)

    def apply_closure(self, widget: QWidget) -> None:
        """A closed cartella is read-only in every section, and takes no new istanza."""
        closed = self._closed()
        if isinstance(widget, SectionPanel):
            widget.set_read_only(closed)
        elif isinstance(widget, CaseIstanzePanel):
            widget.set_case_closed(closed)

    def apply_closure_to_built(self) -> None:
        for widget in (*self.panels, *self.followers):  # the sections built so far
            if isinstance(widget, QWidget):
                self.apply_closure(widget)

    def enable_sections(self) -> None:
        case_id = self._case_id()
        if case_id is None:
            return
        for panel in self.panels:
            if panel.case_id != case_id:
                panel.set_case(case_id)
        for follower in self.followers:
            if follower.case_id != case_id:
                follower.set_case(case_id)
