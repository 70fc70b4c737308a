"""Retention of personal data per record type (UU PDP Pasal 42–44, DOMAIN.md §8 checklist 8).

:data:`RECORD_TYPES` is the one table: each record type says from which moment its period
runs, its default period in months (``None``: kept) with the legal reason in a comment, how many
of its records are past it (:func:`past_retention_counts`, read-only) and how it ends them
(:func:`purge`, with the functions of ``anonymise.py``): anonymised where other records still
point at them (applications, logbooks, placements, accounts), deleted where nothing does
(notifications, e-mails, the view log, orphaned files).

The ``PRIVACY_RETENTION`` setting overrides the defaults: ``None`` (the default) uses them; a
dict replaces the whole table (``{key: months or None}``; a type left out is kept). What is
already anonymised is never counted again, so a second purge finds 0. Services here never
commit; ``flask --app portal purge`` does, then removes the files from disk.
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

from portal import audit, uploads
from portal.audit import AuditEvent
from portal.auth.models import AccountStatus, Role, User, UserRole
from portal.competency.models import Assessment
from portal.db import db
from portal.i18n import _l
from portal.internships.applications.models import Application, ApplicationEvent, ApplicationState
from portal.internships.models import Placement, PlacementStatus
from portal.internships.placements.models import FinalReport, LogbookEntry
from portal.notify import Notification, OutboxEmail, OutboxStatus
from portal.privacy import anonymise as end
from portal.trainings.ledger.models import LedgerEntry
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
#: Placements that are over (their period runs from ``ends_on``, or from ``ended_at``).
OVER = (PlacementStatus.COMPLETED, PlacementStatus.TERMINATED)
_CHUNK = 500


@dataclass(frozen=True)
class RecordType:
    key: str
    title: object
    starts: object  # the moment the period runs from
    outcome: object  # what the purge does with a record past its period
    past: Callable[[datetime], sa.Select]  # ids of the records past retention (not yet purged)
    end: Callable[[list[int]], list[str]]  # anonymise/delete them; the file keys to remove
    default: int | None = None  # months; None keeps the records


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


# --- rows deleted outright ----------------------------------------------------------------------


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


def _placement_over(cutoff: datetime):
    """SQL: the placement is over and its planned last day is before ``cutoff`` (one ended
    early is counted from its planned end: a little later, never sooner)."""
    return sa.and_(Placement.status.in_(OVER), Placement.ends_on < cutoff.date())


def _placements_past(cutoff: datetime) -> sa.Select:
    texts = sa.select(FinalReport.id).where(
        FinalReport.placement_id == Placement.id,
        sa.or_(
            FinalReport.note != "",
            FinalReport.mentor_reason.is_not(None),
            FinalReport.dpl_reason.is_not(None),
        ),
    )
    return sa.select(Placement.id).where(
        _placement_over(cutoff), sa.or_(Placement.end_reason.is_not(None), texts.exists())
    )


def _placed_applications_past(cutoff: datetime) -> sa.Select:
    return (
        sa.select(Application.id)
        .join(Placement, Placement.application_id == Application.id)
        .where(
            _placement_over(cutoff),
            sa.or_(
                Application.motivation != "",
                Application.cv_file_id.is_not(None),
                Application.decision_reason.is_not(None),
            ),
        )
    )


def _logbooks_past(cutoff: datetime) -> sa.Select:
    return (
        sa.select(LogbookEntry.id)
        .join(Placement, Placement.id == LogbookEntry.placement_id)
        .where(
            _placement_over(cutoff),
            sa.or_(
                LogbookEntry.activities != "",
                LogbookEntry.outputs != "",
                LogbookEntry.mentor_comment.is_not(None),
                LogbookEntry.attachment_id.is_not(None),
            ),
        )
    )


def _assessments_past(cutoff: datetime) -> sa.Select:
    return sa.select(Assessment.id).where(
        Assessment.assessed_on < cutoff.date(),
        sa.or_(Assessment.note.is_not(None), Assessment.report_file_id.is_not(None)),
    )


def _ledger_past(cutoff: datetime) -> sa.Select:
    return sa.select(LedgerEntry.id).where(
        LedgerEntry.ended_on < cutoff.date(),
        sa.or_(LedgerEntry.evidence_file_id.is_not(None), LedgerEntry.reason.is_not(None)),
    )


def _end_ledger_evidence(ids: list[int]) -> list[str]:
    """Delete the evidence file and the rejection reason; the JP record itself stays."""
    files = list(
        db.session.scalars(sa.select(LedgerEntry.evidence_file_id).where(LedgerEntry.id.in_(ids)))
    )
    db.session.execute(
        sa.update(LedgerEntry)
        .where(LedgerEntry.id.in_(ids))
        .values(evidence_file_id=None, reason=None),
        execution_options=end.QUIET,
    )
    return end.delete_files(files)


def _files_past(cutoff: datetime) -> sa.Select:
    return sa.select(StoredFile.id).where(StoredFile.created_at < cutoff, end.orphan_files())


# fmt: off
RECORD_TYPES = (
    # Applications never accepted: needed only to answer questions about the selection;
    # 2 years covers a complaint to the university or the Ombudsman.
    RecordType("applications_closed", _l("Internship applications never accepted"),
               _l("the application's closing"),
               _l("Motivation, reasons and notes cleared, CV deleted; state and dates kept."),
               _applications_past, end.anonymise_applications, 24),
    # The application behind a placement: kept with the placement (the internship agreement,
    # UU 43/2009 on archives: the city's records of its cooperation, 5 years by default).
    RecordType("applications_placed", _l("Internship applications that led to a placement"),
               _l("the placement's end"),
               _l("Motivation, reasons and notes cleared, CV deleted; state and dates kept."),
               _placed_applications_past, end.anonymise_applications, 60),
    # Placements: who, where, when and the grade stay (the university's credit recognition,
    # Permendikbudristek 53/2023, and the PKS); the free texts go after 5 years.
    RecordType("placements_ended", _l("Internship placements"), _l("the placement's end"),
               _l("Why it ended, report notes and reviewers' reasons cleared; grade kept."),
               _placements_past, end.anonymise_placements, 60),
    # Logbooks: the evidence of the hours for the credit conversion; 2 years after the end
    # covers the university's assessment and any appeal.
    RecordType("logbooks", _l("Logbook entries"), _l("the placement's end"),
               _l("Activities, outputs and comments cleared, attachment deleted; hours kept."),
               _logbooks_past, end.anonymise_logbooks, 24),
    # Competency assessments are part of the ASN personnel file (UU 20/2023 on ASN, PP 11/2017
    # Pasal 166 ff., UU 43/2009 on archives): kept by default; a period clears notes and files.
    RecordType("assessments", _l("Competency assessments"), _l("the assessment"),
               _l("Note cleared and report file deleted; the levels kept."),
               _assessments_past, end.anonymise_assessments, None),
    # The JP ledger is the ASN's development record reported to BKN (PP 11/2017 Pasal 203,
    # SIASN) and an archive (UU 43/2009): kept by default; a period removes evidence files.
    RecordType("ledger_evidence", _l("JP ledger evidence"), _l("the activity's end"),
               _l("Evidence file and rejection reason deleted; the JP record kept."),
               _ledger_past, _end_ledger_evidence, None),
    # Uploaded files nothing points at any more (an upload abandoned half-way).
    RecordType("files_orphaned", _l("Uploaded files no record uses"), _l("the upload"),
               _l("Deleted."), _files_past, end.delete_stored_files, 3),
    RecordType("students_rejected", _l("Student registrations refused"), _l("the refusal"),
               _l("Name, e-mail, NIM and password replaced by placeholders; account closed."),
               _rejected_past, end.anonymise_accounts, 12),
    RecordType("students_unverified", _l("Student registrations never verified"),
               _l("the registration"),
               _l("Name, e-mail, NIM and password replaced by placeholders; account closed."),
               _unverified_past, end.anonymise_accounts, 12),
    RecordType("notifications_read", _l("Notifications already read"), _l("the reading"),
               _l("Deleted."), _notifications_past, end.deleter(Notification), 12),
    RecordType("outbox_sent", _l("E-mails sent or given up"), _l("the sending"), _l("Deleted."),
               _outbox_past, end.deleter(OutboxEmail), 6),
    RecordType("view_log", _l("Log of who viewed personal records"), _l("the viewing"),
               _l("Deleted."), _views_past, end.deleter(PersonalDataView), 24),
    # The audit log is the record of processing (UU PDP Pasal 31): kept; the jadwal retensi
    # arsip may set a period.
    RecordType("audit_log", _l("Audit log"), _l("the event"), _l("Deleted."), _audit_past,
               end.deleter(AuditEvent), None),
)
# fmt: on
BY_KEY = {t.key: t for t in RECORD_TYPES}


# --- periods and counts ------------------------------------------------------------------------


def period_months(key: str) -> int | None:
    """The period of ``key`` in months: the table's default, or ``PRIVACY_RETENTION``'s value
    when that setting is a dict; None (kept) when unset, ``None`` or invalid."""
    configured = current_app.config.get("PRIVACY_RETENTION")
    if configured is None:
        value = BY_KEY[key].default if key in BY_KEY else None
    else:
        value = configured.get(key)
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
    """Every record type with its period and how many records are past it (no writes; one
    query for all the counts)."""
    cutoffs = {kind.key: cutoff_for(kind.key, today) for kind in RECORD_TYPES}
    counted = [kind for kind in RECORD_TYPES if cutoffs[kind.key] is not None]
    found = {}
    if counted:
        row = db.session.execute(
            sa.select(
                *(
                    sa.select(sa.func.count())
                    .select_from(kind.past(cutoffs[kind.key]).subquery())
                    .scalar_subquery()
                    for kind in counted
                )
            )
        ).one()
        found = {kind.key: n for kind, n in zip(counted, row, strict=True)}
    return [
        Line(kind, period_months(kind.key), cutoffs[kind.key], found.get(kind.key))
        for kind in RECORD_TYPES
    ]


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
