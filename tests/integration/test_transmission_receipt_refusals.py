"""The refusals of a receipt at the comune (issue 11): signed by other keys, for a transmission
this comune did not write, for another comune, a second receipt for a transmission already
answered; each with its exact code and the comune's store left exactly as it was. The same
receipt twice changes nothing. The receipts are forged with the real keys of the stores
(tests/integration/transmission_forge.py)."""

from __future__ import annotations

import uuid
from datetime import datetime
from pathlib import Path

import pytest

from caseworker_app.services.transmissions import ImportedReceipt

from .transmission_forge import Keys, Opened, Shared, craft, new_keys, open_file, refused, reseal
from .transmission_forge import shared as shared  # the fixture
from .transmission_stores import snapshot

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _receipt(shared: Shared) -> Opened:
    return open_file(shared.receipt, shared.a127)


def _reseal_receipt(shared: Shared, opened: Opened, signer: Keys) -> Path:
    return reseal(shared.name(), opened, signer=signer, to=shared.comune)


def test_a_receipt_from_other_keys_is_refused(shared: Shared) -> None:
    impostor = new_keys(shared.capofila.sender)
    forged = _reseal_receipt(shared, _receipt(shared), impostor)
    error = refused(shared.a127, lambda: shared.ambito.import_(shared.a127, forged),
                    "transmission.receipt_unknown_sender")  # fmt: skip
    assert error.params["fingerprint"] == shared.capofila.display
    # the capofila's sender block, signed by another key
    opened = _receipt(shared)
    forged = craft(shared.name(), opened, signer=impostor, to=shared.comune,
                   manifest=opened.manifest)  # fmt: skip
    refused(shared.a127, lambda: shared.ambito.import_(shared.a127, forged),
            "transfer.signature_invalid")  # fmt: skip


@pytest.mark.parametrize("field", ["transmission", "manifest_sha256"])
def test_a_receipt_for_an_unknown_transmission_is_refused(shared: Shared, field: str) -> None:
    opened = _receipt(shared)
    value = opened.json("ricevuta.json")
    value[field] = str(uuid.uuid4()) if field == "transmission" else "0" * 64
    opened.put_json("ricevuta.json", value)
    forged = _reseal_receipt(shared, opened, shared.capofila)
    refused(shared.a127, lambda: shared.ambito.import_(shared.a127, forged),
            "transmission.receipt_unknown_transmission")  # fmt: skip


def test_a_receipt_for_another_comune_does_not_open_there(shared: Shared) -> None:
    b448 = shared.ambito.comuni["B448"]
    refused(b448, lambda: shared.ambito.import_(b448, shared.receipt),
            "transfer.not_for_this_installation")  # fmt: skip


def test_another_receipt_for_a_transmission_already_answered_is_refused(shared: Shared) -> None:
    opened = _receipt(shared)
    value = opened.json("ricevuta.json")
    value["received_at"] = datetime(2026, 12, 11, 8, 0).astimezone().isoformat()
    opened.put_json("ricevuta.json", value)
    forged = _reseal_receipt(shared, opened, shared.capofila)
    refused(shared.a127, lambda: shared.ambito.import_(shared.a127, forged),
            "transmission.receipt_other")  # fmt: skip


def test_the_same_receipt_twice_changes_nothing(shared: Shared) -> None:
    before = snapshot(shared.a127)
    again = shared.ambito.import_(shared.a127, shared.receipt)
    assert isinstance(again, ImportedReceipt) and again.already_imported
    assert snapshot(shared.a127) == before


def test_a_receipt_imported_at_the_capofila_that_wrote_it_says_where_it_goes(
    shared: Shared,
) -> None:
    # the receipt is encrypted to the capofila too (to open what it sent): it opens there
    capofila = shared.store
    error = refused(capofila, lambda: shared.ambito.import_(capofila, shared.receipt),
                    "transmission.receipt_not_comune")  # fmt: skip
    assert error.params == {"file": shared.receipt.name}
