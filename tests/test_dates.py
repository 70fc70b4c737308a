"""Dates read day first in both languages (issue 18): one short and one long style per
language, through Flask-Babel, in notifications (stored as tagged dates, formatted in the
reader's language when shown), e-mails, the digest, the Jinja filters and the Python helpers."""

from __future__ import annotations

import json
import types
from datetime import UTC, date, datetime

import pytest
from flask import render_template_string
from flask_babel import force_locale

from portal import notify as notify_module
from portal.auth.models import Role
from portal.digest import send_daily_digests
from portal.i18n import _l
from portal.notification_prefs import Channel
from portal.notify import Notification, notify, register_messages, tell
from portal.util import clock, dates
from tests.notification_prefs_support import day, prefer
from tests.support.worlds import module_world

DAY = date(2027, 8, 4)
#: 20:30 UTC on 3 August is 03:30 on 4 August in Medan (WIB, UTC+7).
MOMENT = datetime(2027, 8, 3, 20, 30, tzinfo=UTC)
#: What the old styles printed: US short dates and ISO.
WRONG = ("8/4/27", "2027-08-04", "Aug 4, 2027", "August 4", "4/8/27")


def build_people(make):
    people = types.SimpleNamespace()
    people.en = make.user(Role.STUDENT, locale="en")
    people.id = make.user(Role.STUDENT, locale="id")
    people.digest = make.user(Role.ASN, locale="en")
    return people


people = module_world(build_people)


@pytest.fixture(autouse=True)
def messages(monkeypatch):
    monkeypatch.setattr(notify_module, "MESSAGES", dict(notify_module.MESSAGES))
    monkeypatch.setitem(notify_module.CATEGORIES, "tests", notify_module.Category("Tests", "Tests"))
    register_messages(
        tests__starts=_l("Your placement starts on %(start)s."),
        tests__moment=_l("Session at %(when)s."),
        tests__plain=_l("Returned by %(name)s: %(note)s"),
    )


def _clean(text: str) -> None:
    for wrong in WRONG:
        assert wrong not in text, (wrong, text)


def test_a_date_param_is_stored_serialisable_and_read_day_first_in_each_language(app, db, people):
    row = notify(people.en, "tests.starts", start=DAY)
    db.session.flush()
    json.dumps(row.params)  # stored as JSON, tagged
    db.session.expire_all()
    row = db.session.get(Notification, row.id)
    with app.test_request_context(), force_locale("en"):
        assert row.text == "Your placement starts on 4 Aug 2027."
    with app.test_request_context(), force_locale("id"):
        assert "4 Agu 2027" in row.text
        _clean(row.text)


def test_a_datetime_param_reads_in_medan_time(app, db, people):
    row = notify(people.en, "tests.moment", when=MOMENT)
    db.session.flush()
    db.session.expire_all()
    row = db.session.get(Notification, row.id)
    with app.test_request_context(), force_locale("en"):
        assert row.text == "Session at 4 Aug 2027 03:30."


def test_old_rows_with_plain_strings_keep_rendering(app, db, people):
    row = Notification(
        user_id=people.en.id,
        category="tests",
        message_key="tests.starts",
        params={"start": "2027-08-04"},
    )
    db.session.add(row)
    db.session.flush()
    with app.test_request_context(), force_locale("en"):
        assert row.text == "Your placement starts on 2027-08-04."


def test_the_email_subject_and_body_are_day_first_in_the_readers_language(app, db, people, outbox):
    with app.test_request_context():
        tell([people.en, people.id], "tests.starts", link="/dashboard", start=DAY)
        db.session.flush()
    english = outbox(people.en.email)[-1]
    assert "4 Aug 2027" in english.subject and "4 Aug 2027" in english.body_text
    assert "4 Aug 2027" in english.body_html
    indonesian = outbox(people.id.email)[-1]
    assert "4 Agu 2027" in indonesian.body_text
    for row in (english, indonesian):
        _clean(row.subject + row.body_text + row.body_html)


def test_the_digest_is_day_first(app, db, people, outbox):
    with app.test_request_context():
        prefer(people.digest, at=day(0), tests=Channel.DIGEST)
        row = notify(people.digest, "tests.starts", link="/dashboard", start=DAY)
        row.created_at = day(1)
        db.session.flush()
        assert send_daily_digests(now=day(2)) >= 1
        db.session.flush()
    mail = outbox(people.digest.email)[-1]
    assert "4 Aug 2027" in mail.body_text and "4 Aug 2027" in mail.body_html
    _clean(mail.body_text + mail.body_html)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "4 Aug 2027|04/08/2027|4 August 2027|4 Aug 2027 03:30|04/08/2027 03:30"),
        ("id", "4 Agu 2027|04/08/2027|4 Agustus 2027|4 Agu 2027 03.30|04/08/2027 03.30"),
    ],
)
def test_jinja_filters_are_day_first(app, lang, expected):
    source = (
        "{{ d|date }}|{{ d|date('short') }}|{{ d|date('long') }}"
        "|{{ m|datetime }}|{{ m|datetime('short') }}"
    )
    with app.test_request_context(), force_locale(lang):
        assert render_template_string(source, d=DAY, m=MOMENT) == expected


@pytest.mark.parametrize(
    ("lang", "short", "long", "moment"),
    [
        ("en", "04/08/2027", "4 Aug 2027", "4 Aug 2027 03:30"),
        ("id", "04/08/2027", "4 Agu 2027", "4 Agu 2027 03.30"),
    ],
)
def test_the_python_helpers_match_the_filters(app, lang, short, long, moment):
    with app.test_request_context(), force_locale(lang):
        assert dates.short_date(DAY) == short
        assert dates.day_text(DAY) == long
        assert dates.moment_text(MOMENT) == moment
        assert dates.day_text(None) == ""


def test_a_refusal_built_outside_a_request_reads_day_first_when_shown(app):
    """Services build refusals before any page shows them (a CLI job, a test): the date is
    formatted when the text is shown, in that page's language."""
    with app.app_context():
        message = _l("The evaluation opens on %(date)s.", date=dates.lazy_day(DAY))
        at = _l("Check-in for this session opens at %(time)s WIB.", time=clock.local_text(MOMENT))
    with app.test_request_context(), force_locale("en"):
        assert str(message) == "The evaluation opens on 4 Aug 2027."
        assert str(at) == "Check-in for this session opens at 4 Aug 2027 03:30 WIB."
    with app.test_request_context(), force_locale("id"):
        assert "4 Agu 2027" in str(message) and "4 Agu 2027 03.30" in str(at)


def test_an_iso_day_stored_in_json_reads_day_first_through_the_filter(app):
    """Evidence stored as JSON keeps ISO days (machine data); pages show them day first."""
    with app.test_request_context(), force_locale("en"):
        shown = render_template_string("{{ '2027-08-04'|date }}|{{ 'soon'|date }}|{{ ''|date }}")
    assert shown == "4 Aug 2027|soon|"
