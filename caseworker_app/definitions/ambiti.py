"""Load and validate the ambito definitions (forms/ambiti/*.toml)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from caseworker_app.definitions.locate import forms_dir
from caseworker_app.domain.errors import UserFacingError

AMBITO_FORMAT = "caseworker.ambito/1"


@dataclass(frozen=True)
class MemberComune:
    code: str
    name: str
    valid_from: date | None
    valid_to: date | None


@dataclass(frozen=True)
class Ambito:
    id: str
    version: str
    name: str
    capofila: str
    comuni: tuple[MemberComune, ...]
    avvisi: tuple[str, ...]

    def comune(self, code: str) -> MemberComune | None:
        return next((c for c in self.comuni if c.code == code), None)


def _fail(path: Path, key: str, what: str) -> UserFacingError:
    return UserFacingError("definitions.invalid", file=path.name, key=key, what=what)


def _date(path: Path, key: str, raw: object) -> date | None:
    if raw is None:
        return None
    if isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(str(raw))
    except ValueError as exc:
        raise _fail(path, key, "data non valida (AAAA-MM-GG)") from exc


def load_ambito(path: Path) -> Ambito:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise _fail(path, "", f"file illeggibile: {exc}") from exc
    if data.get("format") != AMBITO_FORMAT:
        raise _fail(path, "format", f"atteso {AMBITO_FORMAT}")
    for key in ("id", "version", "name", "capofila"):
        if not isinstance(data.get(key), str) or not data[key]:
            raise _fail(path, key, "manca o non è un testo")
    members: list[MemberComune] = []
    raw_comuni = data.get("comuni")
    if not isinstance(raw_comuni, list) or not raw_comuni:
        raise _fail(path, "comuni", "manca l'elenco dei comuni")
    for i, item in enumerate(raw_comuni):
        key = f"comuni[{i}]"
        if not isinstance(item, dict) or not isinstance(item.get("code"), str):
            raise _fail(path, key, "ogni comune deve avere un codice")
        code = item["code"]
        if len(code) != 4 or not code[0].isalpha() or not code[1:].isdigit():
            raise _fail(path, f"{key}.code", f"codice catastale '{code}' non valido")
        members.append(
            MemberComune(
                code,
                str(item.get("name", "")),
                _date(path, f"{key}.valid_from", item.get("valid_from")),
                _date(path, f"{key}.valid_to", item.get("valid_to")),
            )
        )
    codes = [m.code for m in members]
    if len(set(codes)) != len(codes):
        raise _fail(path, "comuni", "codice ripetuto")
    if data["capofila"] not in codes:
        raise _fail(path, "capofila", "il capofila deve essere tra i comuni dell'ambito")
    avvisi = data.get("avvisi", [])
    if not isinstance(avvisi, list) or not all(isinstance(a, str) for a in avvisi):
        raise _fail(path, "avvisi", "deve essere un elenco di codici")
    return Ambito(
        data["id"], data["version"], data["name"], data["capofila"], tuple(members), tuple(avvisi)
    )


@cache
def load_ambiti(folder: Path | None = None) -> dict[str, Ambito]:
    root = (folder or forms_dir()) / "ambiti"
    found: dict[str, Ambito] = {}
    for path in sorted(root.glob("*.toml")):
        ambito = load_ambito(path)
        found[ambito.id] = ambito
    return found


def get_ambito(ambito_id: str) -> Ambito:
    ambito = load_ambiti().get(ambito_id)
    if ambito is None:
        raise UserFacingError("definitions.unknown_ambito", ambito=ambito_id)
    return ambito
