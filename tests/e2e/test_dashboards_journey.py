"""Browser journey over the dashboards with the real demo data (issue 7): each role signs in,
lands on its dashboard, sees the demo's figures, and the page passes axe. A screenshot of every
dashboard is saved to docs/screenshots/ (the README shows them).

The figures are checked three ways: counted straight from the database (a student's
applications, a university's students waiting for verification), compared with the page that
holds the detail (the ASN's JP against the JP ledger page), and, for the charts, the numbers the
panel computed must be the ones written in its data table.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from portal.auth.models import AccountStatus, Role, User, UserRole
from portal.db import db
from portal.demo import DEMO_PASSWORD
from portal.institutions.models import Agency
from portal.internships.applications.models import Application
from portal.internships.models import InternshipPosition
from portal.util.names import single_stop
from tests.e2e.a11y import AxeChecks
from tests.e2e.pages import flash, open_menu

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"

#: (file name, demo account, the panel's heading)
DASHBOARDS = [
    ("admin-city", "admin@sinergi.example", "Administration: the whole city"),
    ("admin-opd", "admin.diskominfo@sinergi.example", None),  # "Administration: <OPD>"
    ("university", "dosen.usu@sinergi.example", "My university"),
    ("mentor", "mentor.diskominfo@sinergi.example", "My interns"),
    ("student", "mahasiswa.usu@sinergi.example", "My internship"),
    ("asn", "asn.dinkes@sinergi.example", "My development"),
]


def _user(app, email: str) -> User:
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == email))
        db.session.expunge(user)
        return user


def _scalar(app, stmt) -> int:
    with app.app_context():
        return db.session.scalar(stmt)


def _sign_in(page: Page, server, t, user: User) -> None:
    page.goto(server.url + "/login")
    page.get_by_label(t("E-mail"), exact=True).fill(user.email)
    page.get_by_label(t("Password"), exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("main").get_by_role("button", name=t("Sign in")).click()
    expect(page).to_have_url(re.compile(r"/dashboard$"))
    # One full stop after a name that ends with a degree ("…, S.Sos."): issue 18, point 10e.
    welcome = single_stop(t("Welcome, %(name)s.", name=user.full_name), user.full_name)
    expect(flash(page)).to_have_text(welcome)


def _panel(page: Page, heading: str):
    return page.get_by_role("region", name=heading)


def _check_figures(name: str, page: Page, server, t, user: User) -> None:
    app = server.app
    if name == "student":
        applications = _scalar(
            app, sa.select(sa.func.count(Application.id)).where(Application.student_id == user.id)
        )
        assert applications > 0, "the demo student has applications"
        shown = page.locator("[aria-labelledby=student-applications] strong").all_inner_texts()
        assert sum(int(n) for n in shown) == applications
    elif name == "university":
        pending = _scalar(
            app,
            sa.select(sa.func.count(User.id))
            .join(UserRole)
            .where(
                UserRole.role == Role.STUDENT,
                User.university_id == user.university_id,
                User.status == AccountStatus.PENDING,
            ),
        )
        assert pending > 0, "the demo has students waiting for USU's verification"
        expect(page.get_by_role("main")).to_contain_text(
            t.n(
                "%(num)d student waits for your verification.",
                "%(num)d students wait for your verification.",
                pending,
            )
        )
    elif name == "asn":
        sentence = page.locator("#asn-jp + p").inner_text()
        assert re.search(r"\d", sentence), sentence
        open_menu(page, t, "Trainings", "My JP ledger")
        expect(page.get_by_role("main")).to_contain_text(sentence.split(" · ")[0])
        page.go_back()
    elif name.startswith("admin"):
        # The funnel's first stage, read from the chart's data table (folded, so its text
        # content), is every application the admin oversees.
        stmt = sa.select(sa.func.count(Application.id))
        if user.admin_agency_id is not None:
            stmt = stmt.join(InternshipPosition).where(
                InternshipPosition.agency_id == user.admin_agency_id
            )
        applications = _scalar(app, stmt)
        assert applications > 0, "the demo has internship applications"
        cell = page.locator("#admin-funnel ~ details table tbody tr td").first
        assert int(cell.text_content().strip()) == applications
    elif name == "mentor":
        expect(page.get_by_role("main")).to_contain_text(re.compile(r"\d+ "))
        assert page.get_by_role("main").get_by_role("row").count() > 1, "mentees listed"


@pytest.mark.parametrize("language", ["id"])
def test_every_role_sees_its_dashboard_with_the_demo_figures(
    demo_server, new_person, texts, language
):
    t = texts(language)
    check_accessible = AxeChecks()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for name, email, heading in DASHBOARDS:
        user = _user(demo_server.app, email)
        page = new_person()
        page.set_viewport_size({"width": 1280, "height": 900})
        _sign_in(page, demo_server, t, user)
        if heading is None:
            opd = _scalar(
                demo_server.app, sa.select(Agency.name).where(Agency.id == user.admin_agency_id)
            )
            expect(_panel(page, t("Administration: %(opd)s", opd=opd))).to_be_visible()
        else:
            expect(_panel(page, t(heading))).to_be_visible()
        _check_figures(name, page, demo_server, t, user)
        expect(page.get_by_role("heading", level=1)).to_contain_text(user.full_name)
        check_accessible(page, f"the {name} dashboard")
        page.screenshot(path=str(SCREENSHOTS / f"dashboard-{name}.png"), full_page=True)
        page.close()
    check_accessible.assert_none()
