"""Internship settings a university may choose for itself (DOMAIN.md §5.1: "check each
university's rule"); an empty column means the portal's default from the configuration.

One row per university, made when the university first sets something. More columns (the
evaluation rubric's weights) join this table as features need them.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Mapped, mapped_column

from portal import audit
from portal.db import UTCDateTime, db, utcnow
from portal.errors import DomainError
from portal.i18n import _l
from portal.internships.models import is_university_staff

HOURS_PER_SKS_MAX = 200


class UniversitySettings(db.Model):
    """A university's own internship rules (None: the portal's default)."""

    __tablename__ = "university_settings"
    __table_args__ = (
        sa.CheckConstraint(
            f"hours_per_sks IS NULL OR (hours_per_sks >= 1 AND hours_per_sks <= {HOURS_PER_SKS_MAX})",
            name="hours_per_sks_range",
        ),
    )

    university_id: Mapped[int] = mapped_column(
        sa.ForeignKey("universities.id", ondelete="CASCADE"), primary_key=True
    )
    hours_per_sks: Mapped[int | None] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )

    def __repr__(self) -> str:
        return f"<UniversitySettings {self.university_id}>"


def default_hours_per_sks() -> int:
    """The portal-wide hours of work per SKS (Permendikbudristek 53/2023: 45)."""
    return int(current_app.config["HOURS_PER_SKS"])


def effective_hours_per_sks(override: int | None) -> int:
    """A university's own figure when it set one, else the portal's default."""
    return override if override else default_hours_per_sks()


def hours_per_sks_column():
    """The override as a column expression for a query joined to ``UniversitySettings``."""
    return UniversitySettings.hours_per_sks


def hours_per_sks(university_id: int) -> int:
    """The hours per SKS that count for the students of one university."""
    override = db.session.scalar(
        sa.select(UniversitySettings.hours_per_sks).where(
            UniversitySettings.university_id == university_id
        )
    )
    return effective_hours_per_sks(override)


def set_hours_per_sks(university_id: int, hours: int | None, *, actor) -> UniversitySettings:
    """Staff of a university set the hours of work one SKS needs for its students (1–200), or
    clear it (None) to follow the portal's default. Refuses anyone else and other values."""
    if not is_university_staff(actor, university_id):
        raise DomainError(_l("Only staff of the university can change its internship settings."))
    if hours is not None and (
        not isinstance(hours, int) or isinstance(hours, bool) or not 1 <= hours <= HOURS_PER_SKS_MAX
    ):
        raise DomainError(
            _l(
                "The hours per SKS must be a whole number between 1 and %(max)d.",
                max=HOURS_PER_SKS_MAX,
            )
        )
    row = db.session.get(UniversitySettings, university_id)
    if row is None:
        row = UniversitySettings(university_id=university_id)
        db.session.add(row)
    row.hours_per_sks = hours
    row.updated_by_id = actor.id
    db.session.flush()
    audit.record(actor, "internship.settings", row, hours_per_sks=hours)
    return row
