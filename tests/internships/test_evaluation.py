"""Evaluation services: the rubric (default criteria, weights summing to 100), the two parts,
the final grade arithmetic, the certificate at completion, and the student's one feedback."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from portal.certificates.models import Certificate
from portal.errors import DomainError, InvalidTransition
from portal.internships import lifecycle
from portal.internships.evaluation import queries as evaluation_queries
from portal.internships.evaluation import services as evaluation_services
from portal.internships.evaluation.models import (
    DEFAULT_CRITERIA,
    FinalGrade,
    StudentFeedback,
    final_grade,
    weighted_total,
)
from portal.internships.models import PlacementStatus
from tests.internships import guidance_support
from tests.internships.guidance_support import local_today

gmake = guidance_support.gmake  # the fixture, shared by the guidance and evaluation tests

DEFAULT_COUNT = len(DEFAULT_CRITERIA)


def _staff(make, placement):
    from portal.auth.models import Role

    return make.user(Role.UNIVERSITY, university=placement.student.university)


def _ending(gmake, **kw):
    """A placement whose evaluation is open (it ends in 5 days)."""
    return gmake.placement(ends_on=local_today() + timedelta(days=5), **kw)


def test_default_criteria_when_a_university_has_none(app, db, gmake):
    p = gmake.placement()
    rubric = evaluation_services.rubric_for(p.university_id)
    assert rubric.is_default and rubric.mentor_weight == 60 and rubric.academic_weight == 40
    assert [c.key for c in rubric.criteria] == [key for key, _t, _w in DEFAULT_CRITERIA]
    assert sum(c.weight for c in rubric.criteria) == 100
    with app.test_request_context("/?lang=en"):
        assert str(rubric.criteria[0].title) == "Attendance and discipline"


@pytest.mark.parametrize(
    ("criteria", "split", "field"),
    [
        ([("Kinerja", 60), ("Sikap", 30)], 60, "criteria"),  # 90
        ([("Kinerja", 70), ("Sikap", 40)], 60, "criteria"),  # 110
        ([("Kinerja", 50), ("kinerja", 50)], 60, "criteria"),
        ([("Kinerja", 0), ("Sikap", 100)], 60, "criteria"),
        ([("Kinerja", None), ("Sikap", 100)], 60, "criteria"),
        ([("", 100)], 60, "criteria"),
        ([(f"K{i}", 5) for i in range(20)], 60, "criteria"),
        ([("Kinerja", 100)], 101, "mentor_weight"),
        ([("Kinerja", 100)], -1, "mentor_weight"),
    ],
)
def test_rubric_weights_must_sum_to_100(db, make, gmake, criteria, split, field):
    p = gmake.placement()
    with pytest.raises(DomainError) as caught:
        evaluation_services.save_rubric(p.university_id, criteria, split, actor=_staff(make, p))
    assert caught.value.field == field
    assert evaluation_services.rubric_for(p.university_id).is_default


def test_only_the_universitys_staff_set_its_rubric(db, make, gmake):
    p, other = gmake.placement(), gmake.placement()
    for actor in (p.mentor, p.student, _staff(make, other)):
        with pytest.raises(DomainError):
            evaluation_services.save_rubric(p.university_id, [("Kinerja", 100)], 50, actor=actor)


def test_the_universitys_weights_drive_both_totals(db, make, gmake):
    p = _ending(gmake)
    staff = _staff(make, p)
    evaluation_services.save_rubric(
        p.university_id, [("Kinerja", 70), ("Sikap", 30)], 50, actor=staff
    )
    evaluation_services.save_rubric(
        p.university_id, [("Kinerja", 70), ("Sikap", 30)], 50, actor=staff
    )  # saving again replaces, not duplicates
    ev = evaluation_services.save_mentor_evaluation(p, [80, 90], actor=p.mentor)
    assert ev.total == 83.0 and [r["weight"] for r in ev.scores] == [70, 30]
    evaluation_services.save_academic_score(p, 70, actor=p.supervisor)
    assert db.session.scalar(sa.select(FinalGrade)) is None  # not completed yet
    lifecycle.complete_placement(p, actor=p.mentor)
    grade = db.session.scalar(sa.select(FinalGrade).where(FinalGrade.placement_id == p.id))
    assert (grade.mentor_total, grade.academic_score, grade.mentor_weight) == (83.0, 70.0, 50)
    assert grade.grade == 76.5
    # A later change of the rubric does not touch what was given.
    evaluation_services.save_rubric(p.university_id, [("Baru", 100)], 80, actor=staff)
    assert [c.name for c, _s in ev.criteria_scores()] == ["Kinerja", "Sikap"]


def test_final_grade_arithmetic_with_the_default_rubric(db, gmake):
    assert (
        weighted_total([(80, 15), (80, 15), (80, 15), (100, 20), (80, 10), (80, 10), (80, 15)])
        == 84.0
    )
    assert final_grade(84.0, 75, 60) == 80.4
    assert final_grade(90.0, 50, 100) == 90.0 and final_grade(90.0, 50, 0) == 50.0
    assert final_grade(77.77, 66, 60) == 73.06
    p = _ending(gmake)
    scores = [80, 80, 80, 100, 80, 80, 80]
    assert evaluation_services.save_mentor_evaluation(p, scores, actor=p.mentor).total == 84.0
    evaluation_services.save_academic_score(p, 75, actor=p.supervisor)
    lifecycle.complete_placement(p, actor=p.mentor)
    assert evaluation_queries.state(p).grade.grade == 80.4


def test_completion_issues_the_certificate_once(db, gmake):
    p = _ending(gmake, title="Pengembangan Dashboard")
    evaluation_services.save_academic_score(p, 88, actor=p.supervisor)
    # The mentor evaluates and completes in one step: grade and certificate follow.
    lifecycle.save_mentor_evaluation(p, [90] * DEFAULT_COUNT, actor=p.mentor, complete=True)
    assert p.status == PlacementStatus.COMPLETED
    (cert,) = db.session.scalars(sa.select(Certificate)).all()
    assert (cert.kind, cert.subject_id, cert.holder_name) == (
        "internship",
        p.student_id,
        p.student.full_name,
    )
    assert cert.title.startswith("Pengembangan Dashboard — ") and cert.ends_on <= p.ends_on
    assert evaluation_services.finalise_if_ready(p, actor=p.mentor).grade == 89.2
    assert db.session.scalar(sa.select(sa.func.count(Certificate.id))) == 1
    with pytest.raises(InvalidTransition, match="final grade"):
        evaluation_services.save_mentor_evaluation(p, [10] * DEFAULT_COUNT, actor=p.mentor)
    with pytest.raises(InvalidTransition, match="final grade"):
        evaluation_services.save_academic_score(p, 10, actor=p.supervisor)


def test_when_and_who_may_evaluate(db, gmake):
    early = gmake.placement()  # ends in 30 days: the evaluation opens 14 days before
    scores = [70] * DEFAULT_COUNT
    with pytest.raises(InvalidTransition, match="opens on"):
        evaluation_services.save_mentor_evaluation(early, scores, actor=early.mentor)
    with pytest.raises(InvalidTransition, match="opens on"):
        evaluation_services.save_academic_score(early, 70, actor=early.supervisor)
    ended = gmake.placement(status=PlacementStatus.TERMINATED)
    with pytest.raises(InvalidTransition, match="ended early"):
        lifecycle.save_mentor_evaluation(ended, scores, actor=ended.mentor, complete=True)
    p = _ending(gmake)
    for actor in (p.student, p.supervisor, gmake.placement().mentor):
        with pytest.raises(InvalidTransition):
            evaluation_services.save_mentor_evaluation(p, scores, actor=actor)
    for actor in (p.student, p.mentor):
        with pytest.raises(InvalidTransition):
            evaluation_services.save_academic_score(p, 70, actor=actor)
    for bad in (
        [70] * (DEFAULT_COUNT - 1),
        [101] + [70] * (DEFAULT_COUNT - 1),
        [-1] + [70] * (DEFAULT_COUNT - 1),
        ["70"] * DEFAULT_COUNT,
    ):
        with pytest.raises(DomainError) as caught:
            evaluation_services.save_mentor_evaluation(p, bad, actor=p.mentor)
        assert caught.value.field == "scores"
    # The mentor may change the scores until the grade is given.
    evaluation_services.save_mentor_evaluation(p, scores, actor=p.mentor)
    second = evaluation_services.save_mentor_evaluation(p, [60] * DEFAULT_COUNT, actor=p.mentor)
    assert second.total == 60.0


def test_student_feedback_is_given_once_and_is_final(db, gmake):
    p = _ending(gmake)
    with pytest.raises(InvalidTransition):
        evaluation_services.give_feedback(p, actor=p.mentor, placement_rating=5, mentor_rating=5)
    for bad in (0, 6, None, "5"):
        with pytest.raises(DomainError):
            evaluation_services.give_feedback(
                p, actor=p.student, placement_rating=bad, mentor_rating=4
            )
    fb = evaluation_services.give_feedback(
        p, actor=p.student, placement_rating=4, mentor_rating=5, comment="Mentor sangat membantu."
    )
    assert (fb.mentor_id, fb.agency_id) == (p.mentor_id, p.agency_id)
    with pytest.raises(DomainError, match="already"):
        evaluation_services.give_feedback(p, actor=p.student, placement_rating=1, mentor_rating=1)
    assert db.session.scalar(sa.select(StudentFeedback.placement_rating)) == 4
    early = gmake.placement()
    with pytest.raises(InvalidTransition, match="opens on"):
        evaluation_services.give_feedback(
            early, actor=early.student, placement_rating=4, mentor_rating=4
        )


def test_a_mentor_sees_averages_only_from_three_interns(db, gmake):
    mentor = gmake.placement().mentor
    for rating in (5, 3):
        gmake.feedback(gmake.placement(mentor=mentor), placement_rating=rating, mentor_rating=4)
    gmake.feedback(gmake.placement(), placement_rating=1, mentor_rating=1)  # another mentor
    two = evaluation_queries.mentor_summary(mentor.id)
    assert (two.count, two.shown, two.placement_average, two.mentor_average) == (
        2,
        False,
        None,
        None,
    )
    gmake.feedback(gmake.placement(mentor=mentor), placement_rating=4, mentor_rating=5)
    three = evaluation_queries.mentor_summary(mentor.id)
    assert (three.count, three.shown) == (3, True)
    assert (three.placement_average, three.mentor_average) == (4.0, 4.33)
