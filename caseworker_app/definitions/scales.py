"""Load and validate the assessment scale definitions (forms/scales/<id>/<version>.toml).

The files are data (style rule 13): this module checks their shape and their consistency and builds
the frozen objects of ``caseworker_app.domain.scales``; nothing in a file is ever evaluated. Every
problem raises ``UserFacingError("definitions.invalid", file=..., key=..., what=...)`` naming the
file (``<id>/<version>.toml``), the key path (``items[2].options[0].value``, indexes from 0) and
what is wrong, in Italian.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from typing import Any, NoReturn, TypeVar

from caseworker_app.definitions.locate import forms_dir
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.person import Sex
from caseworker_app.domain.scales import (
    AUTONOMOUS,
    DEPENDENT,
    Band,
    Hierarchy,
    KatzClass,
    ScaleDefinition,
    ScaleItem,
    ScaleOption,
    SinaLevel,
    ValueKind,
    Variant,
)

SCALE_FORMAT = "caseworker.scale/1"

_TOP_KEYS = {
    "format",
    "id",
    "version",
    "title",
    "values",
    "alternative",
    "not_applicable_label",
    "default_variant",
    "items",
    "variants",
    "hierarchy",
    "bands",
    "sina_levels",
}
_SCALE_ID = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
_ITEM_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_VERSION = re.compile(r"^[1-9][0-9]*$")
T = TypeVar("T")


class _File:
    """The file being read: builds errors naming it."""

    def __init__(self, path: Path) -> None:
        self.label = f"{path.parent.name}/{path.name}"

    def fail(self, key: str, what: str) -> NoReturn:
        raise UserFacingError("definitions.invalid", file=self.label, key=key, what=what)

    def table(
        self, raw: object, key: str, allowed: set[str], required: Sequence[str] = ()
    ) -> dict[str, Any]:
        if not isinstance(raw, dict):
            self.fail(key, "deve essere una tabella")
        unknown = sorted(set(raw) - allowed)
        if unknown:
            where = f"{key}.{unknown[0]}" if key else unknown[0]
            self.fail(where, f"chiave sconosciuta (ammesse: {', '.join(sorted(allowed))})")
        for name in required:
            if name not in raw:
                self.fail(f"{key}.{name}" if key else name, "manca")
        return raw

    def text(self, raw: object, key: str) -> str:
        if not isinstance(raw, str) or not raw.strip():
            self.fail(key, "manca o non è un testo")
        return raw

    def integer(self, raw: object, key: str, *, minimum: int = 0) -> int:
        if type(raw) is not int or raw < minimum:
            self.fail(key, f"deve essere un numero intero, almeno {minimum}")
        return raw

    def array(self, raw: object, key: str) -> list[Any]:
        if not isinstance(raw, list) or not raw:
            self.fail(key, "deve essere un elenco non vuoto")
        return raw

    def ids(self, raw: object, key: str, known: Sequence[str]) -> tuple[str, ...]:
        values = self.array(raw, key)
        for i, value in enumerate(values):
            if value not in known:
                self.fail(f"{key}[{i}]", f"item «{value}» inesistente in questa scala")
        if len(set(values)) != len(values):
            self.fail(key, "item ripetuto")
        return tuple(values)

    def unique(self, values: Sequence[T], key: str, what: str) -> None:
        seen: set[T] = set()
        for i, value in enumerate(values):
            if value in seen:
                self.fail(f"{key}[{i}]", f"{what} «{value}» ripetuto")
            seen.add(value)


def _option(f: _File, raw: object, key: str, number: int, kind: ValueKind) -> ScaleOption:
    data = f.table(raw, key, {"n", "value", "text"}, ("n", "value", "text"))
    if data["n"] != number or type(data["n"]) is not int:
        f.fail(f"{key}.n", f"atteso {number}: le opzioni si numerano da 1 in ordine, senza salti")
    value = data["value"]
    if kind is ValueKind.AUTONOMY and value not in (AUTONOMOUS, DEPENDENT):
        f.fail(f"{key}.value", f'per values = "autonomy" vale "{AUTONOMOUS}" o "{DEPENDENT}"')
    if kind is ValueKind.POINTS and (type(value) is not int or value < 0):
        f.fail(f"{key}.value", 'per values = "points" serve un numero intero di punti, almeno 0')
    return ScaleOption(number, f.text(data["text"], f"{key}.text"), value)


def _item(f: _File, raw: object, key: str, kind: ValueKind) -> ScaleItem:
    data = f.table(raw, key, {"id", "text", "not_applicable", "options"}, ("id", "text", "options"))
    item_id = f.text(data["id"], f"{key}.id")
    if not _ITEM_ID.match(item_id):
        f.fail(f"{key}.id", "usa solo lettere minuscole, cifre e _ (inizia con una lettera)")
    not_applicable = data.get("not_applicable", False)
    if not isinstance(not_applicable, bool):
        f.fail(f"{key}.not_applicable", "deve essere true o false")
    raw_options = f.array(data["options"], f"{key}.options")
    options = tuple(
        _option(f, o, f"{key}.options[{i}]", i + 1, kind) for i, o in enumerate(raw_options)
    )
    if len({o.credit for o in options}) < 2:
        f.fail(f"{key}.options", "servono almeno due opzioni con valore diverso")
    return ScaleItem(item_id, f.text(data["text"], f"{key}.text"), options, not_applicable)


def _variant(f: _File, raw: object, key: str, item_ids: Sequence[str]) -> Variant:
    data = f.table(raw, key, {"id", "title", "items", "items_by_sex"}, ("id", "title"))
    variant_id = f.text(data["id"], f"{key}.id")
    title = f.text(data["title"], f"{key}.title")
    if "items" in data and "items_by_sex" in data:
        f.fail(key, "indica items oppure items_by_sex, non entrambi")
    if "items_by_sex" in data:
        by_sex = f.table(data["items_by_sex"], f"{key}.items_by_sex", {"M", "F"}, ("M", "F"))
        pairs = tuple(
            (sex, f.ids(by_sex[sex.value], f"{key}.items_by_sex.{sex.value}", item_ids))
            for sex in (Sex.M, Sex.F)
        )
        return Variant(variant_id, title, None, pairs)
    if "items" in data:
        return Variant(variant_id, title, f.ids(data["items"], f"{key}.items", item_ids))
    return Variant(variant_id, title)


def _hierarchy(f: _File, raw: object, item_ids: Sequence[str]) -> Hierarchy:
    data = f.table(raw, "hierarchy", {"otherwise", "classes"}, ("otherwise", "classes"))
    otherwise = f.text(data["otherwise"], "hierarchy.otherwise")
    classes: list[KatzClass] = []
    for i, entry in enumerate(f.array(data["classes"], "hierarchy.classes")):
        key = f"hierarchy.classes[{i}]"
        c = f.table(entry, key, {"code", "lost", "lost_includes"}, ("code", "lost"))
        lost = f.integer(c["lost"], f"{key}.lost")
        if lost > len(item_ids):
            f.fail(f"{key}.lost", f"la scala ha solo {len(item_ids)} item")
        includes = (
            f.ids(c["lost_includes"], f"{key}.lost_includes", item_ids)
            if "lost_includes" in c
            else ()
        )
        if len(includes) > lost:
            f.fail(f"{key}.lost_includes", f"elenca più di {lost} funzioni perse")
        classes.append(KatzClass(f.text(c["code"], f"{key}.code"), lost, frozenset(includes)))
    f.unique([c.code for c in classes], "hierarchy.classes", "codice di classe")
    if otherwise in {c.code for c in classes}:
        f.fail("hierarchy.otherwise", f"«{otherwise}» è già il codice di una classe")
    f.unique([c.lost for c in classes], "hierarchy.classes", "numero di funzioni perse")
    return Hierarchy(tuple(classes), otherwise)


def _check_ranges(f: _File, key: str, ranges: Sequence[tuple[int, int]], top: int) -> None:
    """Ranges (low, high), both ends included, must cover 0..top without gaps or overlaps."""
    expected = 0
    for i, (low, high) in sorted(enumerate(ranges), key=lambda pair: pair[1]):
        if high < low:
            f.fail(f"{key}[{i}]", f"l'estremo superiore {high} è minore di quello inferiore {low}")
        if low < expected:
            f.fail(f"{key}[{i}]", f"si sovrappone all'intervallo precedente (da {low})")
        if low > expected:
            f.fail(f"{key}[{i}]", f"i valori da {expected} a {low - 1} non sono coperti")
        expected = high + 1
    if expected != top + 1:
        f.fail(key, f"gli intervalli devono arrivare esattamente a {top}, non a {expected - 1}")


def _bands(f: _File, raw: object, top: int) -> tuple[Band, ...]:
    bands: list[Band] = []
    for i, entry in enumerate(f.array(raw, "bands")):
        key = f"bands[{i}]"
        b = f.table(entry, key, {"code", "label", "low", "high"}, ("code", "label", "low", "high"))
        bands.append(
            Band(
                f.text(b["code"], f"{key}.code"),
                f.text(b["label"], f"{key}.label"),
                f.integer(b["low"], f"{key}.low"),
                f.integer(b["high"], f"{key}.high"),
            )
        )
    f.unique([b.code for b in bands], "bands", "codice di fascia")
    _check_ranges(f, "bands", [(b.low, b.high) for b in bands], top)
    return tuple(bands)


def _sina_levels(f: _File, raw: object, top: int) -> tuple[SinaLevel, ...]:
    levels: list[SinaLevel] = []
    for i, entry in enumerate(f.array(raw, "sina_levels")):
        key = f"sina_levels[{i}]"
        required = ("level", "label", "lost_from", "lost_to")
        s = f.table(entry, key, set(required), required)
        levels.append(
            SinaLevel(
                f.integer(s["level"], f"{key}.level", minimum=1),
                f.text(s["label"], f"{key}.label"),
                f.integer(s["lost_from"], f"{key}.lost_from"),
                f.integer(s["lost_to"], f"{key}.lost_to"),
            )
        )
    f.unique([s.level for s in levels], "sina_levels", "livello")
    _check_ranges(f, "sina_levels", [(s.lost_from, s.lost_to) for s in levels], top)
    return tuple(levels)


def _read(path: Path, f: _File) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        f.fail("", f"file illeggibile: {exc}")


def _optional(data: dict[str, Any], key: str, build: Callable[[object], T], empty: T) -> T:
    return build(data[key]) if key in data else empty


def load_scale(path: Path) -> ScaleDefinition:
    """Read and validate one definition file; its name must be ``<version>.toml``."""
    f = _File(path)
    data = f.table(_read(path, f), "", _TOP_KEYS, ("format", "id", "version", "title", "values"))
    if data["format"] != SCALE_FORMAT:
        f.fail("format", f"atteso «{SCALE_FORMAT}»")
    scale_id = f.text(data["id"], "id")
    if not _SCALE_ID.match(scale_id):
        f.fail("id", "usa solo lettere minuscole, cifre e trattini")
    version = f.text(data["version"], "version")
    if not _VERSION.match(version):
        f.fail("version", 'serve un numero intero positivo scritto come testo, per esempio "1"')
    if path.stem != version:
        f.fail("version", f"il file della versione {version} deve chiamarsi {version}.toml")
    try:
        kind = ValueKind(data["values"])
    except ValueError:
        kind_names = ", ".join(f'"{k.value}"' for k in ValueKind)
        f.fail("values", f"tipo di valore sconosciuto: ammessi {kind_names}")
    alternative = data.get("alternative", False)
    if not isinstance(alternative, bool):
        f.fail("alternative", "deve essere true o false")

    raw_items = f.array(data.get("items"), "items")
    items = tuple(_item(f, raw, f"items[{i}]", kind) for i, raw in enumerate(raw_items))
    item_ids = [i.id for i in items]
    f.unique(item_ids, "items", "id di item")
    na_label = ""
    if any(i.accepts_not_applicable for i in items):
        na_label = f.text(data.get("not_applicable_label"), "not_applicable_label")
    elif "not_applicable_label" in data:
        f.fail("not_applicable_label", "nessun item accetta «non applicabile»")

    raw_variants: list[Any] = f.array(data["variants"], "variants") if "variants" in data else []
    variants = tuple(
        _variant(f, raw, f"variants[{i}]", item_ids) for i, raw in enumerate(raw_variants)
    )
    f.unique([v.id for v in variants], "variants", "id di variante")
    default_variant = data.get("default_variant")
    if variants and default_variant not in {v.id for v in variants}:
        f.fail("default_variant", "deve indicare una delle varianti definite in [[variants]]")
    if not variants and default_variant is not None:
        f.fail("default_variant", "la scala non ha varianti")

    fixed = not variants and not na_label
    for key in ("hierarchy", "bands", "sina_levels"):
        if key in data and not fixed:
            f.fail(
                key,
                "richiede che tutti gli item siano sempre valutati: "
                "niente varianti né item «non applicabile»",
            )
    if "hierarchy" in data and kind is not ValueKind.AUTONOMY:
        f.fail("hierarchy", 'la gerarchia di classi richiede values = "autonomy"')
    if "bands" in data and kind is not ValueKind.POINTS:
        f.fail("bands", 'le fasce di punteggio richiedono values = "points"')
    top = sum(i.max_credit for i in items)
    return ScaleDefinition(
        id=scale_id,
        version=version,
        title=f.text(data["title"], "title"),
        values=kind,
        items=items,
        not_applicable_label=na_label,
        variants=variants,
        default_variant=default_variant if variants else None,
        hierarchy=_optional(data, "hierarchy", lambda r: _hierarchy(f, r, item_ids), None),
        bands=_optional(data, "bands", lambda r: _bands(f, r, top), ()),
        sina_levels=_optional(data, "sina_levels", lambda r: _sina_levels(f, r, top), ()),
        alternative=alternative,
    )


@cache
def load_scales(folder: Path | None = None) -> dict[tuple[str, str], ScaleDefinition]:
    """Every definition under ``<folder or forms>/scales/<id>/<version>.toml``, by (id, version)."""
    root = (folder or forms_dir()) / "scales"
    found: dict[tuple[str, str], ScaleDefinition] = {}
    paths: dict[str, Path] = {}
    for path in sorted(root.glob("*/*.toml")):
        definition = load_scale(path)
        if definition.id != path.parent.name:
            _File(path).fail("id", f"il file sta nella cartella «{path.parent.name}»")
        found[(definition.id, definition.version)] = definition
        paths[definition.id] = path
    for scale_id, path in paths.items():
        if all(d.alternative for (i, _), d in found.items() if i == scale_id):
            _File(path).fail(
                "alternative", "serve almeno una versione non alternativa (la predefinita)"
            )
    return found


def get_scale(
    scale_id: str, version: str | None = None, *, folder: Path | None = None
) -> ScaleDefinition:
    """The named version, or the default one (:func:`latest_scale`) when ``version`` is None."""
    if version is None:
        return latest_scale(scale_id, folder=folder)
    definition = load_scales(folder).get((scale_id, version))
    if definition is None:
        latest_scale(scale_id, folder=folder)  # an unknown scale is reported as such
        versions = ", ".join(sorted((v for i, v in load_scales(folder) if i == scale_id), key=int))
        raise UserFacingError(
            "definitions.unknown_scale_version", scale=scale_id, version=version, versions=versions
        )
    return definition


def latest_scale(scale_id: str, *, folder: Path | None = None) -> ScaleDefinition:
    """The newest version of a scale that is not an ``alternative`` (those are used only when
    named: e.g. the Italian protocol scoring of IADL, version 2, next to the original, version 1).
    """
    candidates = [
        d for (i, _), d in load_scales(folder).items() if i == scale_id and not d.alternative
    ]
    if not candidates:
        known = ", ".join(sorted({i for i, _ in load_scales(folder)}))
        raise UserFacingError("definitions.unknown_scale", scale=scale_id, scales=known)
    return max(candidates, key=lambda d: int(d.version))
