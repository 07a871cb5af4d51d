"""Progress and cancellation for the use cases: the domain's protocol (domain/progress.py)."""

from __future__ import annotations

from caseworker_app.domain.progress import NoProgress, Progress, step

__all__ = ["NoProgress", "Progress", "step"]
