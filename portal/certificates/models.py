"""The certificate table: one row per certified thing (its source), with a unique number.

The holder's name and the title are copied when the certificate is issued: the verification
page shows what the paper shows, even if the account is renamed or removed later.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from portal.auth.models import Role
from portal.db import TimestampMixin, TitledEnum, UTCDateTime, db, str_enum
from portal.i18n import _l


class CertificateKind(TitledEnum):
    INTERNSHIP = "internship", _l("Internship completion certificate")
    TRAINING = "training", _l("Training completion certificate")
    RECOGNITION = "recognition", _l("Certificate of recognition")


class Certificate(TimestampMixin, db.Model):
    """A certificate issued to one person for one source (a placement, a training …)."""

    __tablename__ = "certificates"
    __table_args__ = (
        sa.UniqueConstraint("source_type", "source_id", name="uq_certificates_source"),
        # the running number of an official number (numbering.py), per kind and year of issue
        sa.Index("uq_certificates_serial", "kind", "serial_year", "serial", unique=True),
        sa.CheckConstraint(
            "ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on", name="dates_order"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(sa.String(40), unique=True)
    kind: Mapped[CertificateKind] = mapped_column(str_enum(CertificateKind, 20))
    subject_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    holder_name: Mapped[str] = mapped_column(sa.String(120))
    title: Mapped[str] = mapped_column(sa.String(300))
    starts_on: Mapped[date | None] = mapped_column(sa.Date)
    ends_on: Mapped[date | None] = mapped_column(sa.Date)
    issued_on: Mapped[date] = mapped_column(sa.Date)
    agency_id: Mapped[int | None] = mapped_column(sa.ForeignKey("agencies.id"), index=True)
    source_type: Mapped[str] = mapped_column(sa.String(30))
    source_id: Mapped[int] = mapped_column()
    is_valid: Mapped[bool] = mapped_column(default=True)
    revoked_reason: Mapped[str | None] = mapped_column(sa.Text)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    issued_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    serial_year: Mapped[int | None] = mapped_column()
    serial: Mapped[int | None] = mapped_column()
    # Copied when issued, like the name: what the paper says stays what the check page says.
    # A training certificate (STTPP): the holder's NIP, the training type (a SIASN jenis
    # kursus key or its name), the JP credited and the signing official (DOMAIN.md §2.5).
    holder_nip: Mapped[str | None] = mapped_column(sa.String(18))
    training_type: Mapped[str | None] = mapped_column(sa.String(200))
    jp: Mapped[float | None] = mapped_column(sa.Numeric(6, 1, asdecimal=False))
    signer_name: Mapped[str | None] = mapped_column(sa.String(120))
    signer_nip: Mapped[str | None] = mapped_column(sa.String(18))
    signer_position: Mapped[str | None] = mapped_column(sa.String(200))
    # An internship certificate: the final grade (0–100) and its letter when the scale has one.
    final_grade: Mapped[float | None] = mapped_column(sa.Float)
    grade_letter: Mapped[str | None] = mapped_column(sa.String(20))

    def can_download(self, user) -> bool:
        """The holder, a city-wide admin, and the admins of the issuing OPD download the PDF."""
        if user is None or not getattr(user, "is_authenticated", False):
            return False
        if self.subject_id is not None and user.id == self.subject_id:
            return True
        return Role.ADMIN in user.roles and (
            user.admin_agency_id is None or user.admin_agency_id == self.agency_id
        )

    def __repr__(self) -> str:
        return f"<Certificate {self.number}>"
