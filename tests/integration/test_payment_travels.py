"""The IBAN travels to the capofila (for the elenco di liquidazione): a comune's istanza with an
IBAN is sent with ``extra.pagamento`` in its ``caseworker.istanza/1`` record, the capofila
receives it and reads it back; an istanza without an IBAN carries no ``pagamento``. Three real
stores (two comuni and the capofila)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from caseworker_app.bootstrap.vault import Vault
from caseworker_app.definitions.avvisi import get_avviso
from caseworker_app.domain.ids import IstanzaId
from caseworker_app.domain.istanza_content import IstanzaContent
from caseworker_app.services import judging, transmissions, transmissions_reception
from caseworker_app.services.istruttoria_pack import PAYMENT_KEY
from caseworker_app.transfer.istanza_record import read_istanza

from .transmission_stores import AVVISO, NOW, make_ambito, receive_all

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

IBAN = "IT60 X054 2811 1010 0000 0123 456"  # as typed, with spaces
COMPACT = "IT60X0542811101000000123456"


def test_the_capofila_receives_the_iban_and_its_holder(
    tmp_path: Path, make_vault: Callable[[Path], Vault]
) -> None:
    ambito = next(make_ambito(tmp_path, make_vault, cases=6))
    try:
        chosen: dict[str, str] = {}
        for code, iban, holder in (("A127", IBAN, "  Bice   Prova "), ("B448", "", "")):
            store = ambito.comuni[code]
            rows = transmissions.readiness(store.uow_factory(), actor=store.actor, now=NOW)
            ready = [r for r in rows if r.ready]
            assert ready, f"the demo of {code} has no istanza ready"
            chosen[code] = ready[0].protocol or ""
            istanza_id = IstanzaId(ready[0].istanza_id)
            uow = store.uow_factory()
            with uow:
                content = IstanzaContent.from_data(uow.istanze.content(istanza_id))
                changed = replace(content, iban=iban, iban_holder=holder)
                uow.istanze.save_content(istanza_id, changed.to_data(), now=NOW)
                uow.commit()

        receive_all(ambito)

        capofila = ambito.capofila
        received = transmissions_reception.received_istanze(
            capofila.uow_factory(), actor=capofila.actor
        )
        by_protocol = {(r.comune, r.protocol): r for r in received}
        sent = by_protocol[("A127", chosen["A127"])]
        record = read_istanza(sent.record, source="istanza.json", avviso=None)
        assert record.extra[PAYMENT_KEY] == {"iban": COMPACT, "intestatario": "Bice Prova"}
        assert b'"pagamento":{"iban":"IT60X0542811101000000123456"' in sent.record
        bare = by_protocol[("B448", chosen["B448"])]
        assert PAYMENT_KEY not in read_istanza(bare.record, source="x", avviso=None).extra
        # the engine judges the record that carries it as before
        avviso = get_avviso(AVVISO)
        verdict = judging.check_record(avviso=avviso, record=record, on=NOW.date())
        plain = judging.check_record(
            avviso=avviso,
            record=record._replace(extra={k: v for k, v in record.extra.items()
                                          if k != PAYMENT_KEY}),
            on=NOW.date(),
        )  # fmt: skip
        assert (verdict.outcome, verdict.amount) == (plain.outcome, plain.amount)
    finally:
        for workspace in ambito.opened:
            workspace.close()
