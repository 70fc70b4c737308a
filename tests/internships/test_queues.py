"""The universities' and OPDs' application lists (filters, bulk endorsement, exports), who may
reach them, their query counts, and the ``expire-offers`` command."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from portal.db import utcnow
from portal.internships.applications.models import Application, ApplicationEvent
from portal.notify import Notification
from tests.internships.pages_support import BUDGET, S, build_site, get, state_of


@pytest.fixture
def site(make):
    return build_site(make, make.internships)


P = "/internships"


@pytest.fixture
def apps(db, make, site):
    """Applications at U (the site's students) and at V, in several states and OPDs."""
    return {
        "submitted": make.internships.application(site.position, student=site.student),
        "endorsed": make.internships.application(
            site.other_position, student=site.student, state=S.ENDORSED
        ),
        "mate": make.internships.application(
            site.position, student=site.other_student, state=S.OFFERED
        ),
        "far": make.internships.application(site.position, student=site.far_student),
        "far_endorsed": make.internships.application(
            site.other_position, student=site.far_student, state=S.SHORTLISTED
        ),
    }


def _ids(html: str, apps, names) -> set[str]:
    return {n for n in names if f'/internships/applications/{apps[n].id}"' in html}


ALL = ("submitted", "endorsed", "mate", "far", "far_endorsed")


# --- who may reach the lists -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "university", "opd"),
    [("student", 403, 403), ("mentor", 403, 403), ("university", 200, 403),
     ("opd", 403, 200), ("city_admin", 403, 200)],
)  # fmt: skip
def test_each_list_is_for_its_side(client, login_as, site, who, university, opd):
    login_as(getattr(site, who))
    for url in (
        f"{P}/university/applications",
        f"{P}/university/applications.csv",
        f"{P}/university/applications.xlsx",
    ):
        assert get(client, url).status_code == university, url
    assert client.post(f"{P}/university/applications/endorse").status_code in (
        (400,) if university == 200 else (university,)
    )
    for url in (f"{P}/opd/applications", f"{P}/opd/applications.csv", f"{P}/opd/applications.xlsx"):
        assert get(client, url).status_code == opd, url
    assert get(client, f"{P}/opd/applications.pdf").status_code in (403, 404)


def test_anonymous_visitors_are_sent_to_sign_in(client):
    for url in (f"{P}/university/applications", f"{P}/opd/applications", f"{P}/applications/mine"):
        response = get(client, url)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


# --- the university's list and bulk endorsement --------------------------------------------


def test_the_university_sees_only_its_students_and_filters(client, login_as, site, apps):
    login_as(site.university)
    html = client.get(f"{P}/university/applications").get_data(as_text=True)
    assert _ids(html, apps, ALL) == {"submitted", "endorsed", "mate"}
    assert html.count('name="application_id"') == 1  # only the submitted one can be endorsed
    html = client.get(f"{P}/university/applications?state=offered").get_data(as_text=True)
    assert _ids(html, apps, ALL) == {"mate"}
    html = client.get(f"{P}/university/applications?q=kevin").get_data(as_text=True)
    assert _ids(html, apps, ALL) == {"mate"}
    html = client.get(f"{P}/university/applications?q={site.student.nim}").get_data(as_text=True)
    assert _ids(html, apps, ALL) == {"submitted", "endorsed"}
    html = client.get(f"{P}/university/applications?period=999").get_data(as_text=True)
    assert _ids(html, apps, ALL) == set()
    assert get(client, f"{P}/university/applications?state=x&period=a&page=-3").status_code == 200
    login_as(site.other_university)
    html = client.get(f"{P}/university/applications").get_data(as_text=True)
    assert _ids(html, apps, ALL) == {"far", "far_endorsed"}


def test_bulk_endorsement_reports_each_item(client, login_as, db, make, site, apps):
    second = make.internships.application(site.other_position, student=site.other_student)
    login_as(site.university)
    ids = [apps["submitted"].id, second.id, apps["endorsed"].id, apps["far"].id, 999999]
    response = client.post(
        f"{P}/university/applications/endorse", data={"application_id": [str(i) for i in ids]}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "2 applications endorsed" in html and "3 applications not endorsed" in html
    assert "not possible while the application is" in html  # the endorsed one: why
    assert f"#{apps['far'].id}" in html and site.far_student.full_name not in html  # no leak
    assert "#999999" in html
    assert [state_of(db, a) for a in (apps["submitted"].id, second.id, apps["far"].id)] == [
        S.ENDORSED,
        S.ENDORSED,
        S.SUBMITTED,
    ]
    events = db.session.scalars(
        sa.select(ApplicationEvent.actor_id).where(ApplicationEvent.action == "endorse")
    ).all()
    assert events == [site.university.id] * 2
    for bad in ({}, {"application_id": ["abc"]}, {"application_id": ["0"]}):
        assert client.post(f"{P}/university/applications/endorse", data=bad).status_code == 400


def test_the_university_exports_what_it_sees(client, login_as, db, site, apps):
    site.student.full_name = '=HYPERLINK("http://x")'  # a formula: exported as text
    db.session.flush()
    login_as(site.university)
    response = client.get(f"{P}/university/applications.csv?state=submitted")
    assert response.headers["Content-Disposition"].startswith("attachment")
    rows = list(
        csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")), delimiter=";")
    )
    assert len(rows) == 2 and rows[1][3] == site.position.title
    response = client.get(f"{P}/university/applications.xlsx")
    sheet = load_workbook(io.BytesIO(response.data)).active
    values = list(sheet.values)
    assert len(values) == 4 and {v[0] for v in values[1:]} == {
        "'" + site.student.full_name,
        site.other_student.full_name,
    }
    assert get(client, f"{P}/university/applications.html").status_code == 404


# --- the OPD's list --------------------------------------------------------------------------


def test_the_opd_sees_only_endorsed_applications_of_its_positions(client, login_as, site, apps):
    login_as(site.opd)
    html = client.get(f"{P}/opd/applications").get_data(as_text=True)
    assert _ids(html, apps, ALL) == {"mate"}
    login_as(site.other_opd)
    html = client.get(f"{P}/opd/applications").get_data(as_text=True)
    assert _ids(html, apps, ALL) == {"endorsed", "far_endorsed"}
    html = client.get(f"{P}/opd/applications?state=shortlisted").get_data(as_text=True)
    assert _ids(html, apps, ALL) == {"far_endorsed"}
    html = client.get(f"{P}/opd/applications?q=siti").get_data(as_text=True)
    assert _ids(html, apps, ALL) == {"far_endorsed"}
    html = client.get(f"{P}/opd/applications?opd={site.agency.id}").get_data(as_text=True)
    assert _ids(html, apps, ALL) == {"endorsed", "far_endorsed"}  # its own OPD, whatever is asked
    login_as(site.city_admin)
    html = client.get(f"{P}/opd/applications").get_data(as_text=True)
    assert _ids(html, apps, ALL) == {"endorsed", "mate", "far_endorsed"}
    html = client.get(f"{P}/opd/applications?opd={site.agency.id}").get_data(as_text=True)
    assert _ids(html, apps, ALL) == {"mate"}
    html = client.get(f"{P}/opd/applications?position={site.other_position.id}").get_data(
        as_text=True
    )
    assert _ids(html, apps, ALL) == {"endorsed", "far_endorsed"}


def test_the_opd_exports_its_list(client, login_as, site, apps):
    login_as(site.other_opd)
    response = client.get(f"{P}/opd/applications.csv")
    rows = list(
        csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")), delimiter=";")
    )
    assert {r[0] for r in rows[1:]} == {site.student.full_name, site.far_student.full_name}
    response = client.get(f"{P}/opd/applications.xlsx?state=shortlisted")
    assert len(list(load_workbook(io.BytesIO(response.data)).active.values)) == 2


# --- query counts ----------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["university", "opd", "city_admin"])
def test_the_lists_run_a_fixed_number_of_queries(
    client, login_as, db, make, site, count_queries, who
):
    login_as(getattr(site, who))
    url = f"{P}/university/applications" if who == "university" else f"{P}/opd/applications"
    counts = []
    for n in (2, 15):
        for i in range(n):
            position = make.internships.position(site.agency, period=make.internships.period())
            make.internships.application(
                position,
                student=make.internships.student(site.uni),
                state=(S.SUBMITTED, S.ENDORSED, S.OFFERED)[i % 3],
            )
        db.session.flush()
        db.session.expire_all()
        row = []
        for page in (url, f"{url}.csv"):
            with count_queries() as q:
                assert client.get(page).status_code == 200
            row.append(q())
        counts.append(row)
    assert counts[0] == counts[1], counts
    assert max(counts[0]) <= BUDGET, counts


def test_the_lists_are_paginated_in_the_database(client, login_as, db, make, site):
    """The page's rows are chosen before the joins (``paginate_by_id``): every application on
    exactly one page, 20 per page, a page past the end shows the last one."""
    login_as(site.university)
    made = {
        make.internships.application(
            make.internships.position(site.agency, period=make.internships.period()),
            student=make.internships.student(site.uni),
        ).id
        for _ in range(25)
    }
    db.session.flush()

    def shown(page):
        html = client.get(f"{P}/university/applications?page={page}").get_data(as_text=True)
        return {i for i in made if f'/internships/applications/{i}"' in html}

    first, second = shown(1), shown(2)
    assert (len(first), len(second)) == (20, 5)
    assert first | second == made and not first & second
    assert shown(99) == second


# --- expire-offers ---------------------------------------------------------------------------


def _run(app, *args):
    result = app.test_cli_runner().invoke(args=["expire-offers", *args])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def test_expire_offers_expires_past_offers_once(app, db, make, site):
    past = make.internships.application(
        site.position,
        student=site.student,
        state=S.OFFERED,
        offer_expires_at=utcnow() - timedelta(minutes=1),
    )
    future = make.internships.application(
        site.position, student=site.other_student, state=S.OFFERED
    )
    db.session.flush()
    result = _run(app)
    assert result.exit_code == 0 and "1 offer(s) expired" in result.output
    db.session.expire_all()
    assert state_of(db, past.id) == S.OFFER_EXPIRED and state_of(db, future.id) == S.OFFERED
    assert db.session.get(Application, past.id).rank is None
    notices = db.session.scalar(sa.select(sa.func.count()).select_from(Notification))
    events = db.session.scalar(sa.select(sa.func.count()).select_from(ApplicationEvent))
    assert notices >= 2 and events == 1
    again = _run(app)
    assert "0 offer(s) expired" in again.output
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Notification)) == notices
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ApplicationEvent)) == events
    assert state_of(db, future.id) == S.OFFERED
