"""Where the definition files (forms/) are: source checkout, frozen app, or an override."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def forms_dir() -> Path:
    override = os.environ.get("CASEWORKER_FORMS")
    if override:
        return Path(override)
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "forms"
    return Path(__file__).resolve().parents[2] / "forms"
