"""What changed between two versions of a Progetto Individuale, field by field."""

from __future__ import annotations

from dataclasses import dataclass

from caseworker_app.domain.pi import SECTIONS, PiContent

Scalar = str | int | bool | None


@dataclass(frozen=True)
class Change:
    """One field that differs: ``path`` is (section, [row index,] field), e.g.
    ``("interventions", 0, "monthly")``; values are the JSON scalars (None when absent)."""

    path: tuple[str | int, ...]
    old: Scalar
    new: Scalar

    @property
    def section(self) -> str:
        return str(self.path[0])

    @property
    def field(self) -> str:
        return str(self.path[-1])

    @property
    def row(self) -> int | None:
        """The row (0-based) of a list section, if any."""
        rows = [p for p in self.path[1:] if isinstance(p, int)]
        return rows[0] if rows else None


def _flatten(
    value: object, path: tuple[str | int, ...], out: dict[tuple[str | int, ...], Scalar]
) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _flatten(item, (*path, str(key)), out)
    elif isinstance(value, list):
        if path and path[-1] in _SCALAR_LISTS:
            out[path] = ", ".join(str(v) for v in value)
            return
        for index, item in enumerate(value):
            _flatten(item, (*path, index), out)
    elif value is None or isinstance(value, str | int | bool):
        if value not in (None, "", False) or path[-1] in _KEEP_FALSY:
            out[path] = value
    else:
        out[path] = str(value)


_SCALAR_LISTS = frozenset({"evaluators", "in_place", "incompatible", "checks"})
_KEEP_FALSY = frozenset({"signed", "multidimensional", "cohabiting"})


def diff(old: PiContent, new: PiContent) -> list[Change]:
    """The fields that differ between two contents, in section order then field order."""
    before: dict[tuple[str | int, ...], Scalar] = {}
    after: dict[tuple[str | int, ...], Scalar] = {}
    _flatten(old.to_data(), (), before)
    _flatten(new.to_data(), (), after)
    keys = list(before) + [k for k in after if k not in before]
    position = {k: i for i, k in enumerate(keys)}
    order = {name: i for i, name in enumerate(SECTIONS)}

    def sort_key(path: tuple[str | int, ...]) -> tuple[int, int]:
        return (order.get(str(path[0]), len(order)), position[path])

    changes = []
    for k in sorted(keys, key=sort_key):
        was, now = before.get(k), after.get(k)
        if was != now and (was or now or k[-1] not in _KEEP_FALSY):
            changes.append(Change(k, was, now))
    return changes
