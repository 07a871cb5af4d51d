"""What the PI editor loads on the worker before it shows anything."""

from __future__ import annotations

from dataclasses import dataclass

from caseworker_app.definitions.avvisi import get_avviso
from caseworker_app.domain.pi import PiVersion
from caseworker_app.domain.pi_diff import Change


@dataclass(frozen=True)
class Loaded:
    versions: list[PiVersion]
    codes: dict[str, str]  # intervention code -> label (avviso)
    changes: list[Change]  # latest version against the previous one


def intervention_codes(avviso_id: str) -> dict[str, str]:
    avviso = get_avviso(avviso_id)  # loads (and caches) the definition: worker only
    codes = {"": ""} | {c: i.label for c, i in avviso.interventions.items()}
    return codes | {c: e.reason for c, e in avviso.excluded.items()}
