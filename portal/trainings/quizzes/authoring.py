"""Authoring a batch's pre- and post-test: who may edit them, the question sets, their questions
(add, edit, delete, reorder) and pass marks. Locked once a participant has taken the test.
Services flush, never commit; taking and scoring a test is in :mod:`~portal.trainings.quizzes.services`.
"""

from __future__ import annotations

import sqlalchemy as sa

from portal.db import db
from portal.errors import DomainError, InvalidTransition
from portal.i18n import _l
from portal.trainings.batches.services import can_manage
from portal.trainings.common import record_batch
from portal.trainings.models import BatchState, TrainingBatch
from portal.trainings.quizzes.models import (
    CHOICE_MAX,
    MAX_CHOICES,
    MIN_CHOICES,
    QUESTION_MAX,
    QuizAttempt,
    QuizChoice,
    QuizKind,
    QuizQuestion,
    QuizSet,
)
from portal.trainings.quizzes.services import RUNNING, target_ids
from portal.util.text import clean_text


class QuizLocked(InvalidTransition):
    default_message = _l("This test can no longer be changed: participants have already taken it.")


# --- who may author -----------------------------------------------------------------------------


def can_author(batch: TrainingBatch, user) -> bool:
    """The batch's managers (``batch_services.can_manage``) and its facilitators author the tests
    and see the results."""
    return can_manage(batch, user) or batch.is_facilitator(user)


def has_attempts(quiz_set: QuizSet | None) -> bool:
    if quiz_set is None or quiz_set.id is None:
        return False
    return db.session.scalar(sa.select(sa.exists().where(QuizAttempt.set_id == quiz_set.id)))


# --- authoring ----------------------------------------------------------------------------------


def _check_editable(batch: TrainingBatch, quiz_set: QuizSet | None, actor) -> None:
    if not can_author(batch, actor):
        raise DomainError(_l("Only the training's managers and facilitators can edit its tests."))
    if batch.state not in (BatchState.DRAFT, *RUNNING):
        raise InvalidTransition(_l("The tests of a completed or cancelled training are final."))
    if has_attempts(quiz_set):
        raise QuizLocked()


def _clean_question(batch, text, competency_id, choices, correct):
    text = clean_text(text, 10 * QUESTION_MAX)
    if not text:
        raise DomainError(_l("Write the question."))
    if len(text) > QUESTION_MAX:
        raise DomainError(_l("At most %(max)d characters.", max=QUESTION_MAX))
    if competency_id is not None and competency_id not in target_ids(batch):
        raise DomainError(_l("Choose one of the curriculum's target competencies."))
    filled = [(i, clean_text(c, 10 * CHOICE_MAX)) for i, c in enumerate(choices)]
    filled = [(i, c) for i, c in filled if c]
    if not MIN_CHOICES <= len(filled) <= MAX_CHOICES:
        raise DomainError(
            _l("Give between %(min)d and %(max)d choices.", min=MIN_CHOICES, max=MAX_CHOICES)
        )
    if any(len(c) > CHOICE_MAX for _, c in filled):
        raise DomainError(_l("At most %(max)d characters.", max=CHOICE_MAX))
    if correct not in {i for i, _ in filled}:
        raise DomainError(_l("Mark exactly one filled-in choice as the correct answer."))
    return text, [
        QuizChoice(position=n, text=c, is_correct=(i == correct))
        for n, (i, c) in enumerate(filled, start=1)
    ]


def set_for(batch: TrainingBatch, kind: QuizKind, *, create: bool = False) -> QuizSet | None:
    quiz_set = db.session.scalars(
        sa.select(QuizSet).where(QuizSet.batch_id == batch.id, QuizSet.kind == kind)
    ).first()
    if quiz_set is None and create:
        quiz_set = QuizSet(batch_id=batch.id, kind=kind)
        db.session.add(quiz_set)
        db.session.flush()
    return quiz_set


def add_question(
    batch: TrainingBatch,
    kind: QuizKind,
    *,
    actor,
    text: str,
    competency_id: int | None,
    choices: list[str],
    correct: int,
) -> QuizQuestion:
    """Append a question to the batch's ``kind`` test (made on first use). ``choices`` are the
    typed choices (blank ones dropped, 2–6 kept); ``correct`` is the index of the right one.
    Refused once someone took the test, and for completed or cancelled trainings."""
    quiz_set = set_for(batch, kind)
    _check_editable(batch, quiz_set, actor)
    text, rows = _clean_question(batch, text, competency_id, choices, correct)
    quiz_set = quiz_set or set_for(batch, kind, create=True)
    last = db.session.scalar(
        sa.select(sa.func.max(QuizQuestion.position)).where(QuizQuestion.set_id == quiz_set.id)
    )
    question = QuizQuestion(
        set_id=quiz_set.id,
        position=(last or 0) + 1,
        text=text,
        competency_id=competency_id,
        choices=rows,
    )
    db.session.add(question)
    db.session.flush()
    record_batch(actor, "training.quiz", batch, "add", kind=kind.value, question=question.id)
    return question


def update_question(
    question: QuizQuestion,
    batch: TrainingBatch,
    *,
    actor,
    text: str,
    competency_id: int | None,
    choices: list[str],
    correct: int,
) -> None:
    """Replace a question's wording, competency and choices (same rules as adding)."""
    _check_editable(batch, question.quiz_set, actor)
    text, rows = _clean_question(batch, text, competency_id, choices, correct)
    question.text, question.competency_id = text, competency_id
    question.choices = rows
    db.session.flush()
    record_batch(
        actor,
        "training.quiz",
        batch,
        "edit",
        kind=question.quiz_set.kind.value,
        question=question.id,
    )


def delete_question(question: QuizQuestion, batch: TrainingBatch, *, actor) -> None:
    _check_editable(batch, question.quiz_set, actor)
    kind, ident = question.quiz_set.kind.value, question.id
    db.session.delete(question)
    db.session.flush()
    record_batch(actor, "training.quiz", batch, "delete", kind=kind, question=ident)


def move_question(question: QuizQuestion, batch: TrainingBatch, *, actor, step: int) -> None:
    """Swap a question with its neighbour above (``step`` −1) or below (+1); at an end, no-op."""
    quiz_set = question.quiz_set
    _check_editable(batch, quiz_set, actor)
    ordered = list(quiz_set.questions)
    for n, item in enumerate(ordered, start=1):  # renumber: positions may have gaps
        item.position = n
    index = ordered.index(question)
    other = index + (1 if step > 0 else -1)
    if 0 <= other < len(ordered):
        ordered[index].position, ordered[other].position = other + 1, index + 1
        db.session.flush()
        record_batch(
            actor, "training.quiz", batch, "move", kind=quiz_set.kind.value, question=question.id
        )
    db.session.flush()


def set_pass_score(batch: TrainingBatch, kind: QuizKind, *, actor, pass_score: int | None):
    """The set's own pass mark (1–100), or None for the configured one."""
    quiz_set = set_for(batch, kind)
    _check_editable(batch, quiz_set, actor)
    if pass_score is not None and not 1 <= pass_score <= 100:
        raise DomainError(_l("A pass mark runs from 1 to 100."))
    quiz_set = quiz_set or set_for(batch, kind, create=True)
    quiz_set.pass_score = pass_score
    db.session.flush()
    record_batch(
        actor, "training.quiz", batch, "pass_score", kind=kind.value, pass_score=pass_score
    )
    return quiz_set
