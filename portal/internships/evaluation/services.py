"""Evaluation writes: the university's rubric, the mentor's scores, the DPL's academic score,
the student's feedback, and the final grade with the completion certificate.

The final grade is computed, and the certificate issued, the moment the placement is completed
and both parts exist, whichever of the three comes last (``finalise_if_ready``, also called by
``lifecycle.complete_placement``). From then on both parts are final. Services never commit.
"""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from portal import audit
from portal.auth.models import User
from portal.certificates.services import issue_certificate
from portal.db import db, utcnow
from portal.errors import DomainError, FieldError, InvalidTransition
from portal.i18n import _l
from portal.institutions.models import Agency
from portal.internships.evaluation.models import (
    RATING_MAX,
    RATING_MIN,
    SCORE_MAX,
    SCORE_MIN,
    AcademicScore,
    FinalGrade,
    MentorEvaluation,
    Rubric,
    RubricCriterion,
    RubricView,
    StudentFeedback,
    default_rubric,
    final_grade,
    weighted_total,
)
from portal.internships.models import (
    InternshipPosition,
    Placement,
    PlacementStatus,
    is_university_staff,
)
from portal.notify import register_messages, tell
from portal.util import clock, links
from portal.util.dates import lazy_day
from portal.util.text import clean_text

COMMENT_MAX, NAME_MAX, MAX_CRITERIA = 2000, 120, 15
CERTIFICATE_SOURCE = "internship_placement"

register_messages(
    internships__evaluated=_l("%(mentor)s gave the mentor's evaluation of %(student)s."),
    internships__academic_scored=_l("The academic score of %(student)s has been entered."),
    internships__graded=_l(
        "The internship of %(student)s in “%(position)s” is graded (%(grade)s). The completion "
        "certificate %(number)s is ready."
    ),
)


# --- the rubric ----------------------------------------------------------------------------------


def rubric_for(university_id: int) -> RubricView:
    """The rubric in force for a university: its own, or the default one."""
    rubric = db.session.scalar(
        sa.select(Rubric)
        .where(Rubric.university_id == university_id)
        .options(selectinload(Rubric.criteria))
    )
    return rubric.view() if rubric is not None and rubric.criteria else default_rubric()


def save_rubric(university_id: int, criteria, mentor_weight: int, *, actor) -> Rubric:
    """University staff set their university's criteria ((name, weight) pairs, weights summing to
    100) and the mentor's share of the final grade (the rest is the academic part).

    Refuses other users, empty or repeated names, weights outside 1–100 or not summing to 100,
    more than 15 criteria, and a share outside 0–100. Grades already given keep their criteria.
    """
    if not is_university_staff(actor, university_id):
        raise DomainError(_l("Only staff of the university can change its rubric."))
    rows = [
        (clean_text(name, NAME_MAX), weight) for name, weight in criteria if (name or "").strip()
    ]
    if not rows:
        raise FieldError("criteria", _l("Give at least one criterion."))
    if len(rows) > MAX_CRITERIA:
        raise FieldError("criteria", _l("At most %(max)d criteria.", max=MAX_CRITERIA))
    names = [name.casefold() for name, _w in rows]
    if len(set(names)) != len(names):
        raise FieldError("criteria", _l("Each criterion needs its own name."))
    if any(not isinstance(w, int) or not 1 <= w <= 100 for _n, w in rows):
        raise FieldError("criteria", _l("Each weight is a whole number from 1 to 100."))
    total = sum(w for _n, w in rows)
    if total != 100:
        raise FieldError(
            "criteria", _l("The weights add up to %(total)d; they must add up to 100.", total=total)
        )
    if not isinstance(mentor_weight, int) or not 0 <= mentor_weight <= 100:
        raise FieldError("mentor_weight", _l("The mentor's share is between 0 and 100."))
    rubric = db.session.scalar(
        sa.select(Rubric)
        .where(Rubric.university_id == university_id)
        .options(selectinload(Rubric.criteria))
    )
    if rubric is None:
        rubric = Rubric(university_id=university_id)
        db.session.add(rubric)
    rubric.mentor_weight, rubric.updated_by_id = mentor_weight, actor.id
    rubric.criteria.clear()
    db.session.flush()  # the old rows go before the new ones take their positions
    rubric.criteria.extend(
        RubricCriterion(position=i, name=name, weight=weight)
        for i, (name, weight) in enumerate(rows, start=1)
    )
    db.session.flush()
    audit.record(
        actor,
        "internship.rubric",
        rubric,
        target_label=f"university {university_id}",
        criteria=len(rows),
        mentor_weight=mentor_weight,
    )
    return rubric


# --- when evaluating is possible -----------------------------------------------------------------


def opens_on(placement: Placement) -> date:
    """The day the mentor's evaluation and the student's feedback open (before the end)."""
    days = int(current_app.config["INTERNSHIP_EVALUATION_OPENS_DAYS"])
    return placement.ends_on - timedelta(days=days)


def is_open(placement: Placement, today: date | None = None) -> bool:
    """Completed placements, and active ones from ``opens_on`` on; never terminated ones."""
    if placement.status == PlacementStatus.COMPLETED:
        return True
    return placement.status == PlacementStatus.ACTIVE and (today or clock.today()) >= opens_on(
        placement
    )


def _graded(placement: Placement) -> bool:
    return (
        db.session.scalar(sa.select(FinalGrade.id).where(FinalGrade.placement_id == placement.id))
        is not None
    )


def _check_window(placement: Placement, *, completing: bool, today) -> None:
    if placement.status == PlacementStatus.TERMINATED:
        raise InvalidTransition(_l("This placement was ended early: it is not graded."))
    if not completing and not is_open(placement, today):
        raise InvalidTransition(
            _l("The evaluation opens on %(date)s.", date=lazy_day(opens_on(placement)))
        )
    if _graded(placement):
        raise InvalidTransition(
            _l("The final grade is given; the evaluation can no longer change.")
        )


# --- the two parts ---------------------------------------------------------------------------


def save_mentor_evaluation(
    placement: Placement,
    scores: list[int],
    *,
    actor,
    comment: str = "",
    completing: bool = False,
    today: date | None = None,
) -> MentorEvaluation:
    """The placement's mentor scores each criterion of the university's rubric (0–100, in the
    rubric's order). A second call replaces the scores until the final grade is given.
    ``completing``: the caller completes the active placement right after
    (``lifecycle.save_mentor_evaluation``), which finalises the grade when it can.

    Refuses anyone but the mentor, a terminated or graded placement, an active placement before
    the evaluation opens (unless completing it), and missing or out-of-range scores."""
    if actor is None or actor.id != placement.mentor_id:
        raise InvalidTransition(_l("Only the placement's mentor gives the mentor's evaluation."))
    _check_window(placement, completing=completing, today=today)
    rubric = rubric_for(placement.university_id)
    if len(scores) != len(rubric.criteria) or any(
        not isinstance(s, int) or not SCORE_MIN <= s <= SCORE_MAX for s in scores
    ):
        raise FieldError("scores", _l("Score every criterion from 0 to 100."))
    snapshot = [
        {"key": c.key, "name": c.name, "weight": c.weight, "score": s}
        for c, s in zip(rubric.criteria, scores, strict=True)
    ]
    evaluation = db.session.scalar(
        sa.select(MentorEvaluation).where(MentorEvaluation.placement_id == placement.id)
    )
    if evaluation is None:
        evaluation = MentorEvaluation(placement_id=placement.id)
        db.session.add(evaluation)
    evaluation.mentor_id = actor.id
    evaluation.scores = snapshot
    evaluation.total = weighted_total(
        [(s, c.weight) for c, s in zip(rubric.criteria, scores, strict=True)]
    )
    evaluation.comment = clean_text(comment, COMMENT_MAX)
    evaluation.submitted_at = utcnow()
    db.session.flush()
    audit.record(actor, "internship.evaluation", placement, part="mentor", total=evaluation.total)
    student = db.session.get(User, placement.student_id)
    people = [student]
    if placement.supervisor_id:
        people.append(db.session.get(User, placement.supervisor_id))
    tell(
        people,
        "internships.evaluated",
        link=_placement_link(placement),
        mentor=actor.full_name,
        student=student.full_name,
    )
    if not completing:  # else the completion finalises the grade
        finalise_if_ready(placement, actor=actor)
    return evaluation


def save_academic_score(
    placement: Placement, score: int, *, actor, comment: str = "", today: date | None = None
) -> AcademicScore:
    """The placement's DPL enters the academic score (0–100); replaceable until the final grade.
    Refuses anyone but the DPL, a terminated or graded placement, an active placement before the
    evaluation opens, and a score outside 0–100."""
    if actor is None or placement.supervisor_id is None or actor.id != placement.supervisor_id:
        raise InvalidTransition(_l("Only the placement's DPL enters the academic score."))
    _check_window(placement, completing=False, today=today)
    if not isinstance(score, int) or not SCORE_MIN <= score <= SCORE_MAX:
        raise FieldError("score", _l("The score is a whole number from 0 to 100."))
    row = db.session.scalar(
        sa.select(AcademicScore).where(AcademicScore.placement_id == placement.id)
    )
    if row is None:
        row = AcademicScore(placement_id=placement.id)
        db.session.add(row)
    row.supervisor_id, row.score = actor.id, score
    row.comment = clean_text(comment, COMMENT_MAX)
    row.submitted_at = utcnow()
    db.session.flush()
    audit.record(actor, "internship.evaluation", placement, part="academic", score=score)
    student = db.session.get(User, placement.student_id)
    tell(
        [student],
        "internships.academic_scored",
        link=_placement_link(placement),
        student=student.full_name,
    )
    finalise_if_ready(placement, actor=actor)
    return row


def _placement_link(placement: Placement) -> str | None:
    return links.link("internships.placement", placement_id=placement.id)


def finalise_if_ready(placement: Placement, *, actor) -> FinalGrade | None:
    """Once the placement is completed and both parts exist: compute the final grade with the
    university's split and issue the completion certificate (idempotent: a placement already
    graded keeps its grade and certificate)."""
    if placement.status != PlacementStatus.COMPLETED:
        return None
    mentor_part, academic, grade = db.session.execute(
        sa.select(MentorEvaluation, AcademicScore, FinalGrade)
        .select_from(Placement)
        .outerjoin(MentorEvaluation, MentorEvaluation.placement_id == Placement.id)
        .outerjoin(AcademicScore, AcademicScore.placement_id == Placement.id)
        .outerjoin(FinalGrade, FinalGrade.placement_id == Placement.id)
        .where(Placement.id == placement.id)
    ).one()
    if grade is not None or mentor_part is None or academic is None:
        return grade
    split = rubric_for(placement.university_id).mentor_weight
    grade = FinalGrade(
        placement_id=placement.id,
        mentor_total=mentor_part.total,
        academic_score=float(academic.score),
        mentor_weight=split,
        grade=final_grade(mentor_part.total, academic.score, split),
        computed_at=utcnow(),
    )
    try:
        with db.session.begin_nested():
            db.session.add(grade)
            db.session.flush()
    except IntegrityError:  # graded by a request that finished a moment ago
        return db.session.scalar(
            sa.select(FinalGrade).where(FinalGrade.placement_id == placement.id)
        )
    audit.record(actor, "internship.grade", placement, grade=grade.grade, mentor_weight=split)
    certificate = _issue(placement, actor=actor, grade=grade)
    student = db.session.get(User, placement.student_id)
    position = db.session.get(InternshipPosition, placement.position_id)
    tell(
        [student],
        "internships.graded",
        link=_placement_link(placement),
        student=student.full_name,
        position=position.title,
        grade=f"{grade.grade:.2f}",
        number=certificate.number,
    )
    return grade


def _issue(placement: Placement, *, actor, grade: FinalGrade):
    position = db.session.get(InternshipPosition, placement.position_id)
    agency = db.session.get(Agency, placement.agency_id)
    return issue_certificate(
        kind="internship",
        subject=db.session.get(User, placement.student_id),
        title=f"{position.title} — {agency.name}",
        source_type=CERTIFICATE_SOURCE,
        source_id=placement.id,
        starts_on=placement.starts_on,
        ends_on=_last_day(placement),
        agency_id=placement.agency_id,
        actor=actor,
        final_grade=grade.grade,  # the certificate carries the final grade (DOMAIN.md §5.3)
        grade_letter=getattr(grade, "letter", None),
    )


def _last_day(placement: Placement) -> date:
    """The placement's last day: its planned end, or the day it was completed if earlier."""
    ended = clock.local_time(placement.ended_at).date() if placement.ended_at else placement.ends_on
    return max(placement.starts_on, min(placement.ends_on, ended))


# --- the student's feedback --------------------------------------------------------------------


def give_feedback(
    placement: Placement,
    *,
    actor,
    placement_rating: int,
    mentor_rating: int,
    comment: str = "",
    today: date | None = None,
) -> StudentFeedback:
    """The student rates the placement and the mentor (1–5) with an optional comment, once:
    feedback is final, so the averages a mentor sees never shift after the fact.

    Refuses anyone but the student, a second feedback, a placement that is not yet open for
    evaluation or was ended early, and ratings outside 1–5."""
    if actor is None or actor.id != placement.student_id:
        raise InvalidTransition(_l("Only the student of the placement gives this feedback."))
    if placement.status == PlacementStatus.TERMINATED or not is_open(placement, today):
        raise InvalidTransition(
            _l("Feedback opens on %(date)s.", date=lazy_day(opens_on(placement)))
        )
    for name, value in (("placement_rating", placement_rating), ("mentor_rating", mentor_rating)):
        if not isinstance(value, int) or not RATING_MIN <= value <= RATING_MAX:
            raise FieldError(name, _l("Choose a rating from 1 to 5."))
    feedback = StudentFeedback(
        placement_id=placement.id,
        student_id=actor.id,
        mentor_id=placement.mentor_id,
        agency_id=placement.agency_id,
        placement_rating=placement_rating,
        mentor_rating=mentor_rating,
        comment=clean_text(comment, COMMENT_MAX),
    )
    try:
        with db.session.begin_nested():
            db.session.add(feedback)
            db.session.flush()
    except IntegrityError:
        raise DomainError(_l("You already gave your feedback on this placement.")) from None
    audit.record(actor, "internship.feedback", placement)
    return feedback
