"""How a signatory's signature state is said, in the signatures dialog and in the PI editor (a
light module: the editor shows the states without loading the dialog and its pad)."""

from __future__ import annotations

from caseworker_app.services.signatures import SignatoryState, SignatoryStatus
from caseworker_app.ui.formats import format_date, format_datetime
from caseworker_app.ui.pi_editor.values import tr


def _method_label(method: str) -> str:
    return {"penna": tr("con la penna"), "tocco": tr("con il dito"),
            "mouse": tr("con il mouse")}.get(method, "")  # fmt: skip


def state_text(row: SignatoryState) -> str:
    """The Italian state of a signatory, as the dialog shows it."""
    when = format_datetime(row.at) if row.at is not None else ""
    if row.status is SignatoryStatus.DIGITALE:
        text = tr("Firmato digitalmente il %1").replace("%1", format_date(row.at.date())
                                                       if row.at else "")  # fmt: skip
        if not row.trusted:
            text += " " + tr("(certificato non verificato)")
        return text
    if row.status is SignatoryStatus.SCANSIONE:
        return tr("Firmato a mano (scansione allegata il %1)").replace("%1", when)
    if row.status is SignatoryStatus.FIRMA_GRAFICA:
        return (tr("Firma grafica acquisita il %1 %2").replace("%1", when)
                .replace("%2", _method_label(row.method)))  # fmt: skip
    if row.status is SignatoryStatus.FIRMATO:
        return tr("Firmato")
    return tr("Non firmato")
