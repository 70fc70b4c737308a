"""Individual development plans (rencana pengembangan kompetensi): per ASN and year, activities
against the gaps; the direct supervisor approves or returns them (a state machine, §6: the table
is in :mod:`portal.competency.plans.workflow`)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import TimestampMixin, TitledEnum, UTCDateTime, db, str_enum, utcnow
from portal.i18n import _l

if TYPE_CHECKING:
    from portal.auth.models import User


class PlanState(TitledEnum):
    DRAFT = "draft", _l("Draft")
    SUBMITTED = "submitted", _l("Waiting for the supervisor")
    RETURNED = "returned", _l("Returned for changes")
    APPROVED = "approved", _l("Approved")


class PlanAction(TitledEnum):
    SUBMIT = "submit", _l("Submitted")
    APPROVE = "approve", _l("Approved")
    RETURN = "return", _l("Returned")
    REOPEN = "reopen", _l("Reopened")


#: The steps (who takes them, and what they need) are in :mod:`portal.competency.plans.workflow`.
EDITABLE = frozenset({PlanState.DRAFT, PlanState.RETURNED})

#: Forms of development (DOMAIN.md §2.3), the choices for a planned activity.
DEVELOPMENT_FORMS = {
    "pelatihan_teknis": _l("Pelatihan teknis (technical training)"),
    "pelatihan_manajerial": _l("Pelatihan manajerial (managerial training)"),
    "pelatihan_fungsional": _l("Pelatihan fungsional (functional training)"),
    "pelatihan_sosial_kultural": _l("Pelatihan sosial kultural (socio-cultural training)"),
    "seminar": _l("Seminar / konferensi"),
    "workshop": _l("Workshop / lokakarya"),
    "kursus": _l("Kursus (course)"),
    "bimtek": _l("Bimbingan teknis (Bimtek)"),
    "e_learning": _l("E-learning"),
    "coaching": _l("Coaching"),
    "mentoring": _l("Mentoring"),
    "detasering": _l("Detasering (secondment)"),
    "patok_banding": _l("Patok banding (benchmarking)"),
    "belajar_mandiri": _l("Belajar mandiri (self-study)"),
    "komunitas_belajar": _l("Komunitas belajar (community of practice)"),
    "magang": _l("Magang / praktik kerja (work placement)"),
}


class DevelopmentPlan(TimestampMixin, db.Model):
    __tablename__ = "development_plans"
    __table_args__ = (sa.UniqueConstraint("asn_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    asn_id: Mapped[int] = mapped_column(
        sa.ForeignKey("asn_profiles.id", ondelete="CASCADE"), index=True
    )
    year: Mapped[int] = mapped_column()
    state: Mapped[PlanState] = mapped_column(str_enum(PlanState), default=PlanState.DRAFT)

    activities: Mapped[list[PlanActivity]] = relationship(
        cascade="all, delete-orphan", order_by="PlanActivity.id"
    )
    events: Mapped[list[PlanEvent]] = relationship(
        cascade="all, delete-orphan", order_by="PlanEvent.id"
    )


class PlanActivity(db.Model):
    __tablename__ = "plan_activities"
    __table_args__ = (
        sa.CheckConstraint("planned_jp BETWEEN 1 AND 200", name="jp_range"),
        sa.CheckConstraint("quarter BETWEEN 1 AND 4", name="quarter_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(
        sa.ForeignKey("development_plans.id", ondelete="CASCADE"), index=True
    )
    competency_id: Mapped[int] = mapped_column(sa.ForeignKey("competencies.id"))
    form: Mapped[str] = mapped_column(sa.String(40))
    title: Mapped[str] = mapped_column(sa.String(200))
    planned_jp: Mapped[int] = mapped_column()
    quarter: Mapped[int] = mapped_column()

    @property
    def form_title(self):
        return DEVELOPMENT_FORMS.get(self.form, self.form)


class PlanEvent(db.Model):
    """Who moved the plan, when, and the note (a returned plan carries the reason)."""

    __tablename__ = "plan_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(
        sa.ForeignKey("development_plans.id", ondelete="CASCADE"), index=True
    )
    action: Mapped[PlanAction] = mapped_column(str_enum(PlanAction))
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    note: Mapped[str | None] = mapped_column(sa.Text)

    actor: Mapped[User | None] = relationship("User")
