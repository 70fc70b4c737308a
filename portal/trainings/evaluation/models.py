"""Kirkpatrick evaluation of trainings (DOMAIN.md §3): the L1 reaction survey, the ASN's follow-up
action plan (rencana tindak lanjut, RTL) and the L3 behaviour forms.

L1 questions are one city-wide, admin-editable list. The default questions carry a ``key`` and no
``text``: they read in the reader's language until an admin rewords them. They are inserted when
the table is created (``create_all`` in tests, ``default_question_rows`` for the migration).
Ratings are 1–4 everywhere; on L3 a 3 or 4 means "applies what was learned".
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import TimestampMixin, TitledEnum, UTCDateTime, db, str_enum, utcnow
from portal.i18n import _l

if TYPE_CHECKING:
    from portal.trainings.models import Registration


RATING_MIN, RATING_MAX = 1, 4
#: An L3 rating at or above this means the competency is applied on the job.
APPLIES_FROM = 3
QUESTION_MAX = 300
COMMENT_MAX = 2000


class SurveyAspect(enum.StrEnum):
    MATERIAL = "material"
    FACILITATOR = "facilitator"  # answered once per facilitator of the batch
    ORGANISATION = "organisation"
    FACILITIES = "facilities"

    @property
    def title(self):
        return ASPECT_TITLES[self]


ASPECT_TITLES = {
    SurveyAspect.MATERIAL: _l("Material"),
    SurveyAspect.FACILITATOR: _l("Facilitator"),
    SurveyAspect.ORGANISATION: _l("Organisation"),
    SurveyAspect.FACILITIES: _l("Facilities"),
}

#: The default L1 questions: key -> (aspect, text).
DEFAULT_QUESTIONS = {
    "material_relevant": (SurveyAspect.MATERIAL, _l("The material is relevant to my work.")),
    "material_clear": (SurveyAspect.MATERIAL, _l("The material was clear and well structured.")),
    "facilitator_mastery": (
        SurveyAspect.FACILITATOR,
        _l("The facilitator mastered the subject."),
    ),
    "facilitator_delivery": (
        SurveyAspect.FACILITATOR,
        _l("The facilitator explained clearly and involved the participants."),
    ),
    "organisation_schedule": (
        SurveyAspect.ORGANISATION,
        _l("The training was well organised and kept to time."),
    ),
    "facilities_adequate": (
        SurveyAspect.FACILITIES,
        _l("The room, equipment or online platform were adequate."),
    ),
}

RATING_LABELS = {
    1: _l("1 – strongly disagree"),
    2: _l("2 – disagree"),
    3: _l("3 – agree"),
    4: _l("4 – strongly agree"),
}


class SurveyQuestion(TimestampMixin, db.Model):
    """One L1 question; deactivated questions keep their past answers but are no longer asked."""

    __tablename__ = "training_survey_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str | None] = mapped_column(sa.String(40), unique=True)  # default questions only
    aspect: Mapped[SurveyAspect] = mapped_column(str_enum(SurveyAspect, 20))
    text: Mapped[str | None] = mapped_column(sa.String(QUESTION_MAX))  # None: the default text
    position: Mapped[int] = mapped_column(default=1)
    is_active: Mapped[bool] = mapped_column(default=True)

    @property
    def label(self) -> str:
        if self.text:
            return self.text
        default = DEFAULT_QUESTIONS.get(self.key or "")
        return str(default[1]) if default else ""

    @property
    def per_facilitator(self) -> bool:
        return self.aspect == SurveyAspect.FACILITATOR


def default_question_rows() -> list[dict]:
    """The rows of the default questions (also for the migration's bulk insert)."""
    return [
        {
            "key": key,
            "aspect": aspect,
            "text": None,
            "position": n,
            "is_active": True,
            "created_at": utcnow(),
            "updated_at": utcnow(),
        }
        for n, (key, (aspect, _text)) in enumerate(DEFAULT_QUESTIONS.items(), start=1)
    ]


@sa.event.listens_for(SurveyQuestion.__table__, "after_create")
def _seed_default_questions(table, connection, **_kw) -> None:
    connection.execute(table.insert(), default_question_rows())


class L1Response(db.Model):
    """One ASN's reaction survey for one registration (once: the unique key)."""

    __tablename__ = "training_l1_responses"

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        sa.ForeignKey("training_registrations.id", ondelete="CASCADE"), unique=True
    )
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    comment: Mapped[str | None] = mapped_column(sa.Text)

    answers: Mapped[list[L1Answer]] = relationship(cascade="all, delete-orphan")


class L1Answer(db.Model):
    """A 1–4 rating of one question (of one facilitator, for facilitator questions)."""

    __tablename__ = "training_l1_answers"
    __table_args__ = (
        sa.CheckConstraint(f"rating BETWEEN {RATING_MIN} AND {RATING_MAX}", name="rating_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(
        sa.ForeignKey("training_l1_responses.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[int] = mapped_column(
        sa.ForeignKey("training_survey_questions.id"), index=True
    )
    facilitator_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    rating: Mapped[int] = mapped_column()


class PlanStatus(TitledEnum):
    PLANNED = "planned", _l("Planned")
    IN_PROGRESS = "in_progress", _l("In progress")
    DONE = "done", _l("Done")
    DROPPED = "dropped", _l("Dropped")


class ActionPlanItem(TimestampMixin, db.Model):
    """One item of the ASN's follow-up action plan (RTL) after a training."""

    __tablename__ = "training_action_plan_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        sa.ForeignKey("training_registrations.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(sa.String(500))
    due_on: Mapped[date | None] = mapped_column(sa.Date)
    status: Mapped[PlanStatus] = mapped_column(str_enum(PlanStatus, 12), default=PlanStatus.PLANNED)


class Respondent(TitledEnum):
    ASN = "asn", _l("The ASN")
    SUPERVISOR = "supervisor", _l("The supervisor")


class L3Form(db.Model):
    """The L3 behaviour form of one respondent about one completed registration (one per
    respondent: the unique key). ``due_on`` is the answer deadline; ``last_reminded_on`` keeps
    the daily job from reminding twice."""

    __tablename__ = "training_l3_forms"
    __table_args__ = (
        sa.UniqueConstraint("registration_id", "respondent", name="uq_training_l3_forms_once"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        sa.ForeignKey("training_registrations.id", ondelete="CASCADE"), index=True
    )
    respondent: Mapped[Respondent] = mapped_column(str_enum(Respondent, 12))
    respondent_user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    sent_on: Mapped[date] = mapped_column(sa.Date)
    due_on: Mapped[date] = mapped_column(sa.Date)
    last_reminded_on: Mapped[date | None] = mapped_column(sa.Date)
    reminders: Mapped[int] = mapped_column(default=0)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    comment: Mapped[str | None] = mapped_column(sa.Text)

    registration: Mapped[Registration] = relationship("Registration")
    ratings: Mapped[list[L3Rating]] = relationship(
        cascade="all, delete-orphan", order_by="L3Rating.id"
    )

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None


class L3Rating(db.Model):
    """How far one competency is applied on the job (1–4; 3 or 4 = applies what was learned)."""

    __tablename__ = "training_l3_ratings"
    __table_args__ = (
        sa.UniqueConstraint("form_id", "competency_id", name="uq_training_l3_ratings_once"),
        sa.CheckConstraint(f"rating BETWEEN {RATING_MIN} AND {RATING_MAX}", name="rating_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    form_id: Mapped[int] = mapped_column(
        sa.ForeignKey("training_l3_forms.id", ondelete="CASCADE"), index=True
    )
    competency_id: Mapped[int] = mapped_column(sa.ForeignKey("competencies.id"), index=True)
    rating: Mapped[int] = mapped_column()

    @property
    def applies(self) -> bool:
        return self.rating >= APPLIES_FROM
