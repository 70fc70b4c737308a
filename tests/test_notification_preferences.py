"""Notification preferences per category (in the portal only, e-mail at once, daily digest), the
daily digest and the settings page."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from markupsafe import escape

from portal import notify as notify_module
from portal.auth.models import Role
from portal.digest import send_daily_digests
from portal.i18n import _l
from portal.notification_prefs import Channel
from portal.notify import CATEGORIES, Notification, as_history, notify, register_messages
from tests.notification_prefs_support import (
    LEDGER_LINK,
    MATERIAL_LINK,
    checked,
    day,
    flagged,
    form_data,
    prefer,
    stored_channels,
    verified,
)

SETTINGS = "/notifications/settings"
DIGEST = Channel.DIGEST


def test_every_category_in_use_is_registered_with_a_label_and_description():
    assert list(CATEGORIES) == [
        "curricula",
        "internships",
        "trainings",
        "ledger",
        "recognition",
        "reminders",
        "privacy",
    ]
    # Every feature's texts belong to a category a user can choose for.
    registered = {key.split(".", 1)[0] for key in notify_module.MESSAGES}
    assert registered <= set(CATEGORIES)
    assert all(str(c.label) and str(c.description) for c in CATEGORIES.values())


def test_a_key_of_an_unregistered_category_is_refused(db, make, monkeypatch):
    monkeypatch.setattr(notify_module, "MESSAGES", dict(notify_module.MESSAGES))
    register_messages(gossip__news=_l("Returned by %(name)s: %(note)s"))
    with pytest.raises(KeyError, match="gossip"):
        notify(make.user(Role.ASN), "gossip.news", name="A", note="B")
    assert db.session.scalar(sa.select(sa.func.count(Notification.id))) == 0


# --- notify() honours the choice -----------------------------------------------------------------


def test_by_default_every_notice_is_also_emailed_at_once(db, make, outbox, app):
    me = make.user(Role.ASN, locale="en")
    verified(me)  # the caller gave no e-mail template: the plain notice is used
    (mail,) = outbox(me.email)
    assert mail.subject == "Your record “Kursus Tata Naskah Dinas” was verified: 8 JP."
    assert app.config["BASE_URL"].rstrip("/") + LEDGER_LINK in mail.body_text


def test_portal_only_sends_no_email_but_the_notice_is_in_the_centre(
    client, db, make, login_as, outbox
):
    me = make.user(Role.ASN, locale="en")
    prefer(me, ledger=Channel.PORTAL)
    verified(me)
    flagged(me)  # another category still e-mails
    assert [m.subject for m in outbox(me.email)] == [
        'A learner reported a problem with the material "Modul Pelayanan Publik".'
    ]
    login_as(me)
    html = client.get("/notifications").get_data(as_text=True)
    assert "Your record “Kursus Tata Naskah Dinas” was verified: 8 JP." in html
    # Each notice shows its category; the centre links to the settings.
    assert "JP ledger" in html and "Curricula and materials" in html
    assert f'href="{SETTINGS}"' in html


def test_history_notices_are_never_emailed(db, make, outbox):
    me = make.user(Role.ASN)
    verified(me, history=True)
    with as_history():
        flagged(me)
    verified(me, "Setelah sejarah")  # outside: e-mailed again
    assert len(outbox(me.email)) == 1
    assert db.session.scalar(sa.select(sa.func.count(Notification.id))) == 3


# --- the daily digest --------------------------------------------------------------------------


def test_digest_gathers_two_notices_in_one_email_once(db, make, outbox, app):
    me = make.user(Role.ASN, locale="en")
    prefer(me, at=day(0), ledger=DIGEST, curricula=DIGEST)
    first = verified(me, at=day(0) + timedelta(hours=8))
    second = flagged(me, at=day(0) + timedelta(hours=9))
    assert outbox(me.email) == []  # nothing at notify time
    assert send_daily_digests(now=day(0) + timedelta(hours=18)) == 1
    (mail,) = outbox(me.email)
    assert mail.subject == "Sinergi daily digest: 2 notifications"
    base = app.config["BASE_URL"].rstrip("/")
    for body in (mail.body_text, mail.body_html):
        assert "Kursus Tata Naskah Dinas" in body and "Modul Pelayanan Publik" in body
        assert base + LEDGER_LINK in body and base + MATERIAL_LINK in body
        assert base + "/notifications/settings" in body
    assert "Hello Pengguna Uji" in mail.body_text
    assert first.digested_at is not None and second.digested_at is not None
    # A second run the same day sends nothing.
    assert send_daily_digests(now=day(0) + timedelta(hours=20)) == 0
    assert len(outbox()) == 1


def test_read_notices_and_other_categories_are_not_digested(db, make, outbox):
    me = make.user(Role.ASN, locale="en")
    prefer(me, at=day(0), ledger=DIGEST)
    read = verified(me, "Sudah Dibaca", at=day(0) + timedelta(hours=1))
    read.read_at = day(0) + timedelta(hours=2)
    unread = verified(me, "Belum Dibaca", at=day(0) + timedelta(hours=3))
    flagged(me, at=day(0) + timedelta(hours=4))  # e-mailed at once (the default)
    assert len(outbox(me.email)) == 1
    assert send_daily_digests(now=day(0) + timedelta(hours=5)) == 1
    digest = outbox(me.email)[-1]
    assert "Belum Dibaca" in digest.body_text and "Sudah Dibaca" not in digest.body_text
    assert "Modul Pelayanan Publik" not in digest.body_text
    assert read.digested_at is None and unread.digested_at is not None


def test_at_most_one_digest_a_day_and_later_notices_go_the_next_day(db, make, outbox):
    me = make.user(Role.ASN, locale="en")
    prefer(me, at=day(0), ledger=DIGEST)
    verified(me, "Pertama", at=day(0) + timedelta(hours=7))
    assert send_daily_digests(now=day(0) + timedelta(hours=8)) == 1
    late = verified(me, "Kedua", at=day(0) + timedelta(hours=10))
    assert send_daily_digests(now=day(0) + timedelta(hours=11)) == 0  # same day (WIB)
    assert send_daily_digests(now=day(1) + timedelta(hours=8)) == 1
    assert "Kedua" in outbox(me.email)[-1].body_text
    assert "Pertama" not in outbox(me.email)[-1].body_text
    assert late.digested_at is not None
    assert send_daily_digests(now=day(1) + timedelta(hours=9)) == 0


def test_switching_to_the_digest_never_mails_older_notices_again(db, make, outbox):
    me = make.user(Role.ASN)
    verified(me, "Sudah Dikirim", at=day(0) + timedelta(hours=1))  # e-mailed at once
    prefer(me, at=day(0) + timedelta(hours=2), ledger=DIGEST)
    verified(me, "Baru", at=day(0) + timedelta(hours=3))
    assert send_daily_digests(now=day(0) + timedelta(hours=4)) == 1
    digest = outbox(me.email)[-1].body_text
    assert "Baru" in digest and "Sudah Dikirim" not in digest


@pytest.mark.parametrize(("locale", "hello", "text"), [
    ("en", "Hello", "Your record “Kursus Tata Naskah Dinas” was verified: 8 JP."),
    ("id", "Halo", "Catatan pengembangan “Kursus Tata Naskah Dinas” Anda telah diverifikasi: 8 JP."),
])  # fmt: skip
def test_the_digest_is_in_the_readers_language(db, make, outbox, locale, hello, text):
    me = make.user(Role.ASN, locale=locale)
    prefer(me, at=day(0), ledger=DIGEST)
    verified(me, at=day(0) + timedelta(hours=1))
    send_daily_digests(now=day(0) + timedelta(hours=2))
    (mail,) = outbox(me.email)
    assert mail.body_text.startswith(hello) and text in mail.body_text and text in mail.body_html


def test_digest_runs_in_a_fixed_number_of_queries(db, make, count_queries, outbox):
    def run(users: int) -> int:
        for _ in range(users):
            user = make.user(Role.ASN)
            prefer(user, at=day(0), ledger=DIGEST, curricula=DIGEST)
            verified(user, at=day(0) + timedelta(hours=1))
            flagged(user, at=day(0) + timedelta(hours=1))
        db.session.flush()
        with count_queries() as n:
            assert send_daily_digests(now=day(0) + timedelta(hours=2)) == users
            db.session.flush()
        return n()

    small, large = run(2), run(7)
    assert small == large and small <= 8
    assert len(outbox()) == 9


def test_send_digests_command_commits_and_prints_the_count(app, db, make, outbox):
    me = make.user(Role.ASN)
    prefer(me, ledger=DIGEST)
    verified(me)
    result = app.test_cli_runner().invoke(args=["send-digests"])
    assert result.exit_code == 0, result.output
    assert "1 digest e-mail(s) queued" in result.output
    assert len(outbox(me.email)) == 1


# --- the settings page -------------------------------------------------------------------------


def test_settings_need_signing_in(client):
    for response in (client.get(SETTINGS), client.post(SETTINGS, data=form_data())):
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_settings_page_shows_a_group_per_category_with_the_current_choice(
    app, client, db, make, login_as
):
    me = make.user(Role.STUDENT, locale="en")
    prefer(me, reminders=DIGEST)
    login_as(me)
    html = client.get(SETTINGS).get_data(as_text=True)
    assert html.count("<fieldset") == len(CATEGORIES) == html.count("<legend")
    with app.test_request_context("/?lang=en"):
        texts = [str(text) for category in CATEGORIES.values() for text in category]
    assert all(str(escape(text)) in html for text in texts)
    assert "<legend" in html and ">JP ledger</legend>" in html
    assert {name: checked(html, name) for name in CATEGORIES} == {
        **dict.fromkeys(CATEGORIES, "email"),
        "reminders": "digest",
    }
    assert "In the portal only" in html and "One daily digest e-mail" in html


def test_saving_keeps_the_choices_and_leaves_other_users_alone(client, db, make, login_as):
    me, other = make.user(Role.ASN, locale="en"), make.user(Role.ASN)
    prefer(other, curricula=Channel.PORTAL, ledger=DIGEST)
    login_as(me)
    response = client.post(SETTINGS, data=form_data(curricula="portal", internships="digest"))
    assert response.status_code == 302 and response.headers["Location"] == SETTINGS
    assert stored_channels(me) == {"curricula": Channel.PORTAL, "internships": DIGEST}
    html = client.get(SETTINGS).get_data(as_text=True)
    assert "Your notification settings are saved." in html
    assert (checked(html, "curricula"), checked(html, "internships")) == ("portal", "digest")
    assert checked(html, "ledger") == "email"
    # Back to e-mail for one: saved again, the other stays.
    client.post(SETTINGS, data=form_data(internships="digest"))
    assert stored_channels(me) == {"curricula": Channel.EMAIL, "internships": DIGEST}
    assert stored_channels(other) == {"curricula": Channel.PORTAL, "ledger": DIGEST}


@pytest.mark.parametrize("bad", [{"ledger": "sms"}, {"ledger": ""}, {"curricula": "x" * 5000}])
def test_an_invalid_channel_is_refused_with_a_message(client, db, make, login_as, bad):
    me = make.user(Role.ASN, locale="en")
    login_as(me)
    response = client.post(SETTINGS, data=form_data(trainings="portal", **bad))
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Not a valid choice." in html and "could not be saved" in html
    assert checked(html, "trainings") == "portal"  # what was chosen is kept
    assert stored_channels(me) == {}


def test_a_missing_group_keeps_its_current_choice(client, db, make, login_as):
    me = make.user(Role.ASN, locale="en")
    prefer(me, recognition=Channel.PORTAL)
    login_as(me)
    data = form_data(trainings="digest")
    del data["category_recognition"]
    assert client.post(SETTINGS, data=data).status_code == 302
    assert stored_channels(me) == {"recognition": Channel.PORTAL, "trainings": DIGEST}


@pytest.mark.parametrize("locale", ["en", "id"])
def test_settings_and_centre_render_in_both_languages(client, db, make, login_as, locale):
    me = make.user(Role.MENTOR, locale=locale)
    verified(me)
    login_as(me)
    settings = client.get(SETTINGS)
    centre = client.get("/notifications")
    assert settings.status_code == centre.status_code == 200
    html = settings.get_data(as_text=True)
    assert f'<html lang="{locale}"' in html and html.count('type="radio"') == 3 * len(CATEGORIES)
    expected = {"en": "Your record “Kursus", "id": "Catatan pengembangan “Kursus"}[locale]
    assert expected in centre.get_data(as_text=True)
