"""Italian texts for message codes, shared by the GUI and the command line.

Services and the domain raise codes with parameters (never UI text); this package renders them.
Each area keeps its own catalog module; they are merged here. A code missing from the catalog is
rendered as itself so that nothing is ever hidden from the user.
"""

from __future__ import annotations

from collections.abc import Mapping

from caseworker_app.messages import (
    ambito,
    anagrafica,
    casefile,
    controls,
    definitions,
    desk,
    editions,
    installation_keys,
    istanza_wizard,
    letters,
    outcomes,
    pi,
    printing,
    rules,
    scadenze,
    scales,
    signatures,
    store,
    transfer,
    transmission,
    ui,
)

CATALOG: dict[str, str] = {}
for _part in (
    anagrafica.MESSAGES,
    scales.MESSAGES,
    store.MESSAGES,
    ui.MESSAGES,
    rules.MESSAGES,
    definitions.MESSAGES,
    casefile.MESSAGES,
    istanza_wizard.MESSAGES,
    pi.MESSAGES,
    scadenze.MESSAGES,
    printing.MESSAGES,
    signatures.MESSAGES,
    installation_keys.MESSAGES,
    transfer.MESSAGES,
    ambito.MESSAGES,
    transmission.MESSAGES,
    desk.MESSAGES,
    letters.MESSAGES,
    editions.MESSAGES,
    controls.MESSAGES,
    outcomes.MESSAGES,
):
    _dupes = CATALOG.keys() & _part.keys()
    if _dupes:  # pragma: no cover - guarded by a unit test
        raise RuntimeError(f"duplicate message codes: {sorted(_dupes)}")
    CATALOG.update(_part)


def render(code: str, params: Mapping[str, object] | None = None) -> str:
    template = CATALOG.get(code)
    if template is None:
        return code
    try:
        return template.format(**(params or {}))
    except (KeyError, IndexError, ValueError):
        return template
