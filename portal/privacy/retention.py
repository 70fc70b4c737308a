"""Retention of personal data per record type (UU PDP Pasal 42–44, DOMAIN.md §8 checklist 8).

Each record type says from which moment its period runs, how many of its records are past it
(:func:`past_retention_counts`, read-only) and how it ends them (:func:`purge`): anonymised where
other records still point at them (applications, accounts), deleted where nothing does
(notifications, e-mails, the view log). The periods are ``PRIVACY_RETENTION`` (months; ``None``
keeps the records). What is already anonymised is never counted again, so a second purge finds 0.
Services here never commit; ``flask --app portal purge`` does, then removes the files from disk.
"""

from __future__ import annotations

import calendar
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import selectinload

from portal import audit, uploads
from portal.audit import AuditEvent
from portal.auth.models import AccountStatus, Role, User, UserRole
from portal.db import db
from portal.i18n import _l
from portal.internships.applications.models import Application, ApplicationEvent, ApplicationState
from portal.notify import Notification, OutboxEmail, OutboxStatus
from portal.uploads import StoredFile
from portal.view_log import PersonalDataView

log = logging.getLogger("portal.privacy")

S = ApplicationState
#: Applications that closed without becoming a placement.
NEVER_ACCEPTED = (
    S.DECLINED_BY_UNIVERSITY,
    S.REJECTED,
    S.WITHDRAWN,
    S.OFFER_DECLINED,
    S.OFFER_EXPIRED,
)
DELETED_EMAIL = "deleted-{id}@invalid"
_CHUNK = 500


@dataclass(frozen=True)
class RecordType:
    key: str
    title: object
    starts: object  # the moment the period runs from
    outcome: object  # what the purge does with a record past its period
    past: Callable[[datetime], sa.Select]  # ids of the records past retention (not yet purged)
    end: Callable[[list[int]], list[str]]  # anonymise/delete them; the file keys to remove


# --- applications never accepted --------------------------------------------------------------


def _applications_past(cutoff: datetime) -> sa.Select:
    closed_at = sa.func.coalesce(Application.decided_at, Application.updated_at)
    notes = sa.select(ApplicationEvent.id).where(
        ApplicationEvent.application_id == Application.id, ApplicationEvent.note.is_not(None)
    )
    return sa.select(Application.id).where(
        Application.state.in_(NEVER_ACCEPTED),
        closed_at < cutoff,
        sa.or_(
            Application.motivation != "",
            Application.cv_file_id.is_not(None),
            Application.decision_reason.is_not(None),
            notes.exists(),
        ),
    )


def _anonymise_applications(ids: list[int]) -> list[str]:
    """Clear the motivation, reasons and history notes and delete the CV; the state, dates,
    position, period, university and OPD stay, so the statistics still add up."""
    files = db.session.execute(
        sa.select(StoredFile.id, StoredFile.key)
        .join(Application, Application.cv_file_id == StoredFile.id)
        .where(Application.id.in_(ids))
    ).all()
    quiet = {"synchronize_session": False}
    db.session.execute(
        sa.update(Application)
        .where(Application.id.in_(ids))
        .values(motivation="", decision_reason=None, cv_file_id=None),
        execution_options=quiet,
    )
    db.session.execute(
        sa.update(ApplicationEvent)
        .where(ApplicationEvent.application_id.in_(ids))
        .values(note=None),
        execution_options=quiet,
    )
    if files:
        db.session.execute(
            sa.delete(StoredFile).where(StoredFile.id.in_([f.id for f in files])),
            execution_options=quiet,
        )
    return [f.key for f in files]


# --- student registrations never verified -----------------------------------------------------


def _students(*conditions) -> sa.Select:
    students = sa.select(UserRole.user_id).where(UserRole.role == Role.STUDENT)
    return sa.select(User.id).where(
        User.id.in_(students), User.email.not_like("deleted-%@invalid"), *conditions
    )


def _rejected_past(cutoff: datetime) -> sa.Select:
    # A rejection is the account's last change: ``updated_at`` is when it was refused.
    return _students(User.status == AccountStatus.REJECTED, User.updated_at < cutoff)


def _unverified_past(cutoff: datetime) -> sa.Select:
    return _students(User.status == AccountStatus.PENDING, User.created_at < cutoff)


def anonymise_accounts(ids: list[int]) -> list[str]:
    """Replace name, e-mail, NIM, study programme, reason and password with placeholders and
    close the account (refused, inactive, signed out everywhere); the row stays, so whatever
    points at it still does. Audit events about the account lose their e-mail label."""
    users = db.session.scalars(
        sa.select(User).where(User.id.in_(ids)).options(selectinload(User.role_rows))
    ).all()
    for user in users:
        user.full_name = f"deleted-{user.id}"
        user.email = DELETED_EMAIL.format(id=user.id)
        user.nim = user.study_programme = user.rejection_reason = user.password_hash = None
        user.last_login_at = None
        user.is_active_flag = False
        user.status = AccountStatus.REJECTED
        user.rotate_session_token()
    db.session.execute(
        sa.update(AuditEvent)
        .where(AuditEvent.target_type == "user", AuditEvent.target_id.in_(ids))
        .values(target_label=None),
        execution_options={"synchronize_session": False},
    )
    db.session.flush()
    return []


# --- rows deleted outright ----------------------------------------------------------------------


def _deleter(model) -> Callable[[list[int]], list[str]]:
    def end(ids: list[int]) -> list[str]:
        db.session.execute(
            sa.delete(model).where(model.id.in_(ids)),
            execution_options={"synchronize_session": False},
        )
        return []

    return end


def _notifications_past(cutoff: datetime) -> sa.Select:
    return sa.select(Notification.id).where(
        Notification.read_at.is_not(None), Notification.read_at < cutoff
    )


def _outbox_past(cutoff: datetime) -> sa.Select:
    done_at = sa.func.coalesce(OutboxEmail.sent_at, OutboxEmail.created_at)
    return sa.select(OutboxEmail.id).where(
        OutboxEmail.status != OutboxStatus.PENDING, done_at < cutoff
    )


def _views_past(cutoff: datetime) -> sa.Select:
    return sa.select(PersonalDataView.id).where(PersonalDataView.viewed_at < cutoff)


def _audit_past(cutoff: datetime) -> sa.Select:
    return sa.select(AuditEvent.id).where(AuditEvent.at < cutoff)


RECORD_TYPES = (
    RecordType(
        "applications_closed",
        _l("Internship applications never accepted"),
        _l("the application's closing"),
        _l("Motivation, reasons and notes cleared, CV deleted; state and dates kept."),
        _applications_past,
        _anonymise_applications,
    ),
    RecordType(
        "students_rejected",
        _l("Student registrations refused"),
        _l("the refusal"),
        _l("Name, e-mail, NIM and password replaced by placeholders; account closed."),
        _rejected_past,
        anonymise_accounts,
    ),
    RecordType(
        "students_unverified",
        _l("Student registrations never verified"),
        _l("the registration"),
        _l("Name, e-mail, NIM and password replaced by placeholders; account closed."),
        _unverified_past,
        anonymise_accounts,
    ),
    RecordType(
        "notifications_read",
        _l("Notifications already read"),
        _l("the reading"),
        _l("Deleted."),
        _notifications_past,
        _deleter(Notification),
    ),
    RecordType(
        "outbox_sent",
        _l("E-mails sent or given up"),
        _l("the sending"),
        _l("Deleted."),
        _outbox_past,
        _deleter(OutboxEmail),
    ),
    RecordType(
        "view_log",
        _l("Log of who viewed personal records"),
        _l("the viewing"),
        _l("Deleted."),
        _views_past,
        _deleter(PersonalDataView),
    ),
    RecordType(
        "audit_log",
        _l("Audit log"),
        _l("the event"),
        _l("Deleted."),
        _audit_past,
        _deleter(AuditEvent),
    ),
)
BY_KEY = {t.key: t for t in RECORD_TYPES}


# --- periods and counts ------------------------------------------------------------------------


def period_months(key: str) -> int | None:
    """The configured period of ``key`` in months; None (kept) when unset, ``None`` or invalid."""
    value = (current_app.config.get("PRIVACY_RETENTION") or {}).get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        log.error("PRIVACY_RETENTION[%r] = %r is not a number of months; records kept", key, value)
        return None
    return value


def months_before(day: date, months: int) -> date | None:
    """``day`` minus ``months`` calendar months (the 31st becomes the month's last day);
    None before year 1."""
    year, month0 = divmod(day.year * 12 + day.month - 1 - months, 12)
    if year < 1:
        return None
    return date(year, month0 + 1, min(day.day, calendar.monthrange(year, month0 + 1)[1]))


def cutoff_for(key: str, today: date) -> datetime | None:
    """Records of ``key`` older than this moment (start of that day, WIB) are past retention;
    None when the type is kept."""
    months = period_months(key)
    day = months_before(today, months) if months is not None else None
    if day is None:
        return None
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    return datetime.combine(day, time.min, tzinfo=zone)


@dataclass(frozen=True)
class Line:
    """One record type on the retention page and in the purge report."""

    type: RecordType
    months: int | None
    cutoff: datetime | None
    count: int | None  # None: kept, nothing to count


def past_retention_counts(today: date) -> list[Line]:
    """Every record type with its period and how many records are past it (no writes)."""
    lines = []
    for kind in RECORD_TYPES:
        cutoff = cutoff_for(kind.key, today)
        count = None
        if cutoff is not None:
            count = db.session.scalar(
                sa.select(sa.func.count()).select_from(kind.past(cutoff).subquery())
            )
        lines.append(Line(kind, period_months(kind.key), cutoff, count))
    return lines


@dataclass
class PurgeResult:
    lines: list[Line]
    file_keys: list[str]

    @property
    def counts(self) -> dict[str, int]:
        return {line.type.key: line.count for line in self.lines if line.count is not None}


def purge(today: date) -> PurgeResult:
    """Anonymise or delete every record past its retention on ``today``, record one audit event
    with the counts (no personal data), flush. The caller commits, then calls
    :func:`remove_files` with ``file_keys`` (files go only once the rows are gone for good)."""
    lines, keys = [], []
    for kind in RECORD_TYPES:
        cutoff = cutoff_for(kind.key, today)
        if cutoff is None:
            lines.append(Line(kind, None, None, None))
            continue
        ids = list(db.session.scalars(kind.past(cutoff)))
        for start in range(0, len(ids), _CHUNK):
            keys.extend(kind.end(ids[start : start + _CHUNK]))
        lines.append(Line(kind, period_months(kind.key), cutoff, len(ids)))
    result = PurgeResult(lines, keys)
    db.session.flush()
    audit.record(
        None, "privacy.purge", today=today.isoformat(), counts=result.counts, files=len(keys)
    )
    return result


def remove_files(keys: list[str]) -> int:
    """Remove purged files from disk (after the commit); returns how many keys were handled."""
    for key in keys:
        try:
            uploads.discard(StoredFile(key=key))
        except (OSError, ValueError):
            log.exception("purged file not removed from disk", extra={"file_key": key})
    return len(keys)
