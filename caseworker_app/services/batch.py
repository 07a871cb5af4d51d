"""Helpers for use cases that work through a large batch in one go (ranking thousands of
istanze): no I/O, no Qt, usable from the command line and the GUI worker alike."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for a batch (judging thousands of istanze): the
    objects are acyclic and short-lived, and collection passes over them would double the time.
    Reference counting still frees everything; collection resumes afterwards (only if it was
    running before, so the pauses nest)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
