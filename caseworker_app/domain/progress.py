"""How long work reports progress and learns it was cancelled, without knowing about Qt.

In the domain so that the use cases (services/) and the adapters (transfer/) share one protocol;
the UI's task runner implements it."""

from __future__ import annotations

from typing import Protocol

from caseworker_app.domain.errors import Cancelled


class Progress(Protocol):
    def update(self, done: int, total: int) -> None: ...

    def cancelled(self) -> bool: ...


class NoProgress:
    def update(self, done: int, total: int) -> None:
        return None

    def cancelled(self) -> bool:
        return False


def step(progress: Progress, done: int, total: int) -> None:
    """Report and stop with :class:`Cancelled` if the user asked to."""
    if progress.cancelled():
        raise Cancelled()
    progress.update(done, total)
