"""The JP ledger (DOMAIN.md §2.5–2.6): every piece of development an ASN did, with its raw
duration, its converted JP and its proof. Portal trainings are credited when completed; what
was done elsewhere is submitted by the ASN and verified or rejected by an admin (a state machine:
``workflow.py``).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import TimestampMixin, TitledEnum, UTCDateTime, db, str_enum, utcnow
from portal.i18n import _l
from portal.own_record import is_own_record
from portal.trainings.ledger.conversion import LEDGER_FORMS, Scope, Unit

if TYPE_CHECKING:
    from portal.auth.models import User
    from portal.competency.models import AsnProfile
    from portal.uploads import StoredFile


class LedgerSource(TitledEnum):
    TRAINING = "training", _l("Portal training")  # a portal training batch, credited on completion
    EXTERNAL = (
        "external",
        _l("Submitted by the ASN"),
    )  # development done elsewhere, submitted with evidence


class EntryState(TitledEnum):
    SUBMITTED = "submitted", _l("Waiting for verification")
    VERIFIED = "verified", _l("Verified")
    REJECTED = "rejected", _l("Rejected")


class EntryAction(TitledEnum):
    CREDIT = "credit", _l("Credited by a completed training")
    SUBMIT = "submit", _l("Submitted")
    VERIFY = "verify", _l("Verified")
    REJECT = "reject", _l("Rejected")


class LedgerEntry(TimestampMixin, db.Model):
    """One development record of one ASN, in SIASN "riwayat kursus" terms where they exist."""

    __tablename__ = "ledger_entries"
    __table_args__ = (
        # Crediting a training is idempotent: one entry per registration. NULLs (external
        # entries) are distinct on SQLite and PostgreSQL alike.
        sa.UniqueConstraint("source", "registration_id"),
        sa.CheckConstraint(
            "(source = 'training') = (registration_id IS NOT NULL)",
            name="training_has_registration",
        ),
        sa.CheckConstraint("jp >= 0", name="jp_positive"),
        sa.CheckConstraint("quantity > 0", name="quantity_positive"),
        sa.CheckConstraint("ended_on >= started_on", name="dates_in_order"),
        sa.Index("ix_ledger_entries_year_state", "year", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    asn_id: Mapped[int] = mapped_column(
        sa.ForeignKey("asn_profiles.id", ondelete="CASCADE"), index=True
    )
    year: Mapped[int] = mapped_column()  # the year the JP count for: that of ``ended_on``
    source: Mapped[LedgerSource] = mapped_column(str_enum(LedgerSource, 20))
    # The trainings feature's ``Registration.id``. No foreign key: that table is built in a
    # separate step and may not exist when this module is imported; the unique constraint
    # above is what makes crediting safe.
    registration_id: Mapped[int | None] = mapped_column()
    form: Mapped[str] = mapped_column(sa.String(40))  # jenisKursus
    scope: Mapped[Scope] = mapped_column(str_enum(Scope, 20), default=Scope.NATIONAL)
    title: Mapped[str] = mapped_column(sa.String(200))  # namaKursus
    organiser: Mapped[str] = mapped_column(sa.String(200))  # institusiPenyelenggara
    started_on: Mapped[date] = mapped_column(sa.Date)  # tanggalKursus
    ended_on: Mapped[date] = mapped_column(sa.Date)  # tanggalSelesaiKursus
    quantity: Mapped[float] = mapped_column(sa.Numeric(7, 1, asdecimal=False))  # raw duration
    unit: Mapped[Unit] = mapped_column(str_enum(Unit, 20))
    jp: Mapped[float] = mapped_column(sa.Numeric(6, 1, asdecimal=False))  # jumlahJam
    certificate_number: Mapped[str | None] = mapped_column(sa.String(100))  # noSertipikat
    evidence_file_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("stored_files.id", ondelete="SET NULL")
    )
    state: Mapped[EntryState] = mapped_column(str_enum(EntryState, 20))
    reason: Mapped[str | None] = mapped_column(sa.Text)  # why it was rejected
    verified_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    asn: Mapped[AsnProfile] = relationship("AsnProfile")
    evidence: Mapped[StoredFile | None] = relationship("StoredFile")
    verified_by: Mapped[User | None] = relationship("User", foreign_keys=[verified_by_id])
    events: Mapped[list[LedgerEvent]] = relationship(
        cascade="all, delete-orphan", order_by="LedgerEvent.id"
    )

    @property
    def form_title(self):
        return LEDGER_FORMS.get(self.form, self.form)

    def role_of(self, user) -> str | None:
        """ "owner" for the ASN; "verifier" for a city admin or an admin of the ASN's OPD who
        is not the ASN; else None. Needs ``asn`` loaded."""
        if user is None or not getattr(user, "id", None):
            return None
        if is_own_record(user, self.asn):  # the owner never verifies, even as an admin
            return "owner"
        if user.is_admin and (user.is_city_admin or user.admin_agency_id == self.asn.agency_id):
            return "verifier"
        return None

    def can_view(self, user) -> bool:
        return self.role_of(user) is not None

    def can_verify(self, user) -> bool:
        """True when ``user`` may verify or reject this entry now."""
        return self.state == EntryState.SUBMITTED and self.role_of(user) == "verifier"


class LedgerEvent(db.Model):
    """Who moved the entry, when, and the note (a rejection carries the reason)."""

    __tablename__ = "ledger_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(
        sa.ForeignKey("ledger_entries.id", ondelete="CASCADE"), index=True
    )
    action: Mapped[EntryAction] = mapped_column(str_enum(EntryAction, 20))
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    note: Mapped[str | None] = mapped_column(sa.Text)

    actor: Mapped[User | None] = relationship("User")
