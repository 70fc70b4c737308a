"""Helpers for the test (quiz) tests: question sets written straight into the database, batches
whose pre- or post-test is open now, and answers with a chosen number right."""

from __future__ import annotations

from datetime import timedelta

from portal.auth.models import User
from portal.db import utcnow
from portal.trainings.models import RegistrationState
from portal.trainings.quizzes.models import QuizChoice, QuizKind, QuizQuestion, QuizSet


def quiz(session, batch, kind=QuizKind.POST, competencies=(None, None), *, pass_score=None):
    """A set with one 3-choice question per item of ``competencies`` (a competency id or None);
    the first choice of each question is the correct one."""
    quiz_set = QuizSet(batch_id=batch.id, kind=kind, pass_score=pass_score)
    session.add(quiz_set)
    session.flush()
    for n, competency_id in enumerate(competencies, start=1):
        session.add(
            QuizQuestion(
                set_id=quiz_set.id,
                position=n,
                text=f"Pertanyaan {n}?",
                competency_id=competency_id,
                choices=[
                    QuizChoice(position=i, text=f"Pilihan {n}.{i}", is_correct=(i == 1))
                    for i in (1, 2, 3)
                ],
            )
        )
    session.flush()
    session.expire(quiz_set)
    return quiz_set


def answers(quiz_set, right) -> dict[int, int]:
    """Question id → choice id: the correct choice for the questions whose index is in
    ``right`` (0-based), a wrong one for the others."""
    out = {}
    for index, question in enumerate(quiz_set.questions):
        ordered = sorted(question.choices, key=lambda c: c.position)
        out[question.id] = ordered[0].id if index in right else ordered[1].id
    return out


def running_batch(tmake, *, started_hours_ago=1, hours=2, **kw):
    """An open batch with one session that started ``started_hours_ago`` hours ago (default:
    both tests are open; 3 or more: only the post-test)."""
    start = utcnow().replace(microsecond=0) - timedelta(hours=started_hours_ago)
    return tmake.batch(start=start, hours=hours, **kw)


def enrolled(db, tmake, batch, **kw):
    """An enrolled registration and its ASN's user."""
    asn = tmake.asn(**kw)
    reg = tmake.registration(batch, asn, state=RegistrationState.ENROLLED)
    return reg, db.session.get(User, asn.user_id)


def target_of(batch) -> int:
    """The competency id of the batch curriculum's (first) target."""
    return batch.curriculum.targets[0].competency_id
