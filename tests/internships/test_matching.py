"""Matching rounds (issue 18, part 1) on the database: the period's intake mode, the OPD's scores,
the preview (nothing changes, a seed reproduces it), publishing (offers through the workflow,
every other preference closed with its reason, the unplaced told, seats and mentors' places
kept for the offers), and the pages of the admin, the OPD and the student. The algorithm's
properties are in test_matching_properties.py."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from portal.errors import DomainError
from portal.internships import lifecycle
from portal.internships.applications import services as application_services
from portal.internships.applications.models import Application, ApplicationState
from portal.internships.matching import algorithm
from portal.internships.matching import services as matching
from portal.internships.models import IntakeMode, InternshipPeriod
from portal.notify import Notification
from portal.util import clock
from tests.internships.matching_support import app_of, build_round
from tests.support.worlds import module_world

S = ApplicationState
P = "/internships"


round_world = module_world(build_round)


def test_the_preview_changes_nothing_and_its_seed_reproduces_it(db, round_world):
    w = round_world
    run = matching.preview_match(w.period, actor=w.city_admin, seed=7)
    again = matching.preview_match(w.period, actor=w.city_admin, seed=7)
    assert run.result == again.result and run.digest == again.digest
    assert run.figures["placed"] == 3 and run.figures["unplaced"] == 1
    assert run.figures["first"] == 1 and run.figures["top3"] == 3
    outcome = {k: v[0] for k, v in run.result.items()}
    assert outcome[str(app_of(w, "ana", w.popular).id)] == algorithm.FILLED
    assert outcome[str(app_of(w, "ana", w.roomy).id)] == algorithm.MATCHED
    assert outcome[str(app_of(w, "citra", w.other).id)] == algorithm.UNACCEPTABLE
    assert outcome[str(app_of(w, "budi", w.other).id)] == algorithm.NOT_REACHED
    states = set(
        db.session.scalars(sa.select(Application.state).where(Application.period_id == w.period.id))
    )
    assert states == {S.ENDORSED}  # a preview changes no application
    # The mentor of ``roomy`` had room for two: the round gives it two seats of its three.
    assert run.figures["seats_by_position"][str(w.roomy.id)] == 2


def test_publishing_makes_offers_closes_the_rest_and_tells_the_unplaced(db, round_world):
    w = round_world
    run = matching.preview_match(w.period, actor=w.city_admin, seed=3)
    done = matching.publish_match(run, actor=w.city_admin)
    assert (done.offers, done.unplaced) == (3, 1)
    db.session.expire_all()
    ana_second = app_of(w, "ana", w.roomy)
    assert ana_second.state == S.OFFERED and ana_second.offer_expires_at is not None
    assert ana_second.matched_mentor_id == w.roomy_mentor.id and ana_second.match_choice == 2
    ana_first = app_of(w, "ana", w.popular)
    assert ana_first.state == S.REJECTED and ana_first.match_outcome == algorithm.FILLED
    assert ana_first.events[-1].action == "match_closed"
    assert db.session.get(InternshipPeriod, w.period.id).matched_at is not None
    keys = lambda user: set(  # noqa: E731
        db.session.scalars(
            sa.select(Notification.message_key).where(Notification.user_id == user.id)
        )
    )
    assert "internships.match_unplaced" in keys(w.students["dedi"])
    assert "internships.offered" in keys(w.students["ana"])
    assert "internships.match_published" in keys(w.opd_a)
    with pytest.raises(DomainError):  # once
        matching.publish_match(run, actor=w.city_admin)


def test_publishing_is_refused_when_the_inputs_changed_or_too_early(db, round_world):
    w = round_world
    run = matching.preview_match(w.period, actor=w.city_admin, seed=3)
    app_of(w, "dedi", w.popular).opd_score = 99
    db.session.flush()
    with pytest.raises(DomainError, match="changed since this preview"):
        matching.publish_match(run, actor=w.city_admin)
    run = matching.preview_match(w.period, actor=w.city_admin, seed=3)
    w.period.preferences_close_on = clock.today()
    with pytest.raises(DomainError, match="preferences are open until"):
        matching.publish_match(run, actor=w.city_admin)
    w.period.preferences_close_on = clock.today() - timedelta(days=1)
    with pytest.raises(DomainError, match="city-wide admin"):
        matching.publish_match(run, actor=w.opd_a)
    older = run
    matching.preview_match(w.period, actor=w.city_admin, seed=4)
    with pytest.raises(DomainError, match="newer preview"):
        matching.publish_match(older, actor=w.city_admin)


def test_an_opd_cannot_offer_during_the_round_but_can_after_it(db, make, round_world):
    w = round_world
    with pytest.raises(DomainError, match="matching round"):
        application_services.offer_application(app_of(w, "dedi", w.popular), actor=w.opd_a)
    matching.publish_match(
        matching.preview_match(w.period, actor=w.city_admin, seed=1), actor=w.city_admin
    )
    # After the match the period is rolling: an endorsed application may get an offer.
    assert not db.session.get(InternshipPeriod, w.period.id).in_matching_round
    late = make.internships.student(w.university)
    rolling = make.internships.application(w.other, student=late, state=S.ENDORSED)
    application_services.offer_application(rolling, actor=w.opd_b)
    assert rolling.state == S.OFFERED


def test_seats_and_mentor_places_of_the_offers_are_kept_for_them(db, make, round_world):
    w = round_world
    matching.publish_match(
        matching.preview_match(w.period, actor=w.city_admin, seed=5), actor=w.city_admin
    )
    # The rolling phase: a new student is offered ``roomy``, whose one mentor's last two places
    # are held for the offers of ana and citra: accepting is refused while they are open.
    late = make.internships.student(w.university)
    rolling = make.internships.application(w.roomy, student=late, state=S.OFFERED)
    with pytest.raises(DomainError):
        lifecycle.accept_offer(rolling, actor=late)
    ana = app_of(w, "ana", w.roomy)
    placement = lifecycle.accept_offer(ana, actor=w.students["ana"])
    assert placement.mentor_id == w.roomy_mentor.id


def test_the_opd_scores_one_by_one_and_by_criteria(db, make, round_world):
    w = round_world
    dedi = app_of(w, "dedi", w.popular)
    assert matching.score_applicants(w.popular, {dedi.id: (75, False)}, actor=w.opd_a) == 1
    assert dedi.opd_score == 75
    with pytest.raises(DomainError):
        matching.score_applicants(w.popular, {dedi.id: (75, False)}, actor=w.opd_b)
    with pytest.raises(DomainError):
        matching.score_applicants(w.popular, {dedi.id: (101, False)}, actor=w.opd_a)
    dedi.gpa, dedi.semester = 3.6, 7
    ana = app_of(w, "ana", w.popular)
    ana.gpa, ana.semester = 2.9, 5
    criteria = matching.Criteria(
        programmes=["zzz"], min_semester=6, min_gpa=3.5, unacceptable_if_none=True
    )
    assert matching.score_by_criteria(w.popular, criteria, actor=w.opd_a) == 3
    assert dedi.opd_score == pytest.approx(66.67) and not dedi.opd_unacceptable
    assert ana.opd_score == 0 and ana.opd_unacceptable


def test_a_student_orders_their_preferences_until_they_close(db, round_world):
    w = round_world
    ana = w.students["ana"]
    first, second = app_of(w, "ana", w.popular), app_of(w, "ana", w.roomy)
    with pytest.raises(DomainError, match="closed"):
        matching.reorder_preferences(w.period, [second.id, first.id], actor=ana)
    w.period.preferences_close_on = clock.today() + timedelta(days=3)
    matching.reorder_preferences(w.period, [second.id, first.id], actor=ana)
    assert (second.rank, first.rank) == (1, 2)
    with pytest.raises(DomainError):
        matching.reorder_preferences(w.period, [second.id], actor=ana)


def test_the_intake_mode_is_the_city_admins_choice(db, make, round_world):
    w = round_world
    period = make.internships.period()
    with pytest.raises(DomainError):
        matching.set_intake(
            period,
            actor=w.opd_a,
            mode=IntakeMode.MATCHING,
            preference_limit=5,
            preferences_close_on=clock.today(),
        )
    with pytest.raises(DomainError, match="last day"):
        matching.set_intake(
            period,
            actor=w.city_admin,
            mode=IntakeMode.MATCHING,
            preference_limit=5,
            preferences_close_on=None,
        )
    matching.set_intake(
        period,
        actor=w.city_admin,
        mode=IntakeMode.MATCHING,
        preference_limit=4,
        preferences_close_on=clock.today(),
    )
    assert period.in_matching_round and period.preference_limit == 4


# --- applying in a round, and a student who already has a placement (part 2, point 1) ----------


def test_a_round_takes_its_own_number_of_preferences_until_it_closes(db, make, round_world):
    w = round_world
    w.period.preferences_close_on = clock.today() + timedelta(days=5)
    student = make.internships.student(w.university)
    positions = [make.internships.position(w.agency_a, period=w.period) for _ in range(5)]
    for position in positions[:4]:  # more than INTERNSHIP_MAX_OPEN_APPLICATIONS (3)
        application_services.apply(
            position,
            actor=student,
            motivation="Saya ingin belajar.",
            cv=make.internships.cv(student),
        )
    w.period.preferences_close_on = clock.today() - timedelta(days=1)
    with pytest.raises(DomainError, match="closed on"):
        application_services.apply(
            positions[4],
            actor=student,
            motivation="Saya ingin belajar.",
            cv=make.internships.cv(student),
        )


def test_a_placed_student_cannot_apply_again_in_the_period(db, make, client, login_as):
    imake = make.internships
    position = imake.position()
    other = imake.position(period=position.period)
    student = imake.student()
    held = imake.application(position, student=student, state=S.OFFERED)
    lifecycle.accept_offer(held, actor=student)
    with pytest.raises(DomainError, match="already have a placement"):
        application_services.apply(other, actor=student, motivation="Lagi.", cv=imake.cv(student))
    student.locale = "en"
    db.session.flush()
    login_as(student)
    html = client.get(f"{P}/positions/{other.id}").get_data(as_text=True)
    assert "already have a placement" in html
    assert f"/positions/{other.id}/apply" not in html  # no Apply button
