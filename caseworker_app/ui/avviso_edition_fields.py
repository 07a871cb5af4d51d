"""The fields of "Nuova edizione da…" as plain data: what the form shows of an avviso, and the
:class:`EditionChanges` its texts make (no Qt here: the dialog renders them).

Each field keeps the text it started from: only the fields the user changed become changes, so
that the new file differs from its source only where the Ufficio di Piano changed it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from caseworker_app.definitions.avviso_edition import ClassSpec, EditionChanges, OrderSpec
from caseworker_app.domain import values
from caseworker_app.domain.rules.avviso import (
    Allocation,
    Avviso,
    CapKind,
    DocumentsReq,
    IncompatibleReq,
    IseeReq,
    OrderKey,
    SubmissionReq,
)
from caseworker_app.messages import render
from caseworker_app.messages.editions import field_label

DATE, MONEY, INTEGER, TEXT, CODES, CLASSES, ORDER, CHOICE = (
    "date", "money", "integer", "text", "codes", "classes", "order", "choice",
)  # fmt: skip


@dataclass(frozen=True)
class EditField:
    key: str  # the edition's field id (definitions/avviso_edition.py)
    kind: str
    initial: str  # the text it starts from
    group: str  # the section of the form
    choices: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return field_label(self.key)


def _day(day: date | None) -> str:
    return values.format_day(day) if day else ""


def _euro(amount: Decimal | None) -> str:
    return values.format_amount(amount) if amount is not None else ""


def _order_text(keys: tuple[OrderKey, ...]) -> str:
    return ", ".join(("-" if k.descending else "") + k.key for k in keys)


def fields_of(avviso: Avviso) -> list[EditField]:
    """The form's fields for an edition of ``avviso``, with its current values."""
    found = [EditField("title", TEXT, avviso.title, "Avviso")]
    if avviso.template:
        choices = tuple(a.value for a in Allocation)
        initial = "" if "allocation" in avviso.unset else avviso.allocation.value
        found.append(EditField("allocation", CHOICE, initial, "Avviso", choices))
    submission = next((q for q in avviso.requirements if isinstance(q, SubmissionReq)), None)
    isee = next((q for q in avviso.requirements if isinstance(q, IseeReq)), None)
    dates, window = "Date e termini", avviso.window
    found += [
        EditField("submission.opens", DATE, _day(submission.opens if submission else None), dates),
        EditField(
            "submission.closes", DATE, _day(submission.closes if submission else None), dates
        ),
        EditField("isee.deadline", DATE, _day(isee.deadline if isee else None), dates),
        EditField("transmission_until", DATE, _day(avviso.transmission_until), dates),
        EditField("window.start", DATE, _day(window.start if window else None), dates),
        EditField("window.end", DATE, _day(window.end if window else None), dates),
    ]
    money = "Budget, soglie e importi"
    for ranking in avviso.rankings:
        found.append(EditField(f"budget:{ranking.id}", MONEY, _euro(ranking.budget), money))
    for group in isee.groups if isee else ():
        found.append(EditField(f"isee_max:{group.age}", MONEY, _euro(group.maximum), money))
    found.append(EditField("total_cap", MONEY, _euro(avviso.total_cap), money))
    for code, item in avviso.interventions.items():
        if item.cap in (CapKind.PER_MONTH, CapKind.PER_DAY, CapKind.ONCE, CapKind.PER_YEAR):
            found.append(EditField(f"amount:{code}", MONEY, _euro(item.amount), money))
    rules = "Graduatoria, documenti e incompatibilità"
    if avviso.allocation is Allocation.GRADUATORIA or avviso.template:
        for ranking in avviso.rankings:
            classes = "\n".join(
                f"{c.priority} | {c.label} | {', '.join(sorted(c.in_place_any))}".rstrip(" |")
                for c in sorted(ranking.classes, key=lambda c: c.priority)
            )
            found.append(EditField(f"classes:{ranking.id}", CLASSES, classes, rules))
            found.append(EditField(f"order:{ranking.id}", ORDER, _order_text(ranking.order), rules))
    documents = next((q for q in avviso.requirements if isinstance(q, DocumentsReq)), None)
    measures = next((q for q in avviso.requirements if isinstance(q, IncompatibleReq)), None)
    found.append(
        EditField("documents", CODES, ", ".join(documents.required if documents else ()), rules)
    )
    incompatible = ", ".join(sorted(measures.measures) if measures else ())
    found.append(EditField("incompatible", CODES, incompatible, rules))
    return found


# -- texts -> changes ------------------------------------------------------------------------------


def _codes(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.replace("\n", ",").split(",") if part.strip())


def _classes(text: str) -> tuple[ClassSpec, ...]:
    specs: list[ClassSpec] = []
    for line in (ln.strip() for ln in text.splitlines()):
        if not line:
            continue
        parts = [p.strip() for p in line.split("|")]
        if not parts[0].isdigit() or len(parts) < 2 or not parts[1]:
            raise ValueError("una classe per riga: «priorità | etichetta | misure in atto»")
        specs.append(ClassSpec(int(parts[0]), parts[1], _codes(parts[2]) if len(parts) > 2 else ()))
    return tuple(specs)


def _order(text: str, previous: Mapping[str, OrderKey]) -> tuple[OrderSpec, ...]:
    specs: list[OrderSpec] = []
    for item in _codes(text):
        descending, key = item.startswith("-"), item.lstrip("-").strip()
        before = previous.get(key)
        specs.append(
            OrderSpec(
                key,
                descending,
                before.missing.value if before else "last",
                before.cite if before else "",
            )
        )
    return tuple(specs)


def changes_from(
    fields: list[EditField], texts: Mapping[str, str], avviso: Avviso
) -> tuple[EditionChanges, dict[str, str]]:
    """The changes the texts make (only the fields changed), and the fields whose text cannot
    be read (field id -> Italian message): those are left out of the changes."""
    problems: dict[str, str] = {}
    top: dict[str, object] = {}
    maps: dict[str, dict[str, object]] = {n: {} for n in _MAPS}
    orders = {r.id: {k.key: k for k in r.order} for r in avviso.rankings}
    for f in fields:
        text = texts.get(f.key, f.initial).strip()
        if text == f.initial.strip():
            continue
        name, _, param = f.key.partition(":")
        try:
            value: object
            if f.kind == DATE:
                value = values.parse_day(text, today=date.today(), birth=False)
            elif f.kind == MONEY:
                value = values.parse_amount(text)
            elif f.kind == CODES:
                value = _codes(text)
            elif f.kind == CLASSES:
                value = _classes(text)
            elif f.kind == ORDER:
                value = _order(text, orders.get(param, {}))
            else:
                value = text or None
        except ValueError as exc:
            code = exc.code if isinstance(exc, values.UnreadableValueError) else ""
            problems[f.key] = render(code, {"label": f.label}) if code else str(exc)
            continue
        if value is None:
            problems[f.key] = f"«{f.label}»: scrivi un valore (non si può togliere)."
            continue
        target = {"budget": "budgets", "isee_max": "isee_maxima", "amount": "amounts"}.get(
            name, name
        )
        if param:
            maps[target][param] = value
        else:
            top[_TOP_NAMES.get(f.key, f.key)] = value
    changes = EditionChanges(**top, **maps)  # type: ignore[arg-type]
    return changes, problems


_MAPS = ("budgets", "isee_maxima", "amounts", "classes", "order")
_TOP_NAMES = {
    "submission.opens": "submission_opens",
    "submission.closes": "submission_closes",
    "isee.deadline": "isee_deadline",
    "window.start": "window_start",
    "window.end": "window_end",
    "documents": "documents_required",
    "incompatible": "incompatible_measures",
}
