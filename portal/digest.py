"""The daily digest: one e-mail per user with the unread notices of the categories that user
chose to hear about once a day (``Channel.DIGEST``).

Run daily by ``flask --app portal send-reminders`` (and alone by ``send-digests``). Idempotent: a
notice goes out in one digest only, and a category at most once per day (Asia/Jakarta), so a
second run the same day sends nothing.
"""

from __future__ import annotations

from datetime import datetime, time
from itertools import groupby
from zoneinfo import ZoneInfo

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import lazy_ngettext

from portal.auth.models import User
from portal.db import db, utcnow
from portal.notification_prefs import Channel, NotificationPreference
from portal.notify import CATEGORIES, Notification, queue_emails, render_email
from portal.util import links

#: Notices marked per UPDATE: the run's query count stays fixed up to this many notices a day.
_CHUNK = 5000


def start_of_day(now: datetime) -> datetime:
    """Midnight (Asia/Jakarta, the portal's timezone) of the day of ``now``, as an aware time."""
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    return datetime.combine(now.astimezone(zone).date(), time(), tzinfo=zone)


def pending_digest_notices(now: datetime) -> list[tuple[Notification, int, User]]:
    """Every notice due in today's digests, with its preference row's id and its reader, by
    reader then age (one query, plus the readers' roles).

    Due: unread, never digested, made since the reader chose the digest for its category, and
    the category not yet digested today."""
    pref = NotificationPreference
    return db.session.execute(
        sa.select(Notification, pref.id, User)
        .join(
            pref,
            sa.and_(pref.user_id == Notification.user_id, pref.category == Notification.category),
        )
        .join(User, User.id == Notification.user_id)
        .where(
            pref.channel == Channel.DIGEST,
            Notification.read_at.is_(None),
            Notification.digested_at.is_(None),
            Notification.created_at >= pref.chosen_at,
            Notification.created_at <= now,
            sa.or_(pref.last_digest_at.is_(None), pref.last_digest_at < start_of_day(now)),
        )
        .order_by(Notification.user_id, Notification.created_at, Notification.id)
    ).all()


def _grouped(notices: list[Notification]) -> list[tuple[object, list[Notification]]]:
    """The notices of one reader by category (lazy label, notices), in the settings' order.
    Texts are rendered by the e-mail template, in the reader's language."""
    order = list(CATEGORIES)
    notices = sorted(notices, key=lambda n: order.index(n.category))
    return [
        (CATEGORIES[category].label, list(group))
        for category, group in groupby(notices, key=lambda n: n.category)
    ]


def send_daily_digests(now: datetime | None = None) -> int:
    """Queue one digest e-mail per user with notices due (in the reader's language, linking to
    the site) and mark those notices digested; returns how many e-mails were queued.

    A fixed number of queries whatever the number of users. The caller commits."""
    now = now or utcnow()
    rows = pending_digest_notices(now)
    if not rows:
        return 0
    base = current_app.config["BASE_URL"].rstrip("/")
    settings_url = links.absolute("main.notification_settings")
    emails = []
    for _user_id, same_user in groupby(rows, key=lambda row: row[0].user_id):
        mine = list(same_user)
        user, notices = mine[0][2], [row[0] for row in mine]
        subject = lazy_ngettext(
            "Sinergi daily digest: %(num)d notification",
            "Sinergi daily digest: %(num)d notifications",
            len(notices),
        )
        emails.append(
            render_email(
                user,
                "digest",
                subject=subject,
                count=len(notices),
                groups=_grouped(notices),
                base_url=base,
                settings_url=settings_url,
            )
        )
    sent = queue_emails(emails)
    notice_ids = [row[0].id for row in rows]
    pref_ids = sorted({row[1] for row in rows})
    for start in range(0, len(notice_ids), _CHUNK):
        db.session.execute(
            sa.update(Notification)
            .where(Notification.id.in_(notice_ids[start : start + _CHUNK]))
            .values(digested_at=now)
        )
    for start in range(0, len(pref_ids), _CHUNK):
        db.session.execute(
            sa.update(NotificationPreference)
            .where(NotificationPreference.id.in_(pref_ids[start : start + _CHUNK]))
            .values(last_digest_at=now)
        )
    return sent


@click.command("send-digests")
@with_appcontext
def send_digests() -> None:
    """Send today's digest e-mails (also part of ``send-reminders``); run once a day."""
    sent = send_daily_digests()
    db.session.commit()
    click.echo(f"{sent} digest e-mail(s) queued")
