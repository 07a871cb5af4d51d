"""The three kinds of errors (style rule 5), as plain Python.

- :class:`Cancelled`: the user stopped something; silent.
- :class:`UserFacingError`: a problem the user can act on. It carries a message *code* and
  parameters, never UI text; ``caseworker_app.messages`` renders it in Italian.
- anything else is a bug: logged without personal data and shown with "Copia dettagli".
"""

from __future__ import annotations

from collections.abc import Mapping


class Cancelled(Exception):  # noqa: N818 - the style guide's name for this kind
    """The user cancelled the operation."""


class UserFacingError(Exception):
    """An error the user can act on, identified by a stable code.

    ``params`` must never contain personal data of beneficiaries: it may travel to logs.
    """

    def __init__(self, code: str, /, **params: str | int) -> None:
        super().__init__(code)
        self.code = code
        self.params: Mapping[str, str | int] = dict(params)

    def __str__(self) -> str:
        if not self.params:
            return self.code
        inner = ", ".join(f"{k}={v}" for k, v in sorted(self.params.items()))
        return f"{self.code} ({inner})"
