"""ORM models of the encrypted store (SQLAlchemy 2 typed declarative).

Entities are keyed by UUID strings; integer ``num`` columns exist only where SQLite needs a stable
rowid (the FTS index) and never leave the store. Free-text and personal fields live only here,
inside the encrypted file.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class InstallationRow(Base):
    __tablename__ = "installation"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    store_id: Mapped[str] = mapped_column(String(36))
    role: Mapped[str] = mapped_column(String(20))
    ambito: Mapped[str] = mapped_column(String(60))
    comune: Mapped[str] = mapped_column(String(4))
    created_at: Mapped[datetime] = mapped_column(DateTime)


class SettingRow(Base):
    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class OperatorRow(Base):
    __tablename__ = "operators"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    username: Mapped[str] = mapped_column(String(60), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    roles: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    # Since 0006: assistente sociale, amministrativo... (printed beside the full name)
    qualifica: Mapped[str] = mapped_column(String(60), default="")


class PersonRow(Base):
    __tablename__ = "persons"
    num: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(36), unique=True)
    codice_fiscale: Mapped[str] = mapped_column(String(16), index=True, default="")
    surname: Mapped[str] = mapped_column(String(200), default="")
    given_name: Mapped[str] = mapped_column(String(200), default="")
    sort_key: Mapped[str] = mapped_column(String(400), index=True, default="")
    birth_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    sex: Mapped[str | None] = mapped_column(String(1), nullable=True)
    birth_place_code: Mapped[str] = mapped_column(String(4), default="")
    citizenship: Mapped[str] = mapped_column(String(2), default="")
    residence_address: Mapped[str] = mapped_column(String(300), default="")
    residence_comune: Mapped[str] = mapped_column(String(4), default="")
    residence_cap: Mapped[str] = mapped_column(String(5), default="")
    domicile_address: Mapped[str] = mapped_column(String(300), default="")
    domicile_comune: Mapped[str] = mapped_column(String(4), default="")
    domicile_cap: Mapped[str] = mapped_column(String(5), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class CaseFileRow(Base):
    __tablename__ = "case_files"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("persons.id"), unique=True)
    comune: Mapped[str] = mapped_column(String(4))
    opened_at: Mapped[datetime] = mapped_column(DateTime)
    opened_by: Mapped[str] = mapped_column(String(60))
    # Since 0006: a closed (archived) case file, with the date and the reason; null: open.
    closed_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    closed_reason: Mapped[str] = mapped_column(String(40), default="")
    closed_note: Mapped[str] = mapped_column(Text, default="")


class HouseholdMemberRow(Base):
    __tablename__ = "household_members"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("case_files.id"), index=True)
    surname: Mapped[str] = mapped_column(String(200), default="")
    given_name: Mapped[str] = mapped_column(String(200), default="")
    codice_fiscale: Mapped[str] = mapped_column(String(16), default="")
    relationship: Mapped[str] = mapped_column(String(40), default="")
    cohabiting: Mapped[bool] = mapped_column(Boolean, default=False)
    is_caregiver: Mapped[bool] = mapped_column(Boolean, default=False)
    care_hours_week: Mapped[int] = mapped_column(Integer, default=0)
    legal_role: Mapped[str | None] = mapped_column(String(40), nullable=True)
    decree_number: Mapped[str] = mapped_column(String(60), default="")
    court: Mapped[str] = mapped_column(String(120), default="")
    # Since 0004: the paid assistente familiare and contacts.
    member_kind: Mapped[str] = mapped_column(String(30), default="familiare")
    phone: Mapped[str] = mapped_column(String(40), default="")
    contract_type: Mapped[str] = mapped_column(String(60), default="")
    contract_from: Mapped[date | None] = mapped_column(Date, nullable=True)
    contract_to: Mapped[date | None] = mapped_column(Date, nullable=True)
    weekly_hours: Mapped[int] = mapped_column(Integer, default=0)
    ccnl_level: Mapped[str] = mapped_column(String(10), default="")
    registered_lr15: Mapped[bool] = mapped_column(Boolean, default=False)


class IstanzaRow(Base):
    __tablename__ = "istanze"
    __table_args__ = (UniqueConstraint("comune", "protocol"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("case_files.id"), index=True)
    comune: Mapped[str] = mapped_column(String(4))
    protocol: Mapped[str | None] = mapped_column(String(40), nullable=True)
    avviso: Mapped[str] = mapped_column(String(80))
    state: Mapped[str] = mapped_column(String(30), index=True)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    # Since 0004: what the istanza declares and requests (a JSON object).
    content: Mapped[str] = mapped_column(Text, default="{}")
    updated_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class IstanzaTransitionRow(Base):
    __tablename__ = "istanza_transitions"
    num: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    istanza_id: Mapped[str] = mapped_column(ForeignKey("istanze.id"), index=True)
    from_state: Mapped[str | None] = mapped_column(String(30), nullable=True)
    to_state: Mapped[str] = mapped_column(String(30))
    at: Mapped[datetime] = mapped_column(DateTime)
    operator: Mapped[str] = mapped_column(String(60))
    reason: Mapped[str] = mapped_column(Text, default="")


class DocumentRow(Base):
    __tablename__ = "documents"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("case_files.id"), index=True)
    istanza_id: Mapped[str | None] = mapped_column(ForeignKey("istanze.id"), nullable=True)
    doc_type: Mapped[str] = mapped_column(String(40))
    doc_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    expiry: Mapped[date | None] = mapped_column(Date, nullable=True)
    promised_by: Mapped[date | None] = mapped_column(Date, nullable=True)
    mime: Mapped[str] = mapped_column(String(80), default="")
    # (``content`` was here until 0011: the bytes now live in ``document_contents``)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    # Since 0004.
    title: Mapped[str] = mapped_column(String(200), default="")
    size: Mapped[int] = mapped_column(Integer, default=0)
    sha256: Mapped[str] = mapped_column(String(64), default="")
    received_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    created_by: Mapped[str] = mapped_column(String(60), default="")
    # Since 0005: a signed scan or signed PDF belongs to the exact PI version it signs, and a
    # signed PDF keeps the result of its PAdES verification (JSON; "" when not verified).
    pi_version_id: Mapped[str | None] = mapped_column(
        ForeignKey("pi_versions.id"), nullable=True, index=True
    )
    signature_check: Mapped[str] = mapped_column(Text, default="")


class DocumentContentRow(Base):
    """The bytes of a document that has a file (since 0011), apart from its details, so that
    listing documents never reads, nor decrypts, a scan."""

    __tablename__ = "document_contents"
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id"), primary_key=True)
    content: Mapped[bytes] = mapped_column(LargeBinary)


class DiaryEntryRow(Base):
    __tablename__ = "diary_entries"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("case_files.id"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    operator: Mapped[str] = mapped_column(String(60))
    text: Mapped[str] = mapped_column(Text)
    # Since 0004: contatto | visita | telefonata | nota.
    kind: Mapped[str] = mapped_column(String(20), default="nota")
    updated_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class AuditEventRow(Base):
    __tablename__ = "audit_events"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    operator: Mapped[str] = mapped_column(String(60), index=True)
    action: Mapped[str] = mapped_column(String(30), index=True)
    entity_type: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(60))
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    # Since 0007: "v1:" + SHA-256 of the audited row's content after the event (None: no row).
    content_hash: Mapped[str | None] = mapped_column(String(80), nullable=True)


class ProtocolCounterRow(Base):
    """The local protocol sequence of each comune and year (istanze get the next number)."""

    __tablename__ = "protocol_counters"
    comune: Mapped[str] = mapped_column(String(4), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last: Mapped[int] = mapped_column(Integer, default=0)


class AssessmentRow(Base):
    """One assessment sheet: the options chosen (JSON), with the definition version used."""

    __tablename__ = "assessments"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("case_files.id"), index=True)
    scale: Mapped[str] = mapped_column(String(40))
    version: Mapped[str] = mapped_column(String(20))
    variant: Mapped[str | None] = mapped_column(String(40), nullable=True)
    visit_date: Mapped[date] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(200), default="")
    evaluators: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of names
    multidimensional: Mapped[bool] = mapped_column(Boolean, default=False)
    answers: Mapped[str] = mapped_column(Text, default="{}")  # JSON: item id -> option | null
    status: Mapped[str] = mapped_column(String(20))
    created_by: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class CaseRecordRow(Base):
    """A section entry of the case file kept as a JSON object: a certification, an ISEE
    attestation, a measure in place, a social evaluation (``kind`` says which)."""

    __tablename__ = "case_records"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("case_files.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30), index=True)
    data: Mapped[str] = mapped_column(Text, default="{}")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    updated_by: Mapped[str] = mapped_column(String(60), default="")


class PiVersionRow(Base):
    """One version of a Progetto Individuale; a signed version is never written again."""

    __tablename__ = "pi_versions"
    __table_args__ = (UniqueConstraint("istanza_id", "number"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    istanza_id: Mapped[str] = mapped_column(ForeignKey("istanze.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20))  # bozza | firmata
    content: Mapped[str] = mapped_column(Text, default="{}")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    created_by: Mapped[str] = mapped_column(String(60), default="")
    signed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    signed_by: Mapped[str] = mapped_column(String(60), default="")


class PiSignatureRow(Base):
    """A graphic signature drawn on the signature pad for one signatory of a PI version.

    The PNG lives only here, inside the encrypted store; one per role and version."""

    __tablename__ = "pi_signatures"
    __table_args__ = (UniqueConstraint("pi_version_id", "role"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    pi_version_id: Mapped[str] = mapped_column(ForeignKey("pi_versions.id"), index=True)
    role: Mapped[str] = mapped_column(String(30))
    png: Mapped[bytes] = mapped_column(LargeBinary)
    captured_at: Mapped[datetime] = mapped_column(DateTime)
    method: Mapped[str] = mapped_column(String(10))  # penna | tocco | mouse
    note: Mapped[str] = mapped_column(Text, default="")
    captured_by: Mapped[str] = mapped_column(String(60), default="")


class OwnKeyRow(Base):
    """A transmission key set of this installation (since 0008): the Ed25519 signing pair and the
    age identity, kept only here, inside the encrypted store (so in every backup too).

    ``retired_at`` null: the current set; a partial unique index allows one current set."""

    __tablename__ = "own_keys"
    __table_args__ = (
        Index(
            "uq_own_keys_current",
            text("(retired_at IS NULL)"),
            unique=True,
            sqlite_where=text("retired_at IS NULL"),
        ),
    )
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    signing_private: Mapped[str] = mapped_column(String(64))  # base64 of the 32 raw bytes
    signing_public: Mapped[str] = mapped_column(String(64))  # base64 of the 32 raw bytes
    age_identity: Mapped[str] = mapped_column(String(100))  # AGE-SECRET-KEY-1...
    age_recipient: Mapped[str] = mapped_column(String(100))  # age1...
    retired_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class PeerKeyRow(Base):
    """The public keys of another installation as received (since 0008), and whether their
    fingerprint was confirmed by phone (da_confermare | confermata | revocata)."""

    __tablename__ = "peer_keys"
    __table_args__ = (UniqueConstraint("installation_id", "signing_public"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    installation_id: Mapped[str] = mapped_column(String(36))
    role: Mapped[str] = mapped_column(String(20))
    ambito: Mapped[str] = mapped_column(String(60))
    comuni: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of codici catastali
    signing_public: Mapped[str] = mapped_column(String(64))
    age_recipient: Mapped[str] = mapped_column(String(100))
    fingerprint: Mapped[str] = mapped_column(String(40))  # the 40 digits, no separators
    status: Mapped[str] = mapped_column(String(20), index=True)
    first_seen_at: Mapped[datetime] = mapped_column(DateTime)
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    confirmed_by: Mapped[str] = mapped_column(String(60), default="")


class AmbitoPackageRow(Base):
    """An ambito package (since 0009): issued here (``esportato``, at a capofila) or accepted
    here (``importato``, at a comune). ``sha256`` is the SHA-256 of its ``manifest.json`` (what
    the signature covers); ``manifest``, ``signature`` and ``payload`` are kept as received, so
    the package can be verified again; the definition files are in ``ambito_package_files``."""

    __tablename__ = "ambito_packages"
    __table_args__ = (
        UniqueConstraint("sha256", "direction"),
        UniqueConstraint("direction", "ambito", "sequence"),
    )
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    direction: Mapped[str] = mapped_column(String(20))  # esportato | importato
    ambito: Mapped[str] = mapped_column(String(60))
    sequence: Mapped[int] = mapped_column(Integer)
    issued_at: Mapped[datetime] = mapped_column(DateTime)
    sha256: Mapped[str] = mapped_column(String(64))
    signing_public: Mapped[str] = mapped_column(String(64))
    fingerprint: Mapped[str] = mapped_column(String(40))  # the capofila keys' 40 digits
    manifest: Mapped[str] = mapped_column(Text)  # manifest.json, canonical JSON
    signature: Mapped[bytes] = mapped_column(LargeBinary)  # manifest.sig, 64 raw bytes
    payload: Mapped[str] = mapped_column(Text)  # ambito.json, canonical JSON
    recorded_at: Mapped[datetime] = mapped_column(DateTime)
    recorded_by: Mapped[str] = mapped_column(String(60))


class AmbitoPackageFileRow(Base):
    """A definition file carried by an ambito package (since 0009), by member name."""

    __tablename__ = "ambito_package_files"
    package_id: Mapped[str] = mapped_column(ForeignKey("ambito_packages.id"), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), primary_key=True)  # avvisi/<file>
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)


class TransmissionRow(Base):
    """A file of istruttorie written at a comune (since 0010): its name, counter of the day, the
    capofila it is sealed for, the attestazione printed with it and the audit head it carries;
    ``receipt_sha256`` and ``receipt_at`` once the capofila's receipt is imported."""

    __tablename__ = "transmissions"
    __table_args__ = (UniqueConstraint("comune", "day", "counter"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # the manifest's UUID
    file_name: Mapped[str] = mapped_column(String(80))
    comune: Mapped[str] = mapped_column(String(4))
    day: Mapped[date] = mapped_column(Date)
    counter: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    created_by: Mapped[str] = mapped_column(String(60))
    recipient_fingerprint: Mapped[str] = mapped_column(String(40))
    manifest_sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    attestazione: Mapped[bytes] = mapped_column(LargeBinary)  # the PDF
    audit_seq: Mapped[int | None] = mapped_column(Integer, nullable=True)
    audit_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    receipt_sha256: Mapped[str] = mapped_column(String(64), default="")
    receipt_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class TransmissionItemRow(Base):
    """An istanza in a transmission (since 0010), the version sent and what the capofila said;
    one row per version of an istanza."""

    __tablename__ = "transmission_items"
    __table_args__ = (UniqueConstraint("istanza_id", "version"),)
    transmission_id: Mapped[str] = mapped_column(ForeignKey("transmissions.id"), primary_key=True)
    istanza_id: Mapped[str] = mapped_column(ForeignKey("istanze.id"), primary_key=True)
    protocol: Mapped[str] = mapped_column(String(40))
    comune: Mapped[str] = mapped_column(String(4))
    version: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(20))  # domain.transmission.TransmissionState
    record_sha256: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class ReceivedTransmissionRow(Base):
    """A file of istruttorie imported at the capofila (since 0010): who sent it, the receipt
    written for it (kept to give it again) and its lines (a ``caseworker.receipt-lines`` blob)."""

    __tablename__ = "received_transmissions"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # the manifest's UUID
    sender: Mapped[str] = mapped_column(String(64))  # the sending installation's id
    sender_fingerprint: Mapped[str] = mapped_column(String(40))
    comuni: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of codici catastali
    file_name: Mapped[str] = mapped_column(String(255))
    manifest_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    imported_at: Mapped[datetime] = mapped_column(DateTime)
    imported_by: Mapped[str] = mapped_column(String(60))
    audit_seq: Mapped[int | None] = mapped_column(Integer, nullable=True)
    audit_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    chain_warning: Mapped[str] = mapped_column(Text, default="")
    receipt: Mapped[bytes] = mapped_column(LargeBinary)
    receipt_lines: Mapped[str] = mapped_column(Text)


class ReceivedIstanzaRow(Base):
    """One version of an istanza received at the capofila (since 0010), read-only; a newer
    version names itself in ``superseded_by`` of the one it replaced. The unique constraint
    also serves the look-ups by comune and protocol (its leading columns)."""

    __tablename__ = "received_istanze"
    __table_args__ = (UniqueConstraint("comune", "protocol", "version"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    comune: Mapped[str] = mapped_column(String(4))
    protocol: Mapped[str] = mapped_column(String(40))
    version: Mapped[int] = mapped_column(Integer)
    avviso: Mapped[str] = mapped_column(String(80))
    avviso_version: Mapped[str] = mapped_column(String(40))
    sender: Mapped[str] = mapped_column(String(64))
    # Deferred: the import stores the istanze before the transmission row (same transaction).
    transmission_id: Mapped[str] = mapped_column(
        ForeignKey("received_transmissions.id", deferrable=True, initially="DEFERRED")
    )
    received_at: Mapped[datetime] = mapped_column(DateTime)
    submitted_at: Mapped[datetime] = mapped_column(DateTime)
    evaluation_included: Mapped[bool] = mapped_column(Boolean)
    record: Mapped[bytes] = mapped_column(LargeBinary)  # caseworker.istanza/1, canonical JSON
    record_sha256: Mapped[str] = mapped_column(String(64))
    superseded_by: Mapped[str | None] = mapped_column(String(36), nullable=True)


class ReceivedMemberRow(Base):
    """A member of a received istruttoria (since 0010): its metadata and bytes, by name."""

    __tablename__ = "received_members"
    received_id: Mapped[str] = mapped_column(ForeignKey("received_istanze.id"), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    role: Mapped[str] = mapped_column(String(20))  # domain.transmission.MemberRole
    code: Mapped[str] = mapped_column(String(60))
    mime: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column(LargeBinary)


# the tables of the capofila's desk share this metadata (imported last: they need Base)
from caseworker_app.store import desk_models as _desk_models  # noqa: E402, F401
from caseworker_app.store import outcomes_models as _outcomes_models  # noqa: E402, F401
