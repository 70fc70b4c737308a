"""Pre- and post-tests at service level: scoring, per-competency scores and gains, the test
windows, one attempt only, locked editing, the completion rule's checker, and recording a passed
post-test as an official assessment."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from portal.audit import AuditEvent
from portal.auth.models import User
from portal.competency.models import Assessment, AssessmentMethod, Competency
from portal.db import utcnow
from portal.errors import DomainError, InvalidTransition
from portal.institutions.models import Agency
from portal.trainings.attendance import services as attendance_services
from portal.trainings.models import Attendance, AttendanceMethod, BatchState, RegistrationState
from portal.trainings.quizzes import authoring as quiz_authoring
from portal.trainings.quizzes import queries as quiz_queries
from portal.trainings.quizzes import services as quiz_services
from portal.trainings.quizzes.models import CompetencyGain, QuizAttempt, QuizKind, QuizQuestion
from portal.util import clock
from tests.trainings.quiz_support import answers, enrolled, quiz, running_batch, target_of

PRE, POST = QuizKind.PRE, QuizKind.POST


@pytest.fixture
def setup(db, make):
    """A running batch (both tests open), a target competency and another one, two enrolled
    ASN, the curriculum partner OPD's admin and a facilitator."""
    facilitator = make.trainings.facilitator()
    batch = running_batch(make.trainings, facilitators=[facilitator])
    target = target_of(batch)
    other = make.competency().id
    reg, me = enrolled(db, make.trainings, batch)
    reg2, me2 = enrolled(db, make.trainings, batch)
    return {
        "batch": batch,
        "target": target,
        "other": other,
        "reg": reg,
        "me": me,
        "reg2": reg2,
        "me2": me2,
        "facilitator": facilitator,
    }


def test_score_is_the_share_correct_overall_and_per_competency(db, setup):
    quiz_set = quiz(
        db.session, setup["batch"], POST, [setup["target"], setup["target"], setup["other"], None]
    )
    overall, per, right = quiz_services.score(quiz_set.questions, answers(quiz_set, {0, 2, 3}))
    assert overall == 75.0
    assert per == {setup["target"]: 50.0, setup["other"]: 100.0}
    assert sum(right.values()) == 3


def test_pre_and_post_store_attempts_and_gains_per_competency(db, setup):
    s = setup
    pre = quiz(db.session, s["batch"], PRE, [s["target"], s["target"], s["other"], s["other"]])
    post = quiz(db.session, s["batch"], POST, [s["target"], s["target"], s["other"], s["other"]])
    first = quiz_services.submit_attempt(
        pre, s["batch"], s["reg"], actor=s["me"], answers=answers(pre, {0})
    )
    assert (first.score, first.passed) == (25.0, False)
    after_pre = db.session.scalars(sa.select(CompetencyGain)).all()
    assert {(g.competency_id, g.pre_score, g.post_score, g.gain) for g in after_pre} == {
        (s["target"], 50.0, None, None),
        (s["other"], 0.0, None, None),
    }
    second = quiz_services.submit_attempt(
        post, s["batch"], s["reg"], actor=s["me"], answers=answers(post, {0, 1, 2})
    )
    assert (second.score, second.passed) == (75.0, True)  # pass mark 70 from the config
    gains = {g.competency_id: g for g in db.session.scalars(sa.select(CompetencyGain))}
    assert (
        gains[s["target"]].pre_score,
        gains[s["target"]].post_score,
        gains[s["target"]].gain,
    ) == (50.0, 100.0, 50.0)
    assert (gains[s["other"]].post_score, gains[s["other"]].gain) == (50.0, 50.0)
    assert len(second.answers) == 4 and sum(a.is_correct for a in second.answers) == 3


def test_the_set_pass_mark_overrides_the_default(db, setup):
    s = setup
    post = quiz(db.session, s["batch"], POST, [None] * 4, pass_score=80)
    attempt = quiz_services.submit_attempt(
        post, s["batch"], s["reg"], actor=s["me"], answers=answers(post, {0, 1, 2})
    )
    assert (attempt.score, attempt.passed) == (75.0, False)


def test_a_test_is_taken_once(db, setup):
    s = setup
    post = quiz(db.session, s["batch"], POST)
    quiz_services.submit_attempt(
        post, s["batch"], s["reg"], actor=s["me"], answers=answers(post, {0})
    )
    with pytest.raises(InvalidTransition):
        quiz_services.submit_attempt(
            post, s["batch"], s["reg"], actor=s["me"], answers=answers(post, {0, 1})
        )
    assert db.session.scalar(sa.select(sa.func.count(QuizAttempt.id))) == 1


def test_every_question_needs_an_answer_of_its_own(db, setup):
    s = setup
    post = quiz(db.session, s["batch"], POST)
    given = answers(post, {0, 1})
    first, second = list(given)
    with pytest.raises(DomainError):
        quiz_services.submit_attempt(
            post, s["batch"], s["reg"], actor=s["me"], answers={first: given[first]}
        )
    with pytest.raises(DomainError):  # the first question's choice given to the second
        quiz_services.submit_attempt(
            post,
            s["batch"],
            s["reg"],
            actor=s["me"],
            answers={first: given[first], second: given[first]},
        )
    with pytest.raises(DomainError):  # someone else's registration
        quiz_services.submit_attempt(post, s["batch"], s["reg"], actor=s["me2"], answers=given)
    assert db.session.scalar(sa.select(sa.func.count(QuizAttempt.id))) == 0


def test_only_enrolled_participants_take_the_test(db, make, setup):
    s = setup
    post = quiz(db.session, s["batch"], POST)
    waiting = make.trainings.asn()
    reg = make.trainings.registration(s["batch"], waiting, state=RegistrationState.WAITLISTED)
    with pytest.raises(InvalidTransition):
        quiz_services.submit_attempt(
            post,
            s["batch"],
            reg,
            actor=db.session.get(User, waiting.user_id),
            answers=answers(post, {0}),
        )


def test_windows_pre_until_the_first_session_ends_post_from_the_last_start(db, make):
    now = utcnow()
    batch = make.trainings.batch(start=now.replace(microsecond=0) + timedelta(days=1), sessions=3)
    ends_first = batch.sessions[0].ends_at
    starts_last = batch.sessions[-1].starts_at
    assert quiz_services.is_open(batch, PRE, now)
    assert not quiz_services.is_open(batch, PRE, ends_first)
    assert not quiz_services.is_open(batch, POST, now)
    assert not quiz_services.is_open(batch, POST, starts_last - timedelta(seconds=1))
    assert quiz_services.is_open(batch, POST, starts_last)
    assert quiz_services.is_open(batch, POST, starts_last + timedelta(days=30))
    batch.state = BatchState.COMPLETED
    assert not quiz_services.is_open(batch, POST, starts_last + timedelta(hours=1))
    draft = make.trainings.batch(state=BatchState.DRAFT)
    assert not quiz_services.is_open(draft, PRE, now)


def test_submitting_outside_the_window_is_refused(db, make):
    batch = running_batch(make.trainings, started_hours_ago=5)  # the only session has ended
    reg, me = enrolled(db, make.trainings, batch)
    pre = quiz(db.session, batch, PRE)
    with pytest.raises(InvalidTransition):
        quiz_services.submit_attempt(pre, batch, reg, actor=me, answers=answers(pre, {0}))
    post = quiz(db.session, batch, POST)
    assert quiz_services.submit_attempt(post, batch, reg, actor=me, answers=answers(post, {0}))


# --- authoring ----------------------------------------------------------------------------------


def test_facilitators_and_managers_author_questions(db, make, setup):
    s = setup
    batch = s["batch"]
    question = quiz_authoring.add_question(
        batch,
        PRE,
        actor=s["facilitator"],
        text="Apa itu SKP?",
        competency_id=s["target"],
        choices=["Sasaran Kinerja Pegawai", "", "Surat Keputusan", ""],
        correct=0,
    )
    assert [c.text for c in question.choices] == ["Sasaran Kinerja Pegawai", "Surat Keputusan"]
    assert [c.is_correct for c in question.choices] == [True, False]
    admin = make.trainings.admin(batch.curriculum.agency)
    second = quiz_authoring.add_question(
        batch, PRE, actor=admin, text="Dua?", competency_id=None, choices=["a", "b"], correct=1
    )
    assert second.position == question.position + 1
    outsider = make.trainings.admin(make.trainings.make.agency())
    with pytest.raises(DomainError):
        quiz_authoring.add_question(
            batch, PRE, actor=outsider, text="X?", competency_id=None, choices=["a", "b"], correct=0
        )
    assert (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "training.quiz")
        )
        == 2
    )


@pytest.mark.parametrize(
    ("choices", "correct", "competency"),
    [(["only one"], 0, None), (["a", "b"], 2, None), (["a", "", "c"], 1, None),
     (["a", "b"], 0, "other"), ([f"c{i}" for i in range(7)], 0, None)],
)  # fmt: skip
def test_bad_questions_are_refused(db, setup, choices, correct, competency):
    s = setup
    with pytest.raises(DomainError):
        quiz_authoring.add_question(
            s["batch"],
            POST,
            actor=s["facilitator"],
            text="Soal?",
            competency_id=s[competency] if competency else None,
            choices=choices,
            correct=correct,
        )


def test_editing_is_locked_once_someone_took_the_test(db, setup):
    s = setup
    post = quiz(db.session, s["batch"], POST)
    question = post.questions[0]
    quiz_services.submit_attempt(
        post, s["batch"], s["reg"], actor=s["me"], answers=answers(post, {0})
    )
    actor = s["facilitator"]
    with pytest.raises(quiz_authoring.QuizLocked):
        quiz_authoring.add_question(
            s["batch"],
            POST,
            actor=actor,
            text="Baru?",
            competency_id=None,
            choices=["a", "b"],
            correct=0,
        )
    with pytest.raises(quiz_authoring.QuizLocked):
        quiz_authoring.update_question(
            question,
            s["batch"],
            actor=actor,
            text="Ubah?",
            competency_id=None,
            choices=["a", "b"],
            correct=0,
        )
    with pytest.raises(quiz_authoring.QuizLocked):
        quiz_authoring.delete_question(question, s["batch"], actor=actor)
    with pytest.raises(quiz_authoring.QuizLocked):
        quiz_authoring.set_pass_score(s["batch"], POST, actor=actor, pass_score=50)
    # the pre-test, still untaken, can change
    assert (
        quiz_authoring.set_pass_score(s["batch"], PRE, actor=actor, pass_score=50).pass_score == 50
    )


def test_questions_move_up_and_down(db, setup):
    s = setup
    post = quiz(db.session, s["batch"], POST, [None, None, None])
    first, second, third = post.questions
    quiz_authoring.move_question(third, s["batch"], actor=s["facilitator"], step=-1)
    db.session.expire(post)
    assert [q.id for q in post.questions] == [first.id, third.id, second.id]
    quiz_authoring.move_question(first, s["batch"], actor=s["facilitator"], step=-1)  # at the top
    db.session.expire(post)
    assert [q.id for q in post.questions] == [first.id, third.id, second.id]


def test_deleting_a_question_removes_it(db, setup):
    s = setup
    post = quiz(db.session, s["batch"], POST, [None, None])
    quiz_authoring.delete_question(post.questions[0], s["batch"], actor=s["facilitator"])
    assert db.session.scalar(sa.select(sa.func.count(QuizQuestion.id))) == 1


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


def test_a_passed_post_test_becomes_an_official_assessment_once(db, make, setup):
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
        True,
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
