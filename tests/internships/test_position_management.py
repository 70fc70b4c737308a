"""The OPD admins' management of positions: who may reach what, the management list scoped to
the admin's OPD, creating and editing (mass assignment, bad input kept, refusals with reasons),
mentors, publishing, closing, and periods. (The public pages: test_position_pages.py.)"""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from portal.internships.models import (
    InternshipPeriod,
    InternshipPosition,
    MentorCapacity,
    PositionMentor,
    PositionState,
    WorkMode,
)
from portal.util import clock
from tests.internships.pages_support import fresh, get
from tests.support.worlds import internship_pages

site = internship_pages.site  # built once for the module (tests/support/worlds/internship_pages.py)

P = "/internships"


# --- management: who may reach what ---------------------------------------------------------


def _manage_urls(position):
    base = f"{P}/manage/positions/{position.id}"
    return [
        ("GET", f"{base}/edit"),
        ("GET", f"{base}/mentors"),
        ("POST", f"{base}/publish"),
        ("POST", f"{base}/close"),
        ("POST", f"{base}/mentors/1/remove"),
    ]


@pytest.mark.parametrize(
    ("who", "status"),
    [("student", 403), ("university", 403), ("mentor", 403), ("other_opd", 404)],
)
def test_only_the_positions_opd_manages_it(client, login_as, db, site, who, status):
    login_as(getattr(site, who))
    for method, url in _manage_urls(site.position):
        response = client.get(url) if method == "GET" else client.post(url)
        assert response.status_code == status, url
    assert fresh(db, InternshipPosition, site.position.id).state == PositionState.PUBLISHED


def test_the_management_list_is_scoped_to_the_admins_opd(client, login_as, site):
    login_as(site.opd)
    html = client.get(f"{P}/manage/positions").get_data(as_text=True)
    assert site.position.title in html and site.draft.title in html
    assert site.other_position.title not in html
    login_as(site.city_admin)
    html = client.get(f"{P}/manage/positions?opd={site.other_agency.id}").get_data(as_text=True)
    assert site.other_position.title in html and site.position.title not in html
    login_as(site.student)
    assert get(client, f"{P}/manage/positions").status_code == 403


# --- creating and editing ------------------------------------------------------------------


def _form(period, **extra):
    today = clock.today()
    data = {
        "title": "Pengelola Data Statistik Sektoral",
        "unit": "Bidang Statistik",
        "period_id": str(period.id),
        "description": "Membantu penyusunan data sektoral.",
        "tasks": "Input data\nVerifikasi",
        "wanted_majors": "Statistika",
        "wanted_skills": "Excel",
        "quota": "4",
        "starts_on": str(today + timedelta(days=40)),
        "ends_on": str(today + timedelta(days=150)),
        "application_deadline": str(today + timedelta(days=20)),
        "location": "Balai Kota",
        "mode": "hybrid",
        "work_plan_item": "Program Statistik",
    }
    return {**data, **extra}


def test_an_opd_admin_creates_a_draft_of_their_own_opd_whatever_is_posted(
    client, login_as, db, site
):
    login_as(site.opd)
    response = client.post(
        f"{P}/manage/positions/new",
        data=_form(
            site.period,
            agency_id=str(site.other_agency.id),
            state="published",
            seats_taken="3",
            created_by_id=str(site.city_admin.id),
            published_at="2020-01-01",
        ),
    )
    assert response.status_code == 302
    created = db.session.scalars(
        sa.select(InternshipPosition).where(InternshipPosition.title.like("Pengelola%"))
    ).one()
    assert (created.agency_id, created.state, created.seats_taken, created.created_by_id) == (
        site.agency.id,
        PositionState.DRAFT,
        0,
        site.opd.id,
    )
    assert created.published_at is None and created.mode == WorkMode.HYBRID
    assert response.headers["Location"].endswith(f"/manage/positions/{created.id}/mentors")


def test_a_city_admin_chooses_the_opd_in_the_address(client, login_as, db, site):
    login_as(site.city_admin)
    assert get(client, f"{P}/manage/positions/new").status_code == 200
    assert client.post(f"{P}/manage/positions/new", data=_form(site.period)).status_code == 400
    response = client.post(
        f"{P}/manage/positions/new?opd={site.other_agency.id}", data=_form(site.period)
    )
    assert response.status_code == 302
    assert (
        db.session.scalar(
            sa.select(InternshipPosition.agency_id).where(
                InternshipPosition.title.like("Pengelola%")
            )
        )
        == site.other_agency.id
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [({"title": ""}, "This field is required"), ({"quota": "0"}, "Between 1 and 500"),
     ({"ends_on": "2000-01-01"}, "must end after it starts"),
     ({"application_deadline": "2099-01-01"}, "must not be after the start date"),
     ({"period_id": "999999"}, "Not a valid choice"), ({"starts_on": "kemarin"}, "date"),
     ({"mode": "remote"}, "Not a valid choice"), ({"title": "x" * 201}, "At most 200")],
)  # fmt: skip
def test_bad_input_is_refused_and_what_was_typed_stays(client, login_as, db, site, change, message):
    login_as(site.opd)
    response = client.post(f"{P}/manage/positions/new?lang=en", data=_form(site.period, **change))
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and message in html
    assert "Membantu penyusunan data sektoral." in html  # kept
    assert db.session.scalar(sa.select(sa.func.count()).select_from(InternshipPosition)) == 3


def test_editing_changes_only_the_editable_fields(client, login_as, db, site):
    login_as(site.opd)
    url = f"{P}/manage/positions/{site.position.id}/edit"
    assert "Magang Uji" in client.get(url).get_data(as_text=True)
    data = _form(
        site.period,
        quota="5",
        agency_id=str(site.other_agency.id),
        state="draft",
        seats_taken="2",
        period_id=str(site.period.id),
    )
    assert client.post(url, data=data).status_code == 302
    position = fresh(db, InternshipPosition, site.position.id)
    assert (
        position.title,
        position.quota,
        position.agency_id,
        position.state,
        position.seats_taken,
    ) == ("Pengelola Data Statistik Sektoral", 5, site.agency.id, PositionState.PUBLISHED, 0)


def test_editing_refusals_say_why(client, login_as, db, site):
    login_as(site.opd)
    site.position.seats_taken = 2
    db.session.flush()
    url = f"{P}/manage/positions/{site.position.id}/edit?lang=en"
    response = client.post(url, data=_form(site.period, quota="1"))
    assert response.status_code == 409
    assert "cannot be lower than the 2 seats" in response.get_data(as_text=True)
    site.position.state = PositionState.CLOSED
    db.session.flush()
    response = client.get(url, follow_redirects=True)
    assert "closed position cannot be changed" in response.get_data(as_text=True)


# --- mentors, publishing, closing, periods --------------------------------------------------


def test_mentors_are_added_with_a_limit_and_removed(client, login_as, db, make, site):
    new = make.internships.mentor(site.agency, limit=None)
    elsewhere = make.internships.mentor(site.other_agency)
    login_as(site.opd)
    url = f"{P}/manage/positions/{site.draft.id}/mentors"
    html = client.get(url).get_data(as_text=True)
    assert new.full_name in html and elsewhere.full_name not in html
    bad = client.post(url, data={"mentor_id": str(elsewhere.id), "mentee_limit": "3"})
    assert bad.status_code == 400
    assert client.post(url, data={"mentor_id": str(new.id), "mentee_limit": "3"}).status_code == 302
    assert db.session.get(MentorCapacity, new.id).mentee_limit == 3
    named = db.session.scalars(
        sa.select(PositionMentor.mentor_id).where(PositionMentor.position_id == site.draft.id)
    ).all()
    assert new.id in named
    assert client.post(f"{url}/{new.id}/remove").status_code == 302
    assert (
        new.id
        not in db.session.scalars(
            sa.select(PositionMentor.mentor_id).where(PositionMentor.position_id == site.draft.id)
        ).all()
    )


def test_publishing_needs_a_mentor_and_closing_works(client, login_as, db, make, site):
    bare = make.internships.position(site.agency, mentors=0, state=PositionState.DRAFT)
    login_as(site.opd)
    response = client.post(f"{P}/manage/positions/{bare.id}/publish?lang=en", follow_redirects=True)
    assert "Name at least one mentor" in response.get_data(as_text=True)
    assert fresh(db, InternshipPosition, bare.id).state == PositionState.DRAFT
    assert client.post(f"{P}/manage/positions/{site.draft.id}/publish").status_code == 302
    assert fresh(db, InternshipPosition, site.draft.id).state == PositionState.PUBLISHED
    assert client.post(f"{P}/manage/positions/{site.draft.id}/close").status_code == 302
    assert fresh(db, InternshipPosition, site.draft.id).state == PositionState.CLOSED
    response = client.post(
        f"{P}/manage/positions/{site.draft.id}/close?lang=en", follow_redirects=True
    )
    assert "Only a position open for applications can be closed" in response.get_data(as_text=True)


def test_city_admins_create_periods(client, login_as, db, site):
    data = {"name": "Semester Ganjil 2027", "starts_on": "2027-08-01", "ends_on": "2027-12-20"}
    login_as(site.opd)
    assert get(client, f"{P}/manage/periods").status_code == 200
    assert client.post(f"{P}/manage/periods", data=data).status_code == 403
    login_as(site.city_admin)
    assert client.post(f"{P}/manage/periods", data=data).status_code == 302
    again = client.post(f"{P}/manage/periods?lang=en", data=data)
    assert again.status_code == 409 and "already exists" in again.get_data(as_text=True)
    bad = client.post(f"{P}/manage/periods?lang=en", data={**data, "ends_on": "2027-01-01"})
    assert bad.status_code == 400 and "Semester Ganjil 2027" in bad.get_data(as_text=True)
    assert (
        db.session.scalar(
            sa.select(sa.func.count()).where(InternshipPeriod.name == "Semester Ganjil 2027")
        )
        == 1
    )
