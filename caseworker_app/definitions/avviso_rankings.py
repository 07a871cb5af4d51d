"""Readers of the rankings of an avviso file: budgets, residual flows, classes, order, points.

What is checked against the rest of the file: a ``residual_to`` must name a later ranking (so
residuals flow one way, without cycles); ``score`` in the order goes with a points grid; a
``sportello`` has no classes, order or points (its order is the submission time); a
``graduatoria`` has both classes and order keys.
"""

from __future__ import annotations

from caseworker_app.definitions.avviso_schema import (
    CLASS_KEYS,
    CODE_PATTERN,
    FLAG_FIELDS,
    ORDER_KEY_KEYS,
    ORDER_KEYS,
    POINTS_BAND_KEYS,
    POINTS_KEYS,
    RANKING_KEYS,
    RESIDUALS,
    Known,
    Reader,
    Table,
    codes_in,
    join,
    listed,
)
from caseworker_app.domain.codes import ISEE_TYPES
from caseworker_app.domain.rules.avviso import (
    Allocation,
    ClassRule,
    Missing,
    OrderKey,
    PointsBand,
    PointsRule,
    Ranking,
)


def _classes(r: Reader, t: Table, key: str, known: Known) -> tuple[ClassRule, ...]:
    rules: list[ClassRule] = []
    for ckey, raw in r.tables(t, key, "classes"):
        c = r.table(raw, ckey, CLASS_KEYS)
        priority = r.integer(c, ckey, "priority", low=1, high=99)
        if priority is None or any(rule.priority == priority for rule in rules):
            r.fail(
                join(ckey, "priority"),
                "indica una priorità (1 = prima) diversa da quella delle altre classi",
            )
        measures = r.texts(c, ckey, "in_place_any", codes=True)
        codes_in(r, join(ckey, "in_place_any"), measures, known.in_place, "misura")
        if rules and not rules[-1].in_place_any:
            r.fail(
                ckey,
                "la classe senza in_place_any (tutti gli altri) deve essere l'ultima: "
                "vale la prima classe che corrisponde",
            )
        rules.append(ClassRule(priority, r.text(c, ckey, "label"), frozenset(measures)))
    if rules and rules[-1].in_place_any:
        r.fail(
            join(key, "classes"),
            "manca la classe di chi non rientra nelle altre: aggiungi "
            "per ultima una classe senza in_place_any",
        )
    return tuple(rules)


def _order_key_ok(key: str, known: Known) -> bool:
    kind, _, arg = key.partition(":")
    if not arg:
        return key in ("birth_date", "score", "submitted_at") or (key == "isee" and known.has_isee)
    return (kind == "isee" and arg in ISEE_TYPES) or (
        kind == "extra" and bool(CODE_PATTERN.match(arg))
    )


def _order(r: Reader, t: Table, key: str, known: Known) -> tuple[OrderKey, ...]:
    keys: list[OrderKey] = []
    for okey, raw in r.tables(t, key, "order"):
        o = r.table(raw, okey, ORDER_KEY_KEYS)
        name = r.text(o, okey, "key")
        if not _order_key_ok(name, known):
            r.fail(
                join(okey, "key"),
                f"chiave di ordinamento «{name}» non ammessa: usa una tra "
                f"{listed(ORDER_KEYS)} (isee solo con un requisito isee)",
            )
        if any(k.key == name for k in keys):
            r.fail(join(okey, "key"), f"«{name}» è già nell'ordinamento: toglilo")
        keys.append(
            OrderKey(
                name,
                r.flag(o, okey, "descending", False),
                r.choice(o, okey, "missing", Missing, Missing.LAST),
                r.text(o, okey, "cite", required=False),
            )
        )
    return tuple(keys)


def _points_bands(r: Reader, p: Table, key: str) -> tuple[PointsBand, ...]:
    bands: list[PointsBand] = []
    for bkey, raw in r.tables(p, key, "bands"):
        b = r.table(raw, bkey, POINTS_BAND_KEYS)
        low, high = r.number(b, bkey, "low"), r.number(b, bkey, "high")
        points = r.integer(b, bkey, "points", low=-1000, high=1000)
        if points is None:
            r.fail(join(bkey, "points"), "indica i punti della fascia (numero intero)")
        if low is not None and high is not None and high < low:
            r.fail(join(bkey, "high"), "il limite superiore è minore di quello inferiore")
        for other in bands:
            if (low is None or other.high is None or low <= other.high) and (
                high is None or other.low is None or other.low <= high
            ):
                r.fail(
                    bkey,
                    "la fascia si sovrappone a una precedente (i limiti sono inclusi): "
                    "correggi low e high",
                )
        bands.append(PointsBand(low, high, points))
    if not bands:
        r.fail(join(key, "bands"), "indica le fasce: [{ low = ..., high = ..., points = ... }]")
    return tuple(bands)


def _points(r: Reader, t: Table, key: str, known: Known) -> tuple[PointsRule, ...]:
    rules: list[PointsRule] = []
    for pkey, raw in r.tables(t, key, "points"):
        p = r.table(raw, pkey, POINTS_KEYS)
        source = r.text(p, pkey, "source")
        kind, _, arg = source.partition(":")
        banded = source in ("isee", "age") or (kind == "extra" and bool(CODE_PATTERN.match(arg)))
        if source == "isee" and not known.has_isee:
            r.fail(join(pkey, "source"), "punti sull'ISEE senza un requisito isee: aggiungilo")
        if banded:
            if "points" in p:
                r.fail(join(pkey, "points"), "con le fasce i punti vanno in ogni fascia: toglilo")
            rules.append(PointsRule(source, _points_bands(r, p, pkey)))
            continue
        if not (
            (kind == "flag" and arg in FLAG_FIELDS)
            or (kind == "in_place" and arg in known.in_place)
        ):
            r.fail(
                join(pkey, "source"),
                f"fonte «{source}» non ammessa: usa isee, age, "
                f"extra:<nome>, flag:<campo> ({listed(FLAG_FIELDS)}) o in_place:<codice>",
            )
        points = r.integer(p, pkey, "points", low=-1000, high=1000)
        if points is None or points == 0 or "bands" in p:
            r.fail(join(pkey, "points"), "indica i punti (intero diverso da zero) e nessuna fascia")
        rules.append(PointsRule(source, points=points))
    return tuple(rules)


def _ranking(
    r: Reader, key: str, raw: object, allocation: Allocation | None, known: Known
) -> Ranking:
    t = r.table(raw, key, RANKING_KEYS)
    if allocation is Allocation.SPORTELLO:
        for name in ("classes", "order", "points"):
            if name in t:
                r.fail(
                    join(key, name),
                    "in uno sportello l'ordine è quello di presentazione "
                    '(data e ora di protocollo): toglilo o usa allocation = "graduatoria"',
                )
    residual = r.text(t, key, "residual", required=False) or "partial"
    if residual not in RESIDUALS:
        r.fail(
            join(key, "residual"),
            f'valore «{residual}» non ammesso: usa "partial" '
            '(chi non entra per intero riceve il residuo) o "skip" (il residuo resta)',
        )
    low, high = r.integer(t, key, "min_age", high=130), r.integer(t, key, "max_age", high=130)
    if low is not None and high is not None and high < low:
        r.fail(join(key, "max_age"), "l'età massima è minore della minima: correggi")
    lines = r.texts(t, key, "lines_any", codes=True)
    codes_in(r, join(key, "lines_any"), lines, known.interventions, "intervento")
    classes, order = _classes(r, t, key, known), _order(r, t, key, known)
    points = _points(r, t, key, known)
    if allocation is Allocation.GRADUATORIA and not (classes and order):
        r.fail(
            join(key, "order" if classes else "classes"),
            "una graduatoria ha bisogno di "
            "almeno una classe di priorità e di una chiave di ordinamento",
        )
    if any(k.key == "score" for k in order) != bool(points):
        r.fail(
            join(key, "points" if points else "order"),
            "la chiave di ordinamento score e "
            "la griglia dei punteggi (points) vanno insieme: aggiungi l'una o togli l'altra",
        )
    return Ranking(
        r.code(t, key, "id"),
        r.text(t, key, "label"),
        r.money(t, key, "budget", param=True),
        residual,
        r.text(t, key, "residual_to", required=False) or None,
        low,
        high,
        frozenset(lines),
        classes,
        order,
        points,
    )


def read_rankings(
    r: Reader, data: Table, allocation: Allocation | None, known: Known
) -> tuple[Ranking, ...]:
    items = r.tables(data, "", "rankings")
    if not items:
        r.param_missing(
            "rankings", "la graduatoria o lo sportello con il suo budget ([[rankings]])"
        )
    rankings = [_ranking(r, key, raw, allocation, known) for key, raw in items]
    ids = [x.id for x in rankings]
    for i, ranking in enumerate(rankings):
        if ranking.id in ids[:i]:
            r.fail(f"rankings[{i}].id", f"l'id «{ranking.id}» è già usato: scegline un altro")
        target = ranking.residual_to
        if target is not None and target not in ids[i + 1 :]:
            where = "è precedente (o è la stessa)" if target in ids else "non esiste"
            r.fail(
                f"rankings[{i}].residual_to",
                f"la graduatoria «{target}» {where}: il residuo "
                "può passare solo a una graduatoria elencata dopo",
            )
    return tuple(rankings)
