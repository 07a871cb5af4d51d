"""Qt's own texts in Italian: the file dialogs ("Cerca in:", "File di tipo:"), the standard
buttons ("Annulla"), the context menus of the text fields.

PySide6 ships ``qtbase_it.qm``. In a source checkout or a virtualenv it lies where
``QLibraryInfo`` says (``site-packages/PySide6/Qt/translations`` on Linux and macOS,
``site-packages/PySide6/translations`` on Windows). In a frozen build (PyInstaller) Qt's
library path may point to a folder that does not exist: the PyInstaller hook for PySide6 copies
the translations under the bundle's ``PySide6/Qt/translations`` (``PySide6/translations`` on
Windows), which is searched too, as is the ``PySide6`` package folder itself.

A few texts of the file dialog are missing from Qt's catalog ("&Look in:", "Files of &type:"):
``resources/translations/qtbase_extra_it.ts`` has them (compiled to ``.qm`` with
``pyside6-lrelease``), installed after Qt's catalog. A frozen build must bundle ``resources/``
(``resources_dir()`` finds it under ``_MEIPASS``).
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

ITALIAN = QLocale(QLocale.Language.Italian, QLocale.Country.Italy)
QT_CATALOG = "qtbase_it.qm"

#: the translators installed (kept referenced for as long as the application lives)
_INSTALLED: dict[int, list[QTranslator]] = {}


def _package_dir() -> Path | None:
    import PySide6

    location = PySide6.__file__
    return Path(location).resolve().parent if location else None


def translation_dirs(
    *,
    library_path: str | None = None,
    frozen_root: str | None = None,
    package_dir: Path | None = None,
) -> list[Path]:
    """Where ``qtbase_it.qm`` is looked for, in order (the arguments replace, for tests, what
    Qt, PyInstaller and the PySide6 package report)."""
    library = (
        library_path
        if library_path is not None
        else QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    )
    frozen = frozen_root if frozen_root is not None else getattr(sys, "_MEIPASS", None)
    package = package_dir if package_dir is not None else _package_dir()
    found: list[Path] = []
    if library:
        found.append(Path(library))
    if frozen:
        bundle = Path(frozen)
        found += [
            bundle / "PySide6" / "Qt" / "translations",
            bundle / "PySide6" / "translations",
            bundle / "translations",
        ]
    if package is not None:
        found += [package / "Qt" / "translations", package / "translations"]
    return list(dict.fromkeys(found))


def find_qt_catalog(folders: list[Path]) -> Path | None:
    """The first folder of ``folders`` holding Qt's Italian catalog."""
    for folder in folders:
        if (folder / QT_CATALOG).is_file():
            return folder
    return None


def install_qt_translations(
    app: QCoreApplication, *, folders: list[Path] | None = None, extra_folder: Path | None = None
) -> bool:
    """Make Italian the default locale and install Qt's Italian catalog on ``app`` (once),
    then ``qtbase_extra_it.qm`` from ``extra_folder`` (our resources/translations: the few
    texts Qt's catalog lacks; installed last, so it is asked first).

    Returns whether Qt's catalog was found and installed; without it Qt speaks English (not an
    error: the application's own texts are Italian anyway)."""
    QLocale.setDefault(ITALIAN)
    if id(app) in _INSTALLED:
        return True
    folder = find_qt_catalog(translation_dirs() if folders is None else folders)
    installed: list[QTranslator] = []
    for name, where in (("qtbase", folder), ("qtbase_extra", extra_folder)):
        translator = QTranslator(app)
        if where is not None and translator.load(ITALIAN, name, "_", str(where)):
            app.installTranslator(translator)
            installed.append(translator)
    if not installed:
        return False
    _INSTALLED[id(app)] = installed
    return folder is not None


def uninstall_qt_translations(app: QCoreApplication) -> None:
    """Remove what :func:`install_qt_translations` installed (tests of a fresh start)."""
    for translator in _INSTALLED.pop(id(app), []):
        app.removeTranslator(translator)
