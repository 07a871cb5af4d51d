"""External tools the tests use (qpdf, poppler's pdftoppm and pdffonts, zbarimg, age, soffice):
scripts/test.sh installs them. Outside CI a missing tool skips the test with what to install; in
CI (``CI`` set) it fails the test, because a skipped check there would hide a defect."""

from __future__ import annotations

import os
import shutil

import pytest

#: tool -> the Debian package that provides it
PACKAGES = {
    "qpdf": "qpdf",
    "pdftoppm": "poppler-utils",
    "pdffonts": "poppler-utils",
    "pdftotext": "poppler-utils",
    "pdfsig": "poppler-utils",
    "zbarimg": "zbar-tools",
    "softhsm2-util": "softhsm2",
    "libsofthsm2.so": "softhsm2",
    "age": "age",
    "soffice": "libreoffice-calc-nogui",
}


def require(tool: str) -> str:
    """The path of ``tool``; a skip (or in CI a failure) naming its package when it is missing."""
    found = shutil.which(tool)
    if found:
        return found
    why = f"{tool} is missing: install the Debian package {PACKAGES.get(tool, tool)}"
    if os.environ.get("CI"):
        pytest.fail(why + " (scripts/test.sh installs it)")
    pytest.skip(why)


def assert_fonts_embedded(path: os.PathLike[str] | str) -> None:
    """Every font the PDF references is embedded (pdffonts' "emb" column): a font a PDF does
    not carry, such as reportlab's default Helvetica, prints differently on every machine."""
    import subprocess

    listed = subprocess.run([require("pdffonts"), str(path)], capture_output=True, text=True,
                            check=True).stdout.splitlines()[2:]  # fmt: skip
    assert listed, f"{path}: no font at all"
    bare = [line for line in listed if line.split()[-5] != "yes"]
    assert not bare, f"{path}: fonts not embedded: {bare}"
