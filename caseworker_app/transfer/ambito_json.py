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

import base64
import binascii
import json
import re
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from caseworker_app.domain.ambito_package import (
    PACKAGE_FORMAT,
    AmbitoPackage,
    KeyRotation,
    PackageAvviso,
    PackageComune,
)
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.installation_keys import SIGNING_KEY_BYTES, PublicKeyBundle
from caseworker_app.transfer import json_input
from caseworker_app.transfer.sealed_zip import is_member_name

T = TypeVar("T")

_FAMILY = "caseworker.ambito_package"
_VERSION = 1
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

_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:+-]{0,63}", re.ASCII)
_BELFIORE = re.compile(r"[A-Z][0-9]{3}", re.ASCII)
_AVVISO_ID = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*", re.ASCII)
_AVVISO_VERSION = re.compile(r"[1-9][0-9]{0,5}", re.ASCII)
_AVVISO_FILE = re.compile(r"[a-z0-9][a-z0-9.-]{0,150}\.toml", re.ASCII)
_AGE_RECIPIENT = re.compile(r"age1[02-9ac-hj-np-z]{58}", re.ASCII)
_HEX64 = re.compile(r"[0-9a-f]{64}", re.ASCII)
_ISSUED_AT = re.compile(
    r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?(?:Z|[+-]\d{2}:\d{2})", re.ASCII
)
_VERSION_TAIL = re.compile(r"[0-9]{1,6}", re.ASCII)


class _InvalidError(Exception):
    def __init__(self, field: str) -> None:
        super().__init__(field)
        self.field = field


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
    raw = json.dumps(
        value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False
    ).encode("utf-8")
    try:
        _read(json.loads(raw))
    except _InvalidError as exc:
        raise ValueError(
            f"ambito.json would not be read back: {exc.field or 'ambito.json'}"
        ) from None
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
    except _InvalidError as exc:
        raise UserFacingError("ambito.payload_invalid", file=file, field=exc.field) from None


def check_format(value: object, *, file: str) -> None:
    """``value`` (``ambito.json``, or the manifest's payload) says it is this version."""
    found = value.get("format") if isinstance(value, dict) else None
    if found == PACKAGE_FORMAT:
        return
    if isinstance(found, str) and found.startswith(_FAMILY + "/"):
        tail = found[len(_FAMILY) + 1 :]
        if _VERSION_TAIL.fullmatch(tail) and int(tail) > _VERSION:
            raise UserFacingError("ambito.format_newer", file=file)
    raise UserFacingError("ambito.format_unknown", file=file)


def _read(value: object) -> AmbitoPackage:
    data = _obj(value, "", _TOP_KEYS)
    ambito = _section(data, "ambito", lambda d: _obj(d, "", _AMBITO_KEYS))
    ambito_id = _match(ambito, "id", _TOKEN, where="ambito")
    ambito_name = _name(ambito, "name", where="ambito")
    capofila = _section(data, "capofila", _read_bundle)
    comuni = _list(data, "comuni", _MAX_COMUNI, _read_comune)
    if not comuni or len({c.code for c in comuni}) != len(comuni):
        raise _InvalidError("comuni")
    avvisi = _list(data, "avvisi", _MAX_AVVISI, _read_avviso)
    if len({a.file for a in avvisi}) != len(avvisi) or len({a.id for a in avvisi}) != len(avvisi):
        raise _InvalidError("avvisi")
    sequence = data.get("sequence")
    if type(sequence) is not int or not 1 <= sequence <= _MAX_SEQUENCE:
        raise _InvalidError("sequence")
    issued = _text(data, "issued_at")
    if not _ISSUED_AT.fullmatch(issued):
        raise _InvalidError("issued_at")
    try:
        issued_at = datetime.fromisoformat(issued)
    except ValueError:
        raise _InvalidError("issued_at") from None
    rotation = None
    if data["rotation"] is not None:
        rotation = _section(data, "rotation", _read_rotation)
    if capofila.ambito != ambito_id:
        raise _InvalidError("capofila.ambito")
    return AmbitoPackage(
        ambito=ambito_id,
        ambito_name=ambito_name,
        capofila=capofila,
        comuni=tuple(comuni),
        avvisi=tuple(avvisi),
        sequence=sequence,
        issued_at=issued_at,
        rotation=rotation,
    )


def _read_bundle(data: dict[str, Any]) -> PublicKeyBundle:
    _obj(data, "", _BUNDLE_KEYS)
    if data.get("role") != "capofila":
        raise _InvalidError("role")
    comuni = data.get("comuni")
    if type(comuni) is not list or len(comuni) > _MAX_COMUNI:
        raise _InvalidError("comuni")
    for index, code in enumerate(comuni):
        if type(code) is not str or not _BELFIORE.fullmatch(code):
            raise _InvalidError(f"comuni[{index}]")
    return PublicKeyBundle(
        installation=_match(data, "installation", _TOKEN),
        role="capofila",
        ambito=_match(data, "ambito", _TOKEN),
        comuni=tuple(comuni),
        signing_public=_base64(data, "signing_public", SIGNING_KEY_BYTES),
        age_recipient=_match(data, "age_recipient", _AGE_RECIPIENT),
    )


def _read_comune(data: dict[str, Any]) -> PackageComune:
    _obj(data, "", _COMUNE_KEYS)
    return PackageComune(code=_match(data, "code", _BELFIORE), name=_name(data, "name"))


def _read_avviso(data: dict[str, Any]) -> PackageAvviso:
    _obj(data, "", _AVVISO_KEYS)
    file = _match(data, "file", _AVVISO_FILE)
    if not is_member_name(f"avvisi/{file}"):
        raise _InvalidError("file")
    return PackageAvviso(
        id=_match(data, "id", _AVVISO_ID),
        version=_match(data, "version", _AVVISO_VERSION),
        file=file,
        sha256=_match(data, "sha256", _HEX64),
    )


def _read_rotation(data: dict[str, Any]) -> KeyRotation:
    _obj(data, "", _ROTATION_KEYS)
    return KeyRotation(
        previous_signing_public=_base64(data, "previous_signing_public", SIGNING_KEY_BYTES),
        signature=_base64(data, "signature", _SIGNATURE_BYTES),
    )


# -- small strict readers --------------------------------------------------------------------------


def _join(path: str, key: str) -> str:
    if not path or not key:
        return path or key
    return path + key if key.startswith("[") else f"{path}.{key}"


def _obj(value: object, where: str, allowed: frozenset[str]) -> dict[str, Any]:
    if type(value) is not dict:
        raise _InvalidError(where)
    unknown = sorted(k for k in value if k not in allowed)
    if unknown:
        raise _InvalidError(_join(where, unknown[0]))
    missing = sorted(allowed - value.keys())
    if missing:
        raise _InvalidError(_join(where, missing[0]))
    return value


def _section(data: dict[str, Any], key: str, read: Callable[[dict[str, Any]], T]) -> T:
    value = data.get(key)
    if type(value) is not dict:
        raise _InvalidError(key)
    try:
        return read(value)
    except _InvalidError as exc:
        raise _InvalidError(_join(key, exc.field)) from None


def _list(
    data: dict[str, Any], key: str, limit: int, read: Callable[[dict[str, Any]], T]
) -> list[T]:
    items = data.get(key)
    if type(items) is not list or len(items) > limit:
        raise _InvalidError(key)
    return [_section({f"{key}[{i}]": item}, f"{key}[{i}]", read) for i, item in enumerate(items)]


def _text(data: dict[str, Any], key: str, *, where: str = "") -> str:
    value = data.get(key)
    if type(value) is not str or not value:
        raise _InvalidError(_join(where, key))
    return value


def _match(data: dict[str, Any], key: str, shape: re.Pattern[str], *, where: str = "") -> str:
    value = _text(data, key, where=where)
    if not shape.fullmatch(value):
        raise _InvalidError(_join(where, key))
    return value


def _name(data: dict[str, Any], key: str, *, where: str = "") -> str:
    """A name for people (a comune's, the ambito's): printable, at most 200 characters."""
    value = _text(data, key, where=where)
    if len(value) > _MAX_NAME or not value.isprintable() or value != value.strip():
        raise _InvalidError(_join(where, key))
    return value


def _base64(data: dict[str, Any], key: str, size: int) -> str:
    """Standard base64 (with padding) of exactly ``size`` bytes, in its one canonical spelling."""
    text = _text(data, key)
    try:
        raw = base64.b64decode(text.encode("ascii"), validate=True)
    except (UnicodeEncodeError, binascii.Error, ValueError):
        raise _InvalidError(key) from None
    if len(raw) != size or base64.b64encode(raw).decode("ascii") != text:
        raise _InvalidError(key)
    return text
