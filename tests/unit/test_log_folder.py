"""The application's log folder and file are private to the user (issue 10, point 5)."""

from __future__ import annotations

import logging
import stat
from pathlib import Path

import pytest

from caseworker_app import app


def test_the_log_folder_is_0700_and_the_log_file_0600(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    root = logging.getLogger()
    before = list(root.handlers)
    try:
        app._configure_logging()
        added = [h for h in root.handlers if h not in before]
        assert added, "no log handler installed"
        logged = [Path(h.baseFilename) for h in added if isinstance(h, logging.FileHandler)]
        assert logged, "the log did not go to a file"
        folder = logged[0].parent
        assert folder.is_relative_to(tmp_path)
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        assert stat.S_IMODE(logged[0].stat().st_mode) == 0o600
    finally:
        for handler in [h for h in root.handlers if h not in before]:
            root.removeHandler(handler)
            handler.close()
