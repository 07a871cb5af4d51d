"""Failed unlock attempts, counted outside the database.

A wrong password must change nothing in the database, so failures are appended to a small file
beside it (operator name and time, no secret). After a few failures each further attempt must wait
longer. At the next successful unlock the failures are written to the audit log and the file is
cleared.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from caseworker_app.fsutil import atomic_write_text

ATTEMPTS_FORMAT = "caseworker.attempts/1"
FREE_ATTEMPTS = 3
MAX_DELAY_SECONDS = 300


@dataclass(frozen=True)
class FailedAttempt:
    at: datetime
    operator: str


def delay_after(failures: int) -> int:
    """Seconds to wait before the next attempt after ``failures`` consecutive failures."""
    if failures < FREE_ATTEMPTS:
        return 0
    return int(min(MAX_DELAY_SECONDS, 2 ** (failures - FREE_ATTEMPTS + 1)))


log = logging.getLogger(__name__)


class AttemptLog:
    def __init__(self, path: Path) -> None:
        self.path = path

    def read(self) -> list[FailedAttempt]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return [
                FailedAttempt(datetime.fromisoformat(item["at"]), str(item["operator"]))
                for item in data["failures"]
            ]
        except FileNotFoundError:
            return []
        except (ValueError, KeyError, TypeError):
            # A damaged counter must not lock anybody out; it only loses the slowdown.
            return []

    def record_failure(self, operator: str, at: datetime) -> None:
        items = [*self.read(), FailedAttempt(at, operator)]
        payload = {
            "format": ATTEMPTS_FORMAT,
            "failures": [
                {"at": a.at.isoformat(timespec="seconds"), "operator": a.operator} for a in items
            ],
        }
        try:
            atomic_write_text(self.path, json.dumps(payload, indent=1))
        except OSError:
            # A read-only or full disk: the attempt is still refused, only the slowdown is lost.
            log.warning("a failed attempt could not be recorded")

    def wait_seconds(self, now: datetime) -> int:
        failures = self.read()
        if not failures:
            return 0
        ready_at = failures[-1].at + timedelta(seconds=delay_after(len(failures)))
        return max(0, int((ready_at - now).total_seconds() + 0.999))

    def clear(self) -> None:
        self.path.unlink(missing_ok=True)
