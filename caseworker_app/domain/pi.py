"""The Progetto Individuale (PI) as the store keeps it: numbered versions of a JSON content.

A version is a draft (``bozza``) until it is signed; a signed version is frozen, and editing
creates the next version from its content.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from caseworker_app.domain.ids import IstanzaId


class PiStatus(enum.StrEnum):
    BOZZA = "bozza"
    FIRMATA = "firmata"


@dataclass(frozen=True)
class PiVersion:
    id: str
    istanza_id: IstanzaId
    number: int  # 1, 2, ... per istanza
    status: PiStatus
    content: Mapping[str, object]  # the sections (JSON object)
    created_at: datetime
    updated_at: datetime
    created_by: str
    signed_at: datetime | None = None
    signed_by: str = ""

    @property
    def frozen(self) -> bool:
        return self.status is PiStatus.FIRMATA
