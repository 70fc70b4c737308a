"""Writing and reviewing the logbook; the numbers drawn from it (weekly summary, credit
readiness) are in ``logbook_numbers`` and re-exported here. The final report's steps are in
``report_services``.

Services check who acts and in which state, change the rows, write the history, record the
audit event and notify; they flush and never commit. A step changes the entry with one
conditional UPDATE on the state it starts from, so two clicks at once cannot both pass.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError

from portal import audit, uploads
from portal.auth.models import User
from portal.db import db, utcnow
from portal.errors import DomainError
from portal.i18n import _l
from portal.institutions.models import Agency
from portal.internships.models import InternshipPosition, Placement
from portal.internships.placements.models import (
    MAX_MINUTES,
    MIN_MINUTES,
    STEP_MINUTES,
    TEXT_MAX,
    EntryAction,
    EntryState,
    LogbookEntry,
    can_add_entry,
)
from portal.internships.placements.workflow import ENTRY, check_entry, placement_closed
from portal.notify import register_messages, tell
from portal.util import clock, links
from portal.util.dates import lazy_day
from portal.util.text import clean_text

#: A logbook attachment: a document or a photo of the work.
ATTACHMENT_KINDS = ("pdf", "png", "jpg", "webp")
ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024

register_messages(
    internships__entry_submitted=_l(
        "%(student)s submitted the logbook entry of %(day)s for your review."
    ),
    internships__entry_approved=_l("Your mentor approved your logbook entry of %(day)s."),
    internships__entry_returned=_l(
        "Your mentor returned your logbook entry of %(day)s: %(comment)s"
    ),
)


# --- shared helpers ----------------------------------------------------------------------------


def clean(text: str | None, limit: int = TEXT_MAX) -> str:
    """Text as stored: no NUL (PostgreSQL refuses it), no surrounding space; refuses over-long."""
    text = clean_text(text)
    if len(text) > limit:
        raise DomainError(_l("At most %(max)d characters.", max=limit))
    return text


def placement_link(placement: Placement, anchor: str = "") -> str | None:
    path = links.link("internships.placement", placement_id=placement.id)
    return path + anchor if path and anchor else path


def people(placement: Placement) -> dict:
    """The parameters every notice about a placement carries (names, not objects)."""
    student = db.session.get(User, placement.student_id)
    position = db.session.get(InternshipPosition, placement.position_id)
    agency = db.session.get(Agency, placement.agency_id)
    return {"student": student.full_name, "position": position.title, "agency": agency.short_name}


def user(user_id: int | None) -> User | None:
    return db.session.get(User, user_id) if user_id is not None else None


def attachment_limit() -> int:
    return int(current_app.config.get("INTERNSHIP_ATTACHMENT_MAX_BYTES", ATTACHMENT_MAX_BYTES))


# --- entries -----------------------------------------------------------------------------------


def _check_fields(placement: Placement, *, day: date, minutes: int, now) -> None:
    if not isinstance(minutes, int) or not MIN_MINUTES <= minutes <= MAX_MINUTES:
        raise DomainError(_l("A day holds between half an hour and 12 hours of work."))
    if minutes % STEP_MINUTES:
        raise DomainError(_l("Give the hours in steps of half an hour (for example 7.5)."))
    if day > clock.today(now):
        raise DomainError(_l("An entry cannot be written for a day that is still to come."))
    if not placement.starts_on <= day <= placement.ends_on:
        raise DomainError(
            _l(
                "The day must fall within the placement, from %(start)s to %(end)s.",
                start=lazy_day(placement.starts_on),
                end=lazy_day(placement.ends_on),
            )
        )


def _day_taken(placement: Placement, day: date, *, but: int | None = None) -> bool:
    stmt = sa.select(LogbookEntry.id).where(
        LogbookEntry.placement_id == placement.id, LogbookEntry.day == day
    )
    if but is not None:
        stmt = stmt.where(LogbookEntry.id != but)
    return db.session.scalar(stmt) is not None


def _day_taken_error(day: date) -> DomainError:
    return DomainError(
        _l("There is already an entry for %(day)s; change that one instead.", day=lazy_day(day))
    )


def _store(upload, actor):
    if upload is None or not getattr(upload, "filename", None):
        return None
    return uploads.store(
        upload, allowed=ATTACHMENT_KINDS, actor=actor, max_bytes=attachment_limit()
    )


def _flush_entry(entry: LogbookEntry, stored) -> None:
    """Flush in a savepoint; the unique day caught here is a refusal, and a file just stored
    for the entry leaves the disk again."""
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:
        if stored is not None:
            uploads.discard(stored)
        raise _day_taken_error(entry.day) from None


def _save_entry(
    entry: LogbookEntry, placement: Placement, stored, *, actor, step: str, submit: bool, now
) -> None:
    """The common tail of writing and editing an entry: flush (see :func:`_flush_entry`),
    record the audit row of ``step``, and submit the entry at once when asked."""
    _flush_entry(entry, stored)
    audit.record(
        actor,
        "internship.logbook",
        entry,
        target_label=entry.day.isoformat(),
        placement_id=placement.id,
        step=step,
    )
    if submit:
        submit_entry(entry, placement, actor=actor, now=now)


def add_entry(
    placement: Placement,
    *,
    actor,
    day: date,
    minutes: int,
    activities: str,
    outputs: str = "",
    upload=None,
    submit: bool = False,
    now: datetime | None = None,
) -> LogbookEntry:
    """The student writes the entry of one day (a draft, or submitted at once with ``submit``).

    Refuses anyone but the student, a placement that no longer runs, a day to come or outside
    the placement, hours outside ½–12 or not in half hours, a second entry for the same day,
    empty activities, and an attachment that is not a PDF or an image.
    """
    if not can_add_entry(placement, actor):
        if actor.id != placement.student_id:
            raise DomainError(_l("Only the student of this placement writes its logbook."))
        raise placement_closed(placement)
    _check_fields(placement, day=day, minutes=minutes, now=now)
    activities, outputs = clean(activities), clean(outputs)
    if not activities:
        raise DomainError(_l("Describe what you did that day."))
    if _day_taken(placement, day):
        raise _day_taken_error(day)
    stored = _store(upload, actor)
    entry = LogbookEntry(
        placement_id=placement.id,
        day=day,
        minutes=minutes,
        activities=activities,
        outputs=outputs,
        attachment_id=stored.id if stored else None,
        state=EntryState.DRAFT,
    )
    db.session.add(entry)
    _save_entry(entry, placement, stored, actor=actor, step="write", submit=submit, now=now)
    return entry


def not_editable(entry: LogbookEntry, placement: Placement, actor) -> DomainError:
    if actor.id != placement.student_id:
        return DomainError(_l("Only the student of this placement writes its logbook."))
    if entry.state == EntryState.APPROVED:
        return DomainError(_l("This entry was approved by the mentor and is locked."))
    if entry.state == EntryState.SUBMITTED:
        return DomainError(_l("This entry is waiting for the mentor and cannot change now."))
    return placement_closed(placement)


def edit_entry(
    entry: LogbookEntry,
    placement: Placement,
    *,
    actor,
    day: date,
    minutes: int,
    activities: str,
    outputs: str = "",
    upload=None,
    remove_attachment: bool = False,
    submit: bool = False,
    now: datetime | None = None,
) -> list[str]:
    """The student changes a draft or returned entry (and may submit it at once).

    Same refusals as :func:`add_entry`, plus an entry that is submitted or approved (locked).
    Returns the storage keys of a replaced or removed attachment: the caller deletes them from
    the disk once the commit went through.
    """
    if not entry.can_edit(placement, actor):
        raise not_editable(entry, placement, actor)
    _check_fields(placement, day=day, minutes=minutes, now=now)
    activities, outputs = clean(activities), clean(outputs)
    if not activities:
        raise DomainError(_l("Describe what you did that day."))
    if day != entry.day and _day_taken(placement, day, but=entry.id):
        raise _day_taken_error(day)
    stored = _store(upload, actor)
    gone = []
    old = db.session.get(uploads.StoredFile, entry.attachment_id) if entry.attachment_id else None
    if old is not None and (stored is not None or remove_attachment):
        gone.append(old.key)
        entry.attachment_id = None
        db.session.flush()
        db.session.delete(old)
    if stored is not None:
        entry.attachment_id = stored.id
    entry.day, entry.minutes, entry.activities, entry.outputs = day, minutes, activities, outputs
    _save_entry(entry, placement, stored, actor=actor, step="edit", submit=submit, now=now)
    return gone


def remove_files(keys: list[str]) -> None:
    """Remove replaced attachments from the disk (after the commit that deleted their rows)."""
    for key in keys:
        uploads.discard(uploads.StoredFile(key=key))


def _move(
    entry: LogbookEntry,
    placement: Placement,
    action: EntryAction,
    *,
    actor,
    note: str | None = None,
    now: datetime | None = None,
    **values,
) -> None:
    next_state = check_entry(entry, action, actor)
    from_state = entry.state
    result = db.session.execute(
        sa.update(LogbookEntry)
        .where(LogbookEntry.id == entry.id, LogbookEntry.state == from_state)
        .values(state=next_state, **values)
        .execution_options(synchronize_session="evaluate")
    )
    if result.rowcount != 1:
        db.session.expire(entry)
        raise DomainError(_l("This entry was changed a moment ago. Reload the page and try again."))
    # The conditional UPDATE above took the step (two clicks at once cannot both pass); the
    # workflow's ``record`` writes its history.
    ENTRY.record(entry, action, from_state, next_state, actor, note, now or utcnow())
    db.session.flush()
    audit.record(
        actor,
        "internship.logbook",
        entry,
        target_label=entry.day.isoformat(),
        placement_id=placement.id,
        step=str(action),
        state=str(next_state),
    )


def submit_entry(entry: LogbookEntry, placement: Placement, *, actor, now=None) -> None:
    """The student sends a draft or returned entry to the mentor for review."""
    _move(entry, placement, EntryAction.SUBMIT, actor=actor, now=now, submitted_at=now or utcnow())
    tell(
        [user(placement.mentor_id)],
        "internships.entry_submitted",
        link=placement_link(placement, f"#entry-{entry.id}"),
        day=entry.day,
        **people(placement),
    )


def approve_entry(
    entry: LogbookEntry, placement: Placement, *, actor, comment: str = "", now=None
) -> None:
    """The mentor approves a submitted entry (with an optional comment); it is locked for good."""
    comment = clean(comment)
    _move(
        entry,
        placement,
        EntryAction.APPROVE,
        actor=actor,
        note=comment,
        now=now,
        mentor_comment=comment or None,
        reviewed_by_id=actor.id,
        reviewed_at=now or utcnow(),
    )
    tell(
        [user(placement.student_id)],
        "internships.entry_approved",
        link=placement_link(placement, f"#entry-{entry.id}"),
        day=entry.day,
    )


def return_entry(
    entry: LogbookEntry, placement: Placement, *, actor, comment: str, now=None
) -> None:
    """The mentor returns a submitted entry with a comment saying what to change; the student
    can change and submit it again."""
    comment = clean(comment)
    check_entry(entry, EntryAction.RETURN, actor)  # the party first, then the comment
    if not comment:
        raise DomainError(_l("Write a comment saying what the student should change."))
    _move(
        entry,
        placement,
        EntryAction.RETURN,
        actor=actor,
        note=comment,
        now=now,
        mentor_comment=comment,
        reviewed_by_id=actor.id,
        reviewed_at=now or utcnow(),
    )
    tell(
        [user(placement.student_id)],
        "internships.entry_returned",
        link=placement_link(placement, f"#entry-{entry.id}"),
        day=entry.day,
        comment=comment,
    )


def take_entry_action(
    entry: LogbookEntry,
    placement: Placement,
    action: EntryAction,
    *,
    actor,
    comment: str = "",
    now=None,
) -> None:
    """One step on an entry, as a button on the placement page names it."""
    if action == EntryAction.SUBMIT:
        submit_entry(entry, placement, actor=actor, now=now)
    elif action == EntryAction.APPROVE:
        approve_entry(entry, placement, actor=actor, comment=comment, now=now)
    else:
        return_entry(entry, placement, actor=actor, comment=comment, now=now)
