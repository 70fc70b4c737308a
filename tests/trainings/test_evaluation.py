"""Kirkpatrick evaluation services: L1 answers once and on the 1–4 scale, the question list, the
RTL edit rights, and the L3 forms (timing, one per respondent, idempotent reminders, the CLI)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from portal.auth.models import Role, User
from portal.competency.models import AsnProfile
from portal.errors import DomainError, FieldError
from portal.notify import Notification
from portal.trainings.evaluation import l3_services, services
from portal.trainings.evaluation.cli import send_l3_forms
from portal.trainings.evaluation.models import (
    DEFAULT_QUESTIONS,
    L1Answer,
    L3Form,
    PlanStatus,
    Respondent,
    SurveyAspect,
)
from portal.trainings.models import RegistrationState
from portal.util import clock
from tests.trainings.evaluation_support import (
    all_ratings,
    participants,
    past_batch,
    questions,
)


def _supervisor_user_id(session, registration):
    asn = session.get(AsnProfile, registration.asn_id)
    return session.get(AsnProfile, asn.supervisor_id).user_id


# --- L1 ---------------------------------------------------------------------------------------


def test_default_questions_are_seeded_with_every_aspect(app, db):
    found = questions(db.session)
    assert {q.key for q in found} >= set(DEFAULT_QUESTIONS)
    assert {q.aspect for q in found} == set(SurveyAspect)
    with app.test_request_context("/?lang=en"):
        assert [q.label for q in found if q.key == "material_relevant"] == [
            "The material is relevant to my work."
        ]


def test_l1_is_answered_once_with_facilitator_questions_per_facilitator(db, make):
    f1, f2 = make.trainings.facilitator(), make.trainings.facilitator()
    batch = past_batch(make.trainings, facilitators=[f1, f2])
    (reg,) = participants(make.trainings, batch, 1, state=RegistrationState.ENROLLED)
    user = db.session.get(User, reg.user_id)
    ratings = all_ratings(db.session, batch, 3, per_facilitator={f1.id: 4, f2.id: 2})
    response = services.submit_l1(reg, ratings, actor=user, comment="  Bagus  ")
    per_fac = [a for a in response.answers if a.facilitator_id is not None]
    facilitator_questions = [q for q in questions(db.session) if q.per_facilitator]
    assert len(per_fac) == 2 * len(facilitator_questions)
    assert {a.rating for a in per_fac if a.facilitator_id == f1.id} == {4}
    assert response.comment == "Bagus"
    with pytest.raises(DomainError):
        services.submit_l1(reg, ratings, actor=user)
    assert db.session.scalar(sa.select(sa.func.count(L1Answer.id))) == len(response.answers)


@pytest.mark.parametrize("bad", [0, 5, -1, None, "3"])
def test_l1_ratings_outside_1_to_4_are_refused(db, make, bad):
    batch = past_batch(make.trainings, facilitators=[make.trainings.facilitator()])
    (reg,) = participants(make.trainings, batch, 1)
    ratings = all_ratings(db.session, batch, 3)
    key = next(iter(ratings))
    ratings[key] = bad
    with pytest.raises(FieldError) as refused:
        services.submit_l1(reg, ratings, actor=db.session.get(User, reg.user_id))
    assert refused.value.field == key


def test_l1_waits_for_the_last_session_and_only_the_own_asn(db, make):
    batch = make.trainings.batch(sessions=2)  # starts next week
    reg = make.trainings.registration(batch, state=RegistrationState.ENROLLED)
    user = reg.user
    assert not services.can_answer_l1(reg, user)
    late = services.l1_opens_at(batch) + timedelta(minutes=1)
    assert services.can_answer_l1(reg, user, now=late)
    other = make.trainings.asn()
    assert not services.can_answer_l1(reg, db.session.get(User, other.user_id), now=late)
    with pytest.raises(DomainError):
        services.submit_l1(reg, all_ratings(db.session, batch), actor=user)


def test_questions_reworded_deactivated_added_and_never_all_inactive(app, db, make):
    with app.test_request_context("/"):
        _questions_reworded(db, make)


def _questions_reworded(db, make):
    city = make.user(Role.ADMIN)
    found = questions(db.session)
    changes = [services.QuestionChange(q, q.label, q.position, True) for q in found]
    changes[0] = services.QuestionChange(found[0], "Materi sesuai kebutuhan kerja", 1, True)
    changes[1] = services.QuestionChange(found[1], found[1].label, 2, False)
    added = services.save_questions(
        changes, actor=city, new_aspect=SurveyAspect.FACILITIES, new_text="Konsumsi memadai"
    )
    assert found[0].text == "Materi sesuai kebutuhan kerja" and found[0].key is not None
    assert found[1].text is None and not found[1].is_active
    assert added.aspect == SurveyAspect.FACILITIES and added.position > found[-1].position
    everything_off = [
        services.QuestionChange(q, q.label, q.position, False) for q in questions(db.session)
    ]
    with pytest.raises(DomainError):
        services.save_questions(everything_off, actor=city)
    opd_admin = make.user(Role.ADMIN, admin_agency=make.agency())
    with pytest.raises(DomainError):
        services.save_questions(changes, actor=opd_admin)


# --- RTL --------------------------------------------------------------------------------------


def test_only_the_participant_edits_the_rtl_and_the_supervisor_reads_it(db, make):
    batch = past_batch(make.trainings)
    (reg,) = participants(make.trainings, batch, 1)
    db.session.refresh(reg)
    owner = reg.user
    item = services.add_plan_item(reg, actor=owner, text="Menerapkan SOP baru", due_on=None)
    services.update_plan_item(
        item,
        reg,
        actor=owner,
        text="Menerapkan SOP baru di seksi",
        due_on=None,
        status=PlanStatus.DONE,
    )
    assert item.status == PlanStatus.DONE
    supervisor = db.session.get(User, _supervisor_user_id(db.session, reg))
    assert services.can_view_plan(reg, supervisor) and not services.can_edit_plan(reg, supervisor)
    with pytest.raises(DomainError):
        services.add_plan_item(reg, actor=supervisor, text="x", due_on=None)
    with pytest.raises(FieldError):
        services.add_plan_item(reg, actor=owner, text="   ", due_on=None)
    stranger = db.session.get(User, make.trainings.asn().user_id)
    assert not services.can_view_plan(reg, stranger)


# --- L3 ---------------------------------------------------------------------------------------


def _forms(db):
    return list(db.session.scalars(sa.select(L3Form).order_by(L3Form.id)))


def test_l3_forms_are_not_sent_before_n_days(app, db, make):
    after = app.config["TRAINING_L3_AFTER_DAYS"]
    batch = past_batch(make.trainings, completed_days_ago=after - 1)
    participants(make.trainings, batch, 2)
    participants(make.trainings, batch, 1, state=RegistrationState.NOT_COMPLETED)
    today = clock.today()
    assert l3_services.send_due_forms(today) == 0
    assert l3_services.send_due_forms(today + timedelta(days=1)) == 4  # 2 ASN + 2 supervisors
    assert l3_services.send_due_forms(today + timedelta(days=2)) == 0  # one per respondent
    forms = _forms(db)
    assert {f.respondent for f in forms} == {Respondent.ASN, Respondent.SUPERVISOR}
    assert all(f.due_on == f.sent_on + timedelta(days=l3_services.L3_ANSWER_DAYS) for f in forms)
    notices = db.session.scalars(
        sa.select(Notification).where(Notification.message_key == "trainings.l3_form")
    ).all()
    assert len(notices) == 4 and all(
        n.params["days"] == l3_services.L3_ANSWER_DAYS for n in notices
    )


def test_reminders_are_idempotent_and_stop_once_answered(app, db, make):
    every = app.config["TRAINING_L3_REMINDER_DAYS"]
    batch = past_batch(make.trainings, completed_days_ago=app.config["TRAINING_L3_AFTER_DAYS"])
    (reg,) = participants(make.trainings, batch, 1)
    today = clock.today()
    assert l3_services.send_due_forms(today) == 2
    assert l3_services.send_reminders(today) == 0
    assert l3_services.send_reminders(today + timedelta(days=every - 1)) == 0
    assert l3_services.send_reminders(today + timedelta(days=every)) == 2
    assert l3_services.send_reminders(today + timedelta(days=every)) == 0  # same day again
    asn_form = next(f for f in _forms(db) if f.respondent == Respondent.ASN)
    competency_ids = [t.competency_id for t in batch.curriculum.targets]
    services.answer_l3(
        asn_form, dict.fromkeys(competency_ids, 4), actor=reg.user, competency_ids=competency_ids
    )
    with pytest.raises(DomainError):
        services.answer_l3(
            asn_form,
            dict.fromkeys(competency_ids, 4),
            actor=reg.user,
            competency_ids=competency_ids,
        )
    assert l3_services.send_reminders(today + timedelta(days=2 * every)) == 1  # supervisor only
    late = today + timedelta(days=l3_services.L3_ANSWER_DAYS + every * 3)
    assert l3_services.send_reminders(late) == 1
    keys = db.session.scalars(
        sa.select(Notification.message_key).where(Notification.message_key.like("trainings.l3%"))
    ).all()
    assert keys.count("trainings.l3_overdue") == 1 and keys.count("trainings.l3_reminder") == 3


def test_l3_answer_needs_every_competency_on_the_scale(db, make, app):
    batch = past_batch(make.trainings, completed_days_ago=app.config["TRAINING_L3_AFTER_DAYS"])
    (reg,) = participants(make.trainings, batch, 1)
    l3_services.send_due_forms()
    form = next(f for f in _forms(db) if f.respondent == Respondent.ASN)
    competency_ids = [t.competency_id for t in batch.curriculum.targets]
    with pytest.raises(FieldError):
        services.answer_l3(form, {}, actor=reg.user, competency_ids=competency_ids)
    with pytest.raises(FieldError):
        services.answer_l3(
            form, {competency_ids[0]: 5}, actor=reg.user, competency_ids=competency_ids
        )
    supervisor = db.session.get(User, _supervisor_user_id(db.session, reg))
    with pytest.raises(DomainError):
        services.answer_l3(
            form, {competency_ids[0]: 3}, actor=supervisor, competency_ids=competency_ids
        )
    assert form.answered_at is None


def test_the_cli_sends_forms_and_reminders_once_a_day(app, db, make):
    after = app.config["TRAINING_L3_AFTER_DAYS"]
    batch = past_batch(make.trainings, completed_days_ago=after)
    participants(make.trainings, batch, 1)
    runner = app.test_cli_runner()
    first = runner.invoke(send_l3_forms)
    assert first.exit_code == 0, first.output
    assert "2 L3 form(s) sent, 0 reminder(s) sent" in first.output
    again = runner.invoke(send_l3_forms)
    assert "0 L3 form(s) sent, 0 reminder(s) sent" in again.output
    later = clock.today() + timedelta(days=app.config["TRAINING_L3_REMINDER_DAYS"])
    result = runner.invoke(send_l3_forms, ["--date", later.isoformat()])
    assert "0 L3 form(s) sent, 2 reminder(s) sent" in result.output
    result = runner.invoke(send_l3_forms, ["--date", later.isoformat()])
    assert "0 L3 form(s) sent, 0 reminder(s) sent" in result.output
