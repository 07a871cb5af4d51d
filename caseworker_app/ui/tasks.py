"""One serialised worker for disk and crypto work, results delivered on the Qt thread.

After Anki's ``taskman``: the UI thread never waits on the database. ``run(fn, on_done=...)``
queues ``fn`` on a single worker thread (so database calls never overlap) and calls ``on_done``
with its result, or ``on_error`` with its exception, back on the Qt thread through a queued
signal. ``fn`` must never touch a widget: it receives nothing from Qt and returns plain data.
"""

from __future__ import annotations

import concurrent.futures
import functools
from collections.abc import Callable
from typing import TypeVar

import shiboken6
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from caseworker_app.ui import errors

T = TypeVar("T")

ErrorHandler = Callable[[BaseException], None]


class TaskRunner(QObject):
    """Runs callables one at a time on a background thread."""

    _delivered = Signal(object)
    #: emitted on the Qt thread whenever the queue becomes empty
    became_idle = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._executor = concurrent.futures.ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="caseworker-worker"
        )
        self._pending = 0
        self._closed = False
        self._connected = False

    def _connect(self) -> None:
        # Connected on first use: importing the ``Qt`` namespace costs tens of milliseconds,
        # which the first window must not wait for. Queued, so that a result is delivered from
        # the event loop even when ``fn`` finished before ``run`` returned.
        from PySide6.QtCore import Qt

        self._delivered.connect(self._on_delivered, Qt.ConnectionType.QueuedConnection)
        self._connected = True

    @property
    def pending(self) -> int:
        """Tasks submitted whose result has not been delivered yet."""
        return self._pending

    def run(
        self,
        fn: Callable[[], T],
        *,
        on_done: Callable[[T], None],
        on_error: ErrorHandler | None = None,
        owner: QObject | None = None,
    ) -> None:
        """Queue ``fn``; deliver its result to ``on_done`` on the Qt thread.

        Without ``on_error`` failures go to :func:`errors.report_error` (the one triage point).
        When ``owner`` has been deleted by the time the result arrives, the result is dropped.
        """
        if self._closed:
            return
        if not self._connected:
            self._connect()
        self._pending += 1
        future = self._executor.submit(fn)
        deliver = functools.partial(self._finish, future, on_done, on_error, owner)
        # The callback runs on the worker thread: it only emits; the queued connection hops
        # to the Qt thread before anything else happens.
        future.add_done_callback(lambda _f: self._delivered.emit(deliver))

    def shutdown(self, *, wait: bool = True) -> None:
        """Stop accepting work and, with ``wait``, let queued work (e.g. a last save) finish."""
        self._closed = True
        self._executor.shutdown(wait=wait, cancel_futures=not wait)

    def _on_delivered(self, deliver: object) -> None:
        self._pending -= 1
        try:
            if callable(deliver):
                deliver()
        finally:
            if self._pending == 0:
                self.became_idle.emit()

    @staticmethod
    def _finish(
        future: concurrent.futures.Future[T],
        on_done: Callable[[T], None],
        on_error: ErrorHandler | None,
        owner: QObject | None,
    ) -> None:
        if future.cancelled() or (owner is not None and not shiboken6.isValid(owner)):
            return
        exc = future.exception()
        try:
            if exc is None:
                on_done(future.result())
            elif on_error is not None:
                on_error(exc)
            else:
                parent = owner.window() if isinstance(owner, QWidget) else None
                errors.report_error(parent, exc)
        except Exception as bug:  # a bug in a result handler: triage it, never lose it
            errors.report_error(owner.window() if isinstance(owner, QWidget) else None, bug)
