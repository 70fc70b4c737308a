"""Pre- and post-tests: taking a test once, scoring, the gain per competency, the completion
rule's ``post_test_checker``, and turning a passed post-test into an official "post-training test"
assessment. Services flush, never commit; authoring the question sets is in
:mod:`~portal.trainings.quizzes.authoring`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

import sqlalchemy as sa
from flask import current_app

from portal import audit
from portal.competency.assessments import services as competency_services
from portal.competency.models import AssessmentMethod
from portal.db import db, utcnow
from portal.errors import DomainError, InvalidTransition
from portal.i18n import _l
from portal.own_record import is_own_record, refuse_own_record
from portal.trainings.models import (
    BatchState,
    Registration,
    RegistrationState,
    TrainingBatch,
    is_admin_for,
)
from portal.trainings.quizzes.models import (
    CompetencyGain,
    QuizAnswer,
    QuizAttempt,
    QuizKind,
    QuizQuestion,
    QuizSet,
)
from portal.trainings.quizzes.queries import SEATED
from portal.util.text import clean_text

RUNNING = (BatchState.OPEN, BatchState.CLOSED)


# --- when a test opens --------------------------------------------------------------------------


def can_open_test(registration: Registration | None, quiz_set: QuizSet | None) -> bool:
    """Whether the test page opens for the holder of ``registration`` (the viewer's own in the
    batch, or None): they hold or held a seat, and the test has questions (``quiz_set`` with its
    questions loaded, or None). The page then takes the answers while the test is open and shows
    the score afterwards; anyone else gets a 404, so no link to it is shown."""
    return (
        registration is not None
        and registration.state in SEATED
        and quiz_set is not None
        and bool(quiz_set.questions)
    )


def pass_mark(quiz_set: QuizSet | None) -> int:
    """The set's own pass mark, else ``TRAINING_POST_TEST_PASS_SCORE``."""
    if quiz_set is not None and quiz_set.pass_score is not None:
        return quiz_set.pass_score
    return int(current_app.config["TRAINING_POST_TEST_PASS_SCORE"])


def window(batch: TrainingBatch, kind: QuizKind) -> tuple[datetime | None, datetime | None]:
    """When a test can be taken: the pre-test until the first session ends, the post-test from
    the start of the last session (until the batch is completed). (None, None): no sessions."""
    if not batch.sessions:
        return None, None
    if kind == QuizKind.PRE:
        return None, min(s.ends_at for s in batch.sessions)
    return max(s.starts_at for s in batch.sessions), None


def is_open(batch: TrainingBatch, kind: QuizKind, now: datetime | None = None) -> bool:
    now = now or utcnow()
    if batch.state not in RUNNING or not batch.sessions:
        return False
    opens, closes = window(batch, kind)
    return (opens is None or opens <= now) and (closes is None or now < closes)


def target_ids(batch: TrainingBatch) -> set[int]:
    """The competencies the batch's curriculum targets (their ids)."""
    return {t.competency_id for t in batch.curriculum.targets}


# --- taking a test ------------------------------------------------------------------------------


def score(questions, answers: dict[int, int]) -> tuple[float, dict[int, float], dict[int, bool]]:
    """The % correct overall, per competency (of that competency's questions), and per question
    whether the chosen choice (``answers``: question id → choice id) is the correct one."""
    right: dict[int, bool] = {}
    per: dict[int, list[bool]] = {}
    for question in questions:
        correct = question.correct_choice
        ok = correct is not None and answers.get(question.id) == correct.id
        right[question.id] = ok
        if question.competency_id is not None:
            per.setdefault(question.competency_id, []).append(ok)
    overall = round(100 * sum(right.values()) / len(right), 2) if right else 0.0
    return overall, {cid: round(100 * sum(oks) / len(oks), 2) for cid, oks in per.items()}, right


def submit_attempt(
    quiz_set: QuizSet,
    batch: TrainingBatch,
    registration: Registration,
    *,
    actor,
    answers: dict[int, int],
    now: datetime | None = None,
) -> QuizAttempt:
    """Score an enrolled ASN's answers (one per question, each a choice of that question) and
    store the attempt and the per-competency scores. Refused outside the test's window, for
    anyone but the enrolled ASN, and a second time."""
    now = now or utcnow()
    if registration.user_id != getattr(actor, "id", None) or registration.batch_id != batch.id:
        raise DomainError(_l("Only the participant can take their own test."))
    if registration.state != RegistrationState.ENROLLED:
        raise InvalidTransition(_l("Only enrolled participants can take the test."))
    if not is_open(batch, quiz_set.kind, now):
        raise InvalidTransition(_l("This test is not open now."))
    questions = list(quiz_set.questions)
    if not questions:
        raise DomainError(_l("This test has no questions yet."))
    valid = {q.id: {c.id for c in q.choices} for q in questions}
    if set(answers) != set(valid) or any(answers[q] not in valid[q] for q in valid):
        raise DomainError(_l("Answer every question."))
    overall, per, right = score(questions, answers)
    attempt = QuizAttempt(
        set_id=quiz_set.id,
        registration_id=registration.id,
        score=overall,
        passed=overall + 1e-9 >= pass_mark(quiz_set),
        submitted_at=now,
        answers=[
            QuizAnswer(question_id=q, choice_id=c, is_correct=right[q])
            for q, c in sorted(answers.items())
        ],
    )
    taken = InvalidTransition(_l("You have already taken this test."))
    if db.session.scalar(
        sa.select(
            sa.exists().where(
                QuizAttempt.set_id == quiz_set.id, QuizAttempt.registration_id == registration.id
            )
        )
    ):
        raise taken
    try:  # two tabs submitting at once: the unique constraint keeps one attempt
        with db.session.begin_nested():
            db.session.add(attempt)
    except sa.exc.IntegrityError:
        raise taken from None
    _store_gains(registration.id, quiz_set.kind, per)
    return attempt


def _store_gains(registration_id: int, kind: QuizKind, per: dict[int, float]) -> None:
    if not per:
        return
    rows = {
        g.competency_id: g
        for g in db.session.scalars(
            sa.select(CompetencyGain).where(CompetencyGain.registration_id == registration_id)
        )
    }
    for competency_id, value in per.items():
        row = rows.get(competency_id)
        if row is None:
            row = CompetencyGain(registration_id=registration_id, competency_id=competency_id)
            db.session.add(row)
        if kind == QuizKind.PRE:
            row.pre_score = value
        else:
            row.post_score = value
        both = row.pre_score is not None and row.post_score is not None
        row.gain = round(row.post_score - row.pre_score, 2) if both else None
    db.session.flush()


# --- the completion rule ------------------------------------------------------------------------


def post_test_checker(batch: TrainingBatch) -> Callable[[Registration], bool]:
    """A predicate ``registration -> bool``: has this registration passed the batch's post-test?

    One query for the whole batch. A batch without a post-test (no set, or a set without
    questions) lets every registration pass: attendance alone decides.
    """
    has_questions = sa.exists().where(QuizQuestion.set_id == QuizSet.id)
    rows = db.session.execute(
        sa.select(has_questions, QuizAttempt.registration_id, QuizAttempt.passed)
        .select_from(QuizSet)
        .outerjoin(QuizAttempt, QuizAttempt.set_id == QuizSet.id)
        .where(QuizSet.batch_id == batch.id, QuizSet.kind == QuizKind.POST)
    ).all()
    if not rows or not rows[0][0]:
        return lambda registration: True
    passed = {registration_id for _, registration_id, ok in rows if ok}
    return lambda registration: registration.id in passed


# --- from a passed post-test to an official assessment ------------------------------------------


def can_record_assessment(registration: Registration, user) -> bool:
    """A city admin or an admin of the ASN's OPD, never for their own registration (another
    admin records it). ``registration``: anything with ``agency_id`` and ``user_id``."""
    return is_admin_for(user, registration.agency_id) and not is_own_record(user, registration)


def record_assessment(
    registration: Registration,
    attempt: QuizAttempt,
    *,
    actor,
    asn,
    levels: dict[int, int],
    assessed_on: date,
    assessor: str,
    note: str | None = None,
):
    """Record the passed post-test ``attempt`` of ``registration`` as an official
    "post-training test" assessment (levels 1–5 of the curriculum's target competencies), through
    the competency service. Refused for other admins, for a pre-test or a failed post-test, for
    competencies that are not targets of the curriculum, a second time, and the admin's own
    registration (saying why: another admin records it)."""
    refuse_own_record(actor, registration, competency_services.OWN_ASSESSMENT)
    if not can_record_assessment(registration, actor):
        raise DomainError(_l("Only an admin of the participant's OPD can record this."))
    if (
        attempt.registration_id != registration.id
        or attempt.quiz_set.kind != QuizKind.POST
        or not attempt.passed
    ):
        raise InvalidTransition(_l("Only a passed post-test can become an assessment."))
    if attempt.assessment_id is not None:
        raise InvalidTransition(_l("This post-test is already recorded as an assessment."))
    targets = target_ids(registration.batch)
    if not levels or not set(levels) <= targets:
        raise DomainError(_l("Choose a level for the curriculum's target competencies."))
    assessment = competency_services.record_assessment(
        asn,
        actor=actor,
        method=AssessmentMethod.POST_TRAINING_TEST,
        assessed_on=assessed_on,
        assessor=clean_text(assessor, 200) or registration.batch.title,
        levels=levels,
        note=clean_text(note) or None,
    )
    claimed = db.session.execute(
        sa.update(QuizAttempt)
        .where(QuizAttempt.id == attempt.id, QuizAttempt.assessment_id.is_(None))
        .values(assessment_id=assessment.id)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:  # recorded meanwhile by another admin
        raise InvalidTransition(_l("This post-test is already recorded as an assessment."))
    attempt.assessment_id = assessment.id
    audit.record(
        actor,
        "training.quiz_result",
        registration,
        target_label=registration.batch.title,
        assessment=assessment.id,
        score=attempt.score,
        levels={str(k): v for k, v in sorted(levels.items())},
    )
    return assessment
