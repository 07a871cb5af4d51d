"""Request lines, one by one: excluded kinds, the avviso window, caps, the documented cost.

Caps apply to the total of the lines of one intervention code, so that two lines can never
together exceed what one line could: per month over the union of calendar months their periods
touch, per day over their days (at most ``max_days``), once over the code, per year over the
calendar years touched. Every line is granted in full, cut (``warning``) or excluded (``ko``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from caseworker_app.domain.rules.avviso import (
    Avviso,
    CapKind,
    Intervention,
    WindowPolicy,
)
from caseworker_app.domain.rules.calendar import format_it, months_touched
from caseworker_app.domain.rules.money import ZERO, format_eur, money
from caseworker_app.domain.rules.record import RequestLine
from caseworker_app.domain.rules.verdict import LineVerdict, Status


@dataclass
class _CodeState:
    granted: Decimal = ZERO
    months: set[tuple[int, int]] = field(default_factory=set)
    years: set[int] = field(default_factory=set)
    days: int = 0
    budget_months: Decimal = ZERO  # PER_MONTH_BY_HOURS: sum of monthly amounts of new months


def _line_period(avviso: Avviso, line: RequestLine) -> tuple[date, date, str | None, bool]:
    """The period that counts, a note if it was cut, and whether the line is excluded."""
    window = avviso.window
    if window is None:
        return line.start, line.end, None, False
    inside = window.start <= line.start and line.end <= window.end
    if inside:
        return line.start, line.end, None, False
    span = f"dal {format_it(window.start)} al {format_it(window.end)}"
    if line.end < window.start or line.start > window.end:
        return (
            line.start,
            line.end,
            f"periodo fuori da quello ammesso ({span}, {window.cite})",
            True,
        )
    if window.policy is WindowPolicy.EXCLUDE:
        return (
            line.start,
            line.end,
            (
                f"il periodo esce da quello ammesso ({span}): registra a "
                f"parte la spesa del periodo ammesso ({window.cite})"
            ),
            True,
        )
    start, end = max(line.start, window.start), min(line.end, window.end)
    return (
        start,
        end,
        (f"periodo ridotto dal {format_it(start)} al {format_it(end)} ({window.cite})"),
        False,
    )


def _monthly_by_hours(item: Intervention, line: RequestLine) -> Decimal | None:
    raw = line.extra.get(item.hours_field)
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        return None
    try:
        hours = Decimal(str(raw))
    except ArithmeticError:
        return None
    fitting = [b for b in item.bands if hours >= b.min_hours]
    return max(fitting, key=lambda b: b.min_hours).amount if fitting else ZERO


def _cap(
    item: Intervention, line: RequestLine, start: date, end: date, state: _CodeState
) -> tuple[Decimal | None, str]:
    """The total the code may reach including this line, and how it was computed."""
    amount = item.amount or ZERO
    if item.cap is CapKind.COST:
        return None, ""
    if item.cap is CapKind.PER_MONTH:
        state.months |= months_touched(start, end)
        n = len(state.months)
        return money(amount * n), f"massimo {format_eur(amount)} al mese per {n} mesi"
    if item.cap is CapKind.PER_YEAR:
        state.years |= {y for y, _ in months_touched(start, end)}
        n = len(state.years)
        return money(amount * n), f"massimo {format_eur(amount)} all'anno per {n} anni"
    if item.cap is CapKind.ONCE:
        return amount, f"massimo {format_eur(amount)} una tantum"
    if item.cap is CapKind.PER_DAY:
        state.days += line.days or 0
        limit = item.max_days if item.max_days is not None else state.days
        days = min(state.days, limit)
        note = f"massimo {format_eur(amount)} al giorno per {days} giorni"
        if state.days > limit:
            note += f" (al massimo {limit} giorni)"
        return money(amount * days), note
    monthly = _monthly_by_hours(item, line) or ZERO
    new_months = months_touched(start, end) - state.months
    state.months |= new_months
    state.budget_months += monthly * len(new_months)
    return money(state.budget_months), (
        f"massimo {format_eur(monthly)} al mese per le ore indicate"
    )


def check_lines(
    avviso: Avviso, lines: tuple[RequestLine, ...], only: frozenset[str] | None, only_reason: str
) -> list[LineVerdict]:
    states: dict[str, _CodeState] = {}
    verdicts: list[LineVerdict] = []
    for line in lines:
        requested = money(line.amount)
        excluded = avviso.excluded.get(line.code)
        if excluded is not None:
            verdicts.append(
                LineVerdict(
                    line.code,
                    requested,
                    ZERO,
                    Status.KO,
                    f"Spesa non ammessa: {excluded.reason} ({excluded.cite}).",
                )
            )
            continue
        if only is not None and line.code not in only:
            verdicts.append(
                LineVerdict(
                    line.code, requested, ZERO, Status.KO, f"Richiesta esclusa: {only_reason}"
                )
            )
            continue
        item = avviso.interventions[line.code]
        if item.cap is CapKind.PER_MONTH_BY_HOURS and _monthly_by_hours(item, line) is None:
            verdicts.append(
                LineVerdict(
                    line.code,
                    requested,
                    ZERO,
                    Status.KO,
                    f"Manca il numero di ore settimanali (extra.{item.hours_field}) ({item.cite}).",
                )
            )
            continue
        start, end, note, out = _line_period(avviso, line)
        if out:
            verdicts.append(
                LineVerdict(line.code, requested, ZERO, Status.KO, f"Richiesta esclusa: {note}.")
            )
            continue
        state = states.setdefault(line.code, _CodeState())
        cap_total, how = _cap(item, line, start, end, state)
        room = requested if cap_total is None else max(ZERO, cap_total - state.granted)
        granted = min(requested, room)
        state.granted += granted
        verdicts.append(_line_verdict(item, line.code, requested, granted, how, note))
    return _apply_total_cap(avviso, verdicts)


def _line_verdict(
    item: Intervention, code: str, requested: Decimal, granted: Decimal, how: str, note: str | None
) -> LineVerdict:
    extra = f"; {note}" if note else ""
    if granted == requested:
        status = Status.WARNING if note else Status.OK
        return LineVerdict(
            code,
            requested,
            granted,
            status,
            lambda: f"Ammessa per {format_eur(granted)}{extra} ({item.cite}).",
        )
    if granted == ZERO:
        return LineVerdict(
            code,
            requested,
            ZERO,
            Status.KO,
            f"Nulla da concedere: il massimale ({how}) è già raggiunto dalle "
            f"richieste precedenti{extra} ({item.cite}).",
        )
    return LineVerdict(
        code,
        requested,
        granted,
        Status.WARNING,
        f"Ridotta da {format_eur(requested)} a {format_eur(granted)}: {how}{extra} ({item.cite}).",
    )


def _apply_total_cap(avviso: Avviso, verdicts: list[LineVerdict]) -> list[LineVerdict]:
    cap = avviso.total_cap
    if cap is None:
        return verdicts
    room = cap
    capped: list[LineVerdict] = []
    for v in verdicts:
        if v.granted <= room:
            room -= v.granted
            capped.append(v)
            continue
        granted = room
        room = ZERO
        status = Status.KO if granted == ZERO else Status.WARNING
        what = (
            "Nulla da concedere"
            if granted == ZERO
            else f"Ridotta da {format_eur(v.requested)} a {format_eur(granted)}"
        )
        capped.append(
            LineVerdict(
                v.code,
                v.requested,
                granted,
                status,
                f"{what}: massimo {format_eur(cap)} per istanza ({avviso.total_cap_cite}).",
            )
        )
    return capped
