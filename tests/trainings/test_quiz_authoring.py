"""Authoring a pre- or post-test, at service level: facilitators and managers write the questions,
bad questions are refused, editing is locked once someone took the test, questions move and are
deleted. (Taking the tests: test_quiz_taking.py.)"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from portal.audit import AuditEvent
from portal.errors import DomainError
from portal.trainings.quizzes import authoring as quiz_authoring
from portal.trainings.quizzes import services as quiz_services
from portal.trainings.quizzes.models import QuizKind, QuizQuestion
from tests.support.worlds import quizzes
from tests.trainings.quiz_support import answers, quiz

PRE, POST = QuizKind.PRE, QuizKind.POST

setup = quizzes.quiz_setup  # built once for the module (tests/support/worlds/quizzes.py)


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
