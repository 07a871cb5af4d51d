"""Italian wording shared by several windows (light: imported before the first window)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def keystore_description(kind: str) -> str:
    """Where the wrapped keys are kept, as a noun phrase: "portachiavi di sistema"."""
    if kind == "keyring":
        return QCoreApplication.translate("Keystore", "portachiavi di sistema")
    return QCoreApplication.translate("Keystore", "file delle chiavi accanto all'archivio")
