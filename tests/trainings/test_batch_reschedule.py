"""Rescheduling a training after registration opened (issue 18 part 2 point 3): a session's date,
times, place or online link can be changed and a session removed while the batch is open or
closed; the ASN still registered (waiting list included) are told what changed, old → new; the
change is audited; the JP the schedule earns is shown. Refused with a reason: a completed or
cancelled batch, a session whose attendance is recorded (its time or removal), the last session.

The batch form's "for these positions only" (point 2): positions grouped by OPD, each shown with
its OPD, with a search box for the self-hosted script; what was ticked stays ticked when the form
is refused."""

from __future__ import annotations

import json
import re
from datetime import time, timedelta
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from portal.audit import AuditEvent
from portal.curricula.models import CurriculumState
from portal.db import utcnow
from portal.errors import DomainError, InvalidTransition
from portal.notify import Notification, OutboxEmail
from portal.trainings.batches import services
from portal.trainings.models import (
    Attendance,
    AttendanceMethod,
    BatchState,
    RegistrationState,
    TrainingSession,
)
from portal.util import clock
from tests.support.worlds import module_world
from tests.trainings.view_support import body, text

DAY = clock.today() + timedelta(days=40)


def build_reschedule(make) -> SimpleNamespace:
    """An open batch with two sessions (40 and 41 days ahead, 08:00–12:00 WIB, Aula BKPSDM) and
    an enrolled, a waitlisted, a requested and a cancelled registration; a batch whose only
    session is past with attendance recorded; a completed batch. Two OPD each with an
    "Analis Kebijakan" position (for the batch form)."""
    tmake = make.trainings
    w = SimpleNamespace()
    w.agency = make.agency(name="Dinas Komunikasi Uji")
    w.other_agency = make.agency(name="Bappeda Uji")
    w.position = make.position(agency=w.agency, name="Analis Kebijakan")
    w.other_position = make.position(agency=w.other_agency, name="Analis Kebijakan")
    w.curriculum = make.curriculum(state=CurriculumState.PUBLISHED, agency=w.agency)
    w.admin = tmake.admin()
    w.admin.locale = "en"
    start = clock.local_moment(DAY, time(8, 0))
    w.batch = tmake.batch(curriculum=w.curriculum, sessions=2, start=start, hours=4)
    w.first, w.second = sorted(w.batch.sessions, key=lambda s: s.starts_at)
    w.told = []
    for state in (
        RegistrationState.ENROLLED,
        RegistrationState.WAITLISTED,
        RegistrationState.REQUESTED,
    ):
        registration = tmake.registration(w.batch, state=state)
        w.told.append(registration.user_id)
    w.untold = tmake.registration(w.batch, state=RegistrationState.CANCELLED).user_id
    w.asn = make.session.get(type(w.admin), w.told[0])
    w.asn.locale = "en"
    past = utcnow().replace(microsecond=0) - timedelta(days=2)
    w.attended = tmake.batch(curriculum=w.curriculum, sessions=2, start=past)
    attended_reg = tmake.registration(w.attended, state=RegistrationState.ENROLLED)
    w.attended_session = sorted(w.attended.sessions, key=lambda s: s.starts_at)[0]
    make.session.add(
        Attendance(
            session_id=w.attended_session.id,
            registration_id=attended_reg.id,
            present=True,
            method=AttendanceMethod.FACILITATOR,
            recorded_by_id=w.admin.id,
        )
    )
    w.completed = tmake.batch(curriculum=w.curriculum, state=BatchState.COMPLETED, sessions=2)
    w.single = tmake.batch(curriculum=w.curriculum, sessions=1)
    make.session.flush()
    return w


reschedule_world = module_world(build_reschedule)

MOVE = {"on": DAY + timedelta(days=3), "starts": time(9, 0), "ends": time(15, 0)}


def _notices(db, key: str) -> list[Notification]:
    return list(db.session.scalars(sa.select(Notification).where(Notification.message_key == key)))


# --- services -------------------------------------------------------------------------------------


def test_a_moved_session_tells_every_registered_asn_old_and_new(app, db, reschedule_world):
    w = reschedule_world
    old_start = w.first.starts_at
    change = services.update_session(
        w.first, actor=w.admin, **MOVE, place="Gedung Serbaguna", online_link=None
    )
    assert change.changed
    session = db.session.get(TrainingSession, w.first.id)
    assert session.starts_at == clock.local_moment(MOVE["on"], time(9, 0))
    assert session.place == "Gedung Serbaguna"
    notices = _notices(db, "trainings.session_changed")
    assert sorted(n.user_id for n in notices) == sorted(w.told)  # not the cancelled one
    mine = next(n for n in notices if n.user_id == w.asn.id)
    with app.test_request_context(headers={"Accept-Language": "en"}):
        told = mine.text
    assert "Aula BKPSDM" in told and "Gedung Serbaguna" in told  # old → new
    assert f"{MOVE['on'].day} " in told and "09:00" in told and "08:00" in told
    assert db.session.scalar(
        sa.select(sa.func.count())
        .select_from(OutboxEmail)
        .where(OutboxEmail.recipient == w.asn.email)
    )
    event = db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.action == "training.session_change")
    )
    detail = json.loads(event.detail)
    assert detail["before"]["starts_at"] == old_start.isoformat()
    assert detail["after"]["place"] == "Gedung Serbaguna"
    # 2 × 4 hours became 4 + 6 hours: the schedule earns more JP (at most the batch's JP)
    assert change.jp_after.minutes == change.jp_before.minutes + 120


def test_an_unchanged_session_tells_nobody(db, reschedule_world):
    w = reschedule_world
    local = w.first.starts_at.astimezone(clock.zone())
    change = services.update_session(
        w.first,
        actor=w.admin,
        on=local.date(),
        starts=time(8, 0),
        ends=time(12, 0),
        place="Aula BKPSDM",
        online_link="",
    )
    assert not change.changed
    assert _notices(db, "trainings.session_changed") == []


def test_a_completed_trainings_sessions_stay_as_they_were(db, reschedule_world):
    w = reschedule_world
    session = w.completed.sessions[0]
    with pytest.raises(InvalidTransition):
        services.update_session(session, actor=w.admin, **MOVE, place="X")
    with pytest.raises(InvalidTransition):
        services.remove_session(session, actor=w.admin)


def test_attendance_recorded_blocks_a_new_time_and_removal_but_not_a_place(db, reschedule_world):
    w = reschedule_world
    session = w.attended_session
    local = session.starts_at.astimezone(clock.zone())
    with pytest.raises(DomainError, match="attendance"):
        services.update_session(session, actor=w.admin, **MOVE, place="X")
    with pytest.raises(DomainError, match="attendance"):
        services.remove_session(session, actor=w.admin)
    change = services.update_session(
        session,
        actor=w.admin,
        on=local.date(),
        starts=local.time(),
        ends=session.ends_at.astimezone(clock.zone()).time(),
        place="Ruang Rapat II",
    )
    assert change.changed


def test_a_removed_session_is_told_and_the_last_one_stays(db, reschedule_world):
    w = reschedule_world
    change = services.remove_session(w.second, actor=w.admin)
    assert change.jp_after.minutes == change.jp_before.minutes - 240
    assert db.session.get(TrainingSession, w.second.id) is None
    notices = _notices(db, "trainings.session_removed")
    assert sorted(n.user_id for n in notices) == sorted(w.told)
    assert db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.action == "training.session_remove")
    )
    with pytest.raises(DomainError, match="last session"):
        services.remove_session(db.session.get(TrainingSession, w.first.id), actor=w.admin)


def test_only_the_people_who_manage_the_batch_reschedule_it(db, reschedule_world):
    w = reschedule_world
    with pytest.raises(DomainError):
        services.update_session(w.first, actor=w.asn, **MOVE, place="X")
    with pytest.raises(DomainError):
        services.remove_session(w.first, actor=w.asn)


# --- pages ----------------------------------------------------------------------------------------


def _edit_url(session) -> str:
    return f"/trainings/sessions/{session.id}/edit"


def test_the_batch_page_links_each_session_to_its_change_page(
    db, client, login_as, reschedule_world
):
    w = reschedule_world
    login_as(w.admin)
    assert _edit_url(w.first) in body(client.get(f"/trainings/batches/{w.batch.id}"))
    login_as(w.asn)
    assert _edit_url(w.first) not in body(client.get(f"/trainings/batches/{w.batch.id}"))
    assert client.get(_edit_url(w.first)).status_code == 404


def test_the_change_page_shows_the_session_as_it_is_and_its_jp(
    db, client, login_as, reschedule_world
):
    w = reschedule_world
    login_as(w.admin)
    page = body(client.get(_edit_url(w.first)))
    assert f'value="{DAY.isoformat()}"' in page and 'value="08:00"' in page
    assert "Aula BKPSDM" in page
    assert "JP" in text(page) and "registered ASN" in text(page)


def test_saving_a_change_redirects_and_says_the_jp(db, client, login_as, reschedule_world):
    w = reschedule_world
    login_as(w.admin)
    r = client.post(
        _edit_url(w.first),
        data={"on": MOVE["on"].isoformat(), "starts": "09:00", "ends": "15:00", "place": "Aula"},
    )
    assert r.status_code == 302
    page = text(body(client.get(r.headers["Location"])))
    assert "3 registered ASN were told" in page and "JP" in page


def test_a_refused_change_keeps_what_was_typed(db, client, login_as, reschedule_world):
    w = reschedule_world
    login_as(w.admin)
    r = client.post(
        _edit_url(w.first),
        data={"on": MOVE["on"].isoformat(), "starts": "15:00", "ends": "09:00", "place": "Aula Y"},
    )
    assert r.status_code == 400
    page = body(r)
    assert "must end after it starts" in page and 'value="Aula Y"' in page
    session = w.attended_session
    r = client.post(
        _edit_url(session),
        data={"on": MOVE["on"].isoformat(), "starts": "09:00", "ends": "15:00", "place": "Aula Z"},
    )
    assert r.status_code == 409
    assert "attendance" in text(body(r)) and 'value="Aula Z"' in body(r)


def test_removing_a_session_through_the_page(db, client, login_as, reschedule_world):
    w = reschedule_world
    login_as(w.admin)
    r = client.post(f"/trainings/sessions/{w.second.id}/delete")
    assert r.status_code == 302
    assert not db.session.scalar(
        sa.select(sa.func.count())
        .select_from(TrainingSession)
        .where(TrainingSession.id == w.second.id)
    )
    r = client.post(f"/trainings/sessions/{w.single.sessions[0].id}/delete")
    assert r.status_code == 409
    assert "last session" in text(body(r))


# --- the batch form's positions (point 2) ---------------------------------------------------------


def _new_url(w) -> str:
    return f"/trainings/batches/new?curriculum_id={w.curriculum.id}"


def _group_of(page: str, agency_name: str) -> str:
    match = re.search(
        rf"<fieldset[^>]*>\s*<legend[^>]*>{re.escape(agency_name)}</legend>(.*?)</fieldset>",
        page,
        re.S,
    )
    return match.group(1) if match else ""


def test_the_positions_are_grouped_by_opd_and_searchable(db, client, login_as, reschedule_world):
    w = reschedule_world
    login_as(w.admin)
    page = body(client.get(_new_url(w)))
    mine, other = _group_of(page, "Dinas Komunikasi Uji"), _group_of(page, "Bappeda Uji")
    assert f'value="{w.position.id}"' in mine and f'value="{w.other_position.id}"' in other
    assert "Analis Kebijakan" in mine and "Bappeda Uji" in other  # each option names its OPD
    assert 'type="search"' in page and "js/choice-filter.js" in page


def test_the_ticked_positions_stay_ticked_when_the_form_is_refused(
    db, client, login_as, reschedule_world
):
    w = reschedule_world
    login_as(w.admin)
    r = client.post(_new_url(w), data={"capacity": "0", "target_positions": [w.other_position.id]})
    assert r.status_code == 400
    other = _group_of(body(r), "Bappeda Uji")
    assert re.search(rf'value="{w.other_position.id}"[^>]*checked', other)
    assert "checked" not in _group_of(body(r), "Dinas Komunikasi Uji")
