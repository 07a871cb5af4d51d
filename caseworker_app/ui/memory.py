"""Keep the cyclic garbage collector's pauses out of the user's typing.

After login the process holds a few hundred thousand long-lived objects (Qt wrappers, modules,
definitions, SQLAlchemy mappers). A full (generation 2) collection walks all of them and stalls
the UI thread for 40–75 ms on a small laptop, measured by ``bench/bench_keystroke.py``, and
autosave keeps creating the short-lived objects that trigger collections. Freezing what is alive
once the main window is up (``gc.freeze``, as CPython's documentation suggests for long-lived
processes) leaves later collections only the objects created since.
"""

from __future__ import annotations

import gc


def freeze_long_lived() -> None:
    """Collect once, then hide everything alive from later collections."""
    gc.collect()
    gc.freeze()
