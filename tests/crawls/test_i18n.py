"""Indonesian is the default and complete; English on request; dates in Asia/Jakarta."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from flask_babel import force_locale

from portal.auth.models import Role
from portal.util import clock
from tests.support.i18n_training_pages import TRAINING_PAGES
from tests.support.worlds.crawl import with_frozen_versions
from tests.support.worlds.crawl_urls import FILE_DOWNLOADS, url_for_rule

#: The verdict cannot depend on the database: SQLite only, unless PORTAL_TEST_ALL_DATABASES=1
#: (tests/support/lanes.py).
pytestmark = pytest.mark.db_independent

ROOT = Path(__file__).resolve().parents[2]
ID_PO = ROOT / "translations" / "id" / "LC_MESSAGES" / "messages.po"


def _catalog():
    with ID_PO.open("rb") as f:
        return read_po(f)


def test_indonesian_catalogue_is_complete():
    untranslated, fuzzy = [], []
    for message in _catalog():
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings):
            untranslated.append(message.id)
        if message.fuzzy:
            fuzzy.append(message.id)
    assert untranslated == [], f"untranslated in translations/id: {untranslated}"
    assert fuzzy == [], f"fuzzy in translations/id: {fuzzy}"


def test_catalogue_holds_every_source_string(tmp_path):
    """A string added to the code but not to the catalogue would show in English."""
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [
            str(Path(sys.executable).parent / "pybabel"),
            "extract",
            "-F",
            "babel.cfg",
            "--ignore-dirs=.* __pycache__",  # the default skips _macros/
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "-k",
            "lazy_ngettext:1,2",
            "-o",
            str(pot),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with pot.open("rb") as f:
        source = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(f) if m.id}
    known = {m.id if isinstance(m.id, str) else m.id[0] for m in _catalog() if m.id}
    missing = sorted(source - known)
    assert missing == [], f"run `make i18n` and translate: {missing}"


def test_placeholders_survive_translation():
    pattern = re.compile(r"%\(\w+\)[sd]")
    for message in _catalog():
        if not message.id or not message.string:
            continue
        msgid = message.id if isinstance(message.id, str) else message.id[0]
        msgstr = message.string if isinstance(message.string, str) else message.string[0]
        assert set(pattern.findall(msgid)) == set(pattern.findall(msgstr)), msgid


class _Texts(HTMLParser):
    """Collects what a reader sees or hears: text nodes and labelling attributes. A ``value`` is
    read only where it is a button's caption (``<input type="submit">`` …): an option's or a
    button's value is what the form sends, never shown (``<option value="approved">``), and a
    text input's value is what somebody typed."""

    ATTRS = ("aria-label", "placeholder", "title", "alt", "value")
    CAPTIONED = ("submit", "button", "reset")

    def __init__(self):
        super().__init__()
        self.texts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        captioned = tag == "input" and (dict(attrs).get("type") or "").lower() in self.CAPTIONED
        for name, value in attrs:
            if name in self.ATTRS and value and (name != "value" or captioned):
                self.texts.append(value.strip())

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.texts.append(" ".join(data.split()))


def _english_only_strings() -> set[str]:
    """Source strings whose Indonesian differs and that hold no placeholder."""
    out = set()
    for message in _catalog():
        if not message.id or not isinstance(message.id, str) or "%(" in message.id:
            continue
        if message.string and message.string != message.id:
            out.add(message.id)
    return out


@pytest.fixture(scope="module")
def world_locale():
    """The world's users keep the default language: their pages come in Indonesian."""
    return "id"


#: The public curriculum pages, read by a visitor and by a learner (who gets links, downloads,
#: the rating and problem-report forms).
_PUBLIC_CURRICULA = {"curricula.catalogue", "curricula.show", "curricula.material"}
#: Curricula pages of a learner (their own problem reports), and one report's page, read both
#: by the learner who made it and by an author who handles it.
_LEARNER_CURRICULA = {
    "curricula.my_flags": [Role.STUDENT],
    "curricula.flag": [Role.UNIVERSITY, Role.STUDENT],
}
#: The pages that compare frozen versions: crawled again once the proposal has two.
_VERSION_PAGES = ("curricula.versions", "curricula.diff")

_ALL_SHARING = [Role.ADMIN, Role.UNIVERSITY, Role.MENTOR, Role.STUDENT]
#: Internship and certificate pages, each read by the roles that use it, on the world's own
#: objects: OPD A's position, the student's application and A's placement (whose mentor is the
#: mentor, whose DPL is the university user; the admin is city-wide).
_INTERNSHIP_PAGES = {
    "certificates.verify": [None],
    "internships.positions": [None, Role.STUDENT],
    "internships.position": [None, Role.STUDENT],
    # the student
    "internships.my_applications": [Role.STUDENT],
    "internships.apply": [Role.STUDENT],
    "internships.application": [Role.STUDENT, Role.UNIVERSITY, Role.ADMIN],
    "internships.placements": _ALL_SHARING,
    "internships.placement": _ALL_SHARING,
    "internships.new_entry": [Role.STUDENT],
    "internships.edit_entry": [Role.STUDENT],
    "internships.upload_report": [Role.STUDENT],
    "internships.student_feedback": [Role.STUDENT],
    "internships.session": [Role.STUDENT, Role.MENTOR, Role.UNIVERSITY],
    # the mentor
    "internships.mentor_sessions": [Role.MENTOR],
    "internships.new_session": [Role.MENTOR],
    "internships.edit_session": [Role.MENTOR],
    "internships.evaluate": [Role.MENTOR],
    "internships.mentor_feedback_summary": [Role.MENTOR],
    # the university (its staff, the DPL)
    "internships.university_queue": [Role.UNIVERSITY],
    "internships.rubric": [Role.UNIVERSITY],
    "internships.university_settings": [Role.UNIVERSITY],
    "internships.credit_scheme": [Role.UNIVERSITY, Role.ADMIN],
    "internships.credit_schemes": [Role.ADMIN],
    "internships.placement_settings": [Role.UNIVERSITY],
    "internships.academic_score": [Role.UNIVERSITY],
    # the (city-wide) admin
    "internships.manage_positions": [Role.ADMIN],
    "internships.new_position": [Role.ADMIN],
    "internships.edit_position": [Role.ADMIN],
    "internships.position_mentors": [Role.ADMIN],
    "internships.periods": [Role.ADMIN],
    "internships.opd_queue": [Role.ADMIN],
    "internships.feedback_report": [Role.ADMIN],
}
#: The personal-data pages: the notice (public), a person's own data and requests, the admins'.
_PRIVACY_PAGES = {
    "privacy.notice": [None, Role.STUDENT],
    "privacy.my_data": [Role.STUDENT, Role.ASN],
    "privacy.consents": [Role.STUDENT, Role.ASN],
    "privacy.new_request": [Role.STUDENT],
    "privacy.my_request": [Role.STUDENT],
    "privacy.request_queue": [Role.ADMIN],
    "privacy.request_detail": [Role.ADMIN],
    "privacy.view_log": [Role.ADMIN],
    "privacy.retention": [Role.ADMIN],
}
#: Pages whose form shows only in another state of the world: crawled again (see
#: ``_open_for_work``) once the entry and the report are returned and the evaluation is open.
_STATE_PAGES = (
    "internships.edit_entry",
    "internships.upload_report",
    "internships.placement",
    "internships.evaluate",
    "internships.academic_score",
    "internships.student_feedback",
)


def _open_for_work(world) -> None:
    """The mentor returned the student's entry and final report (the student changes them), and
    the placement ends within the evaluation window (the evaluation forms open)."""
    from sqlalchemy.orm import object_session

    from portal.db import utcnow
    from portal.internships.placements.models import EntryState, ReportAction, ReportState

    entry, report = world.entry["own"], world.final_report["own"]
    entry.state, entry.mentor_comment = EntryState.RETURNED, "Tambahkan jumlah berkas."
    report.state, report.mentor_decision = ReportState.RETURNED, ReportAction.RETURN
    report.mentor_reason, report.mentor_decided_by_id = "Lengkapi bab 3.", world.mentor.id
    report.mentor_decided_at = utcnow()
    world.placement["own"].ends_on = clock.today() + timedelta(days=3)
    object_session(world.admin).flush()


def _roles(endpoint: str) -> list:
    """The roles that read ``endpoint`` in the crawl (None: an anonymous visitor)."""
    if endpoint in _INTERNSHIP_PAGES:
        return _INTERNSHIP_PAGES[endpoint]
    if endpoint.startswith("trainings."):  # a new training page must say who reads it
        return TRAINING_PAGES[endpoint]
    if endpoint.startswith(("admin.", "competency_admin.")) or endpoint in (
        "competency.record_official_assessment",
    ):
        return [Role.ADMIN]
    if endpoint in ("competency.demand_board", "competency.export_board"):
        return [Role.ADMIN, Role.UNIVERSITY]
    if endpoint.startswith("competency."):
        return [Role.ASN]
    if endpoint.startswith("auth.verif") or endpoint == "auth.reject_student":
        return [Role.UNIVERSITY]
    if endpoint in ("main.dashboard", "auth.profile", "auth.change_password"):
        return [Role.ADMIN, Role.UNIVERSITY, Role.MENTOR, Role.STUDENT, Role.ASN]
    if endpoint in ("main.notifications", "main.notification_settings"):
        return [Role.ASN, Role.STUDENT]
    if endpoint in _PRIVACY_PAGES:
        return _PRIVACY_PAGES[endpoint]
    if endpoint in _PUBLIC_CURRICULA:
        return [None, Role.STUDENT]
    if endpoint in _LEARNER_CURRICULA:
        return _LEARNER_CURRICULA[endpoint]
    if endpoint.startswith("curricula."):  # the proposal workspace: A's draft, its lead author
        return [Role.UNIVERSITY]
    return [None]


def _pages(app, world, endpoints=None):
    """Every GET page of the portal for the roles that may see it (own objects of the world);
    ``endpoints``: only those."""
    from flask import url_for

    pages = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if "GET" not in rule.methods or rule.endpoint.endswith("static"):
                continue
            if rule.endpoint in FILE_DOWNLOADS or "fmt" in rule.arguments:  # files, not pages
                continue
            if endpoints is not None and rule.endpoint not in endpoints:
                continue
            for role in _roles(rule.endpoint):
                pages.append((url_for_rule(app, rule, world, role=role), role))
        if endpoints is None:
            # The account page of a pending student as well (the filler gives an ASN's).
            pages.append((url_for("admin.edit_user", user_id=world.pending["own"].id), Role.ADMIN))
            # A new position for OPD A (without ?opd= a city-wide admin first chooses the OPD).
            pages.append((url_for("internships.new_position", opd=world.agency.id), Role.ADMIN))
    return pages


def _leaks(client, login_as, world, pages, english) -> list:
    leaks = []
    for url, role in pages:
        client._cookies.clear()
        if role is not None:
            login_as(world.users[role])
        response = client.get(url, follow_redirects=True)
        assert response.status_code in (200, 410), (url, role, response.status_code)
        parser = _Texts()
        parser.feed(response.get_data(as_text=True))
        leaks += [(url, role, t) for t in parser.texts if t in english]
    return leaks


def test_no_english_leaks_into_indonesian_pages(app, client, login_as, world):
    english = _english_only_strings()
    pages = _pages(app, world)
    assert len(pages) >= 20
    leaks = _leaks(client, login_as, world, pages, english)
    # The version pages again, with versions to list and compare (above: "no version yet").
    with_frozen_versions(world)
    leaks += _leaks(client, login_as, world, _pages(app, world, _VERSION_PAGES), english)
    # The logbook entry and the final report to change, and the evaluation forms, open.
    _open_for_work(world)
    leaks += _leaks(client, login_as, world, _pages(app, world, _STATE_PAGES), english)
    # The error page and form validation messages, in Indonesian too.
    r = client.get("/no-such-page")
    parser = _Texts()
    parser.feed(r.get_data(as_text=True))
    leaks += [("/no-such-page", None, t) for t in parser.texts if t in english]
    assert leaks == [], f"English text on Indonesian pages: {leaks}"


def test_form_errors_are_indonesian(client):
    client._cookies.clear()
    r = client.post("/register", data={"university_id": "not-a-number", "email": "x"})
    html = r.get_data(as_text=True)
    assert "Wajib diisi" in html or "wajib" in html.lower()
    assert "This field is required" not in html
    assert "Not a valid" not in html and "Invalid Choice" not in html


def test_english_on_request(client):
    html = client.get("/?lang=en").get_data(as_text=True)
    assert "Sign in" in html and "Masuk" not in html
    # The choice sticks for the visit.
    assert "Register as a student" in client.get("/").get_data(as_text=True)


def test_indonesian_by_default_and_by_accept_language(client):
    html = client.get("/").get_data(as_text=True)
    assert "Masuk" in html and 'lang="id"' in html
    html = client.get("/", headers={"Accept-Language": "en-US,en;q=0.9"}).get_data(as_text=True)
    assert 'lang="en"' in html


def test_dates_in_jakarta_time_with_indonesian_month_names(app):
    from flask_babel import format_date, format_datetime

    with app.test_request_context(), force_locale("id"):
        assert format_date(date(2026, 5, 17), "long") == "17 Mei 2026"
        # 17:30 UTC is 00:30 the next day in Jakarta (UTC+7).
        shown = format_datetime(datetime(2026, 12, 31, 17, 30, tzinfo=UTC), "long")
        assert shown.startswith("1 Januari 2027") and "00.30" in shown
    with app.test_request_context(), force_locale("en"):
        assert format_date(date(2026, 5, 17), "long") == "17 May 2026"
