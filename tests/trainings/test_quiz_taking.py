"""Taking a pre- or post-test, at service level: scoring, per-competency scores and gains, the
pass mark, one attempt only, an answer for every question, enrolled participants only, and the
test windows. (Authoring: test_quiz_authoring.py; what a result leads to:
test_quiz_results.py.)"""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from portal.auth.models import User
from portal.db import utcnow
from portal.errors import DomainError, InvalidTransition
from portal.trainings.models import BatchState, RegistrationState
from portal.trainings.quizzes import services as quiz_services
from portal.trainings.quizzes.models import CompetencyGain, QuizAttempt, QuizKind
from tests.support.worlds import quizzes
from tests.trainings.quiz_support import answers, enrolled, quiz, running_batch

PRE, POST = QuizKind.PRE, QuizKind.POST

setup = quizzes.quiz_setup  # built once for the module (tests/support/worlds/quizzes.py)


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
