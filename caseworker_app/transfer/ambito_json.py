"""``ambito.json``, the payload of the ambito package (``caseworker.ambito_package/1``).

One writer (:func:`ambito_json`: canonical JSON, read back before it is returned) and one strict
reader (:func:`read_ambito_json`): every key required (``rotation`` may be ``null``), no other key,
each value of its type and shape. The layout is in docs/transfer-format.md §9; the values in
``domain/ambito_package.py``.

Problems are ``UserFacingError`` codes naming the file (its name only) and the JSON path of the
field, never its value: ``ambito.payload_unreadable``, ``ambito.payload_invalid``,
``ambito.format_unknown``, ``ambito.format_newer``.
"""

from __future__ import annotations

import re

from caseworker_app.domain.ambito_package import (
    PACKAGE_FORMAT,
    AmbitoPackage,
    KeyRotation,
    PackageAvviso,
    PackageComune,
)
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.installation_keys import SIGNING_KEY_BYTES, PublicKeyBundle
from caseworker_app.transfer import json_fields as fields
from caseworker_app.transfer import json_input
from caseworker_app.transfer import json_shapes as shapes
from caseworker_app.transfer.json_fields import FieldError
from caseworker_app.transfer.sealed_zip import is_member_name

_SIGNATURE_BYTES = 64
_MAX_COMUNI = 500
_MAX_AVVISI = 200
_MAX_NAME = 200
_MAX_SEQUENCE = 10**9

_TOP_KEYS = frozenset(
    {"format", "ambito", "capofila", "comuni", "avvisi", "sequence", "issued_at", "rotation"}
)
_AMBITO_KEYS = frozenset({"id", "name"})
_BUNDLE_KEYS = frozenset(
    {"installation", "role", "ambito", "comuni", "signing_public", "age_recipient"}
)
_COMUNE_KEYS = frozenset({"code", "name"})
_AVVISO_KEYS = frozenset({"id", "version", "file", "sha256"})
_ROTATION_KEYS = frozenset({"previous_signing_public", "signature"})

_AVVISO_FILE = re.compile(r"[a-z0-9][a-z0-9.-]{0,150}\.toml", re.ASCII)


# -- writing -------------------------------------------------------------------------------------


def bundle_json(bundle: PublicKeyBundle) -> dict[str, object]:
    return {
        "installation": bundle.installation,
        "role": bundle.role,
        "ambito": bundle.ambito,
        "comuni": list(bundle.comuni),
        "signing_public": bundle.signing_public,
        "age_recipient": bundle.age_recipient,
    }


def ambito_json(package: AmbitoPackage) -> bytes:
    """The canonical bytes of ``package``'s ``ambito.json``; read back first, so that the
    capofila never issues a package a comune would refuse (``ValueError`` naming the field)."""
    if package.issued_at.tzinfo is None:
        raise ValueError("issued_at needs a time zone offset")
    rotation = package.rotation
    value = {
        "format": PACKAGE_FORMAT,
        "ambito": {"id": package.ambito, "name": package.ambito_name},
        "capofila": bundle_json(package.capofila),
        "comuni": [{"code": c.code, "name": c.name} for c in package.comuni],
        "avvisi": [
            {"id": a.id, "version": a.version, "file": a.file, "sha256": a.sha256}
            for a in package.avvisi
        ],
        "sequence": package.sequence,
        "issued_at": package.issued_at.isoformat(),
        "rotation": None
        if rotation is None
        else {
            "previous_signing_public": rotation.previous_signing_public,
            "signature": rotation.signature,
        },
    }
    raw, _ = shapes.written(value, _read, name="ambito.json")
    return raw


# -- reading -------------------------------------------------------------------------------------


def read_ambito_json(raw: bytes, *, file: str) -> AmbitoPackage:
    """The package in ``raw`` (the member ``ambito.json`` of the file named ``file``)."""
    try:
        value = json_input.decode(raw)
    except json_input.JsonInputError as exc:
        raise UserFacingError("ambito.payload_unreadable", file=file, what=exc.what()) from None
    check_format(value, file=file)
    try:
        return _read(value)
    except FieldError as exc:
        raise UserFacingError("ambito.payload_invalid", file=file, field=exc.key) from None


def check_format(value: object, *, file: str) -> None:
    """``value`` (``ambito.json``, or the manifest's payload) says it is this version."""
    found = fields.format_of(value)
    if found == PACKAGE_FORMAT:
        return
    newer = fields.is_newer_format(found, PACKAGE_FORMAT)
    raise UserFacingError("ambito.format_newer" if newer else "ambito.format_unknown", file=file)


def _read(value: object) -> AmbitoPackage:
    data = shapes.exact(value, _TOP_KEYS)
    ambito_id, ambito_name = shapes.section(data, "ambito", _read_ambito)
    capofila = shapes.section(data, "capofila", _read_bundle)
    comuni = shapes.each(data, "comuni", _read_comune, low=1, high=_MAX_COMUNI)
    shapes.unique(comuni, "comuni", lambda c: c.code)
    avvisi = shapes.each(data, "avvisi", _read_avviso, high=_MAX_AVVISI)
    shapes.unique(avvisi, "avvisi", lambda a: a.file)
    shapes.unique(avvisi, "avvisi", lambda a: a.id)
    sequence = fields.integer(data, "sequence", low=1, high=_MAX_SEQUENCE)
    issued_at = fields.zoned_timestamp(data, "issued_at")
    rotation = None
    if data["rotation"] is not None:
        rotation = shapes.section(data, "rotation", _read_rotation)
    if capofila.ambito != ambito_id:
        raise FieldError("capofila.ambito", "la capofila è di un altro ambito")
    return AmbitoPackage(
        ambito=ambito_id,
        ambito_name=ambito_name,
        capofila=capofila,
        comuni=comuni,
        avvisi=avvisi,
        sequence=sequence,
        issued_at=issued_at,
        rotation=rotation,
    )


def _read_ambito(value: object) -> tuple[str, str]:
    data = shapes.exact(value, _AMBITO_KEYS)
    return fields.match(data, "id", fields.TOKEN), fields.printable(data, "name", _MAX_NAME)


def _read_bundle(value: object) -> PublicKeyBundle:
    data = shapes.exact(value, _BUNDLE_KEYS)
    if data["role"] != "capofila":
        raise FieldError("role", "deve essere «capofila»")
    return PublicKeyBundle(
        installation=fields.match(data, "installation", fields.TOKEN),
        role="capofila",
        ambito=fields.match(data, "ambito", fields.TOKEN),
        comuni=shapes.texts(data, "comuni", fields.BELFIORE, high=_MAX_COMUNI),
        signing_public=fields.base64_text(data, "signing_public", SIGNING_KEY_BYTES),
        age_recipient=fields.match(data, "age_recipient", fields.AGE_RECIPIENT),
    )


def _read_comune(value: object) -> PackageComune:
    data = shapes.exact(value, _COMUNE_KEYS)
    return PackageComune(
        code=fields.match(data, "code", fields.BELFIORE),
        name=fields.printable(data, "name", _MAX_NAME),
    )


def _read_avviso(value: object) -> PackageAvviso:
    data = shapes.exact(value, _AVVISO_KEYS)
    file = fields.match(data, "file", _AVVISO_FILE)
    if not is_member_name(f"avvisi/{file}"):
        raise FieldError("file", "nome di file non ammesso")
    return PackageAvviso(
        id=fields.match(data, "id", fields.AVVISO_ID),
        version=fields.match(data, "version", fields.AVVISO_VERSION),
        file=file,
        sha256=fields.match(data, "sha256", fields.SHA256_HEX),
    )


def _read_rotation(value: object) -> KeyRotation:
    data = shapes.exact(value, _ROTATION_KEYS)
    return KeyRotation(
        previous_signing_public=fields.base64_text(
            data, "previous_signing_public", SIGNING_KEY_BYTES
        ),
        signature=fields.base64_text(data, "signature", _SIGNATURE_BYTES),
    )
