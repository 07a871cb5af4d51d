"""The Windows version resource of the frozen executables (packaging/version_info.py), read
back the way PyInstaller reads it: the text is evaluated with its classes in scope."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest

import caseworker_app

ROOT = Path(__file__).resolve().parents[2]


def _module() -> Any:
    spec = importlib.util.spec_from_file_location(
        "version_info", ROOT / "packaging" / "version_info.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


version_info = _module()


class Node:
    """Stands for each of PyInstaller's versioninfo classes: records what it was given."""

    def __init__(self, kind: str, *args: Any, **kwargs: Any) -> None:
        self.kind, self.args, self.kwargs = kind, args, kwargs


def evaluate(text: str) -> Node:
    names = ("VSVersionInfo", "FixedFileInfo", "StringFileInfo", "StringTable", "StringStruct",
             "VarFileInfo", "VarStruct")  # fmt: skip
    scope = {name: (lambda *a, _n=name, **k: Node(_n, *a, **k)) for name in names}
    result = eval(text, scope)  # the file format is a Python expression, as PyInstaller reads it
    assert isinstance(result, Node) and result.kind == "VSVersionInfo"
    return result


def test_the_resource_carries_the_applications_version() -> None:
    version = caseworker_app.__version__
    assert version_info.app_version(ROOT / "caseworker_app" / "__init__.py") == version
    info = evaluate(version_info.version_info_text(
        version, original_filename="caseworker-app.exe", internal_name="caseworker-app"
    ))  # fmt: skip
    fixed = info.kwargs["ffi"]
    numbers = version_info.version_tuple(version)
    assert fixed.kwargs["filevers"] == fixed.kwargs["prodvers"] == numbers
    string_info, var_info = info.kwargs["kids"]
    (table,) = string_info.args[0]
    code, structs = table.args
    assert code == "041004B0"  # Italian, Unicode
    strings = {s.args[0]: s.args[1] for s in structs}
    assert strings["FileVersion"] == strings["ProductVersion"] == version
    assert strings["OriginalFilename"] == "caseworker-app.exe"
    assert strings["ProductName"] == "Caseworker"
    (translation,) = var_info.args[0]
    assert translation.args == ("Translation", [0x0410, 1200])


@pytest.mark.parametrize(
    ("text", "numbers"),
    [("0.1.0", (0, 1, 0, 0)), ("1.2", (1, 2, 0, 0)), ("2.3.4rc1", (2, 3, 4, 1)),
     ("2024.6.1.7.9", (2024, 6, 1, 7))],
)  # fmt: skip
def test_versions_become_four_numbers(text: str, numbers: tuple[int, ...]) -> None:
    assert version_info.version_tuple(text) == numbers


def test_a_version_without_numbers_is_refused() -> None:
    with pytest.raises(ValueError, match="not a version"):
        version_info.version_tuple("dev")


def test_the_spec_embeds_it_in_both_executables() -> None:
    spec = (ROOT / "caseworker.spec").read_text(encoding="utf-8")
    assert "write_version_file(" in spec and "version=" in spec
    assert 'GUI_NAME, CLI_NAME = "caseworker-app", "caseworker"' in spec
