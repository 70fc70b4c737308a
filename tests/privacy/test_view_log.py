"""The log of who viewed personal records: written when someone opens another person's record
(never for one's own, never for a refused page, never breaking the page when it cannot be
written), and the admins' page with its filters, OPD scoping, export and query budget."""

from __future__ import annotations

import csv
import io
import logging
from datetime import timedelta

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook
from sqlalchemy.exc import OperationalError

from portal.auth.models import Role, User
from portal.db import db as _db
from portal.db import utcnow
from portal.institutions.models import Agency
from portal.internships.applications.models import ApplicationState
from portal.view_log import PersonalDataView, views_of
from tests.internships.placement_support import placement_world
from tests.privacy.purge_support import view


def _rows(db) -> list[PersonalDataView]:
    return list(db.session.scalars(sa.select(PersonalDataView).order_by(PersonalDataView.id)))


# --- writing the log -----------------------------------------------------------------------------


def test_viewing_another_asn_profile_and_ledger_is_logged(client, db, make, login_as):
    opd = make.agency()
    boss = make.asn_profile(make.user(Role.ASN, agency=opd))
    asn = make.asn_profile(make.user(Role.ASN, agency=opd), supervisor=boss)
    admin = make.user(Role.ADMIN, admin_agency=opd)

    login_as(admin)
    assert client.get(f"/competency/asn/{asn.id}").status_code == 200
    login_as(db.session.get(User, boss.user_id))
    assert client.get(f"/trainings/ledger/asn/{asn.id}").status_code == 200

    first, second = _rows(db)
    assert (first.viewer_id, first.subject_user_id, first.record_type, first.record_id) == (
        admin.id,
        asn.user_id,
        "asn_profile",
        asn.id,
    )
    assert first.agency_id == opd.id and first.ip == "127.0.0.1"
    assert abs(first.viewed_at - utcnow()) < timedelta(minutes=5)
    assert (second.viewer_id, second.record_type, second.record_id) == (
        boss.user_id,
        "asn_ledger",
        asn.id,
    )
    # The person's own history of who looked at their records, newest first.
    assert [v.viewer.id for v in views_of(asn.user_id)] == [boss.user_id, admin.id]
    assert views_of(admin.id) == []


def test_reading_ones_own_record_is_not_logged(client, db, make, login_as):
    asn = make.asn_profile()
    login_as(db.session.get(User, asn.user_id))
    assert client.get(f"/competency/asn/{asn.id}").status_code == 200
    assert client.get("/competency/").status_code == 200
    application = make.internships.application()
    login_as(application.student)
    assert client.get(f"/internships/applications/{application.id}").status_code == 200
    assert _rows(db) == []


def test_viewing_a_students_application_is_logged_for_university_and_opd(
    client, db, make, login_as
):
    imake = make.internships
    application = imake.application(state=ApplicationState.ENDORSED)
    staff = imake.university_staff(application.student.university)
    opd_admin = imake.opd_admin(db.session.get(Agency, application.agency_id))

    for viewer in (staff, opd_admin):
        login_as(viewer)
        assert client.get(f"/internships/applications/{application.id}").status_code == 200

    rows = _rows(db)
    assert [
        (r.viewer_id, r.subject_user_id, r.record_type, r.record_id, r.agency_id) for r in rows
    ] == [
        (v.id, application.student_id, "application", application.id, application.agency_id)
        for v in (staff, opd_admin)
    ]


def test_viewing_a_placement_is_logged_for_mentor_and_dpl_not_the_student(
    client, db, make, login_as
):
    w = placement_world(make, make.internships)
    for who in ("student", "mentor", "dpl"):
        login_as(getattr(w, who))
        assert client.get(f"/internships/placements/{w.placement.id}").status_code == 200
    rows = _rows(db)
    assert [(r.viewer_id, r.subject_user_id, r.record_type, r.agency_id) for r in rows] == [
        (getattr(w, who).id, w.student.id, "placement", w.placement.agency_id)
        for who in ("mentor", "dpl")
    ]


def test_a_refused_page_logs_nothing(client, db, make, login_as):
    asn = make.asn_profile()
    login_as(make.user(Role.ADMIN, admin_agency=make.agency()))  # another OPD's admin
    assert client.get(f"/competency/asn/{asn.id}").status_code == 404
    login_as(make.user(Role.ASN))
    assert client.get(f"/trainings/ledger/asn/{asn.id}").status_code == 404
    assert _rows(db) == []


def test_a_log_that_cannot_be_written_does_not_break_the_page(
    client, db, make, login_as, monkeypatch, caplog
):
    asn = make.asn_profile()
    login_as(make.user(Role.ADMIN))

    def read_only():
        raise OperationalError(
            "INSERT INTO personal_data_views", {}, Exception("attempt to write a readonly database")
        )

    monkeypatch.setattr(_db.session, "commit", read_only)
    with caplog.at_level(logging.ERROR, logger="portal.privacy"):
        response = client.get(f"/competency/asn/{asn.id}")
    monkeypatch.undo()

    assert response.status_code == 200
    assert asn.user.full_name in response.get_data(as_text=True)
    errors = [
        r for r in caplog.records if r.name == "portal.privacy" and r.levelno == logging.ERROR
    ]
    assert errors and "view log not written" in errors[0].getMessage()
    assert _rows(db) == []


# --- the admins' page ----------------------------------------------------------------------------


@pytest.fixture
def log_world(make):
    """Two OPDs, each with a viewed ASN; views at several dates by several viewers."""
    opd_a, opd_b = make.agency(), make.agency()
    ani = make.user(Role.ADMIN, admin_agency=opd_a, full_name="Ani Admin", locale="en")
    city = make.user(Role.ADMIN, full_name="Kota Admin", locale="en")
    siti = make.user(Role.ASN, agency=opd_a, full_name="Siti Rahmawati", email="siti@pemko.example")
    budi = make.user(Role.ASN, agency=opd_b, full_name="Budi Santoso", email="budi@pemko.example")
    rows = {
        "a_profile": view(make, ani, siti, agency=opd_a, record_id=11, months_ago=0),
        "a_ledger": view(
            make, city, siti, agency=opd_a, record_type="asn_ledger", record_id=11, months_ago=2
        ),
        "b_profile": view(make, city, budi, agency=opd_b, record_id=22, months_ago=0),
    }
    return {"ani": ani, "city": city, "siti": siti, "budi": budi, "rows": rows}


def _listed(client, query="") -> str:
    response = client.get(f"/privacy/view-log{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_city_admin_sees_every_view_and_filters(client, log_world, login_as):
    login_as(log_world["city"])
    html = _listed(client)
    assert "Siti Rahmawati" in html and "Budi Santoso" in html and "3 results" in html

    assert "1 result" in _listed(client, "?subject=budi")
    assert "Siti Rahmawati" not in _listed(client, "?subject=budi")
    assert "2 results" in _listed(client, "?viewer=kota")
    assert "1 result" in _listed(client, "?type=asn_ledger")
    since = (utcnow() - timedelta(days=20)).strftime("%Y-%m-%d")
    assert "2 results" in _listed(client, f"?since={since}")
    assert "1 result" in _listed(client, f"?until={since}")
    # Unknown or hostile filter values are ignored, never a 500.
    assert "3 results" in _listed(client, "?type=nope&since=31-31-2020&until=%00")
    assert "Nothing found." in _listed(client, "?page=99999")


def test_opd_admin_sees_only_views_of_their_opd_records(client, log_world, login_as):
    login_as(log_world["ani"])
    html = _listed(client)
    assert "Siti Rahmawati" in html and "Budi Santoso" not in html
    assert "2 results" in html
    assert "Budi Santoso" not in _listed(client, "?subject=budi")
    assert "Nothing found." in _listed(client, "?subject=budi")


def test_non_admins_are_refused(client, make, login_as):
    for role in (Role.ASN, Role.STUDENT, Role.UNIVERSITY, Role.MENTOR):
        login_as(make.user(role))
        assert client.get("/privacy/view-log").status_code == 403
        assert client.get("/privacy/view-log/export.csv").status_code == 403


def test_export_has_the_pages_rows_scoping_and_filters(client, log_world, login_as, db):
    login_as(log_world["ani"])
    response = client.get("/privacy/view-log/export.csv?type=asn_profile")
    assert response.status_code == 200
    table = list(
        csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")), delimiter=";")
    )
    assert table[0][:3] == ["When (WIB)", "Viewed by", "Viewer's e-mail"]
    assert [(r[1], r[3], r[5], r[6]) for r in table[1:]] == [
        ("Ani Admin", "Siti Rahmawati", "ASN competency profile", "11")
    ]

    login_as(log_world["city"])
    response = client.get("/privacy/view-log/export.xlsx")
    sheet = load_workbook(io.BytesIO(response.data)).active
    subjects = sorted(row[3] for row in sheet.iter_rows(min_row=2, values_only=True))
    assert subjects == ["Budi Santoso", "Siti Rahmawati", "Siti Rahmawati"]
    assert client.get("/privacy/view-log/export.pdf").status_code == 404
    # An export writes nothing (no view rows about itself).
    assert len(db.session.scalars(sa.select(PersonalDataView.id)).all()) == 3


def test_view_log_page_queries_do_not_grow_with_rows(client, make, login_as, count_queries):
    admin = make.user(Role.ADMIN, locale="en")
    login_as(admin)
    counts = []
    for extra in (2, 15):
        for _ in range(extra):
            opd = make.agency()
            view(
                make,
                make.user(Role.ADMIN, admin_agency=opd),
                make.user(Role.ASN, agency=opd),
                agency=opd,
            )
        with count_queries() as n:
            assert client.get("/privacy/view-log").status_code == 200
        counts.append(n())
    assert counts[0] == counts[1] <= 12
