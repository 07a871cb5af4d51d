"""Readers of the requirements of an avviso file, one small function per requirement kind."""

from __future__ import annotations

from collections.abc import Callable

from caseworker_app.definitions.avviso_schema import (
    ATOM_KEYS,
    DISABILITY_FIELDS,
    FLAG_FIELDS,
    ISEE_GROUP_KEYS,
    PERCENT_FIELD,
    REQUIREMENT_KEYS,
    SINGLE_KINDS,
    Known,
    Reader,
    Table,
    codes_in,
    join,
    listed,
)
from caseworker_app.domain.codes import ISEE_TYPES
from caseworker_app.domain.rules.avviso import (
    AgeGroup,
    AgeReq,
    DisabilityAtom,
    DisabilityReq,
    DocumentsReq,
    FlagReq,
    IncompatibleReq,
    IseeGroup,
    IseeReq,
    Requirement,
    ResidenceReq,
    Severity,
    SubmissionReq,
)


def _flag(r: Reader, t: Table, key: str, code: str, cite: str, known: Known) -> Requirement:
    field = r.text(t, key, "field")
    if field not in FLAG_FIELDS:
        r.fail(
            join(key, "field"), f"campo «{field}» sconosciuto: usa uno tra {listed(FLAG_FIELDS)}"
        )
    unless = r.texts(t, key, "unless_lines", codes=True)
    for i, line in enumerate(unless):
        if line not in known.interventions:
            r.fail(
                f"{key}.unless_lines[{i}]",
                f"«{line}» non è un intervento di questo avviso: "
                "indica il codice di un [[interventions]]",
            )
    return FlagReq(
        code,
        cite,
        field,
        expected=r.flag(t, key, "expected", True),
        severity=r.choice(t, key, "severity", Severity, Severity.KO),
        unless_lines=frozenset(unless),
        label=r.text(t, key, "label"),
    )


def _atom(r: Reader, key: str, raw: object) -> DisabilityAtom:
    if isinstance(raw, str):
        raw = {"field": raw}
    t = r.table(raw, key, ATOM_KEYS)
    field = r.text(t, key, "field")
    if field not in DISABILITY_FIELDS:
        r.fail(
            join(key, "field"),
            f"certificazione «{field}» sconosciuta: usa una tra {listed(DISABILITY_FIELDS)}",
        )
    minimum = r.integer(t, key, "minimum", low=1, high=100)
    if (field == PERCENT_FIELD) != (minimum is not None):
        r.fail(
            join(key, "minimum") if minimum is not None else key,
            f"la percentuale minima serve solo, ed è obbligatoria, per {PERCENT_FIELD}: "
            f'scrivi {{ field = "{PERCENT_FIELD}", minimum = 100 }}',
        )
    return DisabilityAtom(field, minimum)


def _disability(r: Reader, t: Table, key: str, code: str, cite: str, known: Known) -> Requirement:
    where = join(key, "any_of")
    raw = t.get("any_of")
    if not isinstance(raw, list) or not raw:
        r.fail(
            where,
            "serve un elenco di alternative, ognuna un elenco di certificazioni che "
            'valgono insieme: es. [["l104_art3_c3"], ["indennita_accompagnamento"]]',
        )
    groups: list[tuple[DisabilityAtom, ...]] = []
    for i, alt in enumerate(raw):
        akey = f"{where}[{i}]"
        if not isinstance(alt, list) or not alt:
            r.fail(akey, "ogni alternativa è un elenco non vuoto di certificazioni tra [ ]")
        atoms = tuple(_atom(r, f"{akey}[{j}]", a) for j, a in enumerate(alt))
        if len({a.field for a in atoms}) != len(atoms):
            r.fail(akey, "una certificazione è ripetuta nella stessa alternativa: toglila")
        groups.append(atoms)
    return DisabilityReq(code, cite, tuple(groups))


def _isee_group(r: Reader, key: str, raw: object) -> IseeGroup:
    g = r.table(raw, key, ISEE_GROUP_KEYS)
    age = r.choice(g, key, "age", AgeGroup, None)
    accepted = r.texts(g, key, "accepted")
    fallback = r.texts(g, key, "fallback")
    if not accepted:
        r.fail(join(key, "accepted"), f"indica almeno un tipo di ISEE tra {listed(ISEE_TYPES)}")
    for name, types in (("accepted", accepted), ("fallback", fallback)):
        for i, kind in enumerate(types):
            if kind not in ISEE_TYPES:
                r.fail(
                    f"{key}.{name}[{i}]",
                    f"tipo di ISEE «{kind}» sconosciuto: usa uno tra {listed(ISEE_TYPES)}",
                )
            if name == "fallback" and kind in accepted:
                r.fail(f"{key}.fallback[{i}]", f"«{kind}» è già tra gli ISEE accettati: toglilo")
    return IseeGroup(age, accepted, r.money(g, key, "maximum", param=True), fallback)


def _isee(r: Reader, t: Table, key: str, code: str, cite: str, known: Known) -> Requirement:
    items = r.tables(t, key, "groups")
    if not items:
        r.fail(join(key, "groups"), "indica almeno un gruppo: età, ISEE accettati e massimo")
    groups = tuple(_isee_group(r, gkey, raw) for gkey, raw in items)
    ages = [g.age for g in groups]
    for i, age in enumerate(ages):
        if age in ages[:i]:
            r.fail(
                f"{key}.groups[{i}].age",
                f"c'è già un gruppo per l'età «{age}»: i gruppi "
                "non possono sovrapporsi, uniscili in uno",
            )
    if {AgeGroup.ADULT, AgeGroup.MINOR, AgeGroup.ANY} <= set(ages):
        r.fail(
            f"{key}.groups[{ages.index(AgeGroup.ANY)}].age",
            'con un gruppo "adult" e uno "minor" il gruppo "any" non si applicherebbe mai: toglilo',
        )
    deadline = r.day(t, key, "deadline")
    deadline_cite = r.text(t, key, "deadline_cite", required=deadline is not None)
    if deadline is None and deadline_cite:
        r.fail(
            join(key, "deadline_cite"),
            "c'è la citazione ma manca deadline: aggiungi la data o togli la citazione",
        )
    return IseeReq(code, cite, groups, deadline, deadline_cite)


def _age(r: Reader, t: Table, key: str, code: str, cite: str, known: Known) -> Requirement:
    low = r.integer(t, key, "minimum", high=130)
    high = r.integer(t, key, "maximum", high=130)
    if low is None and high is None:
        r.fail(key, "indica minimum, maximum o entrambi (anni compiuti alla data dell'istanza)")
    if low is not None and high is not None and high < low:
        r.fail(join(key, "maximum"), "l'età massima è minore della minima: correggi")
    return AgeReq(code, cite, low, high, r.choice(t, key, "severity", Severity, Severity.KO))


def _submission(r: Reader, t: Table, key: str, code: str, cite: str, known: Known) -> Requirement:
    opens, closes = r.day(t, key, "opens"), r.day(t, key, "closes")
    if opens is None and closes is None:
        r.fail(key, "indica opens, closes o entrambi (date incluse)")
    if opens is not None and closes is not None and closes < opens:
        r.fail(join(key, "closes"), "la chiusura precede l'apertura: correggi le date")
    return SubmissionReq(code, cite, opens, closes)


def _incompatible(r: Reader, t: Table, key: str, code: str, cite: str, known: Known) -> Requirement:
    measures = r.texts(t, key, "measures", codes=True)
    if not measures:
        r.fail(join(key, "measures"), "elenca almeno una misura incompatibile")
    codes_in(r, join(key, "measures"), measures, known.in_place, "misura")
    return IncompatibleReq(code, cite, frozenset(measures))


def _documents(r: Reader, t: Table, key: str, code: str, cite: str, known: Known) -> Requirement:
    required = r.texts(t, key, "required", codes=True)
    codes_in(r, join(key, "required"), required, known.documents, "documento")
    return DocumentsReq(code, cite, required)


def _residence(r: Reader, t: Table, key: str, code: str, cite: str, known: Known) -> Requirement:
    return ResidenceReq(code, cite)


_KINDS: dict[str, Callable[[Reader, Table, str, str, str, Known], Requirement]] = {
    "residence": _residence,
    "flag": _flag,
    "disability": _disability,
    "isee": _isee,
    "age": _age,
    "submission": _submission,
    "incompatible": _incompatible,
    "documents": _documents,
}


def read_requirements(r: Reader, data: Table, known: Known) -> tuple[Requirement, ...]:
    items = r.tables(data, "", "requirements")
    if not items:
        r.fail("requirements", "manca l'elenco dei requisiti: aggiungi almeno un [[requirements]]")
    found: list[Requirement] = []
    kinds: list[str] = []
    for key, raw in items:
        kind = raw.get("kind") if isinstance(raw, dict) else None
        if kind not in REQUIREMENT_KEYS:
            r.table(raw, key, raw.keys() if isinstance(raw, dict) else ())  # a table?
            r.fail(
                join(key, "kind"),
                ("manca il tipo" if kind is None else f"tipo di requisito «{kind}» sconosciuto")
                + f": usa uno tra {listed(REQUIREMENT_KEYS)}",
            )
        t = r.table(raw, key, REQUIREMENT_KEYS[kind])
        if kind in SINGLE_KINDS and kind in kinds:
            r.fail(
                join(key, "kind"),
                f"c'è già un requisito «{kind}» (requirements"
                f"[{kinds.index(kind)}]): ne serve uno solo, uniscili",
            )
        code = r.code(t, key)
        if any(req.code == code for req in found):
            r.fail(join(key, "code"), f"il codice «{code}» è già usato da un altro requisito")
        found.append(_KINDS[kind](r, t, key, code, r.text(t, key, "cite"), known))
        kinds.append(kind)
    return tuple(found)
