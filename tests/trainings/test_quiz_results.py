"""What a post-test result leads to, at service level: the completion rule's checker (no post-test,
passed or not, with attendance), and recording a passed post-test as an official assessment with
levels suggested from the score. (Taking the tests: test_quiz_taking.py.)"""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from portal.audit import AuditEvent
from portal.competency.models import Assessment, AssessmentMethod, Competency
from portal.errors import DomainError, InvalidTransition
from portal.institutions.models import Agency
from portal.trainings.attendance import services as attendance_services
from portal.trainings.models import Attendance, AttendanceMethod
from portal.trainings.quizzes import queries as quiz_queries
from portal.trainings.quizzes import services as quiz_services
from portal.trainings.quizzes.models import CompetencyGain, QuizAttempt, QuizKind
from portal.util import clock
from tests.support.worlds import quizzes
from tests.trainings.quiz_support import answers, enrolled, quiz

PRE, POST = QuizKind.PRE, QuizKind.POST

setup = quizzes.quiz_setup  # built once for the module (tests/support/worlds/quizzes.py)


# --- the completion rule ------------------------------------------------------------------------


def test_without_a_post_test_everyone_passes(db, setup, count_queries):
    s = setup
    quiz(db.session, s["batch"], PRE)
    with count_queries() as n:
        check = quiz_services.post_test_checker(s["batch"])
    assert n() == 1
    assert check(s["reg"]) and check(s["reg2"])
    quiz(db.session, s["batch"], POST, [])  # a set without questions is no test
    assert quiz_services.post_test_checker(s["batch"])(s["reg"])


def test_with_a_post_test_only_those_who_passed_pass(db, make, setup, count_queries):
    s = setup
    post = quiz(db.session, s["batch"], POST, [None] * 4)
    quiz_services.submit_attempt(
        post, s["batch"], s["reg"], actor=s["me"], answers=answers(post, {0, 1, 2})
    )
    quiz_services.submit_attempt(
        post, s["batch"], s["reg2"], actor=s["me2"], answers=answers(post, {0})
    )
    absent, _user = enrolled(db, make.trainings, s["batch"])
    with count_queries() as n:
        check = quiz_services.post_test_checker(s["batch"])
        verdicts = [check(s["reg"]), check(s["reg2"]), check(absent)]
    assert n() == 1
    assert verdicts == [True, False, False]


def test_completion_needs_attendance_and_the_post_test(db, setup):
    s = setup
    batch = s["batch"]
    post = quiz(db.session, batch, POST, [None] * 2)
    quiz_services.submit_attempt(
        post, batch, s["reg"], actor=s["me"], answers=answers(post, {0, 1})
    )
    quiz_services.submit_attempt(post, batch, s["reg2"], actor=s["me2"], answers=answers(post, {0}))
    session = batch.sessions[0]
    for reg in (s["reg"], s["reg2"]):
        db.session.add(
            Attendance(
                session_id=session.id,
                registration_id=reg.id,
                present=True,
                method=AttendanceMethod.FACILITATOR,
            )
        )
    db.session.flush()
    outcome = attendance_services.complete_batch(
        batch,
        actor=s["facilitator"],
        post_test_passed=quiz_services.post_test_checker(batch),
        now=session.ends_at + timedelta(hours=1),
    )
    assert [r.id for r in outcome["completed"]] == [s["reg"].id]
    assert [r.id for r in outcome["not_completed"]] == [s["reg2"].id]


# --- recording an assessment --------------------------------------------------------------------


def _passed(db, s, right=(0, 1)):
    post = quiz(db.session, s["batch"], POST, [s["target"], s["target"]])
    return quiz_services.submit_attempt(
        post, s["batch"], s["reg"], actor=s["me"], answers=answers(post, set(right))
    )


def test_a_passed_post_test_is_recorded_as_evidence_once(db, make, setup):
    s = setup
    attempt = _passed(db, s)
    asn = s["reg"].asn
    kwargs = {
        "asn": asn,
        "levels": {s["target"]: 3},
        "assessed_on": clock.today(),
        "assessor": "Panitia",
    }
    with pytest.raises(DomainError):  # an admin of another OPD
        quiz_services.record_assessment(
            s["reg"], attempt, actor=make.trainings.admin(make.trainings.make.agency()), **kwargs
        )
    own_admin = make.trainings.admin(db.session.get(Agency, asn.agency_id))
    assessment = quiz_services.record_assessment(s["reg"], attempt, actor=own_admin, **kwargs)
    assert (assessment.method, assessment.is_official) == (
        AssessmentMethod.POST_TRAINING_TEST,
        False,  # evidence of learning (L2), never an official level (issue 17, point 1)
    )
    assert [(r.competency_id, r.level) for r in assessment.results] == [(s["target"], 3)]
    assert attempt.assessment_id == assessment.id
    with pytest.raises(InvalidTransition):  # once per registration, even for a city admin
        quiz_services.record_assessment(s["reg"], attempt, actor=make.trainings.admin(), **kwargs)
    assert db.session.scalar(sa.select(sa.func.count(Assessment.id))) == 1
    assert (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "training.quiz_result")
        )
        == 1
    )


def test_a_failed_post_test_or_a_foreign_competency_is_refused(db, make, setup):
    s = setup
    attempt = _passed(db, s, right=(0,))  # 50 %: not passed
    city = make.trainings.admin()
    with pytest.raises(InvalidTransition):
        quiz_services.record_assessment(
            s["reg"],
            attempt,
            actor=city,
            asn=s["reg"].asn,
            levels={s["target"]: 3},
            assessed_on=clock.today(),
            assessor="Panitia",
        )
    attempt.passed = True
    with pytest.raises(DomainError):
        quiz_services.record_assessment(
            s["reg"],
            attempt,
            actor=city,
            asn=s["reg"].asn,
            levels={s["other"]: 3},
            assessed_on=clock.today(),
            assessor="Panitia",
        )
    assert db.session.scalar(sa.select(sa.func.count(Assessment.id))) == 0


def test_suggested_levels_follow_the_post_score(db, make, setup):
    s = setup
    attempt = _passed(db, s)
    mark = quiz_services.pass_mark(None)
    rows = quiz_queries.suggested_levels(s["reg"], attempt, mark)
    assert [(cid, post, suggested) for cid, _n, _t, post, _c, suggested in rows] == [
        (s["target"], 100.0, 3)
    ]
    low = CompetencyGain(registration_id=s["reg2"].id, competency_id=s["target"], post_score=50.0)
    db.session.add(low)
    make.assessment_with_report(s["reg2"].asn, db.session.get(Competency, s["target"]), level=2)
    failed = QuizAttempt(set_id=attempt.set_id, registration_id=s["reg2"].id, score=50.0)
    rows = quiz_queries.suggested_levels(s["reg2"], failed, mark)
    assert [(post, current, suggested) for _i, _n, _t, post, current, suggested in rows] == [
        (50.0, 2, 2)
    ]
