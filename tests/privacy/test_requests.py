"""Correction and deletion requests: made by the person, handled by BKPSDM within 3×24 hours."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from portal.audit import AuditEvent
from portal.db import utcnow
from portal.notify import Notification
from portal.privacy import services
from portal.privacy.models import DataRequest, RequestState
from tests.privacy.support import people

NEW = "/privacy/my-data/requests/new"


def _audit(db, action):
    return list(
        db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
        )
    )


def test_a_request_is_due_three_days_later_and_the_admins_are_told(client, login_as, db, make):
    p = people(make)
    login_as(p.student)
    before = utcnow()
    response = client.post(
        NEW,
        data={
            "kind": "correction",
            "details": "NIM saya salah.",
            "explanation": "Seharusnya 2101234.",
        },
    )
    assert response.status_code == 302
    request = db.session.scalars(sa.select(DataRequest)).one()
    assert response.headers["Location"].endswith(f"/privacy/my-data/requests/{request.id}")
    assert request.user_id == p.student.id and request.state == RequestState.OPEN
    assert timedelta(hours=72) <= request.due_at - before < timedelta(hours=72, minutes=1)
    assert request.due_at - request.created_at == timedelta(hours=72)
    [event] = _audit(db, "privacy.request_create")
    assert event.actor_id == p.student.id
    notified = set(
        db.session.scalars(
            sa.select(Notification.user_id).where(Notification.message_key == "privacy.request_new")
        )
    )
    assert notified == {p.city_admin.id}  # not the OPD admin
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "NIM saya salah." in html and "Open" in html


def test_bad_input_re_renders_with_the_text_kept(client, login_as, db, make):
    p = people(make)
    login_as(p.student)
    response = client.post(NEW, data={"kind": "", "details": "", "explanation": "Tetap di sini"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "This field is required." in html and "Tetap di sini" in html
    response = client.post(NEW, data={"kind": "everything", "details": "x"})
    assert response.status_code == 400 and "Not a valid choice" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DataRequest)) == 0


def test_handling_closes_the_request_and_tells_the_person(client, login_as, db, make, outbox):
    p = people(make)
    request = services.create_request(p.student, kind="deletion", details="Hapus CV lama.")
    login_as(p.city_admin)
    url = f"/privacy/requests/{request.id}"
    assert "Hapus CV lama." in client.get(url).get_data(as_text=True)
    # The response is required: the form comes back with a message, the request stays open.
    response = client.post(f"{url}/handle", data={"outcome": "rejected", "response": ""})
    assert response.status_code == 400
    assert "This field is required." in response.get_data(as_text=True)
    db.session.refresh(request)
    assert request.state == RequestState.OPEN
    response = client.post(
        f"{url}/handle", data={"outcome": "rejected", "response": "CV masih dipakai."}
    )
    assert response.status_code == 302
    db.session.refresh(request)
    assert request.state == RequestState.REJECTED and request.response == "CV masih dipakai."
    assert request.handled_by_id == p.city_admin.id and request.handled_at is not None
    [event] = _audit(db, "privacy.request_handle")
    assert event.actor_id == p.city_admin.id and event.target_id == p.student.id
    [notice] = db.session.scalars(
        sa.select(Notification).where(Notification.user_id == p.student.id)
    )
    assert notice.message_key == "privacy.request_rejected" and notice.category == "privacy"
    assert outbox(p.student.email)
    # A closed request cannot be handled again.
    again = client.post(f"{url}/handle", data={"outcome": "done", "response": "Lagi."})
    assert again.status_code == 409
    login_as(p.student)
    html = client.get(f"/privacy/my-data/requests/{request.id}").get_data(as_text=True)
    assert "Rejected" in html and "CV masih dipakai." in html


def test_the_queue_puts_open_requests_first_and_marks_overdue_ones(client, login_as, db, make):
    p = people(make)
    late = services.create_request(p.student, kind="correction", details="Terlambat dijawab.")
    late.due_at = utcnow() - timedelta(hours=1)
    fresh = services.create_request(p.other, kind="deletion", details="Masih ada waktu.")
    done = services.create_request(p.other, kind="correction", details="Sudah selesai.")
    services.handle_request(done, actor=p.city_admin, outcome="done", response="Beres.")
    db.session.flush()
    assert late.is_overdue() and not fresh.is_overdue() and not done.is_overdue()
    login_as(p.city_admin)
    html = client.get("/privacy/requests").get_data(as_text=True)
    assert html.index("Terlambat") < html.index("Masih ada waktu") < html.index("Sudah selesai")
    assert html.count(">Overdue<") == 1
    open_only = client.get("/privacy/requests?state=open").get_data(as_text=True)
    assert "Sudah selesai" not in open_only and "Terlambat" in open_only
    found = client.get("/privacy/requests?q=budi").get_data(as_text=True)  # Budi Lubis
    assert "Masih ada waktu" in found and "Terlambat" not in found
    assert "Masih ada waktu" not in client.get("/privacy/requests?kind=correction").get_data(
        as_text=True
    )


def test_the_queue_exports_with_its_filters(client, login_as, make):
    p = people(make)
    services.create_request(p.student, kind="correction", details="=HYPERLINK(x)")
    services.create_request(p.other, kind="deletion", details="Hapus.")
    login_as(p.city_admin)
    csv = client.get("/privacy/requests/export.csv?kind=correction")
    assert csv.status_code == 200 and csv.mimetype == "text/csv"
    body = csv.get_data(as_text=True)
    assert "Sari Nasution" in body and "Budi Lubis" not in body
    assert "'=HYPERLINK" in body  # no formula
    xlsx = client.get("/privacy/requests/export.xlsx")
    assert xlsx.status_code == 200 and xlsx.get_data()[:2] == b"PK"
    assert client.get("/privacy/requests/export.pdf").status_code == 404


def test_access_to_requests(client, login_as, db, make):
    p = people(make)
    mine = services.create_request(p.student, kind="correction", details="Punya saya.")
    theirs = services.create_request(p.other, kind="correction", details="Punya orang lain.")
    login_as(p.student)
    assert client.get(f"/privacy/my-data/requests/{mine.id}").status_code == 200
    assert client.get(f"/privacy/my-data/requests/{theirs.id}").status_code == 404
    assert client.get("/privacy/my-data/requests/999999").status_code == 404
    assert "Punya orang lain." not in client.get("/privacy/my-data").get_data(as_text=True)
    assert client.get("/privacy/requests").status_code == 403
    assert client.get(f"/privacy/requests/{theirs.id}").status_code == 403
    assert (
        client.post(
            f"/privacy/requests/{theirs.id}/handle", data={"outcome": "done", "response": "x"}
        ).status_code
        == 403
    )
    login_as(p.opd_admin)  # requests are about anyone: BKPSDM (city-wide) handles them
    assert client.get("/privacy/requests").status_code == 403
    assert client.get("/privacy/requests/export.csv").status_code == 403
    db.session.refresh(theirs)
    assert theirs.state == RequestState.OPEN


def test_the_queue_uses_a_fixed_number_of_queries(client, login_as, make, count_queries):
    p = people(make)
    services.create_request(p.student, kind="correction", details="Satu.")
    login_as(p.city_admin)
    with count_queries() as small:
        assert client.get("/privacy/requests").status_code == 200
    for n in range(6):
        person = make.user(full_name=f"Orang {n}")
        services.create_request(person, kind="deletion", details=f"Permintaan {n}.")
    with count_queries() as large:
        assert client.get("/privacy/requests").status_code == 200
    assert large() == small() <= 12
