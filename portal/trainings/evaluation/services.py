"""Writes of the Kirkpatrick evaluation: the L1 question list, L1 answers, the follow-up action
plan (RTL) and L3 answers, with the predicates the views and templates ask. Sending the L3 forms
and their reminders is in ``l3_services``. Services flush and record; they never commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from portal import audit
from portal.db import db, utcnow
from portal.errors import DomainError, FieldError
from portal.i18n import _l
from portal.own_record import is_own_record, refuse_own_record
from portal.trainings.batches.services import can_manage
from portal.trainings.evaluation.models import (
    COMMENT_MAX,
    QUESTION_MAX,
    RATING_MAX,
    RATING_MIN,
    ActionPlanItem,
    L1Answer,
    L1Response,
    L3Form,
    L3Rating,
    PlanStatus,
    Respondent,
    SurveyAspect,
    SurveyQuestion,
)
from portal.trainings.models import (
    Registration,
    RegistrationState,
    TrainingBatch,
    is_city_admin,
    signed_in,
)
from portal.util.text import clean_text

MAX_PLAN_ITEMS = 20
PLAN_TEXT_MAX = 500
MAX_QUESTIONS = 40
OWN_L3 = _l(
    "You cannot answer the follow-up evaluation as your own supervisor: it asks another person "
    "how you apply what you learned."
)


# --- predicates -------------------------------------------------------------------------------


def l1_opens_at(batch: TrainingBatch) -> datetime | None:
    """The survey opens when the last session starts (needs ``sessions`` loaded)."""
    return max((s.starts_at for s in batch.sessions), default=None)


def l1_is_open(registration: Registration, now: datetime | None = None) -> bool:
    if registration.state == RegistrationState.COMPLETED:
        return True
    opens = l1_opens_at(registration.batch)
    return (
        registration.state == RegistrationState.ENROLLED
        and opens is not None
        and opens <= (now or utcnow())
    )


def can_answer_l1(registration: Registration, user, now: datetime | None = None) -> bool:
    """The registration's own ASN, once the last session started or the training completed."""
    return signed_in(user) and registration.user_id == user.id and l1_is_open(registration, now)


def can_see_all_l1(batch: TrainingBatch, user) -> bool:
    """The batch's managers (its admins and agency co-authors) see every rating and comment."""
    return signed_in(user) and (is_city_admin(user) or can_manage(batch, user))


def can_view_l1_results(batch: TrainingBatch, user) -> bool:
    """Managers, and the batch's facilitators (who see only their own facilitator ratings)."""
    return can_see_all_l1(batch, user) or batch.is_facilitator(user)


def is_supervisor_of(registration: Registration, user) -> bool:
    """Needs ``registration.asn.supervisor`` loaded."""
    supervisor = registration.asn.supervisor
    return signed_in(user) and supervisor is not None and supervisor.user_id == user.id


def can_edit_plan(registration: Registration, user) -> bool:
    """Only the ASN writes the RTL, while enrolled or after completing the training."""
    return (
        signed_in(user)
        and registration.user_id == user.id
        and registration.state in (RegistrationState.ENROLLED, RegistrationState.COMPLETED)
    )


def can_view_plan(registration: Registration, user) -> bool:
    """The ASN, their supervisor and the batch's managers read the RTL."""
    return (
        signed_in(user)
        and (registration.user_id == user.id or is_supervisor_of(registration, user))
    ) or can_see_all_l1(registration.batch, user)


def can_answer_l3(form: L3Form, user) -> bool:
    """The form's respondent while it is unanswered; never a supervisor form about oneself
    (a record that is its own supervisor)."""
    return (
        signed_in(user)
        and form.respondent_user_id == user.id
        and not form.is_answered
        and not (
            form.respondent == Respondent.SUPERVISOR and is_own_record(user, form.registration)
        )
    )


# --- L1 questions -----------------------------------------------------------------------------


def active_questions() -> list[SurveyQuestion]:
    return list(
        db.session.scalars(
            sa.select(SurveyQuestion)
            .where(SurveyQuestion.is_active.is_(True))
            .order_by(SurveyQuestion.position, SurveyQuestion.id)
        )
    )


@dataclass(frozen=True)
class QuestionChange:
    question: SurveyQuestion
    text: str
    position: int
    is_active: bool


def save_questions(
    changes: list[QuestionChange],
    *,
    actor,
    new_aspect: SurveyAspect | None = None,
    new_text: str = "",
) -> SurveyQuestion | None:
    """Reword, reorder, deactivate or reactivate questions and add one; refuses empty wording,
    leaving no active question, and more than MAX_QUESTIONS questions."""
    if not is_city_admin(actor):
        raise DomainError(_l("Only a city admin can change the survey questions."))
    changed = []
    for change in changes:
        question, text = change.question, clean_text(change.text, QUESTION_MAX)
        if not text:
            raise FieldError(f"text_{question.id}", _l("A question needs a wording."))
        if text != question.label:
            question.text = text
            changed.append(question.id)
        if (question.position, question.is_active) != (change.position, change.is_active):
            question.position, question.is_active = change.position, change.is_active
            changed.append(question.id)
    added = None
    new_text = clean_text(new_text, QUESTION_MAX)
    if new_text:
        if new_aspect is None:
            raise FieldError("new_aspect", _l("Choose the aspect of the new question."))
        if len(changes) >= MAX_QUESTIONS:
            raise FieldError("new_text", _l("At most %(max)d questions.", max=MAX_QUESTIONS))
        last = max((c.position for c in changes), default=0)
        added = SurveyQuestion(aspect=new_aspect, text=new_text, position=last + 1)
        db.session.add(added)
    if changes and not any(c.is_active for c in changes) and added is None:
        raise DomainError(_l("Keep at least one question active."))
    db.session.flush()
    if changed or added is not None:
        audit.record(
            actor,
            "training.survey",
            added,
            target_label="L1",
            changed=sorted(set(changed)),
            added=getattr(added, "id", None),
        )
    return added


# --- L1 answers -------------------------------------------------------------------------------


def survey_items(questions, facilitators) -> list[tuple[SurveyQuestion, object | None]]:
    """What the ASN rates: each question once, facilitator questions once per facilitator."""
    items = []
    for question in questions:
        if question.per_facilitator:
            items.extend((question, f) for f in facilitators)
        else:
            items.append((question, None))
    return items


def item_key(question, facilitator) -> str:
    return f"q{question.id}" + (f"_f{facilitator.id}" if facilitator is not None else "")


def submit_l1(
    registration: Registration,
    ratings: dict[str, int],
    *,
    actor,
    comment: str | None = None,
    now: datetime | None = None,
) -> L1Response:
    """Record the ASN's reaction survey: every item rated 1–4, once per registration."""
    now = now or utcnow()
    if not can_answer_l1(registration, actor, now):
        raise DomainError(_l("The survey is not open for you."))
    items = survey_items(active_questions(), registration.batch.facilitators)
    answers = []
    for question, facilitator in items:
        key = item_key(question, facilitator)
        value = ratings.get(key)
        if not isinstance(value, int) or not RATING_MIN <= value <= RATING_MAX:
            raise FieldError(key, _l("Choose a rating from 1 to 4."))
        answers.append(
            L1Answer(
                question_id=question.id,
                rating=value,
                facilitator_id=getattr(facilitator, "id", None),
            )
        )
    response = L1Response(
        registration_id=registration.id,
        submitted_at=now,
        comment=clean_text(comment, COMMENT_MAX) or None,
        answers=answers,
    )
    try:
        with db.session.begin_nested():
            db.session.add(response)
            db.session.flush()
    except IntegrityError:
        raise DomainError(_l("You already answered this survey.")) from None
    return response


# --- follow-up action plan (RTL) --------------------------------------------------------------


def _plan_values(text: str, status) -> tuple[str, PlanStatus]:
    text = clean_text(text, PLAN_TEXT_MAX)
    if not text:
        raise FieldError("text", _l("Describe what you will do."))
    try:
        return text, PlanStatus(status)
    except ValueError:
        raise FieldError("status", _l("Not a valid choice.")) from None


def add_plan_item(
    registration: Registration, *, actor, text: str, due_on: date | None, status=PlanStatus.PLANNED
) -> ActionPlanItem:
    """Add an RTL item (the ASN only; at most MAX_PLAN_ITEMS)."""
    if not can_edit_plan(registration, actor):
        raise DomainError(_l("Only the participant can change the follow-up action plan."))
    text, status = _plan_values(text, status)
    count = db.session.scalar(
        sa.select(sa.func.count(ActionPlanItem.id)).where(
            ActionPlanItem.registration_id == registration.id
        )
    )
    if count >= MAX_PLAN_ITEMS:
        raise DomainError(_l("At most %(max)d items.", max=MAX_PLAN_ITEMS))
    item = ActionPlanItem(registration_id=registration.id, text=text, due_on=due_on, status=status)
    db.session.add(item)
    db.session.flush()
    audit.record(
        actor,
        "training.action_plan",
        item,
        target_label=registration.batch.title,
        step="add",
        status=str(status),
    )
    return item


def update_plan_item(
    item: ActionPlanItem,
    registration: Registration,
    *,
    actor,
    text: str,
    due_on: date | None,
    status,
) -> ActionPlanItem:
    """Reword an RTL item, move its due date or change its status (the ASN only)."""
    if item.registration_id != registration.id or not can_edit_plan(registration, actor):
        raise DomainError(_l("Only the participant can change the follow-up action plan."))
    text, status = _plan_values(text, status)
    before = item.status
    item.text, item.due_on, item.status = text, due_on, status
    db.session.flush()
    audit.record(
        actor,
        "training.action_plan",
        item,
        target_label=registration.batch.title,
        step="update",
        status=str(status),
        before=str(before),
    )
    return item


# --- L3 answers -------------------------------------------------------------------------------


def answer_l3(
    form: L3Form,
    ratings: dict[int, int],
    *,
    actor,
    competency_ids: list[int],
    comment: str | None = None,
    now: datetime | None = None,
) -> L3Form:
    """The respondent rates each target competency 1–4, once (a second answer is refused, also
    when two arrive at the same moment: the answered mark is set by one conditional UPDATE).
    Refuses anyone but the respondent, and the ASN answering as their own supervisor."""
    now = now or utcnow()
    if form.respondent_user_id != getattr(actor, "id", None):
        raise DomainError(_l("This form is not yours."))
    if form.respondent == Respondent.SUPERVISOR:
        participant = db.session.scalar(
            sa.select(Registration.user_id).where(Registration.id == form.registration_id)
        )
        refuse_own_record(actor, participant, OWN_L3)
    values = {}
    for competency_id in competency_ids:
        value = ratings.get(competency_id)
        if not isinstance(value, int) or not RATING_MIN <= value <= RATING_MAX:
            raise FieldError(f"c{competency_id}", _l("Choose a rating from 1 to 4."))
        values[competency_id] = value
    taken = db.session.execute(
        sa.update(L3Form)
        .where(L3Form.id == form.id, L3Form.answered_at.is_(None))
        .values(answered_at=now, comment=clean_text(comment, COMMENT_MAX) or None)
        .execution_options(synchronize_session=False)
    ).rowcount
    if taken != 1:
        raise DomainError(_l("This form is already answered."))
    db.session.add_all(
        L3Rating(form_id=form.id, competency_id=cid, rating=value) for cid, value in values.items()
    )
    db.session.flush()
    db.session.refresh(form)
    audit.record(actor, "training.l3", form, target_label=str(form.respondent), step="answer")
    return form
