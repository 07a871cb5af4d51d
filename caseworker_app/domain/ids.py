"""Typed identifiers. Entities are keyed by UUID strings, never by row ids."""

from __future__ import annotations

import uuid
from typing import NewType

PersonId = NewType("PersonId", str)
CaseId = NewType("CaseId", str)
IstanzaId = NewType("IstanzaId", str)
OperatorId = NewType("OperatorId", str)
DocumentId = NewType("DocumentId", str)
DiaryEntryId = NewType("DiaryEntryId", str)
MemberId = NewType("MemberId", str)


def new_id() -> str:
    return str(uuid.uuid4())
