"""Sending the L3 behaviour forms and their reminders (the daily ``send-l3-forms`` job).

``TRAINING_L3_AFTER_DAYS`` days after a batch completed, each completed participant and their
current supervisor get one form each (the unique key keeps it at one per respondent), to answer
within ``L3_ANSWER_DAYS``. Unanswered forms are reminded every ``TRAINING_L3_REMINDER_DAYS``;
the reminder mark is set by one conditional UPDATE, so running the job twice a day (even at the
same moment) reminds nobody twice. Days are days in Medan (WIB).
"""

from __future__ import annotations

from datetime import date, time, timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from portal import audit
from portal.auth.models import User
from portal.competency.models import AsnProfile
from portal.db import db
from portal.i18n import _l
from portal.notify import register_messages, tell
from portal.own_record import is_own_record
from portal.trainings.evaluation.models import L3Form, Respondent
from portal.trainings.models import (
    BatchState,
    Registration,
    RegistrationState,
    TrainingBatch,
)
from portal.util import clock, links

#: Days the respondent has to answer, counted from the day the form is sent.
L3_ANSWER_DAYS = 30

register_messages(
    trainings__l3_form=_l(
        "How is “%(training)s” applied on the job by %(asn)s? Please answer the follow-up "
        "evaluation by %(due)s (%(days)s days left)."
    ),
    trainings__l3_reminder=_l(
        "Reminder: the follow-up evaluation of “%(training)s” for %(asn)s is still open; "
        "%(days)s days left (due %(due)s)."
    ),
    trainings__l3_overdue=_l(
        "Reminder: the follow-up evaluation of “%(training)s” for %(asn)s was due on %(due)s. "
        "Please answer it now."
    ),
)


def _form_link(form: L3Form) -> str | None:
    return links.link("trainings.l3_form", form_id=form.id)


def _params(form: L3Form, registration: Registration, asn_name: str, today: date) -> dict:
    return {
        "training": registration.batch.title,
        "asn": asn_name,
        "due": form.due_on,
        "days": max((form.due_on - today).days, 0),
    }


def _due_registrations(today: date) -> list[Registration]:
    """Completed registrations of batches completed at least N days ago (local days) that miss
    a form of at least one respondent."""
    after = int(current_app.config["TRAINING_L3_AFTER_DAYS"])
    before = clock.local_moment(today - timedelta(days=after - 1), time(0))
    has = {
        who: sa.exists().where(L3Form.registration_id == Registration.id, L3Form.respondent == who)
        for who in Respondent
    }
    return list(
        db.session.scalars(
            sa.select(Registration)
            .join(TrainingBatch, TrainingBatch.id == Registration.batch_id)
            .where(
                Registration.state == RegistrationState.COMPLETED,
                TrainingBatch.state == BatchState.COMPLETED,
                TrainingBatch.completed_at < before,
                sa.or_(~has[Respondent.ASN], ~has[Respondent.SUPERVISOR]),
            )
            .options(
                selectinload(Registration.batch),
                selectinload(Registration.user),
                selectinload(Registration.asn).selectinload(AsnProfile.supervisor),
            )
            .order_by(Registration.id)
        )
    )


def _respondents(registration: Registration) -> list[tuple[Respondent, User]]:
    """The participant, and their supervisor unless that is the participant themself (a record
    that is its own supervisor): nobody answers as their own supervisor."""
    found = [(Respondent.ASN, registration.user)]
    supervisor = registration.asn.supervisor
    if supervisor is not None and not is_own_record(registration.user, supervisor):
        found.append((Respondent.SUPERVISOR, db.session.get(User, supervisor.user_id)))
    return [(who, user) for who, user in found if user is not None and user.is_active]


def send_due_forms(today: date | None = None) -> int:
    """Create and announce the L3 forms that are due; returns how many were created."""
    today = today or clock.today()
    created = 0
    for registration in _due_registrations(today):
        for who, user in _respondents(registration):
            form = L3Form(
                registration_id=registration.id,
                respondent=who,
                respondent_user_id=user.id,
                sent_on=today,
                due_on=today + timedelta(days=L3_ANSWER_DAYS),
            )
            try:
                with db.session.begin_nested():
                    db.session.add(form)
                    db.session.flush()
            except IntegrityError:  # this respondent's form exists (or another run made it)
                continue
            created += 1
            audit.record(
                None,
                "training.l3",
                form,
                target_label=registration.batch.title,
                step="send",
                respondent=str(who),
            )
            tell(
                [user],
                "trainings.l3_form",
                link=_form_link(form),
                **_params(form, registration, registration.user.full_name, today),
            )
    return created


def send_reminders(today: date | None = None) -> int:
    """Remind every unanswered form whose last notice is REMINDER_DAYS or more old; returns the
    number of reminders sent. A form answered in the meantime is never reminded."""
    today = today or clock.today()
    cutoff = today - timedelta(days=int(current_app.config["TRAINING_L3_REMINDER_DAYS"]))
    last_notice = sa.func.coalesce(L3Form.last_reminded_on, L3Form.sent_on)
    due = list(
        db.session.scalars(
            sa.select(L3Form)
            .where(L3Form.answered_at.is_(None), last_notice <= cutoff)
            .options(
                selectinload(L3Form.registration).selectinload(Registration.batch),
                selectinload(L3Form.registration).selectinload(Registration.user),
            )
            .order_by(L3Form.id)
        )
    )
    users = {
        u.id: u
        for u in db.session.scalars(
            sa.select(User).where(User.id.in_({f.respondent_user_id for f in due}))
        )
    }
    sent = 0
    for form in due:
        user = users.get(form.respondent_user_id)
        if user is None or not user.is_active:
            continue
        taken = db.session.execute(
            sa.update(L3Form)
            .where(L3Form.id == form.id, L3Form.answered_at.is_(None), last_notice <= cutoff)
            .values(last_reminded_on=today, reminders=L3Form.reminders + 1)
            .execution_options(synchronize_session=False)
        ).rowcount
        if taken != 1:
            continue
        sent += 1
        key = "trainings.l3_reminder" if form.due_on >= today else "trainings.l3_overdue"
        registration = form.registration
        tell(
            [user],
            key,
            link=_form_link(form),
            **_params(form, registration, registration.user.full_name, today),
        )
    return sent


def send_due(today: date | None = None) -> tuple[int, int]:
    """The daily L3 job's work on ``today`` (default today in Medan): (forms sent, reminders
    sent). Flushes; the caller commits. Run by ``send-l3-forms`` and ``send-reminders``."""
    return send_due_forms(today), send_reminders(today)
