"""Reads of the evaluation pages: a placement's evaluation state in one query, the averages a
mentor may see, and the admins' feedback report (fixed query counts, QUALITY.md P4)."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import aliased, joinedload

from portal.auth.models import User
from portal.certificates.models import Certificate
from portal.db import db
from portal.institutions.models import Agency
from portal.internships.evaluation.models import (
    DEFAULT_MENTOR_WEIGHT,
    AcademicScore,
    FinalGrade,
    MentorEvaluation,
    Rubric,
    StudentFeedback,
)
from portal.internships.evaluation.services import CERTIFICATE_SOURCE
from portal.internships.models import InternshipPosition, Placement
from portal.listing import page_size


@dataclass(frozen=True)
class EvaluationState:
    mentor: MentorEvaluation | None
    academic: AcademicScore | None
    grade: FinalGrade | None
    feedback: StudentFeedback | None
    certificate: Certificate | None
    mentor_weight: int

    @property
    def academic_weight(self) -> int:
        return 100 - self.mentor_weight


def state(placement: Placement) -> EvaluationState:
    """Everything evaluated about a placement so far, and the split in force (one query)."""
    row = db.session.execute(
        sa.select(
            MentorEvaluation,
            AcademicScore,
            FinalGrade,
            StudentFeedback,
            Certificate,
            Rubric.mentor_weight,
        )
        .select_from(Placement)
        .outerjoin(MentorEvaluation, MentorEvaluation.placement_id == Placement.id)
        .outerjoin(AcademicScore, AcademicScore.placement_id == Placement.id)
        .outerjoin(FinalGrade, FinalGrade.placement_id == Placement.id)
        .outerjoin(StudentFeedback, StudentFeedback.placement_id == Placement.id)
        .outerjoin(
            Certificate,
            sa.and_(
                Certificate.source_type == CERTIFICATE_SOURCE, Certificate.source_id == Placement.id
            ),
        )
        .outerjoin(Rubric, Rubric.university_id == Placement.university_id)
        .where(Placement.id == placement.id)
    ).one()
    mentor, academic, grade, feedback, certificate, split = row
    if grade is not None:
        split = grade.mentor_weight
    return EvaluationState(
        mentor,
        academic,
        grade,
        feedback,
        certificate,
        DEFAULT_MENTOR_WEIGHT if split is None else split,
    )


def min_interns() -> int:
    return int(current_app.config["INTERNSHIP_FEEDBACK_MIN_INTERNS"])


@dataclass(frozen=True)
class FeedbackSummary:
    count: int
    minimum: int
    placement_average: float | None
    mentor_average: float | None

    @property
    def shown(self) -> bool:
        return self.count >= self.minimum


def mentor_summary(mentor_id: int) -> FeedbackSummary:
    """The averages of the feedback on one mentor; None below the minimum number of interns,
    so no single student's answer can be read from them (one query)."""
    count, placement_avg, mentor_avg = db.session.execute(
        sa.select(
            sa.func.count(StudentFeedback.id),
            sa.func.avg(StudentFeedback.placement_rating),
            sa.func.avg(StudentFeedback.mentor_rating),
        ).where(StudentFeedback.mentor_id == mentor_id)
    ).one()
    minimum = min_interns()
    if count < minimum:
        return FeedbackSummary(int(count), minimum, None, None)
    return FeedbackSummary(
        int(count), minimum, round(float(placement_avg), 2), round(float(mentor_avg), 2)
    )


def _scope(stmt, user, agency_id: int | None):
    """An OPD admin sees their OPD; a city-wide admin every OPD, or the one chosen."""
    if user.admin_agency_id is not None:
        return stmt.where(StudentFeedback.agency_id == user.admin_agency_id)
    if agency_id is not None:
        return stmt.where(StudentFeedback.agency_id == agency_id)
    return stmt


def feedback_stmt(user, *, agency_id: int | None = None, mentor_id: int | None = None):
    """The feedback an admin may read, newest first, with the student, mentor and position:
    the page's and the export's statement."""
    stmt = (
        sa.select(StudentFeedback)
        .options(
            joinedload(StudentFeedback.student),
            joinedload(StudentFeedback.mentor),
            joinedload(StudentFeedback.placement)
            .joinedload(Placement.position)
            .joinedload(InternshipPosition.agency),
        )
        .order_by(StudentFeedback.created_at.desc(), StudentFeedback.id.desc())
    )
    if mentor_id is not None:
        stmt = stmt.where(StudentFeedback.mentor_id == mentor_id)
    return _scope(stmt, user, agency_id)


def feedback_page(
    user, *, agency_id: int | None = None, mentor_id: int | None = None, page: int = 1
):
    """A page of :func:`feedback_stmt`."""
    return db.paginate(
        feedback_stmt(user, agency_id=agency_id, mentor_id=mentor_id),
        page=page,
        per_page=page_size(),
        error_out=False,
    )


def feedback_export(user, *, limit: int = 5000, **filters) -> list:
    """Every feedback of the list (same scope and filters), for the CSV/XLSX export."""
    return list(db.session.scalars(feedback_stmt(user, **filters).limit(limit)).unique())


def mentor_averages(user, *, agency_id: int | None = None) -> list:
    """Per mentor in the admin's scope: interns who rated, average placement and mentor ratings."""
    mentor = aliased(User)
    stmt = (
        sa.select(
            StudentFeedback.mentor_id,
            mentor.full_name,
            sa.func.count(StudentFeedback.id).label("count"),
            sa.func.avg(StudentFeedback.placement_rating).label("placement"),
            sa.func.avg(StudentFeedback.mentor_rating).label("mentor"),
        )
        .join(mentor, mentor.id == StudentFeedback.mentor_id)
        .group_by(StudentFeedback.mentor_id, mentor.full_name)
        .order_by(mentor.full_name)
        .limit(200)
    )
    return list(db.session.execute(_scope(stmt, user, agency_id)))


def agencies() -> list:
    """OPDs for the city-wide admin's filter."""
    return list(
        db.session.execute(sa.select(Agency.id, Agency.short_name).order_by(Agency.short_name))
    )
