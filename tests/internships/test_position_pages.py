"""The public position pages: the list (only published positions, search and filters) and a
position's page (everything shown publicly, drafts seen only by their OPD's admins, apply or the
reason not to), payloads rendered escaped on every position page, and a fixed number of queries
whatever the size. (The OPD admins' management: test_position_management.py.)"""

from __future__ import annotations

from datetime import timedelta

import pytest

from portal.auth.models import Role
from portal.internships.models import PositionMentor, WorkMode
from portal.util import clock
from tests.internships.pages_support import BUDGET, PAYLOADS, get
from tests.support.worlds import internship_pages

site = internship_pages.site  # built once for the module (tests/support/worlds/internship_pages.py)

P = "/internships"


# --- the public list and page ---------------------------------------------------------------


def test_the_list_is_public_and_shows_only_published_positions(client, site):
    html = client.get(f"{P}/positions?lang=en").get_data(as_text=True)
    assert site.position.title in html and site.other_position.title in html
    assert site.draft.title not in html
    assert "3 of 3" in html  # seats left of the quota


def test_the_list_searches_and_filters(client, make, site):
    hybrid = make.internships.position(
        site.other_agency,
        period=make.internships.period(),
        mode=WorkMode.HYBRID,
        title="Analis Data",
        wanted_majors="Statistika",
        wanted_skills="Pandas",
        unit="Bidang Statistik",
    )

    def titles(query):
        html = client.get(f"{P}/positions?{query}").get_data(as_text=True)
        return {p.title for p in (site.position, site.other_position, hybrid) if p.title in html}

    assert titles("q=pandas") == {hybrid.title}
    assert titles("q=statistik") == {hybrid.title}  # the unit
    assert titles(f"opd={site.agency.id}") == {site.position.title}
    assert titles("major=statis") == {hybrid.title}
    assert titles(f"period={site.period.id}") == {site.position.title, site.other_position.title}
    assert titles("mode=hybrid") == {hybrid.title}
    assert len(titles("mode=nonsense&opd=abc&period=-1&page=999999")) <= 3  # no 500


def test_a_position_page_shows_everything_publicly(client, db, site):
    site.position.work_plan_item = "Program Penyelenggaraan Statistik Sektoral"
    db.session.flush()
    html = client.get(f"{P}/positions/{site.position.id}?lang=en").get_data(as_text=True)
    for text in (
        site.position.title,
        site.agency.name,
        "Input data",
        "Teknologi Informasi",
        "Python, SQL",
        "Statistik Sektoral",
        site.mentor.full_name,
        "3 of 3",
    ):
        assert text in html, text
    assert "Students apply after signing in" in html


@pytest.mark.parametrize(
    ("who", "status"),
    [(None, 404), ("student", 404), ("university", 404), ("other_opd", 404), ("opd", 200),
     ("city_admin", 200)],
)  # fmt: skip
def test_a_draft_is_seen_only_by_its_opd_admins(client, login_as, site, who, status):
    if who:
        login_as(getattr(site, who))
    assert get(client, f"{P}/positions/{site.draft.id}").status_code == status
    assert get(client, f"{P}/positions/999999").status_code == 404


def test_a_verified_student_sees_apply_or_the_reason(client, login_as, make, site):
    login_as(site.student)
    html = client.get(f"{P}/positions/{site.position.id}?lang=en").get_data(as_text=True)
    assert f"/internships/positions/{site.position.id}/apply" in html
    late = make.internships.position(
        site.agency, application_deadline=clock.today() - timedelta(days=1)
    )
    html = client.get(f"{P}/positions/{late.id}?lang=en").get_data(as_text=True)
    assert "deadline for this position has passed" in html and f"{late.id}/apply" not in html
    for _ in range(3):
        make.internships.application(
            make.internships.position(period=site.period), student=site.student
        )
    html = client.get(f"{P}/positions/{site.position.id}?lang=en").get_data(as_text=True)
    assert "already have 3 open applications" in html
    unverified = make.user(Role.STUDENT, locale="en")  # no university yet
    unverified.university_id = None
    make.session.flush()
    login_as(unverified)
    html = client.get(f"{P}/positions/{site.position.id}?lang=en").get_data(as_text=True)
    assert "verified can apply" in html


# --- XSS and query counts ---------------------------------------------------------------


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payloads_in_a_position_render_escaped(client, login_as, db, site, payload):
    site.position.title = f"Magang {payload}"
    site.position.description = payload
    site.position.tasks = payload
    db.session.flush()
    login_as(site.opd)
    for url in (
        f"{P}/positions",
        f"{P}/positions/{site.position.id}",
        f"{P}/manage/positions",
        f"{P}/manage/positions/{site.position.id}/edit",
        f"{P}/manage/positions/{site.position.id}/mentors",
    ):
        html = client.get(url).get_data(as_text=True)
        assert "<script>alert" not in html and "<img src=x" not in html, url
        assert "&lt;" in html, url


def _grow(imake, site, n):
    for i in range(n):
        position = imake.position(site.agency, period=site.period, mentors=2)
        position.title = f"Posisi {i}"
    imake.session.flush()


@pytest.mark.parametrize("who", ["anonymous", "student", "opd"])
def test_the_position_pages_run_a_fixed_number_of_queries(
    client, login_as, db, make, site, count_queries, who
):
    if who != "anonymous":
        login_as(getattr(site, who))
    counts = []
    for n in (1, 12):
        _grow(make.internships, site, n)
        for _ in range(n):
            db.session.add(
                PositionMentor(
                    position_id=site.position.id, mentor_id=make.internships.mentor(site.agency).id
                )
            )
            make.internships.application(
                make.internships.position(period=site.period), student=make.internships.student()
            )
        db.session.flush()
        db.session.expire_all()
        row = []
        for url in (
            f"{P}/positions",
            f"{P}/positions/{site.position.id}",
            *((f"{P}/manage/positions",) if who == "opd" else ()),
        ):
            with count_queries() as q:
                assert client.get(url).status_code == 200
            row.append(q())
        counts.append(row)
    assert counts[0] == counts[1], counts
    assert max(counts[0]) <= BUDGET, counts
