"""Sending reminders once: each one is recorded as a ``SentReminder`` row in the same
transaction as its notification, inside a savepoint, so a reminder already recorded (by an
earlier run, or by a run going on at the same moment) is skipped instead of sent again."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError

from portal.db import db
from portal.notify import notify
from portal.reminders.models import SentReminder


@dataclass
class Due:
    """One reminder a rule says is due: to ``user``, text ``reminders.<message>``."""

    user: object  # portal.auth.models.User
    object_key: str
    due_key: str
    message: str
    link: str | None
    params: dict = field(default_factory=dict)


def _already_sent(kind: str, dues: list[Due]) -> set[tuple[int, str, str]]:
    """The (user, object, due) keys of ``kind`` already recorded among ``dues`` (one query)."""
    objects = sorted({d.object_key for d in dues})
    rows = db.session.execute(
        sa.select(SentReminder.user_id, SentReminder.object_key, SentReminder.due_key).where(
            SentReminder.kind == kind, SentReminder.object_key.in_(objects)
        )
    )
    return {tuple(row) for row in rows}


def deliver(kind: str, dues: list[Due]) -> int:
    """Notify (in the portal and by e-mail) each due reminder not sent before; returns how many
    were sent now. Flushes; the caller commits. A reminder recorded in the meantime by another
    run (the unique constraint refuses the row) is skipped, never sent twice."""
    if not dues:
        return 0
    done = _already_sent(kind, dues)
    sent = 0
    for due in dues:
        mark = (due.user.id, due.object_key, due.due_key)
        if mark in done:
            continue
        done.add(mark)
        try:
            with db.session.begin_nested():
                db.session.add(
                    SentReminder(
                        kind=kind,
                        user_id=due.user.id,
                        object_key=due.object_key,
                        due_key=due.due_key,
                    )
                )
        except IntegrityError:  # a concurrent run sent this one a moment ago
            continue
        notify(
            due.user,
            f"reminders.{due.message}",
            link=due.link,
            email_template="notice",
            **due.params,
        )
        sent += 1
    db.session.flush()
    return sent


# --- days --------------------------------------------------------------------------------------


def zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def day_start(day: date) -> datetime:
    """Midnight starting ``day`` in the portal's time zone (WIB), as an aware moment."""
    return datetime.combine(day, time(0), tzinfo=zone())


def moment_in(day: date, now: datetime) -> datetime:
    """``now`` kept within ``day`` (WIB): the real moment when ``day`` is today, else the start
    of a day to come or the last moment of a day gone by (``--today`` runs)."""
    start = day_start(day)
    end = day_start(day + timedelta(days=1)) - timedelta(microseconds=1)
    return min(max(now, start), end)


def working_days(first: date, last: date) -> int:
    """Monday–Friday days from ``first`` to ``last``, both included (0 when last < first)."""
    if last < first:
        return 0
    weeks, rest = divmod((last - first).days + 1, 7)
    return weeks * 5 + sum((first + timedelta(days=i)).weekday() < 5 for i in range(rest))


def step_key(days_left: int, thresholds: tuple[int, ...], late_every: int = 7) -> str:
    """Which reminder of a deadline this is: the smallest threshold at or above ``days_left``
    ("d7", "d3", "d1", "d0"), or once past, one per ``late_every`` days late ("late0", …).
    A day the job did not run is caught up by the next run within the same step."""
    if days_left < 0:
        return f"late{(-days_left - 1) // late_every}"
    return f"d{min(t for t in thresholds if t >= days_left)}"


def thresholds(first: int, *more: int) -> tuple[int, ...]:
    """The reminder steps of a deadline: the configured first one, then the fixed later ones."""
    first = max(int(first), 0)
    return tuple(sorted({first, *(m for m in more if m <= first)}, reverse=True))
