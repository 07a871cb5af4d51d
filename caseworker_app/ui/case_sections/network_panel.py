"""The network: relatives, the caregiver familiare, the legal representative and the paid
assistente familiare (contract, weekly hours, CCNL level, l.r. 15/2015 register)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from PySide6.QtWidgets import QGroupBox

from caseworker_app.domain.case_sections import member_issues
from caseworker_app.domain.casefile import HouseholdMember, LegalRole, MemberKind
from caseworker_app.domain.codice_fiscale import normalize_codice_fiscale
from caseworker_app.domain.ids import CaseId, MemberId
from caseworker_app.domain.validation import Issue
from caseworker_app.ports.gateway import Workspace
from caseworker_app.services import case_sections as sections
from caseworker_app.ui.case_sections.field_form import UNREAD_CODES, FieldForm
from caseworker_app.ui.case_sections.labels import (
    LEGAL_ROLE_LABELS,
    MEMBER_KIND_LABELS,
    choices,
    label_of,
)
from caseworker_app.ui.case_sections.section_panel import SectionPanel


class NetworkPanel(SectionPanel[HouseholdMember]):
    def list_name(self) -> str:
        return self.tr("Elenco delle persone della rete")

    def add_label(self) -> str:
        return self.tr("Aggiungi persona")

    def headers(self) -> list[str]:
        return [self.tr("Cognome e nome"), self.tr("Relazione"), self.tr("Ruolo"),
                self.tr("Telefono")]  # fmt: skip

    def build_form(self, form: FieldForm) -> None:
        form.group(self.tr("Persona"))
        form.add_combo("member_kind", self.tr("Chi è"), choices(MEMBER_KIND_LABELS), empty=False,
                       wide=True)  # fmt: skip
        form.add_line("surname", self.tr("Cognome"))
        form.add_line("given_name", self.tr("Nome"))
        form.add_line("relationship", self.tr("Relazione"),
                      placeholder=self.tr("es. figlia, coniuge, vicino"))  # fmt: skip
        form.add_line("codice_fiscale", self.tr("Codice fiscale"), max_length=16)
        form.add_line("phone", self.tr("Telefono"))
        form.add_check("cohabiting", self.tr("Convivente"))
        self.caregiver_box: QGroupBox = form.group(self.tr("Caregiver familiare"))
        form.add_check("is_caregiver", self.tr("È il caregiver familiare"))
        form.add_line("care_hours_week", self.tr("Ore di cura a settimana"), max_length=3,
                      width=70)  # fmt: skip
        self.legal_box: QGroupBox = form.group(self.tr("Rappresentante legale"))
        form.add_combo("legal_role", self.tr("Ruolo"), choices(LEGAL_ROLE_LABELS), wide=True)
        form.add_line("decree_number", self.tr("Numero del decreto"))
        form.add_line("court", self.tr("Tribunale"), placeholder=self.tr("es. Tribunale di Pavia"))
        self.contract_box: QGroupBox = form.group(self.tr("Contratto dell'assistente familiare"))
        form.add_line("contract_type", self.tr("Tipo di contratto"),
                      placeholder=self.tr("es. convivente, a ore"))  # fmt: skip
        form.add_line("ccnl_level", self.tr("Livello CCNL"), max_length=4, width=70)
        form.add_date("contract_from", self.tr("Dal"))
        form.add_date("contract_to", self.tr("Al"))
        form.add_line("weekly_hours", self.tr("Ore settimanali"), max_length=3, width=70)
        form.add_check("registered_lr15", self.tr("Iscritta al registro l.r. 15/2015"))
        form.wait_while_typing |= UNREAD_CODES
        form.wait_while_typing.add("cf.length")  # a code being typed is not yet too short
        form.reveals = {"is_caregiver": {"care_hours_week"},
                        "legal_role": {"decree_number", "court"},
                        "member_kind": {"contract_type"}}  # fmt: skip

    def new_value(self, entry_id: str) -> HouseholdMember:
        return HouseholdMember(MemberId(entry_id), "", "", "")

    def fill(self, form: FieldForm, value: HouseholdMember) -> None:
        form.set_value("member_kind", value.member_kind.value)
        for field in ("surname", "given_name", "relationship", "codice_fiscale", "phone",
                      "decree_number", "court", "contract_type", "ccnl_level"):  # fmt: skip
            form.set_text(field, str(getattr(value, field)))
        for field in ("cohabiting", "is_caregiver", "registered_lr15"):
            form.set_checked(field, bool(getattr(value, field)))
        for hours in ("care_hours_week", "weekly_hours"):  # or the text kept as typed
            form.set_text(hours, value.typed.get(hours, str(getattr(value, hours) or "")))
        form.set_value("legal_role", value.legal_role.value if value.legal_role else "")
        form.set_date("contract_from", value.contract_from, value.typed)
        form.set_date("contract_to", value.contract_to, value.typed)
        self._sync(value)

    def _sync(self, value: HouseholdMember) -> None:
        paid = value.member_kind is MemberKind.ASSISTENTE_FAMILIARE
        self.contract_box.setVisible(paid)
        self.caregiver_box.setVisible(not paid)
        self.legal_box.setVisible(not paid)
        self.form.inputs["care_hours_week"].setEnabled(value.is_caregiver)

    def read(
        self, form: FieldForm, previous: HouseholdMember
    ) -> tuple[HouseholdMember, list[Issue]]:
        issues: list[Issue] = []
        typed: dict[str, str] = {}  # what cannot be read, kept as typed
        role = form.value("legal_role")
        hours = form.integer("care_hours_week", issues, "member.hours_invalid", typed)
        weekly = form.integer("weekly_hours", issues, "member.hours_invalid", typed)
        value = replace(
            previous, member_kind=MemberKind(form.value("member_kind") or "familiare"),
            surname=form.text("surname"), given_name=form.text("given_name"),
            relationship=form.text("relationship"),
            codice_fiscale=normalize_codice_fiscale(form.text("codice_fiscale")),
            phone=form.text("phone"), cohabiting=form.checked("cohabiting"),
            is_caregiver=form.checked("is_caregiver"), care_hours_week=hours or 0,
            legal_role=LegalRole(role) if role else None,
            decree_number=form.text("decree_number"), court=form.text("court"),
            contract_type=form.text("contract_type"), ccnl_level=form.text("ccnl_level"),
            contract_from=form.date("contract_from", issues, typed),
            contract_to=form.date("contract_to", issues, typed), weekly_hours=weekly or 0,
            registered_lr15=form.checked("registered_lr15"), typed=typed,
        )  # fmt: skip
        self._sync(value)
        return value, issues

    def validate(self, value: HouseholdMember) -> list[Issue]:
        return member_issues(value, today=self.session.now().date())

    def row(self, value: HouseholdMember) -> tuple[str, ...]:
        roles = []
        if value.member_kind is MemberKind.ASSISTENTE_FAMILIARE:
            roles.append(label_of(MEMBER_KIND_LABELS, value.member_kind.value))
        if value.is_caregiver:
            roles.append(self.tr("caregiver familiare"))
        if value.legal_role is not None:
            roles.append(label_of(LEGAL_ROLE_LABELS, value.legal_role.value))
        if value.cohabiting:
            roles.append(self.tr("convivente"))
        name = " ".join(p for p in (value.surname, value.given_name) if p)
        return (name or self.tr("(senza nome)"), value.relationship, ", ".join(roles),
                value.phone)  # fmt: skip

    @staticmethod
    def fetch(workspace: Workspace, case_id: CaseId) -> list[tuple[str, HouseholdMember]]:
        members = sections.list_members(workspace.uow_factory(), actor=workspace.actor,
                                        case_id=case_id)  # fmt: skip
        return [(m.id, m) for m in members]

    @staticmethod
    def store(
        workspace: Workspace, case_id: CaseId, entry_id: str, value: HouseholdMember,
        now: datetime,
    ) -> None:  # fmt: skip
        sections.save_member(workspace.uow_factory(), actor=workspace.actor, case_id=case_id,
                             member=value, now=now)  # fmt: skip

    @staticmethod
    def remove(workspace: Workspace, case_id: CaseId, entry_id: str, now: datetime) -> None:
        sections.remove_member(workspace.uow_factory(), actor=workspace.actor, case_id=case_id,
                               member_id=MemberId(entry_id), now=now)  # fmt: skip
