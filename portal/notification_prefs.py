"""How each user wants to hear about each notification category: in the portal only, by e-mail
at once, or in one daily digest e-mail.

A user without a row for a category gets e-mail at once (every workflow event is also e-mailed,
as the portal promises); a row exists only once the user has saved the settings page. Account
e-mails (invitations, password reset, verification) are not notifications and always go out.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import TitledEnum, UTCDateTime, db, str_enum, utcnow
from portal.i18n import _l


class Channel(TitledEnum):
    PORTAL = "portal", _l("In the portal only")
    EMAIL = "email", _l("E-mail at once")
    DIGEST = "digest", _l("One daily digest e-mail")


#: The channel of a category the user never chose.
DEFAULT_CHANNEL = Channel.EMAIL


class NotificationPreference(db.Model):
    """One user's choice for one category.

    ``chosen_at`` is when the current channel was chosen: the digest only gathers notices made
    since then, so a notice already e-mailed (or kept in the portal on purpose) is never mailed
    again after a switch to the digest. ``last_digest_at`` is when this category last went out in
    a digest: at most one digest a day.
    """

    __tablename__ = "notification_preferences"
    __table_args__ = (sa.UniqueConstraint("user_id", "category"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    category: Mapped[str] = mapped_column(sa.String(40))
    channel: Mapped[Channel] = mapped_column(str_enum(Channel, 10), default=DEFAULT_CHANNEL)
    chosen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_digest_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


def channel_for(user_id: int, category: str) -> Channel:
    """The channel ``user_id`` chose for ``category`` (one query; the default without a row).

    Nothing is flushed first: a service may call this half-way through building its objects."""
    with db.session.no_autoflush:
        chosen = db.session.scalar(
            sa.select(NotificationPreference.channel).where(
                NotificationPreference.user_id == user_id,
                NotificationPreference.category == category,
            )
        )
    return chosen or DEFAULT_CHANNEL


def preferences_of(user) -> dict[str, Channel]:
    """Every category ``user`` has chosen a channel for (one query); others use the default."""
    rows = db.session.execute(
        sa.select(NotificationPreference.category, NotificationPreference.channel).where(
            NotificationPreference.user_id == user.id
        )
    )
    return {category: channel for category, channel in rows}  # noqa: C416  (rows, not pairs)


def save_preferences(user, choices: dict[str, Channel]) -> int:
    """Store ``user``'s channel per category; returns how many categories changed.

    Refuses (ValueError) a category outside the registry or a value that is not a channel. An
    unchanged choice keeps its row as it is (and so its place in the digest). The caller commits.
    """
    from portal.notify import CATEGORIES

    unknown = set(choices) - set(CATEGORIES)
    if unknown:
        raise ValueError(f"unknown notification categories: {sorted(unknown)}")
    wanted = {category: Channel(value) for category, value in choices.items()}
    rows = {
        row.category: row
        for row in db.session.scalars(
            sa.select(NotificationPreference).where(NotificationPreference.user_id == user.id)
        )
    }
    changed, now = 0, utcnow()
    for category, channel in wanted.items():
        row = rows.get(category)
        if row is None:
            if channel is DEFAULT_CHANNEL:
                continue  # the default needs no row
            db.session.add(
                NotificationPreference(
                    user_id=user.id, category=category, channel=channel, chosen_at=now
                )
            )
            changed += 1
        elif row.channel is not channel:
            row.channel, row.chosen_at = channel, now
            changed += 1
    return changed
