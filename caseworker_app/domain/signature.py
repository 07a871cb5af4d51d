"""A signature drawn on the signature pad, as the store keeps it (encrypted) and the printed
PI draws it into the signatory's block."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class GraphicSignature:
    """A signature drawn on the signature pad, as kept (encrypted) in the store."""

    role: str  # the signatory's role (domain.pi.SignatoryRole value)
    png: bytes
    captured_at: datetime
    method: str  # how it was captured: "penna", "tocco" or "mouse"
