"""Helpers for use cases that work through a large batch in one go (ranking thousands of
istanze): no I/O, no Qt, usable from the command line and the GUI worker alike.

:func:`gc_paused` pauses the cyclic garbage collector for a batch: the objects are acyclic and
short-lived, and collection passes over them would double the time; reference counting still
frees everything and collection resumes afterwards (only if it was running before, so the pauses
nest). It is the reader's own pause (``transfer/json_fields.collector_paused``), one function
for both.
"""

from __future__ import annotations

from caseworker_app.transfer.json_fields import collector_paused as gc_paused

__all__ = ["gc_paused"]
