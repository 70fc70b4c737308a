"""The portal's clock. Moments are stored in UTC (``portal.db.utcnow``); days, deadlines and the
times people read are in Medan: the configured ``BABEL_DEFAULT_TIMEZONE`` (Asia/Jakarta, WIB).
Every feature asks here, never ``date.today()`` (the machine's zone: from 17:00 to 24:00 UTC the
machine's date is already yesterday in Medan)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

from portal.util.dates import lazy_moment

#: The zone when no app is there to ask (a script, a test's module-level constant).
DEFAULT_ZONE = "Asia/Jakarta"


def zone() -> ZoneInfo:
    """The portal's time zone."""
    name = current_app.config["BABEL_DEFAULT_TIMEZONE"] if has_app_context() else DEFAULT_ZONE
    return ZoneInfo(name)


def local_time(moment: datetime | None = None) -> datetime:
    """``moment`` (default: now) in the portal's time zone."""
    return (moment or datetime.now(UTC)).astimezone(zone())


def today(now: datetime | None = None) -> date:
    """Today in Medan (or the day of ``now`` there): deadlines and periods are days in Medan."""
    return local_time(now).date()


def local_moment(day: date, at: time) -> datetime:
    """A day and a wall-clock time in Medan, as a UTC moment."""
    return datetime.combine(day, at, tzinfo=zone()).astimezone(UTC)


def local_text(moment: datetime):
    """``27 Nov 2026 08:45`` in Medan's time, for messages (``_l(…, time=local_text(m))``):
    the portal's day-first style, formatted when shown, in the reader's language
    (``portal.util.dates.lazy_moment``)."""
    return lazy_moment(moment)
