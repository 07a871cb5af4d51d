"""Every error code the package can raise has an Italian message."""

from __future__ import annotations

import re
from pathlib import Path

import caseworker_app
from caseworker_app.messages import CATALOG, render

PACKAGE = Path(caseworker_app.__file__).parent
RAISED = re.compile(r"""UserFacingError\(\s*["']([a-z_]+\.[a-z_.]+)["']""")


def test_every_raised_code_has_a_message() -> None:
    codes: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        codes |= set(RAISED.findall(path.read_text(encoding="utf-8")))
    assert codes, "the scan found no codes: the pattern is broken"
    missing = sorted(c for c in codes if c not in CATALOG)
    assert missing == []


def test_messages_render_with_parameters_and_unknown_codes_show_themselves() -> None:
    assert "42" in render("auth.throttled", {"seconds": 42})
    assert render("codice.che.non.esiste") == "codice.che.non.esiste"
