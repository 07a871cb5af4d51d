"""A new edition of an avviso, written from an existing definition file (issue 13: "Nuova
edizione da…", seed 003 §11: the capofila prepares the avviso).

The capofila never writes TOML: it picks a definition in force and changes what changes between
editions (:class:`EditionChanges`); :func:`write_edition` edits the file's bytes with tomlkit,
which keeps its comments (the citations and the ``Decision:`` notes) and its layout, gives it the
new id and version, and reads the result with **the loader of** ``forms/`` (``parse_avviso``): a
value the loader refuses becomes :class:`EditionFieldError`, an Italian message naming the field
of the form (``field``: :data:`FIELDS` ids, e.g. ``budget:graduatoria``).

Where each change goes (forms/avvisi/README.md):

=====================  =====================================================================
field                  TOML path
=====================  =====================================================================
``title``              ``title``; ``legal_basis``: ``legal_basis``
``ambito``             ``ambito`` (a template: ``"*"`` until an ambito adopts it)
``allocation``         ``allocation``
``submission.opens``   ``[[requirements]]`` of kind ``submission``: ``opens`` / ``closes``
``isee.deadline``      ``[[requirements]]`` of kind ``isee``: ``deadline``
``isee_max:<age>``     its ``groups[<age group>].maximum``
``transmission_until`` ``transmission_until``
``window.start``       ``[window]`` ``start`` / ``end`` / ``policy`` (created for a template)
``total_cap``          ``total_cap``
``budget:<ranking>``   ``[[rankings]]`` with that ``id``: ``budget``
``classes:<ranking>``  its ``[[rankings.classes]]`` (priority, label, in_place_any)
``order:<ranking>``    its ``[[rankings.order]]`` (key, descending, missing, cite)
``amount:<code>``      ``[[interventions]]`` with that ``code``: ``amount`` (``max_days``)
``documents``          ``[[requirements]]`` of kind ``documents``: ``required``
``incompatible``       ``[[requirements]]`` of kind ``incompatible``: ``measures``
=====================  =====================================================================

A requirement the source lacks (a sportello without a submission term, no incompatibilities)
is added when its field is set. A template (``template = true``) is completed the same way: the
edition is written with ``template = false``; while parameters are still missing it stays a
template, and :attr:`WrittenEdition.missing` says the first one (the service refuses to release
it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

import tomlkit
from tomlkit.items import AoT, Table

from caseworker_app.definitions.ambiti import Ambito
from caseworker_app.definitions.avvisi import file_name, parse_avviso
from caseworker_app.domain.errors import UserFacingError
from caseworker_app.domain.rules.avviso import Avviso
from caseworker_app.domain.rules.money import to_json as format_money
from caseworker_app.messages.editions import field_label

#: the first line of an edition's file (then the source it was written from)
MARKER = "# Edition written at the capofila (caseworker, «Nuova edizione da…») from "


@dataclass(frozen=True)
class ClassSpec:
    """A priority class of a graduatoria (``[[rankings.classes]]``)."""

    priority: int
    label: str
    in_place_any: tuple[str, ...] = ()


@dataclass(frozen=True)
class OrderSpec:
    """An ordering key of a graduatoria (``[[rankings.order]]``)."""

    key: str
    descending: bool = False
    missing: str = "last"
    cite: str = ""


@dataclass(frozen=True)
class EditionChanges:
    """What changes between editions; ``None`` (or absent from a mapping): as in the source."""

    title: str | None = None
    legal_basis: tuple[str, ...] | None = None
    ambito: str | None = None
    allocation: str | None = None
    submission_opens: date | None = None
    submission_closes: date | None = None
    isee_deadline: date | None = None
    transmission_until: date | None = None
    window_start: date | None = None
    window_end: date | None = None
    window_policy: str | None = None
    total_cap: Decimal | None = None
    budgets: Mapping[str, Decimal] = field(default_factory=dict)  # ranking id -> budget
    isee_maxima: Mapping[str, Decimal] = field(default_factory=dict)  # age group -> maximum
    amounts: Mapping[str, Decimal] = field(default_factory=dict)  # intervention code -> amount
    max_days: Mapping[str, int] = field(default_factory=dict)  # intervention code (per_day)
    classes: Mapping[str, tuple[ClassSpec, ...]] = field(default_factory=dict)  # ranking id
    order: Mapping[str, tuple[OrderSpec, ...]] = field(default_factory=dict)  # ranking id
    documents_required: tuple[str, ...] | None = None
    incompatible_measures: tuple[str, ...] | None = None


@dataclass(frozen=True)
class WrittenEdition:
    name: str  # the file name for its id and version
    data: bytes  # the definition file, lines ending in LF
    avviso: Avviso  # as the loader read it
    #: a template not yet complete: the first parameter still missing (field id, message)
    missing: tuple[str, str] | None = None


class EditionFieldError(UserFacingError):
    """The loader refused the edition: ``field`` is the form's field (an id of the changes,
    or ``""`` when the problem is elsewhere in the file), ``key`` the TOML path."""

    def __init__(self, *, field: str, key: str, what: str) -> None:
        super().__init__(
            "editions.field_invalid" if field else "editions.file_invalid",
            field=field_label(field) if field else "",
            key=key,
            what=what,
        )
        self.field = field
        self.key = key
        self.what = what


# -- writing -------------------------------------------------------------------------------------


def write_edition(
    source: bytes,
    *,
    based_on: str,
    new_id: str,
    new_version: str,
    changes: EditionChanges,
    ambiti: Mapping[str, Ambito] | None = None,
) -> WrittenEdition:
    """The edition ``new_id``/``new_version`` of the definition file ``source`` (its bytes),
    with ``changes``; ``based_on``: "<id>@<version>" of the source, written in the file's first
    line. :class:`EditionFieldError` when the loader refuses it."""
    doc = tomlkit.parse(_without_marker(source.decode("utf-8")))
    was_template = bool(doc.get("template", False))
    paths: dict[str, str] = {"id": "id", "version": "version"}
    doc["id"], doc["version"] = new_id, new_version
    _apply(doc, changes, paths)
    name = file_name(new_id, new_version) if _plain(new_id, new_version) else "edizione.toml"
    if was_template:
        doc["template"] = False
    try:
        data = _bytes(doc, based_on)
        return WrittenEdition(name, data, _load(data, name, paths, ambiti))
    except EditionFieldError as complete_error:
        if not was_template:
            raise
        doc["template"] = True  # still a model: what is set so far must hold
        data = _bytes(doc, based_on)
        avviso = _load(data, name, paths, ambiti)
        missing = (complete_error.field, complete_error.what)
        return WrittenEdition(name, data, avviso, missing)


def _plain(new_id: str, new_version: str) -> bool:
    return new_id.replace("-", "").isalnum() and new_version.isdigit()


def _bytes(doc: tomlkit.TOMLDocument, based_on: str) -> bytes:
    text = f"{MARKER}{based_on}.\n" + tomlkit.dumps(doc)
    return text.replace("\r\n", "\n").encode("utf-8")


def _without_marker(text: str) -> str:
    if text.startswith(MARKER):
        return text.split("\n", 1)[1] if "\n" in text else ""
    return text


def _load(
    data: bytes, name: str, paths: Mapping[str, str], ambiti: Mapping[str, Ambito] | None
) -> Avviso:
    try:
        return parse_avviso(data, file=name, ambiti=ambiti)
    except UserFacingError as exc:
        if exc.code != "definitions.invalid":
            raise
        key, what = str(exc.params.get("key", "")), str(exc.params.get("what", ""))
        raise EditionFieldError(field=field_of(key, paths), key=key, what=what) from None


def field_of(key: str, paths: Mapping[str, str]) -> str:
    """The field whose TOML path is ``key`` or contains it (the longest such path)."""
    best = ""
    for name, path in paths.items():
        inside = key == path or key.startswith(path + ".") or key.startswith(path + "[")
        if inside and len(path) > len(paths.get(best, "")):
            best = name
    return best


# -- applying the changes ------------------------------------------------------------------------

_TOP_ORDER = (
    "format", "id", "version", "title", "measure", "template", "ambito", "comuni", "legal_basis",
    "allocation", "transmission_until", "total_cap", "total_cap_cite",
)  # fmt: skip
_NEW_REQUIREMENTS = {
    "submission": ("termine_presentazione", "avviso, termini di presentazione"),
    "documents": ("documenti", "avviso, documenti richiesti"),
    "incompatible": ("incompatibilita", "avviso, incompatibilità"),
}


def _apply(doc: tomlkit.TOMLDocument, c: EditionChanges, paths: dict[str, str]) -> None:
    top: list[tuple[str, str, object]] = [
        ("title", "title", c.title),
        ("legal_basis", "legal_basis", list(c.legal_basis) if c.legal_basis else None),
        ("ambito", "ambito", c.ambito),
        ("allocation", "allocation", c.allocation),
        ("transmission_until", "transmission_until", c.transmission_until),
        ("total_cap", "total_cap", _money(c.total_cap)),
    ]
    for name, key, value in top:
        paths[name] = key
        if value is not None:
            _put(doc, key, value, _TOP_ORDER)
    _requirement_changes(doc, c, paths)
    _window(doc, c, paths)
    _interventions(doc, c, paths)
    _rankings(doc, c, paths)


def _put(table: Any, key: str, value: object, order: tuple[str, ...]) -> None:
    """Set ``key``; a new key goes after the last key that precedes it in ``order`` (so that
    a top-level key stays before the first table and a new amount after its cap)."""
    if key in table:
        table[key] = value
        return
    before = order[: order.index(key)] if key in order else order
    anchor = next((k for k in reversed(before) if k in table), None)
    container = table if isinstance(table, tomlkit.TOMLDocument) else table.value
    if anchor is None:
        table[key] = value
    else:
        container._insert_after(anchor, key, value)


def _money(value: Decimal | None) -> str | None:
    return None if value is None else format_money(value)


def _aot(doc: Any, name: str) -> AoT | None:
    found = doc.get(name)
    return found if isinstance(found, AoT) else None


def _requirement(doc: Any, kind: str, create: bool) -> tuple[int, Table] | None:
    items = _aot(doc, "requirements")
    for index, item in enumerate(items or []):
        if item.get("kind") == kind:
            return index, item
    if not create or kind not in _NEW_REQUIREMENTS:
        return None
    code, cite = _NEW_REQUIREMENTS[kind]
    table = tomlkit.table()
    table.update({"kind": kind, "code": code, "cite": cite})
    if items is None:
        items = tomlkit.aot()
        doc["requirements"] = items
    items.append(table)
    return len(items) - 1, table


def _requirement_changes(doc: Any, c: EditionChanges, paths: dict[str, str]) -> None:
    wanted: list[tuple[str, str, str, object]] = [
        ("submission.opens", "submission", "opens", c.submission_opens),
        ("submission.closes", "submission", "closes", c.submission_closes),
        ("isee.deadline", "isee", "deadline", c.isee_deadline),
        ("documents", "documents", "required", _list(c.documents_required)),
        ("incompatible", "incompatible", "measures", _list(c.incompatible_measures)),
    ]
    for name, kind, key, value in wanted:
        found = _requirement(doc, kind, create=value is not None)
        if found is None:
            continue
        index, table = found
        paths[name] = f"requirements[{index}].{key}"
        if value is not None:
            _put(table, key, value, ("kind", "code", "cite", "field", "label"))
    isee = _requirement(doc, "isee", create=False)
    if isee is None:
        return
    index, table = isee
    groups = table.get("groups", [])
    for g, group in enumerate(groups):
        age = str(group.get("age", ""))
        paths[f"isee_max:{age}"] = f"requirements[{index}].groups[{g}].maximum"
        if age in c.isee_maxima:
            group["maximum"] = format_money(c.isee_maxima[age])


def _list(values: tuple[str, ...] | None) -> list[str] | None:
    return None if values is None else list(values)


def _window(doc: Any, c: EditionChanges, paths: dict[str, str]) -> None:
    for name in ("start", "end", "policy"):
        paths[f"window.{name}"] = f"window.{name}"
    changes = {"start": c.window_start, "end": c.window_end, "policy": c.window_policy}
    if all(v is None for v in changes.values()):
        return
    window = doc.get("window")
    if window is None:
        window = tomlkit.table()
        window.update({"policy": "cut", "cite": "avviso, periodo degli interventi"})
        doc["window"] = window
    for key, value in changes.items():
        if value is not None:
            _put(window, key, value, ("start", "end", "policy", "cite"))


def _interventions(doc: Any, c: EditionChanges, paths: dict[str, str]) -> None:
    for index, item in enumerate(_aot(doc, "interventions") or []):
        code = str(item.get("code", ""))
        paths[f"amount:{code}"] = f"interventions[{index}].amount"
        paths[f"max_days:{code}"] = f"interventions[{index}].max_days"
        order = ("code", "label", "cap", "cite", "amount", "max_days")
        if code in c.amounts:
            _put(item, "amount", format_money(c.amounts[code]), order)
        if code in c.max_days:
            _put(item, "max_days", c.max_days[code], order)


def _rankings(doc: Any, c: EditionChanges, paths: dict[str, str]) -> None:
    for index, item in enumerate(_aot(doc, "rankings") or []):
        rid = str(item.get("id", ""))
        base = f"rankings[{index}]"
        paths[f"budget:{rid}"] = f"{base}.budget"
        paths[f"classes:{rid}"] = f"{base}.classes"
        paths[f"order:{rid}"] = f"{base}.order"
        if rid in c.budgets:
            _put(item, "budget", format_money(c.budgets[rid]), ("id", "label", "budget"))
        if rid in c.classes:
            _replace_tables(item, "classes", [_class_table(s) for s in c.classes[rid]])
        if rid in c.order:
            _replace_tables(item, "order", [_order_table(s) for s in c.order[rid]])


def _replace_tables(parent: Table, name: str, tables: list[dict[str, object]]) -> None:
    """Rewrite ``parent.<name>`` in place: the existing tables keep their place and comments,
    extra ones are added, those left over removed."""
    current = parent.get(name)
    if not isinstance(current, AoT):
        current = tomlkit.aot()
        parent[name] = current
    for i, values in enumerate(tables):
        if i < len(current):
            table = current[i]
            for key in [k for k in table if k not in values]:
                del table[key]
            for key, value in values.items():
                table[key] = value
        else:
            table = tomlkit.table()
            table.update(values)
            current.append(table)
    while len(current) > len(tables):
        del current[len(current) - 1]
    if not tables:
        del parent[name]


def _class_table(spec: ClassSpec) -> dict[str, object]:
    values: dict[str, object] = {"priority": spec.priority, "label": spec.label}
    if spec.in_place_any:
        values["in_place_any"] = list(spec.in_place_any)
    return values


def _order_table(spec: OrderSpec) -> dict[str, object]:
    values: dict[str, object] = {"key": spec.key}
    if spec.descending:
        values["descending"] = True
    values["missing"] = spec.missing
    if spec.cite:
        values["cite"] = spec.cite
    return values
