"""Browser journey (issue 18, point 6): a reader switches the portal to English and reads dates
day first, never the US "1/4/27" nor ISO: the internship positions list (the demo's own
positions, read only) and the notifications page (two notices of the journey's own account,
one with a date, one with a moment shown in Medan's time).

The account is the journey's own (on the demo server), so switching its language changes
nothing another journey reads.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from portal.auth.models import Role, User
from portal.db import db
from portal.demo import DEMO_PASSWORD
from portal.internships.models import InternshipPosition
from portal.notify import notify
from portal.reminders import internship_rules  # noqa: F401  (registers the reminder texts)
from tests.support.factories import Factories

EMAIL = "pembaca.tanggal@sinergi.example"
SINCE = date(2027, 1, 4)
#: 01:30 UTC is 08:30 in Medan (WIB).
EXPIRES = datetime(2027, 1, 4, 1, 30, tzinfo=UTC)
US_DATE = re.compile(r"\b\d{1,2}/\d{1,2}/\d{2}\b|\b[A-Z][a-z]{2,8} \d{1,2}, \d{4}")
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def _english(day: date) -> str:
    """The English medium style, written here without Babel: "4 Jan 2027"."""
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    return f"{day.day} {months[day.month - 1]} {day.year}"


@pytest.fixture(scope="module")
def reader(demo_server) -> str:
    """A student of the demo's reading Indonesian, with two notices holding dates."""
    with demo_server.app.app_context(), demo_server.app.test_request_context():
        user = db.session.scalar(sa.select(User).where(User.email == EMAIL))
        if user is None:
            user = Factories(db.session).user(
                Role.STUDENT,
                email=EMAIL,
                full_name="Pembaca Tanggal",
                password=DEMO_PASSWORD,
                locale="id",
            )
            db.session.flush()
            notify(user, "reminders.logbook", history=True, days=3, since=SINCE)
            notify(
                user,
                "internships.offered",
                history=True,
                position="Magang Analis Data",
                agency="Diskominfo",
                expires=EXPIRES,
            )
        db.session.commit()
        db.session.remove()
    return EMAIL


def _sign_in(page: Page, server, t) -> None:
    page.goto(server.url + "/login")
    page.get_by_label(t("E-mail"), exact=True).fill(EMAIL)
    page.get_by_label(t("Password"), exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("main").get_by_role("button", name=t("Sign in")).click()
    expect(page).to_have_url(re.compile(r"/dashboard$"))
    page.wait_for_load_state("load")


def test_dates_read_day_first_in_english(demo_server, reader, new_person, texts):
    id_, en = texts("id"), texts("en")
    page = new_person()
    _sign_in(page, demo_server, id_)
    # Indonesian first: the notice's date already reads day first.
    page.goto(demo_server.url + "/notifications")
    notices = page.locator(".notification-list")
    expect(notices).to_contain_text("4 Jan 2027")

    # The language switch (the account's own choice is saved).
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")

    page.goto(demo_server.url + "/notifications")
    logbook = en(
        "You have not filled your logbook for %(days)s working days (since %(since)s). "
        "Please write the missing days.",
        days=3,
        since="4 Jan 2027",
    )
    offered = en(
        "You have an offer for “%(position)s” (%(agency)s). Answer it before %(expires)s WIB.",
        position="Magang Analis Data",
        agency="Diskominfo",
        expires="4 Jan 2027 08:30",
    )
    expect(notices).to_contain_text(logbook)
    expect(notices).to_contain_text(offered)
    shown = notices.inner_text()
    assert not US_DATE.search(shown) and not ISO_DATE.search(shown), shown
    # When each notice came: day first as well ("08/12/2026 10:15").
    for moment in notices.locator("time").all_inner_texts():
        assert re.fullmatch(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}", moment), moment

    # A page listing dates: the internship positions.
    page.goto(demo_server.url + "/internships/positions")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    rows = page.get_by_role("main").locator("table tbody tr")
    expect(rows.first).to_be_visible()
    link = rows.first.get_by_role("link").first
    position_id = int(link.get_attribute("href").rstrip("/").rsplit("/", 1)[-1])
    with demo_server.app.app_context():
        position = db.session.get(InternshipPosition, position_id)
        starts, ends, deadline = position.starts_on, position.ends_on, position.application_deadline
        db.session.remove()
    cells = rows.first.locator("td")
    expect(cells.nth(2)).to_contain_text(f"{starts:%d/%m/%Y} – {ends:%d/%m/%Y}")
    expect(cells.nth(5)).to_have_text(_english(deadline))
    table = page.get_by_role("main").locator("table").inner_text()
    assert not US_DATE.search(table) and not ISO_DATE.search(table), table
