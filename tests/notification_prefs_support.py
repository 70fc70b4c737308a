"""Helpers of the notification preference and digest tests: choices saved as the settings page
saves them, notices of two real categories (their texts have Indonesian translations), and a
fixed past day so that "the same day" never depends on the clock."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import sqlalchemy as sa

from portal.db import db, utcnow
from portal.digest import start_of_day
from portal.notification_prefs import Channel, NotificationPreference, save_preferences
from portal.notify import Notification, notify

LEDGER_LINK = "/trainings/ledger"
MATERIAL_LINK = "/curricula/materials/7"


def day(n: int = 0) -> datetime:
    """Midnight (WIB) ``n`` days after a day safely in the past."""
    return start_of_day(utcnow()) - timedelta(days=10 - n)


def prefer(user, at: datetime | None = None, **channels: Channel) -> None:
    """Save ``user``'s channels (as the page does); ``at`` backdates when they were chosen."""
    save_preferences(user, channels)
    db.session.flush()
    if at is not None:
        db.session.execute(
            sa.update(NotificationPreference)
            .where(NotificationPreference.user_id == user.id)
            .values(chosen_at=at)
        )


def verified(user, title="Kursus Tata Naskah Dinas", *, at: datetime | None = None, **kw):
    """A ledger notice (category "ledger"), made at ``at`` when given."""
    row = notify(user, "ledger.verified", link=LEDGER_LINK, title=title, jp="8", **kw)
    return _at(row, at)


def flagged(user, material="Modul Pelayanan Publik", *, at: datetime | None = None, **kw):
    """A curricula notice (category "curricula"), made at ``at`` when given."""
    row = notify(user, "curricula.flag_new", link=MATERIAL_LINK, material=material, **kw)
    return _at(row, at)


def _at(row: Notification, at: datetime | None) -> Notification:
    db.session.flush()
    if at is not None:
        row.created_at = at
        db.session.flush()
    return row


def stored_channels(user) -> dict[str, Channel]:
    db.session.expire_all()
    rows = db.session.execute(
        sa.select(NotificationPreference.category, NotificationPreference.channel).where(
            NotificationPreference.user_id == user.id
        )
    )
    return {category: channel for category, channel in rows}  # noqa: C416  (rows, not pairs)


def checked(html: str, category: str) -> str | None:
    """The value of the checked radio button of ``category`` on the settings page."""
    for tag in re.findall(rf'<input[^>]*name="category_{category}"[^>]*>', html):
        if re.search(r"\schecked(\s|>|=)", tag):
            return re.search(r'value="([^"]*)"', tag).group(1)
    return None


def form_data(**channels: str) -> dict[str, str]:
    """A full settings form: e-mail at once everywhere unless given."""
    from portal.notify import CATEGORIES

    return {f"category_{name}": channels.get(name, "email") for name in CATEGORIES}
