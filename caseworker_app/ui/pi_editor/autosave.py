"""Debounced autosave with a maximum wait.

A save starts ``delay_ms`` after the last edit, and at the latest ``max_wait_ms`` after the
first edit not saved yet, so that continuous typing is still saved at least once per second
(a crash loses at most about a second of text). Saves never overlap: edits arriving while one
is in flight are saved right after it. The owner supplies ``submit`` (which queues the actual
save on the worker) and reports back with :meth:`finished`.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

DELAY_MS = 500
MAX_WAIT_MS = 700


class Autosaver(QObject):
    #: nothing waits to be saved and no save is in flight
    became_idle = Signal()

    def __init__(
        self,
        submit: Callable[[], None],
        *,
        delay_ms: int = DELAY_MS,
        max_wait_ms: int = MAX_WAIT_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._submit = submit
        self._dirty = False
        self._saving = False
        self._idle_callbacks: list[Callable[[], None]] = []
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(delay_ms)
        self._debounce.timeout.connect(self.save_now)
        self._max_wait = QTimer(self)
        self._max_wait.setSingleShot(True)
        self._max_wait.setInterval(max_wait_ms)
        self._max_wait.timeout.connect(self.save_now)

    @property
    def dirty(self) -> bool:
        return self._dirty

    def is_idle(self) -> bool:
        return not self._dirty and not self._saving

    def edited(self) -> None:
        self._dirty = True
        self._debounce.start()
        if not self._max_wait.isActive():
            self._max_wait.start()

    def discard(self) -> None:
        """Forget pending edits (the content they belonged to is gone)."""
        self._dirty = False
        self._debounce.stop()
        self._max_wait.stop()
        self._check_idle()

    def save_now(self) -> None:
        if self._saving:
            return  # saved right after the save in flight
        self._debounce.stop()
        self._max_wait.stop()
        if not self._dirty:
            self._check_idle()
            return
        self._dirty = False
        self._saving = True
        self._submit()

    def finished(self, *, ok: bool) -> None:
        """The save submitted last has ended (stored, or failed: then the edits stay dirty)."""
        self._saving = False
        if not ok:
            self._dirty = True
            self._check_idle(failed=True)
            return
        if self._dirty:
            self.save_now()
        else:
            self._check_idle()

    def when_idle(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` once everything typed so far is stored (at once if it is)."""
        if self.is_idle():
            callback()
            return
        self._idle_callbacks.append(callback)
        self.save_now()

    def _check_idle(self, *, failed: bool = False) -> None:
        if failed:
            self._idle_callbacks.clear()  # the failure was reported: do not go on
            return
        if self.is_idle():
            callbacks, self._idle_callbacks = self._idle_callbacks, []
            for callback in callbacks:
                callback()
            self.became_idle.emit()
