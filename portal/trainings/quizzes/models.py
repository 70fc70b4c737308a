"""Pre- and post-tests of a training batch (Kirkpatrick level 2): multiple-choice question sets,
one attempt per enrolled ASN and set, the answers, and the gain per ASN and competency.

A question may be tied to one of the curriculum's target competencies; an attempt's score per
competency is the share of that competency's questions answered correctly. ``CompetencyGain``
keeps, per registration and competency, the pre-test score (written when the pre-test is
submitted), the post-test score and the gain in percentage points (written with the post-test).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import TimestampMixin, TitledEnum, UTCDateTime, db, str_enum, utcnow
from portal.i18n import _l

if TYPE_CHECKING:
    from portal.competency.models import Competency
    from portal.trainings.models import Registration


MIN_CHOICES = 2
MAX_CHOICES = 6
QUESTION_MAX = 2000
CHOICE_MAX = 500


class QuizKind(TitledEnum):
    PRE = "pre", _l("Pre-test")
    POST = "post", _l("Post-test")


class QuizSet(TimestampMixin, db.Model):
    """The question set of one kind for one batch; ``pass_score`` overrides the configured
    ``TRAINING_POST_TEST_PASS_SCORE`` when set."""

    __tablename__ = "training_quiz_sets"
    __table_args__ = (
        sa.UniqueConstraint("batch_id", "kind", name="uq_training_quiz_sets_once"),
        sa.CheckConstraint(
            "pass_score IS NULL OR pass_score BETWEEN 1 AND 100", name="pass_score_range"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(
        sa.ForeignKey("training_batches.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[QuizKind] = mapped_column(str_enum(QuizKind, 8))
    pass_score: Mapped[int | None] = mapped_column()

    questions: Mapped[list[QuizQuestion]] = relationship(
        back_populates="quiz_set",
        cascade="all, delete-orphan",
        order_by="(QuizQuestion.position, QuizQuestion.id)",
    )


class QuizQuestion(db.Model):
    """One multiple-choice question (2–6 choices, exactly one correct), optionally tied to a
    target competency of the curriculum."""

    __tablename__ = "training_quiz_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    set_id: Mapped[int] = mapped_column(
        sa.ForeignKey("training_quiz_sets.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=1)
    text: Mapped[str] = mapped_column(sa.Text)
    competency_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("competencies.id", ondelete="SET NULL"), index=True
    )

    quiz_set: Mapped[QuizSet] = relationship(back_populates="questions")
    competency: Mapped[Competency | None] = relationship("Competency")
    choices: Mapped[list[QuizChoice]] = relationship(
        back_populates="question",
        cascade="all, delete-orphan",
        order_by="(QuizChoice.position, QuizChoice.id)",
    )

    @property
    def correct_choice(self) -> QuizChoice | None:
        return next((c for c in self.choices if c.is_correct), None)


class QuizChoice(db.Model):
    __tablename__ = "training_quiz_choices"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        sa.ForeignKey("training_quiz_questions.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=1)
    text: Mapped[str] = mapped_column(sa.String(CHOICE_MAX))
    is_correct: Mapped[bool] = mapped_column(default=False)

    question: Mapped[QuizQuestion] = relationship(back_populates="choices")


class QuizAttempt(db.Model):
    """An ASN's one submission of a set: the score (% correct), whether it reached the pass mark,
    and (post-tests) the official assessment an admin made of it, at most once."""

    __tablename__ = "training_quiz_attempts"
    __table_args__ = (
        sa.UniqueConstraint("set_id", "registration_id", name="uq_training_quiz_attempts_once"),
        sa.CheckConstraint("score BETWEEN 0 AND 100", name="score_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    set_id: Mapped[int] = mapped_column(
        sa.ForeignKey("training_quiz_sets.id", ondelete="CASCADE"), index=True
    )
    registration_id: Mapped[int] = mapped_column(
        sa.ForeignKey("training_registrations.id", ondelete="CASCADE"), index=True
    )
    score: Mapped[float] = mapped_column()
    passed: Mapped[bool] = mapped_column(default=False)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    assessment_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("assessments.id", ondelete="SET NULL"), unique=True
    )

    quiz_set: Mapped[QuizSet] = relationship()
    registration: Mapped[Registration] = relationship("Registration")
    answers: Mapped[list[QuizAnswer]] = relationship(
        cascade="all, delete-orphan", order_by="QuizAnswer.id"
    )


class QuizAnswer(db.Model):
    """The choice given to one question in one attempt."""

    __tablename__ = "training_quiz_answers"
    __table_args__ = (
        sa.UniqueConstraint("attempt_id", "question_id", name="uq_training_quiz_answers_once"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(
        sa.ForeignKey("training_quiz_attempts.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[int] = mapped_column(
        sa.ForeignKey("training_quiz_questions.id", ondelete="CASCADE"), index=True
    )
    choice_id: Mapped[int] = mapped_column(
        sa.ForeignKey("training_quiz_choices.id", ondelete="CASCADE")
    )
    is_correct: Mapped[bool] = mapped_column(default=False)


class CompetencyGain(db.Model):
    """Per registration and competency: the pre- and post-test scores (0–100, % correct of that
    competency's questions) and the gain ``post − pre`` in percentage points (None until both
    exist)."""

    __tablename__ = "training_competency_gains"
    __table_args__ = (
        sa.UniqueConstraint(
            "registration_id", "competency_id", name="uq_training_competency_gains_once"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        sa.ForeignKey("training_registrations.id", ondelete="CASCADE"), index=True
    )
    competency_id: Mapped[int] = mapped_column(
        sa.ForeignKey("competencies.id", ondelete="CASCADE"), index=True
    )
    pre_score: Mapped[float | None] = mapped_column()
    post_score: Mapped[float | None] = mapped_column()
    gain: Mapped[float | None] = mapped_column()
