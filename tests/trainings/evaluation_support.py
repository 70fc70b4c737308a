"""Shared builders of the evaluation tests: a batch whose last session is over, completed
registrations with supervisors, L1 answers and L3 forms written directly."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from portal.db import utcnow
from portal.trainings.evaluation.models import (
    L1Answer,
    L1Response,
    L3Form,
    L3Rating,
    SurveyQuestion,
)
from portal.trainings.models import BatchState, RegistrationState


def questions(session):
    return list(
        session.scalars(
            sa.select(SurveyQuestion)
            .where(SurveyQuestion.is_active.is_(True))
            .order_by(SurveyQuestion.position, SurveyQuestion.id)
        )
    )


def past_batch(tmake, *, facilitators=(), curriculum=None, completed_days_ago=None, **kw):
    """A batch whose only session ended yesterday; completed ``completed_days_ago`` days ago
    when given (the state and moment set directly)."""
    start = utcnow().replace(microsecond=0) - timedelta(days=(completed_days_ago or 0) + 1)
    batch = tmake.batch(
        state=BatchState.CLOSED, start=start, facilitators=facilitators, curriculum=curriculum, **kw
    )
    if completed_days_ago is not None:
        batch.state = BatchState.COMPLETED
        batch.completed_at = utcnow() - timedelta(days=completed_days_ago)
    tmake.session.flush()
    return batch


def participants(tmake, batch, n, *, state=RegistrationState.COMPLETED):
    return [tmake.registration(batch, state=state) for _ in range(n)]


def all_ratings(session, batch, rating=3, per_facilitator=None):
    """Every survey item rated ``rating`` (facilitator items: ``per_facilitator[id]`` if given)."""
    from portal.trainings.evaluation.services import item_key, survey_items

    session.refresh(batch)
    out = {}
    for question, facilitator in survey_items(questions(session), batch.facilitators):
        value = rating
        if facilitator is not None and per_facilitator:
            value = per_facilitator.get(facilitator.id, rating)
        out[item_key(question, facilitator)] = value
    return out


def l1_response(
    session, registration, ratings: dict[int, int], *, facilitator_ratings=None, comment=None
):
    """An L1 response written directly: ``ratings`` by aspect value (e.g. {"material": 3}),
    ``facilitator_ratings`` {facilitator_id: rating}."""
    answers = []
    for q in questions(session):
        if q.per_facilitator:
            answers.extend(
                L1Answer(question_id=q.id, facilitator_id=fid, rating=r)
                for fid, r in (facilitator_ratings or {}).items()
            )
        else:
            answers.append(L1Answer(question_id=q.id, rating=ratings.get(q.aspect.value, 3)))
    response = L1Response(registration_id=registration.id, comment=comment, answers=answers)
    session.add(response)
    session.flush()
    return response


def l3_answered(session, registration, respondent, user_id, ratings: dict[int, int]):
    today = utcnow().date()
    form = L3Form(
        registration_id=registration.id,
        respondent=respondent,
        respondent_user_id=user_id,
        sent_on=today,
        due_on=today + timedelta(days=30),
        answered_at=utcnow() if ratings else None,
    )
    session.add(form)
    session.flush()
    session.add_all(
        L3Rating(form_id=form.id, competency_id=c, rating=r) for c, r in ratings.items()
    )
    session.flush()
    return form
