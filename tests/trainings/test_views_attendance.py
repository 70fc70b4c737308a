"""Attendance pages: the facilitator's sheet saved in one POST, the check-in code page with its
server-drawn QR code, and the ASN's check-in (inside its window; a code replayed outside it is
refused)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from portal.db import utcnow
from portal.trainings.models import Attendance, AttendanceMethod, BatchState
from portal.trainings.models import RegistrationState as S
from tests.trainings.view_support import body, count, scene, text


@pytest.fixture
def running(db, make):
    """A batch whose first session started ten minutes ago (and a second one tomorrow)."""
    start = utcnow().replace(microsecond=0) - timedelta(minutes=10)
    s = scene(db, make, make.trainings, start=start, sessions=2)
    s.reg = make.trainings.registration(s.batch, s.asn_record, state=S.ENROLLED)
    s.other_reg = make.trainings.registration(s.batch, s.other_record, state=S.ENROLLED)
    s.waiting = make.trainings.registration(
        s.batch, make.trainings.asn(agency=s.agency), state=S.REQUESTED
    )
    s.session = s.batch.sessions[0]
    return s


def test_the_sheet_lists_enrolled_participants_and_saves_in_one_post(db, running, client, login_as):
    s = running
    login_as(s.facilitator)
    url = f"/trainings/sessions/{s.session.id}/attendance"
    page = body(client.get(url))
    assert f'name="present-{s.reg.id}"' in page and f'name="present-{s.other_reg.id}"' in page
    assert f'name="present-{s.waiting.id}"' not in page
    r = client.post(
        url,
        data={
            f"present-{s.reg.id}": "present",
            f"present-{s.other_reg.id}": "absent",
            f"present-{s.waiting.id}": "present",
            "recorded_by_id": s.asn.id,
            "method": "check_in",
        },
    )
    assert r.status_code == 302
    rows = {a.registration_id: a for a in db.session.scalars(sa.select(Attendance))}
    assert {k: (a.present, a.method, a.recorded_by_id) for k, a in rows.items()} == {
        s.reg.id: (True, AttendanceMethod.FACILITATOR, s.facilitator.id),
        s.other_reg.id: (False, AttendanceMethod.FACILITATOR, s.facilitator.id),
    }
    client.post(url, data={f"present-{s.other_reg.id}": "present"})
    db.session.expire_all()
    assert count(db, Attendance, Attendance.present.is_(True)) == 2
    again = body(client.get(url))
    assert f'id="present-{s.other_reg.id}" value="present" checked' in again
    assert client.post(url, data={f"present-{s.reg.id}": "maybe"}).status_code == 400


@pytest.mark.parametrize(("party", "status"), [
    ("facilitator", 200), ("opd_admin", 200), ("city_admin", 200), ("other_admin", 404),
    ("asn", 403), ("supervisor", 403),
])  # fmt: skip
def test_who_runs_the_sheet_and_the_code_page(db, running, client, login_as, party, status):
    login_as(getattr(running, party))
    sid = running.session.id
    assert client.get(f"/trainings/sessions/{sid}/attendance").status_code == status
    assert client.get(f"/trainings/sessions/{sid}/code").status_code == status
    posted = client.post(
        f"/trainings/sessions/{sid}/attendance", data={f"present-{running.reg.id}": "present"}
    )
    assert posted.status_code == (302 if status == 200 else status)


def test_another_batchs_facilitator_gets_404(db, running, make, client, login_as):
    login_as(make.trainings.facilitator())
    assert client.get(f"/trainings/sessions/{running.session.id}/code").status_code == 404
    assert client.get("/trainings/sessions/999999/attendance").status_code == 404


def test_the_code_page_shows_the_code_and_an_inline_qr(db, running, client, login_as):
    login_as(running.facilitator)
    page = body(client.get(f"/trainings/sessions/{running.session.id}/code"))
    code = running.session.check_in_code
    assert code in page and "<svg" in page and "qr-code" in page
    assert f"/trainings/check-in?code={code}" in page
    qr = page.split('class="qr-code"', 1)[1].split("</svg>", 1)[0]
    assert f"<title>http://localhost/trainings/check-in?code={code}</title>" in qr


def test_a_completed_batchs_sheet_is_read_only(db, running, client, login_as):
    running.batch.state = BatchState.COMPLETED
    db.session.flush()
    login_as(running.facilitator)
    url = f"/trainings/sessions/{running.session.id}/attendance"
    assert "Save the attendance" not in body(client.get(url))
    r = client.post(url, data={f"present-{running.reg.id}": "present"})
    assert r.status_code == 409 and count(db, Attendance) == 0


# --- check-in ------------------------------------------------------------------------------------


def test_the_asn_checks_in_with_the_prefilled_code(db, running, client, login_as):
    s = running
    login_as(s.asn)
    code = s.session.check_in_code
    form = body(client.get(f"/trainings/check-in?code={code}"))
    assert f'value="{code}"' in form
    r = client.post("/trainings/check-in", data={"code": code.lower(), "registration_id": 1})
    assert r.status_code == 302 and r.headers["Location"].endswith("/trainings/mine")
    row = db.session.scalar(sa.select(Attendance))
    assert (row.registration_id, row.session_id, row.method) == (
        s.reg.id,
        s.session.id,
        AttendanceMethod.CHECK_IN,
    )


def test_a_wrong_code_or_no_enrolment_is_refused(db, running, client, login_as):
    s = running
    login_as(s.asn)
    r = client.post("/trainings/check-in", data={"code": "ZZZZZZZZ"})
    assert r.status_code == 409 and "not the code of a session" in body(r)
    assert 'value="ZZZZZZZZ"' in body(r)
    assert client.post("/trainings/check-in", data={"code": ""}).status_code == 400
    login_as(s.supervisor)
    r = client.post("/trainings/check-in", data={"code": s.session.check_in_code})
    assert r.status_code == 409
    assert count(db, Attendance) == 0
    login_as(s.facilitator)
    assert client.get("/trainings/check-in").status_code == 403


def test_a_code_replayed_outside_its_window_is_refused(db, make, client, login_as):
    yesterday = utcnow().replace(microsecond=0) - timedelta(days=1)
    s = scene(db, make, make.trainings, start=yesterday, sessions=1)
    make.trainings.registration(s.batch, s.asn_record, state=S.ENROLLED)
    later = make.trainings.batch(curriculum=s.curriculum, start=utcnow() + timedelta(days=2))
    make.trainings.registration(later, s.asn_record, state=S.ENROLLED)
    login_as(s.asn)
    r = client.post("/trainings/check-in", data={"code": s.batch.sessions[0].check_in_code})
    assert r.status_code == 409 and "can no longer be used" in text(body(r))
    r = client.post("/trainings/check-in", data={"code": later.sessions[0].check_in_code})
    assert r.status_code == 409 and "opens at" in text(body(r))
    assert count(db, Attendance) == 0


def test_my_trainings_offers_check_in_while_a_session_runs(db, running, client, login_as):
    login_as(running.asn)
    page = text(body(client.get("/trainings/mine")))
    assert "Check in now" in page


def test_the_sheet_has_a_fixed_number_of_queries(
    db, running, make, client, login_as, count_queries
):
    login_as(running.facilitator)
    url = f"/trainings/sessions/{running.session.id}/attendance"

    def counted():
        client.get(url)
        with count_queries() as n:
            assert client.get(url).status_code == 200
        return n()

    small = counted()
    for _ in range(6):
        reg = make.trainings.registration(running.batch, state=S.ENROLLED)
        db.session.add(
            Attendance(
                session_id=running.session.id,
                registration_id=reg.id,
                present=True,
                method=AttendanceMethod.FACILITATOR,
            )
        )
    db.session.flush()
    assert counted() == small
