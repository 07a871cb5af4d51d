"""The store's side of the capofila's desk (since 0012), as the use cases see it: the ranking
runs with their approvals, the control samples with their checks, the avviso editions.

The store keeps a run and a sample as the canonical bytes of their format
(``caseworker.ranking-run/2``, ``caseworker.control-sample/1``) with their SHA-256; the use
cases read and write those bytes through ``transfer/`` and never change them once added.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from caseworker_app.domain.ranking_run import RunApproval


@dataclass(frozen=True)
class RunEntry:
    id: str
    avviso: str
    number: int
    on: date
    provisional: bool
    follows: str | None
    created_at: datetime
    created_by: str
    inputs_sha256: str
    content: bytes  # caseworker.ranking-run/2 (or /1), canonical JSON
    content_sha256: str
    approval: RunApproval | None = None


class RunRepository(Protocol):
    def add(self, entry: RunEntry) -> None: ...  # the approval is added by approve()
    def get(self, run_id: str) -> RunEntry | None: ...
    # by number, the first first; content=False: without their bytes (content b"")
    def of_avviso(self, avviso: str, *, content: bool = True) -> list[RunEntry]: ...
    def avvisi(self) -> list[str]: ...  # the avvisi with at least one run
    def next_number(self, avviso: str) -> int: ...  # 1 for the first run
    def approve(self, approval: RunApproval) -> None: ...  # KeyError: no run; ValueError: twice


@dataclass(frozen=True)
class SampleEntry:
    id: str
    run: str
    drawn_at: datetime
    drawn_by: str
    content: bytes  # caseworker.control-sample/1, canonical JSON
    content_sha256: str


@dataclass(frozen=True)
class ControlCheck:
    sample: str
    comune: str
    protocol: str
    result: str  # domain.control_sample.CheckResult value
    note: str
    recorded_at: datetime
    recorded_by: str


class ControlRepository(Protocol):
    def add_sample(self, entry: SampleEntry) -> None: ...
    def sample(self, sample_id: str) -> SampleEntry | None: ...
    def samples(self, run_id: str) -> list[SampleEntry]: ...  # the first drawn first
    def add_check(self, check: ControlCheck) -> None: ...
    def checks(self, sample_id: str) -> list[ControlCheck]: ...  # in the order recorded


@dataclass(frozen=True)
class AvvisoEdition:
    id: str
    avviso: str
    version: str
    based_on: str  # "<avviso>@<version>" it was copied from
    file_name: str
    content: bytes  # the definition file, as forms/avvisi/ holds them
    sha256: str
    created_at: datetime
    created_by: str
    released_at: datetime | None = None
    released_by: str | None = None

    @property
    def released(self) -> bool:
        return self.released_at is not None


class EditionRepository(Protocol):
    def add(self, edition: AvvisoEdition) -> None: ...
    def replace_draft(self, edition: AvvisoEdition) -> None: ...  # ValueError: released
    def delete_draft(self, edition_id: str) -> None: ...  # ValueError: released
    def get(self, edition_id: str) -> AvvisoEdition | None: ...
    def all(self) -> list[AvvisoEdition]: ...  # by avviso and version
    def release(self, edition_id: str, *, at: datetime, by: str) -> None: ...
