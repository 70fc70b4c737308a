"""The notification centre: own notifications only, reading marks them read, links stay on site,
the navigation shows the unread count, texts read in the reader's language and escape params."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from portal import notify as notify_module
from portal.auth.models import Role
from portal.db import utcnow
from portal.i18n import _l
from portal.notify import Notification, notify, register_messages

BELL = re.compile(r'<a class="nav-link" href="/notifications".*?</a>', re.S)


@pytest.fixture(autouse=True)
def messages(monkeypatch):
    """Test texts registered the way features do; the registry is restored afterwards.
    The first is an existing catalogue entry, so it has an Indonesian translation."""
    monkeypatch.setattr(notify_module, "MESSAGES", dict(notify_module.MESSAGES))
    monkeypatch.setitem(notify_module.CATEGORIES, "tests", notify_module.Category("Tests", "Tests"))
    register_messages(
        tests__verified=_l("%(name)s is verified and can sign in now."),
        tests__plain=_l("Returned by %(name)s: %(note)s"),
    )


def _notice(user, name="Dinda Aulia Putri", *, link="/dashboard", minutes_ago=0, read=False):
    row = notify(user, "tests.verified", link=link, name=name)
    row.created_at = utcnow() - timedelta(minutes=minutes_ago)
    if read:
        row.read_at = utcnow()
    return row


def _flush(db):
    db.session.flush()


def _reload(db, row) -> Notification:
    db.session.expire_all()
    return db.session.get(Notification, row.id)


def test_signing_in_is_required(client):
    for method, url in (
        ("get", "/notifications"),
        ("post", "/notifications/read-all"),
        ("post", "/notifications/1/open"),
    ):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_list_shows_only_own_notifications_newest_first(client, make, login_as, db):
    me, other = make.user(Role.ASN, locale="en"), make.user(Role.STUDENT)
    _notice(me, "Lama Sekali", minutes_ago=30, read=True)
    _notice(me, "Paling Baru", minutes_ago=1)
    _notice(other, "Rahasia Orang Lain")
    _flush(db)
    login_as(me)
    html = client.get("/notifications").get_data(as_text=True)
    assert "Rahasia Orang Lain" not in html
    assert html.index("Paling Baru") < html.index("Lama Sekali")
    # The unread one is highlighted (and not by colour alone), the read one is not.
    items = re.findall(r'<li class="list-group-item[^"]*">.*?</li>', html, re.S)
    unread = next(i for i in items if "Paling Baru" in i)
    read = next(i for i in items if "Lama Sekali" in i)
    assert "list-group-item-primary" in unread and "New" in unread
    assert "list-group-item-primary" not in read and "New" not in read
    assert 'action="/notifications/' in unread  # a button opens its link


def test_list_is_paginated(client, make, login_as, db, app, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 3)
    me = make.user(Role.ASN)
    for i in range(5):
        _notice(me, f"Orang Nomor {i}", minutes_ago=i)
    _flush(db)
    login_as(me)
    first = client.get("/notifications").get_data(as_text=True)
    second = client.get("/notifications?page=2").get_data(as_text=True)
    assert [f"Orang Nomor {i}" in first for i in range(5)] == [True, True, True, False, False]
    assert [f"Orang Nomor {i}" in second for i in range(5)] == [False, False, False, True, True]


def test_opening_marks_read_and_follows_the_link(client, make, login_as, db):
    me = make.user(Role.ASN)
    row = _notice(me, link="/curricula/")
    _flush(db)
    login_as(me)
    response = client.post(f"/notifications/{row.id}/open")
    assert response.status_code == 302
    assert response.headers["Location"] == "/curricula/"
    first_read = _reload(db, row).read_at
    assert first_read is not None
    # Opening it again keeps the first reading time.
    client.post(f"/notifications/{row.id}/open")
    assert _reload(db, row).read_at == first_read


def test_opening_is_a_post(client, make, login_as, db):
    me = make.user(Role.ASN)
    row = _notice(me)
    _flush(db)
    login_as(me)
    assert client.get(f"/notifications/{row.id}/open").status_code == 405
    assert _reload(db, row).read_at is None


def test_another_users_notification_is_not_found(client, make, login_as, db):
    me, other = make.user(Role.UNIVERSITY), make.user(Role.ASN)
    theirs = _notice(other)
    _flush(db)
    login_as(me)
    assert client.post(f"/notifications/{theirs.id}/open").status_code == 404
    assert client.post("/notifications/999999/open").status_code == 404
    assert _reload(db, theirs).read_at is None


@pytest.mark.parametrize(
    "link",
    ["//evil.example/phish", "https://evil.example/", "/\\evil.example", "javascript:alert(1)",
     "http:/evil.example", "/\u202eevil", " /dashboard"],
)  # fmt: skip
def test_off_site_links_are_never_followed(client, make, login_as, db, link):
    me = make.user(Role.ASN, locale="en")
    # Written directly, as a bad row could be: notify() itself refuses such links.
    row = Notification(
        user_id=me.id,
        category="tests",
        message_key="tests.verified",
        params={"name": "X"},
        link=link,
    )
    db.session.add(row)
    _flush(db)
    login_as(me)
    response = client.post(f"/notifications/{row.id}/open")
    assert response.status_code == 302
    assert response.headers["Location"] == "/notifications"
    assert _reload(db, row).read_at is not None
    assert "cannot be opened" in client.get("/notifications").get_data(as_text=True)


def test_a_notification_without_link_is_just_marked_read(client, make, login_as, db):
    me = make.user(Role.ASN)
    row = _notice(me, link=None)
    _flush(db)
    login_as(me)
    response = client.post(f"/notifications/{row.id}/open")
    assert response.headers["Location"] == "/notifications"
    assert _reload(db, row).read_at is not None


def test_read_all_marks_only_own_notifications(client, make, login_as, db):
    me, other = make.user(Role.ASN), make.user(Role.ASN)
    mine = [_notice(me, minutes_ago=i) for i in range(3)]
    theirs = _notice(other)
    _flush(db)
    login_as(me)
    response = client.post("/notifications/read-all")
    assert response.status_code == 302 and response.headers["Location"] == "/notifications"
    assert all(_reload(db, row).read_at is not None for row in mine)
    assert _reload(db, theirs).read_at is None


def test_unread_count_in_the_navigation(client, make, login_as, db):
    me, other = make.user(Role.STUDENT, locale="en"), make.user(Role.STUDENT)
    _notice(me)
    _notice(me, minutes_ago=2)
    _notice(me, minutes_ago=3, read=True)
    _notice(other)
    _flush(db)
    login_as(me)
    bell = BELL.search(client.get("/dashboard").get_data(as_text=True)).group(0)
    assert re.search(
        r'id="unread-count">2<span class="visually-hidden"> unread notifications', bell
    )
    assert "Notifications" in bell  # the link has a name for screen readers
    client.post("/notifications/read-all")
    bell = BELL.search(client.get("/dashboard").get_data(as_text=True)).group(0)
    assert "unread-count" not in bell


def test_visitors_get_no_bell_and_no_count_query(client, count_queries):
    with count_queries() as n:
        html = client.get("/").get_data(as_text=True)
    assert 'href="/notifications"' not in html
    with count_queries() as m:
        client.get("/login")
    assert n() <= 2 and m() == 0  # the home page counts institutions; nothing counts notices


def test_count_is_one_query_per_page(client, make, login_as, db, count_queries):
    me = make.user(Role.ASN)
    login_as(me)
    seen: list[str] = []

    def listener(conn, cursor, statement, *args):
        if "notifications" in statement:
            seen.append(statement)

    sa.event.listen(sa.Engine, "before_cursor_execute", listener)
    try:
        with count_queries() as before:
            client.get("/account")
        assert len(seen) == 1 and "count(" in seen[0].lower()
        for i in range(4):
            _notice(me, minutes_ago=i)
        _flush(db)
        seen.clear()
        with count_queries() as after:
            html = client.get("/notifications").get_data(as_text=True)  # the bell and the button
        assert 'id="unread-count">4<' in html
        assert len([s for s in seen if "count(" in s.lower()]) == 2  # the page's count + the bell's
    finally:
        sa.event.remove(sa.Engine, "before_cursor_execute", listener)
    assert before() >= 1 and after() >= before()


@pytest.mark.parametrize(("locale", "text"), [
    ("en", "Dinda Aulia Putri is verified and can sign in now."),
    ("id", "Dinda Aulia Putri telah diverifikasi dan sekarang dapat masuk."),
])  # fmt: skip
def test_notification_reads_in_the_readers_language(client, make, login_as, db, locale, text):
    me = make.user(Role.ASN, locale=locale)
    _notice(me)
    _flush(db)
    login_as(me)
    assert text in client.get("/notifications").get_data(as_text=True)


def test_parameters_are_escaped(client, make, login_as, db):
    me = make.user(Role.ASN)
    payload = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    notify(me, "tests.plain", link="/dashboard", name=payload, note="<b>catatan</b>")
    _flush(db)
    login_as(me)
    html = client.get("/notifications").get_data(as_text=True)
    assert "<script>alert" not in html and "<img src=x" not in html and "<b>catatan" not in html
    assert "&lt;script&gt;alert" in html and "&lt;b&gt;catatan&lt;/b&gt;" in html


def test_unknown_key_shows_the_key_not_an_error(client, make, login_as, db):
    me = make.user(Role.ASN)
    db.session.add(
        Notification(
            user_id=me.id, category="old", message_key="old.removed_text", params={}, link=None
        )
    )
    _flush(db)
    login_as(me)
    response = client.get("/notifications")
    assert response.status_code == 200 and "old.removed_text" in response.get_data(as_text=True)


def test_counts_match_the_database(db, make):
    from portal.main.notifications import mark_all_read, unread_count

    me = make.user(Role.ASN)
    for i in range(3):
        _notice(me, minutes_ago=i, read=i == 0)
    _flush(db)
    assert unread_count(me) == 2
    assert mark_all_read(me) == 2
    assert unread_count(me) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Notification)) == 3


def test_a_failing_count_never_breaks_the_page(client, make, login_as, db, monkeypatch):
    from portal.main import notifications

    def broken(user):
        raise sa.exc.OperationalError("SELECT count(*)", {}, Exception("database is locked"))

    monkeypatch.setattr(notifications, "unread_count", broken)
    me = make.user(Role.ASN)
    _notice(me)
    _flush(db)
    login_as(me)
    response = client.get("/dashboard")
    assert response.status_code == 200
    assert 'href="/notifications"' in response.get_data(as_text=True)  # the link, no count
    assert "unread-count" not in response.get_data(as_text=True)
